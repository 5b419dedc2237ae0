package io.hartree.gpu;

import io.hartree.api.HostTransforms;
import io.hartree.api.SplitStepKernels.Dft;
import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.fft.DoubleFFT_3D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cuda session's {@link HostTransforms}: JTransforms on the host, for set-up work (the kernel
 * table is built once per propagator, then uploaded). The same library built the tables of every
 * GPU run verified so far (docs/gpu-runs); cuFFT could do it on the device but that path has not
 * run on a GPU. JTransforms' global worker pool is non-daemon; it is replaced once by a daemon pool
 * so that a finished command exits.
 */
final class JTransformsHostTransforms implements HostTransforms {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static boolean pooled;

    private static synchronized void daemonPool() {
        if (pooled) return;
        ConcurrencyUtils.setThreadPool(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jtransforms-gpu-host-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        }));
        pooled = true;
    }

    @Override
    public void dft3(double[] data, int m0, int m1, int m2, Dft direction) {
        HostTransforms.checkLength(data, (long) m0 * m1 * m2, "dft3");
        daemonPool();
        DoubleFFT_3D f = new DoubleFFT_3D(m0, m1, m2);
        if (direction == Dft.FORWARD) f.complexForward(data);
        else f.complexInverse(data, false);
    }

    @Override
    public void dftLines(double[] data, int length, int count, Dft direction) {
        HostTransforms.checkLength(data, (long) length * count, "dftLines");
        daemonPool();
        DoubleFFT_1D f = new DoubleFFT_1D(length);
        for (int c = 0; c < count; c++) {
            if (direction == Dft.FORWARD) f.complexForward(data, 2 * length * c);
            else f.complexInverse(data, 2 * length * c, false);
        }
    }

    @Override
    public String describe() { return "JTransforms 3.1 (host)"; }
}
