package io.hartree.api.fock;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ModeHartreeTest {
    /** RK45 at tol 1e-12 per step over t = 2: accumulated error well below 1e-9. */
    static final double TOL = 1e-9;

    @Test
    void noInteractionGivesPhases() {
        ModeIntegrals mi = ModeIntegrals.zero(3);
        double[] e = {0, 1.5, -2};
        for (int i = 0; i < 3; i++) mi.h()[mi.hIndex(i, i)] = e[i];
        double[] c = {0.6, 0, 0, 0.64, 0.48, 0};
        double[] c0 = c.clone();
        new ModeHartree(mi).evolve(c, 2.0, 1e-12);
        for (int i = 0; i < 3; i++) {
            double ph = -e[i] * 2.0;
            double er = c0[2 * i] * Math.cos(ph) - c0[2 * i + 1] * Math.sin(ph);
            double ei = c0[2 * i] * Math.sin(ph) + c0[2 * i + 1] * Math.cos(ph);
            assertEquals(er, c[2 * i], TOL);
            assertEquals(ei, c[2 * i + 1], TOL);
        }
    }

    @Test
    void normAndEnergyAreConserved() {
        ModeIntegrals mi = TestModels.randomIntegrals(3, 9, true);
        ModeHartree mh = new ModeHartree(mi);
        double[] c = {0.5, 0.1, -0.3, 0.6, 0.2, -0.5};
        double nn = 0;
        for (double x : c) nn += x * x;
        for (int i = 0; i < 6; i++) c[i] /= Math.sqrt(nn);
        double e0 = mh.energy(c);
        mh.evolve(c, 2.0, 1e-12);
        double n1 = 0;
        for (double x : c) n1 += x * x;
        assertEquals(1, n1, TOL);
        assertEquals(e0, mh.energy(c), TOL * Math.max(1, Math.abs(e0)));
    }
}
