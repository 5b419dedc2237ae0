package io.hartree.gpu;

import io.hartree.gpu.cuda.Cublas;
import io.hartree.gpu.cuda.Cufft;
import io.hartree.gpu.cuda.CudaRuntime;
import io.hartree.gpu.cuda.Cusolver;
import io.hartree.gpu.cuda.Driver;
import io.hartree.gpu.cuda.KernelImage;
import io.hartree.gpu.cuda.Nvrtc;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The binding check of DESIGN §7: needs the CUDA libraries, not a device (cuInit may return 100).
 * Every bound symbol resolved (binding happens at load: a missing one fails it), NVRTC compiles
 * every kernel source, the versions read back in their documented ranges.
 */
@Tag("gpu")
class CudaBindingCheckTest {
    static CudaRuntime runtime() {
        CudaRuntime.Loaded l = CudaRuntime.system();
        assumeTrue(l.runtime() != null, "CUDA driver library not loadable: " + l.failure());
        return l.runtime();
    }

    /** Optional entries (cuda-api-additions.tsv) this library exports, hence bound. */
    static int optionalBound(io.hartree.gpu.cuda.NativeLibrary lib, java.util.List<io.hartree.gpu.cuda.Fn> optional) {
        return (int) optional.stream().filter(f -> lib.has(f.symbol())).peek(f -> assertTrue(lib.bound(f.name()), f.name() + " exported but not bound")).count();
    }

    @Test
    void everySymbolOfEveryLoadedLibraryIsBound() {
        CudaRuntime rt = runtime();
        assertEquals(Driver.TABLE.size(), rt.driver.library().boundCount(), "driver symbols");
        // cuDriverGetVersion = 1000·major + 10·minor; this code loads CUDA 12 and 13 libraries only.
        assertTrue(rt.driverVersion >= 12000 && rt.driverVersion < 14000, "driver version " + rt.driverVersion);
        assertNotNull(rt.nvrtc, "NVRTC: " + rt.missing("nvrtc").orElse(""));
        assertNotNull(rt.cufft, "cuFFT: " + rt.missing("cufft").orElse(""));
        assertNotNull(rt.cublas, "cuBLAS: " + rt.missing("cublas").orElse(""));
        assertEquals(Nvrtc.TABLE.size() + optionalBound(rt.nvrtc.library(), Nvrtc.OPTIONAL), rt.nvrtc.library().boundCount());
        assertEquals(Cufft.TABLE.size() + optionalBound(rt.cufft.library(), Cufft.OPTIONAL), rt.cufft.library().boundCount());
        // CUDA 13 (cuFFT 12, NVRTC 13) has the LTO functions the fused Hartree step needs (seen on an H100 and an H200).
        if (rt.cufft.version() >= 12000) assertTrue(rt.cufft.jitCallbacks(), "cuFFT " + rt.cufft.version() + " without cufftXtSetJITCallback");
        if (rt.nvrtc.version()[0] >= 13) assertTrue(rt.nvrtc.lto(), "NVRTC 13 without nvrtcGetLTOIR");
        assertEquals(Cublas.TABLE.size(), rt.cublas.library().boundCount());
        if (rt.cusolver != null) assertEquals(Cusolver.TABLE.size(), rt.cusolver.library().boundCount());
        int[] v = rt.nvrtc.version();
        assertTrue(v[0] == 12 || v[0] == 13, "NVRTC " + Arrays.toString(v));
        // cufftGetVersion: cuFFT 11.x (CUDA 12) = 11xxx, cuFFT 12.x (CUDA 13) = 12xxx (sheet: T 12000).
        int fv = rt.cufft.version();
        assertTrue(fv >= 11000 && fv < 13000, "cuFFT " + fv);
        System.out.println("binding check: " + rt.libraries);
    }

