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

    /**
     * Where a device is found, what the probe reports is consistent with the device's own
     * answers: the described device is device 0 as queried (a name, memory > 0, at least one SM,
     * compute capability ≥ 5.0, the oldest the PTX of this build targets being 7.5), and the
     * driver line parses to the driver version (CUDA major.minor from cuDriverGetVersion, ≥ 12.0,
     * the oldest driver whose cuFFT majors the runtime loads). Where none is found, the reason
     * says why.
     */
    @Test
    void probeOnThisMachineNeverThrowsAndExplains() {
        Availability a = assertDoesNotThrow(() -> new CudaBackend().probe());
        if (a.available()) {
            assertConsistent(a, CudaRuntime.system().runtime());
            return;
        }
        assertFalse(a.reason().isBlank());
        var driverFound = LibraryLocator.system().find(io.hartree.gpu.cuda.CudaLibrary.DRIVER, List.of(13)).isPresent();
        if (!driverFound && a.reason().startsWith("libcuda.so.1"))
            assertTrue(a.reason().startsWith("libcuda.so.1 not found (searched: "), a.reason());
        // Asking again gives the same answer without loading anything again.
        assertSame(a, new CudaBackend().probe());
        BackendException e = assertThrows(BackendException.class, () -> new CudaBackend().open(SessionOptions.defaults()));
        assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
    }

    /** The checks of an available probe against the runtime it came from (also run on the fake device by FakeDeviceTest). */
    static void assertConsistent(Availability a, CudaRuntime rt) {
        assertTrue(a.available(), a.reason());
        assertTrue(a.reason() == null || a.reason().isEmpty(), "an available backend gives no reason: " + a.reason());
        CudaDevice dev = CudaDevice.query(rt.driver, 0);
        assertFalse(dev.name().isBlank(), "device name");
        assertTrue(dev.totalBytes() > 0, "device memory " + dev.totalBytes());
        assertTrue(dev.multiprocessors() >= 1, "SMs " + dev.multiprocessors());
        assertTrue(dev.ccMajor() >= 5 && dev.ccMinor() >= 0 && dev.ccMinor() <= 9, "compute capability " + dev.ccMajor() + "." + dev.ccMinor());
        assertEquals(dev.describe(), a.device(), "the probe describes device 0");
        assertTrue(a.device().contains(String.format(java.util.Locale.ROOT, "%.1f GiB", dev.totalBytes() / (double) (1L << 30))), a.device());
        assertTrue(rt.driverVersion >= 12000, "driver version " + rt.driverVersion);
        String driver = a.libraries().get("driver");
        var m = java.util.regex.Pattern.compile("CUDA (\\d+)\\.(\\d+) \\(cuDriverGetVersion (\\d+), .+\\)").matcher(driver);
        assertTrue(m.matches(), driver);
        int v = Integer.parseInt(m.group(3));
        assertEquals(rt.driverVersion, v, driver);
        assertEquals(v / 1000, Integer.parseInt(m.group(1)), driver);
        assertEquals(v % 1000 / 10, Integer.parseInt(m.group(2)), driver);
        assertTrue(Integer.parseInt(a.libraries().get("devices")) >= 1, a.libraries().toString());
        assertNotNull(a.libraries().get("cufft"), "cuFFT loaded: " + a.libraries());
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
