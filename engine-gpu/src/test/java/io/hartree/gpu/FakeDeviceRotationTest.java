package io.hartree.gpu;

import io.hartree.api.HartreePropagator;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.hartree.SplitStepPropagator;
import io.hartree.api.model.GpTerms;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The rotating frame's host side on the fake device (kernels and FFTs do not run: no physics here; the
 * conformance kit's RotationConformance does that on a GPU): a rotating problem takes the split-step path,
 * its axis_phase launches pass the signature check with the per-call slots naming c and scale, and each
 * rotation costs 3 axis_phase launches and 2 + 4n cuFFT executions (x: one plan over the n² lines; y: one
 * plan per x-plane, n of them; the rotation is x-pass, y-pass, x-pass of the mixed representations:
 * y back, y forward + x back, x forward + y back, y forward = 4 y and 2 x transforms).
 */
class FakeDeviceRotationTest {
    static FakeDevice d;
    static MethodHandle launches, ffts;

    @BeforeAll
    static void load() throws Exception {
        d = FakeDevice.get();
        launches = d.cudaHandle("fake_launches", FunctionDescriptor.of(JAVA_LONG));
        ffts = d.cufftHandle("fake_cufft_execs", FunctionDescriptor.of(JAVA_LONG));
    }

    static long[] count(Runnable r) throws Throwable {
        long l0 = (long) launches.invokeExact(), f0 = (long) ffts.invokeExact();
        r.run();
        return new long[]{(long) launches.invokeExact() - l0, (long) ffts.invokeExact() - f0};
    }

    @Test
    void perCallSlotsNameTheParameters() {
        for (String t : List.of("_f64", "_f32")) {
            List<String> names = FakeDeviceSplitStepTest.parameterNames("axis_phase" + t);
            assertEquals("c", names.get(CudaSplitStepKernels.AXIS_C));
            assertEquals("scale", names.get(CudaSplitStepKernels.AXIS_SCALE));
        }
    }

    /**
     * The same problem on the split-step path (hartree.cuda.splitstep=true) without and with rotation: a rotating
     * advance(1) adds two rotations (before the substep and at the end), 6 launches and 2·(2 + 4·8) = 68 FFTs on 8³;
     * advance(7) adds 8 rotations in real time (merged between steps) and 14 in imaginary time (two per step).
     */
    @Test
    void eachRotationIsThreePhasesAndSixAxisPasses() throws Throwable {
        int n = 8, perRotation = 2 + 4 * n;
        for (Precision prec : Precision.values())
            try (CudaSession s = new CudaSession(d.rt, new SessionOptions(prec, 0, 0))) {
                long base = d.liveAllocations();
                for (TimeMode tm : TimeMode.values()) {
                    // Contact interaction: not the fused step, whose callbacks would fill the fake's fixed-size callback log
                    // that FakeDeviceTest reads.
                    HartreeProblem plain = FakeDeviceTest.problem(io.hartree.api.model.ConvolutionMode.PERIODIC,
                            new io.hartree.api.model.Interaction.Contact(2), io.hartree.api.model.Scheme.STRANG, tm);
                    long[][] without, with;
                    System.setProperty("hartree.cuda.splitstep", "true");
                    try {
                        without = steps(s, plain);
                    } finally {
                        System.clearProperty("hartree.cuda.splitstep");
                    }
                    with = steps(s, plain.withTerms(GpTerms.NONE.withRotation(0.5)));
                    int seven = tm == TimeMode.REAL ? 8 : 14;
                    assertEquals(without[0][0] + 6, with[0][0], prec + " " + tm + ": launches of a rotating step");
                    assertEquals(without[0][1] + 2L * perRotation, with[0][1], prec + " " + tm + ": FFTs of a rotating step");
                    assertEquals(without[1][0] + 3L * seven, with[1][0], prec + " " + tm + ": launches of seven steps");
                    assertEquals(without[1][1] + (long) seven * perRotation, with[1][1], prec + " " + tm + ": FFTs of seven steps");
                }
                assertEquals(base, d.liveAllocations(), "everything given back");
            }
    }

    /** Counts of advance(1) and advance(7) after a first advance(1); observe() and store() run. */
    private static long[][] steps(CudaSession s, HartreeProblem pb) throws Throwable {
        try (HartreePropagator p = s.hartree(pb)) {
            assertInstanceOf(SplitStepPropagator.class, p);
            p.load(new double[2 * 512], 0);
            p.advance(1);
            long[] one = count(() -> p.advance(1));
            long[] seven = count(() -> p.advance(7));
            assertEquals(0, p.observe().vortices(), "the host-side observables run (zero state)");
            p.store(new double[2 * 512]);
            return new long[][]{one, seven};
        }
    }
}
