package io.hartree.gpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.DriveConformance;
import io.hartree.gpu.CudaBackend;
import org.junit.jupiter.api.Tag;

/**
 * The Drive conformance suite on the cuda backend: a problem with GP terms runs on the split-step path
 * (engine-api's SplitStepPropagator over CudaSplitStepKernels) by itself; skipped with the probe's
 * reason where no GPU is usable.
 */
@Tag("gpu")
class CudaDriveTest extends DriveConformance {
    @Override protected Backend backend() { return new CudaBackend(); }
}
