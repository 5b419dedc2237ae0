package io.hartree.api.conformance;

import io.hartree.api.HartreePropagator;
import io.hartree.api.Observables;
import io.hartree.api.model.Components;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.GpTerms;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.model.TrapPotential;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several components ({@link Components}: K states of one system, coupled by c_ij·V and the Rabi
 * term (Ω_R/2)Σ_{j≠i}ψ_j, per-component traps), against analytic values that hold for every backend:
 * the equal-coupling reduction to one component, Rabi oscillations at the analytic frequency, norm
 * conservation, second order of Strang, the imaginary-time normalisation rule, and (for any backend
 * but the reference itself) agreement with {@link ReferenceBackend} on a run with every term.
 */
public abstract class ComponentsConformance extends BackendSuite {
    static final int N = 16;
    static final double L = 10;

    static HartreeProblem problem(Interaction v, Components c, Scheme scheme, TimeMode time, double dt) {
        return paper(N, L, 1.5, v, ConvolutionMode.PERIODIC, scheme, time, dt).withTerms(GpTerms.NONE.withComponents(c));
    }

    static double[] normalised(String spec, Grid3D g, double norm) {
        double[] psi = InitialState.parse(spec).sample(g);
        double s = 0;
        for (double x : psi) s += x * x;
        double f = Math.sqrt(norm / (s * g.dV()));
        for (int i = 0; i < psi.length; i++) psi[i] *= f;
        return psi;
    }

    static Components two(double[] c, double rabi, TrapPotential trap2, double p1) {
        return new Components(2, c, rabi, new TrapPotential[]{null, trap2}, new double[]{p1, 1 - p1});
    }

    double[][] run(HartreeProblem pb, double[][] psi0, int steps, Observables[] obs) {
        int k = psi0.length;
        try (HartreePropagator p = session.hartree(pb, k)) {
            for (int b = 0; b < k; b++) p.load(b, psi0[b]);
            p.setTime(0);
            p.advance(steps);
            double[][] out = new double[k][psi0[0].length];
            for (int b = 0; b < k; b++) {
                p.store(b, out[b]);
                if (obs != null) obs[b] = p.observe(b);
            }
            return out;
        }
    }

    /**
     * V_11 = V_12 = V_22 = V and one trap: ψ_1 = √p ψ, ψ_2 = √(1−p) ψ stay proportional to the one-component
     * solution ψ (the summed density is |ψ|²), to rounding: 1e-12 of max|ψ| after 20 steps (a few ulps per step,
     * as Tolerances.BATCH); the component energies sum to the one-component energy to 1e-12 relative.
     */
    void reducesToOneComponent(Interaction v, TimeMode time, double p1) {
        Components c = two(new double[]{1, 1, 1, 1}, 0, null, p1);
        HartreeProblem one = paper(N, L, 1.5, v, ConvolutionMode.PERIODIC, Scheme.STRANG, time, 1e-2);
        double[] psi = normalised("gaussian:x0=0.5,0,0;p0=0,0.3,0", one.grid(), 1);
        Observables single;
        double[] ref;
        try (HartreePropagator p = session.hartree(one)) {
            p.load(psi, 0);
            p.advance(20);
            ref = new double[psi.length];
            p.store(ref);
            single = p.observe();
        }
        double[] s = {Math.sqrt(p1), Math.sqrt(1 - p1)};
        double[][] psi0 = new double[2][psi.length];
        for (int b = 0; b < 2; b++) for (int i = 0; i < psi.length; i++) psi0[b][i] = s[b] * psi[i];
        Observables[] obs = new Observables[2];
        double[][] out = run(problem(v, c, Scheme.STRANG, time, 1e-2), psi0, 20, obs);
        double scale = maxAbs(ref);
        for (int b = 0; b < 2; b++) {
            double[] back = out[b].clone();
            for (int i = 0; i < back.length; i++) back[i] /= s[b];
            double e = maxDiff(back, ref) / scale;
            assertTrue(e <= 1e-12, time + " " + v + ": component " + b + " / √p differs from the one-component state by " + e + " > 1e-12");
            assertEquals(s[b] * s[b], obs[b].norm(), 1e-12, "norm of component " + b);
        }
        assertEquals(single.energy(), obs[0].energy() + obs[1].energy(), 1e-12 * Math.abs(single.energy()), "E_1 + E_2 = E");
        assertEquals(single.interaction(), obs[0].interaction() + obs[1].interaction(), 1e-12 * Math.abs(single.interaction()) + 1e-15, "interaction split");
    }

    @Test
    void equalCouplingsReduceToOneComponentRealTime() {
        reducesToOneComponent(new Interaction.Gaussian(2, 0.8), TimeMode.REAL, 0.3);
    }

