package io.hartree.cpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.FockConformance;
import io.hartree.cpu.CpuBackend;

/** The Fock conformance suite (engine-api's test-jar) on the cpu backend. */
class CpuFockTest extends FockConformance {
    @Override protected Backend backend() { return new CpuBackend(); }
}
