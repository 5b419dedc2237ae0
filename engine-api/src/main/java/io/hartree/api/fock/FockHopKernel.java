package io.hartree.api.fock;

/**
 * The CPU gather y_r = Σ_c H_rc x_c of {@link FockHamiltonian#matrixFree()} for a
 * {@link FockBasis} or a {@link SpinSector}, with everything that does not depend on the row
 * precomputed once per Hamiltonian.
 *
 * <p>The sector is a product of one (total N) or two (N↑, N↓) components, each a
 * {@link FockBasis} on a contiguous range of modes, with rank = Σ_c mult_c · rank_c (mult = dim↓
 * for ↑, 1 for ↓). Each term's rank shift is, by {@link FockBasis}'s formula, a sum of at most
 * three differences P^δ_b − P^δ_a of the per-state prefix sums
 * P^δ_j = Σ_{k<j} [C(s_k+k+δ, k+1) − C(s_k+k, k+1)] of one component; the (δ, a, b) of each
 * term depend only on its modes, so they are resolved here into indices of one table {@code pre}
 * (already scaled by mult_c). Per row the kernel steps the occupations in rank order (colex
 * successor) instead of unranking, updates the prefix sums of the changed component only where
 * s_k changed (a step that changes n_0 … n_{k+1} changes s_0 … s_k; the later P^δ_j shift by one
 * constant, usually 0; the ↑ part changes once every dim↓ rows), and skips whole groups of terms whose
 * annihilated modes are empty (one-body terms grouped by a_from, two-body terms by the pair
 * a_r a_s). The amplitudes and coefficients are those of {@link FockHamiltonian#row}; only the
 * summation order within a row differs (round-off).
 */
final class FockHopKernel {
    private final int m;
    private final int nc;
    private final int[] cBase, cModes, cN;
    private final long[] cMult, cDim;
    private final FockBasis[] cBasis;
    private final long[][] cBinom;
    private final int[] cRows, cCols;
    private final int stride;
    private final boolean[] needRow = new boolean[4]; // δ = −2, −1, +1, +2

    private final double[] sqrt, diagH, selfB, pairA;
    private final int[] pairP, pairQ;

    private final int[] oneGroupFrom, oneGroupStart;
    private final int[] oneTo, oneA, oneB;
    private final double[] oneRe, oneImNeg;

    private final int[] twoGroupR, twoGroupS, twoGroupStart;
    private final int[] twoP, twoQ, twoCp, twoCq, twoSeg; // twoSeg: 6 per term (a0, b0, a1, b1, a2, b2)
    private final double[] twoRe, twoImNeg;

