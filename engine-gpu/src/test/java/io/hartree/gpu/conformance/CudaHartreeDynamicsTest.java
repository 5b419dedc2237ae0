package io.hartree.gpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.HartreeDynamicsConformance;
import io.hartree.gpu.CudaBackend;
import org.junit.jupiter.api.Tag;

/** The HartreeDynamics conformance suite (engine-api's test-jar) on the cuda backend; skipped with the probe's reason where no GPU is usable. */
@Tag("gpu")
class CudaHartreeDynamicsTest extends HartreeDynamicsConformance {
    @Override protected Backend backend() { return new CudaBackend(); }
}
