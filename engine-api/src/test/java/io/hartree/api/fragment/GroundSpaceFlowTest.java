package io.hartree.api.fragment;

import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.Interaction;
import io.hartree.api.testing.JTransformsHost;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GroundSpaceFlowTest {
    /** Padded-FFT integrals on 24³, box 12, σ = 1: spectral accuracy, measured ~1e-10 against the closed form; 1e-8 stated as for OscillatorModes. */
    private static final double INTEGRAL_TOL = 1e-8;
    /** K(t): DOPRI5 at 1e-13 with Q = 48 against RK4 (dt = 2e-3, error ~1e-11) with a 200-node midpoint rule. */
    private static final double K_TOL = 1e-9;

    /**
     * A ground space of two spatially distinct orbitals, χ_± = (ψ₀ ± ψ₁)(x) ψ₀(y) ψ₀(z)/√2 (the
     * localised pair of a double well), Gaussian V (λ = 2, σ = 1): V_ijkl from the grid has
     * density-assisted terms, and K(t) of (3.17) computed from the evolved κ^θ is not diagonal.
     * Checks: Σ_ijkl V_ijkl / 4 = ⟨ψ₀ψ₀|V|ψ₀ψ₀⟩ = λ(σ²/(1+σ²))^{3/2} (closed form); K(t) against
     * RK4 written here on the same V with a dense midpoint rule; tr K = 1, K Hermitian, rank 2.
     */
    @Test
    void kIsComputedFromTheEvolvedFlowAndIsNotDiagonal() {
        Grid3D grid = new Grid3D(24, 12.0);
        double[] a = PhaseAveragedFlowTest.oscillator(grid, new int[]{0, 0, 0});
        double[] b = PhaseAveragedFlowTest.oscillator(grid, new int[]{1, 0, 0});
        double[] plus = new double[a.length], minus = new double[a.length];
        for (int i = 0; i < a.length; i++) { plus[i] = (a[i] + b[i]) / Math.sqrt(2); minus[i] = (a[i] - b[i]) / Math.sqrt(2); }
        double lambda = 2, sigma = 1;
        ModeIntegrals v = GroundSpaceFlow.integrals(grid, new double[][]{plus, minus}, new Interaction.Gaussian(lambda, sigma), JTransformsHost.INSTANCE);
        double sum = 0;
        for (int i = 0; i < 16; i++) sum += v.v()[2 * i];
        assertEquals(lambda * Math.pow(sigma * sigma / (1 + sigma * sigma), 1.5), sum / 4, INTEGRAL_TOL, "Σ V / 4 = V_0000 of ψ₀");
        double assisted = v.v()[v.vIndex(0, 0, 0, 1)];
        assertTrue(Math.abs(assisted) > 1e-3, "density-assisted V_+++− = " + assisted);

        double n1 = 0.8, n2 = 0.2, t = 3.0;
        GroundSpaceFlow flow = new GroundSpaceFlow(v, 1e-13);
        double[] k = flow.coefficients(new double[]{n1, n2}, 48, new double[]{t})[0];
        // independent: RK4 on i κ̇_i = Σ V_ijkl conj(κ_j) κ_k κ_l, midpoint rule in θ₂
        int q = 200;
        double[] ref = new double[8];
        for (int p = 0; p < q; p++) {
            double th = 2 * Math.PI * (p + 0.5) / q;
            double[] y = {Math.sqrt(n1), 0, Math.sqrt(n2) * Math.cos(th), -Math.sqrt(n2) * Math.sin(th)};
            rk4(y, v, t, 1500);
            PhaseAveragedFlowTest.accumulate(ref, y, 1, 1.0 / q);
        }
        for (int i = 0; i < 8; i++) assertEquals(ref[i], k[i], K_TOL, "K entry " + i + " against RK4");
        assertEquals(1, k[0] + k[6], 1e-12, "tr K");
        assertEquals(k[2], k[4], 1e-15, "K Hermitian (re)");
        assertEquals(k[3], -k[5], 1e-15, "K Hermitian (im)");
        assertTrue(Math.hypot(k[2], k[3]) > 1e-3, "K_+− = " + k[2] + " + " + k[3] + "i is not zero");
        double[] occ = GroundSpaceFlow.occupations(k, 2);
        assertTrue(occ[1] > 1e-3, "rank 2 (3.19): occupations " + occ[0] + ", " + occ[1]);
    }

    static void rk4(double[] y, ModeIntegrals v, double t, int steps) {
        double h = t / steps;
        for (int s = 0; s < steps; s++) {
            double[] k1 = f(y, v), k2 = f(PhaseAveragedFlowTest.axpy(y, 0.5 * h, k1), v), k3 = f(PhaseAveragedFlowTest.axpy(y, 0.5 * h, k2), v), k4 = f(PhaseAveragedFlowTest.axpy(y, h, k3), v);
            for (int i = 0; i < y.length; i++) y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }

    /** −i Σ_jkl V_ijkl conj(y_j) y_k y_l, written out with complex arithmetic. */
    static double[] f(double[] y, ModeIntegrals v) {
        int m = v.modes();
        double[] out = new double[2 * m];
        for (int i = 0; i < m; i++) {
            double re = 0, im = 0;
            for (int j = 0; j < m; j++) for (int k = 0; k < m; k++) for (int l = 0; l < m; l++) {
                int idx = v.vIndex(i, j, k, l);
                double[] c = PhaseAveragedFlowTest.mul(PhaseAveragedFlowTest.mul(PhaseAveragedFlowTest.conj(PhaseAveragedFlowTest.cx(y, j)), PhaseAveragedFlowTest.cx(y, k)), PhaseAveragedFlowTest.cx(y, l));
                double[] z = PhaseAveragedFlowTest.mul(new double[]{v.v()[idx], v.v()[idx + 1]}, c);
                re += z[0];
                im += z[1];
            }
            out[2 * i] = im;
            out[2 * i + 1] = -re;
        }
        return out;
    }
}