    /** The kernel of {@code h}'s sector and term tables (read, not copied). */
    FockHopKernel(FockHamiltonian h) {
        FockSector sector = h.sector;
        double[] sqrt = h.sqrt, diagH = h.diagH, selfB = h.selfB, pairA = h.pairA, oneRe = h.oneRe, oneIm = h.oneIm, tRe = h.tRe, tIm = h.tIm;
        int[] pairP = h.pairP, pairQ = h.pairQ, oneTo = h.oneTo, oneFrom = h.oneFrom, tP = h.tP, tQ = h.tQ, tR = h.tR, tS = h.tS;
        this.m = sector.modes();
        if (sector instanceof TruncatedSector)
            throw new IllegalArgumentException("the hop kernel walks product sectors; a truncated sector's matrix-free product gathers rows (FockHamiltonian.matrixFree)");
        if (sector instanceof SpinSector ss) {
            nc = 2;
            cBasis = new FockBasis[]{ss.upBasis(), ss.downBasis()};
            int ms = ss.spatialModes();
            cBase = new int[]{0, ms};
            cModes = new int[]{ms, ms};
            cMult = new long[]{ss.downBasis().dimension(), 1};
        } else {
            FockBasis b = (FockBasis) sector;
            nc = 1;
            cBasis = new FockBasis[]{b};
            cBase = new int[]{0};
            cModes = new int[]{m};
            cMult = new long[]{1};
        }
        cN = new int[nc];
        cDim = new long[nc];
        cBinom = new long[nc][];
        cRows = new int[nc];
        cCols = new int[nc];
        int mx = 1;
        for (int c = 0; c < nc; c++) {
            cN[c] = cBasis[c].particles();
            cDim[c] = cBasis[c].dimension();
            cRows[c] = cBasis[c].binomRows();
            cCols[c] = cBasis[c].binomCols();
            // Two zero rows on each side, so that the prefix sums need no range test for a + δ.
            cBinom[c] = new long[(cRows[c] + 4) * cCols[c]];
            System.arraycopy(cBasis[c].binomTable(), 0, cBinom[c], 2 * cCols[c], cRows[c] * cCols[c]);
            mx = Math.max(mx, cModes[c]);
        }
        stride = mx;
        this.sqrt = sqrt;
        this.diagH = diagH;
        this.selfB = selfB;
        this.pairP = pairP;
        this.pairQ = pairQ;
        this.pairA = pairA;

        // One-body terms grouped by the annihilated mode, in mode order.
        int n1 = oneTo.length;
        int[] cnt = new int[m];
        for (int f : oneFrom) cnt[f]++;
        int g1 = 0;
        for (int x : cnt) if (x > 0) g1++;
        oneGroupFrom = new int[g1];
        oneGroupStart = new int[g1 + 1];
        int[] pos = new int[m];
        for (int f = 0, g = 0, off = 0; f < m; f++)
            if (cnt[f] > 0) { oneGroupFrom[g] = f; oneGroupStart[g] = off; pos[f] = off; off += cnt[f]; g++; oneGroupStart[g] = off; }
        this.oneTo = new int[n1];
        oneA = new int[n1];
        oneB = new int[n1];
        this.oneRe = new double[n1];
        oneImNeg = new double[n1];
        int[] seg = new int[6];
        for (int t = 0; t < n1; t++) {
            int k = pos[oneFrom[t]]++;
            this.oneTo[k] = oneTo[t];
            this.oneRe[k] = oneRe[t];
            oneImNeg[k] = -oneIm[t];
            segments(new int[]{oneTo[t], oneFrom[t]}, new int[]{1, -1}, seg);
            oneA[k] = seg[0];
            oneB[k] = seg[1];
        }

        // Two-body terms grouped by the annihilated pair (r ≤ s).
        int n2 = tP.length;
        int[] pc = new int[m * m];
        for (int t = 0; t < n2; t++) pc[tR[t] * m + tS[t]]++;
        int g2 = 0;
        for (int x : pc) if (x > 0) g2++;
        twoGroupR = new int[g2];
        twoGroupS = new int[g2];
        twoGroupStart = new int[g2 + 1];
        int[] pp = new int[m * m];
        for (int i = 0, g = 0, off = 0; i < m * m; i++)
            if (pc[i] > 0) { twoGroupR[g] = i / m; twoGroupS[g] = i % m; twoGroupStart[g] = off; pp[i] = off; off += pc[i]; g++; twoGroupStart[g] = off; }
        twoP = new int[n2];
        twoQ = new int[n2];
        twoCp = new int[n2];
        twoCq = new int[n2];
        twoSeg = new int[6 * n2];
        twoRe = new double[n2];
        twoImNeg = new double[n2];
        for (int t = 0; t < n2; t++) {
            int p = tP[t], q = tQ[t], r = tR[t], s = tS[t];
            int k = pp[r * m + s]++;
            twoP[k] = p;
            twoQ[k] = q;
            // n_q and n_p after a_r a_s (and a_q† for p): the factors of FockHamiltonian#row.
            twoCq[k] = -(q == s ? 1 : 0) - (q == r ? 1 : 0) + 1;
            twoCp[k] = -(p == s ? 1 : 0) - (p == r ? 1 : 0) + (p == q ? 1 : 0) + 1;
            twoRe[k] = tRe[t];
            twoImNeg[k] = -tIm[t];
            segments(new int[]{p, q, r, s}, new int[]{1, 1, -1, -1}, seg);
            System.arraycopy(seg, 0, twoSeg, 6 * k, 6);
        }
    }

    /** Index into {@code pre} of P^δ_j for component c, local mode j. */
    private int preIndex(int c, int delta, int j) {
        int d = delta < 0 ? delta + 2 : delta + 1;
        return (c * 4 + d) * stride + j;
    }

