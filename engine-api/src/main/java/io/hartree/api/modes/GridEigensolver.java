package io.hartree.api.modes;

import io.hartree.api.ParameterException;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.model.Grid3D;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The lowest M eigenpairs of the grid operator h = a(−Δ) + U ({@link GridOperator}) by
 * Chebyshev-filtered subspace iteration (Zhou, Saad, Tiago, Chelikowsky, J. Comput. Phys. 219
 * (2006) 172): a block of p = M + max(6, M) real vectors is filtered by the scaled Chebyshev
 * polynomial of degree {@value #DEGREE} that damps [θ_p, u] (θ_p the block's top Ritz value, u =
 * max a|k|² + max U a rigorous upper bound), orthonormalised (classical Gram–Schmidt twice) and
 * rotated to its Ritz vectors (Rayleigh–Ritz, Jacobi). A block method sees a degenerate shell
 * whole, so the oscillator's shells (1, 3, 6, 10 states) converge together.
 *
 * <p>Tolerance: every wanted pair has residual ‖hχ − θχ‖ ≤ tol·s in the grid norm, s =
 * max(|θ_0|, |θ_{M−1}|, θ_{p−1} − θ_0) the block's energy scale. Then |θ − λ| ≤ ‖r‖²/δ (δ the gap
 * to the rest of the spectrum; Kato–Temple) and the eigenvector error is ≤ ‖r‖/δ.
 *
 * <p>Degenerate eigenvalues (clusters: consecutive θ within {@value #CLUSTER_TOL}·s) get a
 * reproducible real basis: inside a cluster the modes are, in turn, eigenvectors of the grid
 * parities P_x, P_y, P_z and of the moments x², y², z² (each one diagonalised inside the
 * sub-spaces the previous ones leave degenerate), ordered by ⟨x²⟩, then ⟨y²⟩, then ⟨z²⟩, descending,
 * and signed so that ⟨χ, e^{β(x+y+z)}⟩ > 0 (β = 4/L). For h_ν this gives exactly the Hermite
 * products of {@link io.hartree.api.fock.OscillatorModes} in its order and signs (P x_d² P = n_d + ½
 * inside a shell; ∫ψ_n(x)e^{βx}dx ∝ βⁿ > 0). A cut M inside a cluster is widened to the whole
 * cluster for the solve and the basis choice, then the first M are returned.
 */
public final class GridEigensolver {
    public static final double DEFAULT_TOL = 1e-10;
    public static final double CLUSTER_TOL = 1e-8;
    public static final int DEGREE = 20;
    private static final int MAX_ITERATIONS = 400;

    private GridEigensolver() {}

    /**
     * The result: the modes, their final residuals ‖hχ_i − θ_iχ_i‖, the filter iterations, the
     * number of products h·f, the final block size and the energy scale s of the tolerance.
     */
    public record Result(GridModes modes, double[] residuals, int iterations, long products, int blockSize, double scale, double[][] block) {}

    /**
     * Solves on {@code op}'s grid, starting from the solution on the half grid (n/2, recursively
     * while n/2 ≥ 16) interpolated by zero-padding its spectrum; the coarse levels stop at residual
     * max(tol, 1e-8)·s.
     */
    public static Result solve(GridOperator op, int m, double tol) {
        return solveBlock(op, m, tol);
    }

    private static Result solveBlock(GridOperator op, int m, double tol) {
        Grid3D grid = op.grid();
        int n3 = grid.hostRealLength();
        ParameterException.require(m >= 1 && m <= 200 && 2 * (m + Math.max(6, m)) < n3, "modes", m, "1 … 200, and fewer than n³/4");
        ParameterException.require(tol >= 1e-14 && tol < 1e-2, "tol", tol, "1e-14 ≤ tol < 1e-2 (relative residual)");
        Solver s = new Solver(op);
        int guard = Math.max(6, m);
        int p = m + guard;
        double[][] x;
        long coarseProducts = 0;
        int nc = grid.n() / 2;
        if (nc >= 16 && nc % 2 == 0 && 2 * p < nc * nc * nc) {
            // Start from the block of the half grid, interpolated spectrally: its vectors are already
            // accurate to the coarse grid's error, so the fine grid needs few filter steps.
            Grid3D coarse = new Grid3D(nc, grid.length());
            Result rc = solveBlock(new GridOperator(coarse, op.operator(), op.transforms()), m, Math.max(tol, 1e-8));
            coarseProducts = rc.products();
            x = new double[rc.block().length][];
            for (int v = 0; v < x.length; v++) x[v] = s.prolong(rc.block()[v], nc);
            p = x.length;
        } else x = s.initial(p, 0);
        s.orthonormalise(x);
        double[][] hx = s.apply(x);
        double[] theta = s.rayleighRitz(x, hx);
        int iterations = 0, meff = m;
        double scale = 1;
        double[] res = null;
        while (true) {
            meff = m;
            scale = Math.max(Math.max(Math.abs(theta[0]), Math.abs(theta[m - 1])), theta[x.length - 1] - theta[0]);
            if (!(scale > 0)) scale = 1;
            while (meff < x.length && theta[meff] - theta[meff - 1] <= CLUSTER_TOL * scale) meff++;
            if (meff > x.length - 2) {
                // The cluster at the cut reaches the block's top: widen the block with fresh vectors.
                double[][] more = s.initial(guard, x.length);
                double[][] nx = Arrays.copyOf(x, x.length + guard);
                System.arraycopy(more, 0, nx, x.length, guard);
                x = nx;
                s.orthonormalise(x);
                hx = s.apply(x);
                theta = s.rayleighRitz(x, hx);
                continue;
            }
            res = s.residuals(x, hx, theta);
            boolean done = true;
            for (int i = 0; i < meff; i++) if (!(res[i] <= tol * scale)) done = false;
            if (done) break;
            if (++iterations > MAX_ITERATIONS)
                throw new ArithmeticException("grid eigensolver: no convergence after " + MAX_ITERATIONS + " filter iterations of degree " + DEGREE
                        + " (largest residual " + max(res, meff) + ", tolerance " + tol * scale + ")");
            double[][] y = s.filter(x, degree(theta, meff, op.upperBound(), max(res, meff) / (tol * scale)), theta[x.length - 1], op.upperBound(), theta[0]);
            s.orthonormalise(y);
            x = y;
            hx = s.apply(x);
            theta = s.rayleighRitz(x, hx);
        }
        double[][] modes = s.shellBasis(Arrays.copyOf(x, meff), Arrays.copyOf(theta, meff), scale);
        modes = Arrays.copyOf(modes, m);
        double[][] hm = s.apply(modes);
        double[] energies = new double[m];
        for (int i = 0; i < m; i++) energies[i] = GridModes.dot(modes[i], hm[i]) * grid.dV();
        double[] finalRes = s.residuals(modes, hm, energies);
        GridModes gm = new GridModes(grid, modes, null, energies, GridModes.parities(grid, modes, null),
                "lowest " + m + " eigenfunctions of h = " + op.operator().kinetic() + "(-Laplacian) + U [" + op.operator().trap().describe()
                        + "] on n = " + grid.n() + ", L = " + grid.length() + " (Chebyshev-filtered subspace iteration, residual <= " + tol + " * " + (float) scale + ")");
        return new Result(gm, finalRes, iterations, s.products + coarseProducts, x.length, scale, x);
    }

    /**
     * The filter degree that should shrink the largest wanted residual by {@code reduction}: the
     * wanted component at θ_{meff−1} grows like e^{d·acosh(t)} against the damped interval, t =
     * (c − θ)/e; at least 4, at most {@value #DEGREE}.
     */
    private static int degree(double[] theta, int meff, double upper, double reduction) {
        double a = theta[theta.length - 1], e = 0.5 * (upper - a), c = 0.5 * (upper + a);
        double t = (c - theta[meff - 1]) / e;
        double rate = t > 1 ? Math.log(t + Math.sqrt(t * t - 1)) : 0;
        if (!(rate > 0) || !(reduction > 1)) return DEGREE;
        return (int) Math.max(4, Math.min(DEGREE, Math.ceil(Math.log(reduction) / rate) + 2));
    }

    private static double max(double[] a, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, a[i]);
        return m;
    }

    private static final class Solver {
        final GridOperator op;
        final Grid3D grid;
        final int n, n3;
        final double dv;
        long products;

        Solver(GridOperator op) {
            this.op = op;
            this.grid = op.grid();
            this.n = grid.n();
            this.n3 = grid.hostRealLength();
            this.dv = grid.dV();
        }

        /**
         * Start vectors {@code first} … {@code first + count − 1}: monomials x^a y^b z^c in order of
         * degree times a Gaussian of width L/8, plus 1e-3 of a seeded random field (so no symmetry
         * sector is missed); deterministic.
         */
        double[][] initial(int count, int first) {
            List<int[]> mono = new ArrayList<>();
            for (int deg = 0; mono.size() < first + count; deg++)
                for (int a = deg; a >= 0; a--)
                    for (int b = deg - a; b >= 0; b--) mono.add(new int[]{a, b, deg - a - b});
            double w = grid.length() / 8;
            Random rnd = new Random(20240613L + first);
            double[][] out = new double[count][n3];
            for (int v = 0; v < count; v++) {
                int[] e = mono.get(first + v);
                double[] f = out[v];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        for (int k = 0; k < n; k++) {
                            double x = grid.x(i) / w, y = grid.x(j) / w, z = grid.x(k) / w;
                            f[(i * n + j) * n + k] = Math.pow(x, e[0]) * Math.pow(y, e[1]) * Math.pow(z, e[2]) * Math.exp(-0.5 * (x * x + y * y + z * z));
                        }
                double norm = Math.sqrt(GridModes.dot(f, f) * dv);
                for (int s = 0; s < n3; s++) f[s] = f[s] / norm + 1e-3 * rnd.nextGaussian() * Math.sqrt(1.0 / (n3 * dv));
            }
            return out;
        }

        /** f on the nc³ grid, interpolated to this grid by its trigonometric polynomial (spectrum zero-padded; the Nyquist plane dropped). */
        double[] prolong(double[] f, int nc) {
            double[] c = new double[2 * nc * nc * nc];
            for (int s = 0; s < f.length; s++) c[2 * s] = f[s];
            op.transforms().dft3(c, nc, nc, nc, io.hartree.api.SplitStepKernels.Dft.FORWARD);
            double[] w = new double[2 * n3];
            int h = nc / 2;
            for (int i = 0; i < nc; i++) {
                if (i == h) continue;
                int fi = i < h ? i : n - nc + i;
                for (int j = 0; j < nc; j++) {
                    if (j == h) continue;
                    int fj = j < h ? j : n - nc + j;
                    for (int k = 0; k < nc; k++) {
                        if (k == h) continue;
                        int fk = k < h ? k : n - nc + k;
                        int src = 2 * ((i * nc + j) * nc + k), dst = 2 * ((fi * n + fj) * n + fk);
                        w[dst] = c[src];
                        w[dst + 1] = c[src + 1];
                    }
                }
            }
            op.transforms().dft3(w, n, n, n, io.hartree.api.SplitStepKernels.Dft.BACKWARD);
            double[] out = new double[n3];
            double scale = 1.0 / ((double) nc * nc * nc);
            for (int s = 0; s < n3; s++) out[s] = w[2 * s] * scale;
            return out;
        }

        double[][] apply(double[][] x) {
            double[][] out = new double[x.length][n3];
            for (int v = 0; v < x.length; v += 2) {
                if (v + 1 < x.length) op.applyReal(x[v], x[v + 1], out[v], out[v + 1]);
                else op.applyReal(x[v], null, out[v], null);
            }
            products += x.length;
            return out;
        }

        /** Orthonormal columns by classical Gram–Schmidt, twice (CGS2). */
        void orthonormalise(double[][] x) {
            for (int pass = 0; pass < 2; pass++)
                for (int a = 0; a < x.length; a++) {
                    double[] c = new double[a];
                    final double[] xa = x[a];
                    for (int b = 0; b < a; b++) c[b] = GridModes.dot(x[b], xa) * dv;
                    for (int b = 0; b < a; b++) {
                        double cb = c[b];
                        double[] xb = x[b];
                        for (int s = 0; s < n3; s++) xa[s] -= cb * xb[s];
                    }
                    double nn = Math.sqrt(GridModes.dot(xa, xa) * dv);
                    if (!(nn > 1e-300)) throw new ArithmeticException("grid eigensolver: block lost rank at vector " + a);
                    for (int s = 0; s < n3; s++) xa[s] /= nn;
                }
        }

        /** Rotates x and hx (in place) to the Ritz vectors of span(x); returns the Ritz values, ascending. */
        double[] rayleighRitz(double[][] x, double[][] hx) {
            int p = x.length;
            double[] g = new double[p * p];
            for (int a = 0; a < p; a++)
                for (int b = a; b < p; b++) {
                    double v = 0.5 * (GridModes.dot(x[a], hx[b]) + GridModes.dot(hx[a], x[b])) * dv;
                    g[a * p + b] = v;
                    g[b * p + a] = v;
                }
            double[] q = new double[p * p];
            double[] theta = HermitianEigen.symmetricEigenvalues(g, p, q);
            rotate(x, q);
            rotate(hx, q);
            return theta;
        }

        /** x ← x·q (columns), in place. */
        void rotate(double[][] x, double[] q) {
            int p = x.length, k = q.length / p;
            double[][] out = new double[k][n3];
            for (int c = 0; c < k; c++)
                for (int a = 0; a < p; a++) {
                    double w = q[a * k + c];
                    if (w == 0) continue;
                    double[] xa = x[a], o = out[c];
                    for (int s = 0; s < n3; s++) o[s] += w * xa[s];
                }
            System.arraycopy(out, 0, x, 0, k);
        }

        double[] residuals(double[][] x, double[][] hx, double[] theta) {
            double[] r = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double acc = 0;
                for (int s = 0; s < n3; s++) {
                    double d = hx[i][s] - theta[i] * x[i][s];
                    acc += d * d;
                }
                r[i] = Math.sqrt(acc * dv);
            }
            return r;
        }

        /** The scaled Chebyshev filter of degree {@code deg} damping [a, b], scaled to 1 at a0 (Zhou et al. 2006, Alg. 4.1). */
        double[][] filter(double[][] x, int deg, double a, double b, double a0) {
            double e = 0.5 * (b - a), c = 0.5 * (b + a);
            double sigma = e / (a0 - c), tau = 2 / sigma;
            double[][] hx = apply(x);
            double[][] y = new double[x.length][n3];
            for (int v = 0; v < x.length; v++)
                for (int s = 0; s < n3; s++) y[v][s] = (hx[v][s] - c * x[v][s]) * (sigma / e);
            double[][] prev = x;
            for (int i = 2; i <= deg; i++) {
                double sigmaNew = 1 / (tau - sigma);
                double[][] hy = apply(y);
                double[][] ynew = hy; // reuse hy's storage for the new iterate
                for (int v = 0; v < x.length; v++)
                    for (int s = 0; s < n3; s++)
                        ynew[v][s] = (hy[v][s] - c * y[v][s]) * (2 * sigmaNew / e) - sigma * sigmaNew * prev[v][s];
                prev = y;
                y = ynew;
                sigma = sigmaNew;
            }
            return y;
        }

        /** Reproducible real basis inside each cluster of (converged) Ritz pairs; see the class description. */
        double[][] shellBasis(double[][] x, double[] theta, double scale) {
            int m = x.length;
            double[][] coord2 = new double[3][n3];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) {
                        int s = (i * n + j) * n + k;
                        coord2[0][s] = grid.x(i) * grid.x(i);
                        coord2[1][s] = grid.x(j) * grid.x(j);
                        coord2[2][s] = grid.x(k) * grid.x(k);
                    }
            double[][] out = new double[m][];
            int start = 0;
            while (start < m) {
                int end = start + 1;
                while (end < m && theta[end] - theta[end - 1] <= CLUSTER_TOL * scale) end++;
                int d = end - start;
                double[][] c = Arrays.copyOfRange(x, start, end);
                if (d > 1) {
                    // The six observables as d×d matrices in the cluster's basis.
                    double[][] ops = new double[6][d * d];
                    double[][][] images = new double[6][][];
                    for (int ax = 0; ax < 3; ax++) {
                        images[ax] = new double[d][];
                        images[3 + ax] = new double[d][n3];
                        for (int b = 0; b < d; b++) {
                            images[ax][b] = GridModes.reflect(grid, c[b], ax);
                            for (int s = 0; s < n3; s++) images[3 + ax][b][s] = coord2[ax][s] * c[b][s];
                        }
                    }
                    for (int o = 0; o < 6; o++)
                        for (int a = 0; a < d; a++)
                            for (int b = a; b < d; b++) {
                                double v = 0.5 * (GridModes.dot(c[a], images[o][b]) + GridModes.dot(images[o][a], c[b])) * dv;
                                ops[o][a * d + b] = v;
                                ops[o][b * d + a] = v;
                            }
                    double[] id = new double[d * d];
                    for (int a = 0; a < d; a++) id[a * d + a] = 1;
                    List<double[]> cols = new ArrayList<>();
                    refine(ops, id, d, d, 0, cols);
                    double[] q = new double[d * d];
                    for (int col = 0; col < d; col++) for (int a = 0; a < d; a++) q[a * d + col] = cols.get(col)[a];
                    rotate(c, q);
                    // Order by ⟨x²⟩, ⟨y²⟩, ⟨z²⟩ descending.
                    double[][] key = new double[d][3];
                    double lscale = grid.length() * grid.length();
                    for (int a = 0; a < d; a++)
                        for (int ax = 0; ax < 3; ax++) {
                            double acc = 0;
                            for (int s = 0; s < n3; s++) acc += coord2[ax][s] * c[a][s] * c[a][s];
                            key[a][ax] = acc * dv;
                        }
                    Integer[] order = new Integer[d];
                    for (int a = 0; a < d; a++) order[a] = a;
                    Arrays.sort(order, (u, v) -> {
                        for (int ax = 0; ax < 3; ax++) {
                            double diff = key[u][ax] - key[v][ax];
                            if (Math.abs(diff) > 1e-6 * lscale) return diff > 0 ? -1 : 1;
                        }
                        return 0;
                    });
                    double[][] sorted = new double[d][];
                    for (int a = 0; a < d; a++) sorted[a] = c[order[a]];
                    c = sorted;
                }
                for (int a = 0; a < d; a++) {
                    sign(c[a]);
                    out[start + a] = c[a];
                }
                start = end;
            }
            return out;
        }

        /** Eigenvectors of ops[level] inside span(q's k columns), recursing into its degenerate groups. */
        void refine(double[][] ops, double[] q, int d, int k, int level, List<double[]> out) {
            if (k == 1 || level == ops.length) {
                for (int col = 0; col < k; col++) {
                    double[] v = new double[d];
                    for (int a = 0; a < d; a++) v[a] = q[a * k + col];
                    out.add(v);
                }
                return;
            }
            double[] op = ops[level];
            double[] b = new double[k * k];
            for (int u = 0; u < k; u++)
                for (int w = 0; w < k; w++) {
                    double acc = 0;
                    for (int a = 0; a < d; a++)
                        for (int c = 0; c < d; c++) acc += q[a * k + u] * op[a * d + c] * q[c * k + w];
                    b[u * k + w] = acc;
                }
            double[] vec = new double[k * k];
            double[] val = HermitianEigen.symmetricEigenvalues(b, k, vec);
            double span = Math.max(1, Math.max(Math.abs(val[0]), Math.abs(val[k - 1])));
            int g0 = 0;
            while (g0 < k) {
                int g1 = g0 + 1;
                while (g1 < k && val[g1] - val[g1 - 1] <= 1e-6 * span) g1++;
                int kg = g1 - g0;
                double[] qg = new double[d * kg];
                for (int a = 0; a < d; a++)
                    for (int col = 0; col < kg; col++) {
                        double acc = 0;
                        for (int u = 0; u < k; u++) acc += q[a * k + u] * vec[u * k + g0 + col];
                        qg[a * kg + col] = acc;
                    }
                refine(ops, qg, d, kg, level + 1, out);
                g0 = g1;
            }
        }

        /** Signs χ so that ⟨χ, e^{β(x+y+z)}⟩ > 0, β = 4/L; where that overlap vanishes, so that χ is positive at its first largest point. */
        void sign(double[] f) {
            double beta = 4 / grid.length();
            double[] e1 = new double[n];
            for (int j = 0; j < n; j++) e1[j] = Math.exp(beta * grid.x(j));
            double acc = 0, wn = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) {
                        double w = e1[i] * e1[j] * e1[k];
                        acc += w * f[(i * n + j) * n + k];
                        wn += w * w;
                    }
            double s = acc * dv / Math.sqrt(wn * dv);
            boolean flip;
            if (Math.abs(s) > 1e-10) flip = s < 0;
            else {
                double mx = 0;
                for (double v : f) mx = Math.max(mx, Math.abs(v));
                int at = 0;
                while (Math.abs(f[at]) < (1 - 1e-6) * mx) at++;
                flip = f[at] < 0;
            }
            if (flip) for (int s2 = 0; s2 < n3; s2++) f[s2] = -f[s2];
        }
    }
}
