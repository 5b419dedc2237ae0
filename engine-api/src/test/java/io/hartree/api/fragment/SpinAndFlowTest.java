package io.hartree.api.fragment;

import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.model.Interaction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SpinAndFlowTest {
    /** Dense 2^k eigenvalues by Jacobi: residual ~1e-15 per eigenvalue, summed over ≤ 32. */
    private static final double DENSE_TOL = 1e-13;
    /** K(t) for the toy model: DOPRI5 (ModeHartree) at local tol 1e-14 keeps |κ_j|² to ~1e-14 over t ≤ 10. */
    private static final double K_TOL = 1e-12;
    /** κ(t) against its closed form: phase error of DOPRI5 at local tol 1e-14 over t ≤ 10. */
    private static final double KAPPA_TOL = 1e-10;

    /**
     * Builds the N-spin symmetric state with N1 up, N2 down explicitly in (C²)^{⊗N}, traces out
     * N − k spins, and compares the trace norm against γ_spin,∞^(k) (4.13) with the coefficient formula.
     */
    @Test
    void explicitPartialTraceAgreesWithCoefficientFormula() {
        int n1 = 3, n2 = 5, n = n1 + n2;
        int dimN = 1 << n;
        double[] psi = new double[dimN];
        double norm = Math.sqrt(FragmentedMarginalsTest.binom(n, n2).doubleValue());
        for (int s = 0; s < dimN; s++) if (Integer.bitCount(s) == n2) psi[s] = 1 / norm;
        SpinToyModel toy = new SpinToyModel(n1, n2);
        for (int k = 1; k <= 4; k++) {
            int dimK = 1 << k, dimRest = 1 << (n - k);
            double[] gamma = new double[2 * dimK * dimK];
            for (int a = 0; a < dimK; a++)
                for (int b = 0; b < dimK; b++) {
                    double sum = 0;
                    for (int r = 0; r < dimRest; r++) sum += psi[a | (r << k)] * psi[b | (r << k)];
                    gamma[2 * (a * dimK + b)] = sum;
                }
            double[] lim = toy.limitMatrix(k);
            double[] diff = new double[gamma.length];
            for (int i = 0; i < diff.length; i++) diff[i] = gamma[i] - lim[i];
            double traceNorm = 0;
            for (double e : HermitianEigen.eigenvalues(diff, dimK)) traceNorm += Math.abs(e);
            assertEquals(toy.traceDistance(k), traceNorm, DENSE_TOL, "(4.13) k=" + k + " explicit vs formula");
            // the eigenvalues of γ^(k) itself are c_{k,j}/... no: γ^(k) has eigenvalues c_{k,j} on Φ_{k,j}
            double[] ev = HermitianEigen.eigenvalues(gamma, dimK);
            double[] c = toy.marginals(k).fragmented();
            java.util.Arrays.sort(c);
            for (int j = 0; j <= k; j++) assertEquals(c[j], ev[dimK - 1 - k + j], DENSE_TOL, "eigenvalue " + j + " of γ^(" + k + ")");
        }
    }

    @Test
    void toyModelKIsDiagonalAndRankTwo() {
        double e = SpinToyModel.meanFieldEnergy(new Interaction.Gaussian(1, 1));
        assertEquals(Math.pow(0.5, 1.5), e, 1e-15, "E for λ = σ = 1");
        EffectiveFlow flow = new EffectiveFlow(SpinToyModel.groundSpaceIntegrals(e), 1e-14);
        double[] times = {0, 0.5, 1, 5, 10};
        double n1 = 0.3, n2 = 0.7;
        double[][] k = flow.coefficients(new double[]{n1, n2}, times, 8);
        for (int t = 0; t < times.length; t++) {
            double[] expect = {n1, 0, 0, 0, 0, 0, n2, 0};
            for (int i = 0; i < 8; i++) assertEquals(expect[i], k[t][i], K_TOL, "K(t=" + times[t] + ") entry " + i);
            assertEquals(2, EffectiveFlow.rank(k[t], 2, 1e-9), "rank K(t=" + times[t] + ")");
        }
        // κ_j(t) = κ_j(0) e^{−iEt}
        double th1 = 0.4, th2 = 1.9;
        double[] k0 = {Math.sqrt(n1) * Math.cos(th1), -Math.sqrt(n1) * Math.sin(th1), Math.sqrt(n2) * Math.cos(th2), -Math.sqrt(n2) * Math.sin(th2)};
        double[][] kap = flow.evolve(k0, times);
        for (int t = 0; t < times.length; t++)
            for (int j = 0; j < 2; j++) {
                double c = Math.cos(e * times[t]), s = -Math.sin(e * times[t]);
                assertEquals(k0[2 * j] * c - k0[2 * j + 1] * s, kap[t][2 * j], KAPPA_TOL, "Re κ_" + j + "(" + times[t] + ")");
                assertEquals(k0[2 * j] * s + k0[2 * j + 1] * c, kap[t][2 * j + 1], KAPPA_TOL, "Im κ_" + j + "(" + times[t] + ")");
            }
    }

    /** V = 0, h = g σ_x: K(t) = U diag(n) U†, U = cos(gt) − i sin(gt) σ_x (linear flow: exact for Q ≥ 2). */
    @Test
    void linearFlowRotatesK() {
        double g = 0.7, n1 = 0.25, n2 = 0.75;
        double[] h = {0, 0, g, 0, g, 0, 0, 0};
        EffectiveFlow flow = new EffectiveFlow(new ModeIntegrals(2, h, new double[32]), 1e-14);
        double[] times = {0.3, 2.0};
        double[][] k = flow.coefficients(new double[]{n1, n2}, times, 4);
        for (int t = 0; t < times.length; t++) {
            double c = Math.cos(g * times[t]), s = Math.sin(g * times[t]);
            // U = [[c, −is], [−is, c]]; K = U diag(n1,n2) U†
            double k11 = c * c * n1 + s * s * n2, k22 = s * s * n1 + c * c * n2;
            double k12im = c * s * (n1 - n2); // K_12 = c·n1·(is) + (−is)·n2·c = i c s (n1 − n2)
            assertEquals(k11, k[t][0], K_TOL, "K_11");
            assertEquals(k22, k[t][6], K_TOL, "K_22");
            assertEquals(0, k[t][2], K_TOL, "Re K_12");
            assertEquals(k12im, k[t][3], K_TOL, "Im K_12");
        }
    }

    /** Self-interaction only, V_jjjj = g_j: κ_j(t) = κ_j(0) e^{−i g_j n_j t} (nonlinear, closed form). */
    @Test
    void nonlinearSelfInteractionHasClosedForm() {
        double g1 = 1.3, g2 = -0.4, n1 = 0.6, n2 = 0.4;
        double[] v = new double[32];
        v[0] = g1;                      // (0,0,0,0)
        v[2 * 15] = g2;                 // (1,1,1,1)
        EffectiveFlow flow = new EffectiveFlow(new ModeIntegrals(2, new double[8], v), 1e-14);
        double[] k0 = {Math.sqrt(n1), 0, 0, -Math.sqrt(n2)};
        double t = 3.0;
        double[] y = flow.evolve(k0, new double[]{t})[0];
        double p1 = g1 * n1 * t, p2 = g2 * n2 * t;
        assertEquals(Math.sqrt(n1) * Math.cos(p1), y[0], KAPPA_TOL);
        assertEquals(-Math.sqrt(n1) * Math.sin(p1), y[1], KAPPA_TOL);
        assertEquals(-Math.sqrt(n2) * Math.sin(p2), y[2], KAPPA_TOL);
        assertEquals(-Math.sqrt(n2) * Math.cos(p2), y[3], KAPPA_TOL);
    }

    @Test
    void meanFieldEnergiesMatchRadialQuadrature() {
        // independent: E = √(2/π) ∫ r² V(r) e^{−r²/2} dr by Simpson here
        Interaction.Gaussian gauss = new Interaction.Gaussian(2.0, 0.5);
        int m = 20000;
        double hq = 20.0 / m, s = 0;
        for (int i = 0; i <= m; i++) {
            double r = i * hq;
            s += r * r * gauss.value(r) * Math.exp(-0.5 * r * r) * (i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2));
        }
        double quad = Math.sqrt(2 / Math.PI) * s * hq / 3;
        assertEquals(quad, SpinToyModel.meanFieldEnergy(gauss), 1e-12, "Gaussian closed form vs quadrature");
        // Yukawa with μ → 0 tends to Coulomb: difference O(μ)
        double yuk = SpinToyModel.meanFieldEnergy(new Interaction.Yukawa(1, 1e-9));
        assertEquals(SpinToyModel.meanFieldEnergy(new Interaction.Coulomb(1)), yuk, 1e-8, "Yukawa μ=1e-9 vs Coulomb");
    }

}
