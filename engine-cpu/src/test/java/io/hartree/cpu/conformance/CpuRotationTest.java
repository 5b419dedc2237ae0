package io.hartree.cpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.RotationConformance;
import io.hartree.cpu.CpuBackend;

/** The rotating-frame conformance suite (engine-api's test-jar) on the cpu backend. */
class CpuRotationTest extends RotationConformance {
    @Override protected Backend backend() { return new CpuBackend(); }
}
