package io.hartree.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.hartree.api.ParameterException;
import io.hartree.api.Precision;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.model.TrapSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fully resolved input of a run: every parameter with its value, nothing left to a default.
 * It is what {@code config.toml} holds, one flat key per command-line option (the option's name
 * with '-' written '_'), so {@code hartree run --config run/config.toml} reruns the same job.
 *
 * <p>Resolution order: built-in defaults (the paper's toy model), then the keys of a
 * {@code --config} file, then the options given on the command line.
 *
 * @param command         "run" (real time) or "ground-state" (imaginary time)
 * @param nu              ν of the paper's h_ν; used (and written to config.toml) only with trap "paper"
 * @param trap            the trap ({@link TrapSpec}): paper, harmonic:..., doublewell:..., table:FILE.npy
 * @param backend         "auto", "cpu" or "cuda"; empty: $HARTREE_BACKEND, else auto (the written file
 *                        names the backend actually taken)
 * @param time            final time of a real-time run (ħ = 1 units); unused by ground-state
 * @param observeEvery    observables are recorded every this many steps
 * @param checkpointEvery wall-clock seconds between checkpoints
 * @param tol             ground-state: stop when |E(τ) − E(τ − observeEvery·dt)| &lt; tol
 * @param maxSteps        ground-state: give up (converged = false) after this many steps
 * @param physical        "" or the experiment's parameters ({@link io.hartree.api.model.PhysicalUnits}: species, trap
 *                        frequencies in Hz, N, scattering length in Bohr radii) from which trap, interaction and
 *                        (unless given) box were derived
 * @param rotation        Ω of the rotating frame, h → h − Ω L_z (0: none)
 * @param damping         γ of the damped equation (i − γ)∂tφ = (H − μ)φ (0: none)
 * @param drive           "" or the time dependence of the one-body terms (trap parameters, barrier height)
 * @param components      "" or the specification of a K-component system (K = 2, 3)
 */
