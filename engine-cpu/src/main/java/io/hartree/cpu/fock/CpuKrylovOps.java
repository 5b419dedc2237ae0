package io.hartree.cpu.fock;

import io.hartree.api.fock.CsrMatrix;
import io.hartree.api.fock.FockOperator;
import io.hartree.api.KrylovOps;

import java.util.stream.IntStream;

/**
 * Host Krylov primitives on interleaved complex {@code double[]}, parallel over blocks of
 * indices for long vectors (serial below 2¹⁶ entries, where a fork costs more than the loop).
 * The Chebyshev step is fused with the CSR product (one pass over H and the four vectors).
 */
final class CpuKrylovOps implements KrylovOps<double[]> {
    private static final int SERIAL_BELOW = 1 << 16;
    private final FockOperator h;
    /** H as a stored CSR matrix (fused products), or null when matrix-free. */
    private final CsrMatrix csr;
    private final int len;
    private final int blocks;

    CpuKrylovOps(FockOperator h) {
        this.csr = h.asCsr().orElse(null);
        this.h = h;
        this.len = 2 * h.dimension();
        this.blocks = len < SERIAL_BELOW ? 1 : Math.min(64, Math.max(2, len / SERIAL_BELOW));
    }

    private int lo(int b) { return (int) ((long) len * b / blocks) & ~1; }

    private int hi(int b) { return b == blocks - 1 ? len : (int) ((long) len * (b + 1) / blocks) & ~1; }

    private interface Range { void run(int from, int to); }

    private void each(Range r) {
        if (blocks == 1) r.run(0, len);
        else IntStream.range(0, blocks).parallel().forEach(b -> r.run(lo(b), hi(b)));
    }

    @Override public double[] allocate() { return new double[len]; }
    @Override public void upload(double[] psi, double[] v) { System.arraycopy(psi, 0, v, 0, len); }
    @Override public void download(double[] v, double[] psi) { System.arraycopy(v, 0, psi, 0, len); }
    @Override public void apply(double[] x, double[] y) { h.apply(x, y); }
    @Override public long vectorBytes() { return 8L * len; }

    @Override
    public double[] dot(double[] x, double[] y) {
        if (blocks == 1) return dot(x, y, 0, len);
        // the parts in parallel, summed in block order: the same numbers for any thread count
        double[][] parts = new double[blocks][];
        IntStream.range(0, blocks).parallel().forEach(b -> parts[b] = dot(x, y, lo(b), hi(b)));
        double re = 0, im = 0;
        for (double[] p : parts) { re += p[0]; im += p[1]; }
        return new double[]{re, im};
    }

    private static double[] dot(double[] x, double[] y, int from, int to) {
        double re = 0, im = 0;
        for (int i = from; i < to; i += 2) {
            re += x[i] * y[i] + x[i + 1] * y[i + 1];
            im += x[i] * y[i + 1] - x[i + 1] * y[i];
        }
        return new double[]{re, im};
    }

    @Override
    public double norm(double[] x) {
        if (blocks == 1) return Math.sqrt(sq(x, 0, len));
        return Math.sqrt(CsrMatrix.blockSum(blocks, b -> sq(x, lo(b), hi(b))));
    }

    private static double sq(double[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += x[i] * x[i];
        return s;
    }

    @Override
    public void axpy(double ar, double ai, double[] x, double[] y) {
        if (ai == 0) each((f, t) -> { for (int i = f; i < t; i++) y[i] += ar * x[i]; });
        else each((f, t) -> {
            for (int i = f; i < t; i += 2) {
                double a = x[i], b = x[i + 1];
                y[i] += ar * a - ai * b;
                y[i + 1] += ar * b + ai * a;
            }
        });
    }

    @Override
    public void scale(double s, double[] x) {
        each((f, t) -> { for (int i = f; i < t; i++) x[i] *= s; });
    }

    @Override
    public void combine(java.util.List<double[]> list, int count, double[] coef, double[] out) {
        double[][] basis = list.subList(0, count).toArray(new double[0][]);
        each((f, t) -> {
            for (int i = f; i < t; i += 2) {
                double re = 0, im = 0;
                for (int k = 0; k < count; k++) {
                    double a = basis[k][i], b = basis[k][i + 1], cr = coef[2 * k], ci = coef[2 * k + 1];
                    re += cr * a - ci * b;
                    im += cr * b + ci * a;
                }
                out[i] = re;
                out[i + 1] = im;
            }
        });
    }

    @Override
    public double applyDot(double[] x, double[] y) {
        // CSR fuses the Lanczos dot into its product; other operators take the default (apply, then dot).
        if (csr != null) return csr.applyDot(x, y);
        return KrylovOps.super.applyDot(x, y);
    }

    @Override
    public double lanczosUpdate(double[] u, double alpha, double[] v, double beta, double[] w) {
        java.util.function.IntToDoubleFunction block = b -> {
            int f = lo(b), t = hi(b);
            double s = 0;
            if (w == null || beta == 0) {
                for (int i = f; i < t; i++) { double x = u[i] - alpha * v[i]; u[i] = x; s += x * x; }
            } else {
                for (int i = f; i < t; i++) { double x = u[i] - alpha * v[i] - beta * w[i]; u[i] = x; s += x * x; }
            }
            return s;
        };
        if (blocks == 1) return Math.sqrt(block.applyAsDouble(0));
        return Math.sqrt(CsrMatrix.blockSum(blocks, block));
    }

    @Override
    public void chebyshevStep(double[] prev, double[] cur, double[] next, double alpha, double beta, double cr, double ci, double[] acc) {
        // A real CSR fuses the step into its product (CsrMatrix.chebyshevStep); other operators take the default.
        if (csr != null && csr.isReal()) csr.chebyshevStep(prev, cur, next, alpha, beta, cr, ci, acc);
        else KrylovOps.super.chebyshevStep(prev, cur, next, alpha, beta, cr, ci, acc);
    }
}
