package io.hartree.cpu.fock;

import io.hartree.api.fock.*;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Many-body dynamics against analytic results and dense exponentials, on the CPU kernels. */
class FockDynamicsTest {
    /** Requested Krylov tolerance: tight, so that the assertions below test the method, not the tolerance. */
    static final double KRYLOV_TOL = 1e-12;
    /** The issue's Krylov-vs-dense target. */
    static final double AGREE = 1e-10;

    final CpuFockKernels k = new CpuFockKernels();

    static ExpmvOptions opts(ExpmvOptions.Method m) {
        return ExpmvOptions.of(KRYLOV_TOL).withMethod(m);
    }

    double[] evolve(FockOperator h, double[] psi, double t, ExpmvOptions.Method m) {
        double[] p = psi.clone();
        ExpmvResult r = k.expmv(h, p, t, opts(m));
        assertTrue(r.errorEstimate() <= KRYLOV_TOL, "error estimate " + r.errorEstimate() + " within tol");
        return p;
    }

    static double[] denseApply(double[] u, double[] psi, int d) {
        double[] out = new double[2 * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
            double a = u[2 * (i * d + j)], b = u[2 * (i * d + j) + 1];
            out[2 * i] += a * psi[2 * j] - b * psi[2 * j + 1];
            out[2 * i + 1] += a * psi[2 * j + 1] + b * psi[2 * j];
        }
        return out;
    }

