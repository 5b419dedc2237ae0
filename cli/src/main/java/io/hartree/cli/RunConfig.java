package io.hartree.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.hartree.api.ParameterException;
import io.hartree.api.Precision;
import io.hartree.api.grid.Grid3D;
import io.hartree.api.hartree.ConvolutionMode;
import io.hartree.api.hartree.HartreeProblem;
import io.hartree.api.hartree.Interaction;
import io.hartree.api.hartree.OneBodyOperator;
import io.hartree.api.hartree.Scheme;
import io.hartree.api.hartree.TimeMode;

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
 * @param backend         "auto", "cpu" or "cuda"; empty: $HARTREE_BACKEND, else auto (the written file
 *                        names the backend actually taken)
 * @param time            final time of a real-time run (ħ = 1 units); unused by ground-state
 * @param observeEvery    observables are recorded every this many steps
 * @param checkpointEvery wall-clock seconds between checkpoints
 * @param tol             ground-state: stop when |E(τ) − E(τ − observeEvery·dt)| &lt; tol
 * @param maxSteps        ground-state: give up (converged = false) after this many steps
 */
public record RunConfig(String command, String backend, String precision, int threads,
                        int grid, double box, double nu, String interaction, String conv, String scheme,
                        String initial, double dt, double time, int observeEvery, double checkpointEvery,
                        double tol, int maxSteps) {

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
        return new RunConfig(command, "", "double", 0, 64, 16.0, 10.0,
                "gaussian:lambda=1.0,sigma=1.0", "periodic", "strang", "ground",
                1e-3, 1.0, 0, DEFAULT_CHECKPOINT_SECONDS, 1e-10, 100_000);
    }

    /**
     * Replaces the automatic values: observe_every = 0 becomes about a hundred rows per run
     * (ground-state: every 10 steps, the interval over which the energy change is compared with tol).
     */
    public RunConfig resolveAuto() {
        if (observeEvery != 0) return this;
        int every = GROUND_STATE.equals(command) ? 10 : (int) Math.max(1, Math.round(steps() / 100.0));
        return with("observe_every", every);
    }

    /** Keys of config.toml, in the order they are written. */
    public static final List<String> KEYS = List.of("command", "backend", "precision", "threads", "grid", "box", "nu",
            "interaction", "conv", "scheme", "initial", "dt", "time", "observe_every", "checkpoint_every", "tol", "max_steps");

    /** Number of time steps of a real-time run: time/dt rounded to the nearest integer. */
    public long steps() {
        return Math.max(1, Math.round(time / dt));
    }

    public Grid3D gridModel() { return new Grid3D(grid, box); }

    public HartreeProblem problem() {
        return new HartreeProblem(gridModel(), OneBodyOperator.paper(nu), Interaction.parse(interaction),
                ConvolutionMode.parse(conv), Scheme.parse(scheme),
                GROUND_STATE.equals(command) ? TimeMode.IMAGINARY : TimeMode.REAL, dt);
    }

    /**
     * Checks every value and throws {@link ParameterException} naming the option and its allowed
     * range. Parses the interaction, scheme, convolution and precision, so that nothing is written
     * before all input is known to be good.
     */
    public RunConfig validate() {
        ParameterException.require(threads >= 0, "--threads", threads, "integer >= 0 (0 = all cores)");
        Precision.parse(precision);
        ParameterException.require(nu > 0 && Double.isFinite(nu), "--nu", nu, "finite ν > 0");
        ParameterException.require(dt > 0 && Double.isFinite(dt), "--dt", dt, "finite dt > 0");
        ParameterException.require(observeEvery >= 1, "--observe-every", observeEvery, "integer >= 0 (steps between observations; 0 = automatic)");
        ParameterException.require(checkpointEvery > 0 && !Double.isNaN(checkpointEvery), "--checkpoint-every", checkpointEvery, "seconds > 0");
        if (GROUND_STATE.equals(command)) {
            ParameterException.require(tol > 0 && Double.isFinite(tol), "--tol", tol, "finite energy tolerance > 0");
            ParameterException.require(maxSteps >= 1, "--max-steps", maxSteps, "integer >= 1");
        } else {
            ParameterException.require(time > 0 && Double.isFinite(time), "--time", time, "finite final time > 0");
            ParameterException.require(time / dt <= 1e9, "--time", time, "at most 1e9 steps of dt = " + dt);
        }
        gridModel();
        try {
            problem();
        } catch (ParameterException e) {
            // Interaction parameters are named "interaction sigma" etc.; the user typed --interaction.
            if (e.parameter().startsWith("--")) throw e;
            throw new ParameterException("--interaction", e.getMessage());
        }
        return this;
    }

    /** The values by key, in {@link #KEYS} order. */
    private Map<String, Object> values() {
        Object[] v = {command, backend, precision, threads, grid, box, nu, interaction, conv, scheme, initial, dt, time,
                observeEvery, checkpointEvery, tol, maxSteps};
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) m.put(KEYS.get(i), v[i]);
        return m;
    }

    /** The text of config.toml. */
    public String toToml() {
        ObjectNode o = MAPPER.createObjectNode();
        // Each command writes only its own keys: time for run, tol and max_steps for ground-state.
        boolean gs = GROUND_STATE.equals(command);
        values().forEach((k, v) -> {
            if (gs ? k.equals("time") : k.equals("tol") || k.equals("max_steps")) return;
            o.set(k, MAPPER.valueToTree(v));
        });
        try {
            return "# hartree " + command + ": the fully resolved input of this run (units: hbar = 1).\n"
                    + "# Rerun it with: hartree " + command + " --config config.toml --out OTHER_FOLDER\n"
                    + MAPPER.writeValueAsString(o);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write TOML: " + e.getMessage(), e);
        }
    }

    /** Reads the keys of a TOML file; unknown keys and wrong types are errors naming the key. */
    public static Map<String, Object> readToml(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
            throw new ParameterException("--config", file + " is not a readable file");
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ParameterException("--config", file + " is not valid TOML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var it = root.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            if (!KEYS.contains(key))
                throw new ParameterException("--config", file + ": unknown key '" + key + "'; allowed keys: " + String.join(", ", KEYS));
            JsonNode v = e.getValue();
            Object value = switch (key) {
                case "command", "backend", "precision", "interaction", "conv", "scheme", "initial" -> {
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
            out.put(key, value);
        }
        return out;
    }

    /** This configuration with the keys of {@code overrides} replaced (choice names trimmed and lower-cased). */
    public RunConfig with(Map<String, Object> overrides) {
        Map<String, Object> v = values();
        for (var e : overrides.entrySet()) {
            String key = e.getKey();
            if (!v.containsKey(key)) throw new ParameterException("--config", "unknown key '" + key + "'");
            Object x = e.getValue();
            if (List.of("backend", "precision", "conv", "scheme").contains(key)) x = ((String) x).trim().toLowerCase(Locale.ROOT);
            v.put(key, x);
        }
        return new RunConfig((String) v.get("command"), (String) v.get("backend"), (String) v.get("precision"), (Integer) v.get("threads"),
                (Integer) v.get("grid"), (Double) v.get("box"), (Double) v.get("nu"), (String) v.get("interaction"), (String) v.get("conv"),
                (String) v.get("scheme"), (String) v.get("initial"), (Double) v.get("dt"), (Double) v.get("time"), (Integer) v.get("observe_every"),
                (Double) v.get("checkpoint_every"), (Double) v.get("tol"), (Integer) v.get("max_steps"));
    }

    public RunConfig with(String key, Object v) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(key, v);
        return with(one);
    }

    static final TomlMapper MAPPER = new TomlMapper();
}
