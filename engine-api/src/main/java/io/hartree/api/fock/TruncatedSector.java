package io.hartree.api.fock;

import io.hartree.api.ParameterException;

import java.util.Arrays;

/**
 * The number-conserving truncated sector: N bosons in M modes, of which ℓ are "condensate" modes
 * (macroscopically occupied: ℓ = 1 for a condensate, 2 for two-level data) and at most K bosons
 * occupy the other M − ℓ ("excited") modes. With j = the number of excited bosons (0 ≤ j ≤
 * K' = min(K, N)), a state is a pair (o, c): o the occupations of the excited modes (sum j), c
 * those of the condensate modes (sum N − j), and
 * <pre>  rank(n) = off_j + rank_{M−ℓ}(o) · D_c(N − j) + rank_ℓ(c),
 *   off_j = Σ_{j'&lt;j} D_o(j') · D_c(N − j'),  D_o(j) = C(j + M − ℓ − 1, j),  D_c(r) = C(r + ℓ − 1, ℓ − 1),</pre>
 * where rank_k is {@link FockBasis}'s combinatorial number system (colex rank of the bar
 * positions) on the k modes of one group, in increasing mode order. The dimension
 * Σ_{j ≤ K'} D_o(j) D_c(N − j) grows like N^{ℓ−1} · C(K + M − ℓ, K) (exactly C(K + M − 1, K) for
 * ℓ = 1, independent of N); with K ≥ N it is the full sector C(N + M − 1, N), in a different order.
 *
 * <p>Hops that would put more than K bosons into the excited modes leave the sector
 * ({@link Cursor#hop} returns −1): {@link FockHamiltonian} on this sector drops them, i.e. it is
 * the compression P H P of H onto the truncated space (Hermitian; its spectrum interlaces H's,
 * so the ground energy converges from above as K grows). Hop ranks cost O(M) here (the full
 * sectors do them in O(1)); the cuda matrix-free hop kernel does not know this sector (its CSR
 * path does).
 */
public final class TruncatedSector implements FockSector {
    private final int n, m, ell, cap, k;
    private final int mo;
    /** condensate modes (ascending), excited modes (ascending); group[mode] = 0 excited, 1 condensate. */
    private final int[] cond, outer, group;
    private final int rows, cols;
    private final long[] binom;
    private final long[] off, dimO, dimC;
    private final long dimension;

    /**
     * @param particles N ≥ 0
     * @param modes M ≥ 2
     * @param condensate the ℓ condensate modes (distinct, 1 ≤ ℓ ≤ M − 1)
     * @param maxExcited K ≥ 0: at most K bosons outside the condensate modes
     */
    public TruncatedSector(int particles, int modes, int[] condensate, int maxExcited) {
        ParameterException.require(particles >= 0 && particles <= 100_000_000, "particles", particles, "0 ≤ N ≤ 1e8");
        ParameterException.require(modes >= 2 && modes <= 4096, "modes", modes, "2 ≤ M ≤ 4096 for a truncated sector");
        ParameterException.require(condensate != null && condensate.length >= 1 && condensate.length <= modes - 1,
                "--condensate-modes", condensate == null ? null : condensate.length, "1 ≤ ℓ ≤ M − 1 = " + (modes - 1));
        ParameterException.require(maxExcited >= 0, "--truncate", maxExcited, "K ≥ 0 bosons outside the condensate modes");
        this.n = particles;
        this.m = modes;
        this.ell = condensate.length;
        this.mo = modes - ell;
        this.k = maxExcited;
        this.cap = Math.min(maxExcited, particles);
        this.group = new int[m];
        int[] c = condensate.clone();
        Arrays.sort(c);
        for (int a = 0; a < c.length; a++) {
            ParameterException.require(c[a] >= 0 && c[a] < m, "--condensate-modes", c[a], "mode indices 0 … " + (m - 1));
            if (a > 0 && c[a] == c[a - 1]) throw new ParameterException("--condensate-modes", Arrays.toString(condensate), "distinct mode indices");
            group[c[a]] = 1;
        }
        this.cond = c;
        this.outer = new int[mo];
        for (int i = 0, o = 0; i < m; i++) if (group[i] == 0) outer[o++] = i;
        // C(a, b) for a < rows, b < cols, saturating at Long.MAX_VALUE as FockBasis's table.
        this.rows = particles + modes + 3;
        this.cols = modes + 1;
        this.binom = FockBasis.binomialTable(rows, cols);
        off = new long[cap + 2];
        dimO = new long[cap + 1];
        dimC = new long[cap + 1];
        try {
            for (int j = 0; j <= cap; j++) {
                dimO[j] = binomial(j + mo - 1, mo - 1);
                dimC[j] = binomial(n - j + ell - 1, ell - 1);
                if (dimO[j] == Long.MAX_VALUE || dimC[j] == Long.MAX_VALUE) throw new ArithmeticException();
                off[j + 1] = Math.addExact(off[j], Math.multiplyExact(dimO[j], dimC[j]));
            }
        } catch (ArithmeticException e) {
            throw new ParameterException("sector dimension", describeParams() + " does not fit in a 64-bit rank; reduce N, M or K");
        }
        this.dimension = off[cap + 1];
    }

