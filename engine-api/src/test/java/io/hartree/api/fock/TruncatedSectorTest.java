package io.hartree.api.fock;

import io.hartree.api.BackendSession;
import io.hartree.api.FockKernels;
import io.hartree.api.ParameterException;
import io.hartree.api.SessionOptions;
import io.hartree.api.conformance.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The number-conserving truncated sector: its ranking against an independent enumeration, its H
 * against the full sector's H (equal up to the permutation of the ranking when K ≥ N, the
 * compression P H P when K &lt; N), its evolved marginals against the full sector's, the ground
 * energy converging in K to exact diagonalisation, and N = 10³ against Bogoliubov theory.
 */
class TruncatedSectorTest {
    /** Matrix entries are sums of a few products of square roots and the integrals: round-off. */
    static final double EXACT = 1e-13;
    /** The target for evolved marginals (dense exponentials of a ~100-dimensional H: round-off ~1e-13). */
    static final double AGREE = 1e-10;

    /** All states of the truncated sector by filtering {@link TestModels#states} (no ranking involved). */
    static List<int[]> truncatedStates(int n, int m, int[] cond, int k) {
        Set<Integer> c = new HashSet<>();
        for (int x : cond) c.add(x);
        return TestModels.states(n, m).stream().filter(o -> {
            int j = 0;
            for (int i = 0; i < m; i++) if (!c.contains(i)) j += o[i];
            return j <= k;
        }).toList();
    }

    @Test
    void rankingIsABijectionOntoTheIndependentlyEnumeratedStatesAndTheCursorWalksItInOrder() {
        int[][] cases = {{7, 5, 2}, {7, 5, 0}, {4, 4, 9}, {9, 3, 4}, {0, 3, 2}};
        int[][] conds = {{0}, {1, 3}, {0, 2}, {2}, {0}};
        for (int t = 0; t < cases.length; t++) {
            int n = cases[t][0], m = cases[t][1], k = cases[t][2];
            TruncatedSector s = new TruncatedSector(n, m, conds[t], k);
            List<int[]> all = truncatedStates(n, m, conds[t], k);
            String what = s.describe();
            assertEquals(all.size(), s.dimension(), what + ": dimension against enumeration");
            assertEquals(s.dimension(), TruncatedSector.dimension(n, m, conds[t].length, k), what + ": closed-form dimension");
            boolean[] seen = new boolean[all.size()];
            for (int[] occ : all) {
                assertTrue(s.contains(occ));
                long r = s.rank(occ);
                assertTrue(r >= 0 && r < all.size() && !seen[(int) r], what + ": rank " + r + " of " + Arrays.toString(occ));
                seen[(int) r] = true;
                int[] back = new int[m];
                s.unrank(r, back);
                assertArrayEquals(occ, back, what + ": unrank(rank)");
            }
            FockSector.Cursor cur = s.cursor(0);
            int[] u = new int[m];
            for (long r = 0; r < s.dimension(); r++) {
                s.unrank(r, u);
                assertArrayEquals(u, cur.occupations(), what + ": cursor at " + r);
                assertEquals(r, cur.rank());
                assertEquals(r + 1 < s.dimension(), cur.next());
            }
        }
        // ℓ = 1: C(K + M − 1, K) states for every N ≥ K; ℓ = 2 grows linearly in N.
        assertEquals(56, new TruncatedSector(1000, 6, new int[]{0}, 3).dimension());
        assertEquals(56, new TruncatedSector(100_000, 6, new int[]{0}, 3).dimension());
        long d1 = new TruncatedSector(1000, 6, new int[]{0, 1}, 3).dimension(), d2 = new TruncatedSector(2000, 6, new int[]{0, 1}, 3).dimension();
        assertEquals(35 * 1001 - (4 * 1 + 10 * 2 + 20 * 3), d1, "Σ_j C(j+3, 3)(N − j + 1)");
        assertEquals(2.0, (double) d2 / d1, 2e-3, "ℓ = 2: dimension ∝ N");
    }

