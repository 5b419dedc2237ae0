package io.hartree.gpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.ComponentsConformance;
import io.hartree.gpu.CudaBackend;
import org.junit.jupiter.api.Tag;

/**
 * The several-components conformance suite on the cuda backend (a components problem always takes the
 * split-step path, CudaSplitStepKernels with a batch of K states); skipped with the probe's reason where
 * no GPU is usable.
 */
@Tag("gpu")
class CudaComponentsTest extends ComponentsConformance {
    @Override protected Backend backend() { return new CudaBackend(); }
}