public record RunConfig(String command, String backend, String precision, int threads,
                        int grid, double box, double nu, String trap, String interaction, String conv, String scheme,
                        String initial, double dt, double time, int observeEvery, double checkpointEvery,
                        double tol, int maxSteps, String physical, double rotation, double damping, String drive,
                        String components) {

    public static final String RUN = "run";
    public static final String GROUND_STATE = "ground-state";

    /** Checkpoint interval by default: a lost run costs at most ten minutes. */
    public static final double DEFAULT_CHECKPOINT_SECONDS = 600;

    /**
     * The embedded default of {@code hartree run}: the paper's toy model (3.3) with ν = 10 on a
     * 64³ grid. L = 16 puts the box faces at |x| = 8, where φ⁰ has fallen to e^{−32} ≈ 1e−14 and
     * the Gaussian V (σ = 1) to e^{−32}, so neither the periodic images nor the edge matter; dx =
     * 0.25 resolves φ̂⁰ down to e^{−(π/dx)²/2} ≈ e^{−79}. dt = 1e−3 gives ν·dt = 0.01, and the
     * measured Strang error at t = 1 is documented in docs/cli.md.
     */
    public static RunConfig defaults(String command) {
        return new RunConfig(command, "", "double", 0, 64, 16.0, 10.0, "paper",
                "gaussian:lambda=1.0,sigma=1.0", "periodic", "strang", "ground",
                1e-3, 1.0, 0, DEFAULT_CHECKPOINT_SECONDS, 1e-10, 100_000, "", 0.0, 0.0, "", "");
    }

    /**
     * Replaces the automatic values: observe_every = 0 becomes about a hundred rows per run
     * (ground-state: every 10 steps, the interval over which the energy change is compared with tol).
     */
    public RunConfig resolveAuto() {
        if (observeEvery != 0) return this;
        int every = GROUND_STATE.equals(command) ? 10 : (int) Math.max(1, Math.round(steps() / 100.0));
        return new RunConfig(command, backend, precision, threads, grid, box, nu, trap, interaction, conv, scheme, initial, dt, time,
                every, checkpointEvery, tol, maxSteps, physical, rotation, damping, drive, components);
    }

    /** This configuration naming the backend actually taken. */
    public RunConfig withBackend(String name) {
        return new RunConfig(command, name, precision, threads, grid, box, nu, trap, interaction, conv, scheme, initial, dt, time,
                observeEvery, checkpointEvery, tol, maxSteps, physical, rotation, damping, drive, components);
    }

    /** This configuration with the trap, interaction and initial-state specs replaced (their canonical form). */
    RunConfig withSpecs(String trap, String interaction, String initial) {
        return new RunConfig(command, backend, precision, threads, grid, box, nu, trap, interaction, conv, scheme, initial, dt, time,
                observeEvery, checkpointEvery, tol, maxSteps, physical, rotation, damping, drive, components);
    }

    /** This configuration with the physical-units spec, the trap and interaction it maps to, and the box. */
    RunConfig withPhysical(String physical, String trap, String interaction, double box) {
        return new RunConfig(command, backend, precision, threads, grid, box, nu, trap, interaction, conv, scheme, initial, dt, time,
                observeEvery, checkpointEvery, tol, maxSteps, physical, rotation, damping, drive, components);
    }

    /** The experiment's units of a run given with --physical; empty for a dimensionless run. */
    public java.util.Optional<io.hartree.api.model.PhysicalUnits> units() {
        return physical == null || physical.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(io.hartree.api.model.PhysicalUnits.parse(physical));
    }

    /** Keys of config.toml, in the order they are written. */
    public static final List<String> KEYS = List.of("command", "backend", "precision", "threads", "grid", "box", "nu", "trap",
            "interaction", "conv", "scheme", "initial", "dt", "time", "observe_every", "checkpoint_every", "tol", "max_steps", "physical",
            "rotation", "damping", "drive", "components");

    /** Number of time steps of a real-time run: time/dt rounded to the nearest integer. */
    public long steps() {
        return Math.max(1, Math.round(time / dt));
    }

    public Grid3D gridModel() { return new Grid3D(grid, box); }

    /** The problem of these values (parses the specs; {@link RunSpec} builds it once and keeps it). */
    public HartreeProblem problem() {
        return new HartreeProblem(gridModel(), TrapSpec.parse(trap).operator(nu, gridModel()), Interaction.parse(interaction),
                ConvolutionMode.parse(conv), Scheme.parse(scheme),
                GROUND_STATE.equals(command) ? TimeMode.IMAGINARY : TimeMode.REAL, dt, RunSpec.terms(this));
    }

    /**
     * Checks every value and throws {@link ParameterException} naming the option and its allowed
     * range; the configuration with its specs in canonical form. See {@link RunSpec#of}, which
     * does the work once and keeps the problem it built.
     */
    public RunConfig validate() {
        return RunSpec.of(this).config();
    }

    /** Whether ν enters this run's operator: true for the paper's trap (and for a trap spec that does not parse, which validation refuses). */
    boolean usesNu() {
        try {
            return TrapSpec.parse(trap).usesNu();
        } catch (ParameterException e) {
            return true;
        }
    }

    /** The values by key, in {@link #KEYS} order. */
    private Map<String, Object> values() {
        Object[] v = {command, backend, precision, threads, grid, box, nu, trap, interaction, conv, scheme, initial, dt, time,
                observeEvery, checkpointEvery, tol, maxSteps, physical, rotation, damping, drive, components};
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) m.put(KEYS.get(i), v[i]);
        return m;
    }

    /** The text of config.toml. */
    public String toToml() {
        ObjectNode o = MAPPER.createObjectNode();
        // Each command writes only its own keys: time for run, tol and max_steps for ground-state;
        // nu only for the trap that uses it (the paper's), since a config is refused that gives
        // nu with another trap (RunSpec.requireNuUsed).
        boolean gs = GROUND_STATE.equals(command);
        boolean nuUsed = usesNu();
        values().forEach((k, v) -> {
            if (gs ? k.equals("time") : k.equals("tol") || k.equals("max_steps")) return;
            if (k.equals("nu") && !nuUsed) return;
            if (k.equals("physical") && (physical == null || physical.isBlank())) return;
            // The terms beyond the paper's equation are written only when used, so older config.toml files stay as they were.
            if ((k.equals("rotation") || k.equals("damping")) && ((Double) v) == 0.0) return;
            if ((k.equals("drive") || k.equals("components")) && (v == null || ((String) v).isBlank())) return;
            o.set(k, MAPPER.valueToTree(v));
        });
        try {
            return "# hartree " + command + ": the fully resolved input of this run (units: hbar = 1).\n"
                    + "# Rerun it with: hartree " + command + " --config config.toml --out OTHER_FOLDER\n"
                    + units().map(u -> "# " + u.summaryLine() + "\n").orElse("")
                    + MAPPER.writeValueAsString(o);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write TOML: " + e.getMessage(), e);
        }
    }

    /** Reads the keys of a TOML file; unknown keys and wrong types are errors naming the key. */
    public static Map<String, Object> readToml(Path file) {
        return Overrides.read(file).asMap();
    }

    /**
     * Values given by the user, typed; null where not given. Built from the options typed on the
     * command line or from the keys of a config.toml, and laid over a configuration with
     * {@link #overlay}, so that a value goes from option (or file) to the record without a map.
     */
    public record Overrides(String command, String backend, String precision, Integer threads, Integer grid, Double box, Double nu,
                            String trap, String interaction, String conv, String scheme, String initial, Double dt, Double time, Integer observeEvery,
                            Double checkpointEvery, Double tol, Integer maxSteps, String physical, Double rotation, Double damping,
                            String drive, String components) {
        static final Overrides NONE = of(Map.of());

        Object[] values() {
            return new Object[]{command, backend, precision, threads, grid, box, nu, trap, interaction, conv, scheme, initial, dt, time,
                    observeEvery, checkpointEvery, tol, maxSteps, physical, rotation, damping, drive, components};
        }

        /** The keys given, in {@link #KEYS} order. */
        public Map<String, Object> asMap() {
            Object[] v = values();
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < v.length; i++) if (v[i] != null) m.put(KEYS.get(i), v[i]);
            return m;
        }

        /** From key/value pairs (keys of {@link #KEYS}; for tests and programmatic use). */
        public static Overrides of(Map<String, Object> m) {
            Object[] v = new Object[KEYS.size()];
            for (var e : m.entrySet()) {
                int i = KEYS.indexOf(e.getKey());
                if (i < 0) throw new ParameterException("--config", "unknown key '" + e.getKey() + "'");
                v[i] = e.getValue();
            }
            return fromValues(v);
        }

        /** From values in {@link #KEYS} order (null where not given). */
        private static Overrides fromValues(Object[] v) {
            return new Overrides((String) v[0], (String) v[1], (String) v[2], (Integer) v[3], (Integer) v[4], (Double) v[5], (Double) v[6],
                    (String) v[7], (String) v[8], (String) v[9], (String) v[10], (String) v[11], (Double) v[12], (Double) v[13], (Integer) v[14],
                    (Double) v[15], (Double) v[16], (Integer) v[17], (String) v[18], (Double) v[19], (Double) v[20], (String) v[21],
                    (String) v[22]);
        }

        /** Reads a config.toml; unknown keys and wrong types are errors naming the key. */
        public static Overrides read(Path file) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file))
                throw new ParameterException("--config", file + " is not a readable file");
            JsonNode root;
            try {
                root = MAPPER.readTree(Files.readString(file));
            } catch (IOException e) {
                throw new ParameterException("--config", file + " is not valid TOML: " + e.getMessage().lines().findFirst().orElse(""));
            }
            Object[] v = new Object[KEYS.size()];
            for (var it = root.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                String key = e.getKey();
                int i = KEYS.indexOf(key);
                if (i < 0)
                    throw new ParameterException("--config", file + ": unknown key '" + key + "'; allowed keys: " + String.join(", ", KEYS));
                v[i] = value(file, key, e.getValue());
            }
            return fromValues(v);
        }

        private static Object value(Path file, String key, JsonNode v) {
            return switch (key) {
                case "command", "backend", "precision", "trap", "interaction", "conv", "scheme", "initial", "physical", "drive", "components" -> {
                    if (!v.isTextual()) throw new ParameterException("--config", file + ": key '" + key + "' must be a string");
                    yield v.asText();
                }
                case "threads", "grid", "observe_every", "max_steps" -> {
                    if (!v.isIntegralNumber() || !v.canConvertToInt())
                        throw new ParameterException("--config", file + ": key '" + key + "' must be an integer");
                    yield v.intValue();
                }
                default -> {
                    if (!v.isNumber()) throw new ParameterException("--config", file + ": key '" + key + "' must be a number");
                    yield v.doubleValue();
                }
            };
        }
    }

    private static String choice(String given, String current) {
        return given == null ? current : given.trim().toLowerCase(Locale.ROOT);
    }

    private static <T> T or(T given, T current) { return given != null ? given : current; }

    /** This configuration with the values given in {@code o} (choice names trimmed and lower-cased). */
    public RunConfig overlay(Overrides o) {
        return new RunConfig(or(o.command(), command), choice(o.backend(), backend), choice(o.precision(), precision), or(o.threads(), threads),
                or(o.grid(), grid), or(o.box(), box), or(o.nu(), nu), or(o.trap(), trap), or(o.interaction(), interaction), choice(o.conv(), conv),
                choice(o.scheme(), scheme), or(o.initial(), initial), or(o.dt(), dt), or(o.time(), time), or(o.observeEvery(), observeEvery),
                or(o.checkpointEvery(), checkpointEvery), or(o.tol(), tol), or(o.maxSteps(), maxSteps), or(o.physical(), physical),
                or(o.rotation(), rotation), or(o.damping(), damping), or(o.drive(), drive), or(o.components(), components));
    }

    /** This configuration with the keys of {@code overrides} replaced (choice names trimmed and lower-cased). */
    public RunConfig with(Map<String, Object> overrides) {
        return overlay(Overrides.of(overrides));
    }

    public RunConfig with(String key, Object v) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(key, v);
        return with(one);
    }

    static final TomlMapper MAPPER = new TomlMapper();
}
