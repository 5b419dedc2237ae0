package io.hartree.api.fragment;

import io.hartree.api.ParameterException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.*;

class FragmentedMarginalsTest {
    /** Double rounding of c_{k,j} for k ≤ 10: a few ulps per factor, well below 1e-14 relative. */
    private static final double EXACT_REL = 1e-14;
    /** Σ_j c_{k,j} = 1: compensated sums of ≤ 11 terms, each accurate to ~1e-15. */
    private static final double SUM_TOL = 1e-14;
    /**
     * c − c̃ against exact rationals at N = 10⁷: the log1p/expm1 route keeps ~1e-12 relative
     * accuracy where naive subtraction would lose ~N·ε/|δ| ≈ 1e-9.
     */
    private static final double DIFF_REL = 1e-11;

    private static final MathContext MC = new MathContext(40);

    static BigInteger binom(long n, long m) {
        if (m < 0 || m > n) return BigInteger.ZERO;
        BigInteger r = BigInteger.ONE;
        for (long i = 0; i < m; i++) r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        return r;
    }

    /** c_{k,j} = C(N1,k−j) C(N2,j) / C(N,k) as an exact rational, to 40 digits. */
    static BigDecimal exactC(long n1, long n2, int k, int j) {
        BigInteger num = binom(n1, k - j).multiply(binom(n2, j));
        return new BigDecimal(num).divide(new BigDecimal(binom(n1 + n2, k)), MC);
    }

    /** c̃_{k,j} = C(k,j) N1^{k−j} N2^j / N^k, exact. */
    static BigDecimal exactCTilde(long n1, long n2, int k, int j) {
        BigInteger num = binom(k, j).multiply(BigInteger.valueOf(n1).pow(k - j)).multiply(BigInteger.valueOf(n2).pow(j));
        return new BigDecimal(num).divide(new BigDecimal(BigInteger.valueOf(n1 + n2).pow(k)), MC);
    }

