package io.hartree.cpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.ComponentsConformance;
import io.hartree.cpu.CpuBackend;

/** The Components conformance suite (engine-api's test-jar) on the cpu backend. */
class CpuComponentsTest extends ComponentsConformance {
    @Override protected Backend backend() { return new CpuBackend(); }
}