    @Test
    void badInputNamesTheParameter() {
        ParameterException e = assertThrows(ParameterException.class, () -> new TruncatedSector(5, 4, new int[]{0, 1, 2, 3}, 2));
        assertTrue(e.getMessage().contains("--condensate-modes"), e.getMessage());
        e = assertThrows(ParameterException.class, () -> new TruncatedSector(5, 4, new int[]{0}, -1));
        assertTrue(e.getMessage().contains("--truncate"), e.getMessage());
        e = assertThrows(ParameterException.class, () -> new TruncatedSector(5, 4, new int[]{1, 1}, 2));
        assertTrue(e.getMessage().contains("--condensate-modes"), e.getMessage());
    }

    /** max |T_rc − F_{p(r)p(c)}| with p the full basis' rank of the truncated state r. */
    static double compressionDefect(TruncatedSector s, FockBasis full, ModeIntegrals mi) {
        int d = s.vectorDimension(), f = full.vectorDimension();
        double[] t = FockHamiltonian.of(s, mi).toCsr().toDense(), h = FockHamiltonian.of(full, mi).toCsr().toDense();
        int[] p = new int[d], occ = new int[s.modes()];
        for (int r = 0; r < d; r++) { s.unrank(r, occ); p[r] = (int) full.rank(occ); }
        double w = 0;
        for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++) {
                int a = 2 * (r * d + c), b = 2 * (p[r] * f + p[c]);
                w = Math.max(w, Math.max(Math.abs(t[a] - h[b]), Math.abs(t[a + 1] - h[b + 1])));
            }
        return w;
    }

    @Test
    void withKAtLeastNItIsTheFullSectorAndBelowItTheCompressionOfH() {
        ModeIntegrals mi = TestModels.randomIntegrals(4, 21, true);
        FockBasis full = new FockBasis(5, 4);
        for (int[] cond : new int[][]{{0}, {1, 3}, {0, 1, 2}}) {
            TruncatedSector complete = new TruncatedSector(5, 4, cond, 5);
            assertEquals(full.dimension(), complete.dimension(), "K ≥ N: the full dimension");
            assertTrue(compressionDefect(complete, full, mi) <= EXACT * 10, "K ≥ N: H equals the full H permuted, ℓ = " + cond.length);
            for (int k = 0; k < 5; k++) {
                TruncatedSector s = new TruncatedSector(5, 4, cond, k);
                assertTrue(compressionDefect(s, full, mi) <= EXACT * 10, "K = " + k + ": H = P H_full P");
                assertTrue(FockHamiltonian.of(s, mi).describe().contains("dropped"), "the operator says that terms are dropped");
            }
        }
        assertFalse(FockHamiltonian.of(new TruncatedSector(5, 4, new int[]{0}, 5), mi).describe().contains("dropped"), "nothing dropped at K ≥ N");
    }

    @Test
    void matrixFreeEqualsCsrAndObservablesMatchTheFullSector() {
        Random rnd = new Random(8);
        ModeIntegrals mi = TestModels.randomIntegrals(5, 22, true);
        TruncatedSector s = new TruncatedSector(9, 5, new int[]{0, 3}, 3);
        FockHamiltonian h = FockHamiltonian.of(s, mi);
        CsrMatrix csr = h.toCsr();
        FockOperator mf = h.matrixFree();
        double[] x = new double[2 * s.vectorDimension()];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        double[] y1 = new double[x.length], y2 = new double[x.length];
        csr.apply(x, y1);
        mf.apply(x, y2);
        double worst = 0, scale = 0;
        for (int i = 0; i < x.length; i++) { worst = Math.max(worst, Math.abs(y1[i] - y2[i])); scale = Math.max(scale, Math.abs(y1[i])); }
        assertTrue(worst <= EXACT * scale, "CSR vs matrix-free: " + worst);
        double[] b1 = csr.spectralBounds(), b2 = mf.spectralBounds();
        assertTrue(b2[0] <= b1[0] + 1e-9 && b2[1] >= b1[1] - 1e-9, "matrix-free Gershgorin bounds contain the CSR ones (duplicates are not merged)");

        // γ^(1), γ^(2) of a random state of the truncated space, embedded into the full sector (same amplitudes on the same occupations).
        FockBasis full = new FockBasis(9, 5);
        double[] z = new double[2 * full.vectorDimension()];
        int[] occ = new int[5];
        for (int r = 0; r < s.vectorDimension(); r++) {
            s.unrank(r, occ);
            int p = (int) full.rank(occ);
            z[2 * p] = x[2 * r];
            z[2 * p + 1] = x[2 * r + 1];
        }
        assertTrue(maxDiff(FockObservables.gamma1(s, x), FockObservables.gamma1(full, z)) <= EXACT, "γ^(1) on the truncated sector = on the full sector");
        assertTrue(maxDiff(FockObservables.gamma2(s, x), FockObservables.gamma2(full, z)) <= EXACT, "γ^(2) on the truncated sector = on the full sector");
    }

    static double maxDiff(double[] a, double[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
        return w;
    }

    /**
     * K ≥ N: the same coherent state evolved on both sectors (dense exponentials of the reference
     * backend) gives the same γ^(1) and γ^(2) to 1e-10, with complex integrals and ℓ = 2.
     */
    @Test
    void evolvedMarginalsEqualTheFullSectorsWhenKAtLeastN() {
        ModeIntegrals mi = TestModels.randomIntegrals(4, 23, true);
        int n = 5;
        FockBasis full = new FockBasis(n, 4);
        TruncatedSector s = new TruncatedSector(n, 4, new int[]{1, 2}, n);
        double[] c = {0.5, 0.1, 0.6, -0.2, 0.3, 0.3, 0.2, 0.1};
        try (BackendSession session = new ReferenceBackend().open(SessionOptions.defaults())) {
            FockKernels k = session.fock();
            double[][] g = new double[2][], g2 = new double[2][];
            FockSector[] sectors = {full, s};
            for (int a = 0; a < 2; a++) {
                CsrMatrix h = FockHamiltonian.of(sectors[a], mi).toCsr();
                try (FockEvolution ev = new FockEvolution(k, h, FockStates.coherent(sectors[a], c), FockEvolution.Method.DENSE, 1e-12)) {
                    ev.advance(0.7);
                    g[a] = FockObservables.gamma1(sectors[a], ev.state());
                    g2[a] = FockObservables.gamma2(sectors[a], ev.state());
                }
            }
            double d1 = maxDiff(g[0], g[1]), d2 = maxDiff(g2[0], g2[1]);
            assertTrue(d1 <= AGREE, "γ^(1): truncated (K ≥ N) vs full " + d1);
            assertTrue(d2 <= AGREE, "γ^(2): truncated (K ≥ N) vs full " + d2);
            // The evolution moved the state: γ^(1)(0.7) differs from γ^(1)(0) by far more than the tolerance.
            assertTrue(maxDiff(g[0], FockObservables.gamma1(full, FockStates.coherent(full, c))) > 1e-2, "the state evolved");
        }
    }

    /** Lowest eigenvalue of a Hermitian operator by Lanczos with full reorthogonalisation (converged to round-off for these dimensions). */
    static double groundEnergy(FockOperator h, int maxIter) {
        int n = h.dimension();
        int kmax = Math.min(maxIter, n);
        double[][] v = new double[kmax + 1][];
        double[] alpha = new double[kmax], beta = new double[kmax];
        Random r = new Random(1);
        double[] q = new double[2 * n];
        for (int i = 0; i < q.length; i++) q[i] = r.nextGaussian();
        scale(q, 1 / Math.sqrt(dot(q, q)));
        v[0] = q;
        double prev = Double.NaN, e = Double.NaN;
        int steps = 0;
        for (int j = 0; j < kmax; j++) {
            double[] w = new double[2 * n];
            h.apply(v[j], w);
            alpha[j] = dot(v[j], w);
            for (int pass = 0; pass < 2; pass++)
                for (int i = 0; i <= j; i++) {
                    double re = 0, im = 0; // ⟨v_i, w⟩
                    for (int a = 0; a < n; a++) {
                        re += v[i][2 * a] * w[2 * a] + v[i][2 * a + 1] * w[2 * a + 1];
                        im += v[i][2 * a] * w[2 * a + 1] - v[i][2 * a + 1] * w[2 * a];
                    }
                    for (int a = 0; a < n; a++) {
                        w[2 * a] -= re * v[i][2 * a] - im * v[i][2 * a + 1];
                        w[2 * a + 1] -= re * v[i][2 * a + 1] + im * v[i][2 * a];
                    }
                }
            steps = j + 1;
            double[] t = new double[steps * steps];
            for (int a = 0; a < steps; a++) {
                t[a * steps + a] = alpha[a];
                if (a + 1 < steps) { t[a * steps + a + 1] = beta[a]; t[(a + 1) * steps + a] = beta[a]; }
            }
            e = HermitianEigen.symmetricEigenvalues(t, steps, null)[0];
            double b = Math.sqrt(dot(w, w));
            if (b < 1e-12 || Math.abs(e - prev) < 1e-13 * Math.max(1, Math.abs(e))) break;
            prev = e;
            beta[j] = b;
            scale(w, 1 / b);
            v[j + 1] = w;
        }
        return e;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static void scale(double[] a, double f) {
        for (int i = 0; i < a.length; i++) a[i] *= f;
    }

    /**
     * Bose–Hubbard ring in its momentum (Bloch) modes χ_k = e^{2πikx/M}/√M: h_kk = −2J cos(2πk/M),
     * V_{k1k2k3k4} = (U/M) δ(k1 + k2 ≡ k3 + k4 mod M) (the site basis' V_iiii = U transformed).
     * For J &gt; 0 the condensate is k = 0.
     */
    static ModeIntegrals momentumRing(int m, double j, double u) {
        ModeIntegrals mi = ModeIntegrals.zero(m);
        for (int k = 0; k < m; k++) mi.h()[mi.hIndex(k, k)] = -2 * j * Math.cos(2 * Math.PI * k / m);
        for (int a = 0; a < m; a++) for (int b = 0; b < m; b++) for (int c = 0; c < m; c++) for (int d = 0; d < m; d++)
            if (Math.floorMod(a + b - c - d, m) == 0) mi.v()[mi.vIndex(a, b, c, d)] = u / m;
        return mi;
    }

    /**
     * Convergence in K at fixed N: a three-mode problem (momentum ring M = 3, strongly interacting
     * so that the depletion is large) and a two-mode Josephson problem; E_0(K) against exact
     * diagonalisation of the full sector (dense Jacobi). E_0(K) ≥ E_0 (Cauchy interlacing of the
     * compression), decreases monotonically in K, and equals it at K = N to round-off (1e-10 of |E|).
     */
    @Test
    void groundEnergyConvergesInKToExactDiagonalisationOfTheFullSector() {
        Object[][] cases = {{"three modes (momentum ring M=3, J=1, U=6), N=12", 12, momentumRing(3, 1, 6)},
                {"two modes (Josephson J=1, U=3, in the symmetric/antisymmetric modes), N=20", 20, momentumRing(2, 0.5, 3)}};
        for (Object[] c : cases) {
            int n = (Integer) c[1];
            ModeIntegrals mi = (ModeIntegrals) c[2];
            FockBasis full = new FockBasis(n, mi.modes());
            double exact = HermitianEigen.eigenvalues(FockHamiltonian.of(full, mi).toCsr().toDense(), full.vectorDimension())[0];
            double[] err = new double[n + 1];
            for (int k = 0; k <= n; k++) {
                TruncatedSector s = new TruncatedSector(n, mi.modes(), new int[]{0}, k);
                double ek = HermitianEigen.eigenvalues(FockHamiltonian.of(s, mi).toCsr().toDense(), s.vectorDimension())[0];
                err[k] = ek - exact;
                assertTrue(err[k] >= -1e-10 * Math.abs(exact), c[0] + ": E_0(K=" + k + ") ≥ E_0 (interlacing), got " + err[k]);
                if (k > 0) assertTrue(err[k] <= err[k - 1] + 1e-10 * Math.abs(exact), c[0] + ": monotone in K at K=" + k);
            }
            assertEquals(0, err[n], 1e-10 * Math.abs(exact), c[0] + ": K = N is the full sector");
            assertTrue(err[0] > 1e-2, c[0] + ": K = 0 (the bare condensate) is far off: " + err[0]);
            // Geometric convergence: each two further bosons allowed out cut the error by at least 3 until round-off.
            for (int k = 2; k <= n && err[k] > 1e-9; k += 2)
                assertTrue(err[k] <= err[k - 2] / 3, c[0] + ": error at K=" + k + " " + err[k] + " vs K=" + (k - 2) + " " + err[k - 2]);
        }
    }

    /**
     * N = 10³ bosons in M = 6 momentum modes of a Bose–Hubbard ring (J = 1, U = 1.5, g = U/M = 1/4),
     * K = 3: dimension C(8, 3) = 56. Bogoliubov theory (derived in docs/fock.md):
     * E_B = Nε_0 + g(N − 1)/2 + ½ Σ_{k≠0} (E_k − e_k − g), e_k = ε_k − ε_0, E_k = √(e_k² + 2g e_k),
     * with corrections O(1/N). Bounds: K = 3 keeps one Bogoliubov pair and drops the two-pair
     * states; they would lower E by about (one pair's lowering, E(K=1) − E(K=2) ≈ 0.038) times the
     * pair weight 2(v₁/u₁)² ≈ 0.02 (v₁/u₁ = 0.10 for the k = ±1 modes), ≈ 8·10⁻⁴: the bound is
     * 2·10⁻³. K = 9 (dimension 2002) keeps four pairs: its distance to E_B is the 1/N error of
     * Bogoliubov theory, bound 10⁻⁴ (g²/N-sized terms, ~6·10⁻⁵). A wrong coupling (g doubled in E_B)
     * moves E_B by 0.13 and fails both.
     */
    @Test
    void thousandBosonsInSixModesMatchBogoliubovTheory() {
        long t0 = System.nanoTime();
        int n = 1000, m = 6;
        double j = 1, u = 1.5, g = u / m;
        ModeIntegrals mi = momentumRing(m, j, u);
        TruncatedSector s3 = new TruncatedSector(n, m, new int[]{0}, 3);
        assertEquals(56, s3.dimension());
        double e3 = groundEnergy(FockHamiltonian.of(s3, mi).toCsr(), 200);
        double seconds = (System.nanoTime() - t0) / 1e9;
        TruncatedSector s9 = new TruncatedSector(n, m, new int[]{0}, 9);
        assertEquals(2002, s9.dimension());
        double e9 = groundEnergy(FockHamiltonian.of(s9, mi).toCsr(), 300);
        double eps0 = -2 * j, bog = n * eps0 + g * (n - 1) / 2.0;
        for (int k = 1; k < m; k++) {
            double e = -2 * j * Math.cos(2 * Math.PI * k / m) - eps0;
            bog += 0.5 * (Math.sqrt(e * e + 2 * g * e) - e - g);
        }
        System.out.printf("N=1000 M=6: E(K=3) = %.10f, E(K=9) = %.10f, Bogoliubov %.10f, K=3 in %.2f s%n", e3, e9, bog, seconds);
        assertTrue(e3 >= e9 - 1e-9, "interlacing: E(K=3) ≥ E(K=9)");
        assertEquals(bog, e3, 2e-3, "K = 3 against Bogoliubov");
        assertEquals(bog, e9, 1e-4, "K = 9 against Bogoliubov");
        assertTrue(seconds < 5, "N = 10³, M = 6 in " + seconds + " s");
    }
}
