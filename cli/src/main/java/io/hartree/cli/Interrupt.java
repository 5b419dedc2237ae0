package io.hartree.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run: a shutdown hook asks the run loop to stop at its next
 * chunk boundary (about a second of steps) and write a checkpoint, and holds the JVM's exit until
 * the run has done so ({@link #release()}), or at most {@link #GRACE_SECONDS}. Without it a kill
 * loses everything since the last periodic checkpoint.
 */
final class Interrupt implements AutoCloseable {
    /** How long the exit waits for the checkpoint: one chunk of steps plus one state write. */
    static final long GRACE_SECONDS = 60;

    private volatile boolean requested;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook = new Thread(() -> {
        requested = true;
        try {
            done.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }, "hartree-interrupt");
    private boolean installed;

    /** Installs the hook (idempotent). */
    Interrupt install() {
        if (!installed) {
            Runtime.getRuntime().addShutdownHook(hook);
            installed = true;
        }
        return this;
    }

    boolean requested() { return requested; }

    /** Lets a pending exit proceed; removes the hook when no exit is under way. */
    void release() {
        done.countDown();
        if (installed) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting; the hook returns now that done is counted down.
            }
            installed = false;
        }
    }

    @Override
    public void close() { release(); }
}
