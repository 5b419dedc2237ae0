package io.hartree.cpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.TransformConformance;
import io.hartree.cpu.CpuBackend;

/** The Transform conformance suite (engine-api's test-jar) on the cpu backend. */
class CpuTransformTest extends TransformConformance {
    @Override protected Backend backend() { return new CpuBackend(); }
}
