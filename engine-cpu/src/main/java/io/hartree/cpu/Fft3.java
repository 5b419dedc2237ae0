package io.hartree.cpu;

import java.lang.foreign.MemorySegment;

/**
 * The transforms of one propagator's batch of states, on buffers it owns. All transforms are
 * unnormalised (forward sign −1, backward +1: backward(forward(f)) = n³ f), the FFTW/cuFFT
 * convention. One set of plans serves every state (FFTW's new-array execute).
 * <ul>
 *   <li>{@link #psi(int)}: complex n³ (interleaved) of state b, transformed in place by
 *       {@link #forward(int)} and {@link #backward(int)};</li>
 *   <li>{@link #rho()} (shared by the batch): real, the density at (i, j, k), i, j, k < n, lives at
 *       i·{@link #rhoPlaneStride()} + j·{@link #rhoRowStride()} + k, and the padding (never
 *       written by the engine) is zero; likewise the result in {@link #conv(int)} (one per state);
 *       {@link #rhoForward()} writes its r2c transform to {@link #rhoHat()} (shared, complex
 *       m·m·(m/2+1)); {@link #convBackward(int)} writes the c2r transform of rhoHat to
 *       {@link #conv(int)} (real m³), destroying rhoHat.</li>
 * </ul>
 * m = 0 means no density transforms (no or local interaction). {@link #work()} (complex n³, shared,
 * only when requested at construction) receives {@link #backwardToWork(int)}: the backward
 * transform of psi(b), out of place, psi(b) preserved.
 */
interface Fft3 extends AutoCloseable {
    int batch();
    MemorySegment psi(int b);
    MemorySegment rho();
    MemorySegment rhoHat();
    MemorySegment conv(int b);

    MemorySegment work();

    /** Stride (in doubles) between x-planes of {@link #rho()} and {@link #conv(int)}: m² (full) or n·m (pruned padded). */
    long rhoPlaneStride();

    /** Stride (in doubles) between rows of {@link #rho()} and {@link #conv(int)}: m. */
    long rhoRowStride();

    /** Doubles in {@link #rho()} and in each {@link #conv(int)}. */
    long rhoLength();

    void backwardToWork(int b);

    void forward(int b);
    void backward(int b);
    void rhoForward();
    void convBackward(int b);

    /**
     * The unnormalised 1D transform along one axis (0: x, stride n²; 1: y, stride n) of psi(b), in place,
     * sign −1 ({@code forward}) or +1 (the rotating frame's mixed representations).
     */
    void axis(int b, int axis, boolean forward);

    /** Bytes this object allocated for its buffers. */
    long bytes();

    /** "FFTW 3.3.10, 2 threads, MEASURE" or "JTransforms 3.1". */
    String describe();

    @Override
    void close();
}
