package io.hartree.gpu;

import io.hartree.api.Availability;
import io.hartree.api.BackendException;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.FftBenchmark;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.gpu.cuda.CudaException;
import io.hartree.gpu.cuda.CudaRuntime;
import io.hartree.gpu.cuda.KernelImage;
import io.hartree.gpu.cuda.LibraryLocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static java.lang.foreign.ValueLayout.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole host side of the backend against a test double of libcuda and libcufft
 * (src/test/c/*.c, compiled here with gcc): every FFM call path with its real descriptor and
 * call-site types, every kernel launch checked against the kernel's parameter list in the source,
 * the launch and FFT counts of a step (the fusion), copies and precision conversion (the double's
 * "device" memory is host memory), out of memory, a sticky error, and leaks. Kernels do not run,
 * so no physics is checked here: that is CrossBackendTest's job on a GPU.
 */
class FakeDeviceTest {
    static Path dir;
    static CudaRuntime rt;
    static MethodHandle launches, ffts, live, setFree, failNext, callbacks;

    @BeforeAll
    static void build() throws Exception {
        FakeDevice d = FakeDevice.get();
        dir = d.dir;
        rt = d.rt;
        launches = d.cudaHandle("fake_launches", FunctionDescriptor.of(JAVA_LONG));
        live = d.cudaHandle("fake_live_allocations", FunctionDescriptor.of(JAVA_LONG));
        setFree = d.cudaHandle("fake_set_free", FunctionDescriptor.ofVoid(JAVA_LONG));
        failNext = d.cudaHandle("fake_fail_next_launch", FunctionDescriptor.ofVoid(JAVA_INT));
        ffts = d.cufftHandle("fake_cufft_execs", FunctionDescriptor.of(JAVA_LONG));
        callbacks = d.cufftHandle("fake_cufft_callbacks", FunctionDescriptor.of(ADDRESS));
    }

    static long count(MethodHandle h) throws Throwable { return (long) h.invokeExact(); }

    @Test
    void probeAndLibrariesThroughTheDouble() {
        assertTrue(rt.libraries.get("driver").startsWith("CUDA 13.0 (cuDriverGetVersion 13000"), rt.libraries.toString());
        assertTrue(rt.libraries.get("cufft").startsWith("12000 ("), rt.libraries.toString());
        assertTrue(rt.libraries.get("nvrtc").startsWith("13.0 (" + dir.resolve("libnvrtc.so.13")), rt.libraries.toString());
        assertTrue(rt.libraries.get("cusolver").startsWith("12004 (" + dir.resolve("libcusolver.so.12")), rt.libraries.toString());
        Availability a = CudaBackend.probe(new CudaRuntime.Loaded(rt, null));
        CudaBackendProbeTest.assertConsistent(a, rt);
        assertEquals("Fake GPU (test double) (device 0), compute capability 9.0 (sm_90), 4 SMs, 8.0 GiB", a.device());
        assertNull(a.libraries().get("kernels"), "NVRTC present: no PTX fallback note");
        // The doubles export cufftXtSetJITCallback (version 12000) and nvrtcGetLTOIR.
        assertEquals("cuFFT LTO callbacks (real-time periodic Strang, double)", a.libraries().get("fused step"));
    }

    static HartreeProblem problem(ConvolutionMode mode, Interaction v, Scheme scheme, TimeMode tm) {
        return new HartreeProblem(new Grid3D(8, 8), OneBodyOperator.paper(1), v, mode, scheme, tm, 1e-3);
    }

    /** Every mode, scheme, time and precision: launches pass the signature check, copies round-trip, nothing leaks. */
    @Test
    void everyConfigurationRunsItsHostSide() throws Throwable {
        Object[][] interactions = {{new Interaction.Gaussian(1, 1), ConvolutionMode.PERIODIC}, {new Interaction.Gaussian(1, 1), ConvolutionMode.PADDED},
                {new Interaction.Coulomb(1), ConvolutionMode.TRUNCATED}, {new Interaction.Contact(2), ConvolutionMode.PERIODIC},
                {new Interaction.None(), ConvolutionMode.PERIODIC}};
        int configs = 0;
        for (Precision prec : Precision.values()) {
            try (CudaSession s = new CudaSession(rt, new SessionOptions(prec, 0, 0))) {
                assertTrue(s.device().endsWith("kernels: NVRTC 13.0, sm_90 CUBIN"), s.device());
                long base = count(live);
                for (Object[] iv : interactions)
                    for (Scheme sc : Scheme.values())
                        for (TimeMode tm : TimeMode.values()) {
                            HartreeProblem pb = problem((ConvolutionMode) iv[1], (Interaction) iv[0], sc, tm);
                            double[] psi = new double[2 * 512];
                            Random r = new Random(configs);
                            for (int i = 0; i < psi.length; i++) psi[i] = r.nextGaussian();
                            try (HartreePropagator p = s.hartree(pb)) {
                                p.load(psi, 0.5);
                                p.advance(3);
                                p.observe();
                                double[] back = new double[psi.length];
                                p.store(back);
                                // Kernels and FFTs are no-ops on the double: the state comes back as loaded
                                // (exactly in double, rounded to float in single precision).
                                for (int i = 0; i < psi.length; i++)
                                    assertEquals(prec == Precision.SINGLE ? (double) (float) psi[i] : psi[i], back[i], 0.0, prec + " " + pb);
                                assertEquals(0.5 + 3e-3, p.time(), 1e-15);
                                assertEquals(0.25f, ((CudaHartreePropagator) p).lastAdvanceMillis(), "cuEventElapsedTime read back");
                            }
                            assertEquals(base, count(live), "device allocations freed by close: " + pb);
                            configs++;
                        }
            }
            assertEquals(0, count(live), "the session frees everything");
        }
        assertEquals(2 * 5 * 2 * 2, configs);
    }

    /**
     * Real-time Strang with a periodic convolution (double): with cuFFT's LTO callbacks (the
     * double exports cufftXtSetJITCallback and nvrtcGetLTOIR), 4 FFTs per step (inverse with the
     * kick and density callbacks, D2Z with the table, plain Z2D, forward with the phase) and no
     * launch per step, only set_f64 twice (the half kick, then the whole one) and the last kick; the
     * callbacks are attached by name and type to three plans of their own, freed by close. With the
     * callbacks switched off (hartree.cuda.fusedFft=false) the separate kernels run: 4 FFTs and 4
     * launches (kick, density, spectrum multiply, phase) per step, plus one FFT and one kick at each end. Imaginary time with the start-of-step density: 5 FFTs and 7
     * launches per step (the copy's inverse, density with its mass, density scale, D2Z, multiply,
     * Z2D, kick, inverse, phase, forward, kick with norm, norm scale).
     */
    @Test
    void launchesAndTransformsPerStep() throws Throwable {
        try (CudaSession s = new CudaSession(rt, SessionOptions.defaults())) {
            int steps = 7;
            String before = ((MemorySegment) callbacks.invokeExact()).reinterpret(1024).getString(0);
            try (HartreePropagator p = s.hartree(problem(ConvolutionMode.PERIODIC, new Interaction.Gaussian(1, 1), Scheme.STRANG, TimeMode.REAL))) {
                assertTrue(p.implementation().startsWith("cuFFT with LTO callbacks"), p.implementation());
                String log = ((MemorySegment) callbacks.invokeExact()).reinterpret(1024).getString(0).substring(before.length());
                assertEquals("hartree_cb_kick:1 hartree_cb_density:5 hartree_cb_table:5 hartree_cb_phase:1 ", log, "callbacks attached");
                p.load(new double[1024], 0);
                long l0 = count(launches), f0 = count(ffts);
                p.advance(steps);
                assertEquals(3, count(launches) - l0, "launches, real time, fused: set_f64 twice and the last kick");
                assertEquals(4L * steps + 2, count(ffts) - f0, "FFTs, real time, fused");
            }
            System.setProperty("hartree.cuda.fusedFft", "false");
            try (HartreePropagator p = s.hartree(problem(ConvolutionMode.PERIODIC, new Interaction.Gaussian(1, 1), Scheme.STRANG, TimeMode.REAL))) {
                assertTrue(p.implementation().contains("cuFFT callbacks switched off"), p.implementation());
                p.load(new double[1024], 0);
                long l0 = count(launches), f0 = count(ffts);
                p.advance(steps);
                assertEquals(4L * steps + 1, count(launches) - l0, "launches, real time");
                assertEquals(4L * steps + 2, count(ffts) - f0, "FFTs, real time");
            } finally {
                System.clearProperty("hartree.cuda.fusedFft");
            }
            try (HartreePropagator p = s.hartree(problem(ConvolutionMode.PERIODIC, new Interaction.Gaussian(1, 1), Scheme.STRANG, TimeMode.IMAGINARY))) {
                p.load(new double[1024], 0);
                long l0 = count(launches), f0 = count(ffts);
                p.advance(steps);
                assertEquals(7L * steps + 1, count(launches) - l0, "launches, imaginary time");
                assertEquals(5L * steps + 2, count(ffts) - f0, "FFTs, imaginary time");
            }
            try (HartreePropagator p = s.hartree(problem(ConvolutionMode.PERIODIC, new Interaction.None(), Scheme.FOURTH, TimeMode.REAL))) {
                p.load(new double[1024], 0);
                long l0 = count(launches), f0 = count(ffts);
                p.advance(steps);
                // three substeps per step, merged kicks: 3·steps phases and 3·steps + 1 kicks; 2 FFTs per substep.
                assertEquals(6L * steps + 1, count(launches) - l0, "launches, fourth order, V = 0");
                assertEquals(6L * steps + 2, count(ffts) - f0, "FFTs, fourth order, V = 0");
            }
            try (FftBenchmark.Transform t = s.complexFft(16)) {
                long f0 = count(ffts);
                t.run();
                assertEquals(1, count(ffts) - f0);
                assertTrue(t.describe().startsWith("cuFFT 12000, Z2Z double in place, Fake GPU"), t.describe());
            }
            try (FftBenchmark.Transform t = s.realFftPair(16)) {
                long f0 = count(ffts);
                t.run();
                assertEquals(2, count(ffts) - f0, "the real pair: one D2Z, one Z2D");
                assertTrue(t.describe().startsWith("cuFFT 12000, D2Z + Z2D double out of place, Fake GPU"), t.describe());
            }
        }
    }

    @Test
    void outOfMemorySaysWhatWasAskedAndWhatIsFree() throws Throwable {
        try (CudaSession s = new CudaSession(rt, SessionOptions.defaults())) {
            setFree.invokeExact(100_000L);  // below the ~0.6 MB of an 8³ padded propagator (mostly reduction partials)
            try {
                CudaException e = assertThrows(CudaException.class, () -> s.hartree(problem(ConvolutionMode.PADDED, new Interaction.Gaussian(1, 1), Scheme.STRANG, TimeMode.REAL)));
                assertFalse(e.sticky());
                assertTrue(e.getMessage().startsWith("out of device memory: asked "), e.getMessage());
                assertTrue(e.getMessage().contains("97.66 KiB (100000 bytes) free") && e.getMessage().contains("8³ padded"), e.getMessage());
            } finally {
                setFree.invokeExact(6L << 30);
            }
        }
    }

    /** A sticky error (700, illegal address) kills the session: later calls fail at once naming the first error. */
    @Test
    void stickyErrorMarksTheSessionDead() throws Throwable {
        CudaSession s = new CudaSession(rt, SessionOptions.defaults());
        HartreePropagator p = s.hartree(problem(ConvolutionMode.PERIODIC, new Interaction.Gaussian(1, 1), Scheme.STRANG, TimeMode.REAL));
        p.load(new double[1024], 0);
        failNext.invokeExact(700);
        CudaException e = assertThrows(CudaException.class, () -> p.advance(1));
        assertTrue(e.sticky());
        // The fused step's first launch sets its kick factor (set_f64); the unfused one's is the kick.
        assertTrue(e.getMessage().startsWith("cuLaunchKernel(set_f64) failed: 700 CUDA_ERROR_ILLEGAL_ADDRESS"), e.getMessage());
        BackendException again = assertThrows(BackendException.class, p::observe);
        assertTrue(again.sticky() && again.getMessage().contains("dead after a sticky error"), again.getMessage());
        assertThrows(BackendException.class, () -> s.hartree(problem(ConvolutionMode.PERIODIC, new Interaction.None(), Scheme.STRANG, TimeMode.REAL)));
        s.close();  // does not throw: after a sticky error the frees' failures are expected
        // A recoverable launch error (701) is not sticky: the session goes on.
        try (CudaSession t = new CudaSession(rt, SessionOptions.defaults());
             HartreePropagator q = t.hartree(problem(ConvolutionMode.PERIODIC, new Interaction.None(), Scheme.STRANG, TimeMode.REAL))) {
            q.load(new double[1024], 0);
            failNext.invokeExact(701);
            assertFalse(assertThrows(CudaException.class, () -> q.advance(1)).sticky());
            q.advance(1);
        }
    }

    /**
     * Fock kernels through the cuBLAS double (column-major, host pointer mode) and the CSR kernel
     * (the double runs csr_spmv_c128 on the host as hartree.cu defines it): the row-major
     * conventions of gemm and of the Krylov vectors are checked numerically. Reference for
     * exp(−itH)ψ: its Taylor series summed here in Java (‖tH‖ ≤ 3, 80 terms: truncation < 1e-30).
     * The cuSOLVER double gets what the real one would (the row-major H read column-major, i.e.
     * conj(H)), so the eigenvector conjugation of eigh is checked by H v = λ v.
     */
    @Test
    void fockKernelsThroughTheDoubles() throws Throwable {
        try (CudaSession s = new CudaSession(rt, SessionOptions.defaults())) {
            var k = s.fock();
            int n = 6;
            Random r = new Random(11);
            double[] a = new double[2 * n * n], b = new double[2 * n * n], c = new double[2 * n * n];
            for (int i = 0; i < a.length; i++) { a[i] = r.nextGaussian(); b[i] = r.nextGaussian(); }
            k.gemm(a, b, c, n);
            HostGemm.assertProduct(a, b, c, n, 1e-13);
            // H: a complex Hermitian band matrix (hopping −1 ± 0.3i, on-site 0.1·i), as CSR.
            int m = 30;
            double[] dense = new double[2 * m * m];
            int[] rp = new int[m + 1];
            int[] col = new int[3 * m];
            double[] re = new double[3 * m], im = new double[3 * m];
            int p = 0;
            for (int i = 0; i < m; i++) {
                rp[i] = p;
                for (int j = Math.max(0, i - 1); j <= Math.min(m - 1, i + 1); j++) {
                    double vr = i == j ? 0.1 * i / m : -1, vi = i == j ? 0 : (j > i ? 0.3 : -0.3);
                    col[p] = j; re[p] = vr; im[p] = vi; p++;
                    dense[2 * (i * m + j)] = vr; dense[2 * (i * m + j) + 1] = vi;
                }
            }
            rp[m] = p;
            var h = new io.hartree.api.fock.CsrMatrix(m, rp, java.util.Arrays.copyOf(col, p), java.util.Arrays.copyOf(re, p), java.util.Arrays.copyOf(im, p));
            double t = 0.7;
            double[] psi = new double[2 * m];
            psi[2 * (m / 3)] = 0.6; psi[2 * (m / 3) + 1] = 0.8;
            double[] want = taylor(dense, m, t, psi.clone());
            double[] got = psi.clone();
            k.expmv(h, got, t, io.hartree.api.fock.ExpmvOptions.of(1e-12));
            for (int i = 0; i < 2 * m; i++) assertEquals(want[i], got[i], 1e-10, "Lanczos exp(-itH)ψ [" + i + "]");
            // A time series through one propagator: H (CSR: row pointers, columns, values) is uploaded once,
            // each call's Krylov vectors are freed when it returns, close frees H; two half steps = the step.
            long base = count(live);
            try (var prop = k.propagator(h)) {
                double[] half = psi.clone();
                prop.apply(half, t / 2, io.hartree.api.fock.ExpmvOptions.of(1e-12));
                long afterFirst = count(live);
                assertEquals(base + 3, afterFirst, "after a call only H's three CSR arrays stay on the device");
                prop.apply(half, t / 2, io.hartree.api.fock.ExpmvOptions.of(1e-12));
                assertEquals(afterFirst, count(live), "the second call uploads nothing new and frees its vectors");
                for (int i = 0; i < 2 * m; i++) assertEquals(want[i], half[i], 1e-10, "two half steps [" + i + "]");
            }
            assertEquals(base, count(live), "close frees H");
            // The same H behind an operator the device cannot run (neither CSR nor matrix-free): applied on the host,
            // through the staging copy every product reuses; the same result to the same tolerance.
            var hostOnly = new io.hartree.api.fock.FockOperator() {
                public int dimension() { return h.dimension(); }
                public boolean isReal() { return h.isReal(); }
                public void apply(double[] x, double[] y) { h.apply(x, y); }
                public double[] spectralBounds() { return h.spectralBounds(); }
                public long nonZeros() { return h.nonZeros(); }
                public long bytes() { return h.bytes(); }
            };
            try (var ops = (CudaFockKernels.DeviceKrylov) k.krylov(hostOnly)) {
                assertFalse(ops.onDevice(), "an unknown operator is applied on the host");
            }
            double[] gotHost = psi.clone();
            k.expmv(hostOnly, gotHost, t, io.hartree.api.fock.ExpmvOptions.of(1e-12));
            for (int i = 0; i < 2 * m; i++) assertEquals(want[i], gotHost[i], 1e-10, "host-applied Lanczos exp(-itH)ψ [" + i + "]");
            // With cuSOLVER (its double): exp(−itH) = V e^{−itΛ} V† from Zheevd.
            checkExp(k.expHermitian(dense.clone(), m, t), psi, want, m, "Zheevd exp(-itH)");
            // Eigenpairs: H v_k = λ_k v_k for the row-major columns the backend returns, and λ vs engine-api's Jacobi.
            double[] vec = new double[2 * m * m];
            double[] w = k.eigh(dense.clone(), m, vec);
            double[] ref = io.hartree.api.fock.HermitianEigen.eigenvalues(dense.clone(), m);
            for (int q = 0; q < m; q++) {
                assertEquals(ref[q], w[q], 1e-10, "eigenvalue " + q);
                for (int i = 0; i < m; i++) {
                    double sr = 0, si = 0;
                    for (int j = 0; j < m; j++) {
                        double hr = dense[2 * (i * m + j)], hi = dense[2 * (i * m + j) + 1], vr = vec[2 * (j * m + q)], vi = vec[2 * (j * m + q) + 1];
                        sr += hr * vr - hi * vi; si += hr * vi + hi * vr;
                    }
                    assertEquals(w[q] * vec[2 * (i * m + q)], sr, 1e-10, "H v = λ v, Re, k = " + q + ", row " + i);
                    assertEquals(w[q] * vec[2 * (i * m + q) + 1], si, 1e-10, "H v = λ v, Im, k = " + q + ", row " + i);
                }
            }
        }
        // Without cuSOLVER, exp(−itH) goes through Padé-13 on the (double) Zgemm.
        Path noSolver = copyOf("libcuda.so.1", "libcufft.so.12", "libcublas.so.13");
        try (CudaSession s = new CudaSession(runtimeIn(noSolver), SessionOptions.defaults())) {
            var k = s.fock();
            int m = 30;
            double[] dense = band(m);
            double[] psi = new double[2 * m];
            psi[2 * (m / 3)] = 0.6; psi[2 * (m / 3) + 1] = 0.8;
            checkExp(k.expHermitian(dense, m, 0.7), psi, taylor(dense, m, 0.7, psi.clone()), m, "Padé exp(-itH)");
            assertThrows(BackendException.class, () -> k.eigh(band(m), m, new double[2 * m * m]), "eigenvectors need cuSOLVER");
        } finally {
            delete(noSolver);
        }
    }

    static double[] band(int m) {
        double[] dense = new double[2 * m * m];
        for (int i = 0; i < m; i++)
            for (int j = Math.max(0, i - 1); j <= Math.min(m - 1, i + 1); j++) {
                dense[2 * (i * m + j)] = i == j ? 0.1 * i / m : -1;
                dense[2 * (i * m + j) + 1] = i == j ? 0 : (j > i ? 0.3 : -0.3);
            }
        return dense;
    }

    static void checkExp(double[] u, double[] psi, double[] want, int m, String what) {
        for (int i = 0; i < m; i++) {
            double sr = 0, si = 0;
            for (int j = 0; j < m; j++) {
                double ur = u[2 * (i * m + j)], ui = u[2 * (i * m + j) + 1];
                sr += ur * psi[2 * j] - ui * psi[2 * j + 1]; si += ur * psi[2 * j + 1] + ui * psi[2 * j];
            }
            assertEquals(want[2 * i], sr, 1e-10, what + ", row " + i);
            assertEquals(want[2 * i + 1], si, 1e-10, what + ", row " + i);
        }
    }

    static Path copyOf(String... libs) throws java.io.IOException {
        Path d = Files.createTempDirectory("fakecuda-subset");
        for (String l : libs) Files.copy(dir.resolve(l), d.resolve(l));
        return d;
    }

    static CudaRuntime runtimeIn(Path d) {
        return CudaRuntime.load(new LibraryLocator(Map.of("HARTREE_CUDA_LIBS", d.toString()), null, List.of(), List::of, false)).runtime();
    }

    static void delete(Path d) throws java.io.IOException {
        try (var st = Files.list(d)) { for (Path q : st.toList()) Files.deleteIfExists(q); }
        Files.deleteIfExists(d);
    }

    /** NVRTC through its double: the options passed, the CUBIN taken for a real arch, the log of a failed compile. */
    @Test
    void nvrtcOptionsCubinAndLog() throws Throwable {
        var out = rt.nvrtc.compile(KernelImage.source("hartree.cu"), "hartree.cu", List.of("--gpu-architecture=sm_90", "--std=c++17"));
        assertEquals(16, out.cubin().length, "a CUBIN for sm_90");
        assertEquals(0, out.ptx()[out.ptx().length - 1], "PTX as returned keeps its NUL");
        MethodHandle opts = Linker.nativeLinker().downcallHandle(
                SymbolLookup.libraryLookup(dir.resolve("libnvrtc.so.13"), Arena.global()).find("fake_nvrtc_last_options").orElseThrow(),
                FunctionDescriptor.of(ADDRESS));
        assertEquals("--gpu-architecture=sm_90 --std=c++17 ", ((MemorySegment) opts.invokeExact()).reinterpret(1024).getString(0));
        assertNull(rt.nvrtc.compile("// x", "x.cu", List.of("--gpu-architecture=compute_90")).cubin(), "compute_XY: PTX only");
        CudaException e = assertThrows(CudaException.class, () -> rt.nvrtc.compile("#error x", "bad.cu", List.of("--gpu-architecture=sm_90")));
        assertEquals(6, e.code());
        assertTrue(e.getMessage().startsWith("nvrtcCompileProgram(bad.cu, [--gpu-architecture=sm_90]) failed: 6 NVRTC_ERROR_COMPILATION"), e.getMessage());
        assertTrue(e.getMessage().endsWith("log:\nhartree.cu(1): error: #error"), e.getMessage());
        assertArrayEquals(new int[]{75, 80, 90}, rt.nvrtc.supportedArchs());
    }

    /** Σ_k (−itH)^k ψ / k!, dense row-major H. */
    static double[] taylor(double[] h, int m, double t, double[] psi) {
        double[] sum = psi.clone(), term = psi.clone();
        for (int k = 1; k <= 80; k++) {
            double[] next = new double[2 * m];
            for (int i = 0; i < m; i++) {
                double sr = 0, si = 0;
                for (int j = 0; j < m; j++) {
                    double hr = h[2 * (i * m + j)], hi = h[2 * (i * m + j) + 1];
                    sr += hr * term[2 * j] - hi * term[2 * j + 1]; si += hr * term[2 * j + 1] + hi * term[2 * j];
                }
                // multiply by −it/k: (sr + i si)(−i t/k) = (si t/k) − i (sr t/k)
                next[2 * i] = si * t / k; next[2 * i + 1] = -sr * t / k;
            }
            term = next;
            for (int i = 0; i < 2 * m; i++) sum[i] += term[i];
        }
        return sum;
    }

    /**
     * The matrix-free H on the double: launches of fock_hop_c128 run fock.cu's core on the host
     * (linked into the fake libcuda), with the tables DeviceKrylov uploaded and the argument block
     * it packed. Checked: one product against engine-api's matrix-free product (1e-12 of the
     * largest entry: same terms, same order), one launch per product and no host fallback, and
     * device Lanczos exp(−itH)ψ against the CPU backend's Lanczos on host vectors to 1e-10
     * (both meet tol 1e-12; 1e-10 leaves room for the different round-off of the two runs).
     */
    @Test
    void matrixFreeFockRunsTheHopKernel() throws Throwable {
        try (CudaSession s = new CudaSession(rt, SessionOptions.defaults())) {
            var k = (CudaFockKernels) s.fock();
            var cpu = new io.hartree.cpu.fock.CpuFockKernels();
            long base = count(live);
            Object[][] cases = {
                    {new io.hartree.api.fock.FockBasis(5, 8), io.hartree.api.fock.ModeIntegrals.ring(8, 1, 1), "ring M=8 N=5"},
                    {new io.hartree.api.fock.SpinSector(3, 2, 3), FockHopCoreTest.random(3, 8, 1.0).withSpin(), "spin sector, complex H"}};
            for (Object[] c : cases) {
                var sector = (io.hartree.api.fock.FockSector) c[0];
                var h = io.hartree.api.fock.FockHamiltonian.of(sector, (io.hartree.api.fock.ModeIntegrals) c[1]).matrixFree();
                int n = h.dimension();
                Random r = new Random(3);
                double[] x = new double[2 * n];
                for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
                double[] want = new double[2 * n], got = new double[2 * n];
                h.apply(x, want);
                try (var ops = (CudaFockKernels.DeviceKrylov) k.krylov(h)) {
                    assertTrue(ops.onDevice(), "matrix-free H goes to the hop kernel, not the host");
                    var dx = ops.allocate();
                    var dy = ops.allocate();
                    ops.upload(x, dx);
                    long l0 = count(launches);
                    ops.apply(dx, dy);
                    assertEquals(1, count(launches) - l0, "one launch per product");
                    ops.download(dy, got);
                }
                double scale = 0;
                for (double v : want) scale = Math.max(scale, Math.abs(v));
                for (int i = 0; i < 2 * n; i++) assertEquals(want[i], got[i], 1e-12 * scale, c[2] + ": (Hx)[" + i / 2 + "]");
                double[] psi = new double[2 * n];
                psi[0] = 0.6; psi[2 * (n / 2) + 1] = 0.8;
                double[] ref = psi.clone(), dev = psi.clone();
                var opt = io.hartree.api.fock.ExpmvOptions.of(1e-12).withMethod(io.hartree.api.fock.ExpmvOptions.Method.LANCZOS);
                cpu.expmv(h, ref, 0.9, opt);
                long l0 = count(launches);
                var res = k.expmv(h, dev, 0.9, opt);
                assertEquals(res.matvecs(), count(launches) - l0, c[2] + ": every product is one hop-kernel launch (the rest is cuBLAS)");
                for (int i = 0; i < 2 * n; i++) assertEquals(ref[i], dev[i], 1e-10, c[2] + ": exp(-itH)ψ [" + i + "]");
            }
            assertEquals(base, count(live), "Krylov vectors and tables freed");
        }
    }

    /**
     * The resident path (state on the device throughout, for sectors beyond host arrays) gives
     * what the host-vector path gives: amplitudes at probed ranks to 1e-10 (both at tol 1e-12),
     * norm 1 to 1e-10; bad ranks are ParameterExceptions naming the range.
     */
    @Test
    void residentEvolutionMatchesTheHostPath() throws Throwable {
        try (CudaSession s = new CudaSession(rt, SessionOptions.defaults())) {
            var k = (CudaFockKernels) s.fock();
            var basis = new io.hartree.api.fock.SpinSector(3, 2, 3);
            var fh = io.hartree.api.fock.FockHamiltonian.of(basis, FockHopCoreTest.random(3, 8, 1.0).withSpin());
            long r0 = 17;
            double[] psi = new double[2 * basis.vectorDimension()];
            psi[2 * (int) r0] = 1;
            var opt = io.hartree.api.fock.ExpmvOptions.of(1e-12).withMethod(io.hartree.api.fock.ExpmvOptions.Method.LANCZOS);
            k.expmv(fh.matrixFree(), psi, 0.8, opt);
            long base = count(live);
            long[] probes = {0, r0, 42, basis.dimension() - 1};
            var res = k.expmvResident(fh, r0, 0.8, 1e-12, probes);
            assertEquals(base, count(live), "resident vectors freed");
            assertEquals(1, res.norm(), 1e-10, "norm");
            for (int i = 0; i < probes.length; i++) {
                assertEquals(psi[2 * (int) probes[i]], res.amplitudes()[2 * i], 1e-10, "Re ψ at rank " + probes[i]);
                assertEquals(psi[2 * (int) probes[i] + 1], res.amplitudes()[2 * i + 1], 1e-10, "Im ψ at rank " + probes[i]);
            }
            assertTrue(Math.abs(res.amplitudes()[2]) + Math.abs(res.amplitudes()[3]) > 1e-3, "a non-trivial amplitude at the start");
            assertThrows(io.hartree.api.ParameterException.class, () -> k.expmvResident(fh, basis.dimension(), 0.1, 1e-10));
        }
    }

    /**
     * cuBLAS takes int n, so long vectors go in chunks: with the chunk shrunk to 7 elements, dot,
     * norm, axpy, scale and the Lanczos built on them give what one call over the whole vector
     * gives (to round-off: the sums are split differently).
     */
    @Test
    void blasChunksOfLongVectors() throws Throwable {
        try (CudaSession s = new CudaSession(rt, SessionOptions.defaults())) {
            var k = (CudaFockKernels) s.fock();
            var h = io.hartree.api.fock.FockHamiltonian.of(new io.hartree.api.fock.FockBasis(3, 8), io.hartree.api.fock.ModeIntegrals.ring(8, 1, 1)).matrixFree();
            int n = h.dimension();  // 120 = 17 chunks of 7 and one of 1
            Random r = new Random(9);
            double[] x = new double[2 * n], y = new double[2 * n];
            for (int i = 0; i < 2 * n; i++) { x[i] = r.nextGaussian(); y[i] = r.nextGaussian(); }
            double[][] results = new double[2][];
            int saved = CudaFockKernels.blasChunk;
            for (int pass = 0; pass < 2; pass++) {
                CudaFockKernels.blasChunk = pass == 0 ? Integer.MAX_VALUE : 7;
                try (var ops = (CudaFockKernels.DeviceKrylov) k.krylov(h)) {
                    var dx = ops.allocate();
                    var dy = ops.allocate();
                    ops.upload(x, dx);
                    ops.upload(y, dy);
                    double[] d = ops.dot(dx, dy);
                    double nx = ops.norm(dx);
                    ops.axpy(0.3, -0.7, dx, dy);
                    ops.scale(-1.5, dy);
                    double[] back = new double[2 * n];
                    ops.download(dy, back);
                    double[] out = new double[3 + 2 * n];
                    out[0] = d[0]; out[1] = d[1]; out[2] = nx;
                    System.arraycopy(back, 0, out, 3, 2 * n);
                    results[pass] = out;
                } finally {
                    CudaFockKernels.blasChunk = saved;
                }
            }
            // Host values: ⟨x, y⟩ = Σ conj(x) y, ‖x‖, and −1.5 (y + (0.3 − 0.7i) x).
            double dr = 0, di = 0, nn = 0;
            for (int i = 0; i < n; i++) {
                double a = x[2 * i], b = x[2 * i + 1], c = y[2 * i], d = y[2 * i + 1];
                dr += a * c + b * d; di += a * d - b * c; nn += a * a + b * b;
            }
            for (double[] res : results) {
                assertEquals(dr, res[0], 1e-12 * n, "Re dot");
                assertEquals(di, res[1], 1e-12 * n, "Im dot");
                assertEquals(Math.sqrt(nn), res[2], 1e-12 * n, "norm");
                for (int i = 0; i < n; i++) {
                    double a = x[2 * i], b = x[2 * i + 1];
                    assertEquals(-1.5 * (y[2 * i] + 0.3 * a + 0.7 * b), res[3 + 2 * i], 1e-12, "axpy+scale re " + i);
                    assertEquals(-1.5 * (y[2 * i + 1] + 0.3 * b - 0.7 * a), res[4 + 2 * i], 1e-12, "axpy+scale im " + i);
                }
            }
            // The chunk iteration itself: offsets and lengths tile [0, n) in order, none longer than the chunk.
            List<long[]> seen = new java.util.ArrayList<>();
            CudaFockKernels.chunks(3L * Integer.MAX_VALUE + 5, Integer.MAX_VALUE, (off, len) -> seen.add(new long[]{off, len}));
            assertEquals(4, seen.size());
            assertArrayEquals(new long[]{3L * Integer.MAX_VALUE, 5}, seen.get(3));
            long next = 0;
            for (long[] c : seen) { assertEquals(next, c[0]); next += c[1]; }
            assertEquals(3L * Integer.MAX_VALUE + 5, next);
        }
    }

    /**
     * The Krylov basis is capped by the free device memory: with room for 12 vectors beyond the
     * margin, Lanczos runs with at most 9 (m + 1 vectors, w and a spare) in more sub-steps and
     * still meets its tolerance; with room for 2 it refuses, naming the vector size and the free memory.
     */
    @Test
    void krylovDimensionCappedByFreeDeviceMemory() throws Throwable {
        try (CudaSession s = new CudaSession(rt, SessionOptions.defaults())) {
            var k = (CudaFockKernels) s.fock();
            var h = io.hartree.api.fock.FockHamiltonian.of(new io.hartree.api.fock.FockBasis(5, 8), io.hartree.api.fock.ModeIntegrals.ring(8, 1, 1)).matrixFree();
            int n = h.dimension();
            long vb = 16L * n;
            double[] psi = new double[2 * n];
            psi[0] = 1;
            double[] ref = psi.clone();
            var opt = io.hartree.api.fock.ExpmvOptions.of(1e-11).withMethod(io.hartree.api.fock.ExpmvOptions.Method.LANCZOS);
            new io.hartree.cpu.fock.CpuFockKernels().expmv(h, ref, 2.0, opt);
            try {
                setFree.invokeExact(CudaFockKernels.DEVICE_MARGIN + 12 * vb);
                double[] dev = psi.clone();
                var res = k.expmv(h, dev, 2.0, opt);
                assertTrue(res.krylovDimension() <= 9, "Krylov dimension " + res.krylovDimension());
                assertTrue(res.steps() > 1, "more sub-steps with a small basis: " + res.steps());
                for (int i = 0; i < 2 * n; i++) assertEquals(ref[i], dev[i], 1e-9, "capped Lanczos [" + i + "]");
                // The options' budget is the host heap's: on the device it does not cap the basis.
                setFree.invokeExact(6L << 30);
                var hostBudget = new io.hartree.api.fock.ExpmvOptions(io.hartree.api.fock.ExpmvOptions.Method.LANCZOS, 1e-11, 120, 3 * vb);
                double[] dev2 = psi.clone();
                assertTrue(k.expmv(h, dev2, 2.0, hostBudget).krylovDimension() > 9, "device memory, not the heap budget, caps the basis");
                for (int i = 0; i < 2 * n; i++) assertEquals(ref[i], dev2[i], 1e-9, "uncapped Lanczos [" + i + "]");
                setFree.invokeExact(CudaFockKernels.DEVICE_MARGIN + 3 * vb);
                BackendException e = assertThrows(BackendException.class, () -> k.expmv(h, psi.clone(), 1.0, opt));
                assertTrue(e.getMessage().startsWith("not enough device memory for exp(−itH)ψ on a sector of " + n + " states"), e.getMessage());
                assertTrue(e.getMessage().contains("only 2 fit"), e.getMessage());
            } finally {
                setFree.invokeExact(6L << 30);
            }
            // 10^8 states on 80 GB free: (80e9 − 256 MiB)/1.6e9 − 3 = 46 vectors of basis.
            assertEquals(46, CudaFockKernels.maxKrylov(100_000_000L, 80_000_000_000L));
        }
    }

    @Test
    void fockWithoutCublasSaysSo() throws Exception {
        Path only = copyOf("libcuda.so.1", "libcufft.so.12");
        try {
            CudaRuntime r2 = runtimeIn(only);
            try (CudaSession s = new CudaSession(r2, SessionOptions.defaults())) {
                assertTrue(s.device().contains("kernels: build-time PTX (nvcc)"), "without NVRTC the jar's PTX: " + s.device());
                BackendException e = assertThrows(BackendException.class, s::fock);
                assertTrue(e.getMessage().startsWith("cuda Fock kernels need cuBLAS: libcublas.so.13 or libcublas.so.12 not found"), e.getMessage());
            }
        } finally {
            delete(only);
        }
    }
}
