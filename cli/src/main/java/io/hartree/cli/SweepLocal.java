package io.hartree.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local executor: a bounded pool of worker processes, each {@code java … Main sweep worker DIR
 * INDEX} with the same JVM and class path as this process ({@link SweepCommand#javaCommand}). No
 * value of a point passes through a shell: the worker reads its arguments from sweep.json.
 */
final class SweepLocal {
    private SweepLocal() {}

    /** The pool: how many points at once and the threads of each. */
    record Pool(int jobs, int threads, String why) {}

    /** A worker's body that may fail with an IOException. */
    interface PointBody<T> {
        T run() throws IOException;
    }

    /**
     * Runs a worker's {@code body} with its standard output and error appended to {@code logFile} when
     * {@code toLog} (the executors' --log), restoring both afterwards: the one redirection both sweep
     * workers (run/ground-state/fock points and study points) use.
     */
    static <T> T logged(Path logFile, boolean toLog, PointBody<T> body) throws IOException {
        if (!toLog) return body.run();
        java.io.PrintStream oldOut = System.out, oldErr = System.err;
        try (java.io.PrintStream logStream = new java.io.PrintStream(new java.io.FileOutputStream(logFile.toFile(), true), true,
                java.nio.charset.StandardCharsets.UTF_8)) {
            System.setOut(logStream);
            System.setErr(logStream);
            return body.run();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * Sizes the pool from the cores and the physical memory: at most one point per core, at most as
     * many as fit in 80 % of the memory by the largest point's plan, at most the points to run;
     * {@code requested} (--jobs) overrides the count. Each point gets cores/jobs threads (at least 1).
     */
    static Pool size(int points, Integer requested, long bytesPerPoint, int cores, long memory) {
        int byMemory = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) (memory * 0.8) / Math.max(1, bytesPerPoint)));
        int jobs = requested != null ? requested : Math.max(1, Math.min(Math.min(cores, byMemory), Math.max(1, points)));
        int threads = Math.max(1, cores / jobs);
        String why = requested != null ? "--jobs " + requested
                : String.format(Locale.ROOT, "%d cores, %.1f GiB memory, %.2f GiB per point", cores, memory / 1073741824.0, bytesPerPoint / 1073741824.0);
        return new Pool(jobs, threads, why);
    }

    static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) return os.getTotalMemorySize();
        return Runtime.getRuntime().maxMemory();
    }

    /** Runs the points {@code todo}; returns how many failed. Ctrl-C stops the workers (a run writes its checkpoint). */
    static int run(Path dir, SweepPlan plan, List<Integer> todo, Integer requested, SweepPlan.Estimate est) {
        List<String> names = plan.points().stream().map(SweepPlan.Point::name).toList();
        return run(dir, names, todo, requested, est.bytesPerPoint(), "sweep", (i, threads) -> List.of("sweep", "worker", dir.toAbsolutePath().toString(),
                String.valueOf(i), "--threads", String.valueOf(threads)));
    }

    /**
     * The pool over points named {@code names} (log and exit files DIR/logs/NAME.log, .exit): point i
     * runs {@code java … Main} with the arguments {@code worker.apply(i, threads)} (argv, no shell).
     * Used by the sweeps and by the studies as sweeps ({@link StudySweep}).
     */
    static int run(Path dir, List<String> names, List<Integer> todo, Integer requested, long bytesPerPoint, String what,
                   java.util.function.BiFunction<Integer, Integer, List<String>> worker) {
        if (todo.isEmpty()) return 0;
        SweepPlan.Estimate est = new SweepPlan.Estimate(bytesPerPoint, false);
        Pool pool = size(todo.size(), requested, est.bytesPerPoint(), Runtime.getRuntime().availableProcessors(), physicalMemory());
        System.out.printf(Locale.ROOT, what + ": local pool of %d worker process%s, %d thread%s each (%s)%n", pool.jobs(), pool.jobs() == 1 ? "" : "es",
                pool.threads(), pool.threads() == 1 ? "" : "s", pool.why());
        Deque<Integer> queue = new ArrayDeque<>(todo);
        Map<Process, Integer> running = new LinkedHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Thread hook = new Thread(() -> {
            List<Process> stop;
            synchronized (running) {
                stopping.set(true);   // no worker starts after this
                stop = List.copyOf(running.keySet());
            }
            stop.forEach(Process::destroy);   // SIGTERM: a run writes its checkpoint
            for (Process p : stop)
                try {
                    p.waitFor(Interrupt.GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
        }, "hartree-sweep-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int failed = 0, finished = 0;
        try {
            while (!queue.isEmpty() || !running.isEmpty()) {
                synchronized (running) {
                    while (running.size() < pool.jobs() && !queue.isEmpty() && !stopping.get()) {
                        int i = queue.poll();
                        running.put(start(dir, names.get(i), worker.apply(i, pool.threads()), pool.threads()), i);
                    }
                }
                if (running.isEmpty()) break;   // stopping: nothing left to wait for
                Process done = null;
                while (done == null) {
                    for (Process p : running.keySet()) if (!p.isAlive()) { done = p; break; }
                    if (done == null) Thread.sleep(50);
                }
                int i;
                synchronized (running) {
                    i = running.remove(done);
                }
                int code = done.exitValue();
                Path exit = dir.resolve(SweepCommand.LOGS).resolve(names.get(i) + ".exit");
                // A worker killed before it recorded its exit (a signal: 128 + n) is recorded here.
                if (code != 0 && !java.nio.file.Files.exists(exit)) io.hartree.api.io.AtomicFiles.writeString(exit, code + "\n");
                finished++;
                if (code != 0) failed++;
                System.out.printf(Locale.ROOT, "%s: %s %s (exit %d) [%d/%d]%s%n", what, names.get(i), code == 0 ? "done" : "FAILED", code, finished, todo.size(),
                        code == 0 ? "" : "; log: " + dir.resolve(SweepCommand.LOGS).resolve(names.get(i) + ".log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        return failed;
    }

    private static Process start(Path dir, String name, List<String> args, int threads) {
        List<String> cmd = new ArrayList<>(SweepCommand.javaCommand(threads));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(SweepCommand.LOGS).resolve(name + ".log").toFile()));
        for (String v : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) pb.environment().put(v, String.valueOf(threads));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker for " + name + ": " + e.getMessage(), e);
        }
    }
}
