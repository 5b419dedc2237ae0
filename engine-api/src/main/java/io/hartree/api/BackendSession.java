package io.hartree.api;

import io.hartree.api.model.HartreeProblem;

/**
 * An open backend: owns its resources until {@link #close()}. Offers the two jobs of the
 * engine: split-step Hartree propagation and Fock-space matrix exponentials. Not thread-safe:
 * one session is used from one thread at a time.
 */
public interface BackendSession extends AutoCloseable {
    /** The backend's name ("cpu", "cuda"). */
    String backend();

    /** The device in words: CPU model and threads, or GPU name, compute capability and memory. */
    String device();

    /** Creates a split-step propagator for {@code problem}; its state lives on the device. */
    HartreePropagator hartree(HartreeProblem problem);

    /**
     * Creates a propagator of a batch of {@code batch} states that share the problem's grid, trap,
     * FFT plans and kernel table; each state keeps its own norm and observables
     * ({@link HartreePropagator#load(int, double[])}, {@link HartreePropagator#observe(int)}).
     * A batch of one is {@link #hartree(HartreeProblem)}. Refused with a {@link ParameterException}
     * above {@link Capabilities#maxBatch()}.
     */
    default HartreePropagator hartree(HartreeProblem problem, int batch) {
        int max = capabilities().maxBatch();
        ParameterException.require(batch >= 1 && batch <= max, "batch", batch, "1.." + max + " on backend " + backend());
        return hartree(problem);
    }

    /**
     * The bare transforms of this session, for {@code hartree bench} (the step's FFT floor);
     * present when {@link Capabilities#fftBenchmark()} is true.
     */
    default io.hartree.api.FftBenchmark fftBenchmark() {
        throw new BackendException("backend " + backend() + " does not time bare transforms");
    }

    /**
     * Discrete Fourier transforms of host arrays with this session's FFT library, for set-up work
     * (the convolution kernel's table, grid mode integrals); engine-api has no FFT of its own.
     */
    HostTransforms hostTransforms();

    /** What this session can do (precisions, fused step, matrix-free products, batches, memory). */
    default Capabilities capabilities() { return Capabilities.minimal(); }

    /**
     * The backend's Fock-space kernels: dense exponentials (eigendecomposition, Padé-13 on its
     * GEMM) and exp(−itH)ψ by Lanczos or Chebyshev on its vector primitives. A backend without
     * them throws {@link BackendException}.
     */
    default FockKernels fock() {
        throw new BackendException("backend " + backend() + " has no Fock-space kernels");
    }

    @Override
    void close();
}
