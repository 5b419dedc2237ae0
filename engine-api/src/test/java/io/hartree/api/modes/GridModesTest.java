package io.hartree.api.modes;

import io.hartree.api.ParameterException;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.fock.OscillatorModes;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.testing.JTransformsHost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Grid mode bases of h_ν against closed forms. Tolerances: orthonormality 1e-12 (CGS2 leaves
 * round-off only); eigenvalues 1e-9·ν (the solver stops at residual ‖r‖ ≤ 1e-10·s, s ≤ 3ν, so
 * |θ − λ| ≤ ‖r‖²/ν ≈ 1e-19·ν, and the spectral grid error at n = 32, L = 12 is ~1e-13·ν); integrals
 * 1e-8·λ, the accuracy of the padded FFT convolution at the default grid (OscillatorModesTest) plus the
 * eigenvector error ‖r‖/ν ≤ 3e-10.
 */
class GridModesTest {
    static final double NU = 2.0;
    static final Grid3D SMALL = new Grid3D(32, 12.0);
    static GridEigensolver.Result small;   // M = 10 at 32³
    static GridEigensolver.Result studies; // M = 4 at the studies' 48³, L = 12

    @BeforeAll
    static void solve() {
        long t0 = System.nanoTime();
        small = GridEigensolver.solve(new GridOperator(SMALL, OneBodyOperator.paper(NU), JTransformsHost.INSTANCE), 10, GridEigensolver.DEFAULT_TOL);
        long t1 = System.nanoTime();
        studies = GridEigensolver.solve(new GridOperator(OscillatorModes.defaultGrid(), OneBodyOperator.paper(NU), JTransformsHost.INSTANCE), 4, GridEigensolver.DEFAULT_TOL);
        long t2 = System.nanoTime();
        System.out.printf("grid eigensolver: 32^3 M=10: %.2f s, %d products, %d iterations; 48^3 M=4: %.2f s, %d products, %d iterations%n",
                (t1 - t0) * 1e-9, small.products(), small.iterations(), (t2 - t1) * 1e-9, studies.products(), studies.iterations());
    }

    @Test
    void eigenvaluesAreTheOscillatorShellsAndModesAreOrthonormal() {
        double[] shells = {0, 1, 1, 1, 2, 2, 2, 2, 2, 2};
        GridModes gm = small.modes();
        for (int i = 0; i < 10; i++) {
            assertEquals(NU * shells[i], gm.energies()[i], 1e-9 * NU, "eigenvalue " + i);
            assertTrue(small.residuals()[i] <= GridEigensolver.DEFAULT_TOL * small.scale() * 1.01, "residual " + i + " = " + small.residuals()[i]);
        }
        assertOrthonormal(gm, 1e-12);
    }

