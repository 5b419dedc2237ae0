package io.hartree.gpu;

import io.hartree.gpu.cuda.CudaRuntime;
import io.hartree.gpu.cuda.KernelImage;
import io.hartree.gpu.cuda.LibraryLocator;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The test doubles of libcuda, libcufft, libcublas, libnvrtc and libcusolver (src/test/c/*.c),
 * built with gcc once per JVM and loaded once (a second load of the same soname from another
 * path would be a second copy with counters of its own), shared by the fake-device test classes.
 * Besides the CUDA entry points the doubles export counters and fault injection, reached here.
 */
final class FakeDevice {
    /** Call categories of fakecuda.c's fault injection (fake_calls, fake_fail_at). */
    enum Driver { ALLOC, FUNCTION, LAUNCH, EVENT, COPY }

    /** Call categories of fakecufft.c's fault injection (fake_cufft_calls, fake_cufft_fail_at). */
    enum Fft { CREATE, STREAM, MAKE, CALLBACK }

    final Path dir;
    final CudaRuntime rt;
    private final SymbolLookup cuda, cufft, cublas, cusolver, nvrtc;

    private static FakeDevice instance;
    private static String unavailable;

    private FakeDevice(Path dir, CudaRuntime rt) {
        this.dir = dir;
        this.rt = rt;
        cuda = lookup("libcuda.so.1");
        cufft = lookup("libcufft.so.12");
        cublas = lookup("libcublas.so.13");
        cusolver = lookup("libcusolver.so.12");
        nvrtc = lookup("libnvrtc.so.13");
    }

    private SymbolLookup lookup(String lib) { return SymbolLookup.libraryLookup(dir.resolve(lib), Arena.global()); }

    /** The doubles, built on first use; the test is skipped (with the reason) where they cannot be built. */
    static synchronized FakeDevice get() throws Exception {
        if (instance == null && unavailable == null) unavailable = build();
        assumeTrue(instance != null, unavailable);
        return instance;
    }

    private static String build() throws Exception {
        if (KernelImage.ptx("hartree.cu") == null) return "this build has no nvcc PTX, which the fake device loads";
        Path dir = Files.createTempDirectory("fakecuda");
        for (String[] lib : new String[][]{{"fakecuda.c", "libcuda.so.1", "libfakecuda-test.so"}, {"fakecufft.c", "libcufft.so.12", "libfakecufft-test.so"},
                {"fakecublas.c", "libcublas.so.13", "libfakecublas-test.so"}, {"fakenvrtc.c", "libnvrtc.so.13", "libfakenvrtc-test.so"},
                {"fakecusolver.c", "libcusolver.so.12", "libfakecusolver-test.so"}}) {
            List<String> cmd = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O1", "-Wl,-soname," + lib[2], "-o", dir.resolve(lib[1]).toString(),
                    "-x", "c", Path.of("src/test/c", lib[0]).toString()));
            if (lib[0].equals("fakecuda.c")) {
                // The double of libcuda runs fock_hop_c128 with the kernel's own core (fock.cu, as C++ on the host).
                cmd.set(0, "g++");
                cmd.addAll(List.of("-x", "c++", "-std=c++17", "-DFOCK_HOST_ENTRY", FockHopCoreTest.SOURCE.toString()));
            }
            cmd.add("-lm");
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (java.io.IOException e) {
                return "no gcc/g++ to build the fake CUDA libraries: " + e.getMessage();
            }
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IllegalStateException("gcc " + lib[0] + ": " + out);
        }
        var loc = new LibraryLocator(Map.of("HARTREE_CUDA_LIBS", dir.toString()), null, List.of(), List::of, false);
        CudaRuntime.Loaded l = CudaRuntime.load(loc);
        if (l.failure() != null) throw new IllegalStateException(l.failure());
        instance = new FakeDevice(dir, l.runtime());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var s = Files.list(dir)) {
                for (Path f : s.toList()) Files.deleteIfExists(f);
                Files.deleteIfExists(dir);
            } catch (java.io.IOException ignored) {
                // a temporary folder left behind
            }
        }));
        return null;
    }

    MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor d) {
        return Linker.nativeLinker().downcallHandle(lib.find(name).orElseThrow(), d);
    }

    MethodHandle cudaHandle(String name, FunctionDescriptor d) { return handle(cuda, name, d); }

    MethodHandle cufftHandle(String name, FunctionDescriptor d) { return handle(cufft, name, d); }

    MethodHandle nvrtcHandle(String name, FunctionDescriptor d) { return handle(nvrtc, name, d); }

    private long longOf(SymbolLookup lib, String name) {
        try { return (long) handle(lib, name, FunctionDescriptor.of(JAVA_LONG)).invokeExact(); } catch (Throwable t) { throw new AssertionError(t); }
    }

    private int intOf(SymbolLookup lib, String name) {
        try { return (int) handle(lib, name, FunctionDescriptor.of(JAVA_INT)).invokeExact(); } catch (Throwable t) { throw new AssertionError(t); }
    }

    long liveAllocations() { return longOf(cuda, "fake_live_allocations"); }

    long liveEvents() { return longOf(cuda, "fake_live_events"); }

    long livePlans() { return intOf(cufft, "fake_cufft_live_plans"); }

    long allocatedBytes() { return longOf(cuda, "fake_allocated_bytes"); }

    long synchronizations() { return longOf(cuda, "fake_synchronizations"); }

    int liveCublasHandles() { return intOf(cublas, "fake_cublas_live_handles"); }

    int liveCusolverHandles() { return intOf(cusolver, "fake_cusolver_live_handles"); }

    long nvrtcCreates() { return longOf(nvrtc, "fake_nvrtc_creates"); }

    long nvrtcDestroys() { return longOf(nvrtc, "fake_nvrtc_destroys"); }

    long calls(Driver c) {
        try { return (long) handle(cuda, "fake_calls", FunctionDescriptor.of(JAVA_LONG, JAVA_INT)).invokeExact(c.ordinal()); }
        catch (Throwable t) { throw new AssertionError(t); }
    }

    long calls(Fft c) {
        try { return (long) handle(cufft, "fake_cufft_calls", FunctionDescriptor.of(JAVA_LONG, JAVA_INT)).invokeExact(c.ordinal()); }
        catch (Throwable t) { throw new AssertionError(t); }
    }

    /** The k-th call of category c from now fails with {@code code} (k = 0 disarms). */
    void failAt(Driver c, long k, int code) {
        try { handle(cuda, "fake_fail_at", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_LONG, JAVA_INT)).invokeExact(c.ordinal(), k, code); }
        catch (Throwable t) { throw new AssertionError(t); }
    }

    void failAt(Fft c, long k, int code) {
        try { handle(cufft, "fake_cufft_fail_at", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_LONG, JAVA_INT)).invokeExact(c.ordinal(), k, code); }
        catch (Throwable t) { throw new AssertionError(t); }
    }

    /** The next cublasSetStream_v2 (what 0) or cublasSetPointerMode_v2 (what 1) fails with {@code code}. */
    void failCublasNext(int what, int code) {
        try { handle(cublas, "fake_cublas_fail_next", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT)).invokeExact(what, code); }
        catch (Throwable t) { throw new AssertionError(t); }
    }

    void failCusolverNextStream(int code) {
        try { handle(cusolver, "fake_cusolver_fail_next_stream", FunctionDescriptor.ofVoid(JAVA_INT)).invokeExact(code); }
        catch (Throwable t) { throw new AssertionError(t); }
    }

    void failNvrtcNextDestroy(int code) {
        try { handle(nvrtc, "fake_nvrtc_fail_next_destroy", FunctionDescriptor.ofVoid(JAVA_INT)).invokeExact(code); }
        catch (Throwable t) { throw new AssertionError(t); }
    }

    void setFree(long bytes) {
        try { handle(cuda, "fake_set_free", FunctionDescriptor.ofVoid(JAVA_LONG)).invokeExact(bytes); } catch (Throwable t) { throw new AssertionError(t); }
    }
}
