package io.hartree.gpu;

import io.hartree.api.Capabilities;
import io.hartree.api.ParameterException;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.fock.CsrMatrix;
import io.hartree.api.FftBenchmark;
import io.hartree.api.model.Grid3D;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.model.TrapPotential;
import io.hartree.gpu.cuda.CudaException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Native resources on the fake device (src/test/c/*.c): fault injection into every allocation,
 * plan, event, module-function lookup and copy that a propagator's construction makes, with the
 * check that a failed construction gives everything back; cuBLAS/cuSOLVER handles and NVRTC
 * programs on their failure paths; the host-device synchronisations of the Krylov vector
 * operations; the device bytes a propagator allocates; the session's declared capabilities.
 */
class FakeDeviceResourcesTest {
    static FakeDevice d;

    @BeforeAll
    static void load() throws Exception { d = FakeDevice.get(); }

    /** What a session and the device hold: live allocations, cuFFT plans, events, and the session's open arenas. */
    record Held(long allocations, long plans, long events, int arenas) {
        Held minus(Held o) { return new Held(allocations - o.allocations, plans - o.plans, events - o.events, arenas - o.arenas); }
    }

    static Held held(CudaSession s) { return held(d, s); }

    static Held held(FakeDevice d, CudaSession s) {
        return new Held(d.liveAllocations(), d.livePlans(), d.liveEvents(), s.openArenas());
    }

    /** A trap given as a function: sampled into a device table (the harmonic trap is computed in the kernels). */
    record Sampled() implements TrapPotential {
        public double value(double x, double y, double z) { return 0.5 * (x * x + y * y) + z * z; }

        public String describe() { return "sampled test trap"; }
    }

    record Config(String name, HartreeProblem problem, Precision precision, boolean fused) {}

    static List<Config> configs() {
        Grid3D g = new Grid3D(8, 8);
        OneBodyOperator sampled = new OneBodyOperator(0.5, new Sampled());
        return List.of(
                new Config("periodic Gaussian, real-time Strang, double, fused", new HartreeProblem(g, OneBodyOperator.paper(1), new Interaction.Gaussian(1, 1),
                        ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-3), Precision.DOUBLE, true),
                new Config("periodic Gaussian, real-time Strang, double, separate kernels", new HartreeProblem(g, OneBodyOperator.paper(1), new Interaction.Gaussian(1, 1),
                        ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-3), Precision.DOUBLE, false),
                new Config("padded Gaussian, sampled trap, fourth order, single", new HartreeProblem(g, sampled, new Interaction.Gaussian(1, 1),
                        ConvolutionMode.PADDED, Scheme.FOURTH, TimeMode.REAL, 1e-3), Precision.SINGLE, false),
                new Config("contact, imaginary-time Strang (stored density), double", new HartreeProblem(g, OneBodyOperator.paper(1), new Interaction.Contact(2),
                        ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.IMAGINARY, 1e-3), Precision.DOUBLE, false),
                new Config("truncated Coulomb, imaginary time, sampled trap, double", new HartreeProblem(g, sampled, new Interaction.Coulomb(1),
                        ConvolutionMode.TRUNCATED, Scheme.STRANG, TimeMode.IMAGINARY, 1e-3), Precision.DOUBLE, false));
    }

    static CudaSession session(Config c) {
        return new CudaSession(d.rt, new SessionOptions(c.precision(), 0, 0));
    }

    static HartreePropagator make(CudaSession s, Config c) {
        if (!c.fused()) System.setProperty("hartree.cuda.fusedFft", "false");
        try {
            return s.hartree(c.problem());
        } finally {
            System.clearProperty("hartree.cuda.fusedFft");
        }
    }

    /** Non-sticky codes for each category (a sticky one would kill the session, which is another test's subject). */
    static final int OUT_OF_MEMORY = 2, NOT_FOUND = 500, INVALID_VALUE = 1, CUFFT_ALLOC_FAILED = 2, CUFFT_INVALID_VALUE = 4;

    /**
     * For each configuration: the calls of each category that one construction makes are counted
     * (in a fresh session, so that the module-function lookups are not cached yet), then for every
     * k up to that count a fresh session is opened, the k-th call is made to fail, and after the
     * failed construction the device holds what it held before: no allocation, plan or event
     * left, and the propagator's arena closed. A failure inside the fused step's setup is survived
     * by falling back to the separate kernels: then the propagator holds exactly what a
     * propagator with the fused step switched off holds, and closing it gives everything back.
     */
    @Test
    void failedConstructionReleasesEverything() throws Exception {
        int failed = 0, fellBack = 0;
        for (Config c : configs()) {
            long[] perDriver = new long[FakeDevice.Driver.values().length], perFft = new long[FakeDevice.Fft.values().length];
            Held holds;
            try (CudaSession s = session(c)) {
                Held base = held(s);
                for (var cat : FakeDevice.Driver.values()) perDriver[cat.ordinal()] = d.calls(cat);
                for (var cat : FakeDevice.Fft.values()) perFft[cat.ordinal()] = d.calls(cat);
                try (HartreePropagator p = make(s, c)) {
                    assertEquals(c.fused(), p.implementation().startsWith("cuFFT with LTO callbacks"), c.name() + ": " + p.implementation());
                    holds = held(s).minus(base);
                }
                for (var cat : FakeDevice.Driver.values()) perDriver[cat.ordinal()] = d.calls(cat) - perDriver[cat.ordinal()];
                for (var cat : FakeDevice.Fft.values()) perFft[cat.ordinal()] = d.calls(cat) - perFft[cat.ordinal()];
                assertEquals(base, held(s), c.name() + ": close gives everything back");
            }
            Held unfused = holds;
            if (c.fused()) {
                try (CudaSession s = session(c)) {
                    Held base = held(s);
                    try (HartreePropagator p = make(s, new Config(c.name(), c.problem(), c.precision(), false))) { unfused = held(s).minus(base); }
                }
            }
            assertTrue(perDriver[FakeDevice.Driver.ALLOC.ordinal()] >= 6 && perDriver[FakeDevice.Driver.FUNCTION.ordinal()] >= 5
                    && perDriver[FakeDevice.Driver.EVENT.ordinal()] == 2 && perFft[FakeDevice.Fft.CREATE.ordinal()] >= 1, c.name() + ": the calls were counted");
            int[] counts = failEachCall(d, c, perDriver, perFft, unfused, FakeDeviceResourcesTest::session, FakeDeviceResourcesTest::make);
            failed += counts[0];
            fellBack += counts[1];
        }
        System.out.printf("fault injection: %d failed constructions, %d fused-step fallbacks, all released%n", failed, fellBack);
        assertTrue(failed >= 100 && fellBack >= 5, failed + " failed constructions, " + fellBack + " fallbacks");
    }

    static void arm(FakeDevice d, Object category, long k, int code) {
        if (category instanceof FakeDevice.Driver c) d.failAt(c, k, code);
        else d.failAt((FakeDevice.Fft) category, k, code);
    }

    /**
     * Makes each of the counted calls of one construction fail in turn, in a fresh session: the
     * construction fails with that call's code and the device then holds what it held before, or
     * (only a failure in the fused step's setup) it falls back to the separate kernels and holds
     * exactly {@code unfused}. Returns {failed constructions, fallbacks}.
     */
    static int[] failEachCall(FakeDevice d, Config c, long[] perDriver, long[] perFft, Held unfused,
                              java.util.function.Function<Config, CudaSession> session,
                              java.util.function.BiFunction<CudaSession, Config, HartreePropagator> make) {
        List<Object[]> faults = new ArrayList<>();
        for (var cat : FakeDevice.Driver.values())
            for (long k = 1; k <= perDriver[cat.ordinal()]; k++)
                faults.add(new Object[]{cat, k, cat == FakeDevice.Driver.ALLOC || cat == FakeDevice.Driver.EVENT ? OUT_OF_MEMORY
                        : cat == FakeDevice.Driver.FUNCTION ? NOT_FOUND : INVALID_VALUE});
        for (var cat : FakeDevice.Fft.values())
            for (long k = 1; k <= perFft[cat.ordinal()]; k++)
                faults.add(new Object[]{cat, k, cat == FakeDevice.Fft.CREATE || cat == FakeDevice.Fft.MAKE ? CUFFT_ALLOC_FAILED : CUFFT_INVALID_VALUE});
        int failed = 0, fellBack = 0;
        for (Object[] f : faults) {
            String what = c.name() + ", call " + f[1] + " of " + f[0] + " fails with " + f[2];
            try (CudaSession s = session.apply(c)) {
                Held base = held(d, s);
                arm(d, f[0], (long) f[1], (int) f[2]);
                try {
                    HartreePropagator p = make.apply(s, c);
                    // Only the fused step's setup may fail and be survived (by the separate kernels).
                    assertTrue(c.fused() && p.implementation().contains("cuFFT callbacks unavailable"), what + ": survived as " + p.implementation());
                    assertEquals(unfused, held(d, s).minus(base), what + ": after the fallback it holds what an unfused one holds");
                    p.close();
                    fellBack++;
                } catch (CudaException e) {
                    assertEquals((int) f[2], e.code(), what + ": " + e.getMessage());
                    failed++;
                } finally {
                    arm(d, f[0], 0, 0);
                }
                assertEquals(base, held(d, s), what + ": everything released");
            }
        }
        return new int[]{failed, fellBack};
    }

    /**
     * The bytes a propagator allocates, measured on the device (the sum of its cuMemAlloc sizes
     * during construction), are {@link CudaHartreePropagator#deviceBytes}, exactly, for every
     * configuration; the fused step adds its callback-parameter block (CallbackInfo.BYTES).
     */
    @Test
    void deviceBytesAreWhatTheConstructorAllocates() throws Exception {
        for (Config c : configs()) {
            try (CudaSession s = session(c)) {
                long b0 = d.allocatedBytes();
                try (HartreePropagator p = make(s, c)) {
                    long measured = d.allocatedBytes() - b0;
                    ConvolutionKernel k = ConvolutionKernel.build(c.problem().grid(), c.problem().interaction(), c.problem().convolution(), s.hostTransforms());
                    long plan = CudaHartreePropagator.deviceBytes(c.problem(), k, c.precision() == Precision.SINGLE);
                    assertEquals(plan + (c.fused() ? CudaHartreePropagator.CallbackInfo.BYTES : 0), measured, c.name());
                }
            }
        }
    }

    /**
     * cuBLAS's and cuSOLVER's handles are destroyed when setting their stream or pointer mode
     * fails (the fake libraries count live handles), and the Fock kernels' arena is closed.
     */
    @Test
    void libraryHandlesReleasedWhenTheirSetupFails() throws Exception {
        int blas0 = d.liveCublasHandles(), solver0 = d.liveCusolverHandles();
        try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
            int arenas = s.openArenas();
            for (int what = 0; what < 2; what++) {
                d.failCublasNext(what, 7);
                CudaException e = assertThrows(CudaException.class, s::fock);
                assertTrue(e.getMessage().startsWith(what == 0 ? "cublasSetStream_v2" : "cublasSetPointerMode_v2"), e.getMessage());
                assertEquals(blas0, d.liveCublasHandles(), "cuBLAS handle destroyed when " + e.getMessage());
                assertEquals(arenas, s.openArenas(), "the Fock kernels' arena closed");
            }
            var k = s.fock();
            assertEquals(blas0 + 1, d.liveCublasHandles(), "one handle per session's Fock kernels");
            d.failCusolverNextStream(7);
            CudaException e = assertThrows(CudaException.class, () -> k.eigh(FakeDeviceTest.band(6), 6, null));
            assertTrue(e.getMessage().startsWith("cusolverDnSetStream"), e.getMessage());
            assertEquals(solver0, d.liveCusolverHandles(), "cuSOLVER handle destroyed");
            // And the same call goes through afterwards (the session is not dead): 6 eigenvalues.
            assertEquals(6, k.eigh(FakeDeviceTest.band(6), 6, null).length);
            assertEquals(solver0, d.liveCusolverHandles());
        }
        assertEquals(blas0, d.liveCublasHandles(), "the session's close destroys the handle");
    }

    /** Each NVRTC program is destroyed exactly once: after a successful read, a compile error, a failed read, a failed destroy. */
    @Test
    void nvrtcDestroysEachProgramOnce() throws Exception {
        var nv = d.rt.nvrtc;
        long c0 = d.nvrtcCreates(), d0 = d.nvrtcDestroys();
        nv.compile("// x", "ok.cu", List.of("--gpu-architecture=sm_90"));
        assertThrows(CudaException.class, () -> nv.compile("#error x", "bad.cu", List.of("--gpu-architecture=sm_90")));
        // LTO IR of a compilation without -dlto: nvrtcGetLTOIRSize fails (NVRTC_ERROR_INVALID_INPUT).
        assertThrows(CudaException.class, () -> nv.compileLto("// x", "nolto.cu", List.of("--gpu-architecture=compute_90")));
        d.failNvrtcNextDestroy(5);
        CudaException e = assertThrows(CudaException.class, () -> nv.compile("// x", "x.cu", List.of("--gpu-architecture=sm_90")));
        assertTrue(e.getMessage().startsWith("nvrtcDestroyProgram failed: 5"), e.getMessage());
        assertEquals(4, d.nvrtcCreates() - c0, "programs created");
        assertEquals(4, d.nvrtcDestroys() - d0, "one nvrtcDestroyProgram per program");
    }

    /**
     * Host waits per Krylov vector operation (cuStreamSynchronize and cuCtxSynchronize counted by
     * the double): none for axpy, scale, combine and the CSR product (stream order serialises
     * the device work, and cuBLAS reads a host-mode scalar when the call is made); none for dot and
     * norm (their host-mode results make cuBLAS wait itself); one for upload (the staging buffer is
     * freed when it returns) and one for download (the host reads the copy).
     */
    @Test
    void krylovVectorOperationsSynchroniseOnlyForHostReads() throws Exception {
        try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
            var k = (CudaFockKernels) s.fock();
            int m = 12;
            int[] rp = new int[m + 1];
            int[] col = new int[m];
            double[] val = new double[m];
            for (int i = 0; i < m; i++) { rp[i + 1] = i + 1; col[i] = i; val[i] = i; }
            try (var ops = (CudaFockKernels.DeviceKrylov) k.krylov(new CsrMatrix(m, rp, col, val, null))) {
                var x = ops.allocate();
                var y = ops.allocate();
                double[] h = new double[2 * m];
                for (int i = 0; i < h.length; i++) h[i] = i + 1;
                assertEquals(1, syncs(() -> ops.upload(h, x)), "upload");
                assertEquals(0, syncs(() -> ops.axpy(0.5, -0.25, x, y)), "axpy");
                assertEquals(0, syncs(() -> ops.scale(2, y)), "scale");
                assertEquals(0, syncs(() -> ops.combine(List.of(x, y), 2, new double[]{1, 0, -1, 0}, y)), "combine");
                assertEquals(0, syncs(() -> ops.apply(x, y)), "CSR product");
                assertEquals(0, syncs(() -> ops.dot(x, y)), "dot");
                assertEquals(0, syncs(() -> ops.norm(x)), "norm");
                double[] back = new double[2 * m];
                assertEquals(1, syncs(() -> ops.download(y, back)), "download");
                // y = diag(0..11)·x with x_j = (2j+1) + i(2j+2): exact small integers, so exact in double.
                for (int j = 0; j < m; j++) {
                    assertEquals(j * (2 * j + 1.0), back[2 * j], 0.0, "Re (Hx)_" + j);
                    assertEquals(j * (2 * j + 2.0), back[2 * j + 1], 0.0, "Im (Hx)_" + j);
                }
            }
        }
    }

    static long syncs(Runnable r) {
        long s0 = d.synchronizations();
        r.run();
        return d.synchronizations() - s0;
    }

    /**
     * Wrong lengths are refused before any native call, naming the array and the expected length
     * (a wrong n would otherwise make cuBLAS/cuSOLVER read or write past the arrays); nothing is
     * left allocated.
     */
    @Test
    void fockKernelsCheckLengths() throws Exception {
        try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
            var k = s.fock();
            long base = d.liveAllocations();
            int n = 4;
            double[] big = new double[2 * 5 * 5], ok = new double[2 * n * n];
            ParameterException e = assertThrows(ParameterException.class, () -> k.gemm(big, ok, new double[2 * n * n], n));
            assertEquals("a", e.parameter(), e.getMessage());
            assertTrue(e.getMessage().contains("length 50") && e.getMessage().contains("2n² = 32"), e.getMessage());
            assertEquals("c", assertThrows(ParameterException.class, () -> k.gemm(ok, ok, new double[2 * n * n - 2], n)).parameter());
            assertEquals("vectors", assertThrows(ParameterException.class, () -> k.eigh(ok.clone(), n, new double[n * n])).parameter());
            assertEquals("a", assertThrows(ParameterException.class, () -> k.eigh(big, n, null)).parameter());
            assertEquals("a", assertThrows(ParameterException.class, () -> k.eighReal(new double[2 * n * n], n, null)).parameter());
            assertEquals("b", assertThrows(ParameterException.class, () -> k.solve(ok.clone(), new double[2 * n], n)).parameter());
            assertEquals("n", assertThrows(ParameterException.class, () -> k.gemm(ok, ok, ok.clone(), 0)).parameter());
            assertEquals(base, d.liveAllocations(), "nothing allocated for a refused call");
        }
    }

    /**
     * The session declares what it can do: both precisions, the fused step exactly when an
     * eligible propagator gets it, matrix-free products (cuBLAS present), no batches yet, the FFT
     * benchmark (the session itself, whose transform runs on the device), and the free device
     * memory as the fake reports it. Without NVRTC and cuBLAS: no fused step, no matrix-free Fock.
     */
    @Test
    void capabilitiesOfTheSession() throws Exception {
        Config eligible = configs().getFirst();
        try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
            d.setFree(3L << 30);
            Capabilities c;
            try {
                c = s.capabilities();
            } finally {
                d.setFree(6L << 30);
            }
            assertEquals(Set.of(Precision.DOUBLE, Precision.SINGLE), c.precisions());
            assertTrue(c.fusedStep(), "the doubles export cufftXtSetJITCallback and nvrtcGetLTOIR");
            try (HartreePropagator p = s.hartree(eligible.problem())) {
                assertTrue(p.implementation().startsWith("cuFFT with LTO callbacks"), p.implementation());
            }
            assertTrue(c.matrixFree());
            assertEquals(1, c.maxBatch());
            assertTrue(c.fftBenchmark());
            assertEquals(3L << 30, c.memoryBytes(), "free device memory");
            FftBenchmark b = s.fftBenchmark();
            assertSame(s, b);
            try (FftBenchmark.Transform t = b.complexFft(8)) {
                t.run();
                assertTrue(t.describe().startsWith("cuFFT 12000, Z2Z double in place"), t.describe());
            }
            ParameterException e = assertThrows(ParameterException.class, () -> s.hartree(eligible.problem(), 2));
            assertEquals("batch", e.parameter());
            System.setProperty("hartree.cuda.fusedFft", "false");
            try {
                assertFalse(s.capabilities().fusedStep(), "switched off");
            } finally {
                System.clearProperty("hartree.cuda.fusedFft");
            }
        }
        java.nio.file.Path bare = java.nio.file.Files.createTempDirectory("fakecuda-bare");
        for (String l : List.of("libcuda.so.1", "libcufft.so.12")) java.nio.file.Files.copy(d.dir.resolve(l), bare.resolve(l));
        try (CudaSession s = new CudaSession(FakeDeviceTest.runtimeIn(bare), SessionOptions.defaults())) {
            Capabilities c = s.capabilities();
            assertFalse(c.fusedStep(), "no NVRTC: no LTO callbacks");
            assertFalse(c.matrixFree(), "no cuBLAS: no Fock kernels on the device");
            try (HartreePropagator p = s.hartree(eligible.problem())) {
                assertFalse(p.implementation().startsWith("cuFFT with LTO callbacks"), p.implementation());
            }
        } finally {
            FakeDeviceTest.delete(bare);
        }
    }
}
