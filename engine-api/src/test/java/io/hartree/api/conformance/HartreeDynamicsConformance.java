package io.hartree.api.conformance;

import io.hartree.api.BackendSession;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.hartree.Evolution;
import io.hartree.api.hartree.GroundStateSolver;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.Observables;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.hartree.api.conformance.Tolerances.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The split-step dynamics through the SPI: stationarity of φ⁰ under h_ν, the order of Strang and
 * of the fourth-order composition, the Kohn mode, norm and energy conservation in real time, and
 * imaginary-time ground states (V = 0, the virial identity of a contact ground state, first-order
 * perturbation theory), and single precision where the backend declares it.
 */
public abstract class HartreeDynamicsConformance extends BackendSuite {
    /** The kit's standard grid: 24³ on L = 12 (dx = 0.5, φ⁰ resolved to 1e-13, edge mass e^{−36}). */
    static final Grid3D GRID = new Grid3D(24, 12);

    static void assertRatio(String what, double e1, double e2, double expect, double tol) {
        double ratio = e1 / e2;
        System.out.printf("%s: errors %.3e, %.3e, ratio %.3f%n", what, e1, e2, ratio);
        assertTrue(Math.abs(ratio - expect) <= tol, what + ": errors " + e1 + ", " + e2 + ", ratio " + ratio + " not in " + expect + " ± " + tol);
    }

