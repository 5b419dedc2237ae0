package io.hartree.api.fragment;

import io.hartree.api.ParameterException;
import io.hartree.api.fock.HermitianEigen;

import java.util.stream.IntStream;

/**
 * A weighted ensemble of one-body states φ^a (a = 1 … S) and its marginals
 * γ^(k) = Σ_a w_a |(φ^a)^{⊗k}⟩⟨(φ^a)^{⊗k}|, the quadrature of (3.15) (trace 1 when Σ w_a = 1 and
 * ‖φ^a‖ = 1). The states are vectors with the inner product ⟨u, v⟩ = vol · Σ conj(u_i) v_i:
 * grid functions (vol = dx³, interleaved complex, length 2n³) or coefficients in an orthonormal
 * mode basis (vol = 1, length 2M).
 *
 * <p><b>Without the grid operator.</b> With A the map e_a ↦ √w_a (φ^a)^{⊗k}, γ^(k) = AA† while the
 * Gram matrix G^(k) = A†A has entries G_ab = √(w_a w_b) ⟨φ^a, φ^b⟩^k (since ⟨φ^{⊗k}, ψ^{⊗k}⟩ =
 * ⟨φ, ψ⟩^k). AA† and A†A have the same non-zero eigenvalues, so the natural occupations of γ^(k)
 * are those of the S×S matrix G^(k), and an eigenvector u of G with eigenvalue λ gives the natural
 * orbital (of γ^(1)) Σ_a u_a √w_a φ^a / √λ. The trace distance between two ensembles, or to a marginal given in a mode basis, is computed in the coordinates
 * of an orthonormal basis of the one-body span of the states ({@link #coordinates}).
 */
public final class PhaseEnsemble {
    /** The largest d^k (d the dimension of the one-body span) for a trace distance, O((d^k)³) Jacobi. */
    public static final int MAX_FAMILY = 512;

    private final double[][] samples;
    private final double[] weights;
    private final double volume;
    private double[] overlaps;

    /**
     * @param samples the states φ^a (not copied: do not modify), all of one even length
     * @param weights w_a ≥ 0, one per state
     * @param volume  vol &gt; 0 of the inner product (dx³ on a grid, 1 for mode coefficients)
     */
    public PhaseEnsemble(double[][] samples, double[] weights, double volume) {
        ParameterException.require(samples != null && samples.length >= 1, "samples", samples == null ? "null" : 0, ">= 1 state");
        ParameterException.require(weights != null && weights.length == samples.length, "weights", weights == null ? "null" : weights.length, samples.length + " weights");
        ParameterException.require(volume > 0 && Double.isFinite(volume), "volume", volume, "finite > 0");
        int len = samples[0].length;
        ParameterException.require(len >= 2 && len % 2 == 0, "samples", len, "interleaved complex vectors");
        for (double[] s : samples) ParameterException.require(s.length == len, "samples", s.length, "all of length " + len);
        for (double w : weights) ParameterException.require(w >= 0 && Double.isFinite(w), "weights", w, "finite w >= 0");
        this.samples = samples;
        this.weights = weights.clone();
        this.volume = volume;
    }

    public int size() { return samples.length; }

    /** Complex length of each state (n³ or M). */
    public int dimension() { return samples[0].length / 2; }

    public double volume() { return volume; }

    /** w_a (a copy). */
    public double[] weights() { return weights.clone(); }

    /** The state φ^a (shared: do not modify). */
    public double[] sample(int a) { return samples[a]; }

    /** ⟨u, v⟩ = vol Σ conj(u_i) v_i, as {re, im}. */
    public static double[] inner(double[] u, double[] v, double volume) {
        double re = 0, im = 0;
        for (int i = 0; i < u.length; i += 2) {
            re += u[i] * v[i] + u[i + 1] * v[i + 1];
            im += u[i] * v[i + 1] - u[i + 1] * v[i];
        }
        return new double[]{re * volume, im * volume};
    }

    /** P_ab = ⟨φ^a, φ^b⟩, S×S interleaved (computed once; parallel over rows). */
    public double[] overlaps() {
        if (overlaps == null) overlaps = crossOverlaps(samples, samples, volume);
        return overlaps;
    }

