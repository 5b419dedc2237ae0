package io.hartree.api.fock;

import io.hartree.api.model.Grid3D;
import io.hartree.api.model.Interaction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class OscillatorModesTest {
    /** The target: spectral accuracy of the padded FFT convolution on the default 48³ grid, box 12. */
    static final double INTEGRAL_TOL = 1e-8;

    @Test
    void modesAreInEnergyOrderWithExactOneBodyIntegrals() {
        int[][] q = OscillatorModes.lowest(10);
        int[] shells = {0, 1, 1, 1, 2, 2, 2, 2, 2, 2};
        for (int i = 0; i < 10; i++) assertEquals(shells[i], q[i][0] + q[i][1] + q[i][2], "shell of mode " + i);
        ModeIntegrals mi = OscillatorModes.integrals(4, 10, new Interaction.None(), OscillatorModes.defaultGrid(), io.hartree.api.testing.JTransformsHost.INSTANCE);
        assertEquals(0, mi.h()[mi.hIndex(0, 0)]);
        assertEquals(10, mi.h()[mi.hIndex(3, 3)]);
        assertEquals(0, mi.h()[mi.hIndex(1, 2)]);
    }

    @Test
    void gaussianIntegralsMatchGaussHermiteQuadrature() {
        double sigma = 1.0, lambda = 1.0;
        int m = 4;
        ModeIntegrals mi = OscillatorModes.integrals(m, 10, new Interaction.Gaussian(lambda, sigma), OscillatorModes.defaultGrid(), io.hartree.api.testing.JTransformsHost.INSTANCE);
        int[][] q = OscillatorModes.lowest(m);
        double worst = 0;
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) for (int k = 0; k < m; k++) for (int l = 0; l < m; l++) {
            double ref = lambda;
            for (int ax = 0; ax < 3; ax++) ref *= gaussian1d(q[i][ax], q[j][ax], q[k][ax], q[l][ax], sigma);
            double got = mi.v()[mi.vIndex(i, j, k, l)];
            worst = Math.max(worst, Math.abs(ref - got));
            assertEquals(0, mi.v()[mi.vIndex(i, j, k, l) + 1], "real modes give real V");
        }
        assertTrue(worst < INTEGRAL_TOL, "max |V_grid − V_exact| = " + worst);
        // Sanity of the reference itself: V_0000 = λ (σ²/(σ²+1))^{3/2} for φ⁰ (closed form).
        double v0 = lambda * Math.pow(sigma * sigma / (sigma * sigma + 1), 1.5);
        assertEquals(v0, mi.v()[mi.vIndex(0, 0, 0, 0)], INTEGRAL_TOL);
    }

    /**
     * ∫∫ ψ_a(x)ψ_c(x) e^{−(x−y)²/(2σ²)} ψ_b(y)ψ_d(y) dx dy, exactly by Gauss–Hermite quadrature:
     * with x = (u+w)/√2, y = (u−w)/√2 the weight is e^{−u² − (1+2s)w²}, s = 1/(2σ²), and the rest
     * is a polynomial of degree ≤ 12, so 20 nodes per variable are exact.
     */
    static double gaussian1d(int a, int b, int c, int d, double sigma) {
        double s = 1 / (2 * sigma * sigma);
        double[][] gh = gaussHermite(20);
        double scale = Math.sqrt(1 + 2 * s);
        double sum = 0;
        for (int p = 0; p < 20; p++)
            for (int r = 0; r < 20; r++) {
                double u = gh[0][p], w = gh[0][r] / scale;
                double x = (u + w) / Math.sqrt(2), y = (u - w) / Math.sqrt(2);
                sum += gh[1][p] * gh[1][r] * poly(a, x) * poly(c, x) * poly(b, y) * poly(d, y);
            }
        return sum / scale;
    }

    /** ψ_n(x) e^{x²/2}, a polynomial. */
    static double poly(int n, double x) {
        double p0 = Math.pow(Math.PI, -0.25);
        if (n == 0) return p0;
        double p1 = Math.sqrt(2) * x * p0;
        for (int k = 1; k < n; k++) {
            double p2 = Math.sqrt(2.0 / (k + 1)) * x * p1 - Math.sqrt((double) k / (k + 1)) * p0;
            p0 = p1; p1 = p2;
        }
        return p1;
    }

    /** Nodes and weights for ∫ e^{−x²} f by Newton's method on the Hermite recurrence (Numerical Recipes, gauher). */
    static double[][] gaussHermite(int n) {
        double[] x = new double[n], w = new double[n];
        double pim4 = Math.pow(Math.PI, -0.25), z = 0, pp = 0;
        int half = (n + 1) / 2;
        for (int i = 0; i < half; i++) {
            if (i == 0) z = Math.sqrt(2 * n + 1.0) - 1.85575 * Math.pow(2 * n + 1.0, -0.16667);
            else if (i == 1) z -= 1.14 * Math.pow(n, 0.426) / z;
            else if (i == 2) z = 1.86 * z - 0.86 * x[0];
            else if (i == 3) z = 1.91 * z - 0.91 * x[1];
            else z = 2.0 * z - x[i - 2];
            for (int it = 0; it < 100; it++) {
                double p1 = pim4, p2 = 0;
                for (int j = 1; j <= n; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = z * Math.sqrt(2.0 / j) * p2 - Math.sqrt((j - 1.0) / j) * p3;
                }
                pp = Math.sqrt(2.0 * n) * p2;
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.abs(z - z1) <= 1e-15) break;
            }
            x[i] = z; x[n - 1 - i] = -z;
            w[i] = 2.0 / (pp * pp); w[n - 1 - i] = w[i];
        }
        return new double[][]{x, w};
    }
}
