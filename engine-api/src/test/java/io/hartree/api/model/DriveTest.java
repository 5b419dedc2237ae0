package io.hartree.api.model;

import io.hartree.api.ParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Drive}: the functions' values, the canonical spec, and the trap coefficients of each trap. */
class DriveTest {
    @TempDir
    Path tmp;

    /** Ramp, step and sine at chosen t against their definitions (exact arithmetic or 1e-15). */
    @Test
    void functionValues() {
        Drive d = Drive.parse("wx=ramp:1,2,0,0.5; wy=step:5,0,1 ;wz=sine:1,0.1,2,0.3");
        Drive.Function r = d.functions().get("wx"), st = d.functions().get("wy"), sn = d.functions().get("wz");
        assertEquals(1, r.value(-1));
        assertEquals(1.5, r.value(0.25), 1e-15);
        assertEquals(2, r.value(7));
        assertEquals(5, st.value(0.999));
        assertEquals(0, st.value(1));
        assertEquals(1 + 0.1 * Math.sin(2 * 0.7 + 0.3), sn.value(0.7), 1e-15);
        assertEquals("wx=ramp:1.0,2.0,0.0,0.5;wy=step:5.0,0.0,1.0;wz=sine:1.0,0.1,2.0,0.3", d.spec());
        assertEquals(d.spec(), Drive.parse(d.spec()).spec(), "the canonical spec reads back");
    }

    /** A table (0, 1), (1, 1.5) is the ramp 1 → 1.5 over [0, 1], bitwise (the same interpolation), and constant outside. */
    @Test
    void tableIsTheRamp() throws Exception {
        Path csv = tmp.resolve("w.csv");
        Files.writeString(csv, "# w(t)\nt,w\n0,1\n1,1.5\n");
        Drive.Function table = Drive.parse("w=table:" + csv).functions().get("w"), ramp = Drive.parse("w=ramp:1,1.5,0,1").functions().get("w");
        for (double t = -0.5; t < 2; t += 0.0137) assertEquals(ramp.value(t), table.value(t), 0.0, "t = " + t);
        Path three = tmp.resolve("three.csv");
        Files.writeString(three, "0,1\n1,3\n3,2\n");
        Drive.Function f = Drive.parse("w=table:" + three).functions().get("w");
        assertEquals(2.0, f.value(0.5), 1e-15);
        assertEquals(2.5, f.value(2), 1e-15);
        assertEquals(1, f.min());
        assertEquals(3, f.max());
    }

    /**
     * Coefficients {c_x, c_y, c_z, c_0, v0, s} and a(t): the paper's ν gives c_d = ν/2, c_0 = −3ν/2,
     * a = ν/2; a harmonic w_d gives c_d = w_d²/2 (undriven axes keep the trap's); the double well
     * its barrier; all equal to TrapSpec's operator where the drive is constant.
     */
    @Test
    void coefficientsOfEachTrap() {
        double[] c = new double[Drive.COEFFICIENTS];
        Drive p = Drive.parse("nu=step:1,3,1").bind(new TrapSpec.Paper(), 1);
        p.coefficients(2, c);
        assertArrayEquals(new double[]{1.5, 1.5, 1.5, -4.5, 0, 1}, c);
        assertEquals(1.5, p.kinetic(2));
        assertEquals(0.5, p.kinetic(0));
        Drive h = Drive.parse("wy=ramp:2,4,0,1").bind(new TrapSpec.Harmonic(1, 3, 5), 0);
        h.coefficients(0.5, c);
        assertArrayEquals(new double[]{0.5, 4.5, 12.5, 0, 0, 1}, c);
        assertEquals(0.5, h.kinetic(0.5));
        TrapSpec dw = new TrapSpec.DoubleWell(1, 2, 3, 8, 0.5);
        Drive w = Drive.parse("v0=step:8,0,1").bind(dw, 0);
        w.coefficients(0, c);
        OneBodyOperator op = dw.operator(0, new Grid3D(8, 8));
        for (double[] x : new double[][]{{0.3, -1, 2}, {1.1, 0.2, -0.7}})
            assertEquals(op.trap().value(x[0], x[1], x[2]), Drive.potential(c, x[0], x[1], x[2]), 1e-14);
        w.coefficients(1, c);
        assertEquals(0, c[4]);
    }

    /** A parameter the trap lacks, or a value out of range at some t, is refused naming --drive. */
    @Test
    void bindRefuses() {
        ParameterException e = assertThrows(ParameterException.class, () -> Drive.parse("v0=step:1,0,0").bind(new TrapSpec.Harmonic(1, 1, 1), 0));
        assertTrue(e.getMessage().contains("--drive") && e.getMessage().contains("v0"), e.getMessage());
        assertThrows(ParameterException.class, () -> Drive.parse("nu=ramp:1,-1,0,1").bind(new TrapSpec.Paper(), 1));
        assertThrows(ParameterException.class, () -> Drive.parse("w=sine:1,1.5,1").bind(new TrapSpec.Harmonic(1, 1, 1), 0));
        // A release (w = 0) is allowed.
        assertDoesNotThrow(() -> Drive.parse("wx=step:1,0,0").bind(new TrapSpec.Harmonic(1, 1, 1), 0));
    }
}
