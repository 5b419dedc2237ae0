package io.hartree.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Selection rules of DESIGN.md §2 on fixture backends (no native code). */
class BackendsTest {
    record Fake(String name, int priority, Availability availability) implements Backend {
        public Availability probe() { return availability; }
        public BackendSession open(SessionOptions options) { throw new UnsupportedOperationException("fixture"); }
    }

    static final Fake GPU_MISSING = new Fake("cuda", 100, Availability.unavailable("libcuda.so.1 not found"));
    static final Fake CPU = new Fake("cpu", 10, Availability.available("test cpu", Map.of()));

    @Test
    void autoTakesTheBestAvailableAndSaysWhyOthersWereSkipped() {
        Backends.Selection s = Backends.select("auto", List.of(GPU_MISSING, CPU));
        assertEquals("cpu", s.backend().name());
        assertEquals(List.of("cuda: libcuda.so.1 not found"), s.skipped());
        assertTrue(s.explanation().contains("skipped: cuda: libcuda.so.1 not found"), s.explanation());
    }

    @Test
    void theBriefLineDropsOnlyTheLibrarySearchLists() {
        Fake longReason = new Fake("cuda", 100, Availability.unavailable("libcuda.so.1 not found (searched: /a, /b, /usr/lib; and the system loader; set HARTREE_CUDA_LIBS)"));
        Backends.Selection s = Backends.select("auto", List.of(longReason, CPU));
        assertTrue(s.explanation().contains("(searched: /a, /b"), s.explanation());
        assertEquals("backend cpu (test cpu); skipped: cuda: libcuda.so.1 not found", s.brief());
    }

    @Test
    void anExplicitUnavailableBackendIsAnErrorWithItsReasonNeverAFallback() {
        ParameterException e = assertThrows(ParameterException.class, () -> Backends.select("CUDA", List.of(GPU_MISSING, CPU)));
        assertEquals("--backend", e.parameter());
        assertTrue(e.getMessage().contains("libcuda.so.1 not found"), e.getMessage());
        assertTrue(e.getMessage().contains("usable here: auto | cpu"), e.getMessage());
    }

    @Test
    void unknownNamesListTheChoicesAndNothingAvailableIsABackendError() {
        ParameterException e = assertThrows(ParameterException.class, () -> Backends.select("opencl", List.of(GPU_MISSING, CPU)));
        assertTrue(e.getMessage().contains("auto | cuda | cpu"), e.getMessage());
        assertThrows(BackendException.class, () -> Backends.select("auto", List.of(GPU_MISSING)));
        assertEquals("cpu", Backends.select(" cpu ", List.of(GPU_MISSING, CPU)).backend().name());
    }
}
