package io.hartree.api.fragment;

import io.hartree.api.ParameterException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The k-body marginals of the ℓ-level fragmented state, of its phase-averaged product and of the
 * mixture, as weights on the common orthonormal basis {Φ_a : |a| = k} (see the package
 * documentation for the definitions): eqs. (2.8)–(2.10), (2.12)–(2.15), (2.20)–(2.21).
 *
 * <p>Accuracy. With r_a = c_a / c̃_a = Π_j Π_{i<a_j} (1 − i/N_j) / Π_{i<k} (1 − i/N), the log-ratio
 * log r_a is summed from {@code log1p} terms (each accurate to an ulp; compensated prefix sums), then c_a = c̃_a e^{log r_a}
 * and c_a − c̃_a = c̃_a expm1(log r_a): the difference of two nearly equal coefficients is formed
 * without cancellation, so N·Tr|γ_N^(k) − γ̃_N^(k)| keeps its digits at N = 10⁷. c̃_a is formed as an
 * exact integer multinomial times Π n_j^{a_j} while the multinomial is below 2⁵³ (relative error
 * a few k ulps); beyond that, in log space with Loader's saddle-point form (no overflow, no
 * large cancelling terms: relative error ~1e-14 at any k). Cost: O(ℓ k) set-up plus O(ℓ) per basis
 * element. Weights far in the tails underflow to 0 for k ≳ 10⁴; the ranks count supports
 * combinatorially, not positive doubles.
 *
 * <p>Basis order: a₁ decreasing, recursively (for ℓ = 2: index j = a₂ = 0, …, k, as in (2.8)).
 * Immutable; arrays returned are copies.
 */
public final class FragmentedMarginals {
    /** The most basis elements computed (the size is C(k + ℓ − 1, ℓ − 1)). */
    public static final int MAX_BASIS = 1_000_000;

    private final long[] occupations;
    private final long particles;
    private final int k;
    private final double[] fractions;
    private final int[][] basis;
    private final double[] fragmented;
    private final double[] phaseAveraged;
    private final double[] difference;
    private final double[] mixture;
    private final int rankFragmented;
    private final int rankPhaseAveraged;
    private final int rankMixture;

    private FragmentedMarginals(int k, long[] occupations) {
        this.k = k;
        this.occupations = occupations.clone();
        long n = 0;
        for (long nj : occupations) n = Math.addExact(n, nj);
        this.particles = n;
        int l = occupations.length;
        fractions = new double[l];
        for (int j = 0; j < l; j++) fractions[j] = (double) occupations[j] / n;

        basis = compositions(k, l);
        int size = basis.length;
        fragmented = new double[size];
        phaseAveraged = new double[size];
        difference = new double[size];
        mixture = new double[size];

        // prefix sums S_j[a] = Σ_{i<a} log1p(−i/N_j), a ≤ min(k, N_j); S[k] for the denominator C(N,k)
        double[][] s = new double[l][];
        for (int j = 0; j < l; j++) s[j] = logFallingRatio(occupations[j], (int) Math.min(k, occupations[j]));
        double sTotal = logFallingRatio(n, k)[k];

        int rf = 0, rp = 0, rm = 0;
        for (long nj : occupations) if (nj > 0) rm++;
        for (int idx = 0; idx < size; idx++) {
            int[] a = basis[idx];
            // ranks by counting supports, not positive doubles: weights underflow for k ≳ 10⁴
            boolean inSupport = true;
            for (int j = 0; j < l; j++) if (a[j] > 0 && occupations[j] == 0) inSupport = false;
            if (inSupport) rp++;
            double ct = phaseAveragedWeight(k, a, fractions);
            phaseAveraged[idx] = ct;
            boolean possible = true;
            double logRatio = -sTotal;
            for (int j = 0; j < l; j++) {
                if (a[j] > occupations[j]) { possible = false; break; }
                logRatio += s[j][a[j]];
            }
            if (possible) {
                rf++;
                fragmented[idx] = ct * Math.exp(logRatio);
                difference[idx] = ct * Math.expm1(logRatio);
            } else {
                fragmented[idx] = 0;
                difference[idx] = -ct;
            }
            for (int j = 0; j < l; j++)
                if (a[j] == k) mixture[idx] = fractions[j];
        }
        rankFragmented = rf;
        rankPhaseAveraged = rp;
        rankMixture = rm;
    }

