package io.hartree.cpu.fock;

import io.hartree.api.fock.*;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The truncated sector through the cpu backend's Krylov path (CpuFockKernels' KrylovOps, Lanczos at
 * tolerance 1e-12 per call): with K ≥ N it is the full N-boson space in another order, so the
 * evolved γ^(1) and γ^(2) must equal those of the full {@link FockBasis} sector to 1e-10 (the
 * Krylov error 1e-12 in the state bounds the marginals' error by 2e-12), on the CSR and on the
 * matrix-free operator (the row gather).
 */
class TruncatedSectorCpuTest {
    static final double AGREE = 1e-10;

    final CpuFockKernels k = new CpuFockKernels();

    static double maxDiff(double[] a, double[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
        return w;
    }

    @Test
    void evolvedMarginalsOnTheCpuEqualTheFullSectorsWhenKAtLeastN() {
        int n = 6, m = 5;
        ModeIntegrals mi = ModeIntegrals.ring(m, 1.0, 2.5);
        double[] c = {0.6, 0.2, 0.5, -0.1, 0.3, 0.3, 0.2, 0.0, 0.1, -0.2};
        FockBasis full = new FockBasis(n, m);
        TruncatedSector s = new TruncatedSector(n, m, new int[]{0, 2}, n);
        double t = 0.9;
        double[] ref = FockStates.coherent(full, c);
        k.expmv(FockHamiltonian.of(full, mi).toCsr(), ref, t, ExpmvOptions.of(1e-12).withMethod(ExpmvOptions.Method.LANCZOS));
        double[] g1 = FockObservables.gamma1(full, ref), g2 = FockObservables.gamma2(full, ref);
        FockHamiltonian h = FockHamiltonian.of(s, mi);
        for (FockOperator op : new FockOperator[]{h.toCsr(), h.matrixFree()}) {
            double[] psi = FockStates.coherent(s, c);
            ExpmvResult r = k.expmv(op, psi, t, ExpmvOptions.of(1e-12).withMethod(ExpmvOptions.Method.LANCZOS));
            assertTrue(r.errorEstimate() <= 1e-12, "Krylov estimate " + r.errorEstimate());
            String what = op.asCsr().isPresent() ? "CSR" : "matrix-free";
            assertTrue(maxDiff(g1, FockObservables.gamma1(s, psi)) <= AGREE, what + ": γ^(1) " + maxDiff(g1, FockObservables.gamma1(s, psi)));
            assertTrue(maxDiff(g2, FockObservables.gamma2(s, psi)) <= AGREE, what + ": γ^(2) " + maxDiff(g2, FockObservables.gamma2(s, psi)));
        }
        // Not trivial: the state moved away from the coherent start.
        assertTrue(maxDiff(g1, FockObservables.gamma1(full, FockStates.coherent(full, c))) > 1e-2);
    }
}
