package io.hartree.gpu;

import io.hartree.api.HartreePropagator;
import io.hartree.api.ParameterException;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.hartree.MemoryPlan;
import io.hartree.api.hartree.SplitStepPropagator;
import io.hartree.api.model.Components;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.GpTerms;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.model.TrapPotential;
import io.hartree.api.model.TrapSpec;
import io.hartree.gpu.cuda.KernelArgs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Several components (--components, K = 2 and 3) on the cuda split-step path, host side, on the fake
 * device (kernels and FFTs do not run: the numbers are CudaComponentsTest's, on a GPU): the refusal is
 * gone, the K states and per-state arrays are the bytes CudaSplitStepKernels.deviceBytes and MemoryPlan
 * count, each step launches the kernels the algorithm's sequence implies per state (counted, with the
 * cuFFT executions), and the coupled phase's argument slots hold state b's pointer, every W_j and the
 * weights c_bj·g.
 */
class FakeDeviceComponentsTest {
    static FakeDevice d;

    @BeforeAll
    static void load() throws Exception {
        d = FakeDevice.get();
        FakeDeviceRotationTest.load();  // the launch and FFT counters
    }

    /** The per-call slots name the kernel parameters they mean (both precisions). */
    @Test
    void perCallSlotsNameTheParameters() {
        for (String t : List.of("_f64", "_f32")) {
            List<String> ph = FakeDeviceSplitStepTest.parameterNames("coupled_phase" + t);
            assertEquals(List.of("w0", "w1", "w2", "f0", "f1", "f2"), ph.subList(CudaSplitStepKernels.CPHASE_W, CudaSplitStepKernels.CPHASE_F + 3));
            assertEquals("tau", ph.get(CudaSplitStepKernels.CPHASE_TAU));
            assertEquals(List.of("cx", "cy", "cz", "off"), ph.subList(CudaSplitStepKernels.CPHASE_CX, CudaSplitStepKernels.CPHASE_CX + 4));
            assertEquals("U", ph.get(CudaSplitStepKernels.CPHASE_U));
            assertEquals(List.of("ar", "ai", "br", "bi"), FakeDeviceSplitStepTest.parameterNames("rabi" + t).subList(CudaSplitStepKernels.RABI_AR, CudaSplitStepKernels.RABI_AR + 4));
            assertEquals("U", FakeDeviceSplitStepTest.parameterNames("reduce_x" + t).get(CudaSplitStepKernels.REDUCE_X_U));
        }
    }

    /** K components with Rabi 0.5 and couplings c_ij = 1 + i + j; for K = 3 the third has a double-well trap (a sampled table of its own). */
    static HartreeProblem problem(int k, Interaction v, TimeMode tm) {
        Grid3D g = new Grid3D(8, 8);
        double[] c = new double[k * k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) c[i * k + j] = 1 + i + j;
        TrapPotential[] traps = new TrapPotential[k];
        if (k == 3) traps[2] = new TrapSpec.DoubleWell(1, 1, 1, 4, 0.5).operator(1, g).trap();
        Components comps = Components.uniform(k).withCoupling(c).withRabi(0.5).withTraps(traps);
        return new HartreeProblem(g, OneBodyOperator.paper(1), v, ConvolutionMode.PERIODIC, Scheme.STRANG, tm, 1e-3,
                GpTerms.NONE.withComponents(comps));
    }