    /**
     * The marginals of order {@code k} of the state with the given occupations N₁, …, N_ℓ.
     *
     * @throws ParameterException if ℓ < 1, some N_j < 0, N = ΣN_j < 1, k ∉ [1, N], N &gt; 2⁵³,
     *                            or the basis has more than {@link #MAX_BASIS} elements
     */
    public static FragmentedMarginals of(int k, long... occupations) {
        ParameterException.require(occupations != null && occupations.length >= 1, "--occupations", occupations == null ? "null" : Arrays.toString(occupations), "at least one level N_1[,N_2,...]");
        long n = 0;
        for (long nj : occupations) {
            ParameterException.require(nj >= 0, "--occupations", Arrays.toString(occupations), "each N_j >= 0");
            n += nj;
            ParameterException.require(n >= 0 && n <= (1L << 53), "--occupations", Arrays.toString(occupations), "total N <= 2^53");
        }
        ParameterException.require(n >= 1, "--occupations", Arrays.toString(occupations), "total N >= 1");
        ParameterException.require(k >= 1 && k <= n, "--k", k, "1 <= k <= N = " + n);
        double size = basisSize(k, occupations.length);
        ParameterException.require(size <= MAX_BASIS, "--k", k, "C(k+l-1, l-1) <= " + MAX_BASIS + " basis elements (here l = " + occupations.length + ")");
        return new FragmentedMarginals(k, occupations);
    }

    /** C(k + ℓ − 1, ℓ − 1), the number of occupation vectors a with |a| = k, as a double. */
    public static double basisSize(int k, int levels) {
        return Math.exp(logBinomial(k + levels - 1, levels - 1));
    }

    public int k() { return k; }

    public long particles() { return particles; }

    public int levels() { return occupations.length; }

    public long[] occupations() { return occupations.clone(); }

    /** n_j = N_j / N. */
    public double[] fractions() { return fractions.clone(); }

    /** Number of basis elements Φ_a. */
    public int size() { return basis.length; }

    /** The occupation vector a of basis element {@code index} (a copy). */
    public int[] occupationVector(int index) { return basis[index].clone(); }

    /** c_a = Π_j C(N_j, a_j) / C(N, k), eq. (2.8)/(2.20), in basis order. */
    public double[] fragmented() { return fragmented.clone(); }

    /** c̃_a = k!/(Π a_j!) Π n_j^{a_j}, eq. (2.9)/(2.21) (denominator N^k), in basis order. */
    public double[] phaseAveraged() { return phaseAveraged.clone(); }

    /** Weights of ρ_N^(k) (2.10): n_j on a = k e_j, zero elsewhere. */
    public double[] mixture() { return mixture.clone(); }

    /** c_a − c̃_a computed without cancellation (see the class documentation). */
    public double[] difference() { return difference.clone(); }

    /** Tr|γ_N^(k) − γ̃_N^(k)| = Σ_a |c_a − c̃_a|, eq. (2.15). Exactly 0 for k = 1. */
    public double traceDistance() {
        return sumAbs(difference);
    }

    /** N · Tr|γ_N^(k) − γ̃_N^(k)|, which tends to {@link #limitConstant()} (Proposition 2.3). */
    public double nTimesTraceDistance() {
        return particles * traceDistance();
    }

    /** Tr|γ_N^(k) − ρ_N^(k)| = Σ_a |c_a − ρ_a|: zero for k = 1, of order one for k ≥ 2 (Corollary 2.2). */
    public double traceDistanceToMixture() {
        double[] d = new double[basis.length];
        for (int i = 0; i < d.length; i++) d[i] = fragmented[i] - mixture[i];
        return sumAbs(d);
    }

    /** Tr|γ̃_N^(k) − ρ_N^(k)| = Σ_a |c̃_a − ρ_a|. */
    public double traceDistancePhaseAveragedToMixture() {
        double[] d = new double[basis.length];
        for (int i = 0; i < d.length; i++) d[i] = phaseAveraged[i] - mixture[i];
        return sumAbs(d);
    }

    /** rank γ_N^(k) = #{a : |a| = k, a_j ≤ N_j} (2.12): k + 1 for ℓ = 2 and k ≤ min(N₁, N₂). */
    public int rankFragmented() { return rankFragmented; }

    /** rank γ̃_N^(k) = C(k + ℓ' − 1, ℓ' − 1), ℓ' = #{j : N_j &gt; 0} (2.13). */
    public int rankPhaseAveraged() { return rankPhaseAveraged; }

    /** rank ρ_N^(k) = ℓ' = #{j : N_j &gt; 0} (2.14), for every k ≥ 1. */
    public int rankMixture() { return rankMixture; }

