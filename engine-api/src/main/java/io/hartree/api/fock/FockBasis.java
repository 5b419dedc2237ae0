package io.hartree.api.fock;

import io.hartree.api.ParameterException;

import java.util.Arrays;

/**
 * The N-boson sector of M modes, of dimension C(N+M−1, N), numbered by the combinatorial number
 * system. With the partial sums s_k = n_0 + … + n_k, the bar positions b_k = s_k + k
 * (k = 0 … M−2) form a strictly increasing sequence in [0, N+M−2], and
 * <pre>  rank(n) = Σ_{k=0}^{M−2} C(s_k + k, k + 1)        (colex rank of (b_0, …, b_{M−2}))</pre>
 * runs over 0 … C(N+M−1, M−1) − 1 (rank 0: all bosons in mode M−1). Ranks are {@code long}; the
 * binomial table saturates at {@code Long.MAX_VALUE} only beyond the entries a valid rank uses,
 * and the constructor refuses a dimension that does not fit in a {@code long}.
 *
 * <p>Hops: a hop adds δ_k ∈ {−2, …, 2} to s_k on at most four intervals of k, so with the prefix
 * sums P^δ_m = Σ_{k<m} [C(s_k+k+δ, k+1) − C(s_k+k, k+1)] of the current state (O(M) once per
 * state) the rank of any one- or two-particle hop costs O(1) table look-ups.
 */
public final class FockBasis implements FockSector {
    private final int n;
    private final int m;
    private final int rows;
    private final int cols;
    private final long[] binom;
    private final long dimension;

    /**
     * C(a, b) for a < rows, b < cols, row-major (index a·cols + b), by Pascal's rule, saturating
     * at Long.MAX_VALUE (a rank that large is refused by its users). Shared with {@link TruncatedSector}.
     */
    static long[] binomialTable(int rows, int cols) {
        long[] binom = new long[rows * cols];
        for (int a = 0; a < rows; a++) {
            binom[a * cols] = 1;
            for (int b = 1; b < cols && b <= a; b++) {
                long x = binom[(a - 1) * cols + b - 1], y = b <= a - 1 ? binom[(a - 1) * cols + b] : 0;
                long s = x + y;
                binom[a * cols + b] = (s < 0 || x == Long.MAX_VALUE || y == Long.MAX_VALUE) ? Long.MAX_VALUE : s;
            }
        }
        return binom;
    }

    /** @param particles N ≥ 0, @param modes M ≥ 1 */
    public FockBasis(int particles, int modes) {
        ParameterException.require(particles >= 0 && particles <= 100_000_000, "particles", particles, "0 ≤ N ≤ 1e8");
        ParameterException.require(modes >= 1 && modes <= 4096, "modes", modes, "1 ≤ M ≤ 4096");
        this.n = particles;
        this.m = modes;
        this.rows = particles + modes + 3;
        this.cols = modes + 1;
        this.binom = binomialTable(rows, cols);
        long d = binomial(particles + modes - 1, modes - 1);
        if (d == Long.MAX_VALUE)
            throw new ParameterException("sector dimension", "C(" + (particles + modes - 1) + ", " + (modes - 1) + ") does not fit in a 64-bit rank; reduce N or M");
        this.dimension = d;
    }

    /** C(a, b) from the table; 0 when a &lt; b or a &lt; 0. */
    public long binomial(int a, int b) {
        if (a < 0 || b < 0 || b > a) return 0;
        if (a >= rows || b >= cols) throw new IllegalArgumentException("binomial C(" + a + "," + b + ") outside table");
        return binom[a * cols + b];
    }

    /** The binomial table C(a, b) = table[a·cols + b] (a &lt; rows, b &lt; cols) for hop kernels; not a copy. */
    long[] binomTable() { return binom; }
    int binomRows() { return rows; }
    int binomCols() { return cols; }

    @Override public int modes() { return m; }
    @Override public int particles() { return n; }
    @Override public long dimension() { return dimension; }
    @Override public String describe() { return "N=" + n + " in M=" + m + " modes"; }

    @Override
    public boolean contains(int[] occ) {
        if (occ.length != m) return false;
        long s = 0;
        for (int x : occ) { if (x < 0) return false; s += x; }
        return s == n;
    }

    @Override
    public long rank(int[] occ) {
        long r = 0;
        int s = 0;
        for (int k = 0; k < m - 1; k++) {
            s += occ[k];
            r += binom[(s + k) * cols + k + 1];
        }
        return r;
    }

