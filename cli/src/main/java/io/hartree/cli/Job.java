package io.hartree.cli;

import io.hartree.api.BackendSession;
import io.hartree.api.Backends;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Scheme;
import io.hartree.api.modes.GridModes;
import io.hartree.api.ParameterException;
import io.hartree.api.hartree.MemoryPlan;
import io.hartree.api.Observables;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
    private MemorySegment initial;
    /** Off-heap host memory of the job (the initial state, the host copy of φ): long-indexed, freed on close. */
    private final Arena arena;
    final double setupSeconds;

    /** ν·dt above which a warning says the time step is coarse. */
    static final double COARSE_NU_DT = 0.1;
    private final Set<String> warnings = new LinkedHashSet<>();

    private Job(RunConfig config, Backends.Selection selection, BackendSession session, HartreePropagator propagator,
                Arena arena, MemorySegment initial, List<String> warnings, double setupSeconds) {
        this.config = config;
        this.selection = selection;
        this.session = session;
        this.propagator = propagator;
        this.initial = initial;
        this.arena = arena;
        this.warnings.addAll(warnings);
        this.setupSeconds = setupSeconds;
    }

    /** docs/hartree.md, "imaginary time": the triple jump's negative substep leaves a first-order fixed point. */
    static final String FOURTH_IN_IMAGINARY_TIME = "scheme fourth in imaginary time: the triple jump has a negative substep and its "
            + "fixed point is only first order in dtau (Strang's is second order, from the start-of-step density); use --scheme strang";

    /** The memory plan of a run on the selected backend, against what this JVM, machine and device have. */
    record Planned(MemoryPlan plan, MemoryPlan.Available available) {
        boolean fits() { return plan.fits(available); }

        /** Refuses (exit 2) a run that cannot fit, with the plan's numbers and what to change. */
        void require() {
            if (fits()) return;
            throw new ParameterException("--grid", "the run does not fit in memory:\n  - " + String.join("\n  - ", plan.problems(available))
                    + "\n" + plan.describe(available) + "what to change: " + plan.advice() + "\nnothing was written");
        }
    }

    /** The plan of {@code spec} on the session's backend; device memory from the session's capabilities (0: unknown, not checked). */
    static Planned plan(RunSpec spec, BackendSession session) {
        MemoryPlan plan = MemoryPlan.of(session.backend(), spec.problem(), spec.precision(), spec.problem().terms().componentCount(), spec.groundState());
        long device = "cuda".equals(session.backend()) ? session.capabilities().memoryBytes() : 0;
        return new Planned(plan, MemoryPlan.Available.thisJvm(device));
    }

    /**
     * Selects and opens the backend, makes the memory plan and refuses a run that cannot fit,
     * then samples the initial state (unless {@code sampleInitial} is false, on resume) and builds
     * the propagator of the spec's problem. The returned configuration names the backend taken.
     */
    static Job open(RunSpec spec, boolean sampleInitial) {
        long t0 = System.nanoTime();
        RunConfig cfg = spec.config();
        Backends.Selection sel = Backends.select(cfg.backend());
        BackendSession s = sel.backend().open(new SessionOptions(spec.precision(), cfg.threads(), 0));
        Arena arena = Arena.ofShared();
        try {
            plan(spec, s).require();
            List<String> warnings = new ArrayList<>();
            // Strang's error grows like (ν·dt)²: 6e-5 in φ at ν·dt = 0.01 (docs/cli.md), ~100 times more at 0.1.
            // Other traps: ω·dt with ω the trap's fastest frequency (TrapSpec.frequency; none known for a table).
            double omega = spec.trap().frequency(cfg.nu());
            String w = spec.trap().usesNu() ? "nu" : "omega";
            if (omega * cfg.dt() > COARSE_NU_DT)
                warnings.add(String.format(java.util.Locale.ROOT, "coarse time step: %s*dt = %.3g > %.2g resolves the trap period 2*pi/%s by only %.1f steps; reduce --dt",
                        w, omega * cfg.dt(), COARSE_NU_DT, w, 2 * Math.PI / (omega * cfg.dt())));
            spec.rotationWarning().ifPresent(warnings::add);
            MemorySegment psi0 = null;
            if (sampleInitial) {
                psi0 = arena.allocate(2 * spec.problem().grid().points() * Double.BYTES, 64);
                // eigen:/localised: states are made of the grid eigenmodes of this run's own h, on the session's transforms.
                var grid = spec.problem().grid();
                var h = spec.problem().h();
                spec.initial().sampleInto(grid, m -> {
                    GridModes gm = GridModes.lowest(h, grid, m, s.hostTransforms());
                    return new InitialState.Eigenbasis(gm.re(), gm.energies());
                }, psi0, warnings::add);
            }
            HartreePropagator p;
            ComponentsSpec cs = RunSpec.components(spec.config());
            if (cs == null) p = s.hartree(spec.problem());
            else {
                // Several components: one batch of K states; the own initial states sampled like the run's.
                MemorySegment[] own = new MemorySegment[cs.components().k()];
                for (int i = 0; i < own.length; i++) {
                    if (cs.initials()[i] == null || !sampleInitial) continue;
                    own[i] = arena.allocate(2 * spec.problem().grid().points() * Double.BYTES, 64);
                    var grid = spec.problem().grid();
                    var h = spec.problem().h();
                    InitialState.parse(cs.initials()[i]).sampleInto(grid, m -> {
                        GridModes gm = GridModes.lowest(h, grid, m, s.hostTransforms());
                        return new InitialState.Eigenbasis(gm.re(), gm.energies());
                    }, own[i], warnings::add);
                }
                p = new ComponentView(s.hartree(spec.problem(), cs.components().k()), cs.components(), own, arena);
            }
            // The cpu backend always computes in double; say so rather than report single.
            if (spec.precision() == Precision.SINGLE && s.backend().equals("cpu"))
                warnings.add("precision: the cpu backend computes in double precision; --precision single applies to the cuda backend");
            if (spec.groundState() && spec.problem().scheme() == Scheme.FOURTH)
                warnings.add(FOURTH_IN_IMAGINARY_TIME);
            return new Job(spec.withBackend(sel.backend().name()).config(), sel, s, p, arena, psi0, warnings, (System.nanoTime() - t0) * 1e-9);
        } catch (RuntimeException e) {
            s.close();
            arena.close();
            throw e;
        }
    }

    /** The components view of a --components run, else null. */
    ComponentView components() { return propagator instanceof ComponentView v ? v : null; }

    /** An observables.csv row of {@code o}, with the per-component columns of a --components run. */
    ObservablesCsv.Row row(long step, io.hartree.api.Observables o) {
        ComponentView v = components();
        return new ObservablesCsv.Row(step, o, v == null ? null : v.columnsOf(o), v == null ? null : v.columns());
    }

    /**
     * psi_final.npy: the (n, n, n) complex state {@code psi} (already stored), or for a --components run
     * every component, shape (K, n, n, n).
     */
    void writeFinal(java.nio.file.Path file, MemorySegment psi) {
        int n = config.grid();
        ComponentView v = components();
        if (v == null) io.hartree.api.io.Npy.writeComplex(file, psi, n, n, n);
        else io.hartree.api.io.Npy.writeComplex(file, v.storeAll(), v.k(), n, n, n);
    }

    /** The sampled initial state (2n³ doubles off-heap), handed over once. */
    MemorySegment takeInitial() {
        MemorySegment a = initial;
        initial = null;
        return a;
    }

    /**
     * A host buffer of 2n³ doubles for the state, off-heap and long-indexed, allocated once and
     * reused for checkpoints and the final state (at 512³ it is 2 GiB, at 1024³ 16 GiB).
     */
    MemorySegment hostBuffer() {
        if (host == null) host = arena.allocate(2 * config.gridModel().points() * Double.BYTES, 64);
        return host;
    }

    private MemorySegment host;

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

    @Override
    public void close() {
        try {
            propagator.close();
        } finally {
            try {
                session.close();
            } finally {
                arena.close();
            }
        }
    }
}
