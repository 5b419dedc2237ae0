package io.hartree.cpu;

import org.jtransforms.fft.DoubleFFT_3D;
import org.junit.jupiter.api.Test;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import static org.junit.jupiter.api.Assertions.*;

class JTransformsPoolTest {
    /**
     * After {@link JTransformsPool#shutdown()} the previous pool is stopped, a fresh one is installed,
     * and a transform that JTransforms splits over threads (4 threads forced, so the split happens on
     * any machine; 64³ is above JTransforms' 3-D threading threshold of 2¹⁶) runs on new daemon
     * threads and gives the analytic DFT of a plane wave: n³ at its wave vector, 0 elsewhere.
     * A pool with non-daemon threads, a shut-down pool left installed (RejectedExecutionException),
     * or a wrong split of the work all fail here.
     */
    @Test
    void transformsRunAfterShutdownOnDaemonThreads() throws Exception {
        int savedThreads = ConcurrencyUtils.getNumberOfThreads();
        ConcurrencyUtils.setNumberOfThreads(4);
        try {
            JTransformsPool.useDaemonThreads();
            ExecutorService old = ConcurrencyUtils.getThreadPool();
            JTransformsPool.shutdown();
            assertTrue(old.isTerminated(), "the previous pool is stopped");
            ExecutorService fresh = ConcurrencyUtils.getThreadPool();
            assertNotSame(old, fresh, "a fresh pool is installed");
            assertFalse(fresh.isShutdown(), "the fresh pool accepts work");

            Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
            int n = 64;
            int[] k0 = {3, 5, 7};
            double[] a = new double[2 * n * n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int l = 0; l < n; l++) {
                        int idx = (i * n + j) * n + l;
                        double phase = 2 * Math.PI * ((k0[0] * i + k0[1] * j + k0[2] * l) % n) / n;
                        a[2 * idx] = Math.cos(phase);
                        a[2 * idx + 1] = Math.sin(phase);
                    }
            new DoubleFFT_3D(n, n, n).complexForward(a);
            // Forward DFT Σ_j x_j e^{−2πi k·j/n} of e^{+2πi k0·j/n} is n³ δ_{k,k0}. Rounding: ~ε·log₂(n³) relative
            // to the n³ peak per entry (measured max 3.4e−11 absolute, 1.3e−16 of n³); 1e−12·n³ is a clear margin.
            double n3 = (double) n * n * n, tol = 1e-12 * n3;
            int peak = (k0[0] * n + k0[1]) * n + k0[2];
            for (int i = 0; i < n * n * n; i++) {
                assertEquals(i == peak ? n3 : 0, a[2 * i], tol, "Re of the DFT of a plane wave at " + i);
                assertEquals(0, a[2 * i + 1], tol, "Im of the DFT of a plane wave at " + i);
            }

            List<Thread> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t)).toList();
            assertFalse(started.stream().noneMatch(t -> t.getName().startsWith("jtransforms-")),
                    "the transform ran on threads of the fresh pool: " + started);
            assertEquals(List.of(), started.stream().filter(t -> !t.isDaemon()).toList(), "non-daemon threads started by the transform");
            Thread worker = ConcurrencyUtils.submit(Thread::currentThread).get();
            assertTrue(worker.isDaemon() && worker.getName().startsWith("jtransforms-"), "JTransforms' submit runs on " + worker);
        } finally {
            ConcurrencyUtils.setNumberOfThreads(savedThreads);
        }
    }
}
