package io.hartree.api.model;

import io.hartree.api.ParameterException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The initial states made of a trap's eigenmodes ({@code eigen:}, {@code localised:}): specs and
 * their canonical forms, the combination sampled from a given eigenbasis (pointwise, against the
 * formula), the degenerate-level warning, and bad specs. The eigenmodes themselves (GridModes) and
 * the states in a run are checked against closed forms in cli's TrapModesTest.
 */
class TrapEigenStateTest {
    static final Grid3D GRID = new Grid3D(8, 6);

    /** φ_a(x) = c_a·f_a(x) for simple real functions; orthonormality is irrelevant to the combination. */
    static double[][] functions(int m) {
        int n3 = GRID.hostRealLength();
        double[][] f = new double[m][n3];
        for (int a = 0; a < m; a++) for (int s = 0; s < n3; s++) f[a][s] = Math.sin(0.1 * (a + 1) * s) + 0.01 * a;
        return f;
    }

    @Test
    void specsReadBackInCanonicalForm() {
        assertEquals(InitialState.TrapEigen.of(2), InitialState.parse("eigen:2"));
        assertEquals("eigen:2", InitialState.parse(" eigen: 2 ").spec());
        InitialState e = InitialState.parse("eigen:0,1;n=1,3;theta=0,0.5");
        assertEquals("eigen:0,1;n=1.0,3.0;theta=0.0,0.5", e.spec());
        assertEquals(e, InitialState.parse(e.spec()));
        assertEquals("eigen:0,3;n=1.0,1.0;theta=0.0,0.0", InitialState.parse("eigen:0,3").spec(), "equal weights and zero phases by default");
        assertEquals(5, InitialState.parse("eigen:0,3").eigenmodesNeeded(), "J_max + 2");
        assertEquals(new InitialState.Localised(0, 1, 1), InitialState.parse("localised:0,1"));
        assertEquals("localised:1,0;sign=-1", InitialState.parse("localized:1,0;sign=-").spec());
        assertEquals(0, InitialState.parse("ground").eigenmodesNeeded());
    }

    /**
     * eigen:0,2;n=1,3;theta=0.3,1.1 is ½e^{−0.3i}φ₀ + (√3/2)e^{−1.1i}φ₂ and localised:2,1;sign=−1
     * is (φ₂ − φ₁)/√2, pointwise: the same arithmetic to round-off, 1e−15.
     */
    @Test
    void combinationsFollowTheirFormulas() {
        double[][] f = functions(4);
        InitialState.Eigenmodes modes = m -> new InitialState.Eigenbasis(java.util.Arrays.copyOf(f, m), java.util.Arrays.copyOf(new double[]{0, 1, 2, 3}, m));
        List<String> warnings = new ArrayList<>();
        double[] psi = new double[GRID.hostComplexLength()];
        InitialState.parse("eigen:0,2;n=1,3;theta=0.3,1.1").sampleInto(GRID, modes, java.lang.foreign.MemorySegment.ofArray(psi), warnings::add);
        for (int s = 0; s < f[0].length; s++) {
            double re = 0.5 * Math.cos(0.3) * f[0][s] + Math.sqrt(3) / 2 * Math.cos(1.1) * f[2][s];
            double im = -0.5 * Math.sin(0.3) * f[0][s] - Math.sqrt(3) / 2 * Math.sin(1.1) * f[2][s];
            assertEquals(re, psi[2 * s], 1e-15);
            assertEquals(im, psi[2 * s + 1], 1e-15);
        }
        InitialState.parse("localised:2,1;sign=-1").sampleInto(GRID, modes, java.lang.foreign.MemorySegment.ofArray(psi), warnings::add);
        for (int s = 0; s < f[0].length; s++) {
            assertEquals((f[2][s] - f[1][s]) / Math.sqrt(2), psi[2 * s], 1e-15);
            assertEquals(0, psi[2 * s + 1], 0);
        }
        assertEquals(List.of(), warnings, "no degenerate level");
    }

    /** A mode inside a degenerate level (energies 1, 2, 2, 3) is sampled with a warning naming the level; the others without. */
    @Test
    void aDegenerateModeIsSampledWithAWarning() {
        double[][] f = functions(4);
        InitialState.Eigenmodes modes = m -> new InitialState.Eigenbasis(java.util.Arrays.copyOf(f, m), java.util.Arrays.copyOf(new double[]{1, 2, 2, 3}, m));
        double[] psi = new double[GRID.hostComplexLength()];
        List<String> warnings = new ArrayList<>();
        InitialState.parse("eigen:0").sampleInto(GRID, modes, java.lang.foreign.MemorySegment.ofArray(psi), warnings::add);
        assertEquals(List.of(), warnings);
        InitialState.parse("eigen:1").sampleInto(GRID, modes, java.lang.foreign.MemorySegment.ofArray(psi), warnings::add);
        assertEquals(1, warnings.size());
        assertTrue(warnings.getFirst().contains("modes 1 … 2"), warnings.getFirst());
    }

    @Test
    void sampledWithoutTheTrapItIsRefused() {
        assertThrows(IllegalStateException.class, () -> InitialState.parse("eigen:0").sample(GRID));
        assertThrows(IllegalStateException.class, () -> InitialState.parse("localised:0,1").sample(GRID));
    }

    @Test
    void badSpecsNameTheParameter() {
        String[][] bad = {
                {"eigen:", "--initial"}, {"eigen:-1", "--initial"}, {"eigen:64", "--initial"}, {"eigen:a", "--initial"},
                {"eigen:0,0", "--initial"}, {"eigen:0,1;n=1", "--initial n"}, {"eigen:0,1;n=0,0", "--initial n"},
                {"eigen:0,1;n=-1,2", "--initial n"}, {"eigen:0,1;theta=x,0", "--initial theta"}, {"eigen:0;phase=1", "--initial"},
                {"localised:0", "--initial"}, {"localised:0,1,2", "--initial"}, {"localised:1,1", "--initial"},
                {"localised:0,1;sign=2", "--initial sign"}, {"localised:0,1;side=1", "--initial"}};
        for (String[] b : bad) {
            ParameterException e = assertThrows(ParameterException.class, () -> InitialState.parse(b[0]), b[0]);
            assertEquals(b[1], e.parameter(), b[0] + ": " + e.getMessage());
        }
    }
}
