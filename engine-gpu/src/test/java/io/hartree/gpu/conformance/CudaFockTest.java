package io.hartree.gpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.FockConformance;
import io.hartree.gpu.CudaBackend;
import org.junit.jupiter.api.Tag;

/** The Fock conformance suite (engine-api's test-jar) on the cuda backend; skipped with the probe's reason where no GPU is usable. */
@Tag("gpu")
class CudaFockTest extends FockConformance {
    @Override protected Backend backend() { return new CudaBackend(); }
}