    @Test
    void degenerateShellsGetTheHermiteProductBasis() {
        GridModes gm = small.modes();
        int[][] q = OscillatorModes.lowest(10);
        int n = SMALL.n();
        double worst = 0;
        for (int i = 0; i < 10; i++) {
            double acc = 0;
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++)
                    for (int c = 0; c < n; c++) {
                        double ref = OscillatorModes.hermiteFunction(q[i][0], SMALL.x(a)) * OscillatorModes.hermiteFunction(q[i][1], SMALL.x(b))
                                * OscillatorModes.hermiteFunction(q[i][2], SMALL.x(c));
                        double d = gm.re()[i][(a * n + b) * n + c] - ref;
                        acc += d * d;
                    }
            worst = Math.max(worst, Math.sqrt(acc * SMALL.dV()));
            for (int d = 0; d < 3; d++) assertEquals(q[i][d] % 2 == 0 ? 1 : -1, gm.parity()[i][d], "parity of mode " + i + " on axis " + d);
        }
        // The eigenvector error is ≤ ‖r‖/gap ≤ 1e-10·3ν/ν; what is left is the box: U is not periodic and
        // ψ_2 at |x| = L/2 = 6 is ~1e-7 of its maximum, so the periodic grid's eigenvectors differ from the
        // sampled Hermite products by a few 1e-7 there (the eigenvalues, quadratic in it, agree to 1e-9).
        assertTrue(worst < 1e-6, "max ‖χ_i − ψ_a ψ_b ψ_c‖ = " + worst);
    }

    @Test
    void closedFormIntegralsAtTheStudiesGrid() {
        double lambda = 1.3, sigma = 0.8, s = 1 / (2 * sigma * sigma);
        GridModes gm = studies.modes();
        assertOrthonormal(gm, 1e-12);
        GridIntegrals.Result r = GridIntegrals.compute(gm, OneBodyOperator.paper(NU), new Interaction.Gaussian(lambda, sigma), JTransformsHost.INSTANCE, GridIntegrals.DEFAULT_THRESHOLD);
        ModeIntegrals mi = r.integrals();
        // V_0000 = λ(σ²/(1+σ²))^{3/2} (φ⁰ ground mode).
        assertEquals(lambda * Math.pow(sigma * sigma / (1 + sigma * sigma), 1.5), mi.v()[mi.vIndex(0, 0, 0, 0)], 1e-8 * lambda, "V_0000");
        // χ_1 = ψ_1(x)ψ_0(y)ψ_0(z); with s = 1/(2σ²), per axis ∫∫ψ_0²(x)e^{−s(x−y)²}ψ_1²(y) = (1+s)/(1+2s)^{3/2},
        // ∫∫ψ_0ψ_1(x)e^{−s(x−y)²}ψ_0ψ_1(y) = s/(1+2s)^{3/2}, and the ground axes give (1+2s)^{−1/2} each.
        assertEquals(lambda * (1 + s) / Math.pow(1 + 2 * s, 2.5), mi.v()[mi.vIndex(0, 1, 0, 1)], 1e-8 * lambda, "V_0101 (direct)");
        assertEquals(lambda * s / Math.pow(1 + 2 * s, 2.5), mi.v()[mi.vIndex(0, 1, 1, 0)], 1e-8 * lambda, "V_0110 (exchange)");
        // Parity: χ_0 χ_0 χ_0 χ_1 is odd in x, so V_0001 is not computed and exactly 0.
        assertEquals(0.0, mi.v()[mi.vIndex(0, 0, 0, 1)], 0.0, "V_0001 by parity");
        assertTrue(r.zeroByParity() > 0, "parity selection used");
        // h_ij = ν n_i δ_ij to the eigenvalue accuracy; the swap x ↔ y symmetry V_ijkl = V_jilk comes from different sums.
        double[] shell = {0, 1, 1, 1};
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) assertEquals(i == j ? NU * shell[i] : 0, mi.h()[mi.hIndex(i, j)], 1e-9 * NU, "h_" + i + j);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) for (int k = 0; k < 4; k++) for (int l = 0; l < 4; l++)
            assertEquals(mi.v()[mi.vIndex(i, j, k, l)], mi.v()[mi.vIndex(j, i, l, k)], 1e-12 * r.maxAbsV(), "V_ijkl = V_jilk at " + i + j + k + l);
    }

    @Test
    void agreesWithHermiteFunctionIntegrals() {
        Interaction v = new Interaction.Gaussian(1.0, 1.0);
        ModeIntegrals grid = small.modes().integrals(OneBodyOperator.paper(NU), v, JTransformsHost.INSTANCE);
        ModeIntegrals hermite = OscillatorModes.integrals(10, NU, v, SMALL, JTransformsHost.INSTANCE);
        double worst = 0;
        for (int a = 0; a < grid.v().length; a++) worst = Math.max(worst, Math.abs(grid.v()[a] - hermite.v()[a]));
        for (int a = 0; a < grid.h().length; a++) worst = Math.max(worst, Math.abs(grid.h()[a] - hermite.h()[a]));
        // Same grid and kernel; only the modes differ, by the eigenvector error (≤ 3e-10) and the sampling of ψ_n.
        assertTrue(worst < 1e-8, "max |grid-mode − Hermite-mode integral| = " + worst);
    }

    @Test
    void userSetsAreOrthonormalised() {
        Grid3D g = new Grid3D(16, 10.0);
        int n = g.n();
        double[] left = new double[n * n * n], right = new double[n * n * n], wave = new double[n * n * n], waveIm = new double[n * n * n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                for (int c = 0; c < n; c++) {
                    double x = g.x(a), y = g.x(b), z = g.x(c), r2 = y * y + z * z;
                    int s = (a * n + b) * n + c;
                    left[s] = Math.exp(-0.5 * ((x + 1) * (x + 1) + r2));
                    right[s] = Math.exp(-0.5 * ((x - 1) * (x - 1) + r2));
                    wave[s] = Math.cos(0.7 * x) * Math.exp(-0.5 * (x * x + r2));
                    waveIm[s] = Math.sin(0.7 * x) * Math.exp(-0.5 * (x * x + r2));
                }
        // The grid's mirror (j → (n − j) mod n) of the left orbital; sampling e^{−(x−1)²/2} instead differs on the plane x = −L/2.
        right = GridModes.reflect(g, left, 0);
        GridModes low = GridModes.orthonormalised(g, List.of(left, right), null, GridModes.Orthonormalisation.LOWDIN);
        assertOrthonormal(low, 1e-12);
        // Löwdin is symmetric: the mirror image of the left orbital is the right one.
        double[] mirrored = GridModes.reflect(g, low.re()[0], 0);
        // 1e-11: S^{−1/2} from Jacobi rotations carries a few ulps of ‖S‖ per rotation.
        for (int s = 0; s < mirrored.length; s++) assertEquals(low.re()[1][s], mirrored[s], 1e-11);
        GridModes gs = GridModes.orthonormalised(g, List.of(left, right), null, GridModes.Orthonormalisation.GRAM_SCHMIDT);
        assertOrthonormal(gs, 1e-12);
        double norm = Math.sqrt(GridModes.dot(left, left) * g.dV());
        for (int s = 0; s < left.length; s++) assertEquals(left[s] / norm, gs.re()[0][s], 1e-14, "Gram–Schmidt keeps χ_0 ∝ f_0");
        // A complex set: integrals obey V_ijkl = conj(V_klij) = V_jilk.
        double[] zero = new double[left.length];
        GridModes cx = GridModes.orthonormalised(g, List.of(left, wave), List.of(zero, waveIm), GridModes.Orthonormalisation.LOWDIN);
        assertOrthonormal(cx, 1e-12);
        ModeIntegrals mi = cx.integrals(OneBodyOperator.paper(1), new Interaction.Gaussian(1, 1), io.hartree.api.testing.JTransformsHost.INSTANCE);
        assertFalse(mi.isReal(), "complex modes give complex integrals");
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++) for (int l = 0; l < 2; l++) {
            int a = mi.vIndex(i, j, k, l), b = mi.vIndex(k, l, i, j), c = mi.vIndex(j, i, l, k);
            assertEquals(mi.v()[a], mi.v()[b], 1e-12);
            assertEquals(mi.v()[a + 1], -mi.v()[b + 1], 1e-12);
            assertEquals(mi.v()[a], mi.v()[c], 1e-12);
            assertEquals(mi.v()[a + 1], mi.v()[c + 1], 1e-12);
        }
        assertThrows(ParameterException.class, () -> GridModes.orthonormalised(g, List.of(left, left.clone()), null, GridModes.Orthonormalisation.LOWDIN));
        assertThrows(ParameterException.class, () -> GridEigensolver.solve(new GridOperator(g, OneBodyOperator.paper(1), JTransformsHost.INSTANCE), 0, 1e-10));
    }

    static void assertOrthonormal(GridModes gm, double tol) {
        double[] s = gm.overlap();
        int m = gm.count();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                assertEquals(i == j ? 1 : 0, s[2 * (i * m + j)], tol, "⟨χ_" + i + ", χ_" + j + "⟩");
                assertEquals(0, s[2 * (i * m + j) + 1], tol);
            }
    }
}
