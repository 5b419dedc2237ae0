package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hartree.api.BackendSession;
import io.hartree.api.Backends;
import io.hartree.api.ParameterException;
import io.hartree.api.SessionOptions;
import io.hartree.api.io.AtomicFiles;
import io.hartree.api.hartree.MemoryPlan;
import picocli.CommandLine;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parameter sweep (docs/sweep.md): a base command ({@code run}, {@code ground-state} or
 * {@code fock}) with its options, and axes whose product gives the points. Each axis is one key
 * with a list of values, or several keys zipped (lists of equal length); a list is written out, or
 * given as a linear range ({@code from, to, count} or {@code from, to, step}) or a log range
 * ({@code from, to, count, log = true}).
 *
 * <p>A point is the base command's own command line: {@code --key value} for every base option and
 * axis value. {@link #validate} parses each point with the command's picocli model and runs the
 * command's own resolution ({@link JobOptions#resolve} for run and ground-state,
 * {@link FockCommand#setup} for fock), so a point is refused exactly as the command would refuse it;
 * all points are checked before anything is written.
 *
 * @param command the base command
 * @param base    the base options (key without "--", value: string, number or boolean flag)
 * @param axes    the axes, in order; the points are their product, the last axis varying fastest
 * @param points  the points, named p000, p001, …
 */
record SweepPlan(String command, Map<String, Object> base, List<Axis> axes, List<Point> points) {

    static final List<String> COMMANDS = List.of(RunConfig.RUN, RunConfig.GROUND_STATE, "fock");

    /** Options a sweep sets itself, or that make no sense per point. */
    static final Set<String> RESERVED = Set.of("out", "force", "resume", "dry-run", "stop-after-steps", "help", "version", "h", "V");

    /** One axis: its keys (several when zipped) with one value list each, all of the same length. */
    record Axis(List<String> keys, List<List<Object>> values, boolean log) {
        int size() { return values.getFirst().size(); }
    }

    /** One point: its name (its run folder under points/), the swept values and the base command's arguments. */
    record Point(String name, Map<String, Object> params, List<String> args) {}

    /** The file a sweep folder keeps its plan in (the points' arguments, so that every executor runs the same). */
    static final String PLAN = "sweep.json";

    static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a sweep file (TOML): top-level command, [base] and [[axes]] tables; unknown keys are refused. */
    static SweepPlan read(Path file, List<String> params) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
            throw new ParameterException("sweep file", file + " is not a readable file");
        JsonNode root;
        try {
            root = RunConfig.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ParameterException("sweep file", file + " is not valid TOML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!Set.of("command", "base", "axes").contains(k))
                throw new ParameterException("sweep file", file + ": unknown key '" + k + "'; allowed: command, [base], [[axes]]");
        }
        JsonNode cmd = root.get("command");
        if (cmd == null || !cmd.isTextual())
            throw new ParameterException("sweep file", file + ": 'command' must be a string, one of " + String.join(", ", COMMANDS));
        Map<String, Object> base = new LinkedHashMap<>();
        JsonNode b = root.get("base");
        if (b != null) {
            if (!b.isObject()) throw new ParameterException("sweep file", file + ": [base] must be a table of options");
            for (var e : b.properties()) base.put(key(e.getKey()), scalar("base." + e.getKey(), e.getValue()));
        }
        List<Axis> axes = new ArrayList<>();
        JsonNode a = root.get("axes");
        if (a != null) {
            if (!a.isArray()) throw new ParameterException("sweep file", file + ": axes must be an array of tables: [[axes]]");
            for (JsonNode t : a) {
                if (!t.isObject() || t.isEmpty()) throw new ParameterException("sweep file", file + ": each [[axes]] must be a non-empty table key = values");
                List<String> keys = new ArrayList<>();
                List<List<Object>> values = new ArrayList<>();
                boolean log = false;
                for (var e : t.properties()) {
                    keys.add(key(e.getKey()));
                    values.add(values(e.getKey(), e.getValue()));
                    log |= e.getValue().isObject() && e.getValue().path("log").asBoolean(false);
                }
                axes.add(zip(keys, values, log));
            }
        }
        for (String p : params) axes.add(param(p));
        return of(cmd.asText(), base, axes);
    }

    /** The plan of {@code command} with base options and axes: checks the keys and builds the points (not yet validated). */
    static SweepPlan of(String command, Map<String, Object> base, List<Axis> axes) {
        if (!COMMANDS.contains(command))
            throw new ParameterException("command", command, String.join(" | ", COMMANDS) + " (the command each point runs)");
        CommandLine.Model.CommandSpec spec = commandLine(command).getCommandSpec();
        Set<String> seen = new java.util.HashSet<>();
        for (String k : base.keySet()) {
            option(spec, command, k, "base");
            seen.add(k);
        }
        if (axes.isEmpty()) throw new ParameterException("axes", "no axis: give [[axes]] in the sweep file or --param KEY=V1,V2,...");
        for (Axis ax : axes)
            for (String k : ax.keys()) {
                option(spec, command, k, "axis");
                if (k.equals("config")) throw new ParameterException("config", "--config only in [base], not as an axis");
                if (!seen.add(k))
                    throw new ParameterException(k, "'" + k + "' is given twice (base or another axis); allowed: each key once");
            }
        long count = 1;
        for (Axis ax : axes) count = Math.multiplyExact(count, ax.size());
        if (count > 100_000) throw new ParameterException("axes", count + " points is not allowed; allowed: at most 100000 points");
        int width = Math.max(3, String.valueOf(count - 1).length());
        List<Point> points = new ArrayList<>();
        int[] idx = new int[axes.size()];
        for (int p = 0; p < count; p++) {
            Map<String, Object> params = new LinkedHashMap<>();
            for (int i = 0; i < axes.size(); i++)
                for (int k = 0; k < axes.get(i).keys().size(); k++) params.put(axes.get(i).keys().get(k), axes.get(i).values().get(k).get(idx[i]));
            List<String> args = new ArrayList<>();
            base.forEach((k, v) -> addArg(args, k, k.equals("config") ? Path.of(v.toString()).toAbsolutePath().normalize().toString() : v));
            params.forEach((k, v) -> addArg(args, k, v));
            points.add(new Point(String.format(Locale.ROOT, "p%0" + width + "d", p), params, List.copyOf(args)));
            for (int i = axes.size() - 1; i >= 0; i--) {
                if (++idx[i] < axes.get(i).size()) break;
                idx[i] = 0;
            }
        }
        return new SweepPlan(command, base, List.copyOf(axes), List.copyOf(points));
    }

    /** The keys swept, in axis order. */
    List<String> sweptKeys() {
        List<String> k = new ArrayList<>();
        for (Axis a : axes) k.addAll(a.keys());
        return k;
    }

    /**
     * Checks every point with the base command's own code path; the first bad one is refused with
     * the point's name, its swept values and the command's message (exit 2). Nothing is written.
     */
    Estimate validate() {
        return validate(false);
    }

    /**
     * As {@link #validate()}; with {@code memoryHere} (the local executor) also the memory plan of
     * each point that runs on the cpu backend against this JVM and machine, the check
     * {@code hartree run} makes before it allocates (the workers get this JVM's options).
     */
    Estimate validate(boolean memoryHere) {
        long bytes = 0;
        String autoBackend = null;
        boolean cuda = false;
        BackendSession fockSession = null;
        try {
            for (Point p : points) {
                try {
                    CommandLine cl = commandLine(command);
                    try {
                        cl.parseArgs(p.args().toArray(String[]::new));
                    } catch (CommandLine.ParameterException e) {
                        throw new ParameterException(optionOf(e), e.getMessage());
                    }
                    Object c = cl.getCommand();
                    RunSpec spec = switch (c) {
                        case RunCommand r -> r.job.resolve(RunConfig.RUN, r.job.given(RunConfig.RUN, r.time, null, null));
                        case GroundStateCommand g -> g.job.resolve(RunConfig.GROUND_STATE, g.job.given(RunConfig.GROUND_STATE, null, g.tol, g.maxSteps));
                        case FockCommand f -> {
                            // The toy model's mode integrals need host transforms: one cpu session serves every point.
                            if (fockSession == null) fockSession = Backends.select("cpu").backend().open(SessionOptions.defaults());
                            f.setup(fockSession.hostTransforms());
                            cuda |= f.backend != null && f.backend.trim().equalsIgnoreCase("cuda");
                            bytes = Math.max(bytes, FOCK_BYTES);
                            yield null;
                        }
                        default -> throw new IllegalStateException(c.getClass().getName());
                    };
                    if (spec != null) {
                        boolean onCuda = "cuda".equals(spec.config().backend());
                        cuda |= onCuda;
                        MemoryPlan mp = MemoryPlan.of(onCuda ? "cuda" : "cpu", spec.problem(), spec.precision(), 1, spec.groundState());
                        // On cuda the host holds the state's copies: the cpu plan bounds them from above.
                        if (onCuda) mp = MemoryPlan.of("cpu", spec.problem(), spec.precision(), 1, spec.groundState());
                        bytes = Math.max(bytes, mp.peak(MemoryPlan.Pool.HEAP) + mp.peak(MemoryPlan.Pool.NATIVE) + JVM_BYTES);
                        String b = spec.config().backend();
                        if (memoryHere && (b.isEmpty() || b.equals("auto")) && autoBackend == null) autoBackend = Backends.select(b).backend().name();
                        if (memoryHere && (b.equals("cpu") || (b.isEmpty() || b.equals("auto")) && "cpu".equals(autoBackend)))
                            new Job.Planned(mp, MemoryPlan.Available.thisJvm(0)).require();
                    }
                } catch (ParameterException e) {
                    throw new ParameterException(e.parameter(), "point " + p.name() + " " + describe(p.params()) + ": " + e.getMessage()
                            + "\nnothing was written or started");
                }
            }
        } finally {
            if (fockSession != null) fockSession.close();
        }
        return new Estimate(bytes, cuda);
    }

    /** What the executors size from: the host memory of the largest point, and whether any point runs on cuda. */
    record Estimate(long bytesPerPoint, boolean cuda) {}

    /** A JVM's own footprint (code, metaspace, thread stacks, libraries) on top of the memory plan's arrays. */
    static final long JVM_BYTES = 512L << 20;

    /** hartree fock has no memory plan: 1 GiB per point, which holds the default toy model many times over. */
    static final long FOCK_BYTES = 1L << 30;

    static String describe(Map<String, Object> params) {
        StringBuilder s = new StringBuilder("(");
        params.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(k).append(" = ").append(render(v)));
        return s.append(")").toString();
    }

    private static String optionOf(CommandLine.ParameterException e) {
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec o) return o.longestName();
        return "sweep";
    }

    /** A fresh picocli model of the base command (the same class the user's command line goes to). */
    static CommandLine commandLine(String command) {
        return new CommandLine(switch (command) {
            case RunConfig.RUN -> new RunCommand();
            case RunConfig.GROUND_STATE -> new GroundStateCommand();
            case "fock" -> new FockCommand();
            default -> throw new ParameterException("command", command, String.join(" | ", COMMANDS));
        });
    }

    private static void option(CommandLine.Model.CommandSpec spec, String command, String key, String where) {
        if (RESERVED.contains(key))
            throw new ParameterException(key, "'" + key + "' is set by the sweep for each point; not allowed in " + where);
        if (spec.findOption("--" + key) == null) {
            List<String> allowed = new ArrayList<>();
            for (var o : spec.options())
                if (!o.hidden() && !RESERVED.contains(o.longestName().substring(2))) allowed.add(o.longestName().substring(2));
            throw new ParameterException(key, "unknown key '" + key + "' in " + where + " for hartree " + command + "; allowed: " + String.join(", ", allowed));
        }
    }

    /** key "observe_every" or "observe-every": the option's name without "--". */
    static String key(String k) {
        String s = k.trim();
        if (s.startsWith("--")) s = s.substring(2);
        return s.replace('_', '-');
    }

    private static void addArg(List<String> args, String key, Object v) {
        if (v instanceof Boolean bool) {
            if (bool) args.add("--" + key);
            return;
        }
        args.add("--" + key);
        args.add(render(v));
    }

    /** A value as the command line writes it: integers without ".0", doubles in Java's shortest round-trip form. */
    static String render(Object v) {
        if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString(d.longValue());
            return Double.toString(d);
        }
        return String.valueOf(v);
    }

    private static Object scalar(String where, JsonNode v) {
        if (v.isTextual()) return v.asText();
        if (v.isBoolean()) return v.asBoolean();
        if (v.isIntegralNumber() && v.canConvertToLong()) return v.asLong();
        if (v.isNumber()) return v.asDouble();
        throw new ParameterException(key(where), where + " must be a string, number or boolean, not " + v.getNodeType().toString().toLowerCase(Locale.ROOT));
    }

    /** An axis's values: a list, or a table {from, to, count | step[, log]}. */
    static List<Object> values(String key, JsonNode v) {
        if (v.isArray()) {
            if (v.isEmpty()) throw new ParameterException(key(key), "axis '" + key + "' is empty; allowed: at least one value");
            List<Object> out = new ArrayList<>();
            for (JsonNode x : v) out.add(scalar(key, x));
            return out;
        }
        if (v.isObject()) {
            Map<String, Double> r = new LinkedHashMap<>();
            boolean log = false;
            for (var e : v.properties()) {
                String k = e.getKey();
                if (k.equals("log")) {
                    if (!e.getValue().isBoolean()) throw new ParameterException(key(key), "axis '" + key + "': log must be true or false");
                    log = e.getValue().asBoolean();
                } else if (Set.of("from", "to", "count", "step").contains(k)) {
                    if (!e.getValue().isNumber()) throw new ParameterException(key(key), "axis '" + key + "': " + k + " must be a number");
                    r.put(k, e.getValue().asDouble());
                } else throw new ParameterException(key(key), "axis '" + key + "': unknown range key '" + k + "'; allowed: from, to, count, step, log");
            }
            boolean integral = v.path("from").isIntegralNumber() && v.path("to").isIntegralNumber() && v.path("step").isIntegralNumber();
            return range(key, r.get("from"), r.get("to"), r.get("count"), r.get("step"), log, integral);
        }
        throw new ParameterException(key(key), "axis '" + key + "' must be a list [v1, v2, ...] or a range {from, to, count | step[, log = true]}");
    }

    /** Values of a linear or log range, rounded to 12 significant digits (so 0.1·3 is 0.3). */
    static List<Object> range(String key, Double from, Double to, Double count, Double step, boolean log, boolean integral) {
        String k = key(key);
        if (from == null || to == null || !Double.isFinite(from) || !Double.isFinite(to))
            throw new ParameterException(k, "range of '" + key + "' needs finite from and to");
        if ((count == null) == (step == null))
            throw new ParameterException(k, "range of '" + key + "' needs exactly one of count and step");
        List<Object> out = new ArrayList<>();
        if (log) {
            if (count == null) throw new ParameterException(k, "log range of '" + key + "' needs count (not step)");
            if (!(from > 0 && to > 0)) throw new ParameterException(k, "log range of '" + key + "': from and to must be > 0 (from = " + from + ", to = " + to + ")");
        }
        if (count != null) {
            if (!(count >= 1 && count <= 100_000 && count == Math.rint(count)))
                throw new ParameterException(k, count, "count an integer 1 … 100000 (range of '" + key + "')");
            int n = count.intValue();
            if (n == 1 && !from.equals(to)) throw new ParameterException(k, "range of '" + key + "': count = 1 needs from = to");
            for (int i = 0; i < n; i++) {
                double f = n == 1 ? 0 : (double) i / (n - 1);
                out.add(round(log ? from * Math.pow(to / from, f) : from + f * (to - from)));
            }
            return out;
        }
        if (!(step > 0 && Double.isFinite(step))) throw new ParameterException(k, step, "step > 0 (range of '" + key + "')");
        double n = Math.floor((to - from) / step * (1 + 1e-12) + 1e-9);
        if (n < 0 || n >= 100_000) throw new ParameterException(k, "range of '" + key + "' from " + from + " to " + to + " by " + step + " has " + (long) (n + 1) + " values; allowed: 1 … 100000 (to ≥ from)");
        for (int i = 0; i <= n; i++) {
            double x = round(from + i * step);
            out.add(integral ? (Object) (long) x : (Object) x);
        }
        return out;
    }

    private static double round(double x) {
        return x == 0 ? 0 : new BigDecimal(x).round(new MathContext(12)).doubleValue();
    }

    private static Axis zip(List<String> keys, List<List<Object>> values, boolean log) {
        for (int i = 1; i < keys.size(); i++)
            if (values.get(i).size() != values.getFirst().size())
                throw new ParameterException(keys.get(i), "zipped axis: '" + keys.get(i) + "' has " + values.get(i).size() + " values, '"
                        + keys.getFirst() + "' has " + values.getFirst().size() + "; allowed: lists of equal length");
        return new Axis(List.copyOf(keys), List.copyOf(values), log);
    }

    /**
     * {@code --param KEY=V1,V2,...}, {@code KEY=lin:FROM:TO:COUNT} or {@code KEY=log:FROM:TO:COUNT}: one
     * axis. Values are passed to the command as typed (a value holding a comma: use a sweep file).
     */
    static Axis param(String p) {
        int eq = p.indexOf('=');
        if (eq <= 0) throw new ParameterException("--param", p, "KEY=V1,V2,... | KEY=lin:FROM:TO:COUNT | KEY=log:FROM:TO:COUNT");
        String key = key(p.substring(0, eq));
        String v = p.substring(eq + 1);
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("lin:") || lower.startsWith("log:")) {
            String[] f = v.substring(4).split(":");
            if (f.length != 3) throw new ParameterException("--param", p, "KEY=" + lower.substring(0, 3) + ":FROM:TO:COUNT");
            try {
                return new Axis(List.of(key), List.of(range(key, Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), null,
                        lower.startsWith("log:"), false)), lower.startsWith("log:"));
            } catch (NumberFormatException e) {
                throw new ParameterException("--param", p, "KEY=" + lower.substring(0, 3) + ":FROM:TO:COUNT with numbers");
            }
        }
        List<Object> values = new ArrayList<>();
        for (String s : v.split(",", -1)) {
            if (s.isBlank()) throw new ParameterException("--param", p, "KEY=V1,V2,... with no empty value");
            values.add(typed(s.trim()));
        }
        return new Axis(List.of(key), List.of(values), false);
    }

    /** A --param value: an integer or a finite decimal number as a number (so the table and plots see numbers), else the text. */
    static Object typed(String s) {
        if (s.matches("[-+]?[0-9]{1,18}")) return Long.parseLong(s);
        if (s.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
            double d = Double.parseDouble(s);
            if (Double.isFinite(d)) return d;
        }
        return s;
    }

    // ---- the plan file: what every executor and a rerun read ----

    void write(Path dir) {
        ObjectNode o = JSON.createObjectNode();
        o.put("command", command);
        o.set("base", JSON.valueToTree(base));
        ArrayNode ax = o.putArray("axes");
        for (Axis a : axes) {
            ObjectNode n = ax.addObject();
            n.set("keys", JSON.valueToTree(a.keys()));
            n.set("values", JSON.valueToTree(a.values()));
            n.put("log", a.log());
        }
        ArrayNode ps = o.putArray("points");
        for (Point p : points) {
            ObjectNode n = ps.addObject();
            n.put("name", p.name());
            n.set("params", JSON.valueToTree(p.params()));
            n.set("args", JSON.valueToTree(p.args()));
        }
        try {
            AtomicFiles.writeString(dir.resolve(PLAN), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + dir.resolve(PLAN) + ": " + e.getMessage(), e);
        }
    }

    /** The plan a sweep folder holds. */
    static SweepPlan load(Path dir) {
        Path f = dir.resolve(PLAN);
        if (!Files.isRegularFile(f)) throw new ParameterException("DIR", dir + " is not a sweep folder (it has no " + PLAN + ")");
        try {
            JsonNode o = JSON.readTree(f.toFile());
            Map<String, Object> base = new LinkedHashMap<>();
            for (var e : o.get("base").properties()) base.put(e.getKey(), plain(e.getValue()));
            List<Axis> axes = new ArrayList<>();
            for (JsonNode a : o.get("axes")) {
                List<String> keys = new ArrayList<>();
                a.get("keys").forEach(k -> keys.add(k.asText()));
                List<List<Object>> values = new ArrayList<>();
                for (JsonNode l : a.get("values")) {
                    List<Object> vs = new ArrayList<>();
                    l.forEach(x -> vs.add(plain(x)));
                    values.add(vs);
                }
                axes.add(new Axis(keys, values, a.path("log").asBoolean()));
            }
            List<Point> points = new ArrayList<>();
            for (JsonNode p : o.get("points")) {
                Map<String, Object> params = new LinkedHashMap<>();
                for (var e : p.get("params").properties()) params.put(e.getKey(), plain(e.getValue()));
                List<String> args = new ArrayList<>();
                p.get("args").forEach(x -> args.add(x.asText()));
                points.add(new Point(p.get("name").asText(), params, args));
            }
            return new SweepPlan(o.get("command").asText(), base, axes, points);
        } catch (IOException | RuntimeException e) {
            throw new ParameterException("DIR", f + " cannot be read: " + e.getMessage());
        }
    }

    private static Object plain(JsonNode v) {
        if (v.isTextual()) return v.asText();
        if (v.isBoolean()) return v.asBoolean();
        if (v.isIntegralNumber()) return v.asLong();
        return v.asDouble();
    }
}
