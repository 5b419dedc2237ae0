package io.hartree.gpu;

import io.hartree.api.HartreePropagator;
import io.hartree.api.SessionOptions;
import io.hartree.api.hartree.SplitStepPropagator;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.Drive;
import io.hartree.api.model.GpTerms;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.model.TrapSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.junit.jupiter.api.Assertions.*;

/**
 * --damping and --drive on the cuda split-step path, host side, on the fake device (kernels and
 * FFTs do not run; its device memory is the host's): the trap-coefficient slots name the right
 * kernel parameters, driven and damped problems run through the one algorithm (unfused: a driven
 * trap is not in the callbacks' struct), and a double well's re-sampled table on the device is
 * U(t) of the drive at the observation's time.
 */
class FakeDeviceDriveTest {
    static FakeDevice d;

    @BeforeAll
    static void load() throws Exception { d = FakeDevice.get(); }

    @Test
    void trapSlotsNameTheCoefficients() {
        for (String t : List.of("_f64", "_f32")) {
            List<String> phase = FakeDeviceSplitStepTest.parameterNames("potential_phase" + t), reduce = FakeDeviceSplitStepTest.parameterNames("reduce_x" + t);
            assertEquals(List.of("cx", "cy", "cz", "off"), phase.subList(CudaSplitStepKernels.PHASE_CX, CudaSplitStepKernels.PHASE_CX + 4));
            assertEquals(List.of("cx", "cy", "cz", "off"), reduce.subList(CudaSplitStepKernels.REDUCE_X_CX, CudaSplitStepKernels.REDUCE_X_CX + 4));
        }
    }

    static HartreeProblem problem(Grid3D g, TrapSpec trap, String drive, double gamma) {
        return new HartreeProblem(g, trap.operator(1, g), new Interaction.Gaussian(1, 1), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-2,
                new GpTerms(0, gamma, drive == null ? null : Drive.parse(drive).bind(trap, 1)));
    }

    static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    /**
     * Harmonic (ν) and double-well drives, with and without damping: the split-step path, not fused;
     * store returns the loaded state times the 1/n³ passed (kernels are no-ops); after observe() at
     * t = 0.05 the device table of the double well equals U(0.05) of the drive to rounding (1e-15
     * relative: the same Drive.potential, uploaded as doubles).
     */
    @Test
    void drivenAndDampedProblemsRunOnTheOneAlgorithm() throws Exception {
        Grid3D g = new Grid3D(8, 8);
        TrapSpec dw = new TrapSpec.DoubleWell(1, 1, 1, 4, 0.5);
        Object[][] cases = {{new TrapSpec.Paper(), "nu=ramp:1,2,0,1", 0.0}, {new TrapSpec.Paper(), null, 0.5},
                {dw, "v0=ramp:4,0,0,0.1;wx=sine:1,0.5,3", 0.0}, {dw, "v0=step:4,0,0", 0.2}};
        try (CudaSession s = new CudaSession(d.rt, SessionOptions.defaults())) {
            for (Object[] c : cases) {
                HartreeProblem pb = problem(g, (TrapSpec) c[0], (String) c[1], (Double) c[2]);
                long base = d.liveAllocations();
                double[] psi = new double[2 * 512];
                Random r = new Random(7);
                for (int i = 0; i < psi.length; i++) psi[i] = r.nextGaussian();
                try (HartreePropagator p = s.hartree(pb)) {
                    assertInstanceOf(SplitStepPropagator.class, p);
                    assertFalse(p.implementation().contains("fused real-time substep"), p.implementation());
                    p.load(psi, 0);
                    p.advance(5);
                    p.observe();
                    double[] back = new double[psi.length];
                    p.store(back);
                    for (int i = 0; i < psi.length; i++) assertEquals(psi[i] / 512, back[i], 0.0, c[1] + ", gamma " + c[2]);
                    if (c[0] == dw && c[1] != null) {
                        Object kernels = field(p, "k");
                        long trap = (Long) field(kernels, "trap");
                        assertNotEquals(0, trap, "the double well is sampled");
                        double[] coeff = new double[Drive.COEFFICIENTS];
                        pb.terms().drive().coefficients(0.05, coeff);
                        MemorySegment u = MemorySegment.ofAddress(trap).reinterpret(8L * 512);
                        for (int i = 0; i < 8; i++)
                            for (int j = 0; j < 8; j++)
                                for (int k = 0; k < 8; k++) {
                                    double want = Drive.potential(coeff, g.x(i), g.x(j), g.x(k));
                                    assertEquals(want, u.getAtIndex(JAVA_DOUBLE, (i * 8 + j) * 8 + k), 1e-15 * Math.max(1, Math.abs(want)), c[1] + " at " + i + "," + j + "," + k);
                                }
                    }
                }
                assertEquals(base, d.liveAllocations(), "freed: " + c[1]);
            }
        }
    }
}
