package io.hartree.gpu;

import io.hartree.api.Availability;
import io.hartree.api.Backend;
import io.hartree.api.BackendException;
import io.hartree.api.Backends;
import io.hartree.api.SessionOptions;
import io.hartree.gpu.cuda.CudaRuntime;
import io.hartree.gpu.cuda.LibraryLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** probe() is cheap, never throws, and says plainly why cuda is unavailable. */
class CudaBackendProbeTest {
    @TempDir Path dir;

    @Test
    void isFoundByServiceLoaderAboveCpu() {
        Backend cuda = Backends.discover().stream().filter(b -> b.name().equals("cuda")).findFirst().orElseThrow();
        assertEquals(100, cuda.priority());
        assertInstanceOf(CudaBackend.class, cuda);
    }

    @Test
    void probeOnThisMachineNeverThrowsAndExplains() {
        Availability a = assertDoesNotThrow(() -> new CudaBackend().probe());
        if (a.available()) return;  // a machine with a GPU: nothing to explain
        assertFalse(a.reason().isBlank());
        var driverFound = LibraryLocator.system().find(io.hartree.gpu.cuda.CudaLibrary.DRIVER, List.of(13)).isPresent();
        if (!driverFound && a.reason().startsWith("libcuda.so.1"))
            assertTrue(a.reason().startsWith("libcuda.so.1 not found (searched: "), a.reason());
        // Asking again gives the same answer without loading anything again.
        assertSame(a, new CudaBackend().probe());
        BackendException e = assertThrows(BackendException.class, () -> new CudaBackend().open(SessionOptions.defaults()));
        assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
    }

    @Test
    void missingDriverIsReportedWithWhereItLooked() {
        var loc = new LibraryLocator(Map.of("HARTREE_CUDA_LIBS", dir.toString()), null, List.of(dir.resolve("sys")), List::of, false);
        CudaRuntime.Loaded l = CudaRuntime.load(loc);
        assertNull(l.runtime());
        assertEquals("libcuda.so.1 not found (searched: " + dir + ", " + dir.resolve("sys")
                + "; set HARTREE_CUDA_LIBS to the folder that holds it)", l.failure());
        Availability a = CudaBackend.probe(l);
        assertFalse(a.available());
        assertEquals(l.failure(), a.reason());
    }

    @Test
    void aBrokenLibcudaIsAReasonNotACrash() throws Exception {
        Files.writeString(dir.resolve("libcuda.so.1"), "this is not an ELF file");
        var loc = new LibraryLocator(Map.of("HARTREE_CUDA_LIBS", dir.toString()), null, List.of(), List::of, false);
        CudaRuntime.Loaded l = assertDoesNotThrow(() -> CudaRuntime.load(loc));
        assertNull(l.runtime());
        assertTrue(l.failure().contains("libcuda.so.1"), l.failure());
    }

    @Test
    void nvrtcTargetIsTheExactArchOrTheNewestBelow() {
        assertEquals("sm_90", CudaSession.targetArch(new int[]{75, 80, 86, 89, 90, 100}, 90));
        assertEquals("compute_90", CudaSession.targetArch(new int[]{75, 80, 86, 89, 90}, 100), "NVRTC 12.6 on a Blackwell: PTX for the driver's JIT");
        assertThrows(BackendException.class, () -> CudaSession.targetArch(new int[]{75, 80}, 70));
        assertArrayEquals(new byte[]{1, 2, 0}, CudaSession.nulTerminated(new byte[]{1, 2}));
        byte[] z = {1, 0};
        assertSame(z, CudaSession.nulTerminated(z));
    }
}
