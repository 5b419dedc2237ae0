package io.hartree.cpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.ConvolutionConformance;
import io.hartree.cpu.CpuBackend;

/** The Convolution conformance suite (engine-api's test-jar) on the cpu backend. */
class CpuConvolutionTest extends ConvolutionConformance {
    @Override protected Backend backend() { return new CpuBackend(); }
}
