package io.hartree.api;

import io.hartree.api.hartree.HartreeProblem;
import io.hartree.api.hartree.HartreePropagator;

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

    @Override
    void close();
}