    @Override
    public void unrank(long r, int[] occ) {
        if (r < 0 || r >= dimension) throw new IllegalArgumentException("rank " + r + " outside [0, " + dimension + ")");
        int b = n + m - 2;
        int prevS = n;
        // Greedy colex decoding from the top bar down; b only decreases, so the scan is O(N + M).
        for (int k = m - 2; k >= 0; k--) {
            while (binom[b * cols + k + 1] > r) b--;
            r -= binom[b * cols + k + 1];
            int s = b - k;
            occ[k + 1] = prevS - s;
            prevS = s;
            b--;
        }
        occ[0] = prevS;
    }

    @Override
    public Cursor cursor(long r) {
        return new BasisCursor(r);
    }

    /** Cursor with the per-state prefix sums that make hop ranks O(1). */
    /**
     * Steps the occupations {@code occ[base ...]} of one component to their colex successor (the next
     * rank): the first mode k with n_{k+1} ≥ 1 collects everything below it plus one. The caller
     * knows a successor exists. Returns k (an index into {@code occ}).
     */
    static int colexNext(int[] occ, int base) {
        int sum = 0, k = base;
        while (occ[k + 1] == 0) { sum += occ[k]; occ[k] = 0; k++; }
        sum += occ[k];
        occ[k] = sum + 1;
        occ[k + 1]--;
        return k;
    }

    final class BasisCursor implements Cursor {
        final int[] occ = new int[m];
        private final int[] s = new int[m];
        // pre[(δ+2)·m + j] = P^δ_j for δ ∈ {−2, −1, 1, 2} (row δ = 0 unused).
        private final long[] pre = new long[5 * m];
        private boolean fresh;
        private long rank;
        private final int[] pm = new int[4];
        private final int[] pd = new int[4];

        BasisCursor(long r) {
            rank = r;
            unrank(r, occ);
            fresh = false;
        }

        @Override public long rank() { return rank; }
        @Override public int[] occupations() { return occ; }

        @Override
        public boolean next() {
            if (rank + 1 >= dimension) return false;
            colexNext(occ, 0);
            rank++;
            fresh = false;
            return true;
        }

        private boolean fresh2;

        /** Prefix sums for δ = ±1 (one-particle hops); the δ = ±2 rows are added on the first hop2. */
        private void prepare() {
            int acc = 0;
            for (int k = 0; k < m; k++) { acc += occ[k]; s[k] = acc; }
            long p1 = 0, m1 = 0;
            int rowP = 3 * m, rowM = m;
            pre[rowP] = 0;
            pre[rowM] = 0;
            for (int k = 0; k < m - 1; k++) {
                int a = s[k] + k;
                long c0 = binom[a * cols + k + 1];
                p1 += binom[(a + 1) * cols + k + 1] - c0;
                m1 += (a >= 1 ? binom[(a - 1) * cols + k + 1] : 0) - c0;
                pre[rowP + k + 1] = p1;
                pre[rowM + k + 1] = m1;
            }
            fresh = true;
            fresh2 = false;
        }

        private void prepare2() {
            if (!fresh) prepare();
            for (int d = -2; d <= 2; d += 4) {
                int row = (d + 2) * m;
                long p = 0;
                pre[row] = 0;
                for (int k = 0; k < m - 1; k++) {
                    int a = s[k] + k;
                    int a2 = a + d;
                    long c0 = binom[a * cols + k + 1];
                    long c1 = (a2 < 0 || a2 >= rows) ? 0 : binom[a2 * cols + k + 1];
                    p += c1 - c0;
                    pre[row + k + 1] = p;
                }
            }
            fresh2 = true;
        }

        @Override
        public long hop(int to, int from) {
            if (!fresh) prepare();
            if (to < from) return rank + pre[3 * m + from] - pre[3 * m + to];
            return rank + pre[m + to] - pre[m + from];
        }

        @Override
        public long hop2(int i, int j, int k, int l) {
            if (!fresh || !fresh2) prepare2();
            pm[0] = i; pd[0] = 1;
            pm[1] = j; pd[1] = 1;
            pm[2] = k; pd[2] = -1;
            pm[3] = l; pd[3] = -1;
            for (int a = 1; a < 4; a++) {
                int x = pm[a], y = pd[a], b = a - 1;
                while (b >= 0 && pm[b] > x) { pm[b + 1] = pm[b]; pd[b + 1] = pd[b]; b--; }
                pm[b + 1] = x; pd[b + 1] = y;
            }
            long r = rank;
            int delta = 0;
            int start = 0;
            for (int a = 0; a < 4; a++) {
                if (delta != 0) {
                    int row = (delta + 2) * m;
                    r += pre[row + pm[a]] - pre[row + start];
                }
                delta += pd[a];
                start = pm[a];
            }
            return r;
        }

        @Override
        public String toString() { return "rank " + rank + " " + Arrays.toString(occ); }
    }
}
