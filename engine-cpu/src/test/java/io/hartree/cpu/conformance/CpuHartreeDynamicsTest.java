package io.hartree.cpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.HartreeDynamicsConformance;
import io.hartree.cpu.CpuBackend;

/** The HartreeDynamics conformance suite (engine-api's test-jar) on the cpu backend. */
class CpuHartreeDynamicsTest extends HartreeDynamicsConformance {
    @Override protected Backend backend() { return new CpuBackend(); }
}
