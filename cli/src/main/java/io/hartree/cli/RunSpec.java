package io.hartree.cli;

import io.hartree.api.ParameterException;
import io.hartree.api.Precision;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.GpTerms;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.model.TrapSpec;
import io.hartree.api.model.PhysicalUnits;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A validated run: the configuration (what config.toml holds, specs in canonical form) with what
 * was parsed from it, once: the problem, the precision and the initial state. Built by
 * {@link #of} from the {@link RunConfig} that options, config.toml or a resumed run's folder gave,
 * and passed down to {@link Job}; nothing is parsed or validated again.
 */
record RunSpec(RunConfig config, HartreeProblem problem, Precision precision, InitialState initial, TrapSpec trap) {

    /**
     * Checks every value and throws {@link ParameterException} naming the option and its allowed
     * range; parses the interaction, scheme, convolution, precision and initial state and builds
     * the problem, so that nothing is written before all input is known to be good (a trap table is
     * read and checked here). File paths in "table:F" (interaction and trap) and "npy:F" become
     * absolute, so config.toml reruns from anywhere.
     */
    static RunSpec of(RunConfig c) {
        ParameterException.require(c.threads() >= 0, "--threads", c.threads(), "integer >= 0 (0 = all cores)");
        Precision precision = Precision.parse(c.precision());
        TrapSpec trap = TrapSpec.parse(absolute(c.trap(), "table:"));
        if (trap.usesNu()) ParameterException.require(c.nu() > 0 && Double.isFinite(c.nu()), "--nu", c.nu(), "finite ν > 0");
        ParameterException.require(c.dt() > 0 && Double.isFinite(c.dt()), "--dt", c.dt(), "finite dt > 0");
        ParameterException.require(c.observeEvery() >= 1, "--observe-every", c.observeEvery(), "integer >= 0 (steps between observations; 0 = automatic)");
        ParameterException.require(c.checkpointEvery() > 0 && !Double.isNaN(c.checkpointEvery()), "--checkpoint-every", c.checkpointEvery(), "seconds > 0");
        boolean groundState = RunConfig.GROUND_STATE.equals(c.command());
        if (groundState) {
            ParameterException.require(c.tol() > 0 && Double.isFinite(c.tol()), "--tol", c.tol(), "finite energy tolerance > 0");
            ParameterException.require(c.maxSteps() >= 1, "--max-steps", c.maxSteps(), "integer >= 1");
        } else {
            ParameterException.require(c.time() > 0 && Double.isFinite(c.time()), "--time", c.time(), "finite final time > 0");
            ParameterException.require(c.time() / c.dt() <= 1e9, "--time", c.time(), "at most 1e9 steps of dt = " + c.dt());
        }
        c.units(); // a --physical spec that does not parse is refused here, before anything is written
        Grid3D grid = new Grid3D(c.grid(), c.box());
        // The trap before the interaction: a table is read and validated here, before anything is written.
        OneBodyOperator h = trap.operator(c.nu(), grid);
        ComponentsSpec cs = components(c);
        HartreeProblem problem;
        try {
            problem = new HartreeProblem(grid, h, Interaction.parse(absolute(c.interaction(), "table:")),
                    ConvolutionMode.parse(c.conv()), Scheme.parse(c.scheme()), groundState ? TimeMode.IMAGINARY : TimeMode.REAL, c.dt(),
                    terms(c, cs));
        } catch (ParameterException e) {
            // Interaction parameters are named "interaction sigma" etc.; the user typed --interaction.
            if (e.parameter().startsWith("--")) throw e;
            throw new ParameterException("--interaction", e.getMessage());
        }
        InitialState initial = InitialState.parse(absolute(absolute(c.initial(), "npy:"), "file:"));
        RunConfig canonical = c.withSpecs(trap.spec(), problem.interaction().spec(), initial.spec());
        if (problem.terms().drive() != null) canonical = canonical.with("drive", problem.terms().drive().spec());
        if (cs != null) canonical = canonical.with("components", cs.canonical());
        return new RunSpec(canonical, problem, precision, initial, trap);
    }

    /** The terms beyond the paper's equation that the configuration asks for ({@link GpTerms}). */
    static GpTerms terms(RunConfig c) { return terms(c, components(c)); }

    /** As {@link #terms(RunConfig)} with the configuration's --components already parsed ({@code cs}, null for one). */
    private static GpTerms terms(RunConfig c, ComponentsSpec cs) {
        GpTerms t = new GpTerms(c.rotation(), c.damping(), drive(c));
        // --rotation: any finite Ω (GpTerms checks; the imaginary-time bound on --dt is HartreeProblem's).
        boolean groundState = RunConfig.GROUND_STATE.equals(c.command());
        ParameterException.require(!groundState || t.damping() == 0, "--damping", c.damping(), "0 with ground-state (damping is a real-time term: use hartree run)");
        ParameterException.require(!groundState || t.drive() == null, "--drive", c.drive(), "none with ground-state (a ground state is of one trap: use hartree run)");
        return cs == null ? t : t.withComponents(cs.components());
    }

    /** The parsed --components of the configuration (null for one component); validates it (exit 2 naming the key). */
    static ComponentsSpec components(RunConfig c) {
        if (c.components() == null || c.components().isBlank()) return null;
        Interaction v;
        try {
            v = Interaction.parse(absolute(c.interaction(), "table:"));
        } catch (ParameterException e) {
            if (e.parameter().startsWith("--")) throw e;
            throw new ParameterException("--interaction", e.getMessage());
        }
        return ComponentsSpec.parse(c.components(), v, TrapSpec.parse(absolute(c.trap(), "table:")), c.nu(), new Grid3D(c.grid(), c.box()));
    }

    /** {@code --drive}: parsed and bound to the trap (every parameter the trap's, every value in range), or null. */
    static io.hartree.api.model.Drive drive(RunConfig c) {
        if (io.hartree.api.model.Drive.absent(c.drive())) return null;
        return io.hartree.api.model.Drive.parse(c.drive()).bind(TrapSpec.parse(absolute(c.trap(), "table:")), c.nu());
    }

    /**
     * A rotating frame with a trap that is not isotropic in x, y (cx ≠ cy, or a double well or table): then the
     * frame is the lab frame of a trap rotating at Ω, which is allowed but worth saying.
     */
    java.util.Optional<String> rotationWarning() {
        double omega = problem.terms().rotation();
        if (omega == 0) return java.util.Optional.empty();
        var q = problem.h().trap().quadraticCoefficients();
        if (q.isPresent() && q.get()[0] == q.get()[1]) return java.util.Optional.empty();
        return java.util.Optional.of("rotating frame with a trap not isotropic in x, y (" + problem.h().trap().describe()
                + "): the run is the lab frame of that trap rotating at Omega = " + omega + " about z");
    }

    boolean groundState() { return RunConfig.GROUND_STATE.equals(config.command()); }

    /** This run on the backend actually taken (config.toml names it). */
    RunSpec withBackend(String name) {
        return new RunSpec(config.withBackend(name), problem, precision, initial, trap);
    }

    /**
     * ν belongs to the paper's trap alone: a value of nu given (as an option or a config key) with
     * another trap is refused rather than silently ignored.
     */
    /**
     * {@code --physical}: derives the trap, the interaction and (unless a box was given) the box from the
     * experiment's parameters ({@link PhysicalUnits}). Typing --trap or --interaction beside it is refused; a
     * config file's trap and interaction must be the ones it maps to (they are, in a config.toml the engine
     * wrote), so that the physical spec and the dimensionless run never disagree.
     */
    static RunConfig applyPhysical(RunConfig r, RunConfig.Overrides file, RunConfig.Overrides given) {
        if (r.units().isEmpty()) return r;
        PhysicalUnits u = r.units().get();
        String trap = u.trap().spec(), interaction = u.interaction().spec();
        if (given.trap() != null || given.interaction() != null)
            throw new ParameterException(PhysicalUnits.PARAMETER, "it sets the trap (" + trap + ") and the interaction (" + interaction
                    + "); give either --physical or --trap/--interaction, not both");
        if (file != null) {
            if (file.trap() != null && !TrapSpec.parse(file.trap()).spec().equals(trap))
                throw new ParameterException("--config", "trap = " + file.trap() + " differs from the one physical = \"" + u.spec() + "\" maps to (" + trap + ")");
            if (file.interaction() != null && !Interaction.parse(file.interaction()).spec().equals(interaction))
                throw new ParameterException("--config", "interaction = " + file.interaction() + " differs from the one physical = \"" + u.spec() + "\" maps to (" + interaction + ")");
        }
        boolean boxGiven = given.box() != null || (file != null && file.box() != null);
        double box = boxGiven ? r.box() : Math.ceil(u.suggestedBox() * 2) / 2;
        return r.withPhysical(u.spec(), trap, interaction, box);
    }

    static void requireNuUsed(RunConfig resolved, RunConfig.Overrides... sources) {
        if (resolved.usesNu()) return;
        for (RunConfig.Overrides o : sources)
            if (o != null && o.nu() != null)
                throw new ParameterException("--nu", o.nu(), "--nu only with --trap paper (the trap is " + resolved.trap()
                        + ", h = -1/2 Laplacian + U, which has no nu; see docs/hartree.md)");
    }

    private static String absolute(String spec, String prefix) {
        if (spec == null || !spec.trim().toLowerCase(Locale.ROOT).startsWith(prefix)) return spec;
        String file = spec.trim().substring(prefix.length()).trim();
        if (file.isEmpty()) return spec;
        return prefix + Path.of(file).toAbsolutePath().normalize();
    }
}
