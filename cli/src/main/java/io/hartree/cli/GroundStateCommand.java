package io.hartree.cli;

import io.hartree.api.BackendException;
import io.hartree.api.ParameterException;
import io.hartree.api.hartree.GroundStateSolver;
import io.hartree.api.Observables;
import io.hartree.api.io.AtomicFiles;
import io.hartree.api.io.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hartree ground-state}: imaginary-time propagation φ ← e^{−τ(h_ν + V*|φ|²)}φ/‖·‖ until the
 * energy settles, |E(τ) − E(τ − Δτ)|/Δτ &lt; tol with Δτ = observe_every·dt
 * ({@link GroundStateSolver}), into a run folder like {@code hartree run}'s; psi_final.npy is
 * the ground state and the time column of observables.csv is the imaginary time τ.
 */
@Command(name = "ground-state", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ground state by imaginary-time propagation into a run folder (psi_final.npy is the ground state).",
                "Defaults as hartree run (64^3, L = 16, nu = 10, gaussian:lambda=1,sigma=1, dt = 1e-3, from phi0)."})
final class GroundStateCommand implements Callable<Integer> {

    @Mixin
    JobOptions job = new JobOptions();

    @Option(names = "--tol", paramLabel = "TOL", description = "Stop when |dE/dtau| < TOL, measured over observe-every steps (default 1e-10).")
    Double tol;

    @Option(names = "--max-steps", paramLabel = "N", description = "Give up after N steps (default 100000); the summary then says converged = false.")
    Integer maxSteps;

