package io.hartree.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Runs a loop body over [0, n) split into fixed chunks on a ForkJoinPool, without allocating
 * per call: the chunk tasks are created once and {@link RecursiveAction#reinitialize()}d. Chunks
 * also carry one partial sum each, for reductions. One body at a time (not re-entrant).
 */
final class Parallel implements AutoCloseable {
    /** A loop body over the index range [lo, hi); returns a partial sum (0 when not reducing). */
    @FunctionalInterface
    interface Body { double range(int lo, int hi); }

    private final ForkJoinPool pool;
    private final int threads;
    private final Chunk[] chunks;
    private final Root root = new Root();
    private int n = -1;

    Parallel(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
        this.chunks = new Chunk[Math.max(1, 2 * threads)];
        for (int i = 0; i < chunks.length; i++) chunks[i] = new Chunk();
    }

    int threads() { return threads; }

    /** Runs {@code body} over [0, n) and returns the sum of the chunks' partial sums (in chunk order, deterministic). */
    double run(int n, Body body) {
        if (pool == null || n < 2) return body.range(0, n);
        int c = Math.min(chunks.length, n);
        for (int i = 0; i < c; i++) {
            Chunk ch = chunks[i];
            ch.lo = (int) ((long) n * i / c);
            ch.hi = (int) ((long) n * (i + 1) / c);
            ch.body = body;
            ch.sum = 0;
            ch.reinitialize();
        }
        root.count = c;
        root.reinitialize();
        pool.invoke(root);
        double s = 0;
        for (int i = 0; i < c; i++) { s += chunks[i].sum; chunks[i].body = null; }
        return s;
    }

    private final class Root extends RecursiveAction {
        int count;

        @Override
        protected void compute() {
            for (int i = 1; i < count; i++) chunks[i].fork();
            chunks[0].compute();
            for (int i = count - 1; i >= 1; i--) chunks[i].join();
        }
    }

    private static final class Chunk extends RecursiveAction {
        int lo, hi;
        Body body;
        double sum;

        @Override
        protected void compute() { sum = body.range(lo, hi); }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
