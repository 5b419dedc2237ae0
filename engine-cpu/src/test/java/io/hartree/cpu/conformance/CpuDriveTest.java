package io.hartree.cpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.DriveConformance;
import io.hartree.cpu.CpuBackend;

/** The Drive conformance suite (engine-api's test-jar) on the cpu backend. */
class CpuDriveTest extends DriveConformance {
    @Override protected Backend backend() { return new CpuBackend(); }
}
