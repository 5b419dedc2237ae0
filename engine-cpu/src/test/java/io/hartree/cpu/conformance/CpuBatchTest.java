package io.hartree.cpu.conformance;

import io.hartree.api.Backend;
import io.hartree.api.conformance.BatchConformance;
import io.hartree.cpu.CpuBackend;

/** The Batch conformance suite (engine-api's test-jar) on the cpu backend. */
class CpuBatchTest extends BatchConformance {
    @Override protected Backend backend() { return new CpuBackend(); }
}