    static Object field(Object o, String name) throws Exception {
        var f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    /**
     * Strang, contact (g = 2) and a periodic Gaussian, real and imaginary time, both precisions, K = 2, 3:
     * bytes, launches and FFTs of advance(7) after a first step, against the sequence of SplitStepPropagator
     * with R = 1 Rabi launch per kinetic pass. Real time: 7 substeps of kick K, density K (contact) or
     * density + spectrum K (spectral), coupled phase K, and one last half kick K: 7(3K + R) + K + R
     * (spectral 7(4K + R) + K + R) launches, 7·2K FFTs (spectral 7·4K: r2c and c2r per state). Imaginary
     * time (Strang takes the start-of-step density): per step meanField(START) 2K (density with partials and
     * its sum per state; spectral also the spectrum multiply: 3K), kick with sums 2K twice, phase K, Rabi 2R; then
     * scale K: 7(7K + 2R) + K (spectral 7(8K + 2R) + K); FFTs 7·3K (spectral 7·5K: r2c and c2r per state).
     */
    @Test
    void statesBytesAndLaunchesPerStep() throws Throwable {
        int n3 = 512;
        for (Precision prec : Precision.values())
            try (CudaSession s = new CudaSession(d.rt, new SessionOptions(prec, 0, 0))) {
                long base = d.liveAllocations();
                for (int k = 2; k <= 3; k++)
                    for (Interaction v : List.of(new Interaction.Contact(2), new Interaction.Gaussian(1, 1)))
                        for (TimeMode tm : TimeMode.values()) {
                            HartreeProblem pb = problem(k, v, tm);
                            String what = prec + " K=" + k + " " + v + " " + tm;
                            long b0 = d.allocatedBytes();
                            try (HartreePropagator p = s.hartree(pb)) {
                                assertInstanceOf(SplitStepPropagator.class, p, what);
                                assertTrue(p.implementation().contains(k + " components") && p.implementation().contains("not fused"), p.implementation());
                                long measured = d.allocatedBytes() - b0;
                                ConvolutionKernel ck = ConvolutionKernel.build(pb.grid(), pb.interaction(), pb.convolution(), s.hostTransforms());
                                int real = prec == Precision.SINGLE ? 4 : 8;
                                assertEquals(CudaSplitStepKernels.deviceBytes(pb, ck, prec == Precision.SINGLE), measured, what);
                                // Independently: K states, one scratch, K mean fields (m = n = 8 here), a table for the double well of K = 3.
                                long one = CudaSplitStepKernels.deviceBytes(pb.withTerms(GpTerms.NONE), ck, prec == Precision.SINGLE)
                                        - (CudaSplitStepKernels.storesContactDensity(pb.withTerms(GpTerms.NONE), ck.kind()) ? (long) real * n3 : 0);
                                assertEquals(one + (k - 1) * 2L * real * n3 + (long) k * real * n3 + (k == 3 ? (long) real * n3 : 0), measured, what + ": K states");
                                assertEquals(MemoryPlan.of("cuda", pb, prec, k, tm == TimeMode.IMAGINARY).peak(MemoryPlan.Pool.DEVICE), measured, what + ": MemoryPlan");
                                for (int b = 0; b < k; b++) p.load(b, new double[2 * n3]);
                                p.advance(1);
                                long[] c = FakeDeviceRotationTest.count(() -> p.advance(7));
                                int rr = 1, spec = v instanceof Interaction.Gaussian ? 1 : 0;
                                long launches = tm == TimeMode.REAL ? 7L * ((3 + spec) * k + rr) + k + rr : 7L * ((7 + spec) * k + 2 * rr) + k;
                                long ffts = tm == TimeMode.REAL ? 7L * (2 + 2 * spec) * k : 7L * (3 + 2 * spec) * k;
                                assertEquals(launches, c[0], what + ": launches of advance(7)");
                                assertEquals(ffts, c[1], what + ": FFTs of advance(7)");
                                if (tm == TimeMode.REAL) {
                                    // The last coupled phase was state K−1's: its pointer, every W_j, weights c_{K−1,j}·g (s_j = 1 in real time).
                                    Object kern = field(p, "k");
                                    KernelArgs a = ((KernelArgs[]) field(kern, "coupledArgs"))[0];
                                    long[] meanF = (long[]) field(kern, "meanF");
                                    long psi = (long) field(kern, "psi");
                                    assertEquals(psi + 2L * real * n3 * (k - 1), a.slot(0).get(JAVA_LONG, 0), what);
                                    double g = v instanceof Interaction.Contact ? 2 : 1;
                                    for (int j = 0; j < 3; j++) {
                                        assertEquals(j < k ? meanF[j] : 0, a.slot(CudaSplitStepKernels.CPHASE_W + j).get(JAVA_LONG, 0), what + " w" + j);
                                        assertEquals(j < k ? (1 + (k - 1) + j) * g : 0, a.slot(CudaSplitStepKernels.CPHASE_F + j).get(JAVA_DOUBLE, 0), 0.0, what + " f" + j);
                                    }
                                    assertEquals(1e-3, a.slot(CudaSplitStepKernels.CPHASE_TAU).get(JAVA_DOUBLE, 0), 1e-18, what + ": tau = dt (Strang's one phase per step)");
                                }
                                // Observables (moments and the cross sums of every pair) and store run on the host side.
                                for (int b = 0; b < k; b++) {
                                    p.observe(b);
                                    p.store(b, new double[2 * n3]);
                                }
                            }
                        }
                assertEquals(base, d.liveAllocations(), "everything given back");
            }
    }

    /** The refusal is gone (a K = 2 problem runs with batch 2 or hartree(problem)); a batch other than K is refused naming "batch"; rotation with components naming --components. */
    @Test
    void refusalGoneAndTheRemainingLimits() throws Exception {
        try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
            HartreeProblem two = problem(2, new Interaction.Contact(2), TimeMode.REAL);
            try (HartreePropagator p = s.hartree(two, 2)) { assertInstanceOf(SplitStepPropagator.class, p); }
            assertEquals("batch", assertThrows(ParameterException.class, () -> s.hartree(two, 1)).parameter());
            assertEquals("--components", assertThrows(ParameterException.class,
                    () -> s.hartree(two.withTerms(two.terms().withRotation(0.5)))).parameter());
        }
    }
}
