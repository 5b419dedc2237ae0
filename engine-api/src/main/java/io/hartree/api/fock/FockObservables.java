package io.hartree.api.fock;

import io.hartree.api.ParameterException;

import java.util.stream.IntStream;

/**
 * Observables of a state ψ on a sector (interleaved complex, length 2·dim). Marginals are
 * normalised to trace 1 as in the paper (DESIGN §3):
 * γ^(1)_ij = ⟨a_j†a_i⟩/N and γ^(2)_{(ij),(kl)} = ⟨a_k†a_l†a_j a_i⟩/(N(N−1)), i.e. the kernels
 * γ(x; y) = ⟨a†(y)a(x)⟩/N. (The SciPy peer prints ⟨a_i†a_j⟩/N, the transpose.) All matrices
 * are interleaved complex, row-major.
 */
public final class FockObservables {
    private FockObservables() {}

    /** ‖ψ‖₂. */
    public static double norm(double[] psi) {
        double s = 0;
        for (double x : psi) s += x * x;
        return Math.sqrt(s);
    }

    /** E = Re⟨ψ, Hψ⟩ / ‖ψ‖². */
    public static double energy(FockOperator h, double[] psi) {
        double[] y = new double[psi.length];
        h.apply(psi, y);
        double e = 0, nn = 0;
        for (int i = 0; i < psi.length; i++) { e += psi[i] * y[i]; nn += psi[i] * psi[i]; }
        return e / nn;
    }

    /**
     * γ^(1)_ij = ⟨ψ, a_j†a_i ψ⟩ / (N ‖ψ‖²), an M×M Hermitian matrix of trace 1. Parallel over
     * blocks of states with per-block sums (no atomics).
     */
    public static double[] gamma1(FockSector sector, double[] psi) {
        int m = sector.modes(), n = sector.particles(), dim = sector.vectorDimension();
        ParameterException.require(n >= 1, "particles", n, "≥ 1 for γ^(1)");
        double[] sq = sqrtTable(n + 2);
        int blocks = Math.max(1, Math.min(256, dim / 2048));
        double[] g = IntStream.range(0, blocks).parallel().mapToObj(b -> {
            int r0 = (int) ((long) dim * b / blocks), r1 = (int) ((long) dim * (b + 1) / blocks);
            double[] acc = new double[2 * m * m];
            FockSector.Cursor cur = sector.cursor(r0);
            int[] occ = cur.occupations();
            for (int r = r0; r < r1; r++) {
                double xr = psi[2 * r], xi = psi[2 * r + 1];
                if (xr != 0 || xi != 0) {
                    double p = xr * xr + xi * xi;
                    for (int i = 0; i < m; i++) {
                        int ni = occ[i];
                        if (ni == 0) continue;
                        acc[2 * (i * m + i)] += p * ni;
                        for (int j = 0; j < m; j++) {
                            if (j == i) continue;
                            long t = cur.hop(j, i);
                            if (t < 0) continue;
                            // ⟨a_j†a_i⟩ gets conj(ψ_t) · √(n_i(n_j+1)) · ψ_r, t = rank of a_j†a_i|n⟩.
                            double amp = sq[ni] * sq[occ[j] + 1];
                            double yr = psi[2 * (int) t], yi = psi[2 * (int) t + 1];
                            acc[2 * (i * m + j)] += amp * (yr * xr + yi * xi);
                            acc[2 * (i * m + j) + 1] += amp * (yr * xi - yi * xr);
                        }
                    }
                }
                if (r + 1 < r1) cur.next();
            }
            return acc;
        }).reduce(FockObservables::add).orElseThrow();
        double nn = 0;
        for (double x : psi) nn += x * x;
        for (int i = 0; i < g.length; i++) g[i] /= n * nn;
        return g;
    }

    /** Whether γ^(2) (M⁴ entries, cost dim·M⁴) is affordable: dim·M⁴ ≤ 2·10⁹ and M ≤ 32. */
    public static boolean gamma2Affordable(FockSector sector) {
        long m = sector.modes();
        return m <= 32 && sector.dimension() * m * m * m * m <= 2_000_000_000L;
    }

