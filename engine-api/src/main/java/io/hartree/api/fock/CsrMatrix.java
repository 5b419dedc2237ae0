package io.hartree.api.fock;

import java.util.stream.IntStream;

/**
 * A Hermitian matrix in compressed sparse row form: row r holds the entries
 * p ∈ [rowPtr[r], rowPtr[r+1]), column col[p], value re[p] + i·im[p] ({@code im == null} for a
 * real symmetric matrix, the common case). Columns are {@code int} because state vectors are
 * Java arrays (dimension &lt; 2³⁰); the row pointers are {@code int} because no Java array holds
 * more than 2³¹ − 1 entries, so a larger H runs matrix-free instead. The product is a row-wise
 * gather, parallel over row blocks without atomics.
 */
public final class CsrMatrix implements FockOperator {
    /** This matrix. */
    @Override
    public java.util.Optional<CsrMatrix> asCsr() { return java.util.Optional.of(this); }

    private final int n;
    private final int[] rowPtr;
    private final int[] col;
    private final double[] re;
    private final double[] im;
    private final int blocks;

    public CsrMatrix(int n, int[] rowPtr, int[] col, double[] re, double[] im) {
        this.n = n;
        this.rowPtr = rowPtr;
        this.col = col;
        this.re = re;
        this.im = im;
        long work = (long) rowPtr[n] + n;
        // Small products are not worth a fork (a fork-join round costs tens of μs).
        this.blocks = work < 200_000 ? 1 : Math.min(256, Math.max(1, (int) (work / 100_000)));
    }

    public int[] rowPtr() { return rowPtr; }
    public int[] col() { return col; }
    public double[] re() { return re; }
    /** Imaginary parts, or {@code null} when the matrix is real. */
    public double[] im() { return im; }

    @Override public int dimension() { return n; }
    @Override public boolean isReal() { return im == null; }
    @Override public long nonZeros() { return rowPtr[n]; }
    @Override public long bytes() { return 4L * (n + 1) + 12L * rowPtr[n] + (im == null ? 0 : 8L * rowPtr[n]); }

    @Override
    public void apply(double[] x, double[] y) {
        applyDot(x, y);
    }

    /**
     * y = H x, returning Re⟨x, y⟩ (the Lanczos α) from the same pass, while y is still in cache.
     * {@code y} must not alias {@code x}.
     */
    public double applyDot(double[] x, double[] y) {
        if (blocks == 1) return rows(0, n, x, y);
        return blockSum(blocks, b -> rows((int) ((long) n * b / blocks), (int) ((long) n * (b + 1) / blocks), x, y));
    }

    /**
     * Σ_b part(b) for b = 0 … blocks − 1: the parts in parallel, their sum in block order, so the result
     * depends on the block split (fixed by the length) and never on the number of threads (a parallel
     * stream's sum groups the parts by the pool's size: another thread count, other rounding).
     */
    public static double blockSum(int blocks, java.util.function.IntToDoubleFunction part) {
        double[] parts = new double[blocks];
        IntStream.range(0, blocks).parallel().forEach(b -> parts[b] = part.applyAsDouble(b));
        double s = 0;
        for (double v : parts) s += v;
        return s;
    }

    /**
     * The fused Chebyshev step for a real H (complex vectors): next = α·H·cur + β·cur − prev, then
     * acc += (cr + i·ci)·next, in one pass over the rows (rows are independent: any split gives the
     * same numbers).
     */
    public void chebyshevStep(double[] prev, double[] cur, double[] next, double alpha, double beta, double cr, double ci, double[] acc) {
        if (im != null) throw new IllegalStateException("the fused Chebyshev step is for a real H");
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int r0 = (int) ((long) n * b / blocks), r1 = (int) ((long) n * (b + 1) / blocks);
            for (int r = r0; r < r1; r++) {
                double sr = 0, si = 0;
                for (int p = rowPtr[r], e = rowPtr[r + 1]; p < e; p++) {
                    int c = col[p] << 1;
                    double v = re[p];
                    sr += v * cur[c];
                    si += v * cur[c + 1];
                }
                int i = 2 * r;
                double nr = alpha * sr + beta * cur[i] - prev[i];
                double ni = alpha * si + beta * cur[i + 1] - prev[i + 1];
                next[i] = nr;
                next[i + 1] = ni;
                acc[i] += cr * nr - ci * ni;
                acc[i + 1] += cr * ni + ci * nr;
            }
        });
    }

    /** Rows [r0, r1) of y = H x; returns their part of Re⟨x, y⟩. */
    private double rows(int r0, int r1, double[] x, double[] y) {
        double acc = 0;
        for (int r = r0; r < r1; r++) {
            double sr = 0, si = 0;
            if (im == null) {
                for (int p = rowPtr[r], e = rowPtr[r + 1]; p < e; p++) {
                    int c = col[p] << 1;
                    double v = re[p];
                    sr += v * x[c];
                    si += v * x[c + 1];
                }
            } else {
                for (int p = rowPtr[r], e = rowPtr[r + 1]; p < e; p++) {
                    int c = col[p] << 1;
                    double a = re[p], b = im[p], xr = x[c], xi = x[c + 1];
                    sr += a * xr - b * xi;
                    si += a * xi + b * xr;
                }
            }
            y[2 * r] = sr;
            y[2 * r + 1] = si;
            acc += x[2 * r] * sr + x[2 * r + 1] * si;
        }
        return acc;
    }

    /** Gershgorin bounds, computed once: H does not change, and every exp(−itH)ψ call asks for them. */
    private volatile double[] bounds;

    @Override
    public double[] spectralBounds() {
        double[] b = bounds;
        if (b == null) bounds = b = gershgorin();
        return b.clone();
    }

    private double[] gershgorin() {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < n; r++) {
            double d = 0, rad = 0;
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                double a = re[p], b = im == null ? 0 : im[p];
                if (col[p] == r) d += a;
                else rad += Math.hypot(a, b);
            }
            lo = Math.min(lo, d - rad);
            hi = Math.max(hi, d + rad);
        }
        return new double[]{lo, hi};
    }

    /** max |H_rc − conj(H_cr)| over the stored entries (0 for an exactly Hermitian matrix). */
    public double hermiticityDefect() {
        double worst = 0;
        for (int r = 0; r < n; r++)
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                int c = col[p];
                double a = re[p], b = im == null ? 0 : im[p];
                double ta = 0, tb = 0;
                for (int q = rowPtr[c]; q < rowPtr[c + 1]; q++)
                    if (col[q] == r) { ta += re[q]; tb += im == null ? 0 : im[q]; }
                worst = Math.max(worst, Math.hypot(a - ta, b + tb));
            }
        return worst;
    }

    /** The dense matrix, interleaved complex, row-major (small dimensions only). */
    public double[] toDense() {
        if ((long) n * n > 50_000_000L) throw new io.hartree.api.ParameterException("dense dimension", n, "n² ≤ 5e7 for a dense copy");
        double[] d = new double[2 * n * n];
        for (int r = 0; r < n; r++)
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                int idx = 2 * (r * n + col[p]);
                d[idx] += re[p];
                if (im != null) d[idx + 1] += im[p];
            }
        return d;
    }
}
