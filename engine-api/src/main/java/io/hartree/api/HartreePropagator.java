package io.hartree.api;

import io.hartree.api.model.HartreeProblem;

/**
 * Split-step propagator of i∂tφ = hφ + (V*|φ|²)φ on one backend. The state lives in the
 * backend's memory; it crosses to the host only through {@link #load}, {@link #store} and
 * {@link #observe}. Implementations allocate in their constructor and never in
 * {@link #advance}.
 */
public interface HartreePropagator extends AutoCloseable {
    HartreeProblem problem();

    /** Sets the state (state 0 of a batch) from an interleaved complex host array of length 2n³ (C order); time is set to t. */
    void load(double[] psi, double t);

    /** Copies the state into {@code psi} (interleaved, length 2n³). */
    void store(double[] psi);

    /** Number of states this propagator holds (1 unless made by {@link io.hartree.api.BackendSession#hartree(HartreeProblem, int)}). */
    default int batch() { return 1; }

    /** Sets state {@code state} (0..batch−1) from an interleaved complex host array of length 2n³; the time is unchanged. */
    default void load(int state, double[] psi) {
        if (state != 0) throw new IndexOutOfBoundsException("state " + state + " of a batch of " + batch());
        load(psi, time());
    }

    /** Copies state {@code state} into {@code psi} (interleaved, length 2n³). */
    default void store(int state, double[] psi) {
        if (state != 0) throw new IndexOutOfBoundsException("state " + state + " of a batch of " + batch());
        store(psi);
    }

    /** Observables of state {@code state}. {@link #observe()} is state 0. */
    default Observables observe(int state) {
        if (state != 0) throw new IndexOutOfBoundsException("state " + state + " of a batch of " + batch());
        return observe();
    }

    /**
     * Sets state 0 from an interleaved complex array of 2n³ doubles in a memory segment (heap or
     * off-heap, long-indexed: grids past 2³¹ values) and the time to t. The default goes through a
     * Java array, so it serves up to 2n³ < 2³¹; propagators on long-indexed memory override it.
     */
    default void load(java.lang.foreign.MemorySegment psi, double t) {
        load(toArray(psi), t);
    }

    /** Copies state 0 into {@code psi} (2n³ doubles, long-indexed); see {@link #load(java.lang.foreign.MemorySegment, double)}. */
    default void store(java.lang.foreign.MemorySegment psi) {
        long values = psi.byteSize() / Double.BYTES;
        if (values > Integer.MAX_VALUE - 8)
            throw new ParameterException("--grid", problem().grid().n(), "2n³ < 2³¹ values on this backend's propagator (it stores through a Java array)");
        double[] a = new double[(int) values];
        store(a);
        java.lang.foreign.MemorySegment.copy(a, 0, psi, java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, a.length);
    }

    private double[] toArray(java.lang.foreign.MemorySegment psi) {
        long values = psi.byteSize() / Double.BYTES;
        if (values > Integer.MAX_VALUE - 8)
            throw new ParameterException("--grid", problem().grid().n(), "2n³ < 2³¹ values on this backend's propagator (it loads through a Java array)");
        double[] a = new double[(int) values];
        java.lang.foreign.MemorySegment.copy(psi, java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, a, 0, a.length);
        return a;
    }

    /** Sets the time of all states (the clock of {@link #time()}), e.g. after loading each state. */
    default void setTime(double t) { throw new UnsupportedOperationException("setTime"); }

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
