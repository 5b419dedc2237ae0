package io.hartree.api.fock;

import io.hartree.api.ParameterException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FockHamiltonianTest {
    /** Matrix entries are sums of a few products of square roots: exact to round-off. */
    static final double EXACT = 1e-13;
    /** Expectation values of O(10²) terms of size O(10): round-off of a dense sum. */
    static final double SUM = 1e-10;

    @Test
    void ringMatchesTheIndependentlyBuiltPeerHamiltonian() {
        int m = 5, n = 6;
        double jh = 0.7, u = 1.3;
        FockBasis b = new FockBasis(n, m);
        CsrMatrix csr = FockHamiltonian.of(b, ModeIntegrals.ring(m, jh, u)).toCsr();
        List<int[]> order = new ArrayList<>();
        int[] occ = new int[m];
        for (long r = 0; r < b.dimension(); r++) { b.unrank(r, occ); order.add(occ.clone()); }
        double[] ref = TestModels.denseRing(m, n, jh, u, order);
        double[] got = csr.toDense();
        double worst = 0;
        for (int i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i] - got[i]));
        assertTrue(worst < EXACT, "ring H differs from the peer's construction by " + worst);
        assertEquals(0, csr.hermiticityDefect(), EXACT);
        assertTrue(csr.isReal());
    }

    @Test
    void csrAndMatrixFreeAgree() {
        List<Object[]> cases = List.of(
                new Object[]{"complex integrals, N=4, M=4", new FockBasis(4, 4), TestModels.randomIntegrals(4, 1, true)},
                new Object[]{"real integrals ⊗ spin, N↑=3, N↓=2", new SpinSector(3, 3, 2), TestModels.randomIntegrals(3, 2, false).withSpin()},
                new Object[]{"ring, N=9, M=6", new FockBasis(9, 6), ModeIntegrals.ring(6, 1, 2)});
        Random r = new Random(3);
        for (Object[] c : cases) {
            FockSector s = (FockSector) c[1];
            FockHamiltonian h = FockHamiltonian.of(s, (ModeIntegrals) c[2]);
            CsrMatrix csr = h.toCsr();
            FockOperator mf = h.matrixFree();
            double[] x = new double[2 * s.vectorDimension()];
            for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
            double[] y1 = new double[x.length], y2 = new double[x.length];
            csr.apply(x, y1);
            mf.apply(x, y2);
            double worst = 0, scale = 0;
            for (int i = 0; i < x.length; i++) { worst = Math.max(worst, Math.abs(y1[i] - y2[i])); scale = Math.max(scale, Math.abs(y1[i])); }
            assertTrue(worst <= EXACT * scale, c[0] + ": CSR vs matrix-free " + worst);
            assertTrue(csr.hermiticityDefect() <= EXACT * scale, c[0] + ": CSR Hermitian");
            double[] b1 = csr.spectralBounds(), b2 = mf.spectralBounds();
            assertTrue(b2[0] <= b1[0] + 1e-9 && b2[1] >= b1[1] - 1e-9, c[0] + ": matrix-free Gershgorin bounds contain the CSR ones");
        }
    }

    /**
     * The hop kernel walks rows incrementally (colex successor, prefix sums updated in place, the ↓
     * part wrapping into the next ↑ state); started at arbitrary ranks and cut into arbitrary
     * blocks it must still give CSR's product, to round-off of sums of a few hundred terms (EXACT).
     */
    @Test
    void hopKernelAgreesWithCsrAcrossArbitraryRowBlocks() {
        List<Object[]> cases = List.of(
                new Object[]{"complex integrals, N=5, M=5", new FockBasis(5, 5), TestModels.randomIntegrals(5, 11, true)},
                new Object[]{"complex integrals ⊗ spin, N↑=4, N↓=3", new SpinSector(3, 4, 3), TestModels.randomIntegrals(3, 12, true).withSpin()},
                new Object[]{"real integrals ⊗ spin, N↑=0, N↓=3", new SpinSector(2, 0, 3), TestModels.randomIntegrals(2, 13, false).withSpin()},
                new Object[]{"one mode, N=4", new FockBasis(4, 1), TestModels.randomIntegrals(1, 14, true)},
                new Object[]{"ring, N=7, M=6", new FockBasis(7, 6), ModeIntegrals.ring(6, 0.8, 1.7)});
        Random r = new Random(5);
        for (Object[] c : cases) {
            FockSector s = (FockSector) c[1];
            FockHamiltonian h = FockHamiltonian.of(s, (ModeIntegrals) c[2]);
            int n = s.vectorDimension();
            double[] x = new double[2 * n];
            for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
            double[] want = new double[x.length];
            h.toCsr().apply(x, want);
            double scale = 0;
            for (double v : want) scale = Math.max(scale, Math.abs(v));
            assertTrue(scale > 0, c[0] + ": a non-trivial product");
            FockHopKernel k = h.hopKernel();
            for (int trial = 0; trial < 6; trial++) {
                double[] got = new double[x.length];
                java.util.Arrays.fill(got, Double.NaN);
                // Blocks of 1 … 2n/3 rows (trial 0: one block of all rows).
                int r0 = 0;
                while (r0 < n) {
                    int len = trial == 0 ? n : 1 + r.nextInt(Math.max(1, 2 * n / 3));
                    int r1 = Math.min(n, r0 + len);
                    k.applyRows(r0, r1, x, got);
                    r0 = r1;
                }
                for (int i = 0; i < x.length; i++)
                    assertEquals(want[i], got[i], EXACT * scale, c[0] + ", trial " + trial + ": (Hx)[" + (i / 2) + "] " + (i % 2 == 0 ? "re" : "im"));
            }
        }
    }

    @Test
    void condensateEnergyMatchesTheMeanFieldFormula() {
        // ⟨H⟩ in (Σ c_i a_i†)^N|0⟩/√N! = N⟨c,hc⟩ + ((N−1)/2) Σ V_ijkl conj(c_i c_j) c_k c_l: checks the 1/(2N) convention.
        int m = 3, n = 7;
        ModeIntegrals mi = TestModels.randomIntegrals(m, 11, true);
        FockBasis b = new FockBasis(n, m);
        double[] c = {0.3, 0.1, -0.5, 0.4, 0.2, -0.6};
        double nn = 0;
        for (double x : c) nn += x * x;
        for (int i = 0; i < c.length; i++) c[i] /= Math.sqrt(nn);
        double[] psi = FockStates.coherent(b, c);
        double e = FockObservables.energy(FockHamiltonian.of(b, mi).toCsr(), psi);
        ModeHartree mh = new ModeHartree(mi);
        // mh.energy = ⟨c,hc⟩ + ½ΣV c̄c̄cc; split it to weight the two parts.
        double one = new ModeHartree(new ModeIntegrals(m, mi.h(), new double[mi.v().length])).energy(c);
        double two = mh.energy(c) - one;
        double expect = n * one + (n - 1) * two;
        assertEquals(expect, e, SUM * Math.abs(expect) + SUM);
    }

    @Test
    void nonHermitianIntegralsAreRefused() {
        ModeIntegrals mi = ModeIntegrals.zero(2);
        mi.h()[mi.hIndex(0, 1)] = 1;
        assertThrows(ParameterException.class, () -> FockHamiltonian.of(new FockBasis(3, 2), mi));
        ModeIntegrals v = ModeIntegrals.zero(2);
        v.v()[v.vIndex(0, 0, 1, 1)] = 1;
        assertThrows(ParameterException.class, () -> FockHamiltonian.of(new FockBasis(3, 2), v));
    }

    @Test
    void spinCouplingIntegralsAreRefusedOnASpinSector() {
        ModeIntegrals mi = ModeIntegrals.zero(4);
        mi.h()[mi.hIndex(0, 2)] = 1;
        mi.h()[mi.hIndex(2, 0)] = 1;
        assertThrows(ParameterException.class, () -> FockHamiltonian.of(new SpinSector(2, 2, 2), mi));
    }
}
