package io.hartree.cpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.DipolarConformance;
import io.hartree.cpu.CpuBackend;

/** The Dipolar conformance suite (engine-api's test-jar) on the cpu backend. */
class CpuDipolarTest extends DipolarConformance {
    @Override protected Backend backend() { return new CpuBackend(); }
}
