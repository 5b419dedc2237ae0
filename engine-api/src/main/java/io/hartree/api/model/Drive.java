package io.hartree.api.model;

import io.hartree.api.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Time-dependent one-body terms ({@code --drive SPEC}, docs/hartree.md): parameters of the trap as
 * functions of time, {@code NAME=FUNCTION;NAME=FUNCTION...}, e.g.
 * {@code wx=ramp:1,2,0,0.5;v0=step:5,0,1;w=sine:1,0.1,2}. The functions ({@link Function}):
 * <ul>
 *   <li>{@code ramp:FROM,TO,T0,T1}: FROM for t &le; T0, linear to TO at T1, TO after (T1 &gt; T0);</li>
 *   <li>{@code step:BEFORE,AFTER,T}: BEFORE for t &lt; T, AFTER for t &ge; T;</li>
 *   <li>{@code sine:MEAN,AMPLITUDE,OMEGA[,PHASE]}: MEAN + AMPLITUDE·sin(OMEGA·t + PHASE) (OMEGA angular);</li>
 *   <li>{@code table:FILE.csv}: rows {@code t,value} (t strictly increasing; '#' comments and one header
 *       line allowed), linear between rows, the first/last value outside.</li>
 * </ul>
 * The parameters are the trap's ({@link TrapSpec}): {@code nu} of {@code paper} (h_ν = (ν/2)(−Δ + |x|² − 3):
 * ν changes the kinetic coefficient a = ν/2 too), {@code wx, wy, wz, w} of {@code harmonic} and
 * {@code doublewell}, and {@code v0, s} of {@code doublewell}. A driven parameter takes the function's
 * value at every t (the --trap value of that parameter is not used); the others keep the --trap
 * value. A drive is {@link #bind bound} to its trap, which checks that the trap has every parameter
 * and that every function keeps it in range for all t: ν, s &gt; 0; w_d, v0 &ge; 0 (w_d = 0 releases
 * the cloud along axis d: h = −½∂_d² there).
 *
 * @param spec      the canonical specification ({@link #parse} reads it back: numbers as Java prints them, table paths absolute)
 * @param functions parameter name → function of t, in the order given
 * @param trap      the trap the parameters belong to (null until {@link #bind})
 * @param nu        ν of the paper's trap (used with {@code paper} only)
 */
public record Drive(String spec, Map<String, Function> functions, TrapSpec trap, double nu) {
    public static final String PARAMETER = "--drive";
    static final String ALLOWED = "NAME=FUNCTION[;NAME=FUNCTION...], FUNCTION = ramp:FROM,TO,T0,T1 | step:BEFORE,AFTER,T"
            + " | sine:MEAN,AMPLITUDE,OMEGA[,PHASE] | table:FILE.csv; NAME a parameter of the trap (paper: nu; harmonic: w, wx, wy, wz;"
            + " doublewell: w, wx, wy, wz, v0, s)";

    public Drive {
        functions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(functions));
    }

    /** A trap parameter as a function of time. */
    public sealed interface Function {
        double value(double t);

        /** The smallest and largest value over all t. */
        double min();

        /** The canonical text ({@link #parse} reads it back; a table's path absolute). */
        String text();

        double max();
    }

    /** FROM for t ≤ T0, linear to TO at T1, TO after. */
    public record Ramp(double from, double to, double t0, double t1) implements Function {
        public double value(double t) {
            if (t <= t0) return from;
            if (t >= t1) return to;
            return from + (to - from) * (t - t0) / (t1 - t0);
        }

        public double min() { return Math.min(from, to); }

        public double max() { return Math.max(from, to); }

        public String text() { return "ramp:" + from + "," + to + "," + t0 + "," + t1; }
    }

    /** BEFORE for t &lt; T, AFTER for t ≥ T. */
    public record Step(double before, double after, double at) implements Function {
        public double value(double t) { return t < at ? before : after; }

        public double min() { return Math.min(before, after); }

        public double max() { return Math.max(before, after); }

        public String text() { return "step:" + before + "," + after + "," + at; }
    }

    /** MEAN + AMPLITUDE·sin(OMEGA·t + PHASE). */
    public record Sine(double mean, double amplitude, double omega, double phase) implements Function {
        public double value(double t) { return mean + amplitude * Math.sin(omega * t + phase); }

        public double min() { return mean - Math.abs(amplitude); }

        public double max() { return mean + Math.abs(amplitude); }

        public String text() { return "sine:" + mean + "," + amplitude + "," + omega + "," + phase; }
    }

    /** Linear interpolation between rows (t_i, v_i), t strictly increasing, constant outside. */
    public record Table(Path file, double[] t, double[] v) implements Function {
        public double value(double x) {
            if (x <= t[0]) return v[0];
            int last = t.length - 1;
            if (x >= t[last]) return v[last];
            int lo = 0, hi = last;
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (t[mid] <= x) lo = mid; else hi = mid;
            }
            return v[lo] + (v[hi] - v[lo]) * (x - t[lo]) / (t[hi] - t[lo]);
        }

        public double min() { double m = v[0]; for (double x : v) m = Math.min(m, x); return m; }

        public double max() { double m = v[0]; for (double x : v) m = Math.max(m, x); return m; }

        public String text() { return "table:" + file; }

        @Override public boolean equals(Object o) { return o instanceof Table tb && file.equals(tb.file); }

        @Override public int hashCode() { return file.hashCode(); }
    }

    /** Whether {@code spec} asks for no drive (null or blank). */
    public static boolean absent(String spec) { return spec == null || spec.isBlank(); }

    /**
     * Reads {@code NAME=FUNCTION;...} (not yet bound to a trap); errors name {@code --drive} and
     * the allowed forms. A table's file is read and checked here.
     */
    public static Drive parse(String spec) {
        if (absent(spec)) throw new ParameterException(PARAMETER, "(empty)", ALLOWED);
        Map<String, Function> f = new LinkedHashMap<>();
        for (String item : spec.trim().split(";")) {
            if (item.isBlank()) continue;
            int eq = item.indexOf('=');
            if (eq < 0) throw new ParameterException(PARAMETER, item.trim(), "NAME=FUNCTION; " + ALLOWED);
            String name = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!List.of("nu", "w", "wx", "wy", "wz", "v0", "s").contains(name))
                throw new ParameterException(PARAMETER, item.trim(), "unknown parameter '" + name + "'; " + ALLOWED);
            if (f.containsKey(name)) throw new ParameterException(PARAMETER, item.trim(), "parameter '" + name + "' driven twice");
            f.put(name, function(name, item.substring(eq + 1).trim()));
        }
        if (f.isEmpty()) throw new ParameterException(PARAMETER, spec, ALLOWED);
        if (f.containsKey("w") && (f.containsKey("wx") || f.containsKey("wy") || f.containsKey("wz")))
            throw new ParameterException(PARAMETER, spec, "either w (all three axes) or wx, wy, wz, not both");
        StringBuilder canonical = new StringBuilder();
        for (Map.Entry<String, Function> e : f.entrySet())
            canonical.append(canonical.isEmpty() ? "" : ";").append(e.getKey()).append('=').append(e.getValue().text());
        return new Drive(canonical.toString(), f, null, 0);
    }

    private static Function function(String name, String text) {
        int colon = text.indexOf(':');
        String kind = (colon < 0 ? text : text.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : text.substring(colon + 1).trim();
        String where = PARAMETER + " " + name;
        return switch (kind) {
            case "ramp" -> {
                double[] a = numbers(where, text, rest, 4, 4, "ramp:FROM,TO,T0,T1");
                ParameterException.require(a[3] > a[2], where, text, "ramp:FROM,TO,T0,T1 with T1 > T0");
                yield new Ramp(a[0], a[1], a[2], a[3]);
            }
            case "step" -> {
                double[] a = numbers(where, text, rest, 3, 3, "step:BEFORE,AFTER,T");
                yield new Step(a[0], a[1], a[2]);
            }
            case "sine" -> {
                double[] a = numbers(where, text, rest, 3, 4, "sine:MEAN,AMPLITUDE,OMEGA[,PHASE]");
                yield new Sine(a[0], a[1], a[2], a.length > 3 ? a[3] : 0);
            }
            case "table" -> {
                if (rest.isEmpty()) throw new ParameterException(where, text, "table:FILE.csv");
                yield table(where, Path.of(rest).toAbsolutePath().normalize());
            }
            default -> throw new ParameterException(where, text, "ramp:FROM,TO,T0,T1 | step:BEFORE,AFTER,T | sine:MEAN,AMPLITUDE,OMEGA[,PHASE] | table:FILE.csv");
        };
    }

    private static double[] numbers(String where, String text, String rest, int min, int max, String form) {
        String[] t = rest.isEmpty() ? new String[0] : rest.split(",", -1);
        if (t.length < min || t.length > max) throw new ParameterException(where, text, form);
        double[] a = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            try {
                a[i] = Double.parseDouble(t[i].trim());
            } catch (NumberFormatException e) {
                throw new ParameterException(where, text, form + " (finite numbers)");
            }
            if (!Double.isFinite(a[i])) throw new ParameterException(where, text, form + " (finite numbers)");
        }
        return a;
    }

    /** Reads rows "t,value" from a CSV file ('#' comments, blank lines and one leading header skipped). */
    static Table table(String where, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ParameterException(where, "table:" + file, "a readable CSV file of rows t,value (" + e.getMessage() + ")");
        }
        List<double[]> rows = new ArrayList<>();
        boolean header = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] c = l.split(",");
            double[] r = new double[2];
            try {
                if (c.length != 2) throw new NumberFormatException();
                r[0] = Double.parseDouble(c[0].trim());
                r[1] = Double.parseDouble(c[1].trim());
            } catch (NumberFormatException e) {
                if (rows.isEmpty() && !header) { header = true; continue; }
                throw new ParameterException(where, "table:" + file, "rows t,value of two finite numbers (line " + (i + 1) + ": '" + l + "')");
            }
            if (!Double.isFinite(r[0]) || !Double.isFinite(r[1]))
                throw new ParameterException(where, "table:" + file, "finite t and value (line " + (i + 1) + ")");
            if (!rows.isEmpty() && r[0] <= rows.getLast()[0])
                throw new ParameterException(where, "table:" + file, "t strictly increasing (line " + (i + 1) + ": t = " + r[0] + ")");
            rows.add(r);
        }
        if (rows.isEmpty()) throw new ParameterException(where, "table:" + file, "at least one row t,value");
        double[] t = new double[rows.size()], v = new double[rows.size()];
        for (int i = 0; i < t.length; i++) { t[i] = rows.get(i)[0]; v[i] = rows.get(i)[1]; }
        return new Table(file, t, v);
    }

    /**
     * This drive for {@code trap} (ν used by {@code paper} only): refuses a parameter the trap does
     * not have and a function that leaves its range at some t (ν, s &gt; 0; w_d, v0 &ge; 0).
     */
    public Drive bind(TrapSpec trap, double nu) {
        List<String> has = switch (trap) {
            case TrapSpec.Paper p -> List.of("nu");
            case TrapSpec.Harmonic h -> List.of("w", "wx", "wy", "wz");
            case TrapSpec.DoubleWell d -> List.of("w", "wx", "wy", "wz", "v0", "s");
            case TrapSpec.Table t -> List.of();
        };
        for (Map.Entry<String, Function> e : functions.entrySet()) {
            String name = e.getKey();
            if (!has.contains(name))
                throw new ParameterException(PARAMETER, spec, "the trap " + trap.spec() + " has no parameter '" + name + "'"
                        + (has.isEmpty() ? " (a table trap cannot be driven)" : "; it has " + String.join(", ", has)));
            Function f = e.getValue();
            // ν and s must stay > 0; a frequency or the barrier may reach 0 (a release along that axis, the barrier off).
            boolean positive = name.equals("nu") || name.equals("s");
            boolean ok = positive ? f.min() > 0 : f.min() >= 0;
            if (!ok) throw new ParameterException(PARAMETER + " " + name, f.min(),
                    (positive ? "values > 0" : "values >= 0") + " at every t (the function's smallest value is " + f.min() + ")");
        }
        return new Drive(spec, functions, trap, nu);
    }

    /** The value of parameter {@code name} at t: its function, or the trap's own value. */
    private double parameter(String name, double t, double fixed) {
        Function f = functions.get(name);
        if (f != null) return f.value(t);
        if (!name.equals("w") && !name.equals("v0") && !name.equals("s") && functions.containsKey("w")) return functions.get("w").value(t);
        return fixed;
    }

    /** Number of coefficients of {@link #coefficients}. */
    public static final int COEFFICIENTS = 6;

    /**
     * The trap at time t as {c_x, c_y, c_z, c_0, v0, s}: U = Σ_d c_d x_d² + c_0 + v0·e^{−x²/(2s²)}
     * (the convention of {@link io.hartree.api.SplitStepKernels#trap}), written into {@code out}.
     */
    public void coefficients(double t, double[] out) {
        switch (trap) {
            case TrapSpec.Paper p -> {
                double c = 0.5 * parameter("nu", t, nu);
                out[0] = c; out[1] = c; out[2] = c; out[3] = -3 * c; out[4] = 0; out[5] = 1;
            }
            case TrapSpec.Harmonic h -> {
                double wx = parameter("wx", t, h.wx()), wy = parameter("wy", t, h.wy()), wz = parameter("wz", t, h.wz());
                out[0] = 0.5 * wx * wx; out[1] = 0.5 * wy * wy; out[2] = 0.5 * wz * wz; out[3] = 0; out[4] = 0; out[5] = 1;
            }
            case TrapSpec.DoubleWell d -> {
                double wx = parameter("wx", t, d.wx()), wy = parameter("wy", t, d.wy()), wz = parameter("wz", t, d.wz());
                out[0] = 0.5 * wx * wx; out[1] = 0.5 * wy * wy; out[2] = 0.5 * wz * wz; out[3] = 0;
                out[4] = parameter("v0", t, d.v0()); out[5] = parameter("s", t, d.s());
            }
            case null, default -> throw new IllegalStateException("drive " + spec + " is not bound to an analytic trap");
        }
    }

    /** The kinetic coefficient a(t) of h = a(−Δ) + U: ν(t)/2 for the paper's trap, ½ otherwise. */
    public double kinetic(double t) {
        return trap instanceof TrapSpec.Paper ? 0.5 * parameter("nu", t, nu) : TrapSpec.HALF;
    }

    /** U(x) of coefficients {c_x, c_y, c_z, c_0, v0, s} (see {@link #coefficients}). */
    public static double potential(double[] c, double x, double y, double z) {
        double u = c[0] * x * x + c[1] * y * y + c[2] * z * z + c[3];
        return c[4] == 0 ? u : u + c[4] * Math.exp(-x * x / (2 * c[5] * c[5]));
    }
}