    /** c_k = lim N·Tr|γ_N^(k) − γ̃_N^(k)| at these fractions n_j (Proposition 2.3), from the stored basis and weights c̃_a. */
    public double limitConstant() {
        return limitSum(k, basis, phaseAveraged, fractions);
    }

    /**
     * c_k(n) = Σ_a c̃_a |δ_a| with Lemma 2.4's first-order coefficient c_a = c̃_a [1 + δ_a/N + O(N⁻²)],
     * δ_a = k(k−1)/2 − Σ_j a_j(a_j − 1)/(2 n_j) (terms with a_j ≤ 1 vanish): the limit of
     * N·Tr|γ_N^(k) − γ̃_N^(k)| as N → ∞ at fixed fractions n_j (Proposition 2.3); c_1 = 0.
     *
     * @param fractions n_j ≥ 0 with Σ n_j = 1 (to 1e-12)
     */
    public static double limitConstant(int k, double... fractions) {
        ParameterException.require(k >= 1, "--k", k, "k >= 1");
        double total = 0;
        for (double f : fractions) {
            ParameterException.require(f >= 0 && f <= 1, "fractions", Arrays.toString(fractions), "each n_j in [0, 1]");
            total += f;
        }
        ParameterException.require(Math.abs(total - 1) < 1e-12, "fractions", Arrays.toString(fractions), "sum 1");
        ParameterException.require(basisSize(k, fractions.length) <= MAX_BASIS, "--k", k, "C(k+l-1, l-1) <= " + MAX_BASIS);
        int[][] comps = compositions(k, fractions.length);
        double[] weights = new double[comps.length];
        for (int i = 0; i < comps.length; i++) weights[i] = phaseAveragedWeight(k, comps[i], fractions);
        return limitSum(k, comps, weights, fractions);
    }

    /** Σ_a c̃_a |δ_a| over the compositions {@code comps} with weights c̃_a, compensated (Neumaier). */
    private static double limitSum(int k, int[][] comps, double[] weights, double[] fractions) {
        double sum = 0, comp = 0;
        for (int i = 0; i < comps.length; i++) {
            double ct = weights[i];
            if (ct == 0) continue;
            double term = ct * Math.abs(firstOrder(k, comps[i], fractions));
            double t = sum + term;
            comp += Math.abs(sum) >= Math.abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
        }
        return sum + comp;
    }

    /** Writes all compositions a of k into ℓ non-negative parts, a₁ decreasing (recursively). */
    static int[][] compositions(int k, int levels) {
        List<int[]> out = new ArrayList<>();
        fill(new int[levels], 0, k, out);
        return out.toArray(new int[0][]);
    }

    private static void fill(int[] a, int pos, int remaining, List<int[]> out) {
        if (pos == a.length - 1) {
            a[pos] = remaining;
            out.add(a.clone());
            return;
        }
        for (int v = remaining; v >= 0; v--) {
            a[pos] = v;
            fill(a, pos + 1, remaining - v, out);
        }
    }

    private static double firstOrder(int k, int[] a, double[] fractions) {
        double d = 0.5 * k * (k - 1.0);
        for (int j = 0; j < a.length; j++)
            if (a[j] >= 2) d -= a[j] * (a[j] - 1.0) / (2 * fractions[j]);
        return d;
    }

    /** c̃_a = k!/Π a_j! · Π n_j^{a_j}. */
    static double phaseAveragedWeight(int k, int[] a, double[] fractions) {
        for (int j = 0; j < a.length; j++)
            if (a[j] > 0 && fractions[j] == 0) return 0;
        long multinomial = exactMultinomial(a);
        if (multinomial > 0) {
            double w = multinomial;
            double logEstimate = Math.log(w);
            for (int j = 0; j < a.length; j++) if (a[j] > 0) logEstimate += a[j] * Math.log(fractions[j]);
            if (logEstimate > -700) {
                for (int j = 0; j < a.length; j++) if (a[j] > 0) w *= Math.pow(fractions[j], a[j]);
                return w;
            }
        }
        // Loader's saddle-point form (as in R's dbinom), exact algebra given Σ a_j = k, Σ n_j = 1:
        // log c̃ = −Σ_j bd0(a_j, k n_j) + stirlerr(k) − Σ_{a_j≥1} stirlerr(a_j) + ½log(2πk) − Σ_{a_j≥1} ½log(2πa_j);
        // no term is large, so the relative error stays ~1e-14 even at k = 10⁶.
        double log = stirlingError(k) + 0.5 * Math.log(2 * Math.PI * k);
        for (int j = 0; j < a.length; j++) {
            log -= deviance(a[j], k * fractions[j]);
            if (a[j] >= 1) log -= stirlingError(a[j]) + 0.5 * Math.log(2 * Math.PI * a[j]);
        }
        return Math.exp(log);
    }