    /**
     * γ^(2)_{(ij),(kl)} = ⟨a_k†a_l†a_j a_i⟩ / (N(N−1)‖ψ‖²), an M²×M² Hermitian matrix of trace 1
     * (row index i·M + j, column k·M + l). Throws when not {@link #gamma2Affordable}.
     */
    public static double[] gamma2(FockSector sector, double[] psi) {
        int m = sector.modes(), n = sector.particles(), dim = sector.vectorDimension();
        ParameterException.require(n >= 2, "particles", n, "≥ 2 for γ^(2)");
        if (!gamma2Affordable(sector)) throw new ParameterException("gamma2", sector.describe(), "dim·M⁴ ≤ 2e9 and M ≤ 32");
        int m2 = m * m;
        double[] sq = sqrtTable(n + 3);
        int blocks = Math.max(1, Math.min(256, dim / 512));
        double[] g = IntStream.range(0, blocks).parallel().mapToObj(b -> {
            int r0 = (int) ((long) dim * b / blocks), r1 = (int) ((long) dim * (b + 1) / blocks);
            double[] acc = new double[2 * m2 * m2];
            FockSector.Cursor cur = sector.cursor(r0);
            int[] occ = cur.occupations();
            for (int r = r0; r < r1; r++) {
                double xr = psi[2 * r], xi = psi[2 * r + 1];
                if (xr != 0 || xi != 0) {
                    for (int i = 0; i < m; i++) {
                        if (occ[i] == 0) continue;
                        for (int j = 0; j < m; j++) {
                            int nj = occ[j] - (j == i ? 1 : 0);
                            if (nj <= 0) continue;
                            double a1 = sq[occ[i]] * sq[nj];
                            for (int k = 0; k < m; k++) {
                                int nk = occ[k] - (k == i ? 1 : 0) - (k == j ? 1 : 0) + 1;
                                for (int l = 0; l < m; l++) {
                                    int nl = occ[l] - (l == i ? 1 : 0) - (l == j ? 1 : 0) + (l == k ? 1 : 0) + 1;
                                    long t = cur.hop2(k, l, i, j);
                                    if (t < 0) continue;
                                    double amp = a1 * sq[nk] * sq[nl];
                                    double yr = psi[2 * (int) t], yi = psi[2 * (int) t + 1];
                                    int idx = 2 * ((i * m + j) * m2 + k * m + l);
                                    acc[idx] += amp * (yr * xr + yi * xi);
                                    acc[idx + 1] += amp * (yr * xi - yi * xr);
                                }
                            }
                        }
                    }
                }
                if (r + 1 < r1) cur.next();
            }
            return acc;
        }).reduce(FockObservables::add).orElseThrow();
        double nn = 0;
        for (double x : psi) nn += x * x;
        double f = (double) n * (n - 1) * nn;
        for (int i = 0; i < g.length; i++) g[i] /= f;
        return g;
    }

    /** Natural occupations: the eigenvalues of γ^(1), descending. */
    public static double[] naturalOccupations(double[] gamma, int m) {
        double[] w = HermitianEigen.eigenvalues(gamma, m);
        double[] out = new double[m];
        for (int i = 0; i < m; i++) out[i] = w[m - 1 - i];
        return out;
    }

    /** Number of natural occupations above {@code threshold} (the numerical rank of γ). */
    public static int rank(double[] occupations, double threshold) {
        int r = 0;
        for (double x : occupations) if (x > threshold) r++;
        return r;
    }

    /** |c⟩⟨c| / ‖c‖² as an M×M interleaved matrix. */
    public static double[] projector(double[] c) {
        int m = c.length / 2;
        double nn = 0;
        for (double x : c) nn += x * x;
        double[] p = new double[2 * m * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                p[2 * (i * m + j)] = (c[2 * i] * c[2 * j] + c[2 * i + 1] * c[2 * j + 1]) / nn;
                p[2 * (i * m + j) + 1] = (c[2 * i + 1] * c[2 * j] - c[2 * i] * c[2 * j + 1]) / nn;
            }
        return p;
    }

    /**
     * The phase-averaged marginal of a fragmented state, (3.15): for occupations n_σ = N_σ/N of
     * the spin components and a spatial orbital c_t (length 2M_s), γ_∞ = Σ_σ n_σ |c_t⟩⟨c_t| ⊗ |σ⟩⟨σ|
     * on the 2M_s modes of a {@link SpinSector} (mode σ·M_s + s).
     */
    public static double[] phaseAveraged(double[] spatial, double nUp, double nDown) {
        int ms = spatial.length / 2, m = 2 * ms;
        double[] p = projector(spatial);
        double[] g = new double[2 * m * m];
        for (int s = 0; s < 2; s++) {
            double w = s == 0 ? nUp : nDown;
            for (int i = 0; i < ms; i++)
                for (int j = 0; j < ms; j++) {
                    int dst = 2 * ((s * ms + i) * m + s * ms + j), src = 2 * (i * ms + j);
                    g[dst] = w * p[src];
                    g[dst + 1] = w * p[src + 1];
                }
        }
        return g;
    }

    private static double[] add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        return a;
    }

    private static double[] sqrtTable(int n) {
        double[] s = new double[n + 1];
        for (int k = 0; k <= n; k++) s[k] = Math.sqrt(k);
        return s;
    }

    /** Max |A_ij − conj(A_ji)|: 0 for a Hermitian matrix. */
    public static double hermiticityDefect(double[] a, int m) {
        double w = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                w = Math.max(w, Math.hypot(a[2 * (i * m + j)] - a[2 * (j * m + i)], a[2 * (i * m + j) + 1] + a[2 * (j * m + i) + 1]));
        return w;
    }

    /** Trace Σ_i A_ii (real part). */
    public static double trace(double[] a, int m) {
        double t = 0;
        for (int i = 0; i < m; i++) t += a[2 * (i * m + i)];
        return t;
    }

}
