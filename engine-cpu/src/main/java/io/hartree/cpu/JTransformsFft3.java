package io.hartree.cpu;

import org.jtransforms.fft.DoubleFFT_3D;

import java.lang.foreign.MemorySegment;

/**
 * {@link Fft3} with JTransforms (pure Java), the fallback where FFTW's natives are missing. The
 * density transforms are done as complex transforms of size m³ (JTransforms' 3D real
 * transforms use a packed layout), so they cost about twice FFTW's r2c/c2r. Host arrays are
 * int-indexed: 2n³ and 2m³ must stay below 2³¹ (checked).
 */
final class JTransformsFft3 implements Fft3 {
    private final int m, mh, batch;
    private final double[][] psi, conv;
    private final double[] rho, rhoHat, work, psiWork;
    private final MemorySegment[] psiSeg, convSeg;
    private final MemorySegment rhoSeg, rhoHatSeg, psiWorkSeg;
    private final DoubleFFT_3D fftN, fftM;
    private final long bytes;

    JTransformsFft3(int n, int m, boolean withWork) { this(n, m, 1, withWork); }

    JTransformsFft3(int n, int m, int batch, boolean withWork) {
        if (2L * n * n * n > Integer.MAX_VALUE - 16 || 2L * m * m * m > Integer.MAX_VALUE - 16)
            throw new io.hartree.api.ParameterException("--grid", n, "n with 2·(2n)³ < 2³¹ on the JTransforms fallback (FFTW's natives are missing)");
        this.m = m;
        this.mh = m / 2 + 1;
        this.batch = batch;
        int n3 = n * n * n;
        long count = 0;
        psi = new double[batch][];
        psiSeg = new MemorySegment[batch];
        conv = new double[batch][];
        convSeg = new MemorySegment[batch];
        for (int b = 0; b < batch; b++) {
            psi[b] = new double[2 * n3];
            psiSeg[b] = MemorySegment.ofArray(psi[b]);
            count += 2L * n3;
        }
        fftN = new DoubleFFT_3D(n, n, n);
        psiWork = withWork ? new double[2 * n3] : null;
        psiWorkSeg = withWork ? MemorySegment.ofArray(psiWork) : MemorySegment.NULL;
        if (withWork) count += 2L * n3;
        if (m > 0) {
            rho = new double[m * m * m];
            rhoHat = new double[2 * m * m * mh];
            work = new double[2 * m * m * m];
            for (int b = 0; b < batch; b++) {
                conv[b] = new double[m * m * m];
                convSeg[b] = MemorySegment.ofArray(conv[b]);
            }
            fftM = new DoubleFFT_3D(m, m, m);
            rhoSeg = MemorySegment.ofArray(rho);
            rhoHatSeg = MemorySegment.ofArray(rhoHat);
            count += (long) rho.length + rhoHat.length + work.length + (long) batch * m * m * m;
        } else {
            rho = rhoHat = work = null;
            fftM = null;
            rhoSeg = rhoHatSeg = MemorySegment.NULL;
            java.util.Arrays.fill(convSeg, MemorySegment.NULL);
        }
        bytes = 8 * count;
    }

    public int batch() { return batch; }
    public MemorySegment psi(int b) { return psiSeg[b]; }
    public MemorySegment rho() { return rhoSeg; }
    public MemorySegment rhoHat() { return rhoHatSeg; }
    public MemorySegment conv(int b) { return convSeg[b]; }
    public long rhoLength() { return m == 0 ? 0 : (long) m * m * m; }
    public long bytes() { return bytes; }

    public MemorySegment work() { return psiWorkSeg; }

    public long rhoPlaneStride() { return (long) m * m; }

    public long rhoRowStride() { return m; }

    public void backwardToWork(int b) {
        System.arraycopy(psi[b], 0, psiWork, 0, psiWork.length);
        fftN.complexInverse(psiWork, false);
    }

    public void forward(int b) { fftN.complexForward(psi[b]); }
    public void backward(int b) { fftN.complexInverse(psi[b], false); }

    public void rhoForward() {
        int m3 = m * m * m;
        for (int i = 0; i < m3; i++) { work[2 * i] = rho[i]; work[2 * i + 1] = 0; }
        fftM.complexForward(work);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                System.arraycopy(work, 2 * (i * m + j) * m, rhoHat, 2 * (i * m + j) * mh, 2 * mh);
    }

    public void convBackward(int b) {
        // Hermitian symmetry of the transform of a real array fills the half that r2c omits.
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                System.arraycopy(rhoHat, 2 * (i * m + j) * mh, work, 2 * (i * m + j) * m, 2 * mh);
                int src = 2 * (((m - i) % m) * m + (m - j) % m) * mh;
                int dst = 2 * (i * m + j) * m;
                for (int k = mh; k < m; k++) {
                    work[dst + 2 * k] = rhoHat[src + 2 * (m - k)];
                    work[dst + 2 * k + 1] = -rhoHat[src + 2 * (m - k) + 1];
                }
            }
        fftM.complexInverse(work, false);
        int m3 = m * m * m;
        double[] c = conv[b];
        for (int i = 0; i < m3; i++) c[i] = work[2 * i];
    }

    private org.jtransforms.fft.DoubleFFT_1D fft1;
    private double[] line;

    public void axis(int b, int axis, boolean forward) {
        double[] p = psi[b];
        int n = (int) Math.round(Math.cbrt(p.length / 2.0));
        if (fft1 == null) { fft1 = new org.jtransforms.fft.DoubleFFT_1D(n); line = new double[2 * n]; }
        int stride = axis == 0 ? n * n : n;
        for (int u = 0; u < n; u++)
            for (int v = 0; v < n; v++) {
                // Lines along x start at (0, u, v); along y at (u, 0, v).
                int base = axis == 0 ? 2 * (u * n + v) : 2 * (u * n * n + v);
                for (int t = 0; t < n; t++) { line[2 * t] = p[base + 2 * t * stride]; line[2 * t + 1] = p[base + 2 * t * stride + 1]; }
                if (forward) fft1.complexForward(line); else fft1.complexInverse(line, false);
                for (int t = 0; t < n; t++) { p[base + 2 * t * stride] = line[2 * t]; p[base + 2 * t * stride + 1] = line[2 * t + 1]; }
            }
    }

    public String describe() { return "JTransforms 3.1 (pure Java)"; }

    @Override
    public void close() { }
}
