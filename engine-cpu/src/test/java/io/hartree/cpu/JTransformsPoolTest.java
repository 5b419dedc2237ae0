package io.hartree.cpu;

import org.jtransforms.fft.DoubleFFT_3D;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JTransformsPoolTest {
    /** After a session's shutdown JTransforms still runs (multi-threaded at 64³) on daemon threads: the DFT of a delta is all ones. */
    @Test
    void transformsRunAfterShutdownOnDaemonThreads() {
        JTransformsPool.useDaemonThreads();
        JTransformsPool.shutdown();
        int n = 64;
        double[] a = new double[2 * n * n * n];
        a[0] = 1;
        new DoubleFFT_3D(n, n, n).complexForward(a);
        for (int i = 0; i < a.length; i += 2) {
            assertEquals(1, a[i], 1e-15, "Re of the DFT of a delta at " + i / 2);
            assertEquals(0, a[i + 1], 1e-15, "Im of the DFT of a delta at " + i / 2);
        }
        long nonDaemon = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("jtransforms-") && !t.isDaemon()).count();
        assertEquals(0, nonDaemon, "non-daemon JTransforms threads");
    }
}
