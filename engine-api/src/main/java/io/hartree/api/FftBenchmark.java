package io.hartree.api;

/**
 * Optional capability of a {@link io.hartree.api.BackendSession}: time the backend's FFT alone,
 * for {@code hartree bench} (what limits a split-step is mostly the FFT). Sessions that offer it
 * implement this interface; callers test with {@code instanceof}.
 */
public interface FftBenchmark {
    /**
     * Prepares one in-place, unnormalised, forward complex 3D FFT of size n³ (double) on the
     * backend's FFT library with the session's threads and plans.
     */
    Transform complexFft(int n);

    /**
     * Prepares the real pair of a periodic density convolution: one r2c transform of a real n³
     * array to its half spectrum n·n·(n/2+1), then the c2r transform back (out of place, as a
     * split-step does it). With two {@link #complexFft}s this is the FFT work of one periodic
     * Strang step, so the two figures give the step's FFT floor.
     */
    Transform realFftPair(int n);

    /** A prepared transform: {@link #run()} executes it once (and waits for it, on a device). */
    interface Transform extends AutoCloseable {
        void run();

        /** The library and its settings, e.g. "FFTW 3.3.10, 2 threads, MEASURE plans". */
        String describe();

        @Override
        void close();
    }
}
