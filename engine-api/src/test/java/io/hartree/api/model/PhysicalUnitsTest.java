package io.hartree.api.model;

import io.hartree.api.ParameterException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The SI → dimensionless mapping against values derived by hand here, with the constants typed in
 * independently (CODATA 2022: h = 6.62607015e-34 J s exact, m_u = 1.66053906892e-27 kg,
 * a₀ = 5.29177210544e-11 m; ⁸⁷Rb 86.909180531 u, AME2020). Tolerance 1e-12 relative: the same
 * double arithmetic in a different order.
 */
class PhysicalUnitsTest {
    static final double TOL = 1e-12;

    @Test
    void rubidium87InA100HzTrapMapsToTheHandDerivedUnits() {
        PhysicalUnits u = PhysicalUnits.parse("species=rb87,f=100,n=1e5,a=100");
        double hbar = 6.62607015e-34 / (2 * Math.PI);
        double m = 86.909180531 * 1.66053906892e-27;
        double omega = 2 * Math.PI * 100;
        double ell = Math.sqrt(hbar / (m * omega));
        assertEquals(1.0, u.lengthUnitM() / ell, TOL);
        assertEquals(1.0784e-6, ell, 1e-9, "the textbook oscillator length of Rb-87 at 100 Hz, 1.078 um");
        assertEquals(1 / omega, u.timeUnitS(), TOL / omega);
        assertEquals(1.0, u.energyUnitJ() / (hbar * omega), TOL);
        assertEquals(hbar * omega / 1.380649e-23, u.energyUnitK(), TOL * 5e-9);
        // g = 4π N a / ℓ
        double g = 4 * Math.PI * 1e5 * 100 * 5.29177210544e-11 / ell;
        assertEquals(1.0, u.coupling() / g, TOL);
        assertEquals(new TrapSpec.Harmonic(1, 1, 1), u.trap());
        // Thomas–Fermi: μ = ½(15 N a/ℓ)^{2/5} ħω (isotropic, ā = ℓ), R = √(2μ)
        double mu = 0.5 * Math.pow(15 * 1e5 * 100 * 5.29177210544e-11 / ell, 0.4);
        for (double r : u.thomasFermiRadii()) assertEquals(Math.sqrt(2 * mu), r, TOL * 10);
    }

    @Test
    void anisotropicTrapsUseTheGeometricMeanAndRoundTrip() {
        PhysicalUnits u = PhysicalUnits.parse("species=na23,fx=50,fy=100,fz=200,n=2e6,a=52");
        assertEquals(100, u.referenceHz(), 1e-12, "the geometric mean of 50, 100, 200");
        TrapSpec.Harmonic t = u.trap();
        assertEquals(0.5, t.wx(), TOL);
        assertEquals(1.0, t.wy(), TOL);
        assertEquals(2.0, t.wz(), TOL);
        // back to SI: a dimensionless frequency w_d times f_ref is f_d; a length x·ℓ
        assertEquals(50, t.wx() * u.referenceHz(), 1e-12);
        assertEquals(u, PhysicalUnits.parse(u.spec()), "the canonical spec reads back to the same mapping");
        // TF radii scale as 1/w_d
        double[] r = u.thomasFermiRadii();
        assertEquals(4.0, r[0] / r[2], TOL);
        assertTrue(u.suggestedBox() > 2 * r[0], "the suggested box holds the cloud");
    }

    @Test
    void badInputNamesTheParameterAndTheAllowedRange() {
        for (String bad : new String[]{"species=unobtainium,f=100,n=10,a=1", "species=rb87,f=-5,n=10,a=1", "species=rb87,n=10,a=1",
                "species=rb87,mass=87,f=100,n=10,a=1", "species=rb87,f=100,n=0.5,a=1", "species=rb87,f=100,n=10,a=1,colour=red", "species=rb87,f=abc,n=10,a=1"}) {
            ParameterException e = assertThrows(ParameterException.class, () -> PhysicalUnits.parse(bad), bad);
            assertEquals("--physical", e.parameter(), bad);
        }
    }
}
