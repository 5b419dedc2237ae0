package io.hartree.api.fock;

import io.hartree.api.BackendSession;
import io.hartree.api.FockKernels;
import io.hartree.api.SessionOptions;
import io.hartree.api.conformance.ReferenceBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The spin reduction (4.6)–(4.10): the fragmented state evolved in the full spin sector (spatial
 * modes ⊗ spin, N↑ and N↓ conserved) against the condensate (φ⁰)^{⊗N} evolved alone in the
 * spatial sector, its marginals tensored with the static spin marginals (4.11). Both by dense
 * exponentials (reference backend, Jacobi eigendecomposition, round-off ~1e-13 at these sizes),
 * so the 1e-10 tests the reduction, not the integrator.
 */
class SpinReductionTest {
    static final double AGREE = 1e-10;

    static double maxDiff(double[] a, double[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
        return w;
    }

    static double[] evolve(FockKernels k, FockSector s, ModeIntegrals mi, double[] psi0, double t) {
        try (FockEvolution ev = new FockEvolution(k, FockHamiltonian.of(s, mi).toCsr(), psi0, FockEvolution.Method.DENSE, 1e-12)) {
            ev.advance(t);
            return ev.state().clone();
        }
    }

    @Test
    void reducedAndFullSpinSectorGiveTheSameMarginalsUnderAnInteractingEvolution() {
        int ms = 3, up = 3, down = 2;
        double t = 0.6;
        // Complex, exchange-symmetric integrals with a sizeable two-body part: the interaction moves the spatial state.
        ModeIntegrals spatial = TestModels.randomIntegrals(ms, 31, true);
        SpinSector full = new SpinSector(ms, up, down);
        SpinReduction red = new SpinReduction(ms, up, down);
        assertEquals(60, full.dimension());
        assertEquals(21, red.spatialSector().dimension()); // C(N + M_s − 1, N) = C(7, 2)
        try (BackendSession session = new ReferenceBackend().open(SessionOptions.defaults())) {
            FockKernels k = session.fock();
            double[] psiFull = evolve(k, full, spatial.withSpin(), FockStates.fragment(full), t);
            double[] psiSpat = evolve(k, red.spatialSector(), spatial, red.initialState(), t);

            double[] g1Spat = FockObservables.gamma1(red.spatialSector(), psiSpat);
            double d1 = maxDiff(FockObservables.gamma1(full, psiFull), red.gamma1(g1Spat));
            double d2 = maxDiff(FockObservables.gamma2(full, psiFull), red.gamma2(FockObservables.gamma2(red.spatialSector(), psiSpat)));
            assertTrue(d1 <= AGREE, "γ^(1): full spin sector vs reduced " + d1);
            assertTrue(d2 <= AGREE, "γ^(2): full spin sector vs reduced " + d2);

            // The test is not trivial: the spatial marginal left |φ⁰⟩⟨φ⁰| (depletion by the interaction).
            double[] p0 = new double[2 * ms * ms];
            p0[0] = 1;
            assertTrue(maxDiff(g1Spat, p0) > 1e-2, "the spatial state evolved: " + maxDiff(g1Spat, p0));

            // The spatial sector may be truncated (condensate φ⁰, K ≥ N here): the same marginals.
            SpinReduction tr = new SpinReduction(new TruncatedSector(up + down, ms, new int[]{0}, up + down), up, down);
            double[] psiT = evolve(k, tr.spatialSector(), spatial, tr.initialState(), t);
            assertTrue(maxDiff(red.gamma1(g1Spat), tr.gamma1(FockObservables.gamma1(tr.spatialSector(), psiT))) <= AGREE, "truncated spatial sector, K ≥ N");
        }
    }

    /** (4.11) at k = 1, 2 against the marginals of the spin Fock state |N₁, N₂⟩ computed by FockObservables on two modes. */
    @Test
    void spinMarginalsAreProposition41() {
        SpinReduction red = new SpinReduction(2, 7, 4);
        FockBasis spin = new FockBasis(11, 2);
        double[] psi = FockStates.fock(spin, new int[]{7, 4});
        assertTrue(maxDiff(red.spinGamma1(), FockObservables.gamma1(spin, psi)) <= 1e-15);
        assertTrue(maxDiff(red.spinGamma2(), FockObservables.gamma2(spin, psi)) <= 1e-15);
        assertEquals(1, FockObservables.trace(red.spinGamma2(), 4), 1e-15, "trace 1");
    }
}
