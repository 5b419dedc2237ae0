package io.hartree.cpu;

import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Order of the splitting: the error after t = 1 against the exact solution, when dt halves, falls
 * by 4 ± 0.4 (Strang) and 16 ± 2 (fourth order). Grids are chosen so that the spatial error
 * (below 1e-12: the Gaussians' spectra at the Nyquist wave number) is far below the splitting
 * error (1e-4 … 1e-8), so the ratio measures the splitting alone.
 */
class SplittingOrderTest {
    static CpuSession session;

    @BeforeAll static void open() { session = Problems.session(); }

    @AfterAll static void close() { session.close(); }

    /** max_x |φ_dt(1) − φ_exact(1)| with V = 0 for the given initial state and exact solution. */
    static double error(Grid3D g, double nu, Scheme scheme, double dt, InitialState init, double[] exact) {
        HartreeProblem pb = new HartreeProblem(g, io.hartree.api.model.OneBodyOperator.paper(nu), new Interaction.None(),
                ConvolutionMode.PERIODIC, scheme, TimeMode.REAL, dt);
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(init.sample(g), 0);
            p.advance((int) Math.round(1 / dt));
            double[] psi = new double[exact.length];
            p.store(psi);
            return Problems.maxDiff(psi, exact);
        }
    }

    /**
     * The coherent state of h_ν: φ⁰(x − x₀)e^{ip₀·x} evolves into
     * e^{ix₀·p₀/2} π^{−3/4} exp(−|x − X|²/2 + iP·x − iX·P/2), X = x₀cos νt + p₀ sin νt,
     * P = p₀cos νt − x₀ sin νt (h_ν's ground energy is 0, so no further phase).
     */
    static double[] coherent(Grid3D g, double nu, double t, double[] x0, double[] p0) {
        int n = g.n();
        double[] X = new double[3], P = new double[3];
        double phase0 = 0, xp = 0;
        for (int d = 0; d < 3; d++) {
            X[d] = x0[d] * Math.cos(nu * t) + p0[d] * Math.sin(nu * t);
            P[d] = p0[d] * Math.cos(nu * t) - x0[d] * Math.sin(nu * t);
            phase0 += 0.5 * x0[d] * p0[d];
            xp += X[d] * P[d];
        }
        double[] psi = new double[2 * n * n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            double[] x = {g.x(i), g.x(j), g.x(k)};
            double r2 = 0, ph = phase0 - 0.5 * xp;
            for (int d = 0; d < 3; d++) { r2 += (x[d] - X[d]) * (x[d] - X[d]); ph += P[d] * x[d]; }
            double a = Math.pow(Math.PI, -0.75) * Math.exp(-0.5 * r2);
            int q = 2 * ((i * n + j) * n + k);
            psi[q] = a * Math.cos(ph);
            psi[q + 1] = a * Math.sin(ph);
        }
        return psi;
    }

    static void assertRatio(String what, double e1, double e2, double expect, double tol) {
        double ratio = e1 / e2;
        System.out.printf("%s: errors %.3e, %.3e, ratio %.3f%n", what, e1, e2, ratio);
        assertTrue(Math.abs(ratio - expect) <= tol, what + ": errors " + e1 + ", " + e2 + ", ratio " + ratio + " not in " + expect + " ± " + tol);
    }

    /** A displaced, boosted Gaussian (coherent state) against its exact evolution. */
    @Test
    void coherentStateErrorRatios() {
        Grid3D g = new Grid3D(48, 16);
        double[] x0 = {1, -0.5, 0}, p0 = {0, 0.5, 0.25};
        InitialState init = new InitialState.Gaussian(x0, p0);
        double[] exact = coherent(g, 1.5, 1, x0, p0);
        double e1 = error(g, 1.5, Scheme.STRANG, 0.05, init, exact);
        double e2 = error(g, 1.5, Scheme.STRANG, 0.025, init, exact);
        assertRatio("strang, coherent state, nu = 1.5", e1, e2, 4, 0.4);
        double f1 = error(g, 1.5, Scheme.FOURTH, 0.1, init, exact);
        double f2 = error(g, 1.5, Scheme.FOURTH, 0.05, init, exact);
        assertRatio("fourth, coherent state, nu = 1.5", f1, f2, 16, 2);
    }
}
