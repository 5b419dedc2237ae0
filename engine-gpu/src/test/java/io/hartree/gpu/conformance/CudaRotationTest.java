package io.hartree.gpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.RotationConformance;
import io.hartree.gpu.CudaBackend;
import org.junit.jupiter.api.Tag;

/**
 * The rotating-frame conformance suite on the cuda backend (a rotating problem always takes the split-step
 * path: CudaSplitStepKernels.selected); skipped with the probe's reason where no GPU is usable.
 */
@Tag("gpu")
class CudaRotationTest extends RotationConformance {
    @Override protected Backend backend() { return new CudaBackend(); }
}