    /** C_pa = ⟨u_p, v_a⟩ for two families (rows u, columns v), interleaved. */
    static double[] crossOverlaps(double[][] u, double[][] v, double volume) {
        int p = u.length, q = v.length;
        double[] c = new double[2 * p * q];
        IntStream.range(0, p).parallel().forEach(i -> {
            for (int j = 0; j < q; j++) {
                double[] z = inner(u[i], v[j], volume);
                c[2 * (i * q + j)] = z[0];
                c[2 * (i * q + j) + 1] = z[1];
            }
        });
        return c;
    }

    /** G^(k)_ab = √(w_a w_b) ⟨φ^a, φ^b⟩^k, S×S interleaved. */
    public double[] gram(int k) {
        ParameterException.require(k >= 1 && k <= 16, "k", k, "1 <= k <= 16");
        double[] p = power(overlaps(), k);
        int s = size();
        for (int a = 0; a < s; a++)
            for (int b = 0; b < s; b++) {
                double f = Math.sqrt(weights[a] * weights[b]);
                p[2 * (a * s + b)] *= f;
                p[2 * (a * s + b) + 1] *= f;
            }
        return p;
    }

    /** The natural occupations of γ^(k): the eigenvalues of {@link #gram(int)}, descending (S values; the zeros of γ beyond S are omitted). */
    public double[] occupations(int k) {
        double[] w = HermitianEigen.eigenvalues(gram(k), size());
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) out[i] = w[w.length - 1 - i];
        return out;
    }

    /**
     * The leading {@code count} natural orbitals of γ^(1), in the representation of the samples
     * (grid functions or mode coefficients), each normalised: χ_m = Σ_a u_a √w_a φ^a / √λ_m for
     * the eigenpairs (λ_m, u) of G^(1), descending λ. Refused for λ_m ≤ 1e-13 (no orbital).
     */
    public double[][] orbitals(int count) {
        ParameterException.require(count >= 1 && count <= size(), "count", count, "1.." + size());
        HermitianEigenpairs.Result e = HermitianEigenpairs.of(gram(1), size());
        double[][] out = new double[count][];
        int len = samples[0].length;
        for (int m = 0; m < count; m++) {
            double lam = e.values()[m];
            ParameterException.require(lam > 1e-13, "count", count, "orbitals with occupation > 1e-13 (occupation " + (m + 1) + " is " + lam + ")");
            double[] u = e.vectors()[m];
            double[] chi = new double[len];
            for (int a = 0; a < size(); a++) {
                double f = Math.sqrt(weights[a] / lam), cr = u[2 * a] * f, ci = u[2 * a + 1] * f;
                double[] ph = samples[a];
                for (int i = 0; i < len; i += 2) {
                    chi[i] += cr * ph[i] - ci * ph[i + 1];
                    chi[i + 1] += cr * ph[i + 1] + ci * ph[i];
                }
            }
            out[m] = chi;
        }
        return out;
    }

    /**
     * γ^(k) as a dense M^k × M^k matrix when the samples are mode coefficients (length 2M):
     * Σ_a w_a c^{⊗k} (c^{⊗k})†, row index i₁M^{k−1} + … + i_k (the layout of
     * {@code FockObservables.gamma1/gamma2}: γ^(2)_{(ij),(kl)} = ⟨a_k†a_l†a_j a_i⟩/(N(N−1))).
     */
    public double[] matrix(int k) {
        int m = dimension();
        ParameterException.require(k >= 1 && Math.pow(m, 2 * k) <= 1 << 24, "k", k, "M^(2k) <= 2^24 entries (M = " + m + ")");
        int d = (int) Math.round(Math.pow(m, k));
        double[] g = new double[2 * d * d];
        for (int a = 0; a < size(); a++) {
            double[] v = tensorPower(samples[a], k);
            double w = weights[a];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) {
                    g[2 * (i * d + j)] += w * (v[2 * i] * v[2 * j] + v[2 * i + 1] * v[2 * j + 1]);
                    g[2 * (i * d + j) + 1] += w * (v[2 * i + 1] * v[2 * j] - v[2 * i] * v[2 * j + 1]);
                }
        }
        return g;
    }

    /**
     * Tr|γ_ref^(k) − γ^(k)|, where γ_ref^(k) = Σ_IJ Γ_IJ |χ_I⟩⟨χ_J| is given in a mode basis
     * (χ_I = χ_{i₁} ⊗ … ⊗ χ_{i_k}, the layout of {@link #matrix(int)}, M^k × M^k interleaved): a
     * many-body marginal from {@code FockObservables}. {@code modes} are the mode functions in
     * the representation of the samples (grid functions), or null when the samples are already
     * coefficients in that basis. Both operators are written in an orthonormal basis of the
     * one-body span of {χ_i} ∪ {φ^a} ({@link #coordinates}), of dimension d ≤ M + S, and the
     * d^k × d^k difference is diagonalised: no grid operator.
     */
    public double traceDistance(int k, double[] reference, double[][] modes) {
        int m = modes == null ? dimension() : modes.length;
        ParameterException.require(k >= 1 && k <= 4, "k", k, "1 <= k <= 4");
        int dm = (int) Math.round(Math.pow(m, k));
        ParameterException.require(reference != null && reference.length == 2 * dm * dm, "reference", reference == null ? "null" : reference.length / 2, dm + "x" + dm + " complex entries");
        double[][] basis = modes;
        if (modes == null) {
            basis = new double[m][2 * m];
            for (int i = 0; i < m; i++) basis[i][2 * i] = 1;
        } else {
            for (double[] x : modes) ParameterException.require(x.length == samples[0].length, "modes", x.length / 2, "functions of " + dimension() + " points");
        }
        double[][] all = new double[m + size()][];
        System.arraycopy(basis, 0, all, 0, m);
        System.arraycopy(samples, 0, all, m, size());
        double[][] y = coordinates(all, volume);
        int d = y[0].length / 2;
        int dk = checkFamily(d, k);
        // T: d^k × M^k, column I = coordinates of χ_I; Γ_coord = T Γ T†
        double[][] cols = new double[dm][];
        int[] ii = new int[k];
        for (int i = 0; i < dm; i++) {
            digits(i, m, ii);
            double[] v = y[ii[0]];
            for (int t = 1; t < k; t++) v = kron(v, y[ii[t]]);
            cols[i] = v;
        }
        double[] diff = new double[2 * dk * dk];
        // T Γ T† = Σ_IJ Γ_IJ col_I col_J†
        for (int i = 0; i < dm; i++)
            for (int j = 0; j < dm; j++) {
                double gr = reference[2 * (i * dm + j)], gi = reference[2 * (i * dm + j) + 1];
                if (gr == 0 && gi == 0) continue;
                addOuter(diff, cols[i], cols[j], gr, gi, dk);
            }
        for (int a = 0; a < size(); a++) {
            double[] v = tensorPower(y[m + a], k);
            addOuter(diff, v, v, -weights[a], 0, dk);
        }
        return traceNormOf(diff, dk);
    }

    /** Tr|γ_A^(k) − γ_B^(k)| of two ensembles of states of the same representation. */
    public static double traceDistance(int k, PhaseEnsemble a, PhaseEnsemble b) {
        ParameterException.require(a.samples[0].length == b.samples[0].length && a.volume == b.volume, "ensembles", b.dimension(), "the same representation as the first");
        int sa = a.size(), sb = b.size(), n = sa + sb;
        double[][] all = new double[n][];
        double[] coeff = new double[n];
        for (int i = 0; i < sa; i++) { all[i] = a.samples[i]; coeff[i] = a.weights[i]; }
        for (int i = 0; i < sb; i++) { all[sa + i] = b.samples[i]; coeff[sa + i] = -b.weights[i]; }
        return combinationNorm(k, all, coeff, a.volume);
    }

    /** Tr|Σ_a c_a |(φ^a)^{⊗k}⟩⟨(φ^a)^{⊗k}|| for real coefficients c_a of either sign, in the coordinates of the span. */
    static double combinationNorm(int k, double[][] states, double[] coeff, double volume) {
        double[][] y = coordinates(states, volume);
        int dk = checkFamily(y[0].length / 2, k);
        double[] x = new double[2 * dk * dk];
        for (int a = 0; a < states.length; a++) {
            if (coeff[a] == 0) continue;
            double[] v = tensorPower(y[a], k);
            addOuter(x, v, v, coeff[a], 0, dk);
        }
        return traceNormOf(x, dk);
    }

    private static int checkFamily(int d, int k) {
        double dk = Math.pow(d, k);
        ParameterException.require(dk <= MAX_FAMILY, "k", k, "d^k <= " + MAX_FAMILY + " for the trace distance (span of dimension d = " + d + ")");
        return (int) Math.round(dk);
    }

    /**
     * Coordinates of each vector in an orthonormal basis of their span, built by Gram–Schmidt
     * on the vectors themselves in order (two passes; a vector whose residual is below 1e-13 of
     * its norm adds nothing). Forming the residuals explicitly, rather than from a Gram matrix,
     * keeps the small directions accurate to round-off instead of to its square root.
     */
    static double[][] coordinates(double[][] vectors, double volume) {
        java.util.List<double[]> basis = new java.util.ArrayList<>();
        for (double[] v : vectors) {
            double nv = Math.sqrt(inner(v, v, volume)[0]);
            if (nv == 0) continue;
            double[] r = v.clone();
            for (int pass = 0; pass < 2; pass++)
                for (double[] e : basis) {
                    double[] z = inner(e, r, volume);
                    for (int i = 0; i < r.length; i += 2) {
                        r[i] -= z[0] * e[i] - z[1] * e[i + 1];
                        r[i + 1] -= z[0] * e[i + 1] + z[1] * e[i];
                    }
                }
            double nr = Math.sqrt(inner(r, r, volume)[0]);
            if (nr > 1e-13 * nv) {
                for (int i = 0; i < r.length; i++) r[i] /= nr;
                basis.add(r);
            }
        }
        double[][] e = basis.toArray(new double[0][]);
        double[] c = crossOverlaps(e, vectors, volume); // d × n
        int d = e.length, n = vectors.length;
        double[][] y = new double[n][2 * d];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < d; b++) {
                y[a][2 * b] = c[2 * (b * n + a)];
                y[a][2 * b + 1] = c[2 * (b * n + a) + 1];
            }
        return y;
    }

    /** x += (gr + i gi) u v†. */
    private static void addOuter(double[] x, double[] u, double[] v, double gr, double gi, int d) {
        for (int i = 0; i < d; i++) {
            double ar = gr * u[2 * i] - gi * u[2 * i + 1], ai = gr * u[2 * i + 1] + gi * u[2 * i];
            if (ar == 0 && ai == 0) continue;
            for (int j = 0; j < d; j++) {
                double br = v[2 * j], bi = -v[2 * j + 1];
                x[2 * (i * d + j)] += ar * br - ai * bi;
                x[2 * (i * d + j) + 1] += ar * bi + ai * br;
            }
        }
    }

    private static double traceNormOf(double[] x, int d) {
        double sum = 0;
        for (double v : HermitianEigen.eigenvalues(x, d)) sum += Math.abs(v);
        return sum;
    }

    static double[] kron(double[] a, double[] b) {
        int na = a.length / 2, nb = b.length / 2;
        double[] w = new double[2 * na * nb];
        for (int i = 0; i < na; i++)
            for (int j = 0; j < nb; j++) {
                w[2 * (i * nb + j)] = a[2 * i] * b[2 * j] - a[2 * i + 1] * b[2 * j + 1];
                w[2 * (i * nb + j) + 1] = a[2 * i] * b[2 * j + 1] + a[2 * i + 1] * b[2 * j];
            }
        return w;
    }

    /** Entrywise k-th power of an interleaved complex array. */
    static double[] power(double[] p, int k) {
        double[] out = p.clone();
        for (int i = 0; i < p.length; i += 2) {
            double re = p[i], im = p[i + 1], rr = re, ri = im;
            for (int t = 1; t < k; t++) {
                double nr = rr * re - ri * im;
                ri = rr * im + ri * re;
                rr = nr;
            }
            out[i] = rr;
            out[i + 1] = ri;
        }
        return out;
    }

    /** c^{⊗k}, index i₁M^{k−1} + … + i_k. */
    static double[] tensorPower(double[] c, int k) {
        double[] v = c;
        for (int t = 1; t < k; t++) v = kron(v, c);
        return v;
    }

    private static void digits(int index, int m, int[] out) {
        for (int t = out.length - 1; t >= 0; t--) { out[t] = index % m; index /= m; }
    }
}
