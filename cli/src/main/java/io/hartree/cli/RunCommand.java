package io.hartree.cli;

import io.hartree.api.BackendException;
import io.hartree.api.ParameterException;
import io.hartree.api.HartreePropagator;
import io.hartree.api.Observables;
import io.hartree.api.io.AtomicFiles;
import io.hartree.api.io.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code hartree run}: real-time split-step propagation of i∂tφ = hφ + (V*|φ|²)φ (h = h_ν or the
 * {@code --trap}'s operator) from an initial
 * state to a final time, into a run folder (DESIGN.md §6). Without options it runs the embedded
 * default, the paper's toy model (see {@link RunConfig#defaults}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Real-time Hartree evolution into a run folder (config.toml, summary.json, observables.csv, psi_final.npy, PNG plots).",
                "Without options: the paper's toy model, 64^3, L = 16, nu = 10, gaussian:lambda=1,sigma=1, periodic, strang, dt = 1e-3, t = 1, phi(0) = phi0."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    JobOptions job = new JobOptions();

    @Option(names = "--time", paramLabel = "T", description = "Final time, > 0 (default 1).")
    Double time;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its checkpoint; its config.toml fixes the parameters.")
    Path resume;

    /** Test hook: stop (as if interrupted) after this many steps, with a checkpoint. */
    @Option(names = "--stop-after-steps", hidden = true)
    Long stopAfter;

    PrintStream out = System.out;

    /** Exit code of a run stopped by SIGINT/SIGTERM after writing its checkpoint (128 + SIGINT). */
    static final int INTERRUPTED = 130;

    /** Options that may be given with --resume: they change where and how fast, not what is computed. */
    private static final Set<String> RESUME_OPTIONS = Set.of("backend", "threads", "checkpoint_every");

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        if (resume != null) return resume(job.given(null, time, null, null), t0);
        RunSpec spec = job.resolve(RunConfig.RUN, job.given(RunConfig.RUN, time, null, null));
        long snapSteps = job.snapshotEvery == null ? 0 : Snapshots.steps(job.snapshotEvery, spec.config());
        if (job.dryRun) return JobOptions.dryRun(spec, out);
        Path dir = job.out != null ? job.out : RunFolder.newDefault("run");
        RunFolder.checkNew(dir, job.force);
        try (Job j = Job.open(spec, true)) {
            RunFolder.prepare(dir);
            AtomicFiles.writeString(dir.resolve(RunFolder.CONFIG), j.config.toToml());
            header(j, dir, 0);
            j.warnings().forEach(w -> out.println("warning: " + w));
            java.lang.foreign.MemorySegment psi0 = j.takeInitial();
            snapshots = snapSteps == 0 ? null : Snapshots.start(dir, j.config, job.snapshotEvery, snapSteps, plotTitle(j.config));
            if (snapshots != null) snapshots.take(0, 0.0, psi0);
            j.propagator.load(psi0, 0);
            List<ObservablesCsv.Row> rows = new ArrayList<>();
            long tObs = System.nanoTime();
            Observables o0 = j.propagator.observe();
            double observeSeconds = (System.nanoTime() - tObs) * 1e-9;
            rows.add(j.row(0, o0));
            j.collectWarnings(o0).forEach(w -> out.println("warning: " + w));
            try (Interrupt interrupt = new Interrupt()) {
                return loop(j, dir, rows, 0, 0, observeSeconds, t0, null, interrupt);
            }
        } finally {
            if (snapshots != null) snapshots.close();
        }
    }

    /** The snapshots of --snapshot-every (null without it), open while the loop runs. */
    private Snapshots snapshots;
    /** Wall time spent writing snapshots (store, fields.h5, figures). */
    private double snapshotSeconds;

    static String plotTitle(RunConfig c) {
        String t = String.format(Locale.ROOT, "%d^3, %s, %s", c.grid(), trapLabel(c), c.interaction());
        // A run given in physical units labels every figure with its units too (axes stay in l, 1/omega, hbar*omega).
        return c.units().map(u -> String.format(Locale.ROOT, "%d^3, %s, N = %.4g, g = %.4g; units l = %.4g um, 1/omega = %.4g ms, hbar*omega = %.4g nK", c.grid(), u.species(),
                u.particles(), u.coupling(), u.lengthUnitM() * 1e6, u.timeUnitS() * 1e3, u.energyUnitK() * 1e9)).orElse(t);
    }

    private Integer resume(RunConfig.Overrides given, long t0) {
        Path dir = resume;
        if (job.out != null) throw new ParameterException("--resume", "cannot be combined with --out; the run continues in " + dir);
        if (job.config != null) throw new ParameterException("--resume", "cannot be combined with --config; the run's own config.toml is used");
        if (job.dryRun) throw new ParameterException("--resume", "cannot be combined with --dry-run");
        if (job.snapshotEvery != null)
            throw new ParameterException("--resume", "cannot be combined with --snapshot-every; the interval is that of the run's fields.h5");
        for (String k : given.asMap().keySet())
            if (!RESUME_OPTIONS.contains(k))
                throw new ParameterException("--resume", "cannot be combined with --" + k.replace('_', '-') + ": the run's config.toml fixes it (allowed with --resume: --backend, --threads, --checkpoint-every)");
        if (!Files.isDirectory(dir)) throw new ParameterException("--resume", dir + " is not a run folder");
        if (Files.exists(dir.resolve(RunFolder.SUMMARY)))
            throw new ParameterException("--resume", dir + " is complete (it has " + RunFolder.SUMMARY + "); nothing to resume");
        Path cfgFile = dir.resolve(RunFolder.CONFIG);
        if (!Files.isRegularFile(cfgFile)) throw new ParameterException("--resume", dir + " has no " + RunFolder.CONFIG);
        RunConfig.Overrides file = RunConfig.Overrides.read(cfgFile);
        if (file.command() != null && !RunConfig.RUN.equals(file.command()))
            throw new ParameterException("--resume", dir + " is not a 'run' folder; only hartree run can be resumed");
        RunConfig resolved = RunConfig.defaults(RunConfig.RUN).overlay(file).overlay(given).resolveAuto();
        RunSpec.requireNuUsed(resolved, file);
        RunSpec spec = RunSpec.of(resolved);
        if (spec.problem().terms().components() != null)
            throw new ParameterException("--resume", dir + " is a --components run: runs of several components write no checkpoint and cannot be resumed; run it again");
        RunConfig cfg = spec.config();
        int n = cfg.grid();
        // Job.open makes the memory plan before the checkpoint's state is read into memory.
        try (Job j = Job.open(spec, false)) {
            java.lang.foreign.MemorySegment psi = j.hostBuffer();
            Checkpoint ck = Checkpoint.read(dir, n, psi);
            List<ObservablesCsv.Row> rows = new ArrayList<>();
            for (var r : ObservablesCsv.read(dir.resolve(RunFolder.OBSERVABLES))) if (r.step() <= ck.step()) rows.add(r);
            if (rows.isEmpty() || rows.getFirst().step() != 0)
                throw new ParameterException("--resume", dir.resolve(RunFolder.OBSERVABLES) + " lacks the observation at step 0");
            if (ck.step() > cfg.steps())
                throw new ParameterException("--resume", "the checkpoint is at step " + ck.step() + ", beyond the run's " + cfg.steps() + " steps");
            RunFolder.deleteStaleTemporaries(dir);
            j.addWarnings(ck.warnings());
            // config.toml keeps the backend of the first segment; the summary names the one that finished.
            snapshots = Snapshots.resume(dir, cfg, ck.step(), plotTitle(j.config));
            j.propagator.load(psi, ck.time());
            out.printf(Locale.ROOT, "resuming %s from step %d (t = %.6g)%n", dir, ck.step(), ck.time());
            header(j, dir, ck.step());
            try (Interrupt interrupt = new Interrupt()) {
                return loop(j, dir, rows, ck.step(), ck.propagateSeconds(), ck.observeSeconds(), t0, ck.step(), interrupt);
            }
        } finally {
            if (snapshots != null) snapshots.close();
        }
    }

    private void header(Job j, Path dir, long from) {
        RunConfig c = j.config;
        out.println(shortExplanation(j));
        RunCommand.printPhysical(j, out);
        out.printf(Locale.ROOT, "run: %d^3 grid, L = %s, %s, V = %s, %s convolution, %s, dt = %s, %d steps to t = %s%s -> %s%n",
                c.grid(), c.box(), trapLabel(c), c.interaction(), c.conv(), c.scheme(), c.dt(), c.steps(), c.steps() * c.dt(),
                from > 0 ? " (from step " + from + ")" : "", dir);
    }

    /** "nu = 10" for the paper's trap, else "trap = SPEC" (headers and plot titles). */
    static String trapLabel(RunConfig c) {
        return c.usesNu() ? "nu = " + c.nu() : "trap = " + c.trap();
    }

    /** For a run given in physical units: the mapping on one line (summary.json holds it in full). */
    static void printPhysical(Job j, java.io.PrintStream out) {
        j.config.units().ifPresent(u -> out.println(u.summaryLine()));
    }

    /** The backend selection without the library search paths (summary.json keeps them in full). */
    static String shortExplanation(Job j) {
        return j.selection.brief();
    }

    /**
     * Advances from step {@code step} to the end. Observations at every multiple of observe_every
     * and at the last step; checkpoints at the first observation after each checkpoint_every
     * seconds. The results (psi_final.npy, observables.csv, plots, summary.json last) are written
     * only after the last step succeeded.
     */
    private Integer loop(Job j, Path dir, List<ObservablesCsv.Row> rows, long step, double propagateSeconds,
                         double observeSeconds, long t0, Long resumedFrom, Interrupt interrupt) {
        RunConfig c = j.config;
        HartreePropagator p = j.propagator;
        long total = c.steps();
        int every = c.observeEvery();
        int n = c.grid();
        // Steps are advanced in chunks of at most 1 % of the run and about a second of wall time, so
        // that progress moves and an interrupt is answered soon even when observations are rare.
        long maxChunk = Math.max(1, total / 100), chunk = 1;
        interrupt.install();
        long lastCheckpoint = System.nanoTime();
        if (Math.abs(total * c.dt() - c.time()) > 1e-9 * c.time())
            j.addWarnings(List.of(String.format(Locale.ROOT, "time %s is not a multiple of dt %s: ran %d steps to t = %.12g", c.time(), c.dt(), total, total * c.dt())));
        Observables last = rows.getLast().o();
        try (Progress progress = Progress.create("run", step, total, out)) {
            while (step < total) {
                long nextObs = Math.min(total, (step / every + 1) * every);
                long next = Math.min(nextObs, step + chunk);
                if (snapshots != null) next = Math.min(next, snapshots.nextAfter(step));
                if (stopAfter != null && stopAfter > step) next = Math.min(next, stopAfter);
                long ta = System.nanoTime();
                p.advance(Math.toIntExact(next - step));
                double seconds = (System.nanoTime() - ta) * 1e-9;
                propagateSeconds += seconds;
                chunk = Math.max(1, Math.min(maxChunk, (long) Math.floor((next - step) / Math.max(seconds, 1e-9))));
                step = next;
                if (snapshots != null && snapshots.due(step)) {
                    long ts = System.nanoTime();
                    java.lang.foreign.MemorySegment psi = j.hostBuffer();
                    p.store(psi);
                    snapshots.take(step, p.time(), psi);
                    snapshotSeconds += (System.nanoTime() - ts) * 1e-9;
                }
                boolean interrupted = interrupt.requested() && step < total;
                boolean stop = (stopAfter != null && step >= stopAfter && step < total) || interrupted;
                if (stop && step != nextObs) {
                    // Stopped between observations: the series stays as a straight run would have it.
                    checkpoint(j, dir, rows, step, p.time(), propagateSeconds, observeSeconds);
                } else if (step == nextObs) {
                    long tb = System.nanoTime();
                    last = p.observe();
                    observeSeconds += (System.nanoTime() - tb) * 1e-9;
                    if (!Double.isFinite(last.norm()) || !Double.isFinite(last.energy()))
                        throw new BackendException(String.format(Locale.ROOT,
                                "the state became non-finite at step %d (t = %.6g): the time step is too large for this problem; reduce --dt", step, last.time()));
                    rows.add(j.row(step, last));
                    for (String w : j.collectWarnings(last)) out.println("warning: " + w);
                    boolean due = (System.nanoTime() - lastCheckpoint) * 1e-9 >= c.checkpointEvery();
                    if ((due && step < total) || stop) {
                        checkpoint(j, dir, rows, step, last.time(), propagateSeconds, observeSeconds);
                        lastCheckpoint = System.nanoTime();
                    }
                }
                progress.update(step, String.format(Locale.ROOT, "t=%.4g E=%.9g", step * c.dt(), last.energy()));
                if (stop) {
                    progress.close();
                    if (j.components() != null)
                        out.printf(Locale.ROOT, "%s after step %d of %d (observables.csv written; a --components run has no checkpoint and cannot be resumed)%n",
                                interrupted ? "interrupted" : "stopped", step, total);
                    else
                        out.printf(Locale.ROOT, "%s after step %d of %d (checkpoint written); continue with: hartree run --resume %s%n",
                                interrupted ? "interrupted" : "stopped", step, total, dir);
                    out.flush();
                    return interrupted ? INTERRUPTED : 0;
                }
            }
        }
        long tw = System.nanoTime();
        java.lang.foreign.MemorySegment psi = j.hostBuffer();
        p.store(psi);
        j.writeFinal(dir.resolve(RunFolder.PSI_FINAL), psi);
        ObservablesCsv.write(dir.resolve(RunFolder.OBSERVABLES), rows);
        String title = plotTitle(c);
        Observables shown = last;
        if (snapshots != null && !snapshots.has(total)) snapshots.take(total, p.time(), psi);
        Plots.bestEffort("run", () -> {
            Plots.observables(dir, rows, title, "time t");
            Plots.densitySlice(dir.resolve(Plots.DENSITY_FILE), c.gridModel(), psi,
                    String.format(Locale.ROOT, "density |phi(x, y, 0)|^2 at t = %.6g", shown.time()), title);
            Snapshots.finalFigures(dir, c.gridModel(), psi, title, String.format(Locale.ROOT, "at t = %.6g", shown.time()));
            if (snapshots != null) snapshots.strip(String.format(Locale.ROOT, "column density n_z(x, y) over time (%d snapshots, every %s)",
                    snapshots.count(), snapshots.every() * c.dt()));
        }).ifPresent(w -> j.addWarnings(List.of(w)));
        if (snapshots != null) j.addWarnings(snapshots.warnings());
        double output = (System.nanoTime() - tw) * 1e-9;
        long ranNow = total - (resumedFrom == null ? 0 : resumedFrom);
        Summary s = new Summary(j, RunConfig.RUN)
                .put("steps", total)
                .put("time_final", last.time())
                .put("observe_every", every)
                .put("seconds_per_step", propagateSeconds / total)
                .observables(rows, false)
                .put("timings", Summary.timings(j.setupSeconds, propagateSeconds, observeSeconds, output, (System.nanoTime() - t0) * 1e-9))
                .put("snapshots", snapshots == null ? null : snapshots.summary(snapshots.every() * c.dt()))
                .put("snapshot_seconds", snapshotSeconds)
                .put("steps_this_session", ranNow)
                .put("resumed_from_step", resumedFrom)
                .put("warnings", j.warnings())
                .put("finished", Instant.now().toString());
        s.write(dir.resolve(RunFolder.SUMMARY));
        RunFolder.deleteCheckpoint(dir);
        Observables first = rows.getFirst().o();
        out.printf(Locale.ROOT, "done: %d steps, %.3g s/step; norm %.15f -> %.15f, energy %.12g -> %.12g, <|x|^2> = %.10g%n",
                total, propagateSeconds / total, first.norm(), last.norm(), first.energy(), last.energy(), last.x2());
        for (String w : j.warnings()) out.println("warning: " + w);
        out.println("results in " + dir);
        return 0;
    }

    private void checkpoint(Job j, Path dir, List<ObservablesCsv.Row> rows, long step, double time, double prop, double obs) {
        int n = j.config.grid();
        // Snapshots up to this step on disk before the checkpoint: --resume keeps exactly those.
        if (snapshots != null) snapshots.drain();
        java.lang.foreign.MemorySegment psi = j.hostBuffer();
        j.propagator.store(psi);
        // The series first: rows beyond the checkpoint's step are dropped on resume.
        ObservablesCsv.write(dir.resolve(RunFolder.OBSERVABLES), rows);
        // Several components: the series only (no resume; psi would be the total density's amplitude).
        if (j.components() != null) return;
        Checkpoint.write(dir, new Checkpoint(step, time, prop, obs, j.warnings()), psi, n);
    }
}
