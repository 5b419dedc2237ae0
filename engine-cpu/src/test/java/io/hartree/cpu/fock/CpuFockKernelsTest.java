package io.hartree.cpu.fock;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class CpuFockKernelsTest {
    /** LAPACK/BLAS in double on 10–16-dimensional problems of norm O(10): backward-stable round-off. */
    static final double LAPACK = 1e-12;
    /** Padé-13 with up to 4 squarings vs eigendecomposition, entries O(1). */
    static final double PADE = 1e-11;

    final CpuFockKernels k = new CpuFockKernels();

    static double[] randomHermitian(int n, long seed, boolean real) {
        Random r = new Random(seed);
        double[] a = new double[2 * n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                double x = r.nextGaussian(), y = i == j || real ? 0 : r.nextGaussian();
                a[2 * (i * n + j)] = x; a[2 * (i * n + j) + 1] = y;
                a[2 * (j * n + i)] = x; a[2 * (j * n + i) + 1] = -y;
            }
        return a;
    }

    static double maxDiff(double[] a, double[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
        return w;
    }

    @Test
    void pade13MatchesTheEigendecompositionOnAHermitianGenerator() {
        int n = 16;
        double[] h = randomHermitian(n, 4, false);
        double t = 3.0; // ‖tH‖₁ ≈ 40: three or four squarings
        double[] a = new double[h.length];
        for (int i = 0; i < h.length; i += 2) { a[i] = t * h[i + 1]; a[i + 1] = -t * h[i]; } // −itH
        double[] viaPade = k.expm(a, n);
        double[] viaEig = k.expHermitian(h, n, t);
        assertTrue(maxDiff(viaPade, viaEig) < PADE, "Padé-13 vs eig: " + maxDiff(viaPade, viaEig));
    }

    @Test
    void pade13OnNonNormalMatricesMatchesClosedForms() {
        // Nilpotent: e^{aN} = I + aN + a²N²/2 for the 3×3 shift N.
        double a = 7;
        double[] nil = new double[18];
        nil[2 * 1] = a; nil[2 * 5] = a;
        double[] e = k.expm(nil, 3);
        double[] expect = new double[18];
        for (int i = 0; i < 3; i++) expect[2 * (i * 3 + i)] = 1;
        expect[2 * 1] = a; expect[2 * 5] = a; expect[2 * 2] = a * a / 2;
        assertTrue(maxDiff(e, expect) < 1e-12 * a * a, "nilpotent: " + maxDiff(e, expect));
        // Upper triangular [[p, b], [0, q]]: e^A = [[e^p, b(e^p − e^q)/(p − q)], [0, e^q]], ‖A‖ ≈ 40 (squarings).
        double pr = -3, pi = 2, qr = 1.5, qi = -1, b = 40;
        double[] tri = {pr, pi, b, 0, 0, 0, qr, qi};
        double[] got = k.expm(tri, 2);
        double epR = Math.exp(pr) * Math.cos(pi), epI = Math.exp(pr) * Math.sin(pi);
        double eqR = Math.exp(qr) * Math.cos(qi), eqI = Math.exp(qr) * Math.sin(qi);
        double nr = epR - eqR, ni = epI - eqI, dr = pr - qr, di = pi - qi, den = dr * dr + di * di;
        double offR = b * (nr * dr + ni * di) / den, offI = b * (ni * dr - nr * di) / den;
        double[] ref = {epR, epI, offR, offI, 0, 0, eqR, eqI};
        assertTrue(maxDiff(got, ref) < 1e-12 * 40, "triangular: " + maxDiff(got, ref));
    }
}
