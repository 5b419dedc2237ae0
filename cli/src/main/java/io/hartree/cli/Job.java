package io.hartree.cli;

import io.hartree.api.BackendSession;
import io.hartree.api.Backends;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.hartree.HartreePropagator;
import io.hartree.api.hartree.Scheme;
import io.hartree.api.hartree.InitialState;
import io.hartree.api.hartree.Interaction;
import io.hartree.api.hartree.Observables;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A validated configuration bound to an open backend: the selection, the session, the
 * propagator and the initial state. Opening one does everything that can fail on bad input or
 * a missing backend before the run folder is created, so a failure here writes nothing.
 */
final class Job implements AutoCloseable {
    final RunConfig config;
    final Backends.Selection selection;
    final BackendSession session;
    final HartreePropagator propagator;
    /** The sampled initial state; {@link #takeInitial()} hands it over once, so a large grid does not keep it for the whole run. */
    private double[] initial;
    final double setupSeconds;

    /** ν·dt above which a warning says the time step is coarse. */
    static final double COARSE_NU_DT = 0.1;
    private final Set<String> warnings = new LinkedHashSet<>();

    private Job(RunConfig config, Backends.Selection selection, BackendSession session, HartreePropagator propagator,
                double[] initial, List<String> warnings, double setupSeconds) {
        this.config = config;
        this.selection = selection;
        this.session = session;
        this.propagator = propagator;
        this.initial = initial;
        this.warnings.addAll(warnings);
        this.setupSeconds = setupSeconds;
    }

    /**
     * Validates {@code cfg}, samples the initial state (unless {@code sampleInitial} is false, on
     * resume), selects and opens the backend and builds the propagator. The returned
     * configuration names the backend actually taken.
     */
    /** docs/hartree.md, "imaginary time": the triple jump's negative substep leaves a first-order fixed point. */
    static final String FOURTH_IN_IMAGINARY_TIME = "scheme fourth in imaginary time: the triple jump has a negative substep and its "
            + "fixed point is only first order in dtau (Strang's is second order, from the start-of-step density); use --scheme strang";

    static Job open(RunConfig cfg, boolean sampleInitial) {
        long t0 = System.nanoTime();
        cfg.validate();
        List<String> warnings = new ArrayList<>();
        // Strang's error grows like (ν·dt)²: 6e-5 in φ at ν·dt = 0.01 (docs/cli.md), ~100 times more at 0.1.
        if (cfg.nu() * cfg.dt() > COARSE_NU_DT)
            warnings.add(String.format(java.util.Locale.ROOT, "coarse time step: nu*dt = %.3g > %.2g resolves the trap period 2*pi/nu by only %.1f steps; reduce --dt",
                    cfg.nu() * cfg.dt(), COARSE_NU_DT, 2 * Math.PI / (cfg.nu() * cfg.dt())));
        double[] psi0 = sampleInitial ? InitialState.parse(cfg.initial()).sample(cfg.gridModel(), warnings::add) : null;
        Backends.Selection sel = Backends.select(cfg.backend());
        RunConfig resolved = cfg.with("backend", sel.backend().name());
        BackendSession s = sel.backend().open(new SessionOptions(Precision.parse(cfg.precision()), cfg.threads(), 0));
        try {
            HartreePropagator p = s.hartree(cfg.problem());
            // The cpu backend always computes in double; say so rather than report single.
            if (Precision.parse(cfg.precision()) == Precision.SINGLE && s.backend().equals("cpu"))
                warnings.add("precision: the cpu backend computes in double precision; --precision single applies to the cuda backend");
            if (RunConfig.GROUND_STATE.equals(cfg.command()) && Scheme.parse(cfg.scheme()) == Scheme.FOURTH)
                warnings.add(FOURTH_IN_IMAGINARY_TIME);
            return new Job(resolved, sel, s, p, psi0, warnings, (System.nanoTime() - t0) * 1e-9);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    double[] takeInitial() {
        double[] a = initial;
        initial = null;
        return a;
    }

    /**
     * A host buffer of 2n³ doubles for the state, allocated once and reused for checkpoints and
     * the final state (at 512³ it is 2 GiB).
     */
    double[] hostBuffer() {
        if (host == null) {
            long n = config.grid();
            host = new double[Math.toIntExact(2 * n * n * n)];
        }
        return host;
    }

    private double[] host;

    /** Adds the warnings of an observation and of the propagator; returns those not seen before. */
    List<String> collectWarnings(Observables o) {
        List<String> fresh = new ArrayList<>();
        List<String> all = new ArrayList<>(o.warnings());
        all.addAll(propagator.warnings());
        for (String w : all) if (!seenKind(w)) { warnings.add(w); fresh.add(w); }
        return fresh;
    }

    void addWarnings(List<String> ws) {
        for (String w : ws) if (!seenKind(w)) warnings.add(w);
    }

    /** Warnings of one kind (the text before " at t =") are kept once, the first time seen. */
    private boolean seenKind(String w) {
        String kind = kind(w);
        for (String s : warnings) if (kind(s).equals(kind)) return true;
        return false;
    }

    private static String kind(String w) {
        int i = w.indexOf(':');
        return i < 0 ? w : w.substring(0, i);
    }

    List<String> warnings() { return List.copyOf(warnings); }

    /**
     * Writes the interaction and the initial state in their canonical form (what
     * {@code Interaction.spec()} and {@code InitialState.spec()} print, with every parameter), and
     * file paths in "table:F" and "npy:F" as absolute paths, so config.toml reruns from anywhere.
     * Call after {@link RunConfig#validate()}.
     */
    static RunConfig canonical(RunConfig c) {
        String interaction = Interaction.parse(absolute(c.interaction(), "table:")).spec();
        String initial = InitialState.parse(absolute(absolute(c.initial(), "npy:"), "file:")).spec();
        return c.with("interaction", interaction).with("initial", initial);
    }

    private static String absolute(String spec, String prefix) {
        if (spec == null || !spec.trim().toLowerCase(java.util.Locale.ROOT).startsWith(prefix)) return spec;
        String file = spec.trim().substring(prefix.length()).trim();
        if (file.isEmpty()) return spec;
        return prefix + Path.of(file).toAbsolutePath().normalize();
    }

    @Override
    public void close() {
        try {
            propagator.close();
        } finally {
            session.close();
        }
    }
}
