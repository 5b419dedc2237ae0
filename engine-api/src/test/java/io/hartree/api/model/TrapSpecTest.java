package io.hartree.api.model;

import io.hartree.api.ParameterException;
import io.hartree.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link TrapSpec}: the specs parse to the operators docs/hartree.md states, read back from their
 * canonical form, refuse bad input naming --trap, and the sampled traps equal their formulas.
 */
class TrapSpecTest {
    @TempDir
    Path tmp;

    /** The grids below: 16³ on L = 12 (dx = 0.75), enough to visit both wells and the barrier. */
    static final Grid3D GRID = new Grid3D(16, 12.0);

    /**
     * Canonical forms read back to the same spec, and the operators carry the stated coefficients:
     * paper a = ν/2 with U = (ν/2)(|x|² − 3); harmonic a = ½ with c_d = w_d²/2 and no offset. The
     * coefficients are products of the given numbers, so they are compared exactly (0 tolerance).
     */
    @Test
    void specsParseToTheStatedOperators() {
        assertEquals(new TrapSpec.Paper(), TrapSpec.parse(" Paper "));
        OneBodyOperator paper = TrapSpec.parse("paper").operator(4.0, GRID);
        assertEquals(2.0, paper.kinetic(), 0);
        assertEquals(new TrapPotential.Harmonic(2, 2, 2, -6), paper.trap());

        TrapSpec h = TrapSpec.parse("harmonic:wx=1,wy=1.5,wz=2");
        assertEquals(new TrapSpec.Harmonic(1, 1.5, 2), h);
        assertEquals(h, TrapSpec.parse(h.spec()), "canonical form reads back");
        OneBodyOperator op = h.operator(99, GRID);
        assertEquals(0.5, op.kinetic(), 0, "h = -1/2 Laplacian + U");
        assertEquals(new TrapPotential.Harmonic(0.5, 1.125, 2.0, 0), op.trap(), "c_d = w_d^2/2");
        assertEquals(2.25, ((TrapSpec.Harmonic) h).groundEnergy(), 0);
        assertEquals(2.0, h.frequency(99), 0);
        assertFalse(h.usesNu());
        assertEquals(new TrapSpec.Harmonic(2, 2, 3), TrapSpec.parse("harmonic:w=2,wz=3"), "w sets all three, wz overrides");
        assertEquals(new TrapSpec.Harmonic(1, 1, 1), TrapSpec.parse("harmonic"), "a missing w_d is 1");

        TrapSpec dw = TrapSpec.parse("DOUBLEWELL: v0=4, s=0.5, wy=2");
        assertEquals(new TrapSpec.DoubleWell(1, 2, 1, 4, 0.5), dw);
        assertEquals(dw, TrapSpec.parse(dw.spec()));
        assertEquals(4.0, dw.frequency(0), 0, "barrier sqrt(v0)/s = 4 beats the trap's max w = 2");
        assertEquals(0.5, dw.operator(0, GRID).kinetic(), 0);

        TrapSpec t = TrapSpec.parse("table:some/U.npy");
        assertEquals(new TrapSpec.Table(Path.of("some/U.npy")), t);
        assertEquals(t, TrapSpec.parse(t.spec()));
        assertTrue(Double.isNaN(t.frequency(1)));
    }

