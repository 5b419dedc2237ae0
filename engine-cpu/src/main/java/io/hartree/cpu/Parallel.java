package io.hartree.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a loop body over [0, n) split into one contiguous chunk per thread: the caller runs chunk
 * 0, {@code threads − 1} daemon workers the others. Written by hand (not a ForkJoinPool) because
 * submitting to a pool from outside it allocates, and {@code advance()} must not allocate: here a
 * call is a volatile generation bump, unpark, and a countdown. Workers spin briefly, then park.
 * Each chunk returns a partial sum, added in chunk order (deterministic reductions). One body at
 * a time: callers serialise (a session is used from one thread).
 */
final class Parallel implements AutoCloseable {
    /** A loop body over the index range [lo, hi); returns a partial sum (0 when not reducing). */
    @FunctionalInterface
    interface Body { double range(int lo, int hi); }

    /** A loop body that adds into several accumulators {@code acc} (one array per chunk, zeroed before the call). */
    @FunctionalInterface
    interface MultiBody { void range(int lo, int hi, double[] acc); }

    /** Number of accumulators a {@link MultiBody} may use. */
    static final int ACCUMULATORS = 16;

    private static final int SPINS = 1 << 10;
    private double[][] accs;
    private MultiBody multi;
    private final Body multiAdapter = this::multiRange;

    private final int threads;
    private final Thread[] workers;
    private final double[] sums;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    private volatile Throwable failure;
    private Body body;
    private int n;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.sums = new double[this.threads];
        this.workers = new Thread[this.threads - 1];
        for (int w = 0; w < workers.length; w++) {
            int chunk = w + 1;
            Thread t = new Thread(() -> work(chunk), "hartree-cpu-" + chunk);
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    int threads() { return threads; }

    /** Runs {@code body} over [0, n) and returns the sum of the chunks' partial sums. */
    synchronized double run(int n, Body body) {
        if (closed) throw new IllegalStateException("cpu session is closed");
        if (workers.length == 0 || n < threads) return body.range(0, n);
        this.body = body;
        this.n = n;
        pending.set(workers.length);
        generation++; // volatile write: publishes body and n to the workers
        for (Thread t : workers) LockSupport.unpark(t);
        sums[0] = body.range(0, hi(0));
        for (int spin = 0; pending.get() > 0; spin++) {
            if (spin < SPINS) Thread.onSpinWait();
            else Thread.yield();
        }
        this.body = null;
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error e) throw e;
            throw new IllegalStateException(f);
        }
        double s = 0;
        for (double v : sums) s += v;
        return s;
    }

    /**
     * Runs {@code body} over [0, n) with per-chunk accumulators and writes their chunk-order sums
     * to {@code out} (length ≤ {@link #ACCUMULATORS}).
     */
    synchronized void run(int n, MultiBody body, double[] out) {
        if (accs == null) accs = new double[threads][ACCUMULATORS];
        for (double[] a : accs) java.util.Arrays.fill(a, 0);
        multi = body;
        run(n, multiAdapter);
        multi = null;
        java.util.Arrays.fill(out, 0);
        for (double[] a : accs) for (int i = 0; i < out.length; i++) out[i] += a[i];
    }

    private double multiRange(int lo, int hi) {
        // The chunk is identified by its start: lo = n·c/threads is increasing in c.
        int c = 0;
        while (c + 1 < threads && (int) ((long) n * (c + 1) / threads) <= lo && lo != 0) c++;
        if (workers.length == 0 || n < threads) c = 0;
        multi.range(lo, hi, accs[c]);
        return 0;
    }

    private int hi(int chunk) { return (int) ((long) n * (chunk + 1) / threads); }

    private void work(int chunk) {
        int seen = 0;
        while (true) {
            int spin = 0;
            while (generation == seen && !closed) {
                if (spin++ < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            try {
                sums[chunk] = body.range((int) ((long) n * chunk / threads), hi(chunk));
            } catch (Throwable t) {
                sums[chunk] = 0;
                failure = t;
            }
            pending.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) LockSupport.unpark(t);
    }
}
