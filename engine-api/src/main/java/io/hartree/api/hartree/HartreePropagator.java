package io.hartree.api.hartree;

/**
 * Split-step propagator of i∂tφ = hφ + (V*|φ|²)φ on one backend. The state lives in the
 * backend's memory; it crosses to the host only through {@link #load}, {@link #store} and
 * {@link #observe}. Implementations allocate in their constructor and never in
 * {@link #advance}.
 */
public interface HartreePropagator extends AutoCloseable {
    HartreeProblem problem();

    /** Sets the state from an interleaved complex host array of length 2n³ (C order); time is set to t. */
    void load(double[] psi, double t);

    /** Copies the state into {@code psi} (interleaved, length 2n³). */
    void store(double[] psi);

    /** Advances {@code steps} time steps of the problem's scheme (imaginary time renormalises each step). */
    void advance(int steps);

    /** Current time (in imaginary time: the elapsed imaginary time). */
    double time();

    /** Observables of the current state. */
    Observables observe();

    /**
     * Warnings raised so far (state not resolved on the grid, mass at the box edge, see
     * {@link Observables#warnings()}), each kind once, in the order first seen. Backends check
     * at {@link #load} and at every {@link #observe}.
     */
    default java.util.List<String> warnings() { return java.util.List.of(); }

    /**
     * How this propagator runs a step on its backend, in a few words for benchmark tables and
     * summaries (e.g. which transforms and kernels); empty when there is nothing to choose.
     */
    default String implementation() { return ""; }

    @Override
    void close();
}
