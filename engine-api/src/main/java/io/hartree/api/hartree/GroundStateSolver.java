package io.hartree.api.hartree;

import io.hartree.api.HartreePropagator;
import io.hartree.api.Observables;
import io.hartree.api.model.TimeMode;

import io.hartree.api.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ground state by imaginary-time propagation φ ← e^{−τ(h + V*|φ|²)}φ/‖·‖ on any backend's
 * {@link HartreePropagator} (its problem must be in {@link TimeMode#IMAGINARY}). Every
 * {@code checkEvery} steps the energy E is observed; the run stops when
 * |E(τ) − E(τ − checkEvery·dt)| / (checkEvery·dt) < tolerance (the energy's decay rate per unit
 * imaginary time) or after {@code maxSteps} steps.
 */
public final class GroundStateSolver {
    private GroundStateSolver() {}

    /** The outcome: the observations made (the first at τ = 0), whether the tolerance was met, and the steps taken. */
    public record Result(List<Observables> history, boolean converged, int steps, double rate) {
        public Observables last() { return history.getLast(); }
    }

    /**
     * Runs imaginary time from {@code initial} (interleaved complex, 2n³). {@code listener}
     * (may be null) sees each observation as it is made.
     */
    public static Result solve(HartreePropagator p, double[] initial, double tolerance, int maxSteps, int checkEvery,
                               Consumer<Observables> listener) {
        return solve(p, java.lang.foreign.MemorySegment.ofArray(initial), tolerance, maxSteps, checkEvery, listener);
    }

    /** {@link #solve(HartreePropagator, double[], double, int, int, Consumer)} from 2n³ doubles in a segment (long-indexed). */
    public static Result solve(HartreePropagator p, java.lang.foreign.MemorySegment initial, double tolerance, int maxSteps, int checkEvery,
                               Consumer<Observables> listener) {
        if (p.problem().timeMode() != TimeMode.IMAGINARY)
            throw new ParameterException("time mode", p.problem().timeMode(), "imaginary (a ground state needs imaginary time)");
        ParameterException.require(tolerance > 0 && Double.isFinite(tolerance), "--tolerance", tolerance, "finite tolerance > 0");
        ParameterException.require(maxSteps >= 1, "--max-steps", maxSteps, "integer >= 1");
        ParameterException.require(checkEvery >= 1, "--observe-every", checkEvery, "integer >= 1");
        p.load(initial, 0.0);
        List<Observables> history = new ArrayList<>();
        Observables o = p.observe();
        history.add(o);
        if (listener != null) listener.accept(o);
        double dt = p.problem().dt();
        int steps = 0;
        double rate = Double.POSITIVE_INFINITY;
        while (steps < maxSteps) {
            int k = Math.min(checkEvery, maxSteps - steps);
            p.advance(k);
            steps += k;
            Observables next = p.observe();
            history.add(next);
            if (listener != null) listener.accept(next);
            rate = Math.abs(next.energy() - o.energy()) / (k * dt);
            o = next;
            if (rate < tolerance) return new Result(List.copyOf(history), true, steps, rate);
        }
        return new Result(List.copyOf(history), false, steps, rate);
    }
}
