package io.hartree.api;

import java.util.Set;

/**
 * What an open session can do, declared by the backend in one record (never discovered with
 * {@code instanceof}).
 *
 * @param precisions     the precisions of device arrays it supports
 * @param fusedStep      whether a real-time Strang substep runs fused (one pass per transform, e.g.
 *                       cuFFT LTO callbacks) rather than composed of the basic primitives
 * @param matrixFree     whether its Fock kernels apply H matrix-free (without a stored CSR matrix)
 * @param maxBatch       the largest number of states one Hartree propagator can hold (1 = no batches)
 * @param fftBenchmark   whether {@link BackendSession#fftBenchmark()} times the bare transforms
 * @param memoryBytes    memory the backend can allocate for fields: free device memory on a GPU, the
 *                       JVM's and the machine's memory on the CPU (0 = unknown)
 */
public record Capabilities(Set<Precision> precisions, boolean fusedStep, boolean matrixFree, int maxBatch,
                           boolean fftBenchmark, long memoryBytes) {
    public Capabilities {
        precisions = Set.copyOf(precisions);
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1: " + maxBatch);
        if (memoryBytes < 0) throw new IllegalArgumentException("memoryBytes must be >= 0: " + memoryBytes);
    }

    /** Double precision only, nothing fused or matrix-free, one state, memory unknown. */
    public static Capabilities minimal() {
        return new Capabilities(Set.of(Precision.DOUBLE), false, false, 1, false, 0);
    }
}