    /**
     * bd0(x, m) = x log(x/m) + m − x ≥ 0, the deviance term of Loader (2000), "Fast and accurate
     * computation of binomial probabilities": a series in v = (x − m)/(x + m) near x = m, where the
     * direct form cancels.
     */
    static double deviance(double x, double m) {
        if (x == 0) return m;
        if (Math.abs(x - m) < 0.1 * (x + m)) {
            double v = (x - m) / (x + m);
            double sum = (x - m) * v;
            double ej = 2 * x * v;
            double v2 = v * v;
            for (int j = 1; j < 1000; j++) {
                ej *= v2;
                double next = sum + ej / (2 * j + 1);
                if (next == sum) return next;
                sum = next;
            }
            return sum;
        }
        return x * Math.log(x / m) + m - x;
    }

    /** stirlerr(n) = log n! − (n log n − n + ½ log(2πn)), n ≥ 1: from the exact factorial for n ≤ 15, Stirling's series (truncation &lt; 1e-16) beyond. */
    static double stirlingError(long n) {
        if (n <= 15) return SMALL_LOG_FACTORIAL[(int) n] - (n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n));
        double inv = 1.0 / n, inv2 = inv * inv;
        return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188))));
    }

    /**
     * k!/Π a_j! as a long, or −1 if it exceeds 2⁵³ (where a double stops holding it exactly).
     * Built as Π_{j ≠ largest} C(s + a_j, a_j), starting from s = max a_j: the loop runs
     * k − max a_j ≤ 53 times whenever the result fits (the multinomial is ≥ 2^{k − max a_j}), so
     * it is cheap even at k = 10⁶.
     */
    private static long exactMultinomial(int[] a) {
        int big = 0;
        for (int j = 1; j < a.length; j++) if (a[j] > a[big]) big = j;
        long result = 1;
        int s = a[big];
        for (int j = 0; j < a.length; j++) {
            if (j == big) continue;
            for (int i = 1; i <= a[j]; i++) {
                s++;
                // result·s/i stays an integer (it is a partial product of binomials)
                long g = gcd(s, i);
                long num = s / g, den = i / g;
                long g2 = gcd(result, den);
                result /= g2;
                den /= g2;
                if (den != 1) return -1; // unreachable: den divides result since gcd(num, den) = 1
                if (result > (1L << 53) / num) return -1;
                result *= num;
            }
        }
        return result;
    }

    private static long gcd(long x, long y) {
        while (y != 0) { long t = x % y; x = y; y = t; }
        return x;
    }

    /**
     * S[a] = Σ_{i<a} log1p(−i/m) for a = 0..top, summed with Neumaier compensation so the
     * prefix sums keep ~ulp(S) accuracy at a = 10⁶.
     */
    private static double[] logFallingRatio(long m, int top) {
        double[] s = new double[top + 1];
        double sum = 0, comp = 0;
        for (int i = 0; i < top; i++) {
            double term = Math.log1p(-(double) i / m);
            double t = sum + term;
            comp += Math.abs(sum) >= Math.abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
            s[i + 1] = sum + comp;
        }
        return s;
    }

    private static final double[] SMALL_LOG_FACTORIAL = new double[21];

    static {
        long f = 1;
        for (int i = 0; i <= 20; i++) {
            if (i > 0) f *= i;
            SMALL_LOG_FACTORIAL[i] = Math.log((double) f);
        }
    }

    /** log n!: exact factorial for n ≤ 20, Stirling's series (error &lt; 1e-16 relative) beyond. */
    static double logFactorial(long n) {
        if (n <= 20) return SMALL_LOG_FACTORIAL[(int) n];
        double x = n + 1.0; // log Γ(x)
        double inv = 1 / x, inv2 = inv * inv;
        double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680))));
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
    }

    /** log C(n, m). */
    static double logBinomial(long n, long m) {
        return logFactorial(n) - logFactorial(m) - logFactorial(n - m);
    }

    /** Neumaier-compensated Σ|x_i|. */
    private static double sumAbs(double[] x) {
        double sum = 0, comp = 0;
        for (double v : x) {
            double term = Math.abs(v);
            double t = sum + term;
            comp += sum >= term ? (sum - t) + term : (term - t) + sum;
            sum = t;
        }
        return sum + comp;
    }
}