    /** ℓ consecutive condensate modes 0 … ℓ − 1. */
    public static TruncatedSector firstModes(int particles, int modes, int condensateModes, int maxExcited) {
        ParameterException.require(condensateModes >= 1 && condensateModes <= modes - 1, "--condensate-modes", condensateModes, "1 ≤ ℓ ≤ M − 1 = " + (modes - 1));
        int[] c = new int[condensateModes];
        for (int i = 0; i < c.length; i++) c[i] = i;
        return new TruncatedSector(particles, modes, c, maxExcited);
    }

    private long binomial(int a, int b) {
        if (a < 0 || b < 0 || b > a) return 0;
        return binom[a * cols + b];
    }

    /** The truncation K (as given; the sector uses min(K, N)). */
    public int maxExcited() { return k; }

    /** ℓ, the number of condensate modes. */
    public int condensateCount() { return ell; }

    /** The condensate modes, ascending (a copy). */
    public int[] condensateModes() { return cond.clone(); }

    /** Whether K ≥ N, i.e. the sector is the whole N-boson space (in another order than {@link FockBasis}). */
    public boolean isComplete() { return k >= n; }

    /**
     * The dimension for given N, M, ℓ, K without building the sector (for planning a run):
     * Σ_{j ≤ min(K, N)} C(j + M − ℓ − 1, j) · C(N − j + ℓ − 1, ℓ − 1), or Long.MAX_VALUE when it
     * does not fit in a long.
     */
    public static long dimension(int particles, int modes, int condensateModes, int maxExcited) {
        int cap = Math.min(maxExcited, particles), mo = modes - condensateModes;
        long d = 0;
        try {
            for (int j = 0; j <= cap; j++)
                d = Math.addExact(d, Math.multiplyExact(exactBinomial(j + mo - 1, mo - 1), exactBinomial(particles - j + condensateModes - 1, condensateModes - 1)));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        return d;
    }

    private static long exactBinomial(int a, int b) {
        if (b < 0 || b > a) return 0;
        b = Math.min(b, a - b);
        long r = 1;
        for (int i = 1; i <= b; i++) r = Math.multiplyExact(r, a - b + i) / i; // r·(a−b+i)/i stays an integer
        return r;
    }

    @Override public int modes() { return m; }
    @Override public int particles() { return n; }
    @Override public long dimension() { return dimension; }

    private String describeParams() {
        return "N=" + n + " in M=" + m + " modes, at most K=" + k + " outside the ℓ=" + ell + " condensate mode" + (ell == 1 ? " " : "s ") + Arrays.toString(cond);
    }

    @Override public String describe() { return describeParams() + " (truncated sector)"; }

    @Override
    public boolean contains(int[] occ) {
        if (occ.length != m) return false;
        long s = 0, j = 0;
        for (int i = 0; i < m; i++) {
            if (occ[i] < 0) return false;
            s += occ[i];
            if (group[i] == 0) j += occ[i];
        }
        return s == n && j <= cap;
    }

    /** Colex rank of the occupations of one group (modes {@code idx}) in {@link FockBasis}'s number system. */
    private long groupRank(int[] occ, int[] idx) {
        long r = 0;
        int s = 0;
        for (int a = 0; a < idx.length - 1; a++) {
            s += occ[idx[a]];
            r += binom[(s + a) * cols + a + 1];
        }
        return r;
    }

    /** {@link FockBasis#unrank} for {@code total} bosons on the modes {@code idx} of {@code occ}. */
    private void groupUnrank(long r, int total, int[] idx, int[] occ) {
        int g = idx.length;
        int b = total + g - 2;
        int prevS = total;
        for (int a = g - 2; a >= 0; a--) {
            while (binom[b * cols + a + 1] > r) b--;
            r -= binom[b * cols + a + 1];
            int s = b - a;
            occ[idx[a + 1]] = prevS - s;
            prevS = s;
            b--;
        }
        occ[idx[0]] = prevS;
    }

    private int excited(int[] occ) {
        int j = 0;
        for (int i : outer) j += occ[i];
        return j;
    }

    @Override
    public long rank(int[] occ) {
        int j = excited(occ);
        return off[j] + groupRank(occ, outer) * dimC[j] + groupRank(occ, cond);
    }

    @Override
    public void unrank(long r, int[] occ) {
        if (r < 0 || r >= dimension) throw new IllegalArgumentException("rank " + r + " outside [0, " + dimension + ")");
        int j = 0;
        while (off[j + 1] <= r) j++;
        long q = r - off[j];
        groupUnrank(q / dimC[j], j, outer, occ);
        groupUnrank(q % dimC[j], n - j, cond, occ);
    }

    @Override
    public Cursor cursor(long r) {
        return new TruncCursor(r);
    }

    /** Cursor: steps in rank order by colex successors of the two groups; hop ranks by re-ranking the target, O(M). */
    private final class TruncCursor implements Cursor {
        private final int[] occ = new int[m];
        private final int[] o = new int[mo], c = new int[ell];
        private final int[] t = new int[m];
        private long rank, ro, rc;
        private int j;

        TruncCursor(long r) {
            unrank(r, occ);
            rank = r;
            j = excited(occ);
            long q = r - off[j];
            ro = q / dimC[j];
            rc = q % dimC[j];
            for (int a = 0; a < mo; a++) o[a] = occ[outer[a]];
            for (int a = 0; a < ell; a++) c[a] = occ[cond[a]];
        }

        @Override public long rank() { return rank; }
        @Override public int[] occupations() { return occ; }

        @Override
        public boolean next() {
            if (rank + 1 >= dimension) return false;
            rank++;
            if (rc + 1 < dimC[j]) {
                FockBasis.colexNext(c, 0);
                rc++;
                for (int a = 0; a < ell; a++) occ[cond[a]] = c[a];
                return true;
            }
            rc = 0;
            if (ro + 1 < dimO[j]) {
                FockBasis.colexNext(o, 0);
                ro++;
            } else {
                j++;
                ro = 0;
                Arrays.fill(o, 0);
                o[mo - 1] = j;
            }
            Arrays.fill(c, 0);
            c[ell - 1] = n - j;
            for (int a = 0; a < mo; a++) occ[outer[a]] = o[a];
            for (int a = 0; a < ell; a++) occ[cond[a]] = c[a];
            return true;
        }

        @Override
        public long hop(int to, int from) {
            int jj = j + (group[to] == 0 ? 1 : 0) - (group[from] == 0 ? 1 : 0);
            if (jj > cap) return -1;
            System.arraycopy(occ, 0, t, 0, m);
            t[from]--;
            t[to]++;
            return off[jj] + groupRank(t, outer) * dimC[jj] + groupRank(t, cond);
        }

        @Override
        public long hop2(int i, int jm, int kk, int l) {
            int jj = j + (group[i] == 0 ? 1 : 0) + (group[jm] == 0 ? 1 : 0) - (group[kk] == 0 ? 1 : 0) - (group[l] == 0 ? 1 : 0);
            if (jj > cap) return -1;
            System.arraycopy(occ, 0, t, 0, m);
            t[kk]--;
            t[l]--;
            t[i]++;
            t[jm]++;
            return off[jj] + groupRank(t, outer) * dimC[jj] + groupRank(t, cond);
        }

        @Override
        public String toString() { return "rank " + rank + " " + Arrays.toString(occ); }
    }
}