    static double dist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }

    @Test
    void hoppingOnlyTwoModesOscillateAsCosSquared() {
        int n = 20;
        double j = 0.8;
        FockBasis b = new FockBasis(n, 2);
        FockOperator h = FockHamiltonian.of(b, ModeIntegrals.josephson(j, 0)).toCsr();
        double[] psi = FockStates.fock(b, new int[]{n, 0});
        for (ExpmvOptions.Method m : new ExpmvOptions.Method[]{ExpmvOptions.Method.LANCZOS, ExpmvOptions.Method.CHEBYSHEV})
            for (double t : new double[]{0.4, 1.3, 2.9}) {
                double[] g = FockObservables.gamma1(b, evolve(h, psi, t, m));
                double c = Math.cos(j * t);
                assertEquals(c * c, g[0], AGREE, m + ": n₁(t)/N = cos²(Jt) at t=" + t);
            }
    }

    @Test
    void interactionOnlyTwoModesCollapseAndReviveAtTwoPiNOverU() {
        // H = U/(2N) Σ n_i(n_i−1): ⟨a_1†a_0⟩ picks up e^{−i(U/N)(2n₀−N−1)t} per n₀, so γ^(1) revives exactly at
        // T = 2πN/U, and at T/2 the coherence γ_01 is (−1)^{N+1} times its initial value.
        int n = 10;
        double u = 1.0;
        FockBasis b = new FockBasis(n, 2);
        FockOperator h = FockHamiltonian.of(b, ModeIntegrals.josephson(0, u)).toCsr();
        double[] psi = FockStates.coherent(b, new double[]{Math.sqrt(0.5), 0, Math.sqrt(0.5), 0});
        double[] g0 = FockObservables.gamma1(b, psi);
        double revival = 2 * Math.PI * n / u;
        double[] gT = FockObservables.gamma1(b, evolve(h, psi, revival, ExpmvOptions.Method.LANCZOS));
        for (int i = 0; i < 8; i++) assertEquals(g0[i], gT[i], AGREE, "revival at 2πN/U, entry " + i);
        double[] gH = FockObservables.gamma1(b, evolve(h, psi, revival / 2, ExpmvOptions.Method.LANCZOS));
        double sign = (n + 1) % 2 == 0 ? 1 : -1;
        assertEquals(sign * g0[2], gH[2], AGREE, "γ_01 at πN/U");
        assertEquals(sign * g0[3], gH[3], AGREE);
        // Collapse in between: the analytic γ_01(t) = Σ_{n₀} ψ_{n₀}ψ_{n₀−1}√(n₀(N−n₀+1)) e^{−i(U/N)(2n₀−N−1)t}/N.
        double t = revival / 4;
        double[] gq = FockObservables.gamma1(b, evolve(h, psi, t, ExpmvOptions.Method.LANCZOS));
        double re = 0, im = 0;
        for (int n0 = 1; n0 <= n; n0++) {
            double amp = binomAmp(n, n0) * binomAmp(n, n0 - 1) * Math.sqrt(n0 * (n - n0 + 1.0));
            double ph = -(u / n) * (2 * n0 - n - 1) * t;
            re += amp * Math.cos(ph);
            im += amp * Math.sin(ph);
        }
        assertEquals(re / n, gq[2], AGREE, "analytic γ_01 at T/4");
        assertEquals(im / n, gq[3], AGREE);
        assertTrue(Math.hypot(gq[2], gq[3]) < 0.1 * Math.hypot(g0[2], g0[3]), "collapsed at T/4: |γ_01| = " + Math.hypot(gq[2], gq[3]));
    }

    /** √(C(N,k)/2^N): the amplitude of |k, N−k⟩ in the condensate (|0⟩ + |1⟩)/√2. */
    static double binomAmp(int n, int kk) {
        double lc = 0;
        for (int i = 1; i <= kk; i++) lc += Math.log(n - kk + i) - Math.log(i);
        return Math.exp(0.5 * (lc - n * Math.log(2)));
    }

    @Test
    void nonInteractingMarginalFollowsTheOneBodyPropagator() {
        int m = 3, n = 4;
        ModeIntegrals mi = ModeIntegrals.zero(m);
        double[] hh = CpuFockKernelsTest.randomHermitian(m, 8, false);
        System.arraycopy(hh, 0, mi.h(), 0, hh.length);
        FockBasis b = new FockBasis(n, m);
        FockOperator h = FockHamiltonian.of(b, mi).toCsr();
        Random r = new Random(2);
        double[] psi = new double[2 * b.vectorDimension()];
        for (int i = 0; i < psi.length; i++) psi[i] = r.nextGaussian();
        double nn = FockObservables.norm(psi);
        for (int i = 0; i < psi.length; i++) psi[i] /= nn;
        double t = 0.9;
        double[] g0 = FockObservables.gamma1(b, psi);
        double[] gt = FockObservables.gamma1(b, evolve(h, psi, t, ExpmvOptions.Method.LANCZOS));
        double[] u = k.expHermitian(hh, m, t);
        double[] udag = new double[u.length];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) { udag[2 * (i * m + j)] = u[2 * (j * m + i)]; udag[2 * (i * m + j) + 1] = -u[2 * (j * m + i) + 1]; }
        double[] expect = io.hartree.api.conformance.FockConformance.naiveGemm(io.hartree.api.conformance.FockConformance.naiveGemm(u, g0, m), udag, m);
        assertTrue(CpuFockKernelsTest.maxDiff(expect, gt) < AGREE, "γ(t) = e^{−iht}γ(0)e^{iht}: " + CpuFockKernelsTest.maxDiff(expect, gt));
    }

    @Test
    void krylovAgreesWithDenseExponentials() {
        List<Object[]> cases = List.of(
                new Object[]{"ring M=4 N=6", new FockBasis(6, 4), ModeIntegrals.ring(4, 1, 1)},
                new Object[]{"complex integrals M=3 N=5", new FockBasis(5, 3), randomComplexIntegrals(3)},
                new Object[]{"spin sector 2⊗spin 3+2", new SpinSector(2, 3, 2), ModeIntegrals.ring(2, 0.5, 2).withSpin()});
        Random r = new Random(4);
        for (Object[] c : cases) {
            FockSector s = (FockSector) c[1];
            CsrMatrix h = FockHamiltonian.of(s, (ModeIntegrals) c[2]).toCsr();
            int d = s.vectorDimension();
            double[] psi = new double[2 * d];
            for (int i = 0; i < psi.length; i++) psi[i] = r.nextGaussian();
            double nn = FockObservables.norm(psi);
            for (int i = 0; i < psi.length; i++) psi[i] /= nn;
            double t = 1.5;
            double[] ref = denseApply(k.expHermitian(h.toDense(), d, t), psi, d);
            for (ExpmvOptions.Method m : new ExpmvOptions.Method[]{ExpmvOptions.Method.LANCZOS, ExpmvOptions.Method.CHEBYSHEV}) {
                double e = dist(evolve(h, psi, t, m), ref);
                assertTrue(e < AGREE, c[0] + ", " + m + ": ‖Krylov − dense‖ = " + e);
            }
            // Small Krylov bases force sub-steps: the step control must keep the accuracy.
            double[] p = psi.clone();
            ExpmvResult res = k.expmv(h, p, t, opts(ExpmvOptions.Method.LANCZOS).withMaxKrylov(8));
            assertTrue(dist(p, ref) < AGREE, c[0] + ", 8 Lanczos vectors, " + res.steps() + " sub-steps: " + dist(p, ref));
        }
    }

    @Test
    void realStatesTakeTheRealKrylovPathAndAgreeWithDense() {
        // Real H and a real ψ: the Krylov vectors stay real; with 8 Lanczos vectors the first sub-step is real
        // and the rest continues on complex vectors.
        FockBasis b = new FockBasis(6, 4);
        CsrMatrix h = FockHamiltonian.of(b, ModeIntegrals.ring(4, 1, 2)).toCsr();
        double[] psi = FockStates.fock(b, new int[]{3, 3, 0, 0});
        double t = 1.3;
        int d = b.vectorDimension();
        double[] ref = denseApply(k.expHermitian(h.toDense(), d, t), psi, d);
        assertTrue(k.krylovReal(h).isPresent(), "real CSR: the real Krylov path");
        assertTrue(k.krylovReal(FockHamiltonian.of(b, randomComplexIntegrals(4)).toCsr()).isEmpty(), "complex H: no real path");
        for (ExpmvOptions.Method m : new ExpmvOptions.Method[]{ExpmvOptions.Method.LANCZOS, ExpmvOptions.Method.CHEBYSHEV})
            assertTrue(dist(evolve(h, psi, t, m), ref) < AGREE, m + " on real vectors");
        double[] p = psi.clone();
        ExpmvResult res = k.expmv(h, p, t, opts(ExpmvOptions.Method.LANCZOS).withMaxKrylov(8));
        assertTrue(res.steps() > 1, "several sub-steps");
        assertTrue(dist(p, ref) < AGREE, "real first sub-step, complex rest: " + dist(p, ref));
    }

    static ModeIntegrals randomComplexIntegrals(int m) {
        Random r = new Random(17);
        ModeIntegrals mi = ModeIntegrals.zero(m);
        double[] hh = CpuFockKernelsTest.randomHermitian(m, 17, false);
        System.arraycopy(hh, 0, mi.h(), 0, hh.length);
        // V_ijkl = conj(V_klij) and V_ijkl = V_jilk, from a random complex W.
        double[] w = new double[mi.v().length];
        for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian();
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) for (int kk = 0; kk < m; kk++) for (int l = 0; l < m; l++) {
            int[] idx = {mi.vIndex(i, j, kk, l), mi.vIndex(j, i, l, kk), mi.vIndex(kk, l, i, j), mi.vIndex(l, kk, j, i)};
            int x = idx[0];
            mi.v()[x] = 0.25 * (w[idx[0]] + w[idx[1]] + w[idx[2]] + w[idx[3]]);
            mi.v()[x + 1] = 0.25 * (w[idx[0] + 1] + w[idx[1] + 1] - w[idx[2] + 1] - w[idx[3] + 1]);
        }
        return mi;
    }

    @Test
    void propagatorsCompose() {
        FockBasis b = new FockBasis(6, 5);
        FockOperator h = FockHamiltonian.of(b, ModeIntegrals.ring(5, 1, 3)).toCsr();
        double[] psi = FockStates.fock(b, new int[]{3, 3, 0, 0, 0});
        double[] two = evolve(h, evolve(h, psi, 0.7, ExpmvOptions.Method.LANCZOS), 1.1, ExpmvOptions.Method.LANCZOS);
        double[] one = evolve(h, psi, 1.8, ExpmvOptions.Method.LANCZOS);
        assertTrue(dist(one, two) < AGREE, "U(t1)U(t2) = U(t1+t2): " + dist(one, two));
        double[] back = evolve(one, -1.8, h);
        assertTrue(dist(back, psi) < AGREE, "U(−t)U(t) = 1: " + dist(back, psi));
    }

    private double[] evolve(double[] psi, double t, FockOperator h) { return evolve(h, psi, t, ExpmvOptions.Method.LANCZOS); }

    @Test
    void normEnergyAndMarginalPropertiesAreConserved() {
        FockBasis b = new FockBasis(6, 6);
        CsrMatrix h = FockHamiltonian.of(b, ModeIntegrals.ring(6, 1, 4)).toCsr();
        double[] psi = FockStates.fock(b, new int[]{2, 2, 1, 1, 0, 0});
        double e0 = FockObservables.energy(h, psi);
        double[] p = evolve(h, psi, 4.0, ExpmvOptions.Method.LANCZOS);
        double[] bnd = h.spectralBounds();
        double scale = Math.max(Math.abs(bnd[0]), Math.abs(bnd[1]));
        assertEquals(1, FockObservables.norm(p), AGREE, "norm");
        assertEquals(e0, FockObservables.energy(h, p), AGREE * scale, "energy");
        double[] g = FockObservables.gamma1(b, p);
        assertEquals(0, FockObservables.hermiticityDefect(g, 6), 1e-14, "γ Hermitian");
        assertEquals(1, FockObservables.trace(g, 6), 1e-13, "Tr γ = 1");
        for (double x : FockObservables.naturalOccupations(g, 6)) assertTrue(x > -1e-13 && x < 1 + 1e-13, "occupation " + x);
    }

    @Test
    void ringMarginalMatchesThePeerAndAnIndependentDenseComputation() throws IOException {
        int m = 4, n = 6;
        FockBasis b = new FockBasis(n, m);
        CsrMatrix h = FockHamiltonian.of(b, ModeIntegrals.ring(m, 1, 1)).toCsr();
        double[] psi = FockStates.fock(b, new int[]{3, 3, 0, 0});
        double[] g = FockObservables.gamma1(b, evolve(h, psi, 1.0, ExpmvOptions.Method.AUTO));
        double[] peer = readPeer();
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) {
            // peer[i][j] = ⟨a_i†a_j⟩/N = our γ_ji.
            assertEquals(peer[2 * (i * m + j)], g[2 * (j * m + i)], AGREE, "Re γ vs peer (" + i + "," + j + ")");
            assertEquals(peer[2 * (i * m + j) + 1], g[2 * (j * m + i) + 1], AGREE, "Im γ vs peer (" + i + "," + j + ")");
        }
        // Independent: dense H from a recursive enumeration, eigendecomposition, and γ from explicit operators.
        List<int[]> states = new ArrayList<>();
        fill(new int[m], 0, n, states);
        int d = states.size();
        double[] hd = new double[2 * d * d];
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < d; i++) index.put(java.util.Arrays.toString(states.get(i)), i);
        for (int c = 0; c < d; c++) {
            int[] occ = states.get(c);
            for (int x : occ) hd[2 * (c * d + c)] += 1.0 / (2 * n) * x * (x - 1);
            for (int s = 0; s < m; s++) for (int dir = -1; dir <= 1; dir += 2) {
                int to = s, from = (s + dir + m) % m;
                if (occ[from] == 0) continue;
                int[] t2 = occ.clone();
                double amp = Math.sqrt(t2[from] * (t2[to] + 1.0));
                t2[from]--; t2[to]++;
                hd[2 * (index.get(java.util.Arrays.toString(t2)) * d + c)] -= amp;
            }
        }
        double[] p0 = new double[2 * d];
        p0[2 * index.get("[3, 3, 0, 0]")] = 1;
        double[] pt = denseApply(k.expHermitian(hd, d, 1.0), p0, d);
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) {
            double re = 0, im = 0;
            for (int c = 0; c < d; c++) {
                int[] occ = states.get(c);
                if (occ[i] == 0) continue;
                int[] t2 = occ.clone();
                double amp = i == j ? occ[i] : Math.sqrt(occ[i] * (occ[j] + 1.0));
                if (i != j) { t2[i]--; t2[j]++; }
                int tt = index.get(java.util.Arrays.toString(t2));
                re += amp * (pt[2 * tt] * pt[2 * c] + pt[2 * tt + 1] * pt[2 * c + 1]);
                im += amp * (pt[2 * tt] * pt[2 * c + 1] - pt[2 * tt + 1] * pt[2 * c]);
            }
            assertEquals(re / n, g[2 * (i * m + j)], AGREE, "γ vs dense (" + i + "," + j + ")");
            assertEquals(im / n, g[2 * (i * m + j) + 1], AGREE);
        }
    }

    private static void fill(int[] occ, int kk, int left, List<int[]> out) {
        if (kk == occ.length - 1) { occ[kk] = left; out.add(occ.clone()); return; }
        for (int x = 0; x <= left; x++) { occ[kk] = x; fill(occ, kk + 1, left - x, out); }
    }

    private static double[] readPeer() throws IOException {
        try (InputStream in = FockDynamicsTest.class.getResourceAsStream("/fock/peer_ring_M4_N6_t1.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Double> v = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || line.isBlank()) continue;
                for (String tok : line.trim().split("\\s+")) v.add(Double.parseDouble(tok));
            }
            double[] out = new double[v.size()];
            for (int i = 0; i < out.length; i++) out[i] = v.get(i);
            return out;
        }
    }

    @Test
    void chebyshevAndLanczosAgreeForALargeNormTimesT() {
        // ρt ≈ 560 > 400: the regime where AUTO picks Chebyshev.
        FockBasis b = new FockBasis(500, 2);
        CsrMatrix h = FockHamiltonian.of(b, ModeIntegrals.josephson(1, 1)).toCsr();
        double[] psi = FockStates.fock(b, new int[]{250, 250});
        double[] a = evolve(h, psi, 1.0, ExpmvOptions.Method.CHEBYSHEV);
        double[] l = evolve(h, psi, 1.0, ExpmvOptions.Method.LANCZOS);
        assertTrue(dist(a, l) < AGREE, "Chebyshev vs Lanczos at ρt ≈ 560: " + dist(a, l));
    }
}
