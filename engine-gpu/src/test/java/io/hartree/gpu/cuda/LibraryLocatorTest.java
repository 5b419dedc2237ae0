package io.hartree.gpu.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The search order of DESIGN §5 / sheet §6, on a fake file tree (nothing is loaded). */
class LibraryLocatorTest {
    @TempDir Path root;

    private Path touch(String rel) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "not a library");
        return p;
    }

    private LibraryLocator locator(Map<String, String> env, AtomicInteger pythonAsked, List<String> sysPath) {
        return new LibraryLocator(env, root.resolve("etc/ld.so.conf"), List.of(root.resolve("usr/lib")), () -> {
            pythonAsked.incrementAndGet();
            return sysPath;
        }, false);
    }

    @Test
    void orderIsHartreeCudaLibsThenCudaHomeThenLdLibraryPathThenLdSoConfThenSystem() throws IOException {
        touch("etc/ld.so.conf.d/cuda.conf");
        Files.writeString(root.resolve("etc/ld.so.conf"), "# comment\ninclude " + root.resolve("etc/ld.so.conf.d") + "/*.conf\n/opt/other\n");
        Files.writeString(root.resolve("etc/ld.so.conf.d/cuda.conf"), root.resolve("conf/lib") + "\n");
        Files.createDirectories(root.resolve("cuda/targets/x86_64-linux/lib"));
        Map<String, String> env = new HashMap<>();
        env.put("HARTREE_CUDA_LIBS", root.resolve("a") + ":" + root.resolve("b"));
        env.put("CUDA_HOME", root.resolve("cuda").toString());
        env.put("LD_LIBRARY_PATH", root.resolve("ld") + "::" + root.resolve("cuda/lib64/stubs"));
        List<Path> dirs = locator(env, new AtomicInteger(), List.of()).directories();
        assertEquals(List.of(root.resolve("a"), root.resolve("b"), root.resolve("cuda/lib64"), root.resolve("cuda/lib"),
                root.resolve("cuda/targets/x86_64-linux/lib"), root.resolve("ld"), root.resolve("conf/lib"), Path.of("/opt/other"),
                root.resolve("usr/lib")), dirs, "stubs folders are dropped, empty entries ignored");
    }

    @Test
    void firstFolderWinsAndMajor13IsPreferredOver12() throws IOException {
        touch("b/libcufft.so.12");
        touch("a/libcufft.so.11");
        touch("b/libcufft.so.11");
        Map<String, String> env = Map.of("HARTREE_CUDA_LIBS", root.resolve("a") + ":" + root.resolve("b"));
        var f = locator(env, new AtomicInteger(), List.of()).find(CudaLibrary.CUFFT, List.of(13, 12)).orElseThrow();
        assertEquals(13, f.major(), "a CUDA 13 cuFFT anywhere beats a CUDA 12 one earlier in the path");
        assertEquals(root.resolve("b/libcufft.so.12"), f.path());
        // A CUDA 12 driver (below 13000) may load only CUDA 12 sonames.
        var f12 = locator(env, new AtomicInteger(), List.of()).find(CudaLibrary.CUFFT, CudaRuntime.majorsFor(12020)).orElseThrow();
        assertEquals(root.resolve("a/libcufft.so.11"), f12.path());
        assertEquals(List.of(13, 12), CudaRuntime.majorsFor(13000));
        assertEquals(List.of(12), CudaRuntime.majorsFor(12090));
    }

    @Test
    void wheelsInVirtualEnvAreFoundWithoutAskingPython() throws IOException {
        touch("venv/lib/python3.12/site-packages/nvidia/cu13/lib/libnvrtc.so.13");
        touch("venv/lib/python3.12/site-packages/nvidia/cufft/lib/libcufft.so.11");
        AtomicInteger asked = new AtomicInteger();
        var loc = locator(Map.of("VIRTUAL_ENV", root.resolve("venv").toString()), asked, List.of());
        assertEquals(root.resolve("venv/lib/python3.12/site-packages/nvidia/cu13/lib/libnvrtc.so.13"),
                loc.find(CudaLibrary.NVRTC, List.of(13, 12)).orElseThrow().path());
        assertEquals(root.resolve("venv/lib/python3.12/site-packages/nvidia/cufft/lib/libcufft.so.11"),
                loc.find(CudaLibrary.CUFFT, List.of(13, 12)).orElseThrow().path(), "CUDA 12 wheel layout nvidia/<pkg>/lib");
        assertEquals(0, asked.get(), "python is asked only when the environment did not have it");
    }

    @Test
    void pythonSysPathIsAskedLazilyAndOnce() throws IOException {
        touch("site/nvidia/cublas/lib/libcublas.so.12");
        AtomicInteger asked = new AtomicInteger();
        var loc = locator(Map.of(), asked, List.of("/usr/lib/python312.zip", root.resolve("site").toString(), root.resolve("site-packages").toString()));
        assertEquals(0, asked.get(), "nothing asked before a library is looked for");
        // "site" does not end in site-packages: it is not a wheel root, so nothing is found there.
        assertTrue(loc.find(CudaLibrary.CUBLAS, List.of(13, 12)).isEmpty());
        touch("site-packages/nvidia/cublas/lib/libcublas.so.12");
        assertEquals(12, loc.find(CudaLibrary.CUBLAS, List.of(13, 12)).orElseThrow().major());
        assertEquals(1, asked.get(), "sys.path asked once per locator");
    }

    @Test
    void notFoundMessageNamesSonamesAndEveryFolder() {
        Map<String, String> env = Map.of("HARTREE_CUDA_LIBS", root.resolve("x").toString());
        var loc = locator(env, new AtomicInteger(), List.of());
        assertTrue(loc.find(CudaLibrary.CUFFT, List.of(13, 12)).isEmpty());
        String m = loc.notFound(CudaLibrary.CUFFT, List.of(13, 12));
        assertTrue(m.startsWith("libcufft.so.12 or libcufft.so.11 not found (searched: " + root.resolve("x") + ", "), m);
        assertTrue(m.contains(root.resolve("usr/lib").toString()), m);
        assertTrue(m.contains("HARTREE_CUDA_LIBS"), m);
        assertEquals("libcuda.so.1 not found (searched: " + root.resolve("x") + ", " + root.resolve("usr/lib")
                + "; set HARTREE_CUDA_LIBS to the folder that holds it)", loc.notFound(CudaLibrary.DRIVER, List.of(13)));
    }

    @Test
    void nvrtcBuiltinsSkipsAltVariants() throws IOException {
        Path nvrtc = touch("n/libnvrtc.so.13");
        touch("n/libnvrtc-builtins.alt.so.13.0");
        touch("n/libnvrtc-builtins.so.13.0.alt");
        Path b = touch("n/libnvrtc-builtins.so.13.0");
        assertEquals(b, LibraryLocator.nvrtcBuiltins(nvrtc, 13).orElseThrow());
        assertTrue(LibraryLocator.nvrtcBuiltins(nvrtc, 12).isEmpty());
    }

    @Test
    void sonamesPerMajorFollowTheSheet() {
        assertEquals("libcufft.so.12", CudaLibrary.CUFFT.soname(13));
        assertEquals("libcufft.so.11", CudaLibrary.CUFFT.soname(12));
        assertEquals("libcusolver.so.11", CudaLibrary.CUSOLVER.soname(12));
        assertEquals("libcusparse.so.12", CudaLibrary.CUSPARSE.soname(13));
        assertEquals("libcusparse.so.12", CudaLibrary.CUSPARSE.soname(12));
        assertEquals(List.of(CudaLibrary.NVJITLINK, CudaLibrary.CUSPARSE, CudaLibrary.CUBLASLT, CudaLibrary.CUBLAS), CudaLibrary.CUSOLVER.dependencies());
        assertEquals(List.of(), CudaLibrary.DRIVER.wheelDirs(13), "the driver never comes in a wheel");
        assertEquals(List.of("nvidia/cuda_nvrtc/lib"), CudaLibrary.NVRTC.wheelDirs(12));
        assertThrows(IllegalArgumentException.class, () -> CudaLibrary.CUFFT.soname(11));
    }
}
