package io.hartree.cpu;

import io.hartree.api.HartreePropagator;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The long-indexed host path: an off-heap initial state sampled with {@code sampleInto}, loaded and
 * stored through memory segments, gives bit for bit what the double[] path gives (the same
 * transforms and the same scaling), after real-time steps that move the state.
 */
class CpuLongIndexTest {
    @Test
    void offHeapSegmentsEqualTheArrayPath() {
        HartreeProblem pb = Problems.paper(16, 10, 1, new Interaction.Gaussian(1, 1), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-2);
        InitialState init = InitialState.parse("gaussian:x0=0.5,0,0;p0=0,0.4,0");
        double[] viaArray = new double[2 * 16 * 16 * 16];
        try (CpuSession s = Problems.session(); Arena a = Arena.ofConfined()) {
            double[] psi0 = init.sample(pb.grid());
            MemorySegment seg0 = a.allocate(8L * psi0.length, 64);
            init.sampleInto(pb.grid(), seg0, w -> { });
            assertEquals(-1, seg0.mismatch(MemorySegment.ofArray(psi0)), "sampleInto off-heap equals sample()");
            try (HartreePropagator p = s.hartree(pb)) {
                p.load(psi0, 0);
                p.advance(5);
                p.store(viaArray);
            }
            MemorySegment out = a.allocate(8L * psi0.length, 64);
            try (HartreePropagator p = s.hartree(pb)) {
                p.load(seg0, 0);
                p.advance(5);
                p.store(out);
                assertEquals(0.05, p.time(), 1e-15, "time set by load(segment, t) and advanced");
            }
            for (int i = 0; i < viaArray.length; i++) assertEquals(viaArray[i], out.getAtIndex(JAVA_DOUBLE, i), 0, "value " + i);
            double moved = 0;
            for (int i = 0; i < psi0.length; i++) moved = Math.max(moved, Math.abs(viaArray[i] - psi0[i]));
            assertEquals(true, moved > 1e-3, "the state moved: " + moved);
            MemorySegment wrong = a.allocate(8L * (psi0.length - 2), 64);
            try (HartreePropagator p = s.hartree(pb)) {
                assertThrows(io.hartree.api.ParameterException.class, () -> p.load(wrong, 0), "a segment of the wrong length");
            }
        }
    }
}