    PrintStream out = System.out;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        RunSpec spec = job.resolve(RunConfig.GROUND_STATE, job.given(RunConfig.GROUND_STATE, null, tol, maxSteps));
        long snapSteps = job.snapshotEvery == null ? 0 : Snapshots.steps(job.snapshotEvery, spec.config());
        if (job.dryRun) return JobOptions.dryRun(spec, out);
        Path dir = job.out != null ? job.out : RunFolder.newDefault("ground-state");
        RunFolder.checkNew(dir, job.force);
        Snapshots snaps = null;
        try (Job j = Job.open(spec, true)) {
            RunConfig c = j.config;
            RunFolder.prepare(dir);
            AtomicFiles.writeString(dir.resolve(RunFolder.CONFIG), c.toToml());
            out.println(RunCommand.shortExplanation(j));
            RunCommand.printPhysical(j, out);
            out.printf(Locale.ROOT, "ground-state: %d^3 grid, L = %s, %s, V = %s, %s convolution, %s, dtau = %s, tol = %s, at most %d steps -> %s%n",
                    c.grid(), c.box(), RunCommand.trapLabel(c), c.interaction(), c.conv(), c.scheme(), c.dt(), c.tol(), c.maxSteps(), dir);
            j.warnings().forEach(w -> out.println("warning: " + w));
            List<ObservablesCsv.Row> rows = new ArrayList<>();
            int every = c.observeEvery();
            long[] step = {0};
            long[] lastPrint = {System.nanoTime()};
            boolean tty = Progress.stdoutIsTerminal();
            String title = "ground state, " + RunCommand.plotTitle(c);
            if (snapSteps > 0) snaps = Snapshots.start(dir, c, job.snapshotEvery, snapSteps, title);
            Snapshots sn = snaps;
            long tp = System.nanoTime();
            GroundStateSolver.Result r;
            try (Progress bar = tty ? Progress.create("ground-state", 0, c.maxSteps(), out) : null) {
                r = GroundStateSolver.solve(j.propagator, j.takeInitial(), c.tol(), c.maxSteps(), every, o -> {
                    if (!rows.isEmpty()) step[0] = Math.min(c.maxSteps(), step[0] + every);
                    if (!Double.isFinite(o.energy()) || !Double.isFinite(o.norm()))
                        throw new BackendException(String.format(Locale.ROOT,
                                "the state became non-finite at step %d (tau = %.6g): reduce --dt", step[0], o.time()));
                    double rate = rows.isEmpty() ? Double.NaN : Math.abs(o.energy() - rows.getLast().o().energy()) / ((step[0] - rows.getLast().step()) * c.dt());
                    rows.add(j.row(step[0], o));
                    if (sn != null && sn.due(step[0])) {
                        // The solver hands over the state only between its advances: store it here.
                        java.lang.foreign.MemorySegment h = j.hostBuffer();
                        j.propagator.store(h);
                        sn.take(step[0], o.time(), h);
                    }
                    for (String w : j.collectWarnings(o)) out.println("warning: " + w);
                    String note = String.format(Locale.ROOT, "tau=%.4g E=%.12g |dE/dtau|=%.2e", o.time(), o.energy(), rate);
                    if (bar != null) bar.update(step[0], note);
                    else if ((System.nanoTime() - lastPrint[0]) > 2_000_000_000L) {
                        out.println("ground-state: step " + step[0] + "  " + note);
                        lastPrint[0] = System.nanoTime();
                    }
                });
            }
            double propagate = (System.nanoTime() - tp) * 1e-9;
            long tw = System.nanoTime();
            int n = c.grid();
            java.lang.foreign.MemorySegment psi = j.hostBuffer();
            j.propagator.store(psi);
            j.writeFinal(dir.resolve(RunFolder.PSI_FINAL), psi);
            ObservablesCsv.write(dir.resolve(RunFolder.OBSERVABLES), rows);
            if (sn != null && !sn.has(r.steps())) sn.take(r.steps(), r.last().time(), psi);
            Plots.bestEffort("ground-state", () -> {
                Plots.observables(dir, rows, title, "imaginary time tau");
                Plots.densitySlice(dir.resolve(Plots.DENSITY_FILE), c.gridModel(), psi, "ground-state density |phi(x, y, 0)|^2", title);
                Snapshots.finalFigures(dir, c.gridModel(), psi, title, String.format(Locale.ROOT, "of the ground state (tau = %.6g)", r.last().time()));
                if (sn != null) sn.strip(String.format(Locale.ROOT, "column density n_z(x, y) over imaginary time (%d snapshots, every %s)",
                        sn.count(), sn.every() * c.dt()));
            }).ifPresent(w -> j.addWarnings(List.of(w)));
            if (sn != null) j.addWarnings(sn.warnings());
            double output = (System.nanoTime() - tw) * 1e-9;
            if (!r.converged())
                j.addWarnings(List.of(String.format(Locale.ROOT, "not converged: |dE/dtau| = %.3g after %d steps is above tol = %.3g; raise --max-steps or --tol", r.rate(), r.steps(), c.tol())));
            Observables last = r.last();
            new Summary(j, RunConfig.GROUND_STATE)
                    .put("converged", r.converged())
                    .put("steps", r.steps())
                    .put("tol", c.tol())
                    .put("max_steps", c.maxSteps())
                    .put("energy_rate_final", r.rate())
                    .put("energy", last.energy())
                    .put("chemical_potential", last.chemicalPotential())
                    .put("tau_final", last.time())
                    .put("observe_every", every)
                    .put("snapshots", sn == null ? null : sn.summary(sn.every() * c.dt()))
                    // Includes the observations, which the solver interleaves with the steps.
                    .put("seconds_per_step", propagate / Math.max(1, r.steps()))
                    .observables(rows, true)
                    .put("timings", Summary.timings(j.setupSeconds, propagate, 0.0, output, (System.nanoTime() - t0) * 1e-9))
                    .put("warnings", j.warnings())
                    .put("finished", Instant.now().toString())
                    .write(dir.resolve(RunFolder.SUMMARY));
            out.printf(Locale.ROOT, "%s after %d steps (tau = %.6g): E = %.12g, mu = %.12g, |dE/dtau| = %.2e%n",
                    r.converged() ? "converged" : "NOT converged", r.steps(), last.time(), last.energy(), last.chemicalPotential(), r.rate());
            for (String w : j.warnings()) out.println("warning: " + w);
            out.println("results in " + dir);
            return 0;
        } finally {
            if (snaps != null) snaps.close();
        }
    }
}
