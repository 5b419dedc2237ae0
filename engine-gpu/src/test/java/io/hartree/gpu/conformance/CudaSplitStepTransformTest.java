package io.hartree.gpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.TransformConformance;
import io.hartree.gpu.CudaBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The Transform conformance suite on the cuda backend's split-step path (-Dhartree.cuda.splitstep=true:
 * engine-api's SplitStepPropagator over CudaSplitStepKernels), beside {@link CudaTransformTest} on the
 * default path, so that a GPU session runs both; skipped with the probe's reason where no GPU is usable.
 */
@Tag("gpu")
class CudaSplitStepTransformTest extends TransformConformance {
    @Override protected Backend backend() { return new CudaBackend(); }

    @BeforeAll
    void splitStepPath() { System.setProperty("hartree.cuda.splitstep", "true"); }

    @AfterAll
    void defaultPath() { System.clearProperty("hartree.cuda.splitstep"); }
}
