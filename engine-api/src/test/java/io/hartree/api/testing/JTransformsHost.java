package io.hartree.api.testing;

import io.hartree.api.HostTransforms;
import io.hartree.api.SplitStepKernels.Dft;
import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.fft.DoubleFFT_3D;

/** Host transforms for engine-api's unit tests (JTransforms, test scope), independent of both backends. */
public final class JTransformsHost implements HostTransforms {
    public static final JTransformsHost INSTANCE = new JTransformsHost();

    @Override
    public void dft3(double[] data, int m0, int m1, int m2, Dft direction) {
        HostTransforms.checkLength(data, (long) m0 * m1 * m2, "dft3");
        DoubleFFT_3D f = new DoubleFFT_3D(m0, m1, m2);
        if (direction == Dft.FORWARD) f.complexForward(data);
        else f.complexInverse(data, false);
    }

    @Override
    public void dftLines(double[] data, int length, int count, Dft direction) {
        HostTransforms.checkLength(data, (long) length * count, "dftLines");
        DoubleFFT_1D f = new DoubleFFT_1D(length);
        for (int c = 0; c < count; c++) {
            if (direction == Dft.FORWARD) f.complexForward(data, 2 * length * c);
            else f.complexInverse(data, 2 * length * c, false);
        }
    }

    @Override
    public String describe() { return "JTransforms (engine-api tests)"; }
}
