package io.hartree.gpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.DampingConformance;
import io.hartree.gpu.CudaBackend;
import org.junit.jupiter.api.Tag;

/**
 * The Damping conformance suite on the cuda backend: a problem with GP terms runs on the split-step path
 * (engine-api's SplitStepPropagator over CudaSplitStepKernels) by itself; skipped with the probe's
 * reason where no GPU is usable.
 */
@Tag("gpu")
class CudaDampingTest extends DampingConformance {
    @Override protected Backend backend() { return new CudaBackend(); }
}
