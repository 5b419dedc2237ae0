package io.hartree.cpu;

import io.hartree.api.HostTransforms;
import io.hartree.api.SplitStepKernels.Dft;
import org.bytedeco.fftw.global.fftw3.fftw_plan;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.fft.DoubleFFT_3D;

import static org.bytedeco.fftw.global.fftw3.*;

/**
 * The cpu session's {@link HostTransforms}: FFTW (ESTIMATE plans on an fftw_malloc copy, the
 * session's threads) where its natives load, JTransforms otherwise. Set-up work only: each call
 * plans, copies in, transforms, copies out.
 */
final class CpuHostTransforms implements HostTransforms {
    private final boolean fftw;
    private final int threads;

    CpuHostTransforms(boolean fftw, int threads) {
        this.fftw = fftw;
        this.threads = threads;
    }

    @Override
    public void dft3(double[] data, int m0, int m1, int m2, Dft direction) {
        HostTransforms.checkLength(data, (long) m0 * m1 * m2, "dft3");
        if (!fftw) {
            JTransformsPool.useDaemonThreads();
            DoubleFFT_3D f = new DoubleFFT_3D(m0, m1, m2);
            if (direction == Dft.FORWARD) f.complexForward(data);
            else f.complexInverse(data, false);
            return;
        }
        run(data, p -> fftw_plan_dft_3d(m0, m1, m2, p, p, sign(direction), FFTW_ESTIMATE), "fftw_plan_dft_3d");
    }

    @Override
    public void dftLines(double[] data, int length, int count, Dft direction) {
        HostTransforms.checkLength(data, (long) length * count, "dftLines");
        if (!fftw) {
            JTransformsPool.useDaemonThreads();
            DoubleFFT_1D f = new DoubleFFT_1D(length);
            for (int c = 0; c < count; c++) {
                if (direction == Dft.FORWARD) f.complexForward(data, 2 * length * c);
                else f.complexInverse(data, 2 * length * c, false);
            }
            return;
        }
        run(data, p -> fftw_plan_many_dft(1, new org.bytedeco.javacpp.IntPointer(new int[]{length}), count, p, (org.bytedeco.javacpp.IntPointer) null, 1, length, p, (org.bytedeco.javacpp.IntPointer) null, 1, length, sign(direction), FFTW_ESTIMATE),
                "fftw_plan_many_dft");
    }

    private static int sign(Dft d) { return d == Dft.FORWARD ? FFTW_FORWARD : FFTW_BACKWARD; }

    private interface Planner { fftw_plan plan(DoublePointer p); }

    private void run(double[] data, Planner planner, String call) {
        Pointer raw = fftw_malloc((long) data.length * Double.BYTES);
        if (raw == null || raw.isNull())
            throw new io.hartree.api.BackendException("fftw_malloc of " + ((long) data.length * Double.BYTES >> 20) + " MiB failed (out of memory)");
        try {
            DoublePointer p = new DoublePointer(raw);
            p.put(data);
            fftw_plan plan;
            synchronized (FftwFft3.PLANNER) {
                fftw_plan_with_nthreads(threads);
                plan = planner.plan(p);
            }
            if (plan == null || plan.isNull()) throw new io.hartree.api.BackendException(call + " returned NULL (FFTW could not plan the transform)");
            try {
                fftw_execute(plan);
                p.get(data);
            } finally {
                synchronized (FftwFft3.PLANNER) { fftw_destroy_plan(plan); }
            }
        } finally {
            fftw_free(raw);
        }
    }

    @Override
    public String describe() { return fftw ? FftwFft3.load() : "JTransforms 3.1"; }
}
