package io.hartree.cli.study;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StudiesTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void fitRecoversAnExactPowerLaw() {
        double[] x = {10, 100, 1000, 1e4}, y = new double[4];
        for (int i = 0; i < 4; i++) y[i] = 3 * Math.pow(x[i], -1.5);
        LogLogFit f = LogLogFit.fit(x, y);
        assertEquals(-1.5, f.slope(), 1e-12, "exact data: slope");
        assertEquals(3, f.prefactor(), 1e-10, "exact data: prefactor");
        assertEquals(0, f.slopeError(), 1e-12, "exact data: no residual");
        // noisy: y = x^-1 · (1 ± 0.1 alternating): SE from the residuals, computed by hand
        double[] yn = {0.11, 0.009, 0.0011, 0.00009};
        LogLogFit g = LogLogFit.fit(x, yn);
        double mx = 0, my = 0;
        for (int i = 0; i < 4; i++) { mx += Math.log(x[i]) / 4; my += Math.log(yn[i]) / 4; }
        double sxx = 0, sxy = 0;
        for (int i = 0; i < 4; i++) { sxx += Math.pow(Math.log(x[i]) - mx, 2); sxy += (Math.log(x[i]) - mx) * (Math.log(yn[i]) - my); }
        double b = sxy / sxx, a = my - b * mx, rss = 0;
        for (int i = 0; i < 4; i++) rss += Math.pow(Math.log(yn[i]) - a - b * Math.log(x[i]), 2);
        assertEquals(b, g.slope(), 1e-12);
        assertEquals(Math.sqrt(rss / 2 / sxx), g.slopeError(), 1e-12);
    }

    /**
     * The marginals study's table against exact arithmetic written here: for |N₁, N₂⟩ the k-marginal
     * and the phase-averaged product are diagonal in the same basis with hypergeometric weights
     * C(N₁, k−j)C(N₂, j)/C(N, k) and binomial weights C(k, j)n₁^{k−j}n₂^j (n₁ = N₁/N), so
     * Tr|γ_N^(k) − γ̃_N^(k)| = Σ_j |difference|, computed with 50-digit BigDecimal (no cancellation);
     * c_k = Σ_j C(k,j)n₁^{k−j}n₂^j |δ_j| (Lemma 2.4) in closed form; c_2 = 4n₁n₂ = 0.84.
     */
    @Test
    void marginalsStudyTableMatchesExactArithmetic(@TempDir Path dir) throws Exception {
        StudyResult r = new MarginalsStudy().run(new StudyContext(false, dir, QUIET, null));
        assertTrue(r.pass(), "marginals study verdict: " + r.reasons());
        ResultsJson.check(dir, r);
        for (String f : new String[]{"report.md", "marginals.csv", "distance_loglog.png", "n_times_distance.png"})
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        List<double[]> rows = csv(dir.resolve("marginals.csv"), "N,k,trace_distance,n_times_distance,c_k,abs_n_times_distance_minus_c_k");
        long[] ns = {10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000};
        assertEquals(5 * ns.length, rows.size(), "k = 1..5 at N = 10, 20, 50, ..., 1e6");
        double n1 = 0.3, n2 = 0.7;
        assertEquals(4 * n1 * n2, limitConstant(2, n1, n2), 1e-15, "c_2 = 4 n1 n2");
        for (int k = 1; k <= 5; k++) {
            double ck = limitConstant(k, n1, n2);
            double[] fx = new double[ns.length - 3], fy = new double[ns.length - 3];
            for (int i = 0; i < ns.length; i++) {
                long n = ns[i], a = Math.round(n1 * n);
                final int kf = k;
                double[] row = rows.stream().filter(x -> x[0] == n && (int) x[1] == kf).findFirst().orElseThrow(() -> new AssertionError("row N = " + n + ", k = " + kf));
                double exact = exactDistance(k, a, n - a);
                String at = "N = " + n + ", k = " + k;
                // the study's c_a − c̃_a via expm1/log1p: a few ulps per weight, k+1 weights; 1e−12 relative
                if (k == 1) assertEquals(0.0, row[2], 0.0, "c_1 = 0 exactly: " + at);
                else assertEquals(exact, row[2], 1e-12 * exact, "Tr|γ − γ̃| vs exact: " + at);
                assertEquals(n * exact, row[3], 1e-12 * Math.max(n * exact, 1e-300), "N·d: " + at);
                assertEquals(ck, row[4], 1e-14 * Math.max(ck, 1), "c_k (Lemma 2.4): " + at);
                if (i >= 3) { fx[i - 3] = n; fy[i - 3] = exact; }
            }
            if (k == 1) continue;
            // Proposition 2.3: N·d → c_k with an O(1/N) remainder: at N = 1e6 within 1e−5 relative (measured ≤ 2.3e−6 for k ≤ 5)
            assertEquals(ck, 1e6 * exactDistance(k, 300_000, 700_000), 1e-5 * ck, "N·d → c_k, k = " + k);
            // the decay exponent of the exact distances, N ≥ 100: −1 up to the O(k²/N) bias (measured −1.0007 … −1.0016)
            assertEquals(-1, LogLogFit.fit(fx, fy).slope(), 0.01, "log–log slope, k = " + k);
        }
    }

    /**
     * Corollary 2.2 at N = 1000 (N₁ = 300) against closed forms: ranks (2, 2, 2) at k = 1 and
     * (k+1, k+1, 2) for k ≥ 2; Tr|γ − γ̃| exact as above; Tr|γ − ρ| = |h_0 − n₁| + |h_k − n₂| + Σ_{0<j<k} h_j
     * (h_j hypergeometric, ρ^(k) = n₁|φ₁^{⊗k}⟩⟨·| + n₂|φ₂^{⊗k}⟩⟨·|) exact; Tr|γ̃ − ρ| = 2(1 − n₁^k − n₂^k) exactly at
     * every N; and the k = 2 table against N with the same formulas and its slope.
     */
    @Test
    void counterexamplesStudyMatchesClosedForms(@TempDir Path dir) throws Exception {
        StudyResult r = new CounterexamplesStudy().run(new StudyContext(false, dir, QUIET, null));
        assertTrue(r.pass(), "counterexamples study verdict: " + r.reasons());
        ResultsJson.check(dir, r);
        List<double[]> ranks = csv(dir.resolve("ranks.csv"), "N,k,rank_fragmented,rank_phase_averaged,rank_mixture,dist_frag_phase,dist_frag_mixture,dist_phase_mixture,predicted_dist_frag_mixture_limit");
        assertEquals(6, ranks.size(), "k = 1..6");
        for (double[] row : ranks) {
            int k = (int) row[1];
            assertEquals(1000, row[0]);
            assertArrayEquals(k == 1 ? new double[]{2, 2, 2} : new double[]{k + 1, k + 1, 2}, new double[]{row[2], row[3], row[4]}, 0.0, "ranks at k = " + k);
            checkDistances(k, 300, 700, row[5], row[6], row[7]);
            assertEquals(2 * (1 - Math.pow(0.3, k) - Math.pow(0.7, k)), row[8], 1e-15, "predicted limit, k = " + k);
        }
        List<double[]> k2 = csv(dir.resolve("distances_k2.csv"), "N,dist_frag_phase,dist_frag_mixture,dist_phase_mixture");
        assertEquals(16, k2.size(), "N = 10, 20, 50, ..., 1e6");
        double[] fx = new double[13], fy = new double[13];
        int f = 0;
        for (double[] row : k2) {
            long n = (long) row[0], a = Math.round(0.3 * n);
            checkDistances(2, a, n - a, row[1], row[2], row[3]);
            if (n >= 100) { fx[f] = n; fy[f++] = row[1]; }
        }
        assertEquals(13, f);
        assertEquals(-1, LogLogFit.fit(fx, fy).slope(), 0.01, "Tr|γ^(2) − γ̃^(2)| slope (measured −1.0007)");
    }

    /** The three distances of one (k, N₁, N₂) against exact arithmetic; 1e−12 relative (see the marginals test). */
    static void checkDistances(int k, long a, long b, double fragPhase, double fragMixture, double phaseMixture) {
        String at = "k = " + k + ", N = " + (a + b);
        double exactFP = exactDistance(k, a, b);
        if (k == 1) assertEquals(0.0, fragPhase, 0.0, at);
        else assertEquals(exactFP, fragPhase, 1e-12 * exactFP, "Tr|γ − γ̃|, " + at);
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal n1 = BigDecimal.valueOf(a).divide(BigDecimal.valueOf(a + b), mc), n2 = BigDecimal.ONE.subtract(n1);
        BigDecimal[] h = hypergeometric(k, a, b);
        BigDecimal gr = h[0].subtract(n1).abs().add(h[k].subtract(n2).abs());
        for (int j = 1; j < k; j++) gr = gr.add(h[j]);
        assertEquals(gr.doubleValue(), fragMixture, 1e-13 + 1e-12 * gr.doubleValue(), "Tr|γ − ρ|, " + at);
        double pr = 2 * (1 - Math.pow(n1.doubleValue(), k) - Math.pow(n2.doubleValue(), k));
        assertEquals(pr, phaseMixture, 1e-13, "Tr|γ̃ − ρ| = 2(1 − n₁^k − n₂^k), " + at);
    }

    /** Weights C(a, k−j)C(b, j)/C(a+b, k), j = particles in the second level, to 34 digits. */
    static BigDecimal[] hypergeometric(int k, long a, long b) {
        BigDecimal[] h = new BigDecimal[k + 1];
        BigInteger all = binomial(a + b, k);
        for (int j = 0; j <= k; j++)
            h[j] = new BigDecimal(binomial(a, k - j).multiply(binomial(b, j))).divide(new BigDecimal(all), MathContext.DECIMAL128);
        return h;
    }

    /** Σ_j |C(a, k−j)C(b, j)/C(a+b, k) − C(k, j)n₁^{k−j}n₂^j| with n₁ = a/(a+b), exactly (the n₁ powers as fractions). */
    static double exactDistance(int k, long a, long b) {
        MathContext mc = new MathContext(50);
        BigInteger n = BigInteger.valueOf(a + b), nk = n.pow(k), all = binomial(a + b, k);
        BigDecimal sum = BigDecimal.ZERO;
        for (int j = 0; j <= k; j++) {
            // hypergeometric − binomial = [C(a,k−j)C(b,j)·N^k − C(k,j)a^{k−j}b^j·C(N,k)] / (C(N,k)·N^k): one exact integer numerator
            BigInteger num = binomial(a, k - j).multiply(binomial(b, j)).multiply(nk)
                    .subtract(binomial(k, j).multiply(BigInteger.valueOf(a).pow(k - j)).multiply(BigInteger.valueOf(b).pow(j)).multiply(all));
            sum = sum.add(new BigDecimal(num.abs()).divide(new BigDecimal(all.multiply(nk)), mc));
        }
        return sum.doubleValue();
    }

    static BigInteger binomial(long n, int k) {
        if (k < 0 || k > n) return BigInteger.ZERO;
        BigInteger c = BigInteger.ONE;
        for (int i = 0; i < k; i++) c = c.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        return c;
    }

    /** c_k = Σ_j C(k,j)n₁^{k−j}n₂^j |δ_j|, δ_j = k(k−1)/2 − (k−j)(k−j−1)/(2n₁) − j(j−1)/(2n₂) (Lemma 2.4, Proposition 2.3). */
    static double limitConstant(int k, double n1, double n2) {
        double c = 0;
        for (int j = 0; j <= k; j++) {
            double delta = k * (k - 1) / 2.0 - (k - j) * (k - j - 1) / (2 * n1) - j * (j - 1) / (2 * n2);
            c += binomial(k, j).doubleValue() * Math.pow(n1, k - j) * Math.pow(n2, j) * Math.abs(delta);
        }
        return c;
    }

    /** A study CSV with the expected header, as rows of numbers. */
    static List<double[]> csv(Path file, String header) throws java.io.IOException {
        List<String> lines = Files.readAllLines(file);
        assertEquals(header, lines.getFirst(), file.getFileName().toString());
        return lines.subList(1, lines.size()).stream().map(l -> java.util.Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray()).toList();
    }
}