    /** V = 0: φ⁰ is the eigenvector of h_ν with eigenvalue 0, so |⟨φ⁰, φ(t)⟩|² = 1 and ⟨h⟩ = 0. */
    @Test
    void groundStateIsStationaryWithoutInteraction() {
        HartreeProblem pb = new HartreeProblem(GRID, io.hartree.api.model.OneBodyOperator.paper(2), new Interaction.None(),
                ConvolutionMode.PERIODIC, Scheme.FOURTH, TimeMode.REAL, 1e-2);
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(new InitialState.Ground().sample(GRID), 0);
            p.advance(50);
            Observables o = p.observe();
            assertEquals(1, o.overlap0(), STATIONARY, "|<phi0, phi(t)>|^2 after t = 0.5");
            assertEquals(0, o.energy(), STATIONARY, "<h_nu> after t = 0.5");
        }
    }

    /** max_x |φ_dt(1) − φ⁰| with V = 0 (φ⁰ is stationary: the error is the splitting's). */
    double stationaryError(Scheme scheme, double dt) {
        HartreeProblem pb = paper(GRID.n(), GRID.length(), 1, new Interaction.None(), ConvolutionMode.PERIODIC, scheme, TimeMode.REAL, dt);
        double[] phi0 = new InitialState.Ground().sample(GRID);
        return maxDiff(evolve(pb, phi0, (int) Math.round(1 / dt)), phi0);
    }

    /** V = 0, φ⁰, t = 1, ν = 1: the error falls by 4 (Strang, dt 0.1 → 0.05) and 16 (fourth, dt 0.2 → 0.1). */
    @Test
    void splittingOrderAgainstTheExactSolution() {
        assertRatio("strang, phi0, V = 0", stationaryError(Scheme.STRANG, 0.1), stationaryError(Scheme.STRANG, 0.05), STRANG_RATIO, STRANG_RATIO_TOL);
        assertRatio("fourth, phi0, V = 0", stationaryError(Scheme.FOURTH, 0.2), stationaryError(Scheme.FOURTH, 0.1), FOURTH_RATIO, FOURTH_RATIO_TOL);
    }

    /** With an interaction (no closed form): errors against a run at dt/8 fall by 4 and 16 (16³, L = 10, t = 0.4). */
    @Test
    void splittingOrderWithInteraction() {
        double[] psi0 = InitialState.parse("gaussian:x0=0.7,0,0;p0=0,0.4,0").sample(new Grid3D(16, 10));
        for (Scheme scheme : Scheme.values()) {
            double T = 0.4;
            int coarse = scheme == Scheme.STRANG ? 8 : 2;
            double[] ref = evolve(interacting(scheme, T / (8 * coarse)), psi0, 8 * coarse);
            double e1 = maxDiff(evolve(interacting(scheme, T / coarse), psi0, coarse), ref);
            double e2 = maxDiff(evolve(interacting(scheme, T / (2 * coarse)), psi0, 2 * coarse), ref);
            // The reference's own error is 4⁻³ (Strang) or 16⁻³ of e1: it shifts the ratio by < 0.3 (< 0.1).
            if (scheme == Scheme.STRANG) assertRatio("strang, gaussian V", e1, e2, STRANG_RATIO, STRANG_RATIO_TOL);
            else assertRatio("fourth, gaussian V", e1, e2, FOURTH_RATIO, FOURTH_RATIO_TOL);
        }
    }

    static HartreeProblem interacting(Scheme scheme, double dt) {
        return paper(16, 10, 1, new Interaction.Gaussian(4, 1), ConvolutionMode.PERIODIC, scheme, TimeMode.REAL, dt);
    }

    /**
     * Kohn mode: in a harmonic trap the centre of mass of a displaced Gaussian oscillates as
     * x₀cos(νt) whatever the even interaction. Each sub-flow of the split step moves the means
     * exactly (Ehrenfest is exact for quadratic h; an even V exerts no net force): the kinetic flow
     * drifts ⟨x⟩ by ντ⟨p⟩, the potential flow kicks ⟨p⟩ by −ντ⟨x⟩. So ⟨x⟩ after k Strang steps is
     * the k-th iterate of the drift–kick–drift map (KOHN_DISCRETE), which is x₀cos(νt) up to its
     * phase and amplitude errors (KOHN_CONTINUUM).
     */
    @Test
    void kohnModeOscillatesAtTheTrapFrequency() {
        double nu = 2, x0 = 1, dt = 1e-2;
        HartreeProblem pb = paper(GRID.n(), GRID.length(), nu, new Interaction.Gaussian(3, 0.8), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, dt);
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(InitialState.parse("gaussian:x0=" + x0 + ",0,0").sample(GRID), 0);
            List<Observables> obs = Evolution.run(p, 100, 10, null);
            assertEquals(11, obs.size(), "observations at t = 0, 0.1, ..., 1");
            double x = x0, px = 0;
            int step = 0;
            for (Observables o : obs) {
                int target = (int) Math.round(o.time() / dt);
                for (; step < target; step++) {
                    x += nu * 0.5 * dt * px;
                    px -= nu * dt * x;
                    x += nu * 0.5 * dt * px;
                }
                assertEquals(x, o.meanX(), KOHN_DISCRETE, "<x>(t = " + o.time() + ") vs the Störmer–Verlet iterate");
                assertEquals(x0 * Math.cos(nu * o.time()), o.meanX(), KOHN_CONTINUUM, "<x>(t = " + o.time() + ") vs x0 cos(nu t)");
                assertEquals(0, o.meanY(), KOHN_DISCRETE, "<y>(t = " + o.time() + ")");
            }
        }
    }

    double energyDrift(double dt) {
        HartreeProblem pb = paper(GRID.n(), GRID.length(), 1, new Interaction.Gaussian(2, 1), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, dt);
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(InitialState.parse("gaussian:x0=1,0,0.5;p0=0,0.5,0").sample(GRID), 0);
            Observables o0 = p.observe();
            p.advance((int) Math.round(0.5 / dt));
            Observables o1 = p.observe();
            assertEquals(o0.norm(), o1.norm(), NORM_DRIFT, "norm conserved in real time, dt = " + dt);
            return Math.abs(o1.energy() - o0.energy());
        }
    }

    /** Real time: the norm is conserved to round-off; Strang conserves energy to O(dt²): the drift falls by 4 when dt halves. */
    @Test
    void normAndEnergyConservedInRealTime() {
        double d1 = energyDrift(0.04), d2 = energyDrift(0.02);
        assertRatio("energy drift at t = 0.5", d1, d2, STRANG_RATIO, STRANG_RATIO_TOL);
    }

    /** Imaginary time with V = 0 reaches φ⁰: energy inf σ(h_ν) = 0, norm 1, overlap 1. */
    @Test
    void imaginaryTimeFindsTheGroundStateOfHNu() {
        HartreeProblem pb = paper(GRID.n(), GRID.length(), 2, new Interaction.None(), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.IMAGINARY, 1e-2);
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(InitialState.parse("gaussian:x0=0.8,0,-0.3;p0=0.4,0,0").sample(GRID), 0);
            p.advance(300);
            Observables o = p.observe();
            System.out.printf("%s: imaginary-time ground state of h_nu: E = %.3e, 1 - overlap = %.3e%n", session.backend(), o.energy(), 1 - o.overlap0());
            assertEquals(1, o.norm(), RENORMALISED, "renormalised every step");
            assertEquals(0, o.energy(), GROUND_ENERGY, "E -> inf sigma(h_nu) = 0");
            assertEquals(1, o.overlap0(), GROUND_ENERGY, "|<phi0, phi>|^2");
        }
    }

    /**
     * A weak Gaussian interaction λ: the ground-state energy is λ·E₁ + O(λ²) with
     * E₁ = ½∫(V₁*ρ₀)ρ₀ = ½(σ²/(σ² + 1))^{3/2} for V₁ = e^{−r²/2σ²} (first-order perturbation
     * theory). The same run with V = 0 is subtracted: its energy is the Strang fixed point's O(dt²) bias.
     */
    @Test
    void weakInteractionGroundStateMatchesFirstOrderPerturbation() {
        double lam = 0.02, s = 1;
        double e = groundEnergy(new Interaction.Gaussian(lam, s)) - groundEnergy(new Interaction.None());
        double e1 = 0.5 * Math.pow(s * s / (s * s + 1), 1.5);
        System.out.printf("%s: perturbation (E - lambda E1)/lambda = %.3e%n", session.backend(), (e - lam * e1) / lam);
        assertEquals(lam * e1, e, PERTURBATION * lam, "E(lambda) - E(0) = lambda E1 + O(lambda^2)");
    }

    double groundEnergy(Interaction v) {
        HartreeProblem pb = paper(GRID.n(), GRID.length(), 2, v, ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.IMAGINARY, 1e-2);
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(new InitialState.Ground().sample(GRID), 0);
            p.advance(100);
            return p.observe().energy();
        }
    }

    /**
     * Virial theorem for a contact ground state: scaling φ_s = s^{3/2}φ(sx) in E = E_kin + E_harm
     * + E_int (∝ s², s^{−2}, s³) gives 2E_kin − 2E_harm + 3E_int = 0, E_harm = ∫(ν/2)|x|²|φ|².
     */
    @Test
    void virialIdentityForAContactGroundState() {
        double nu = 1, g = 20;
        HartreeProblem pb = paper(GRID.n(), GRID.length(), nu, new Interaction.Contact(g), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.IMAGINARY, 1e-2);
        try (HartreePropagator p = session.hartree(pb)) {
            GroundStateSolver.Result r = GroundStateSolver.solve(p, new InitialState.Ground().sample(GRID), 1e-8, 3000, 50, null);
            assertTrue(r.converged(), "converged, rate " + r.rate());
            Observables o = r.last();
            double virial = 2 * o.kinetic() - 2 * o.harmonicTrap(nu) + 3 * o.interaction();
            System.out.printf("%s: virial residual %.3e of E_kin after %d steps%n", session.backend(), virial / o.kinetic(), r.steps());
            assertTrue(o.interaction() > 0.1, "the contact term matters: E_int = " + o.interaction());
            assertEquals(0, virial, VIRIAL * o.kinetic(), "2E_kin - 2E_harm + 3E_int");
            assertEquals(1, o.norm(), RENORMALISED, "renormalised");
        }
    }

    /** Single precision, where declared: E_int(φ⁰) = 2^{−5/2}, the norm after 100 steps, ⟨|x|²⟩ against double. */
    @Test
    void singlePrecisionFollowsDouble() {
        assumeTrue(session.capabilities().precisions().contains(Precision.SINGLE),
                () -> session.backend() + " declares no single precision: " + session.capabilities().precisions());
        HartreeProblem pb = paper(GRID.n(), 16, 1, new Interaction.Gaussian(1, 1), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 2e-3);
        double[] psi0 = new InitialState.Ground().sample(pb.grid());
        Observables single, dbl;
        try (BackendSession s = backend().open(new SessionOptions(Precision.SINGLE, options().threads(), options().device()));
             HartreePropagator p = s.hartree(pb)) {
            p.load(psi0, 0);
            assertEquals(Math.pow(2, -2.5), p.observe().interaction(), Tolerances.Single.ENERGY, "single: E_int(phi0) = 2^{-5/2}");
            p.advance(100);
            single = p.observe();
        }
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(psi0, 0);
            p.advance(100);
            dbl = p.observe();
        }
        assertEquals(1, single.norm(), Tolerances.Single.NORM, "single: norm after 100 steps");
        assertTrue(Math.abs(dbl.x2() - 1.5) > 20 * Tolerances.Single.DYNAMICS * 1.5, "<x2> must move for the comparison to have power: " + dbl.x2());
        assertEquals(dbl.x2(), single.x2(), Tolerances.Single.DYNAMICS * dbl.x2(), "single <x2> against double");
    }
}
