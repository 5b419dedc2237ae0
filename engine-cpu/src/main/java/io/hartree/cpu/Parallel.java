package io.hartree.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a loop body over [0, n) split into up to {@value #CHUNKS_PER_THREAD}·threads contiguous
 * chunks, which the caller and {@code threads − 1} daemon workers claim from a shared counter.
 * Written by hand (not a ForkJoinPool) because submitting to a pool from outside it allocates,
 * and {@code advance()} must not allocate: a call is a counter reset, unparks, and a wait for the
 * claimed chunks. Claiming (rather than a fixed chunk per thread) matters on a shared machine: a
 * worker that is descheduled or still parked simply claims nothing, and the caller does its
 * share instead of waiting a time slice for it.
 *
 * <p>The claim counter carries the call's generation in its upper 32 bits, so a worker that wakes
 * late cannot claim a chunk of a later call with an earlier body. Each chunk returns a partial sum
 * (or fills its own accumulators); sums are added in chunk order, so reductions are
 * deterministic. One call at a time (a session is used from one thread).
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
    static final int CHUNKS_PER_THREAD = 8;
    private static final int SPINS = 1 << 10;

    private final int threads;
    private final int maxChunks;
    private final Thread[] workers;
    private final double[] sums;
    private final double[][] accs;
    /** (generation << 32) | next chunk to claim. */
    private final AtomicLong ticket = new AtomicLong();
    private final AtomicInteger completed = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    private volatile Throwable failure;
    private Body body;
    private MultiBody multi;
    private int n, chunks;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.maxChunks = CHUNKS_PER_THREAD * this.threads;
        this.sums = new double[maxChunks];
        this.accs = new double[maxChunks][ACCUMULATORS];
        this.workers = new Thread[this.threads - 1];
        for (int w = 0; w < workers.length; w++) {
            Thread t = new Thread(this::work, "hartree-cpu-" + (w + 1));
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    /** Runs {@code body} over [0, n) and returns the sum of the chunks' partial sums. */
    synchronized double run(int n, Body body) {
        dispatch(n, body, null);
        double s = 0;
        for (int c = 0; c < chunks; c++) s += sums[c];
        return s;
    }

    /**
     * Runs {@code body} over [0, n) with per-chunk accumulators and writes their chunk-order sums
     * to {@code out} (length ≤ {@link #ACCUMULATORS}).
     */
    synchronized void run(int n, MultiBody body, double[] out) {
        dispatch(n, null, body);
        Arrays.fill(out, 0);
        for (int c = 0; c < chunks; c++) for (int i = 0; i < out.length; i++) out[i] += accs[c][i];
    }

    private void dispatch(int n, Body b, MultiBody m) {
        if (closed) throw new IllegalStateException("cpu session is closed");
        this.n = n;
        this.body = b;
        this.multi = m;
        this.chunks = Math.max(1, Math.min(maxChunks, n));
        if (m != null) for (int c = 0; c < chunks; c++) Arrays.fill(accs[c], 0);
        completed.set(0);
        int gen = generation + 1;
        ticket.set((long) gen << 32); // publishes n, body, multi, chunks to claimers (volatile write)
        generation = gen;
        if (workers.length > 0 && chunks > 1) for (Thread t : workers) LockSupport.unpark(t);
        claim(gen);
        for (int spin = 0; completed.get() < chunks; spin++) {
            if (spin < SPINS) Thread.onSpinWait();
            else Thread.yield();
        }
        this.body = null;
        this.multi = null;
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error e) throw e;
            throw new IllegalStateException(f);
        }
    }

    /** Claims and runs chunks of call {@code gen} until none is left (or a later call began). */
    private void claim(int gen) {
        while (true) {
            long t = ticket.get();
            if ((int) (t >>> 32) != gen) return;
            int c = (int) t;
            if (c >= chunks) return;
            if (!ticket.compareAndSet(t, t + 1)) continue;
            // The call cannot end (nor n, body, chunks change) before this chunk completes.
            int lo = (int) ((long) n * c / chunks), hi = (int) ((long) n * (c + 1) / chunks);
            try {
                if (multi != null) multi.range(lo, hi, accs[c]);
                else sums[c] = body.range(lo, hi);
            } catch (Throwable e) {
                sums[c] = 0;
                failure = e;
            }
            completed.incrementAndGet();
        }
    }

    private void work() {
        int seen = 0;
        while (true) {
            int spin = 0;
            while (generation == seen && !closed) {
                if (spin++ < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            claim(seen);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) LockSupport.unpark(t);
    }
}
