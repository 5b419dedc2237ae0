package io.hartree.gpu;

import io.hartree.api.Capabilities;
import io.hartree.api.HartreePropagator;
import io.hartree.api.ParameterException;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.SplitStepKernels;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.hartree.MemoryPlan;
import io.hartree.api.hartree.SplitStepPropagator;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.gpu.cuda.CudaException;
import io.hartree.gpu.cuda.KernelImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The split-step path (HARTREE_CUDA_SPLITSTEP=1: engine-api's SplitStepPropagator over
 * {@link CudaSplitStepKernels}) on the fake device (src/test/c/*.c): every launch packed against
 * the kernel's parameter list (Launch.of checks each at construction), the per-call argument slots
 * against the parameter names in hartree.cu, the launch, FFT and synchronisation counts of a step
 * and of observe(), the host arithmetic of the moments, a failed construction that gives
 * everything back, the device bytes against MemoryPlan's split-step list, and the capabilities.
 * Kernels and FFTs do not run on the double: no physics is checked here (the conformance kit's
 * CudaSplitStep*Test classes do that on a GPU).
 */
class FakeDeviceSplitStepTest {
    static FakeDevice d;
    static MethodHandle launches, ffts;

    @BeforeAll
    static void load() throws Exception {
        d = FakeDevice.get();
        launches = d.cudaHandle("fake_launches", FunctionDescriptor.of(JAVA_LONG));
        ffts = d.cufftHandle("fake_cufft_execs", FunctionDescriptor.of(JAVA_LONG));
    }

    @BeforeEach
    void on() { System.setProperty("hartree.cuda.splitstep", "true"); }

    @AfterEach
    void off() {
        System.clearProperty("hartree.cuda.splitstep");
        System.clearProperty("hartree.cuda.fusedFft");
    }

    static long launches() throws Throwable { return (long) launches.invokeExact(); }

    static long ffts() throws Throwable { return (long) ffts.invokeExact(); }

    static final String PATH = "engine-api SplitStepPropagator over CudaSplitStepKernels";

    /**
     * Every interaction, convolution mode, scheme, time and precision through the new path: the
     * launches pass the signature check at construction, and since kernels and FFTs are no-ops on
     * the double, store returns what was loaded times the 1/n³ the algorithm passes (exactly: n³ = 2⁹;
     * in single precision the loaded value rounded to float first); nothing leaks.
     */
    @Test
    void everyConfigurationRunsTheSplitStepPath() throws Throwable {
        Object[][] interactions = {{new Interaction.Gaussian(1, 1), ConvolutionMode.PERIODIC}, {new Interaction.Gaussian(1, 1), ConvolutionMode.PADDED},
                {new Interaction.Coulomb(1), ConvolutionMode.TRUNCATED}, {new Interaction.Contact(2), ConvolutionMode.PERIODIC},
                {new Interaction.None(), ConvolutionMode.PERIODIC}};
        int configs = 0;
        for (Precision prec : Precision.values()) {
            try (CudaSession s = new CudaSession(d.rt, new SessionOptions(prec, 0, 0))) {
                long base = d.liveAllocations();
                for (Object[] iv : interactions)
                    for (Scheme sc : Scheme.values())
                        for (TimeMode tm : TimeMode.values()) {
                            HartreeProblem pb = FakeDeviceTest.problem((ConvolutionMode) iv[1], (Interaction) iv[0], sc, tm);
                            double[] psi = new double[2 * 512];
                            Random r = new Random(configs);
                            for (int i = 0; i < psi.length; i++) psi[i] = r.nextGaussian();
                            try (HartreePropagator p = s.hartree(pb)) {
                                assertInstanceOf(SplitStepPropagator.class, p);
                                assertTrue(p.implementation().startsWith(PATH), p.implementation());
                                p.load(psi, 0.5);
                                p.advance(3);
                                p.observe();
                                double[] back = new double[psi.length];
                                p.store(back);
                                for (int i = 0; i < psi.length; i++)
                                    assertEquals((prec == Precision.SINGLE ? (double) (float) psi[i] : psi[i]) / 512, back[i], 0.0, prec + " " + pb);
                                assertEquals(0.5 + 3e-3, p.time(), 1e-15);
                            }
                            assertEquals(base, d.liveAllocations(), "device allocations freed by close: " + pb);
                            configs++;
                        }
            }
        }
        assertEquals(2 * 5 * 2 * 2, configs);
    }

    /** The names of a kernel's parameters in hartree.cu, in order. */
    static List<String> parameterNames(String kernel) {
        String src = KernelImage.source("hartree.cu").replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
        Matcher m = Pattern.compile("__global__\\s+void\\s+__launch_bounds__\\s*\\([^)]*\\)\\s+" + Pattern.quote(kernel) + "\\s*\\(([^)]*)\\)").matcher(src);
        assertTrue(m.find(), kernel);
        List<String> names = new ArrayList<>();
        for (String p : m.group(1).split(",")) names.add(p.trim().replaceAll(".*[\\s*]", ""));
        return names;
    }

    /** The argument slots the primitives overwrite per call are the parameters they mean (both precisions). */
    @Test
    void perCallArgumentSlotsNameTheRightParameters() {
        for (String t : List.of("_f64", "_f32")) {
            List<String> kick = parameterNames("kick" + t), phase = parameterNames("potential_phase_lhy" + t);
            assertEquals("gamma", phase.get(CudaSplitStepKernels.PHASE_GAMMA));
            assertEquals("lrho", phase.get(CudaSplitStepKernels.PHASE_LRHO));
            assertEquals(parameterNames("potential_phase" + t), phase.subList(0, CudaSplitStepKernels.PHASE_GAMMA), "the LHY phase extends the plain one");
            assertEquals("atau", kick.get(CudaSplitStepKernels.KICK_ATAU));
            assertEquals("c", kick.get(CudaSplitStepKernels.KICK_C));
            assertEquals("vrho", phase.get(CudaSplitStepKernels.PHASE_VRHO));
            assertEquals("vfac", phase.get(CudaSplitStepKernels.PHASE_VFAC));
            assertEquals("g", phase.get(CudaSplitStepKernels.PHASE_G));
            assertEquals("tau", phase.get(CudaSplitStepKernels.PHASE_TAU));
            assertEquals("edge", parameterNames("reduce_x" + t).get(CudaSplitStepKernels.REDUCE_X_EDGE));
            assertEquals("kcut", parameterNames("reduce_k" + t).get(CudaSplitStepKernels.REDUCE_K_KCUT));
        }
    }

    record Counts(long launches, long ffts, long syncs) {}

    static Counts count(Runnable r) throws Throwable {
        long l0 = launches(), f0 = ffts(), s0 = d.synchronizations();
        r.run();
        return new Counts(launches() - l0, ffts() - f0, d.synchronizations() - s0);
    }

    static HartreeProblem periodic(TimeMode tm) {
        return FakeDeviceTest.problem(ConvolutionMode.PERIODIC, new Interaction.Gaussian(1, 1), Scheme.STRANG, tm);
    }

    /**
     * Launches, FFTs and host waits (the double counts cuStreamSynchronize and cuCtxSynchronize).
     * Fused real time (periodic Gaussian, Strang, double): per step 4 FFTs (inverse with kick and
     * density callbacks, D2Z with the table, Z2D, forward with the phase) and no launch but set_f64
     * when θ changes (the first half kick's, then the merged whole kick's; the struct keeps the last
     * one between advances) and the last half kick. Separate kernels (fusedFft=false): per step kick, density, spectrum multiply, phase and
     * the same 4 FFTs, plus the last kick. Real time never waits. Imaginary-time Strang (start-of-step
     * density): per step the scratch inverse, density with its mass, D2Z, multiply, Z2D and the mass
     * read (finalize, wait), the kick with its sum read (finalize, wait), inverse, phase, forward, and
     * the closing half kick with its sum read: 8 launches, 5 FFTs, 3 waits; the final renormalisation
     * is one launch. observe(): reduce_k, the scratch inverse, density, D2Z, multiply, Z2D, reduce_x and
     * two finalize launches, one wait (V = 0: no convolution).
     */
    @Test
    void launchesTransformsAndWaitsPerStep() throws Throwable {
        try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
            try (HartreePropagator p = s.hartree(periodic(TimeMode.REAL))) {
                assertTrue(p.implementation().contains("fused real-time substep: cuFFT with LTO callbacks"), p.implementation());
                p.load(new double[1024], 0);
                assertEquals(new Counts(2, 4, 0), count(() -> p.advance(1)), "one real-time Strang step, fused: set θ, the last half kick");
                assertEquals(new Counts(2, 4 * 7, 0), count(() -> p.advance(7)), "seven steps, fused: θ is already the half kick's, set once to the whole one");
                assertEquals(new Counts(6, 3, 1), count(p::observe), "observe(), spectral interaction");
            }
            System.setProperty("hartree.cuda.fusedFft", "false");
            try (HartreePropagator p = s.hartree(periodic(TimeMode.REAL))) {
                assertTrue(p.implementation().contains("cuFFT callbacks switched off"), p.implementation());
                p.load(new double[1024], 0);
                assertEquals(new Counts(5, 4, 0), count(() -> p.advance(1)), "one real-time Strang step, separate kernels");
                assertEquals(new Counts(4 * 7 + 1, 4 * 7, 0), count(() -> p.advance(7)), "seven steps, separate kernels");
            }
            System.clearProperty("hartree.cuda.fusedFft");
            try (HartreePropagator p = s.hartree(periodic(TimeMode.IMAGINARY))) {
                p.load(new double[1024], 0);
                assertEquals(new Counts(8 + 1, 5, 3), count(() -> p.advance(1)), "one imaginary-time Strang step");
                assertEquals(new Counts(8 * 7 + 1, 5 * 7, 3 * 7), count(() -> p.advance(7)), "seven imaginary-time steps");
            }
            try (HartreePropagator p = s.hartree(FakeDeviceTest.problem(ConvolutionMode.PERIODIC, new Interaction.None(), Scheme.STRANG, TimeMode.REAL))) {
                p.load(new double[1024], 0);
                assertEquals(new Counts(4, 1, 1), count(p::observe), "observe(), V = 0");
            }
        }
    }

    /**
     * The host side of moments(): the scratch array holds BACKWARD(ψ̂) = n³φ, so the device sums
     * of |·|²-weighted quantities are divided by n⁶, the overlap by n³, Σρ² and Σ(V*ρ)ρ by n¹²; the
     * Fourier sums are taken as they are. The fake's kernels do nothing and its device memory is the
     * host's, so the 13 results are written into the device's result array and read back through
     * moments(): each must land in its field with its power of n³ (values chosen distinct).
     */
    @Test
    void momentsScaleTheDeviceSums() throws Throwable {
        for (Interaction v : List.of(new Interaction.Gaussian(1, 1), new Interaction.Contact(2))) {
            HartreeProblem pb = FakeDeviceTest.problem(ConvolutionMode.PERIODIC, v, Scheme.STRANG, TimeMode.REAL);
            try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
                ConvolutionKernel k = ConvolutionKernel.build(pb.grid(), pb.interaction(), pb.convolution(), s.hostTransforms());
                try (CudaSplitStepKernels kk = new CudaSplitStepKernels(s, pb, k)) {
                    MemorySegment sums = MemorySegment.ofAddress(kk.sumsAddress()).reinterpret(8 * 16);
                    for (int i = 0; i < 13; i++) sums.setAtIndex(JAVA_DOUBLE, i, i + 1.5);
                    Grid3D g = pb.grid();
                    double[] ax = new double[g.n()];
                    for (int j = 0; j < ax.length; j++) ax[j] = Math.exp(-0.5 * g.x(j) * g.x(j));
                    SplitStepKernels.Moments m = kk.moments(0, new SplitStepKernels.MomentSpec(2.0 / 3 * g.kMax(), 0.4 * g.length(), ax));
                    double n3 = 512, n6 = n3 * n3, n12 = n6 * n6;
                    boolean spectral = v instanceof Interaction.Gaussian;
                    SplitStepKernels.Moments want = new SplitStepKernels.Moments(11.5, 12.5, 13.5, 1.5 / n6, 2.5 / n6, 3.5 / n6, 4.5 / n6, 5.5 / n6,
                            6.5 / n6, 9.5 / n6, 7.5 / n3, 8.5 / n3, spectral ? 0 : 10.5 / n12, spectral ? 10.5 / n12 : 0);
                    assertEquals(want, m, v.toString());
                    double[] wrong = ax.clone();
                    wrong[1] *= 1.01;
                    assertEquals("overlapAxis", assertThrows(IllegalArgumentException.class,
                            () -> kk.moments(0, new SplitStepKernels.MomentSpec(1, 1, wrong))).getMessage().substring(0, 11));
                }
            }
        }
    }

    static List<FakeDeviceResourcesTest.Config> configs() { return FakeDeviceResourcesTest.configs(); }

    static CudaSession session(FakeDeviceResourcesTest.Config c) { return new CudaSession(d.rt, new SessionOptions(c.precision(), 0, 0)); }

    static HartreePropagator make(CudaSession s, FakeDeviceResourcesTest.Config c) {
        if (!c.fused()) System.setProperty("hartree.cuda.fusedFft", "false");
        try {
            return s.hartree(c.problem());
        } finally {
            System.clearProperty("hartree.cuda.fusedFft");
        }
    }

    static FakeDeviceResourcesTest.Held held(CudaSession s) { return FakeDeviceResourcesTest.held(d, s); }

    /**
     * For each configuration of FakeDeviceResourcesTest, on the new path: the calls of each
     * category one construction makes are counted, then each is made to fail in turn in a fresh
     * session; after the failed construction the device holds what it held before (allocations,
     * plans, events, the arena). A failure in the fused step's setup is survived by the separate
     * kernels, which then hold exactly what an unfused construction holds.
     */
    @Test
    void failedConstructionReleasesEverything() throws Exception {
        int failed = 0, fellBack = 0;
        for (var c : configs()) {
            long[] perDriver = new long[FakeDevice.Driver.values().length], perFft = new long[FakeDevice.Fft.values().length];
            FakeDeviceResourcesTest.Held unfused;
            try (CudaSession s = session(c)) {
                FakeDeviceResourcesTest.Held base = held(s);
                for (var cat : FakeDevice.Driver.values()) perDriver[cat.ordinal()] = d.calls(cat);
                for (var cat : FakeDevice.Fft.values()) perFft[cat.ordinal()] = d.calls(cat);
                try (HartreePropagator p = make(s, c)) {
                    assertTrue(p.implementation().startsWith(PATH), p.implementation());
                    assertEquals(c.fused(), p.implementation().contains("fused real-time substep"), c.name() + ": " + p.implementation());
                }
                for (var cat : FakeDevice.Driver.values()) perDriver[cat.ordinal()] = d.calls(cat) - perDriver[cat.ordinal()];
                for (var cat : FakeDevice.Fft.values()) perFft[cat.ordinal()] = d.calls(cat) - perFft[cat.ordinal()];
                assertEquals(base, held(s), c.name() + ": close gives everything back");
                try (HartreePropagator p = make(s, new FakeDeviceResourcesTest.Config(c.name(), c.problem(), c.precision(), false))) {
                    unfused = held(s).minus(base);
                }
            }
            assertTrue(perDriver[FakeDevice.Driver.ALLOC.ordinal()] >= 4 && perDriver[FakeDevice.Driver.FUNCTION.ordinal()] >= 5
                    && perFft[FakeDevice.Fft.CREATE.ordinal()] >= 1, c.name() + ": the calls were counted");
            int[] counts = FakeDeviceResourcesTest.failEachCall(d, c, perDriver, perFft, unfused, FakeDeviceSplitStepTest::session, FakeDeviceSplitStepTest::make);
            failed += counts[0];
            fellBack += counts[1];
        }
        System.out.printf("split-step fault injection: %d failed constructions, %d fused-step fallbacks, all released%n", failed, fellBack);
        assertTrue(failed >= 100 && fellBack >= 5, failed + " failed constructions, " + fellBack + " fallbacks");
    }

    /**
     * The bytes the constructor allocates (the sum of its cuMemAlloc sizes on the double) are
     * CudaSplitStepKernels.deviceBytes and MemoryPlan's split-step device list, exactly, for every
     * configuration; the fused step adds its callback-parameter block.
     */
    @Test
    void deviceBytesAreTheMemoryPlansSplitStepArrays() throws Exception {
        for (var c : configs()) {
            try (CudaSession s = session(c)) {
                long b0 = d.allocatedBytes();
                try (HartreePropagator p = make(s, c)) {
                    long measured = d.allocatedBytes() - b0 - (c.fused() ? CudaHartreePropagator.CallbackInfo.BYTES : 0);
                    ConvolutionKernel k = ConvolutionKernel.build(c.problem().grid(), c.problem().interaction(), c.problem().convolution(), s.hostTransforms());
                    assertEquals(CudaSplitStepKernels.deviceBytes(c.problem(), k, c.precision() == Precision.SINGLE), measured, c.name());
                    MemoryPlan plan = MemoryPlan.of("cuda", c.problem(), c.precision(), 1, false, true);
                    assertEquals(plan.peak(MemoryPlan.Pool.DEVICE), measured, c.name() + ": MemoryPlan.cudaArrays, split-step path");
                }
            }
        }
    }

    /**
     * The session's capabilities hold on this path: the fused step declared exactly when an
     * eligible propagator gets it (and not when switched off), one state: a batch of 2 is refused (K with K components)
     * naming "batch"; `hartree backends` names the path that runs.
     */
    @Test
    void capabilitiesAndTheNamedPath() throws Exception {
        try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
            Capabilities c = s.capabilities();
            assertTrue(c.fusedStep());
            assertEquals(1, c.maxBatch());
            try (HartreePropagator p = s.hartree(periodic(TimeMode.REAL), 1)) {
                assertTrue(p.implementation().contains("fused real-time substep"), p.implementation());
            }
            assertEquals("batch", assertThrows(ParameterException.class, () -> s.hartree(periodic(TimeMode.REAL), 2)).parameter());
            // Several components: a batch of K states (FakeDeviceComponentsTest); a batch other than K is refused naming "batch".
            var two = periodic(TimeMode.REAL).withTerms(io.hartree.api.model.GpTerms.NONE.withComponents(io.hartree.api.model.Components.uniform(2)));
            try (HartreePropagator p = s.hartree(two)) { assertEquals(2, p.batch()); }
            assertEquals("batch", assertThrows(ParameterException.class, () -> s.hartree(two, 1)).parameter());
            System.setProperty("hartree.cuda.fusedFft", "false");
            assertFalse(s.capabilities().fusedStep(), "switched off");
            try (HartreePropagator p = s.hartree(periodic(TimeMode.REAL))) {
                assertFalse(p.implementation().contains("fused real-time substep"), p.implementation());
            }
            System.clearProperty("hartree.cuda.fusedFft");
            var a = CudaBackend.probe(new io.hartree.gpu.cuda.CudaRuntime.Loaded(d.rt, null));
            assertTrue(a.libraries().get("hartree step").startsWith(PATH), a.libraries().toString());
            System.clearProperty("hartree.cuda.splitstep");
            assertTrue(CudaBackend.probe(new io.hartree.gpu.cuda.CudaRuntime.Loaded(d.rt, null)).libraries().get("hartree step").startsWith("CudaHartreePropagator (default"));
            try (HartreePropagator p = s.hartree(periodic(TimeMode.REAL))) {
                assertInstanceOf(CudaHartreePropagator.class, p, "without the switch: the default path");
                assertTrue(p.implementation().endsWith(CudaHartreePropagator.PATH), p.implementation());
            }
        }
    }
}
