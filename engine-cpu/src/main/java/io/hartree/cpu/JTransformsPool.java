package io.hartree.cpu;

import pl.edu.icm.jlargearrays.ConcurrencyUtils;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JTransforms runs its multi-threaded transforms on one global pool (JLargeArrays'
 * ConcurrencyUtils) whose threads are non-daemon: left alone it keeps the JVM alive for a minute
 * after the work. The engine replaces it by a pool of daemon threads, and sessions call
 * {@link #shutdown()} on close, which stops the current pool and installs a fresh daemon one (a
 * shut-down pool would reject the next transform, e.g. of a later session in the same JVM).
 */
final class JTransformsPool {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static boolean installed;

    private JTransformsPool() {}

    /** Installs a daemon pool once (idempotent). */
    static synchronized void useDaemonThreads() {
        if (!installed) {
            ConcurrencyUtils.setThreadPool(daemonPool());
            installed = true;
        }
    }

    /** Stops JTransforms' pool (waiting for running tasks) and installs a fresh daemon pool. */
    static synchronized void shutdown() {
        ConcurrencyUtils.shutdownThreadPoolAndAwaitTermination();
        ConcurrencyUtils.setThreadPool(daemonPool());
        installed = true;
    }

    private static ExecutorService daemonPool() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jtransforms-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
