package io.hartree.gpu;

import io.hartree.gpu.cuda.KernelImage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The kernel sources and the build-time PTX against the names the Java code launches. */
class KernelSourceTest {
    @Test
    void everyLaunchedKernelIsExternCInTheSource() {
        List<String> names = KernelImage.externCKernels(KernelImage.source("hartree.cu"));
        assertEquals(names.size(), new HashSet<>(names).size(), "unique names: " + names);
        for (String k : Kernels.all()) assertTrue(names.contains(k), k + " is launched but not extern \"C\" in hartree.cu " + names);
        // 12 typed kernels × 2 precisions (potential_phase_lhy and reduce_five: the split-step primitives' LHY term;
        // axis_phase: the rotating frame; coupled_phase, rabi, reduce_cross: several components), finalize_sums, norm_scale, csr_spmv_c128 (Fock SpMV), set_f64 (the fused
        // step's kick factor): all launched, none dead.
        assertEquals(28, names.size(), "kernels in hartree.cu: " + names);
        assertEquals(new HashSet<>(names), new HashSet<>(Kernels.all()));
    }

    /** fock.cu holds exactly the hop kernel, with the parameter kinds DeviceKrylov packs (pointers, ints, the 64-bit row count). */
    @Test
    void fockSourceHasTheHopKernel() {
        String src = KernelImage.source("fock.cu");
        assertEquals(Kernels.FOCK, KernelImage.externCKernels(src));
        assertEquals("PIIIPIPPIPPIPPIPPPPU", KernelImage.signatures(src).get(Kernels.FOCK_HOP));
        assertTrue(src.contains("#define FOCK_MAXM " + FockTables.MAX_MODES + "\n"), "FOCK_MAXM = FockTables.MAX_MODES");
    }

    @Test
    void parserFindsOnlyExternCGlobals() {
        String src = """
                __global__ void mangled(int* p) {}
                // extern "C" __global__ void commented(int* p) {}
                extern "C" __global__ void alone(double x) {}
                extern "C" {
                __global__ void __launch_bounds__(256) inside_a(float* p) { if (p) { p[0] = 1; } }
                __device__ void helper() {}
                __global__ void inside_b() {}
                }
                """;
        assertEquals(List.of("alone", "inside_a", "inside_b"), KernelImage.externCKernels(src));
    }

    /** With nvcc on the build machine, the jar carries hartree.ptx, and it defines exactly the source's kernels. */
    @Test
    void buildTimePtxMatchesTheSourceWhenTheBuildHadNvcc() {
        byte[] ptx = KernelImage.ptx("hartree.cu");
        boolean nvcc = Files.isExecutable(Path.of("/usr/local/bin/nvcc")) || Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"));
        if (nvcc) assertNotNull(ptx, "nvcc is on this machine, so the build (profile nvcc-ptx) must have put hartree.ptx in target/classes");
        assumeTrue(ptx != null, "this build had no nvcc: no PTX to check");
        Set<String> entries = new HashSet<>(KernelImage.ptxEntries(new String(ptx, StandardCharsets.US_ASCII)));
        assertEquals(new HashSet<>(KernelImage.externCKernels(KernelImage.source("hartree.cu"))), entries);
        byte[] fock = KernelImage.ptx("fock.cu");
        assertNotNull(fock, "the nvcc-ptx profile compiles fock.cu too");
        assertEquals(Kernels.FOCK, KernelImage.ptxEntries(new String(fock, StandardCharsets.US_ASCII)));
    }
}