    @Test
    void equalCouplingsReduceToOneComponentImaginaryContact() {
        reducesToOneComponent(new Interaction.Contact(3), TimeMode.IMAGINARY, 0.6);
    }

    /**
     * V = 0, one trap: the Rabi term commutes with h, so P_1(t) = cos²(Ω_R t/2) (K = 2) and
     * (5 + 4cos(3Ω_R t/2))/9 (K = 3, M = J − I) exactly for ψ_j(0) = 0, j > 1; the split step only adds
     * rounding: 1e-12 absolute over the 50 steps.
     */
    void rabiOscillations(int k, double omega) {
        Components c = Components.uniform(k).withRabi(omega).withPopulations(k == 2 ? new double[]{1, 0} : new double[]{1, 0, 0});
        HartreeProblem pb = problem(new Interaction.None(), c, Scheme.STRANG, TimeMode.REAL, 0.04);
        double[][] psi0 = new double[k][];
        psi0[0] = normalised("gaussian:x0=0.3,0,0;p0=0,0.2,0", pb.grid(), 1);
        for (int b = 1; b < k; b++) psi0[b] = new double[psi0[0].length];
        try (HartreePropagator p = session.hartree(pb, k)) {
            for (int b = 0; b < k; b++) p.load(b, psi0[b]);
            p.setTime(0);
            for (int chunk = 1; chunk <= 5; chunk++) {
                p.advance(10);
                double t = chunk * 10 * 0.04;
                double expect = k == 2 ? Math.pow(Math.cos(omega * t / 2), 2) : (5 + 4 * Math.cos(1.5 * omega * t)) / 9;
                assertEquals(expect, p.observe(0).norm(), 1e-12, "P_1(" + t + "), K = " + k);
                double total = 0;
                for (int b = 0; b < k; b++) total += p.observe(b).norm();
                assertEquals(1, total, 1e-12, "total norm at t = " + t);
            }
        }
    }

    @Test
    void rabiOscillationsTwoComponents() { rabiOscillations(2, 1.3); }

    @Test
    void rabiOscillationsThreeComponents() { rabiOscillations(3, 0.9); }

    static Components full() {
        return two(new double[]{1, 0.5, 0.5, 0.8}, 0.7, new TrapPotential.Harmonic(0.6, 0.75, 0.9, -1), 0.5);
    }

    double[][] twoStates(Grid3D g) {
        return new double[][]{normalised("gaussian:x0=0.5,0,0;p0=0,0.3,0", g, 0.6), normalised("gaussian:x0=-0.4,0.6,0;p0=0.2,0,-0.5", g, 0.4)};
    }

    /** V ≠ 0, Ω_R ≠ 0, distinct traps and couplings: the step is unitary, so Σ‖ψ_i‖² = 1 to 1e-12 after 25 steps (rounding). */
    @Test
    void totalNormConservedWithInteractionAndRabi() {
        HartreeProblem pb = problem(new Interaction.Gaussian(2, 0.8), full(), Scheme.STRANG, TimeMode.REAL, 1e-2);
        Observables[] obs = new Observables[2];
        run(pb, twoStates(pb.grid()), 25, obs);
        assertEquals(1, obs[0].norm() + obs[1].norm(), 1e-12, "total norm");
        assertTrue(Math.abs(obs[0].norm() - 0.6) > 1e-3, "Rabi moved population: " + obs[0].norm());
    }

    /** The paper's spinor system (one V, c_ij = 1, no Rabi): each population is conserved, to 1e-12 after 25 steps. */
    @Test
    void spinorPopulationsConserved() {
        Components c = Components.uniform(2);
        HartreeProblem pb = problem(new Interaction.Gaussian(2, 0.8), c, Scheme.STRANG, TimeMode.REAL, 1e-2);
        Observables[] obs = new Observables[2];
        run(pb, twoStates(pb.grid()), 25, obs);
        assertEquals(0.6, obs[0].norm(), 1e-12, "population 1");
        assertEquals(0.4, obs[1].norm(), 1e-12, "population 2");
    }

    /**
     * Strang with every term stays second order: the error at dt against dt/8, divided by the error
     * at dt/2, is 4 ± 0.4 (Tolerances.STRANG_RATIO).
     */
    @Test
    void strangSecondOrder() {
        double t = 0.2;
        double[][] ref = null;
        double[] err = new double[2];
        double[] dts = {t / 32, t / 4, t / 8};
        for (int r = 0; r < 3; r++) {
            HartreeProblem pb = problem(new Interaction.Gaussian(2, 0.8), full(), Scheme.STRANG, TimeMode.REAL, dts[r]);
            double[][] out = run(pb, twoStates(pb.grid()), (int) Math.round(t / dts[r]), null);
            if (r == 0) ref = out;
            else err[r - 1] = Math.max(maxDiff(out[0], ref[0]), maxDiff(out[1], ref[1]));
        }
        double ratio = err[0] / err[1];
        assertEquals(Tolerances.STRANG_RATIO, ratio, Tolerances.STRANG_RATIO_TOL, "error ratio dt/(dt/2), errors " + err[0] + ", " + err[1]);
    }

