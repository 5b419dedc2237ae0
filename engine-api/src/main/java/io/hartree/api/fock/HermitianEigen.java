package io.hartree.api.fock;

import java.util.Arrays;

/**
 * Eigenvalues of small Hermitian matrices (γ^(1), γ^(2), differences of marginals) in pure Java,
 * so that observables need no backend. A Hermitian A = B + iC acts on R^{2M} as the real
 * symmetric [[B, −C], [C, B]], whose spectrum is that of A with every eigenvalue doubled; the
 * real matrix is diagonalised by cyclic Jacobi rotations (accurate to a few ulps of ‖A‖, cost
 * O(M³) per sweep, ≤ 50 sweeps). Intended for M ≤ a few hundred.
 */
public final class HermitianEigen {
    private HermitianEigen() {}

    /** Eigenvalues of the Hermitian n×n matrix {@code a} (interleaved, row-major), ascending. */
    public static double[] eigenvalues(double[] a, int n) {
        int n2 = 2 * n;
        double[] s = new double[n2 * n2];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                // Symmetrise explicitly so that round-off in a nearly Hermitian input cannot break Jacobi.
                double re = 0.5 * (a[2 * (i * n + j)] + a[2 * (j * n + i)]);
                double im = 0.5 * (a[2 * (i * n + j) + 1] - a[2 * (j * n + i) + 1]);
                s[i * n2 + j] = re;
                s[(i + n) * n2 + j + n] = re;
                s[(i + n) * n2 + j] = im;
                s[i * n2 + j + n] = -im;
            }
        double[] w = symmetricEigenvalues(s, n2, null);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = 0.5 * (w[2 * i] + w[2 * i + 1]);
        return out;
    }

    /**
     * Eigenvalues (ascending) of the real symmetric n×n {@code s} (destroyed); when {@code vectors}
     * is non-null (n×n) it receives the eigenvectors as columns, in the order of the values.
     */
    public static double[] symmetricEigenvalues(double[] s, int n, double[] vectors) {
        double[] v = vectors == null ? null : vectors;
        if (v != null) { Arrays.fill(v, 0); for (int i = 0; i < n; i++) v[i * n + i] = 1; }
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++) {
                diag += s[i * n + i] * s[i * n + i];
                for (int j = i + 1; j < n; j++) off += s[i * n + j] * s[i * n + j];
            }
            if (off <= 1e-32 * Math.max(diag, 1e-300)) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) {
                    double apq = s[p * n + q];
                    if (apq == 0) continue;
                    double app = s[p * n + p], aqq = s[q * n + q];
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), sn = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = s[k * n + p], akq = s[k * n + q];
                        s[k * n + p] = c * akp - sn * akq;
                        s[k * n + q] = sn * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = s[p * n + k], aqk = s[q * n + k];
                        s[p * n + k] = c * apk - sn * aqk;
                        s[q * n + k] = sn * apk + c * aqk;
                    }
                    if (v != null)
                        for (int k = 0; k < n; k++) {
                            double vkp = v[k * n + p], vkq = v[k * n + q];
                            v[k * n + p] = c * vkp - sn * vkq;
                            v[k * n + q] = sn * vkp + c * vkq;
                        }
                }
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = s[i * n + i];
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (x, y) -> Double.compare(w[x], w[y]));
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = w[idx[i]];
        if (v != null) {
            double[] copy = v.clone();
            for (int i = 0; i < n; i++)
                for (int k = 0; k < n; k++) v[k * n + i] = copy[k * n + idx[i]];
        }
        return out;
    }

    /** Tr|A − B| = Σ |λ_i(A − B)| for Hermitian n×n A, B (the trace norm of DESIGN §3). */
    public static double traceDistance(double[] a, double[] b, int n) {
        double[] d = new double[2 * n * n];
        for (int i = 0; i < d.length; i++) d[i] = a[i] - b[i];
        double s = 0;
        for (double x : eigenvalues(d, n)) s += Math.abs(x);
        return s;
    }
}
