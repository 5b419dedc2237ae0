package io.hartree.api.fragment;

import io.hartree.api.BackendSession;
import io.hartree.api.SessionOptions;
import io.hartree.api.conformance.ReferenceBackend;
import io.hartree.api.fock.FockObservables;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fock.ModeHartree;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.fock.OscillatorModes;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PhaseAveragedFlowTest {
    /** (4.5) against the quadrature: both sides from DOPRI5 at local tol 1e-14 (|c_t| drift ~1e-14 over t ≤ 1) and exact Q = k + 1 rules; Jacobi residuals ~1e-15. */
    private static final double TOY_TOL = 1e-12;
    /** Josephson: RK4 at dt = 1e-3 (global error ~ dt⁴·t·‖f‖⁵ ≈ 1e-11 here) and two quadratures converged below 1e-12 (measured: Q = 48 is 1e-13 from Q = 128; Q = 32 would be 4e-9 off). */
    private static final double JOSEPHSON_TOL = 1e-9;
    /**
     * Grid vs modes at V = 0: measured 8.1e-7 (k = 1) and 1.2e-6 (k = 2) on 24³, box 12, fourth-order
     * split step dt = 0.05 to t = 0.5 with χ_200 in the data (a box of 10 gives 2e-5: ψ at the
     * edge); about 3× the measured value.
     */
    private static final double GRID_TOL = 4e-6;

    /** Spatial integrals for M_s = 2 with complex h and real V_ijkl = Σ_g f_g A^g_ik A^g_jl (the symmetries of real modes). */
    static ModeIntegrals spatial() {
        double[] h = {0.2, 0, 0.3, 0.1, 0.3, -0.1, 1.1, 0};
        double[][][] a = {{{1.0, 0.2}, {0.2, 0.5}}, {{0.1, -0.4}, {-0.4, 0.7}}};
        double[] f = {0.8, 0.5};
        double[] v = new double[32];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++) for (int l = 0; l < 2; l++)
            for (int g = 0; g < 2; g++) v[2 * (((i * 2 + j) * 2 + k) * 2 + l)] += f[g] * a[g][i][k] * a[g][j][l];
        return new ModeIntegrals(2, h, v);
    }

    static double[] unit(int m, int i) {
        double[] e = new double[2 * m];
        e[2 * i] = 1;
        return e;
    }

    /**
     * The toy model's structure (spin-independent h and V, φ_j = χ⁰ ⊗ e_j): the phase average of
     * the 4-mode flow equals (4.5), |c_t^{⊗k}⟩⟨c_t^{⊗k}| ⊗ γ_spin,∞^(k), with c_t the spatial flow (4.4)
     * alone and γ_spin,∞ from its definition (SpinToyModel.limitMatrix), for k = 1, 2 at Q = k + 1.
     * Q = 2 for k = 2 aliases the e^{±2i(θ₂−θ₁)} terms: the error is then 2 n₁n₂ exactly.
     */
    @Test
    void toyModelPhaseAverageEqualsFourFive() {
        double n1 = 0.3, n2 = 0.7, t = 0.9;
        ModeIntegrals sp = spatial(), spin = sp.withSpin();
        double[] c = unit(2, 0);
        new ModeHartree(sp).evolve(c, t, 1e-14);
        double[][] orbitals = {unit(4, 0), unit(4, 2)}; // χ⁰ ⊗ ↑, χ⁰ ⊗ ↓ (mode σ·M_s + s)
        double[] fr = {n1, n2};
        PhaseEnsemble e3 = PhaseAveragedFlow.modes(spin, orbitals, fr, 3, new double[]{t}, 1e-14).at(0);
        PhaseEnsemble e2 = PhaseAveragedFlow.modes(spin, orbitals, fr, 2, new double[]{t}, 1e-14).at(0);

        double[] g1 = FockObservables.phaseAveraged(c, n1, n2);
        assertEquals(0, e3.traceDistance(1, g1, null), TOY_TOL, "Tr|γ^(1) − (4.5)|, Q = 3");
        assertEquals(0, e2.traceDistance(1, g1, null), TOY_TOL, "Tr|γ^(1) − (4.5)|, Q = 2 (exact for k = 1)");
        double[] occ1 = e3.occupations(1);
        assertEquals(n2, occ1[0], TOY_TOL);
        assertEquals(n1, occ1[1], TOY_TOL);

        double[] g2 = toyGamma2(c, new SpinToyModel(3, 7).limitMatrix(2));
        assertEquals(0, e3.traceDistance(2, g2, null), TOY_TOL, "Tr|γ^(2) − (4.5)|, Q = 3");
        assertEquals(2 * n1 * n2, e2.traceDistance(2, g2, null), TOY_TOL, "Q = 2 aliases k = 2 by 2 n1 n2");
        double[] occ2 = e3.occupations(2);
        assertEquals(n2 * n2, occ2[0], TOY_TOL);
        assertEquals(2 * n1 * n2, occ2[1], TOY_TOL);
        assertEquals(n1 * n1, occ2[2], TOY_TOL);
        // the dense operator of the mode realisation agrees with its Gram form
        assertEquals(0, HermitianEigen.traceDistance(e3.matrix(1), g1, 4), TOY_TOL, "matrix(1) vs (4.5)");
    }

    /** (c⊗c)(c⊗c)† ⊗ L on the 4 modes σ·2 + s, index (iσ, jτ) → (σ_i·2 + s_i)·4 + σ_j·2 + s_j; L has bit 0 = spin of particle 1. */
    static double[] toyGamma2(double[] c, double[] lim) {
        double[] g = new double[2 * 256];
        for (int r = 0; r < 16; r++)
            for (int q = 0; q < 16; q++) {
                int i = r / 4, j = r % 4, k = q / 4, l = q % 4;
                int si = i % 2, sj = j % 2, sk = k % 2, sl = l % 2;
                int li = (i / 2) | ((j / 2) << 1), lj = (k / 2) | ((l / 2) << 1);
                double[] x = mul(mul(cx(c, si), cx(c, sj)), conj(mul(cx(c, sk), cx(c, sl))));
                double lr = lim[2 * (li * 4 + lj)], lm = lim[2 * (li * 4 + lj) + 1];
                g[2 * (r * 16 + q)] = x[0] * lr - x[1] * lm;
                g[2 * (r * 16 + q) + 1] = x[0] * lm + x[1] * lr;
            }
        return g;
    }

    static double[] cx(double[] c, int i) { return new double[]{c[2 * i], c[2 * i + 1]}; }

    static double[] mul(double[] a, double[] b) { return new double[]{a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]}; }

    static double[] conj(double[] a) { return new double[]{a[0], -a[1]}; }

    /**
     * Two-mode Josephson, i ċ₀ = −J c₁ + U|c₀|²c₀, i ċ₁ = −J c₀ + U|c₁|²c₁, from |N₁, N₂⟩-data
     * n = (0.7, 0.3): γ^(1), γ^(2) of the flow (DOPRI5, Q = 48 trapezoid nodes) against RK4 written
     * here with a 400-node midpoint rule (nodes disjoint from the flow's). K(t) is not diagonal.
     */
    @Test
    void josephsonAgainstRk4AndDenseQuadrature() {
        double j = 1.0, u = 2.0, t = 1.5, n1 = 0.7, n2 = 0.3;
        PhaseEnsemble e = PhaseAveragedFlow.modes(ModeIntegrals.josephson(j, u), new double[][]{unit(2, 0), unit(2, 1)},
                new double[]{n1, n2}, 48, new double[]{t}, 1e-13).at(0);
        int q = 400;
        double[] ref1 = new double[8], ref2 = new double[32];
        for (int a = 0; a < q; a++) {
            double th = 2 * Math.PI * (a + 0.5) / q;
            double[] y = {Math.sqrt(n1), 0, Math.sqrt(n2) * Math.cos(th), -Math.sqrt(n2) * Math.sin(th)};
            rk4Josephson(y, j, u, t, 1500);
            accumulate(ref1, y, 1, 1.0 / q);
            accumulate(ref2, PhaseEnsemble.tensorPower(y, 2), 1, 1.0 / q);
        }
        double[] g1 = e.matrix(1), g2 = e.matrix(2);
        double worst1 = 0, worst2 = 0;
        for (int i = 0; i < 8; i++) worst1 = Math.max(worst1, Math.abs(g1[i] - ref1[i]));
        for (int i = 0; i < 32; i++) worst2 = Math.max(worst2, Math.abs(g2[i] - ref2[i]));
        assertTrue(worst1 < JOSEPHSON_TOL, "max |γ^(1) − RK4| = " + worst1);
        assertTrue(worst2 < JOSEPHSON_TOL, "max |γ^(2) − RK4| = " + worst2);
        assertEquals(0, e.traceDistance(1, ref1, null), 4 * JOSEPHSON_TOL, "Tr|γ^(1) − RK4|");
        assertEquals(0, e.traceDistance(2, ref2, null), 8 * JOSEPHSON_TOL, "Tr|γ^(2) − RK4|");
        assertTrue(Math.hypot(g1[2], g1[3]) > 0.05, "K(t)_01 is not zero: |K_01| = " + Math.hypot(g1[2], g1[3]));
        // Gram occupations = eigenvalues of the dense γ^(1)
        double[] dense = FockObservables.naturalOccupations(g1, 2), gram = e.occupations(1);
        assertEquals(dense[0], gram[0], 1e-13);
        assertEquals(dense[1], gram[1], 1e-13);
    }

    static void rk4Josephson(double[] y, double j, double u, double t, int steps) {
        double h = t / steps;
        for (int s = 0; s < steps; s++) {
            double[] k1 = fJ(y, j, u), k2 = fJ(axpy(y, 0.5 * h, k1), j, u), k3 = fJ(axpy(y, 0.5 * h, k2), j, u), k4 = fJ(axpy(y, h, k3), j, u);
            for (int i = 0; i < 4; i++) y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }

    /** −i(−J c_other + U|c|²c). */
    static double[] fJ(double[] y, double j, double u) {
        double[] out = new double[4];
        for (int m = 0; m < 2; m++) {
            int o = 1 - m;
            double n = y[2 * m] * y[2 * m] + y[2 * m + 1] * y[2 * m + 1];
            double re = -j * y[2 * o] + u * n * y[2 * m], im = -j * y[2 * o + 1] + u * n * y[2 * m + 1];
            out[2 * m] = im;
            out[2 * m + 1] = -re;
        }
        return out;
    }

    static double[] axpy(double[] y, double a, double[] x) {
        double[] out = y.clone();
        for (int i = 0; i < y.length; i++) out[i] += a * x[i];
        return out;
    }

    static void accumulate(double[] g, double[] v, int unused, double w) {
        int d = v.length / 2;
        for (int i = 0; i < d; i++)
            for (int k = 0; k < d; k++) {
                g[2 * (i * d + k)] += w * (v[2 * i] * v[2 * k] + v[2 * i + 1] * v[2 * k + 1]);
                g[2 * (i * d + k) + 1] += w * (v[2 * i + 1] * v[2 * k] - v[2 * i] * v[2 * k + 1]);
            }
    }

    /**
     * Convergence in the number of phases for an interacting flow (Josephson J = 1, U = 1, t = 2,
     * n = (0.6, 0.4)): Tr|γ_Q − γ_64| falls geometrically (measured for k = 1: 1.6e-2, 5.9e-4,
     * 2.1e-5, 6.1e-7, 4.0e-10 at Q = 4, 8, 12, 16, 24; k = 2 needs twice the degree: 4.0e-9 at
     * Q = 24), and the halving estimate Tr|γ_Q − γ_{Q/2}| brackets the true error of Q/2 to within
     * the error of Q (triangle inequality).
     */
    @Test
    void quadratureConvergesInThePhases() {
        ModeIntegrals mi = ModeIntegrals.josephson(1.0, 1.0);
        double[][] orb = {unit(2, 0), unit(2, 1)};
        double[] fr = {0.6, 0.4};
        double[] times = {2.0};
        PhaseEnsemble ref = PhaseAveragedFlow.modes(mi, orb, fr, 64, times, 1e-13).at(0);
        int[] qs = {4, 8, 12, 16, 24};
        double[][] err = new double[2][qs.length];
        PhaseAveragedFlow.Result[] r = new PhaseAveragedFlow.Result[qs.length];
        for (int i = 0; i < qs.length; i++) {
            r[i] = PhaseAveragedFlow.modes(mi, orb, fr, qs[i], times, 1e-13);
            for (int k = 1; k <= 2; k++) err[k - 1][i] = PhaseEnsemble.traceDistance(k, r[i].at(0), ref);
        }
        for (int k = 1; k <= 2; k++) {
            assertTrue(err[k - 1][0] > 1e-3, "Q = 4 is not converged (k = " + k + "): " + err[k - 1][0]);
            for (int i = 1; i < qs.length; i++)
                assertTrue(err[k - 1][i] < 0.1 * err[k - 1][i - 1], "k = " + k + ": error falls from Q = " + qs[i - 1] + " to " + qs[i] + ": " + java.util.Arrays.toString(err[k - 1]));
            assertTrue(err[k - 1][qs.length - 1] < (k == 1 ? 1e-9 : 1e-8), "k = " + k + ": Q = 24 error " + err[k - 1][qs.length - 1]);
            // halving estimate at Q = 16 vs the true error of Q = 8
            double halving = r[3].halvingDifference(k, 0);
            assertEquals(err[k - 1][1], halving, err[k - 1][3] + 1e-12, "Tr|γ_16 − γ_8| vs Tr|γ_8 − γ_64|, k = " + k);
        }
    }

    /**
     * V = 0, h_ν (ν = 1) on the grid, ℓ = 2 combinations of oscillator states,
     * φ₁ = (χ_000 + χ_200)/√2 (breathing: the relative phase e^{−2it} is visible in γ) and
     * φ₂ = χ_100, n = (0.6, 0.4), Q = 3 (exact for k ≤ 2 in a linear flow): the batched 3D
     * realisation (reference backend, the 3 phases in one batch) against the mode realisation
     * (h = diag(0, 1, 2) on χ_000, χ_100, χ_200), by the trace distance with the grid modes, k = 1, 2;
     * occupations n_j; the leading natural orbital is φ₁(t) = (χ_000 + e^{−2it}χ_200)/√2 up to a phase.
     */
    @Test
    void gridBatchEqualsModesForFreeOscillatorStates() {
        Grid3D grid = new Grid3D(24, 12.0);
        int[][] q = {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}};
        double[][] chi = new double[3][];
        for (int m = 0; m < 3; m++) chi[m] = oscillator(grid, q[m]);
        double[][] orb = {PhaseAveragedFlow.combine(new double[][]{chi[0], chi[2]}, new double[]{Math.sqrt(0.5), 0, Math.sqrt(0.5), 0}), chi[1]};
        double[] fr = {0.6, 0.4};
        double t = 0.5;
        HartreeProblem pb = new HartreeProblem(grid, OneBodyOperator.paper(1.0), new Interaction.None(), null, Scheme.FOURTH, TimeMode.REAL, 0.05);
        PhaseAveragedFlow.Result g;
        try (BackendSession s = new ReferenceBackend().open(SessionOptions.defaults())) {
            g = PhaseAveragedFlow.grid(s, pb, orb, fr, 3, new int[]{10});
        }
        assertEquals(t, g.times()[0], 1e-15);
        ModeIntegrals mi = ModeIntegrals.zero(3);
        mi.h()[mi.hIndex(1, 1)] = 1;
        mi.h()[mi.hIndex(2, 2)] = 2;
        double r = Math.sqrt(0.5);
        PhaseEnsemble modes = PhaseAveragedFlow.modes(mi, new double[][]{{r, 0, 0, 0, r, 0}, unit(3, 1)}, fr, 3, new double[]{t}, 1e-14).at(0);
        PhaseEnsemble grd = g.at(0);
        for (int k = 1; k <= 2; k++) {
            double d = grd.traceDistance(k, modes.matrix(k), chi);
            assertTrue(d < GRID_TOL, "Tr|γ_grid^(" + k + ") − γ_modes^(" + k + ")| = " + d);
        }
        double[] occ = grd.occupations(1);
        for (int m = 0; m < 2; m++) assertEquals(fr[m], occ[m], GRID_TOL, "occupation " + m);
        double[] phi1 = PhaseAveragedFlow.combine(new double[][]{chi[0], chi[2]}, new double[]{r, 0, r * Math.cos(2 * t), -r * Math.sin(2 * t)});
        double[] z = PhaseEnsemble.inner(phi1, grd.orbitals(1)[0], grid.dV());
        assertEquals(1, Math.hypot(z[0], z[1]), GRID_TOL, "|<φ₁(t), leading orbital>|");
    }

    static double[] oscillator(Grid3D grid, int[] q) {
        int n = grid.n();
        double[] f = new double[2 * n * n * n];
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) for (int c = 0; c < n; c++)
            f[2 * ((a * n + b) * n + c)] = OscillatorModes.hermiteFunction(q[0], grid.x(a)) * OscillatorModes.hermiteFunction(q[1], grid.x(b)) * OscillatorModes.hermiteFunction(q[2], grid.x(c));
        // normalise on the grid (Riemann sum), so orthonormality holds to round-off
        double s = 0;
        for (double x : f) s += x * x;
        s = Math.sqrt(s * grid.dV());
        for (int i = 0; i < f.length; i++) f[i] /= s;
        return f;
    }
}
