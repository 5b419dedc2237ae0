package io.hartree.api;

import io.hartree.api.hartree.HartreeProblem;
import io.hartree.api.hartree.HartreePropagator;
import io.hartree.api.fock.FockKernels;

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
