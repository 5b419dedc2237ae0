package io.hartree.api.hartree;

import io.hartree.api.HartreePropagator;
import io.hartree.api.Observables;

import io.hartree.api.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A run on any backend's {@link HartreePropagator}: {@code steps} steps from the loaded state,
 * observing at the start, every {@code observeEvery} steps and at the end (the state crosses to
 * the host only then).
 */
public final class Evolution {
    private Evolution() {}

    /** Advances {@code steps} steps; returns the observations (first at the current time). */
    public static List<Observables> run(HartreePropagator p, int steps, int observeEvery, Consumer<Observables> listener) {
        ParameterException.require(steps >= 0, "steps", steps, "integer >= 0");
        ParameterException.require(observeEvery >= 1, "--observe-every", observeEvery, "integer >= 1");
        List<Observables> out = new ArrayList<>(steps / observeEvery + 2);
        Observables o = p.observe();
        out.add(o);
        if (listener != null) listener.accept(o);
        int done = 0;
        while (done < steps) {
            int k = Math.min(observeEvery, steps - done);
            p.advance(k);
            done += k;
            o = p.observe();
            out.add(o);
            if (listener != null) listener.accept(o);
        }
        return out;
    }

    /** Number of steps of size dt that reach time t (rounded to the nearest; at least 1 for t > 0). */
    public static int stepsFor(double t, double dt) {
        ParameterException.require(t >= 0 && Double.isFinite(t), "--time", t, "finite t >= 0");
        long s = Math.round(t / dt);
        ParameterException.require(s <= Integer.MAX_VALUE, "--time", t, "t/dt <= " + Integer.MAX_VALUE);
        return (int) Math.max(t > 0 ? 1 : 0, s);
    }
}
