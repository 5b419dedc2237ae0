package io.hartree.cpu;

import org.jtransforms.fft.DoubleFFT_3D;

import java.lang.foreign.MemorySegment;

/**
 * {@link Fft3} with JTransforms (pure Java), the fallback where FFTW's natives are missing. The
 * density transforms are done as complex transforms of size m³ (JTransforms' 3D real
 * transforms use a packed layout), so they cost about twice FFTW's r2c/c2r.
 */
final class JTransformsFft3 implements Fft3 {
    private final int m, mh;
    private final double[] psi, rho, rhoHat, conv, work, psiWork;
    private final MemorySegment psiSeg, rhoSeg, rhoHatSeg, convSeg, psiWorkSeg;
    private final DoubleFFT_3D fftN, fftM;

    JTransformsFft3(int n, int m, boolean withWork) {
        this.m = m;
        this.mh = m / 2 + 1;
        psi = new double[2 * n * n * n];
        fftN = new DoubleFFT_3D(n, n, n);
        psiSeg = MemorySegment.ofArray(psi);
        psiWork = withWork ? new double[2 * n * n * n] : null;
        psiWorkSeg = withWork ? MemorySegment.ofArray(psiWork) : MemorySegment.NULL;
        if (m > 0) {
            rho = new double[m * m * m];
            rhoHat = new double[2 * m * m * mh];
            conv = new double[m * m * m];
            work = new double[2 * m * m * m];
            fftM = new DoubleFFT_3D(m, m, m);
            rhoSeg = MemorySegment.ofArray(rho);
            rhoHatSeg = MemorySegment.ofArray(rhoHat);
            convSeg = MemorySegment.ofArray(conv);
        } else {
            rho = rhoHat = conv = work = null;
            fftM = null;
            rhoSeg = rhoHatSeg = convSeg = MemorySegment.NULL;
        }
    }

    public MemorySegment psi() { return psiSeg; }
    public MemorySegment rho() { return rhoSeg; }
    public MemorySegment rhoHat() { return rhoHatSeg; }
    public MemorySegment conv() { return convSeg; }

    public MemorySegment work() { return psiWorkSeg; }

    public long rhoPlaneStride() { return (long) m * m; }

    public long rhoRowStride() { return m; }

    public void backwardToWork() {
        System.arraycopy(psi, 0, psiWork, 0, psi.length);
        fftN.complexInverse(psiWork, false);
    }

    public void forward() { fftN.complexForward(psi); }
    public void backward() { fftN.complexInverse(psi, false); }

    public void rhoForward() {
        int m3 = m * m * m;
        for (int i = 0; i < m3; i++) { work[2 * i] = rho[i]; work[2 * i + 1] = 0; }
        fftM.complexForward(work);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                System.arraycopy(work, 2 * (i * m + j) * m, rhoHat, 2 * (i * m + j) * mh, 2 * mh);
    }

    public void convBackward() {
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
        for (int i = 0; i < m3; i++) conv[i] = work[2 * i];
    }

    public String describe() { return "JTransforms 3.1 (pure Java)"; }

    @Override
    public void close() { }
}