    /**
     * NVRTC alone (no driver needed): found where the backend looks (a pip wheel counts), its
     * builtins loaded by path first, every symbol of the sheet bound, every kernel compiled for each
     * architecture it supports, the PTX entries equal to the source's extern "C" kernels.
     */
    @Test
    void nvrtcAloneCompilesEveryKernelForEveryArch() {
        var loc = io.hartree.gpu.cuda.LibraryLocator.system();
        var found = loc.find(io.hartree.gpu.cuda.CudaLibrary.NVRTC, List.of(13, 12));
        assumeTrue(found.isPresent(), loc.notFound(io.hartree.gpu.cuda.CudaLibrary.NVRTC, List.of(13, 12)));
        var f = found.get();
        io.hartree.gpu.cuda.LibraryLocator.nvrtcBuiltins(f.path(), f.major())
                .ifPresent(b -> io.hartree.gpu.cuda.NativeLibrary.load(b.getFileName().toString(), b));
        Nvrtc nvrtc = new Nvrtc(io.hartree.gpu.cuda.NativeLibrary.load(f.soname(), f.path()));
        assertEquals(Nvrtc.TABLE.size() + optionalBound(nvrtc.library(), Nvrtc.OPTIONAL), nvrtc.library().boundCount());
        int[] v = nvrtc.version();
        assertEquals(f.major(), v[0], "NVRTC major = soname major");
        int[] archs = nvrtc.supportedArchs();
        for (String file : KernelImage.SOURCES) {
            String src = KernelImage.source(file);
            HashSet<String> want = new HashSet<>(KernelImage.externCKernels(src));
            for (int arch : archs) {
                Nvrtc.Output out = nvrtc.compile(src, file, List.of("--gpu-architecture=sm_" + arch, "--std=c++17"));
                assertNotNull(out.cubin(), file + " sm_" + arch + ": CUBIN");
                assertEquals(want, new HashSet<>(KernelImage.ptxEntries(new String(out.ptx(), StandardCharsets.US_ASCII))), file + " sm_" + arch + ": " + out.log());
            }
            System.out.println("NVRTC " + v[0] + "." + v[1] + " at " + f.path() + " compiled " + file + " for sm_" + Arrays.toString(archs));
        }
        // The cuFFT callbacks as the fused step compiles them: LTO IR for the oldest and newest virtual arch.
        if (nvrtc.lto())
            for (int arch : new int[]{archs[0], archs[archs.length - 1]}) {
                byte[] ir = nvrtc.compileLto(KernelImage.callbackSource(), "hartree_callbacks.cu",
                        List.of("--gpu-architecture=compute_" + arch, "--relocatable-device-code=true", "-dlto", "--std=c++17"));
                assertTrue(ir.length > 1000, "LTO IR for compute_" + arch + ": " + ir.length + " bytes");
                System.out.println("NVRTC LTO IR of hartree_callbacks.cu for compute_" + arch + ": " + ir.length + " bytes");
            }
    }

    /** cuFFT alone (no driver needed for this much): found, every symbol of the sheet bound, its version read. */
    @Test
    void cufftAloneBindsAndReadsItsVersion() {
        var loc = io.hartree.gpu.cuda.LibraryLocator.system();
        var found = loc.find(io.hartree.gpu.cuda.CudaLibrary.CUFFT, List.of(13, 12));
        assumeTrue(found.isPresent(), loc.notFound(io.hartree.gpu.cuda.CudaLibrary.CUFFT, List.of(13, 12)));
        Cufft cufft = new Cufft(io.hartree.gpu.cuda.NativeLibrary.load(found.get().soname(), found.get().path()));
        assertEquals(Cufft.TABLE.size() + optionalBound(cufft.library(), Cufft.OPTIONAL), cufft.library().boundCount());
        int v = cufft.version();
        // cuFFT 12.x ships with CUDA 13 (soname .12), 11.x with CUDA 12 (soname .11): version = 1000·major + ...
        assertEquals(found.get().major() == 13 ? 12 : 11, v / 1000, "cufftGetVersion " + v);
        System.out.println("cuFFT " + v + " at " + found.get().path());
    }

    @Test
    void nvrtcCompilesEveryKernelForTheNewestAndOldestArch() {
        CudaRuntime rt = runtime();
        assumeTrue(rt.nvrtc != null, "NVRTC absent: " + rt.missing("nvrtc").orElse(""));
        int[] archs = rt.nvrtc.supportedArchs();
        assertTrue(archs.length > 0);
        for (String file : KernelImage.SOURCES) {
            String src = KernelImage.source(file);
            HashSet<String> want = new HashSet<>(KernelImage.externCKernels(src));
            for (int arch : new int[]{archs[0], archs[archs.length - 1]}) {
                Nvrtc.Output out = rt.nvrtc.compile(src, file, List.of("--gpu-architecture=sm_" + arch, "--std=c++17"));
                assertNotNull(out.cubin(), file + " sm_" + arch + ": a CUBIN for a real arch");
                assertEquals(want, new HashSet<>(KernelImage.ptxEntries(new String(out.ptx(), StandardCharsets.US_ASCII))),
                        file + " sm_" + arch + ": PTX entries; log: " + out.log());
            }
        }
    }
}
