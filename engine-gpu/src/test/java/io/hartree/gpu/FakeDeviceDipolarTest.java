package io.hartree.gpu;

import io.hartree.api.HartreePropagator;
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
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static io.hartree.gpu.FakeDeviceSplitStepTest.count;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The dipolar interaction, sums and the LHY term on the cuda backend's host side (the fake device:
 * kernels and FFTs do not run, so no physics; DipolarConformance does that on a GPU): which path a
 * problem takes without the switch, every LHY configuration through the split-step path (launches
 * checked against the kernels' parameter lists, state round trip, nothing leaks), its device bytes
 * against CudaSplitStepKernels.deviceBytes and MemoryPlan, the extra launches of the LHY density and
 * energy, the host arithmetic of Σ|φ|⁵, and the fused step refused with LHY.
 */
class FakeDeviceDipolarTest {
    static FakeDevice d;

    @BeforeAll
    static void load() throws Exception {
        d = FakeDevice.get();
        FakeDeviceSplitStepTest.load();
    }

    static final String PATH = FakeDeviceSplitStepTest.PATH;

    static HartreeProblem problem(String spec, ConvolutionMode mode, Scheme scheme, TimeMode tm) {
        return FakeDeviceTest.problem(mode, Interaction.parse(spec), scheme, tm);
    }

    /** Without HARTREE_CUDA_SPLITSTEP: an LHY term selects the one-algorithm path; dipolar tables and sums without LHY keep the default path. */
    @Test
    void lhySelectsTheSplitStepPath() {
        assertNull(System.getProperty("hartree.cuda.splitstep"));
        try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
            for (String spec : new String[]{"dipolar:cdd=1,axis=0,0,1", "contact:g=1+dipolar:cdd=1,axis=1,1,0"})
                try (HartreePropagator p = s.hartree(problem(spec, ConvolutionMode.PADDED, Scheme.STRANG, TimeMode.REAL))) {
                    assertFalse(p.implementation().startsWith(PATH), spec + ": " + p.implementation());
                }
            for (String spec : new String[]{"lhy:gamma=1", "contact:g=1+lhy:gamma=1", "dipolar:cdd=1,axis=0,0,1+lhy:gamma=1"})
                try (HartreePropagator p = s.hartree(problem(spec, ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL))) {
                    assertInstanceOf(SplitStepPropagator.class, p);
                    assertTrue(p.implementation().startsWith(PATH), spec + ": " + p.implementation());
                }
        }
    }

    /**
     * Every LHY configuration (local and spectral kernels, both schemes, times and precisions): the
     * launches pass the signature check, store returns what was loaded times 1/n³ (kernels are no-ops),
     * the device bytes are deviceBytes and MemoryPlan's split-step list, and close frees everything.
     */
    @Test
    void everyLhyConfigurationRunsAndIsPlanned() {
        String[][] cases = {{"lhy:gamma=0.5", "periodic"}, {"contact:g=2+lhy:gamma=0.5", "periodic"},
                {"dipolar:cdd=1,axis=0,0,1+lhy:gamma=0.5", "padded"}, {"contact:g=1+dipolar:cdd=1,axis=1,2,3+lhy:gamma=0.5", "periodic"}};
        int configs = 0;
        for (Precision prec : Precision.values())
            try (CudaSession s = new CudaSession(d.rt, new SessionOptions(prec, 0, 0))) {
                long base = d.liveAllocations();
                for (String[] c : cases)
                    for (Scheme sc : Scheme.values())
                        for (TimeMode tm : TimeMode.values()) {
                            HartreeProblem pb = problem(c[0], ConvolutionMode.parse(c[1]), sc, tm);
                            double[] psi = new double[2 * 512];
                            Random r = new Random(configs);
                            for (int i = 0; i < psi.length; i++) psi[i] = r.nextGaussian();
                            long b0 = d.allocatedBytes();
                            try (HartreePropagator p = s.hartree(pb)) {
                                long measured = d.allocatedBytes() - b0;
                                ConvolutionKernel k = ConvolutionKernel.build(pb.grid(), pb.interaction(), pb.convolution(), s.hostTransforms());
                                assertEquals(CudaSplitStepKernels.deviceBytes(pb, k, prec == Precision.SINGLE), measured, pb.toString());
                                assertEquals(MemoryPlan.of("cuda", pb, prec, 1, false, true).peak(MemoryPlan.Pool.DEVICE), measured, "MemoryPlan: " + pb);
                                assertFalse(p.implementation().contains("fused real-time substep"), "never fused with LHY: " + p.implementation());
                                p.load(psi, 0);
                                p.advance(3);
                                p.observe();
                                double[] back = new double[psi.length];
                                p.store(back);
                                for (int i = 0; i < psi.length; i++)
                                    assertEquals((prec == Precision.SINGLE ? (double) (float) psi[i] : psi[i]) / 512, back[i], 0.0, prec + " " + pb);
                            }
                            assertEquals(base, d.liveAllocations(), "freed by close: " + pb);
                            configs++;
                        }
            }
        assertEquals(2 * 4 * 2 * 2, configs);
    }

    /**
     * The real-time periodic double Strang case that would be fused says why it is not; the LHY start-of-step
     * density with a spectral kernel costs one more launch per imaginary-time step (9 + 1 per step, against
     * the 8 + 1 of the Gaussian in FakeDeviceSplitStepTest), and observe() with LHY two more launches
     * (reduce_five, finalize) and one more wait.
     */
    @Test
    void lhyLaunches() throws Throwable {
        try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
            try (HartreePropagator p = s.hartree(problem("gaussian:lambda=1,sigma=1+lhy:gamma=1", ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL))) {
                assertTrue(p.implementation().contains("not fused: the LHY term"), p.implementation());
                p.load(new double[1024], 0);
                assertEquals(new FakeDeviceSplitStepTest.Counts(5, 4, 0), count(() -> p.advance(1)), "one real-time step, separate kernels");
                assertEquals(new FakeDeviceSplitStepTest.Counts(6 + 2, 3, 2), count(p::observe), "observe() with LHY");
            }
            try (HartreePropagator p = s.hartree(problem("gaussian:lambda=1,sigma=1+lhy:gamma=1", ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.IMAGINARY))) {
                p.load(new double[1024], 0);
                assertEquals(new FakeDeviceSplitStepTest.Counts(9 + 1, 5, 3), count(() -> p.advance(1)), "one imaginary-time step: + the LHY density");
            }
        }
    }

    /** moments(): Σ|Nφ|⁵ of the scratch copy (N = n³) is divided by N⁵ into rho52; the other sums as without LHY. */
    @Test
    void momentsScaleTheFifthPower() {
        HartreeProblem pb = problem("contact:g=2+lhy:gamma=1", ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL);
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
                // The fake's finalize does nothing: sums[0] still holds 1.5 when the fifth-power sum is read.
                SplitStepKernels.Moments want = new SplitStepKernels.Moments(11.5, 12.5, 13.5, 1.5 / n6, 2.5 / n6, 3.5 / n6, 4.5 / n6, 5.5 / n6,
                        6.5 / n6, 9.5 / n6, 7.5 / n3, 8.5 / n3, 10.5 / n12, 0, 1.5 / (n12 * n3));
                assertEquals(want, m);
            }
        }
    }
}