    @Test
    void coefficientsMatchExactRationalsUpToN200() {
        int checked = 0;
        for (long n = 1; n <= 200; n += (n < 20 ? 1 : 17)) {
            for (long n1 = 0; n1 <= n; n1 += Math.max(1, n / 7)) {
                long n2 = n - n1;
                for (int k = 1; k <= Math.min(10, n); k++) {
                    FragmentedMarginals m = FragmentedMarginals.of(k, n1, n2);
                    double[] c = m.fragmented(), ct = m.phaseAveraged();
                    assertEquals(k + 1, c.length);
                    for (int j = 0; j <= k; j++) {
                        double ex = exactC(n1, n2, k, j).doubleValue();
                        double ext = exactCTilde(n1, n2, k, j).doubleValue();
                        String where = "N1=" + n1 + " N2=" + n2 + " k=" + k + " j=" + j;
                        assertEquals(ex, c[j], EXACT_REL * ex, "c_{k,j}, " + where);
                        assertEquals(ext, ct[j], EXACT_REL * ext, "c~_{k,j}, " + where);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 1000, "checked " + checked);
    }

    /** k ≥ 60: the multinomial exceeds 2⁵³ and c~ goes through the log-space (Loader) path. */
    @Test
    void logSpacePathMatchesExactRationals() {
        long n1 = 70, n2 = 130;
        for (int k = 60; k <= 90; k += 10) {
            FragmentedMarginals m = FragmentedMarginals.of(k, n1, n2);
            double[] c = m.fragmented(), ct = m.phaseAveraged();
            for (int j = 0; j <= k; j++) {
                double ex = exactC(n1, n2, k, j).doubleValue(), ext = exactCTilde(n1, n2, k, j).doubleValue();
                // 1e-13: Loader's terms are each O(1)..O(k) with ulp-level errors, k ≤ 90
                assertEquals(ext, ct[j], 1e-13 * ext, "c~ log path, k=" + k + " j=" + j);
                assertEquals(ex, c[j], 1e-13 * ex, "c log path, k=" + k + " j=" + j);
            }
        }
    }

    @Test
    void coefficientsSumToOne() {
        long[][] cases = {{3, 5}, {50, 150}, {300_000, 700_000}, {3_000_000, 7_000_000}, {1, 0}, {4, 4}};
        for (long[] occ : cases)
            for (int k = 1; k <= Math.min(12, occ[0] + occ[1]); k++) {
                FragmentedMarginals m = FragmentedMarginals.of(k, occ);
                double s = 0, st = 0;
                for (double x : m.fragmented()) s += x;
                for (double x : m.phaseAveraged()) st += x;
                assertEquals(1, s, SUM_TOL, "sum c, occ " + occ[0] + "," + occ[1] + " k=" + k);
                assertEquals(1, st, SUM_TOL, "sum c~, occ " + occ[0] + "," + occ[1] + " k=" + k);
            }
        FragmentedMarginals m3 = FragmentedMarginals.of(6, 2_000_000, 3_000_000, 5_000_000);
        double s = 0;
        for (double x : m3.fragmented()) s += x;
        assertEquals(1, s, SUM_TOL, "three levels, N = 1e7, k = 6");
        assertEquals(28, m3.size(), "C(8,2) compositions");
    }

    @Test
    void differenceIsAccurateAtTenMillion() {
        long n1 = 3_000_000, n2 = 7_000_000;
        for (int k = 2; k <= 6; k++) {
            FragmentedMarginals m = FragmentedMarginals.of(k, n1, n2);
            double[] diff = m.difference();
            for (int j = 0; j <= k; j++) {
                double ex = exactC(n1, n2, k, j).subtract(exactCTilde(n1, n2, k, j)).doubleValue();
                assertEquals(ex, diff[j], DIFF_REL * Math.abs(ex), "c - c~ at N=1e7, k=" + k + " j=" + j);
            }
        }
    }

    @Test
    void oneBodyMarginalsCoincideExactly() {
        for (long n = 1; n <= 10_000_000; n *= 7)
            for (long n1 : new long[]{0, 1, n / 3, n / 2, n}) {
                FragmentedMarginals m = FragmentedMarginals.of(1, n1, n - n1);
                assertEquals(0.0, m.traceDistance(), "Tr|γ^(1) − γ~^(1)| must be exactly 0, N=" + n + " N1=" + n1);
                assertEquals(0.0, m.traceDistanceToMixture(), 2e-16, "Tr|γ^(1) − ρ^(1)|, N=" + n + " N1=" + n1);
            }
        assertEquals(0.0, FragmentedMarginals.limitConstant(1, 0.3, 0.7), "c_1 = 0 exactly");
    }

    /** Lemma 2.4, computed here independently: c_k = Σ_j C(k,j) n1^{k−j} n2^j |δ_j|. */
    static double lemma24Limit(int k, double n1, double n2) {
        double s = 0;
        for (int j = 0; j <= k; j++) {
            double binom = binom(k, j).doubleValue();
            double ct = binom * Math.pow(n1, k - j) * Math.pow(n2, j);
            double delta = k * (k - 1) / 2.0 - (k - j) * (k - j - 1) / (2 * n1) - j * (j - 1) / (2 * n2);
            s += ct * Math.abs(delta);
        }
        return s;
    }

    @Test
    void nTimesDistanceConvergesToLemma24Limit() {
        double n1f = 0.3;
        for (int k = 2; k <= 5; k++) {
            double limit = lemma24Limit(k, n1f, 1 - n1f);
            assertEquals(limit, FragmentedMarginals.limitConstant(k, n1f, 1 - n1f), 1e-13 * limit, "limitConstant k=" + k);
            double prevErr = Double.NaN;
            for (long n = 1000; n <= 10_000_000; n *= 10) {
                FragmentedMarginals m = FragmentedMarginals.of(k, Math.round(n1f * n), n - Math.round(n1f * n));
                double err = Math.abs(m.nTimesTraceDistance() - limit);
                // the remainder is O(1/N): relative error below k⁴/N
                assertTrue(err < Math.pow(k, 4) / n * limit, "k=" + k + " N=" + n + ": |N·d − c_k| = " + err);
                if (!Double.isNaN(prevErr) && n <= 1_000_000)
                    assertEquals(10, prevErr / err, 1.5, "O(1/N) remainder: error ratio when N grows ×10, k=" + k + " N=" + n);
                prevErr = err;
            }
        }
    }

    @Test
    void threeLevelLimitMatchesFirstOrderExpansion() {
        double[] f = {0.2, 0.3, 0.5};
        int k = 4;
        // independent: Σ over a of multinomial · Π n^a · |k(k−1)/2 − Σ a(a−1)/(2n)|
        double expect = 0;
        for (int a1 = 0; a1 <= k; a1++)
            for (int a2 = 0; a1 + a2 <= k; a2++) {
                int a3 = k - a1 - a2;
                double mult = 24.0 / (fact(a1) * fact(a2) * fact(a3));
                double ct = mult * Math.pow(f[0], a1) * Math.pow(f[1], a2) * Math.pow(f[2], a3);
                double delta = 6 - a1 * (a1 - 1) / (2 * f[0]) - a2 * (a2 - 1) / (2 * f[1]) - a3 * (a3 - 1) / (2 * f[2]);
                expect += ct * Math.abs(delta);
            }
        FragmentedMarginals m = FragmentedMarginals.of(k, 2_000_000, 3_000_000, 5_000_000);
        assertEquals(expect, m.limitConstant(), 1e-13 * expect, "ℓ=3 limit constant");
        assertEquals(expect, m.nTimesTraceDistance(), 1e-4 * expect, "ℓ=3, N = 1e7: N·d within O(1/N) of c_k");
    }

    private static double fact(int n) { double r = 1; for (int i = 2; i <= n; i++) r *= i; return r; }

    @Test
    void ranksFollowTheCounting() {
        FragmentedMarginals m = FragmentedMarginals.of(4, 10, 20);
        assertEquals(5, m.rankFragmented());
        assertEquals(5, m.rankPhaseAveraged());
        assertEquals(2, m.rankMixture());
        // N2 = 2 < k = 4: j runs 0..2 only
        FragmentedMarginals few = FragmentedMarginals.of(4, 10, 2);
        assertEquals(3, few.rankFragmented());
        assertEquals(5, few.rankPhaseAveraged());
        FragmentedMarginals three = FragmentedMarginals.of(3, 5, 5, 5);
        assertEquals(10, three.rankFragmented(), "C(5,2)");
        assertEquals(3, three.rankMixture());
        // mixture at k ≥ 2 differs by O(1): Tr|γ^(2) − ρ^(2)| = 2·c_{2,1} = 4 n1 n2 N/(N−1)
        FragmentedMarginals two = FragmentedMarginals.of(2, 50, 50);
        assertEquals(4 * 0.25 * 100 / 99.0, two.traceDistanceToMixture(), 1e-14);
    }

    /** Large k: weights far in the tails underflow, yet ranks count supports; the sums stay 1. */
    @Test
    void largeKRanksAndSums() {
        FragmentedMarginals m = FragmentedMarginals.of(20_000, 3_000_000, 7_000_000);
        assertEquals(20_001, m.rankFragmented());
        assertEquals(20_001, m.rankPhaseAveraged());
        assertEquals(2, m.rankMixture());
        double s = 0, st = 0;
        for (double x : m.fragmented()) s += x;
        for (double x : m.phaseAveraged()) st += x;
        // Loader's form keeps each c~ to ~1e-14 relative; 2e4 terms summed
        assertEquals(1, s, 1e-12, "sum c at k = 2e4");
        assertEquals(1, st, 1e-12, "sum c~ at k = 2e4");
    }

    @Test
    void badInputNamesTheParameter() {
        ParameterException e = assertThrows(ParameterException.class, () -> FragmentedMarginals.of(0, 3, 4));
        assertEquals("--k", e.parameter());
        e = assertThrows(ParameterException.class, () -> FragmentedMarginals.of(8, 3, 4));
        assertEquals("--k", e.parameter());
        e = assertThrows(ParameterException.class, () -> FragmentedMarginals.of(1, -3, 4));
        assertEquals("--occupations", e.parameter());
    }

    @Test
    void logFactorialMatchesExactValues() {
        for (int n : new int[]{21, 25, 50, 100, 170}) {
            BigInteger f = BigInteger.ONE;
            for (int i = 2; i <= n; i++) f = f.multiply(BigInteger.valueOf(i));
            double exact = Math.log(new BigDecimal(f).doubleValue());
            // log n! ~ 700 at n = 170: 4 ulps of that
            assertEquals(exact, FragmentedMarginals.logFactorial(n), 4 * Math.ulp(exact), "log " + n + "!");
        }
    }
}
