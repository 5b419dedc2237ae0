package io.hartree.gpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.DipolarConformance;
import io.hartree.gpu.CudaBackend;
import org.junit.jupiter.api.Tag;

/**
 * The Dipolar conformance suite on the cuda backend: an LHY problem always runs the one-algorithm path
 * (CudaSplitStepKernels.selected(problem)); a dipolar table or a sum without LHY runs the default path.
 * Skipped with the probe's reason where no GPU is usable.
 */
@Tag("gpu")
class CudaSplitStepDipolarTest extends DipolarConformance {
    @Override protected Backend backend() { return new CudaBackend(); }
}
