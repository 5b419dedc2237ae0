package io.hartree.cpu.fock;

import io.hartree.api.fock.CsrMatrix;
import io.hartree.api.KrylovOps;

import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Host Krylov primitives on real vectors (length dim) for a real symmetric CSR matrix: the case
 * of a real H and a real ψ (a Fock state), where every Krylov vector stays real. Complex
 * coefficients are not accepted here ({@link io.hartree.api.fock.Expmv} splits them); upload
 * takes the real parts of an interleaved ψ, download writes interleaved with zero imaginary parts.
 */
final class CpuRealKrylovOps implements KrylovOps<double[]> {
    private static final int SERIAL_BELOW = 1 << 15;
    private final int n;
    private final int[] rp, col;
    private final double[] val;
    private final int blocks;

    CpuRealKrylovOps(CsrMatrix h) {
        if (!h.isReal()) throw new IllegalArgumentException("real Krylov vectors need a real H");
        this.n = h.dimension();
        this.rp = h.rowPtr();
        this.col = h.col();
        this.val = h.re();
        long work = h.nonZeros() + n;
        this.blocks = work < 4 * SERIAL_BELOW ? 1 : (int) Math.min(64, Math.max(2, work / 100_000));
    }

    private int lo(int b) { return (int) ((long) n * b / blocks); }

    private int hi(int b) { return (int) ((long) n * (b + 1) / blocks); }

    private double sum(IntToDoubleFunction f) {
        return blocks == 1 ? f.applyAsDouble(0) : CsrMatrix.blockSum(blocks, f);
    }

    private void each(java.util.function.IntConsumer f) {
        if (blocks == 1) f.accept(0);
        else IntStream.range(0, blocks).parallel().forEach(f);
    }

    @Override public double[] allocate() { return new double[n]; }

    @Override
    public void upload(double[] psi, double[] v) {
        for (int i = 0; i < n; i++) v[i] = psi[2 * i];
    }

    @Override
    public void download(double[] v, double[] psi) {
        for (int i = 0; i < n; i++) { psi[2 * i] = v[i]; psi[2 * i + 1] = 0; }
    }

    @Override public long vectorBytes() { return 8L * n; }

    /** (H x)_r: row r of the real CSR matrix against x. */
    private double row(int r, double[] x) {
        double s = 0;
        for (int p = rp[r], e = rp[r + 1]; p < e; p++) s += val[p] * x[col[p]];
        return s;
    }

    @Override
    public void apply(double[] x, double[] y) {
        each(b -> { for (int r = lo(b), e1 = hi(b); r < e1; r++) y[r] = row(r, x); });
    }

    @Override
    public double applyDot(double[] x, double[] y) {
        return sum(b -> {
            double acc = 0;
            for (int r = lo(b), e1 = hi(b); r < e1; r++) {
                double s = row(r, x);
                y[r] = s;
                acc += x[r] * s;
            }
            return acc;
        });
    }

    @Override
    public double[] dot(double[] x, double[] y) {
        return new double[]{sum(b -> {
            double s = 0;
            for (int i = lo(b), e = hi(b); i < e; i++) s += x[i] * y[i];
            return s;
        }), 0};
    }

    @Override
    public double norm(double[] x) {
        return Math.sqrt(dot(x, x)[0]);
    }

    @Override
    public void axpy(double ar, double ai, double[] x, double[] y) {
        if (ai != 0) throw new IllegalArgumentException("complex coefficient on real Krylov vectors");
        each(b -> { for (int i = lo(b), e = hi(b); i < e; i++) y[i] += ar * x[i]; });
    }

    @Override
    public void scale(double s, double[] x) {
        each(b -> { for (int i = lo(b), e = hi(b); i < e; i++) x[i] *= s; });
    }

    @Override
    public double lanczosUpdate(double[] u, double alpha, double[] v, double beta, double[] w) {
        return Math.sqrt(sum(b -> {
            double s = 0;
            if (w == null || beta == 0) for (int i = lo(b), e = hi(b); i < e; i++) { double x = u[i] - alpha * v[i]; u[i] = x; s += x * x; }
            else for (int i = lo(b), e = hi(b); i < e; i++) { double x = u[i] - alpha * v[i] - beta * w[i]; u[i] = x; s += x * x; }
            return s;
        }));
    }

    /** out = Σ coef[2k]·basis[k] (the real parts of the coefficients; their imaginary parts must be 0). */
    @Override
    public void combine(java.util.List<double[]> list, int count, double[] coef, double[] out) {
        double[][] basis = list.subList(0, count).toArray(new double[0][]);
        for (int k = 0; k < count; k++) if (coef[2 * k + 1] != 0) throw new IllegalArgumentException("complex coefficient on real Krylov vectors");
        each(b -> {
            for (int i = lo(b), e = hi(b); i < e; i++) {
                double s = 0;
                for (int k = 0; k < count; k++) s += coef[2 * k] * basis[k][i];
                out[i] = s;
            }
        });
    }

    @Override
    public void chebyshevStep(double[] prev, double[] cur, double[] next, double alpha, double beta, double cr, double ci, double[] acc) {
        if (ci != 0) throw new IllegalArgumentException("complex coefficient on real Krylov vectors");
        each(b -> {
            for (int r = lo(b), e1 = hi(b); r < e1; r++) {
                double x = alpha * row(r, cur) + beta * cur[r] - prev[r];
                next[r] = x;
                acc[r] += cr * x;
            }
        });
    }
}
