package io.hartree.cpu;

import java.lang.foreign.MemorySegment;

/**
 * The transforms of one propagator, on buffers it owns. All transforms are unnormalised
 * (forward sign −1, backward +1: backward(forward(f)) = n³ f), the FFTW/cuFFT convention.
 * <ul>
 *   <li>{@link #psi()}: complex n³ (interleaved), transformed in place by {@link #forward()} and
 *       {@link #backward()};</li>
 *   <li>{@link #rho()}: real, the density at (i, j, k), i, j, k < n, lives at
 *       i·{@link #rhoPlaneStride()} + j·{@link #rhoRowStride()} + k, and the padding (never
 *       written by the engine) is zero; likewise the result in {@link #conv()};
 *       {@link #rhoForward()} writes its r2c transform to {@link #rhoHat()} (complex
 *       m·m·(m/2+1)); {@link #convBackward()} writes the c2r transform of rhoHat to
 *       {@link #conv()} (real m³), destroying rhoHat.</li>
 * </ul>
 * m = 0 means no density transforms (no or local interaction). {@link #work()} (complex n³,
 * only when requested at construction) receives {@link #backwardToWork()}: the backward
 * transform of psi, out of place, psi preserved.
 */
interface Fft3 extends AutoCloseable {
    MemorySegment psi();
    MemorySegment rho();
    MemorySegment rhoHat();
    MemorySegment conv();

    MemorySegment work();

    /** Stride (in doubles) between x-planes of {@link #rho()} and {@link #conv()}: m² (full) or n·m (pruned padded). */
    long rhoPlaneStride();

    /** Stride (in doubles) between rows of {@link #rho()} and {@link #conv()}: m. */
    long rhoRowStride();

    void backwardToWork();

    void forward();
    void backward();
    void rhoForward();
    void convBackward();

    /** "FFTW 3.3.10, 2 threads, MEASURE" or "JTransforms 3.1". */
    String describe();

    @Override
    void close();
}
