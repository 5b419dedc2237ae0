package io.hartree.gpu;

import io.hartree.gpu.cuda.KernelImage;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cuFFT LTO callbacks (callbacks/hartree_callbacks.cu) without a GPU: nvcc compiles them as
 * cuFFT needs them (-dlto, relocatable device code), and their symbols are the C++ manglings of
 * the signatures cuFFT declares for them (cufftXt.h, CUDA 13.0: cufftJITCallbackLoadZ =
 * double2 (void*, unsigned long long, void*, void*), cufftJITCallbackStoreZ =
 * void (void*, unsigned long long, double2, void*, void*)): a callback with another signature
 * would not link into cuFFT's kernels at plan time, on the GPU machine.
 */
class CallbackSourceTest {
    static final Path SOURCE = Path.of("src/main/resources/io/hartree/gpu/callbacks/hartree_callbacks.cu");

    @Test
    void theJarCarriesTheSourceTheTestCompiles() throws Exception {
        assertEquals(Files.readString(SOURCE), KernelImage.callbackSource());
    }

    @Test
    void nvccCompilesThemToLtoWithCufftsSignatures() throws Exception {
        Path nvcc = List.of(Path.of("/usr/local/bin/nvcc"), Path.of("/usr/local/cuda/bin/nvcc")).stream().filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(nvcc != null, "no nvcc at /usr/local/bin or /usr/local/cuda/bin");
        Path dir = Files.createTempDirectory("hartree-cb");
        Path obj = dir.resolve("cb.o");
        try {
            Process p = new ProcessBuilder(nvcc.toString(), "-dlto", "-rdc=true", "-arch=compute_75", "-c", SOURCE.toString(), "-o", obj.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), "nvcc: " + out);
            Process nm = new ProcessBuilder("nm", "--defined-only", obj.toString()).redirectErrorStream(true).start();
            String symbols = new String(nm.getInputStream().readAllBytes());
            assertEquals(0, nm.waitFor(), "nm: " + symbols);
            Set<String> cb = new TreeSet<>();
            for (String line : symbols.split("\n")) {
                String[] t = line.trim().split("\\s+");
                if (t.length == 3 && t[2].contains("hartree_cb_")) cb.add(t[2]);
            }
            // P v = void*, y = unsigned long long, S_ = the first void* again, 7double2 = double2 by value.
            assertEquals(new TreeSet<>(Set.of("_Z15hartree_cb_kickPvyS_S_", "_Z16hartree_cb_phasePvyS_S_",
                    "_Z18hartree_cb_densityPvy7double2S_S_", "_Z16hartree_cb_tablePvy7double2S_S_")), cb, symbols);
        } finally {
            try (var s = Files.list(dir)) { for (Path f : s.toList()) Files.deleteIfExists(f); }
            Files.deleteIfExists(dir);
        }
    }

    /** The byte offsets the propagator writes are the struct's (every field 8 bytes, in order). */
    @Test
    void parameterOffsetsMatchTheStruct() throws Exception {
        String src = Files.readString(SOURCE);
        String struct = src.substring(src.indexOf("struct HartreeCallbackInfo {"), src.indexOf("};", src.indexOf("struct HartreeCallbackInfo {")));
        List<String> comments = struct.lines().filter(l -> l.contains("//")).map(l -> l.substring(l.indexOf("//") + 2).trim()).toList();
        // Each field line's comment starts with its offset(s): 0, 8, 16, 24, "32, 40", "48, 56, 64", 72, 80, 88, 96, 104.
        String offsets = String.join(" ", comments.stream().map(c -> c.replaceAll("^(\\d+(?:, \\d+)*).*$", "$1")).toList()).replace(",", "");
        assertEquals("0 8 16 24 32 40 48 56 64 72 80 88 96 104", offsets);
        var c = CudaHartreePropagator.CallbackInfo.class;
        int[] java = {CudaHartreePropagator.CallbackInfo.ATAU, CudaHartreePropagator.CallbackInfo.DK, CudaHartreePropagator.CallbackInfo.C,
                CudaHartreePropagator.CallbackInfo.TAU, CudaHartreePropagator.CallbackInfo.X0, CudaHartreePropagator.CallbackInfo.DX,
                CudaHartreePropagator.CallbackInfo.CX, CudaHartreePropagator.CallbackInfo.CY, CudaHartreePropagator.CallbackInfo.CZ,
                CudaHartreePropagator.CallbackInfo.OFF, CudaHartreePropagator.CallbackInfo.RHO, CudaHartreePropagator.CallbackInfo.TABLE,
                CudaHartreePropagator.CallbackInfo.U, CudaHartreePropagator.CallbackInfo.N};
        for (int i = 0; i < java.length; i++) assertEquals(8 * i, java[i], c.getSimpleName() + " field " + i);
        assertEquals(112, CudaHartreePropagator.CallbackInfo.BYTES);
    }
}
