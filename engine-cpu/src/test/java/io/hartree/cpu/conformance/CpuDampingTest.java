package io.hartree.cpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.DampingConformance;
import io.hartree.cpu.CpuBackend;

/** The Damping conformance suite (engine-api's test-jar) on the cpu backend. */
class CpuDampingTest extends DampingConformance {
    @Override protected Backend backend() { return new CpuBackend(); }
}
