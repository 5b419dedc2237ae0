package io.hartree.api.hartree;

import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.model.InitialState;

import io.hartree.api.ParameterException;
import io.hartree.api.Precision;
import io.hartree.api.model.Grid3D;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The memory plan's byte counts past 2³¹ against products computed by hand (powers of two, exact
 * in long: tolerance 0), without allocating anything.
 */
class MemoryPlanTest {
    static HartreeProblem problem(int n, Interaction v, ConvolutionMode conv, TimeMode time) {
        return new HartreeProblem(new Grid3D(n, 16), OneBodyOperator.paper(10), v, conv, Scheme.STRANG, time, 1e-3);
    }

    static final Interaction GAUSS = new Interaction.Gaussian(1, 1);
    static final long GIB = 1L << 30;

    static long bytes(MemoryPlan p, String nameStart) {
        return p.arrays().stream().filter(a -> a.name().startsWith(nameStart)).mapToLong(MemoryPlan.Array::bytes).sum();
    }

    /** cpu, 1024³ periodic Gaussian, double, real time: the FFTW buffers and the host states off-heap, trap and table on the heap. */
    @Test
    void cpu1024Periodic() {
        MemoryPlan p = MemoryPlan.of("cpu", problem(1024, GAUSS, ConvolutionMode.PERIODIC, TimeMode.REAL), Precision.DOUBLE, 1, false);
        long state = 2L * 1024 * 1024 * 1024 * 8;            // 2 n³ doubles = 2^34 bytes = 16 GiB
        assertEquals(1L << 34, state);
        long rho = 1L << 33, rhoHat = (1L << 24) * 513;       // n³ doubles; 2·n·n·(n/2+1) doubles = 16·2^20·513
        assertEquals(state, bytes(p, "state phi"));
        assertEquals(rhoHat, bytes(p, "density spectrum"));
        // Off-heap: state, work, rho, V*rho, rho^ for the run, plus the larger of setup (the initial
        // state, 2^34) and output (the host copy, 2^34).
        assertEquals(state + state + rho + rho + rhoHat + state, p.peak(MemoryPlan.Pool.NATIVE), "state, work, rho, V*rho, rho^ + initial");
        // Heap: trap 2^33 + table n·n·513 doubles, plus the setup's 3·513³ doubles of kernel construction.
        long heap = (1L << 33) + (1L << 23) * 513 + 3L * 513 * 513 * 513 * 8;
        assertEquals(heap, p.peak(MemoryPlan.Pool.HEAP));
        assertEquals(0, p.peak(MemoryPlan.Pool.DEVICE));
        // Every state is long-indexed off-heap now: 1024³ (2^31 values a state) runs where the memory holds it.
        var huge = new MemoryPlan.Available(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, 0);
        assertTrue(p.fits(huge), p.problems(huge).toString());
        // 2048³: the sampled trap (2^33 values) is still a double[]: refused by name on any machine.
        MemoryPlan big = MemoryPlan.of("cpu", problem(2048, GAUSS, ConvolutionMode.PERIODIC, TimeMode.REAL), Precision.DOUBLE, 1, false);
        assertTrue(big.problems(huge).getFirst().contains("trap") && big.problems(huge).getFirst().contains("8,589,934,592 values"), big.problems(huge).toString());
        String table = p.describe(new MemoryPlan.Available(8 * GIB, 16 * GIB, 0));
        assertTrue(table.contains("16.0 GiB") && table.contains("TOO MUCH"), table);
    }

    /** cuda, 2048³ padded, single: the counting of CudaHartreePropagator.deviceBytes(n, 2n, 4, true, false). */
    @Test
    void cuda2048PaddedSingle() {
        MemoryPlan p = MemoryPlan.of("cuda", problem(2048, GAUSS, ConvolutionMode.PADDED, TimeMode.REAL), Precision.SINGLE, 1, false);
        assertEquals(4096, p.densityGrid());
        long state = 2L * (1L << 33) * 4;                     // 2·2048³ floats = 2^36 bytes
        long rho = (1L << 36) * 4;                            // 4096³ floats = 2^38 bytes, twice (rho and V*rho)
        long half = 4096L * 4096 * 2049;                      // r2c half grid
        long device = 2 * state + 2 * rho + 2 * half * 4 + half * 4 + 8L * (13 * 4096) + 8 * 16 + 8 + 8;  // the scale and density-scale factors (measured on the fake device)
        assertEquals(device, p.peak(MemoryPlan.Pool.DEVICE));
        // 1.03 TiB: refused on a 141 GB device; the host kernel table (4096²·2049 doubles) exceeds a Java array.
        assertFalse(p.fits(new MemoryPlan.Available(0, 0, 141_000_000_000L)));
        assertTrue(p.problems(new MemoryPlan.Available(0, 0, 0)).stream().anyMatch(s -> s.contains("kernel table")), p.problems(new MemoryPlan.Available(0, 0, 0)).toString());
    }

    /** cpu, 4096³ without interaction in imaginary time: the ground-state solver keeps phi(0) for the whole run. */
    @Test
    void cpu4096FreeGroundState() {
        MemoryPlan p = MemoryPlan.of("cpu", problem(4096, new Interaction.None(), ConvolutionMode.PERIODIC, TimeMode.IMAGINARY), Precision.DOUBLE, 1, true);
        long state = 1L << 40;                                 // 2·2^36 doubles = 1 TiB
        assertEquals(4 * state, p.peak(MemoryPlan.Pool.NATIVE), "state, work, initial (run) + output, off-heap");
        assertEquals(1L << 39, p.peak(MemoryPlan.Pool.HEAP), "the trap");
        assertEquals(1L << 37, p.arrays().getFirst().values());
    }

    /** A batch multiplies the per-state arrays only; the density and the tables are shared. */
    @Test
    void batchScalesStatesOnly() {
        HartreeProblem pr = problem(64, GAUSS, ConvolutionMode.PERIODIC, TimeMode.REAL);
        MemoryPlan one = MemoryPlan.of("cuda", pr, Precision.DOUBLE, 1, false), sixteen = MemoryPlan.of("cuda", pr, Precision.DOUBLE, 16, false);
        long perState = 2 * (2L * 64 * 64 * 64 * 8);           // state + scratch
        assertEquals(one.peak(MemoryPlan.Pool.DEVICE) + 15 * perState, sixteen.peak(MemoryPlan.Pool.DEVICE));
        assertTrue(one.fits(new MemoryPlan.Available(GIB, GIB, GIB)));
    }

    /** Host arrays: 2·1022³ values fit a double[], 2·1024³ = 2^31 do not, and say so instead of NegativeArraySizeException. */
    @Test
    void hostArraysPastTwoToThe31AreRefusedByName() {
        assertEquals(2L * 1022 * 1022 * 1022, new Grid3D(1022, 16).hostComplexLength());
        for (int n : new int[]{1024, 2048, 4096}) {
            Grid3D g = new Grid3D(n, 16);
            var e = assertThrows(ParameterException.class, () -> InitialState.parse("ground").sample(g, w -> { }));
            assertEquals("--grid", e.parameter(), e.getMessage());
            assertTrue(e.getMessage().contains(Long.toString(2 * g.points())), e.getMessage());
        }
        assertThrows(ParameterException.class, () -> new Grid3D(1292, 16).hostRealLength(), "1292³ > 2^31 - 9");
        assertEquals(1290L * 1290 * 1290, new Grid3D(1290, 16).hostRealLength());
    }
}