    /**
     * The double well sampled on the grid against U = ½Σw_d²x_d² + V₀e^{−x²/(2s²)} written here
     * (same arithmetic, so 1e-15 relative covers the rounding of a different evaluation order);
     * and the minima the class documents: at x* = s√(2 ln(V₀/(w_x²s²))) the derivative
     * w_x²x − (V₀x/s²)e^{−x²/(2s²)} vanishes (to rounding, 1e-12 of its terms) and U(x*) < U(0).
     */
    @Test
    void doubleWellSampledAgainstTheFormula() {
        double wx = 0.9, wy = 1.3, wz = 1.1, v0 = 5, s = 0.8;
        TrapPotential u = TrapSpec.parse("doublewell:wx=0.9,wy=1.3,wz=1.1,v0=5,s=0.8").operator(0, GRID).trap();
        double[] sampled = u.sample(GRID);
        int n = GRID.n();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) {
                    double x = GRID.x(i), y = GRID.x(j), z = GRID.x(k);
                    double expected = 0.5 * wx * wx * x * x + 0.5 * wy * wy * y * y + 0.5 * wz * wz * z * z + v0 * Math.exp(-x * x / (2 * s * s));
                    assertEquals(expected, sampled[(i * n + j) * n + k], 1e-15 * Math.max(1, expected), "U at " + x + "," + y + "," + z);
                }
        double xs = s * Math.sqrt(2 * Math.log(v0 / (wx * wx * s * s)));
        double force = wx * wx * xs - v0 * xs / (s * s) * Math.exp(-xs * xs / (2 * s * s));
        assertEquals(0, force, 1e-12 * wx * wx * xs, "dU/dx at the documented minimum");
        assertTrue(u.value(xs, 0, 0) < u.value(0, 0, 0) - 1, "the barrier stands above the wells");
        assertEquals(u.value(xs, 0, 0), u.value(-xs, 0, 0), 0, "the wells are mirror images");
    }

    /**
     * A table reads back exactly (it is the file's doubles), {@link TrapPotential#value} is the
     * table at grid points and the nearest point between them (periodic), and any other grid is
     * refused.
     */
    @Test
    void tableIsTheFileOnItsGrid() {
        int n = GRID.n();
        double[] u = new double[n * n * n];
        for (int q = 0; q < u.length; q++) u[q] = Math.sin(0.37 * q) + 0.01 * q;
        Path f = tmp.resolve("U.npy");
        Npy.writeReal(f, u, n, n, n);
        TrapPotential t = TrapSpec.parse("table:" + f).operator(1, GRID).trap();
        assertArrayEquals(u, t.sample(GRID), 0);
        double dx = GRID.dx();
        assertEquals(u[(3 * n + 5) * n + 7], t.value(GRID.x(3), GRID.x(5), GRID.x(7)), 0);
        assertEquals(u[(3 * n + 5) * n + 7], t.value(GRID.x(3) + 0.4 * dx, GRID.x(5) - 0.4 * dx, GRID.x(7) + 0.1 * dx), 0, "nearest grid point");
        assertEquals(u[0], t.value(GRID.x(n - 1) + 0.6 * dx, GRID.x(0), GRID.x(0)), 0, "periodic: past the last point is the first");
        var e = assertThrows(ParameterException.class, () -> t.sample(new Grid3D(16, 10.0)));
        assertEquals("--trap", e.parameter());
    }

    record Bad(String spec, String parameter, String says) {}

    /** Bad specs: ParameterException naming --trap (or --trap NAME for a value out of range) and what is allowed. */
    @Test
    void badSpecsAreRefusedNamingTheParameter() throws Exception {
        int n = GRID.n();
        Path shape = tmp.resolve("shape.npy"), nan = tmp.resolve("nan.npy"), complex = tmp.resolve("complex.npy");
        Npy.writeReal(shape, new double[n * n * 8], n, n, 8);
        double[] withNan = new double[n * n * n];
        withNan[(1 * n + 2) * n + 3] = Double.POSITIVE_INFINITY;
        Npy.writeReal(nan, withNan, n, n, n);
        Npy.writeComplex(complex, new double[2 * n * n * n], n, n, n);
        List<Bad> cases = List.of(
                new Bad("", "--trap", "harmonic:wx=WX"),
                new Bad("box", "--trap", "doublewell:wx=WX,wy=WY,wz=WZ,v0=V0,s=S"),
                new Bad("paper:nu=3", "--trap", "takes no parameters"),
                new Bad("harmonic:wx=-1", "--trap wx", "finite frequency > 0"),
                new Bad("harmonic:wy=0", "--trap wy", "finite frequency > 0"),
                new Bad("harmonic:wz=NaN", "--trap wz", "finite frequency > 0"),
                new Bad("harmonic:wx=fast", "--trap wx", "a number"),
                new Bad("harmonic:k=1", "--trap", "unknown parameter 'k'"),
                new Bad("harmonic:wx", "--trap", "name=value"),
                new Bad("harmonic:wx=1,wx=2", "--trap", "given twice"),
                new Bad("doublewell:s=1", "--trap", "needs v0"),
                new Bad("doublewell:v0=1", "--trap", "needs s"),
                new Bad("doublewell:v0=-1,s=1", "--trap v0", "v0 >= 0"),
                new Bad("doublewell:v0=1,s=0", "--trap s", "s > 0"),
                new Bad("table:", "--trap", "table:FILE.npy"),
                new Bad("table:" + tmp.resolve("missing.npy"), "--trap", "not a readable file"),
                new Bad("table:" + shape, "--trap", "shape [16, 16, 8]"),
                new Bad("table:" + nan, "--trap", "non-finite value Infinity at index (1, 2, 3)"),
                new Bad("table:" + complex, "--trap", "is complex"));
        for (Bad b : cases) {
            var e = assertThrows(ParameterException.class, () -> TrapSpec.parse(b.spec()).operator(1, GRID), b.spec());
            assertEquals(b.parameter(), e.parameter(), b.spec() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(b.says()), b.spec() + ": " + e.getMessage());
        }
    }
}
