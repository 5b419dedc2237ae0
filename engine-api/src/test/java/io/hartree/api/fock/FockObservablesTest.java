package io.hartree.api.fock;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FockObservablesTest {
    /** Sums of O(dim) products of normalised amplitudes: round-off. */
    static final double TOL = 1e-12;

    @Test
    void fockStateHasDiagonalMarginals() {
        FockBasis b = new FockBasis(6, 3);
        double[] psi = FockStates.fock(b, new int[]{1, 2, 3});
        double[] g = FockObservables.gamma1(b, psi);
        double[] diag = {1 / 6.0, 2 / 6.0, 3 / 6.0};
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                assertEquals(i == j ? diag[i] : 0, g[2 * (i * 3 + j)], TOL);
                assertEquals(0, g[2 * (i * 3 + j) + 1], TOL);
            }
        double[] g2 = FockObservables.gamma2(b, psi);
        int m2 = 9;
        assertEquals(1, FockObservables.trace(g2, m2), TOL, "Tr γ^(2) = 1");
        // γ^(2)_{(ij),(ij)} = ⟨n_i n_j − δ_ij n_i⟩/(N(N−1)) for a Fock state.
        int[] n = {1, 2, 3};
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++)
            assertEquals(n[i] * (n[j] - (i == j ? 1 : 0)) / 30.0, g2[2 * ((i * 3 + j) * m2 + i * 3 + j)], TOL);
    }

    @Test
    void condensateHasRankOneMarginals() {
        FockBasis b = new FockBasis(8, 3);
        double[] c = {0.6, 0.0, 0.0, 0.48, -0.64, 0.0};
        double[] psi = FockStates.coherent(b, c);
        assertEquals(1, FockObservables.norm(psi), TOL);
        double[] g = FockObservables.gamma1(b, psi);
        double[] p = FockObservables.projector(c);
        assertEquals(0, HermitianEigen.traceDistance(g, p, 3), 1e-11, "γ^(1) = |c⟩⟨c|");
        double[] cc = new double[18];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
            cc[2 * (i * 3 + j)] = c[2 * i] * c[2 * j] - c[2 * i + 1] * c[2 * j + 1];
            cc[2 * (i * 3 + j) + 1] = c[2 * i] * c[2 * j + 1] + c[2 * i + 1] * c[2 * j];
        }
        assertEquals(0, HermitianEigen.traceDistance(FockObservables.gamma2(b, psi), FockObservables.projector(cc), 9), 1e-11, "γ^(2) = |c⊗c⟩⟨c⊗c|");
        double[] occ = FockObservables.naturalOccupations(g, 3);
        assertEquals(1, occ[0], TOL);
        assertEquals(1, FockObservables.rank(occ, 1e-8));
    }

    @Test
    void randomStateMarginalIsADensityMatrix() {
        SpinSector s = new SpinSector(3, 3, 2);
        Random r = new Random(5);
        double[] psi = new double[2 * s.vectorDimension()];
        for (int i = 0; i < psi.length; i++) psi[i] = r.nextGaussian();
        double[] g = FockObservables.gamma1(s, psi);
        assertEquals(0, FockObservables.hermiticityDefect(g, 6), TOL);
        assertEquals(1, FockObservables.trace(g, 6), TOL);
        for (double x : FockObservables.naturalOccupations(g, 6)) assertTrue(x >= -TOL && x <= 1 + TOL, "occupation " + x + " in [0, 1]");
        // Spin populations are conserved: the ↑ block has trace N↑/N.
        assertEquals(3.0 / 5, g[0] + g[2 * (6 + 1)] + g[2 * (12 + 2)], TOL);
    }

    @Test
    void fragmentedStateEqualsItsPhaseAverage() {
        SpinSector s = new SpinSector(4, 10, 10);
        double[] g = FockObservables.gamma1(s, FockStates.fragment(s));
        double[] phi0 = new double[8];
        phi0[0] = 1;
        assertEquals(0, HermitianEigen.traceDistance(g, FockObservables.phaseAveraged(phi0, 0.5, 0.5), 8), TOL);
        assertEquals(2, FockObservables.rank(FockObservables.naturalOccupations(g, 8), 1e-8), "two fragments");
    }
}
