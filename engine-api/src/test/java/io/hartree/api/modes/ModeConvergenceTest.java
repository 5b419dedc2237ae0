package io.hartree.api.modes;

import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.fock.OscillatorModes;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.Interaction;
import io.hartree.api.testing.JTransformsHost;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Convergence in M against closed forms. Tolerance 1e-12: SCF and Lanczos stop at 1e-14 / 1e-13 relative changes. */
class ModeConvergenceTest {
    @Test
    void hartreeEnergyOfTheJosephsonDimer() {
        // E(c) = −2J Re(c̄_0 c_1) + (U/2)(|c_0|⁴ + |c_1|⁴); with u = sin 2t: E = −Ju + U/2 − Uu²/4.
        // U = 1 > −2J: u = 1, E = −J + U/4. U = −4 < −2J (self-trapping): u = −2J/U, E = U/2 + J²/U.
        assertEquals(-0.75, ModeConvergence.hartreeGroundEnergy(ModeIntegrals.josephson(1, 1)), 1e-12);
        assertEquals(-2.25, ModeConvergence.hartreeGroundEnergy(ModeIntegrals.josephson(1, -4)), 1e-12);
    }

    @Test
    void manyBodyGroundEnergyOfTwoBosons() {
        // N = 2: in {(|2,0⟩+|0,2⟩)/√2, |1,1⟩}, H = [[U/2, −2J], [−2J, 0]]: E₀ = U/4 − √(U²/16 + 4J²), per particle /2.
        double j = 1, u = 1;
        assertEquals((u / 4 - Math.sqrt(u * u / 16 + 4 * j * j)) / 2, ModeConvergence.manyBodyGroundEnergy(ModeIntegrals.josephson(j, u), 2), 1e-12);
    }

    @Test
    void reportAgainstM() {
        double lambda = 1, sigma = 1;
        ModeIntegrals mi = OscillatorModes.integrals(4, 2, new Interaction.Gaussian(lambda, sigma), new Grid3D(32, 12), JTransformsHost.INSTANCE);
        ModeConvergence.Report r = ModeConvergence.hartreeEnergy(mi, new int[]{1, 4});
        // M = 1: only φ⁰, E = h_00 + ½V_0000 = ½λ(σ²/(1+σ²))^{3/2} (integrals accurate to 1e-8 on this grid).
        assertEquals(0.5 * lambda * Math.pow(sigma * sigma / (1 + sigma * sigma), 1.5), r.values()[0], 1e-8);
        // Parity forbids any coupling of φ⁰ to the odd shell 1 in the mean field: the M = 4 minimum is still φ⁰.
        assertEquals(r.values()[0], r.values()[1], 1e-12);
        assertTrue(r.converged(1e-12), r.table());
        double[] c = new double[8];
        c[0] = 1; c[2] = 1; // (φ⁰ + χ_x)/√2 once M ≥ 2
        ModeConvergence.Report p = ModeConvergence.productStateEnergy(mi, new int[]{1, 4}, c);
        assertEquals(r.values()[0], p.values()[0], 1e-12, "M = 1 keeps φ⁰ alone");
        assertTrue(p.values()[1] > p.values()[0] + 0.9, "half a particle in shell 1 costs ν/2 = 1: " + p.table());
    }
}