    private int component(int mode) {
        return nc == 2 && mode >= cBase[1] ? 1 : 0;
    }

    /**
     * The (a, b) index pairs of pre whose differences sum to the rank shift of the term with
     * creation (+1) / annihilation (−1) events at the given modes; unused pairs are (0, 0).
     */
    private void segments(int[] modes, int[] d, int[] out) {
        int k = modes.length;
        int[] pm = modes.clone(), pd = d.clone();
        for (int a = 1; a < k; a++) {
            int x = pm[a], y = pd[a], b = a - 1;
            while (b >= 0 && pm[b] > x) { pm[b + 1] = pm[b]; pd[b + 1] = pd[b]; b--; }
            pm[b + 1] = x; pd[b + 1] = y;
        }
        java.util.Arrays.fill(out, 0);
        int delta = 0, start = 0, ns = 0;
        for (int a = 0; a < k; a++) {
            if (delta != 0 && pm[a] > start) {
                int c = component(start);
                if (component(pm[a]) != c) throw new IllegalStateException("a term moves bosons between sector components");
                out[2 * ns] = preIndex(c, delta, start - cBase[c]);
                out[2 * ns + 1] = preIndex(c, delta, pm[a] - cBase[c]);
                needRow[delta < 0 ? delta + 2 : delta + 1] = true;
                ns++;
            }
            delta += pd[a];
            start = pm[a];
        }
    }

    /** Recomputes P^δ_j (scaled by mult_c) of component c from the occupations. */
    private void prefix(int c, int[] occ, long[] pre) {
        int base = cBase[c], mc = cModes[c], cols = cCols[c];
        long[] binom = cBinom[c]; // padded: C(a, b) at (a + 2)·cols + b for −2 ≤ a < rows + 2
        long mult = cMult[c];
        for (int d = 0; d < 4; d++) {
            if (!needRow[d]) continue;
            int delta = d < 2 ? d - 2 : d - 1;
            int row = (c * 4 + d) * stride;
            long p = 0;
            pre[row] = 0;
            int acc = 0;
            for (int k = 0; k < mc - 1; k++) {
                acc += occ[base + k];
                int a = acc + k, a2 = a + delta;
                long c0 = binom[(a + 2) * cols + k + 1];
                long c1 = binom[(a2 + 2) * cols + k + 1];
                p += (c1 - c0) * mult;
                pre[row + k + 1] = p;
            }
        }
    }

    /**
     * Updates the prefix sums of component c after a colex step that changed s_j only for the
     * local j ≤ kk: P_1 … P_{kk+1} are recomputed and the later ones shift by P_{kk+1}'s change.
     */
    private void prefixFrom(int c, int kk, int[] occ, long[] pre) {
        int base = cBase[c], mc = cModes[c], cols = cCols[c];
        long[] binom = cBinom[c];
        long mult = cMult[c];
        int top = Math.min(kk, mc - 2);
        for (int d = 0; d < 4; d++) {
            if (!needRow[d]) continue;
            int delta = d < 2 ? d - 2 : d - 1;
            int row = (c * 4 + d) * stride;
            long old = pre[row + top + 1], p = 0;
            int acc = 0;
            for (int k = 0; k <= top; k++) {
                acc += occ[base + k];
                int a = acc + k;
                p += (binom[(a + delta + 2) * cols + k + 1] - binom[(a + 2) * cols + k + 1]) * mult;
                pre[row + k + 1] = p;
            }
            long shift = p - old;
            if (shift != 0) for (int j = top + 2; j < mc; j++) pre[row + j] += shift;
        }
    }

