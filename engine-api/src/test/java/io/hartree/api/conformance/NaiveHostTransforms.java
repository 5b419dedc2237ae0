package io.hartree.api.conformance;

import io.hartree.api.HostTransforms;
import io.hartree.api.SplitStepKernels.Dft;

/**
 * The reference backend's host transforms: the DFT by its definition, Σ_j e^{∓2πi jk/N} a_j, one
 * line at a time with a table of e^{−2πi r/N} (r = jk mod N, so the table is exact to one
 * rounding), O(N²) per line. Slow and obviously correct; independent of FFTW and JTransforms.
 */
public final class NaiveHostTransforms implements HostTransforms {
    @Override
    public void dft3(double[] data, int m0, int m1, int m2, Dft direction) {
        HostTransforms.checkLength(data, (long) m0 * m1 * m2, "dft3");
        int[] dims = {m0, m1, m2};
        for (int axis = 0; axis < 3; axis++) {
            int len = dims[axis];
            int stride = axis == 0 ? m1 * m2 : axis == 1 ? m2 : 1;
            int outer = axis == 0 ? 1 : axis == 1 ? m0 : m0 * m1;
            int inner = axis == 0 ? m1 * m2 : axis == 1 ? m2 : 1;
            int block = len * inner;
            double[][] table = table(len);
            double[] line = new double[2 * len];
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++) {
                    int base = o * block + i;
                    for (int j = 0; j < len; j++) {
                        line[2 * j] = data[2 * (base + j * stride)];
                        line[2 * j + 1] = data[2 * (base + j * stride) + 1];
                    }
                    transformLine(line, 0, len, table, direction);
                    for (int j = 0; j < len; j++) {
                        data[2 * (base + j * stride)] = line[2 * j];
                        data[2 * (base + j * stride) + 1] = line[2 * j + 1];
                    }
                }
        }
    }

    @Override
    public void dftLines(double[] data, int length, int count, Dft direction) {
        HostTransforms.checkLength(data, (long) length * count, "dftLines");
        double[][] table = table(length);
        for (int c = 0; c < count; c++) transformLine(data, 2 * length * c, length, table, direction);
    }

    /** cos and sin of 2π r/N, r = 0..N−1. */
    private static double[][] table(int n) {
        double[] cos = new double[n], sin = new double[n];
        for (int r = 0; r < n; r++) {
            cos[r] = Math.cos(2 * Math.PI * r / n);
            sin[r] = Math.sin(2 * Math.PI * r / n);
        }
        return new double[][]{cos, sin};
    }

    private static void transformLine(double[] a, int off, int n, double[][] t, Dft direction) {
        double sign = direction == Dft.FORWARD ? -1 : 1;
        double[] out = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++) {
                int r = (int) ((long) j * k % n);
                double c = t[0][r], s = sign * t[1][r];
                double re = a[off + 2 * j], im = a[off + 2 * j + 1];
                sr += re * c - im * s;
                si += re * s + im * c;
            }
            out[2 * k] = sr;
            out[2 * k + 1] = si;
        }
        System.arraycopy(out, 0, a, off, 2 * n);
    }

    @Override
    public String describe() { return "naive DFT (reference backend)"; }
}
