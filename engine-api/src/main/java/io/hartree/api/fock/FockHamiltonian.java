package io.hartree.api.fock;

import io.hartree.api.FockKernels;

import io.hartree.api.ParameterException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The many-body Hamiltonian on a sector (DESIGN §3, the paper's (3.5) in a mode basis):
 * <pre>  H = Σ_ij h_ij a_i†a_j + (1/(2N)) Σ_ijkl V_ijkl a_i†a_j†a_l a_k</pre>
 * with N the sector's particle number. The terms are canonicalised: a_i†a_j†a_l a_k depends only
 * on the multisets {i, j} and {k, l}, so coefficients are summed over orderings; terms with equal
 * multisets are diagonal (n_p n_q, n_p(n_p − 1)). H must be Hermitian: h_ij = conj(h_ji) and,
 * after canonicalisation, c({p,q},{r,s}) = conj(c({r,s},{p,q})); otherwise the constructor throws
 * {@link ParameterException}. Hermiticity also turns the action into a gather: row r of H is
 * the conjugate of the column H|n_r⟩, which the terms generate from the state n_r alone, so rows
 * are computed independently in parallel without atomics.
 *
 * <p>The mean-field limit of this normalisation: for Ψ = (Σ c_i a_i†)^N|0⟩/√N!, E/N =
 * ⟨c, h c⟩ + ((N − 1)/(2N)) Σ V_ijkl conj(c_i c_j) c_k c_l, whose N → ∞ flow is
 * {@link ModeHartree}: i ċ_i = Σ_j h_ij c_j + Σ_jkl V_ijkl conj(c_j) c_k c_l with ‖c‖ = 1.
 */
public final class FockHamiltonian {
    private static final double HERMITIAN_TOL = 1e-12; // relative to the largest coefficient: round-off of integrals computed in double

    // Package-private: FockHopKernel reads the term tables of the Hamiltonian it walks.
    final FockSector sector;
    final int m;
    final double[] diagH;
    final int[] pairP, pairQ;
    final double[] pairA;
    final double[] selfB;
    final int[] oneTo, oneFrom;
    final double[] oneRe, oneIm;
    final int[] tP, tQ, tR, tS;
    final double[] tRe, tIm;
    final boolean real;
    final double[] sqrt;

    private FockHamiltonian(FockSector sector, ModeIntegrals mi) {
        ParameterException.require(mi.modes() == sector.modes(), "modes", mi.modes(), "the sector's " + sector.modes() + " modes");
        this.sector = sector;
        this.m = sector.modes();
        int n = sector.particles();
        sqrt = new double[n + 3];
        for (int a = 0; a < sqrt.length; a++) sqrt[a] = Math.sqrt(a);
        double scale = 0;
        for (double x : mi.h()) scale = Math.max(scale, Math.abs(x));
        for (double x : mi.v()) scale = Math.max(scale, Math.abs(x));
        double tol = HERMITIAN_TOL * Math.max(scale, 1e-300);

        diagH = new double[m];
        List<int[]> ones = new ArrayList<>();
        List<double[]> oneC = new ArrayList<>();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                double a = mi.h()[mi.hIndex(i, j)], b = mi.h()[mi.hIndex(i, j) + 1];
                double ca = mi.h()[mi.hIndex(j, i)], cb = mi.h()[mi.hIndex(j, i) + 1];
                if (Math.hypot(a - ca, b + cb) > tol)
                    throw new ParameterException("h", "not Hermitian: h[" + i + "][" + j + "] = " + a + "+" + b + "i but conj(h[" + j + "][" + i + "]) = " + ca + "" + (-cb) + "i");
                if (i == j) diagH[i] = a;
                else if (a != 0 || b != 0) { ones.add(new int[]{i, j}); oneC.add(new double[]{a, b}); }
            }
        oneTo = new int[ones.size()];
        oneFrom = new int[ones.size()];
        oneRe = new double[ones.size()];
        oneIm = new double[ones.size()];
        for (int t = 0; t < ones.size(); t++) {
            oneTo[t] = ones.get(t)[0]; oneFrom[t] = ones.get(t)[1];
            oneRe[t] = oneC.get(t)[0]; oneIm[t] = oneC.get(t)[1];
        }

        // Canonical two-body terms: key (p ≤ q | r ≤ s) for a_p†a_q†a_r a_s.
        TreeMap<Long, double[]> canon = new TreeMap<>();
        if (n >= 2) {
            double f = 1.0 / (2.0 * n);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                    for (int k = 0; k < m; k++)
                        for (int l = 0; l < m; l++) {
                            int idx = mi.vIndex(i, j, k, l);
                            double a = mi.v()[idx], b = mi.v()[idx + 1];
                            if (a == 0 && b == 0) continue;
                            long key = key(Math.min(i, j), Math.max(i, j), Math.min(k, l), Math.max(k, l));
                            double[] c = canon.computeIfAbsent(key, x -> new double[2]);
                            c[0] += f * a;
                            c[1] += f * b;
                        }
        }
        double[] pairAcc = new double[m * m];
        selfB = new double[m];
        List<long[]> offKeys = new ArrayList<>();
        List<double[]> offC = new ArrayList<>();
        for (Map.Entry<Long, double[]> e : canon.entrySet()) {
            long k = e.getKey();
            int p = (int) (k >>> 48), q = (int) ((k >>> 32) & 0xffff), r = (int) ((k >>> 16) & 0xffff), s = (int) (k & 0xffff);
            double[] c = e.getValue();
            double[] adj = canon.get(key(r, s, p, q));
            double ar = adj == null ? 0 : adj[0], ai = adj == null ? 0 : adj[1];
            if (Math.hypot(c[0] - ar, c[1] + ai) > tol / (2.0 * n) * 4)
                throw new ParameterException("V", "not Hermitian: the coefficient of a†_" + p + "a†_" + q + "a_" + r + "a_" + s
                        + " is not the conjugate of its adjoint's (need V_ijkl = conj(V_klij))");
            if (p == r && q == s) {
                if (p == q) selfB[p] += c[0];
                else pairAcc[p * m + q] += c[0];
            } else if (c[0] != 0 || c[1] != 0) {
                offKeys.add(new long[]{p, q, r, s});
                offC.add(c);
            }
        }
        int np = 0;
        for (double x : pairAcc) if (x != 0) np++;
        pairP = new int[np]; pairQ = new int[np]; pairA = new double[np];
        for (int p = 0, t = 0; p < m; p++)
            for (int q = 0; q < m; q++)
                if (pairAcc[p * m + q] != 0) { pairP[t] = p; pairQ[t] = q; pairA[t] = pairAcc[p * m + q]; t++; }
        int nt = offKeys.size();
        tP = new int[nt]; tQ = new int[nt]; tR = new int[nt]; tS = new int[nt]; tRe = new double[nt]; tIm = new double[nt];
        for (int t = 0; t < nt; t++) {
            long[] kk = offKeys.get(t);
            tP[t] = (int) kk[0]; tQ[t] = (int) kk[1]; tR[t] = (int) kk[2]; tS[t] = (int) kk[3];
            tRe[t] = offC.get(t)[0]; tIm[t] = offC.get(t)[1];
        }
        boolean r = true;
        for (double x : oneIm) if (x != 0) r = false;
        for (double x : tIm) if (x != 0) r = false;
        this.real = r;
        if (sector instanceof SpinSector ss) checkSpin(ss.spatialModes());
    }

    private static long key(int p, int q, int r, int s) {
        return ((long) p << 48) | ((long) q << 32) | ((long) r << 16) | s;
    }

    private void checkSpin(int ms) {
        for (int t = 0; t < oneTo.length; t++)
            if ((oneTo[t] < ms) != (oneFrom[t] < ms))
                throw new ParameterException("sector", "h couples spin ↑ and ↓ (h[" + oneTo[t] + "][" + oneFrom[t] + "] ≠ 0): N↑, N↓ are not conserved; use the total-N sector");
        for (int t = 0; t < tP.length; t++) {
            int cu = (tP[t] < ms ? 1 : 0) + (tQ[t] < ms ? 1 : 0), au = (tR[t] < ms ? 1 : 0) + (tS[t] < ms ? 1 : 0);
            if (cu != au)
                throw new ParameterException("sector", "V changes the spin populations (term a†_" + tP[t] + "a†_" + tQ[t] + "a_" + tR[t] + "a_" + tS[t] + "): use the total-N sector");
        }
    }

    /** H on {@code sector} from the integrals (Hermiticity checked). */
    public static FockHamiltonian of(FockSector sector, ModeIntegrals integrals) {
        return new FockHamiltonian(sector, integrals);
    }

    public FockSector sector() { return sector; }

    /**
     * What this operator is: the sector, the number of canonical terms, and, on a
     * {@link TruncatedSector} with K &lt; N, that the terms which would take the state out of the
     * truncated space are dropped (H is the compression P H P onto it).
     */
    public String describe() {
        String d = "H on " + sector.describe() + ": " + oneTo.length + " off-diagonal one-body and " + tP.length + " off-diagonal two-body terms";
        if (sector instanceof TruncatedSector ts && !ts.isComplete())
            d += "; terms that would put more than K=" + ts.maxExcited() + " bosons outside the condensate modes are dropped (P H P, the compression onto the truncated space)";
        return d;
    }

    /** Whether H is a real symmetric matrix in the occupation basis. */
    public boolean isReal() { return real; }

    /** Number of canonical off-diagonal terms (one-body, two-body). */
    public int[] termCounts() { return new int[]{oneTo.length, tP.length}; }

    /** Diagonal element ⟨n|H|n⟩ = Σ h_ii n_i + Σ_{p<q} A_pq n_p n_q + Σ_p B_p n_p(n_p − 1). */
    double diagonal(int[] occ) {
        double d = 0;
        for (int i = 0; i < m; i++) {
            int x = occ[i];
            if (x != 0) d += (diagH[i] + selfB[i] * (x - 1)) * x;
        }
        for (int t = 0; t < pairP.length; t++) d += pairA[t] * occ[pairP[t]] * occ[pairQ[t]];
        return d;
    }

    /** Receives the entries of one row. */
    interface RowSink {
        void add(int col, double re, double im);
    }

    /**
     * Row n of H: the diagonal, then every off-diagonal entry conj(τ)·amp at the rank of T|n⟩
     * (duplicates are not merged). The cursor's occupations are not modified.
     */
    void row(FockSector.Cursor cur, RowSink sink) {
        int[] occ = cur.occupations();
        sink.add((int) cur.rank(), diagonal(occ), 0);
        for (int t = 0; t < oneTo.length; t++) {
            int from = oneFrom[t], nf = occ[from];
            if (nf == 0) continue;
            int to = oneTo[t];
            long c = cur.hop(to, from);
            if (c < 0) continue; // leaves a truncated sector: dropped (P H P)
            double amp = sqrt[nf] * sqrt[occ[to] + 1];
            sink.add((int) c, oneRe[t] * amp, -oneIm[t] * amp);
        }
        for (int t = 0; t < tP.length; t++) {
            int p = tP[t], q = tQ[t], r = tR[t], s = tS[t];
            int ns = occ[s];
            if (ns == 0) continue;
            int nr = occ[r] - (r == s ? 1 : 0);
            if (nr <= 0) continue;
            int nq = occ[q] - (q == s ? 1 : 0) - (q == r ? 1 : 0) + 1;
            int npp = occ[p] - (p == s ? 1 : 0) - (p == r ? 1 : 0) + (p == q ? 1 : 0) + 1;
            long c = cur.hop2(p, q, r, s);
            if (c < 0) continue; // leaves a truncated sector: dropped (P H P)
            double amp = sqrt[ns] * sqrt[nr] * sqrt[nq] * sqrt[npp];
            sink.add((int) c, tRe[t] * amp, -tIm[t] * amp);
        }
    }

    private static int blocks(int n, long perRow) {
        long work = n * Math.max(1, perRow);
        return work < 200_000 ? 1 : (int) Math.min(1024, Math.max(4, work / 200_000));
    }

    /**
     * The canonical terms of H, copied, for a backend that applies H itself (the CUDA hop kernel):
     * ⟨n|H|n⟩ = Σ_i (diag_i + self_i (n_i − 1)) n_i + Σ_t pairA_t n_{p_t} n_{q_t} with pair = (p, q)
     * flattened; off-diagonal one-body terms c a_to† a_from with one = (to, from) flattened and c
     * interleaved in oneC; two-body terms c a_p† a_q† a_r a_s (p ≤ q, r ≤ s, the 1/(2N) included)
     * with two = (p, q, r, s) flattened and c in twoC. Row n of H is Σ_t conj(c_t) amp_t at the
     * rank of T_t|n⟩ (the gather of {@link #matrixFree()}).
     */
    public record Terms(double[] diag, double[] self, int[] pair, double[] pairA, int[] one, double[] oneC, int[] two, double[] twoC) {}

    /** The canonical terms (copies). */
    public Terms terms() {
        int np = pairP.length, n1 = oneTo.length, n2 = tP.length;
        int[] pair = new int[2 * np], one = new int[2 * n1], two = new int[4 * n2];
        double[] oneC = new double[2 * n1], twoC = new double[2 * n2];
        for (int t = 0; t < np; t++) { pair[2 * t] = pairP[t]; pair[2 * t + 1] = pairQ[t]; }
        for (int t = 0; t < n1; t++) { one[2 * t] = oneTo[t]; one[2 * t + 1] = oneFrom[t]; oneC[2 * t] = oneRe[t]; oneC[2 * t + 1] = oneIm[t]; }
        for (int t = 0; t < n2; t++) {
            two[4 * t] = tP[t]; two[4 * t + 1] = tQ[t]; two[4 * t + 2] = tR[t]; two[4 * t + 3] = tS[t];
            twoC[2 * t] = tRe[t]; twoC[2 * t + 1] = tIm[t];
        }
        return new Terms(diagH.clone(), selfB.clone(), pair, pairA.clone(), one, oneC, two, twoC);
    }

    /**
     * The matrix-free operator: it keeps its Hamiltonian, so that a backend's
     * {@link FockKernels#krylov} can apply H its own way (the CUDA hop kernel) from the terms.
     */
    public abstract static class MatrixFree implements FockOperator {
        /** The Hamiltonian this operator applies. */
        public abstract FockHamiltonian hamiltonian();
    }

    /** The row kernel of {@link #matrixFree()} for a {@link FockBasis} or {@link SpinSector} (tests split rows with it); not for a {@link TruncatedSector}. */
    FockHopKernel hopKernel() {
        return new FockHopKernel(this);
    }

    /** H applied without storing it: memory O(M⁴ + N) besides the vectors. */
    public MatrixFree matrixFree() {
        int n = sector.vectorDimension();
        int blocks = blocks(n, 1 + oneTo.length + tP.length);
        FockHamiltonian self = this;
        // The hop kernel knows the product sectors (FockBasis, SpinSector); a truncated sector gathers its rows from row().
        FockHopKernel kernel = sector instanceof TruncatedSector ? null : hopKernel();
        return new MatrixFree() {
            @Override public FockHamiltonian hamiltonian() { return self; }
            @Override public int dimension() { return n; }
            @Override public boolean isReal() { return real; }
            @Override public long nonZeros() { return -1; }
            @Override public long bytes() { return 64L * (oneTo.length + tP.length + m) ; }

            @Override
            public void apply(double[] x, double[] y) {
                if (kernel == null) {
                    if (blocks == 1) gatherRows(0, n, x, y);
                    else IntStream.range(0, blocks).parallel().forEach(b -> gatherRows((int) ((long) n * b / blocks), (int) ((long) n * (b + 1) / blocks), x, y));
                } else if (blocks == 1) kernel.applyRows(0, n, x, y);
                else IntStream.range(0, blocks).parallel().forEach(b -> kernel.applyRows((int) ((long) n * b / blocks), (int) ((long) n * (b + 1) / blocks), x, y));
            }

            /** Gershgorin bounds, computed once (a full pass over the rows): every exp(−itH)ψ call asks for them. */
            private volatile double[] gershgorin;

            @Override
            public double[] spectralBounds() {
                double[] g = gershgorin;
                if (g == null)
                    gershgorin = g = IntStream.range(0, blocks).parallel().mapToObj(b -> bounds((int) ((long) n * b / blocks), (int) ((long) n * (b + 1) / blocks)))
                            .reduce((u, v) -> new double[]{Math.min(u[0], v[0]), Math.max(u[1], v[1])}).orElseThrow();
                return g.clone();
            }
        };
    }

    /** y_r = Σ_c H_rc x_c for rows [r0, r1) from {@link #row} (any sector; the matrix-free product of a truncated sector). */
    private void gatherRows(int r0, int r1, double[] x, double[] y) {
        if (r0 >= r1) return;
        FockSector.Cursor cur = sector.cursor(r0);
        double[] acc = new double[2];
        RowSink sink = (c, a, b) -> {
            double xr = x[2 * c], xi = x[2 * c + 1];
            acc[0] += a * xr - b * xi;
            acc[1] += a * xi + b * xr;
        };
        for (int r = r0; r < r1; r++) {
            acc[0] = 0;
            acc[1] = 0;
            row(cur, sink);
            y[2 * r] = acc[0];
            y[2 * r + 1] = acc[1];
            if (r + 1 < r1) cur.next();
        }
    }

    private double[] bounds(int r0, int r1) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        FockSector.Cursor cur = sector.cursor(r0);
        double[] acc = new double[2];
        for (int r = r0; r < r1; r++) {
            acc[0] = 0; acc[1] = 0;
            final int row = r;
            row(cur, (c, a, b) -> { if (c == row) acc[0] += a; else acc[1] += Math.hypot(a, b); });
            lo = Math.min(lo, acc[0] - acc[1]);
            hi = Math.max(hi, acc[0] + acc[1]);
            if (r + 1 < r1) cur.next();
        }
        return new double[]{lo, hi};
    }

    /** H as a CSR matrix (duplicates merged, columns sorted within each row), built in parallel. */
    public CsrMatrix toCsr() {
        int n = sector.vectorDimension();
        int blocks = blocks(n, 1 + oneTo.length + tP.length);
        Block[] parts = new Block[blocks];
        IntStream.range(0, blocks).parallel().forEach(b -> parts[b] = buildBlock((int) ((long) n * b / blocks), (int) ((long) n * (b + 1) / blocks)));
        long total = 0;
        for (Block p : parts) total += p.size;
        if (total > Integer.MAX_VALUE - 8)
            throw new ParameterException("--method", "CSR with " + total + " non-zeros exceeds a Java array; use the matrix-free operator");
        int[] rowPtr = new int[n + 1];
        int[] col = new int[(int) total];
        double[] re = new double[(int) total];
        double[] im = real ? null : new double[(int) total];
        int[] offsets = new int[blocks + 1];
        for (int b = 0; b < blocks; b++) offsets[b + 1] = offsets[b] + parts[b].size;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            Block p = parts[b];
            int off = offsets[b];
            System.arraycopy(p.col, 0, col, off, p.size);
            System.arraycopy(p.re, 0, re, off, p.size);
            if (im != null) System.arraycopy(p.im, 0, im, off, p.size);
            for (int r = 0; r < p.rowLen.length; r++) rowPtr[p.r0 + r + 1] = p.rowLen[r];
        });
        for (int r = 0; r < n; r++) rowPtr[r + 1] += rowPtr[r];
        return new CsrMatrix(n, rowPtr, col, re, im);
    }

    private static final class Block {
        int r0, size;
        int[] rowLen;
        int[] col = new int[1024];
        double[] re = new double[1024], im = new double[1024];

        void ensure(int extra) {
            if (size + extra > col.length) {
                int cap = Math.max(col.length * 2, size + extra);
                col = Arrays.copyOf(col, cap);
                re = Arrays.copyOf(re, cap);
                im = Arrays.copyOf(im, cap);
            }
        }
    }

    private Block buildBlock(int r0, int r1) {
        Block blk = new Block();
        blk.r0 = r0;
        blk.rowLen = new int[r1 - r0];
        FockSector.Cursor cur = sector.cursor(r0);
        int cap = 1 + oneTo.length + tP.length;
        int[] rc = new int[cap];
        double[] rr = new double[cap], ri = new double[cap];
        int[] cnt = new int[1];
        for (int r = r0; r < r1; r++) {
            cnt[0] = 0;
            row(cur, (c, a, b) -> { int k = cnt[0]++; rc[k] = c; rr[k] = a; ri[k] = b; });
            int k = cnt[0];
            // Insertion sort by column, then merge duplicates (different terms can reach the same state).
            for (int a = 1; a < k; a++) {
                int c = rc[a]; double x = rr[a], y = ri[a];
                int b = a - 1;
                while (b >= 0 && rc[b] > c) { rc[b + 1] = rc[b]; rr[b + 1] = rr[b]; ri[b + 1] = ri[b]; b--; }
                rc[b + 1] = c; rr[b + 1] = x; ri[b + 1] = y;
            }
            blk.ensure(k);
            int start = blk.size;
            for (int a = 0; a < k; a++) {
                if (blk.size > start && blk.col[blk.size - 1] == rc[a]) {
                    blk.re[blk.size - 1] += rr[a];
                    blk.im[blk.size - 1] += ri[a];
                } else {
                    blk.col[blk.size] = rc[a];
                    blk.re[blk.size] = rr[a];
                    blk.im[blk.size] = ri[a];
                    blk.size++;
                }
            }
            blk.rowLen[r - r0] = blk.size - start;
            if (r + 1 < r1) cur.next();
        }
        return blk;
    }
}