    /** y_r = Σ_c H_rc x_c for the rows [r0, r1). */
    void applyRows(int r0, int r1, double[] x, double[] y) {
        if (r0 >= r1) return;
        int[] occ = new int[m];
        long[] pre = new long[nc * 4 * stride];
        long[] cRank = new long[nc];
        long rest = r0;
        for (int c = nc - 1; c >= 0; c--) {
            long rc = c == 0 ? rest : rest % cDim[c];
            rest = c == 0 ? 0 : rest / cDim[c];
            cRank[c] = rc;
            int[] loc = new int[cModes[c]];
            cBasis[c].unrank(rc, loc);
            System.arraycopy(loc, 0, occ, cBase[c], cModes[c]);
            prefix(c, occ, pre);
        }
        final double[] sqrt = this.sqrt, diagH = this.diagH, selfB = this.selfB, pairA = this.pairA;
        final int[] pairP = this.pairP, pairQ = this.pairQ;
        final int[] oneGroupFrom = this.oneGroupFrom, oneGroupStart = this.oneGroupStart, oneTo = this.oneTo, oneA = this.oneA, oneB = this.oneB;
        final double[] oneRe = this.oneRe, oneImNeg = this.oneImNeg;
        final int[] twoGroupR = this.twoGroupR, twoGroupS = this.twoGroupS, twoGroupStart = this.twoGroupStart;
        final int[] twoP = this.twoP, twoQ = this.twoQ, twoCp = this.twoCp, twoCq = this.twoCq, twoSeg = this.twoSeg;
        final double[] twoRe = this.twoRe, twoImNeg = this.twoImNeg;
        final int m = this.m, g1 = oneGroupFrom.length, g2 = twoGroupR.length, np = pairA.length;
        for (int r = r0; ; ) {
            double d = 0;
            for (int i = 0; i < m; i++) {
                int n = occ[i];
                if (n != 0) d += (diagH[i] + selfB[i] * (n - 1)) * n;
            }
            for (int t = 0; t < np; t++) d += pairA[t] * occ[pairP[t]] * occ[pairQ[t]];
            double sr = d * x[2 * r], si = d * x[2 * r + 1];
            long rank = r;
            for (int g = 0; g < g1; g++) {
                int nf = occ[oneGroupFrom[g]];
                if (nf == 0) continue;
                double sf = sqrt[nf];
                for (int t = oneGroupStart[g], e = oneGroupStart[g + 1]; t < e; t++) {
                    double amp = sf * sqrt[occ[oneTo[t]] + 1];
                    int c = 2 * (int) (rank + pre[oneB[t]] - pre[oneA[t]]);
                    double a = oneRe[t] * amp, b = oneImNeg[t] * amp, xr = x[c], xi = x[c + 1];
                    sr += a * xr - b * xi;
                    si += a * xi + b * xr;
                }
            }
            for (int g = 0; g < g2; g++) {
                int rr = twoGroupR[g], s = twoGroupS[g];
                int ns = occ[s];
                if (ns == 0) continue;
                int nr = occ[rr] - (rr == s ? 1 : 0);
                if (nr <= 0) continue;
                double gs = sqrt[ns] * sqrt[nr];
                for (int t = twoGroupStart[g], e = twoGroupStart[g + 1]; t < e; t++) {
                    double amp = gs * sqrt[occ[twoQ[t]] + twoCq[t]] * sqrt[occ[twoP[t]] + twoCp[t]];
                    int o = 6 * t;
                    long col = rank + pre[twoSeg[o + 1]] - pre[twoSeg[o]] + pre[twoSeg[o + 3]] - pre[twoSeg[o + 2]]
                            + pre[twoSeg[o + 5]] - pre[twoSeg[o + 4]];
                    int c = 2 * (int) col;
                    double a = twoRe[t] * amp, b = twoImNeg[t] * amp, xr = x[c], xi = x[c + 1];
                    sr += a * xr - b * xi;
                    si += a * xi + b * xr;
                }
            }
            y[2 * r] = sr;
            y[2 * r + 1] = si;
            if (++r >= r1) break;
            // Next state in rank order: the last component steps; on wrap-around it restarts at rank 0 and the one before steps.
            for (int c = nc - 1; c >= 0; c--) {
                int base = cBase[c], mc = cModes[c];
                if (cRank[c] + 1 < cDim[c]) {
                    int k = FockBasis.colexNext(occ, base);
                    cRank[c]++;
                    prefixFrom(c, k - base, occ, pre);
                    break;
                }
                for (int k = 0; k < mc; k++) occ[base + k] = 0;
                occ[base + mc - 1] = cN[c];
                cRank[c] = 0;
                prefix(c, occ, pre);
            }
        }
    }
}