    /**
     * Imaginary time keeps each component at its population p_i without Rabi, and the total at 1 with
     * Rabi (then the populations move); both to 1e-12.
     */
    @Test
    void imaginaryTimeNormalisation() {
        Components noRabi = full().withRabi(0).withPopulations(new double[]{0.3, 0.7});
        HartreeProblem pb = problem(new Interaction.Gaussian(2, 0.8), noRabi, Scheme.STRANG, TimeMode.IMAGINARY, 1e-2);
        Observables[] obs = new Observables[2];
        run(pb, twoStates(pb.grid()), 30, obs);
        assertEquals(0.3, obs[0].norm(), 1e-12, "p_1 without Rabi");
        assertEquals(0.7, obs[1].norm(), 1e-12, "p_2 without Rabi");
        pb = problem(new Interaction.Gaussian(2, 0.8), full(), Scheme.STRANG, TimeMode.IMAGINARY, 1e-2);
        run(pb, twoStates(pb.grid()), 30, obs);
        assertEquals(1, obs[0].norm() + obs[1].norm(), 1e-12, "total with Rabi");
        assertTrue(Math.abs(obs[0].norm() - 0.6) > 1e-3, "Rabi moved population in imaginary time: " + obs[0].norm());
    }

    /**
     * Every term at once, K = 3, real and imaginary time (start-of-step density), contact and spectral:
     * the backend's merged steps equal the reference's unmerged ones (Rabi by Taylor series there) to
     * 1e-10 of max|ψ| after 10 steps, and the observables (per-component energy split included) to 1e-10.
     */
    void matchesReference(Interaction v, TimeMode time) {
        org.junit.jupiter.api.Assumptions.assumeFalse(session.backend().equals("reference"), "the reference itself");
        Components c = new Components(3, new double[]{1, 0.4, 0.6, 0.4, 0.9, 0.3, 0.6, 0.3, 1.2}, 0.8,
                new TrapPotential[]{null, new TrapPotential.Harmonic(0.6, 0.75, 0.9, -1), null}, new double[]{0.5, 0.3, 0.2});
        HartreeProblem pb = paper(8, 8, 1.5, v, ConvolutionMode.PERIODIC, Scheme.STRANG, time, 2e-2).withTerms(GpTerms.NONE.withComponents(c));
        double[][] psi0 = {normalised("gaussian:x0=0.5,0,0;p0=0,0.3,0", pb.grid(), 0.5), normalised("ground", pb.grid(), 0.3),
                normalised("gaussian:x0=-0.4,0.6,0;p0=0.2,0,-0.5", pb.grid(), 0.2)};
        Observables[] mine = new Observables[3];
        double[][] out = run(pb, psi0, 10, mine);
        try (io.hartree.api.BackendSession ref = new ReferenceBackend().open(options());
             HartreePropagator p = ref.hartree(pb, 3)) {
            for (int b = 0; b < 3; b++) p.load(b, psi0[b]);
            p.setTime(0);
            p.advance(10);
            for (int b = 0; b < 3; b++) {
                double[] r = new double[out[b].length];
                p.store(b, r);
                double e = maxDiff(out[b], r) / maxAbs(r);
                assertTrue(e <= 1e-10, time + " " + v + ": component " + b + " differs from the reference by " + e);
                Observables o = p.observe(b);
                assertEquals(o.norm(), mine[b].norm(), 1e-10, "norm " + b);
                assertEquals(o.energy(), mine[b].energy(), 1e-10 * Math.max(1, Math.abs(o.energy())), "energy " + b);
                assertEquals(o.interaction(), mine[b].interaction(), 1e-10 * Math.max(1, Math.abs(o.interaction())), "interaction " + b);
                assertEquals(o.trap(), mine[b].trap(), 1e-10 * Math.max(1, Math.abs(o.trap())), "trap " + b);
            }
        }
    }

    @Test
    void matchesReferenceRealSpectral() { matchesReference(new Interaction.Gaussian(2, 0.8), TimeMode.REAL); }

    @Test
    void matchesReferenceImaginaryContact() { matchesReference(new Interaction.Contact(3), TimeMode.IMAGINARY); }
}
