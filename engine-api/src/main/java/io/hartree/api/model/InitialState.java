package io.hartree.api.model;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;

import io.hartree.api.ParameterException;
import io.hartree.api.io.Npy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The initial state φ(0) of a Hartree run, sampled on a grid as an interleaved complex array of
 * length 2n³ (C order).
 *
 * <p>Specification strings ({@link #parse}, documented in docs/hartree.md):
 * <ul>
 *   <li>{@code ground}: φ⁰(x) = π^{−3/4} e^{−|x|²/2}, the normalised ground state of −Δ + |x|²
 *       (the paper prints (2π)^{−3/2} e^{−x²/2} in (3.7)/(4.1), which is not L²-normalised);</li>
 *   <li>{@code gaussian:x0=1,0,0;p0=0,0.5,0}: the displaced, boosted Gaussian
 *       φ⁰(x − x₀) e^{i p₀·x}; parameters are separated by ';', vector components by ','; a
 *       missing vector is 0;</li>
 *   <li>{@code npy:FILE.npy}: a complex128 or float64 array of shape (n, n, n) in C order on the
 *       run's grid; renormalised (with a warning) if its norm dx³Σ|φ|² differs from 1 by more
 *       than {@link #NORM_TOLERANCE}.</li>
 *   <li>{@code eigen:J} and {@code eigen:J1,J2,…;n=N1,N2,…;theta=T1,T2,…}: made of the grid
 *       eigenmodes φ_0, φ_1, … of the run's own one-body operator h (its {@code --trap}), in energy
 *       order: φ_J, or Σ_j √(n_j/Σn) e^{−iθ_j} φ_{J_j} ({@link TrapEigen});</li>
 *   <li>{@code localised:I,J;sign=S}: (φ_I + S·φ_J)/√2, S = ±1, the localised combinations of a
 *       double well's doublet ({@link Localised}).</li>
 * </ul>
 * The last two need the run's eigenmodes: they are sampled by
 * {@link #sampleInto(Grid3D, Eigenmodes, java.lang.foreign.MemorySegment, Consumer)}, to which the
 * run passes the lowest eigenfunctions of its h (GridModes.lowest on the session's transforms).
 * Their signs are the eigensolver's rule (io.hartree.api.modes.GridEigensolver): each φ_j is
 * signed so that ⟨φ_j, e^{β(x+y+z)}⟩ > 0, β = 4/L, so an odd φ_1 of a double well split along x
 * is positive at x > 0 and {@code localised:0,1;sign=1} sits in the right-hand well (x > 0).
 */
public sealed interface InitialState {
    /** Relative norm error of a state read from a file beyond which it is renormalised with a warning. */
    double NORM_TOLERANCE = 1e-6;

    /** The largest eigenmode index that {@code eigen:} and {@code localised:} accept (the eigensolver computes J + 2 modes). */
    int MAX_EIGEN_INDEX = 63;

    String ALLOWED = "ground | gaussian:x0=X,Y,Z;p0=PX,PY,PZ | npy:FILE.npy | eigen:J | eigen:J1,J2,...;n=N1,N2,...;theta=T1,T2,... "
            + "| localised:I,J;sign=1|-1 (J >= 0 indexes the grid eigenmodes of the run's trap in energy order, at most " + MAX_EIGEN_INDEX + ")";

    /**
     * The lowest eigenfunctions of the run's own one-body operator h on its grid, for the states
     * made of them ({@link TrapEigen}, {@link Localised}). A run supplies it from
     * {@code io.hartree.api.modes.GridModes.lowest(h, grid, m, session.hostTransforms())}.
     */
    @FunctionalInterface
    interface Eigenmodes {
        /** The lowest {@code m} eigenpairs, energy order. */
        Eigenbasis lowest(int m);
    }

    /**
     * Real eigenfunctions φ_0 … φ_{m−1} (C order, n³ values each, orthonormal in dx³Σ) and their
     * energies ⟨φ_j, hφ_j⟩, ascending.
     */
    record Eigenbasis(double[][] modes, double[] energies) {
        public Eigenbasis {
            if (modes == null || energies == null || modes.length != energies.length || modes.length == 0)
                throw new IllegalArgumentException("an eigenbasis needs as many energies as modes, at least one");
        }
    }

    /** How many of the run's lowest eigenmodes sampling this state needs (0: none; it is sampled without). */
    default int eigenmodesNeeded() { return 0; }

    /**
     * Samples the state on {@code grid} for a run whose lowest eigenmodes {@code modes} supplies
     * (asked only for {@link #eigenmodesNeeded()} modes, and only by states that need them); the
     * others ignore it and sample as {@link #sampleInto(Grid3D, java.lang.foreign.MemorySegment, Consumer)}.
     */
    default void sampleInto(Grid3D grid, Eigenmodes modes, java.lang.foreign.MemorySegment out, Consumer<String> warn) {
        sampleInto(grid, out, warn);
    }

    /** Specification string that {@link #parse} reads back. */
    String spec();

    /**
     * Samples the state on {@code grid} into {@code out} (2n³ doubles, interleaved complex, C order;
     * heap or off-heap, long-indexed, so no Java array bounds the grid); warnings
     * (renormalisation) go to {@code warn}.
     */
    void sampleInto(Grid3D grid, java.lang.foreign.MemorySegment out, Consumer<String> warn);

    /** Samples the state on {@code grid} into a new host array (2n³ < 2³¹); see {@link #sampleInto}. */
    default double[] sample(Grid3D grid, Consumer<String> warn) {
        double[] psi = new double[grid.hostComplexLength()];
        sampleInto(grid, java.lang.foreign.MemorySegment.ofArray(psi), warn);
        return psi;
    }

    /** Samples the state, sending warnings to the platform logger. */
    default double[] sample(Grid3D grid) {
        return sample(grid, w -> System.getLogger("io.hartree").log(System.Logger.Level.WARNING, w));
    }

    /** φ⁰ = π^{−3/4} e^{−|x|²/2}. */
    record Ground() implements InitialState {
        public String spec() { return "ground"; }

        public void sampleInto(Grid3D grid, java.lang.foreign.MemorySegment out, Consumer<String> warn) {
            new Gaussian(new double[3], new double[3]).sampleInto(grid, out, warn);
        }
    }

    /** φ⁰(x − x₀) e^{i p₀·x}: a coherent state of h_ν, whose centre moves as x₀cos(νt) + p₀ sin(νt). */
    record Gaussian(double[] x0, double[] p0) implements InitialState {
        public Gaussian {
            ParameterException.require(x0 != null && x0.length == 3, "initial x0", Arrays.toString(x0), "three components");
            ParameterException.require(p0 != null && p0.length == 3, "initial p0", Arrays.toString(p0), "three components");
            for (int d = 0; d < 3; d++) {
                ParameterException.require(Double.isFinite(x0[d]), "initial x0", Arrays.toString(x0), "finite components");
                ParameterException.require(Double.isFinite(p0[d]), "initial p0", Arrays.toString(p0), "finite components");
            }
            x0 = x0.clone();
            p0 = p0.clone();
        }

        public String spec() {
            return "gaussian:x0=" + x0[0] + "," + x0[1] + "," + x0[2] + ";p0=" + p0[0] + "," + p0[1] + "," + p0[2];
        }

        public void sampleInto(Grid3D grid, java.lang.foreign.MemorySegment psi, Consumer<String> warn) {
            checkSize(grid, psi);
            int n = grid.n();
            double c = Math.pow(Math.PI, -0.75);
            double[] gx = new double[n], gy = new double[n], gz = new double[n];
            double[] cx = new double[2 * n], cy = new double[2 * n], cz = new double[2 * n];
            axis(grid, x0[0], p0[0], gx, cx);
            axis(grid, x0[1], p0[1], gy, cy);
            axis(grid, x0[2], p0[2], gz, cz);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double a = c * gx[i] * gy[j];
                    double pr = cx[2 * i] * cy[2 * j] - cx[2 * i + 1] * cy[2 * j + 1];
                    double pi = cx[2 * i] * cy[2 * j + 1] + cx[2 * i + 1] * cy[2 * j];
                    long base = grid.complexIndex(i, j, 0);
                    for (int k = 0; k < n; k++) {
                        double m = a * gz[k];
                        psi.setAtIndex(JAVA_DOUBLE_UNALIGNED, base + 2 * k, m * (pr * cz[2 * k] - pi * cz[2 * k + 1]));
                        psi.setAtIndex(JAVA_DOUBLE_UNALIGNED, base + 2 * k + 1, m * (pr * cz[2 * k + 1] + pi * cz[2 * k]));
                    }
                }
        }

        private static void axis(Grid3D g, double x0, double p0, double[] gauss, double[] phase) {
            for (int j = 0; j < g.n(); j++) {
                double x = g.x(j);
                gauss[j] = Math.exp(-0.5 * (x - x0) * (x - x0));
                phase[2 * j] = Math.cos(p0 * x);
                phase[2 * j + 1] = Math.sin(p0 * x);
            }
        }

        @Override public boolean equals(Object o) {
            return o instanceof Gaussian g && Arrays.equals(x0, g.x0) && Arrays.equals(p0, g.p0);
        }

        @Override public int hashCode() { return 31 * Arrays.hashCode(x0) + Arrays.hashCode(p0); }

        @Override public String toString() { return spec(); }
    }

    /** A state read from a .npy file (complex128 or float64, shape (n, n, n)). */
    record FromFile(Path file) implements InitialState {
        public FromFile {
            ParameterException.require(file != null, "--initial", file, "npy:FILE.npy");
        }

        public String spec() { return "npy:" + file; }

        public void sampleInto(Grid3D grid, java.lang.foreign.MemorySegment psi, Consumer<String> warn) {
            checkSize(grid, psi);
            int n = grid.n();
            Npy.readComplexInto(file, "--initial", psi, n, n, n);
            long values = 2 * grid.points();
            double s = 0;
            for (long i = 0; i < values; i++) {
                double v = psi.getAtIndex(JAVA_DOUBLE_UNALIGNED, i);
                if (!Double.isFinite(v)) throw new ParameterException("--initial", file + " holds a non-finite value at flat index " + i / 2);
                s += v * v;
            }
            double norm = s * grid.dV();
            if (norm == 0) throw new ParameterException("--initial", file + " holds the zero function");
            if (Math.abs(norm - 1) > NORM_TOLERANCE) {
                warn.accept(String.format(Locale.ROOT, "initial state %s has norm %.9g on the %d^3 grid, L = %g; renormalised to 1", file, norm, n, grid.length()));
                double f = 1 / Math.sqrt(norm);
                for (long i = 0; i < values; i++) psi.setAtIndex(JAVA_DOUBLE_UNALIGNED, i, psi.getAtIndex(JAVA_DOUBLE_UNALIGNED, i) * f);
            }
        }
    }

    /**
     * Σ_j √(n_j/Σn) e^{−iθ_j} φ_{J_j}: a superposition of the run's grid eigenmodes (indices
     * {@code modes}, distinct, 0 … {@link #MAX_EIGEN_INDEX}), weights n_j ≥ 0 (not all 0; normalised
     * by their sum, so occupation numbers N_j or fractions both serve) and phases θ_j. One mode:
     * φ_J itself, spec {@code eigen:J}. A mode inside a degenerate level is the eigensolver's
     * reproducible basis vector of that level (parities, then x², y², z²), with a warning.
     */
    record TrapEigen(int[] modes, double[] weights, double[] phases) implements InitialState {
        public TrapEigen {
            ParameterException.require(modes != null && modes.length >= 1, "--initial", modes == null ? null : Arrays.toString(modes), "eigen:J with at least one mode index");
            ParameterException.require(weights != null && weights.length == modes.length, "--initial n", weights == null ? null : Arrays.toString(weights),
                    modes.length + " weights (one per mode)");
            ParameterException.require(phases != null && phases.length == modes.length, "--initial theta", phases == null ? null : Arrays.toString(phases),
                    modes.length + " phases (one per mode)");
            requireModes(modes);
            double sum = 0;
            for (double w : weights) {
                ParameterException.require(w >= 0 && Double.isFinite(w), "--initial n", Arrays.toString(weights), "finite weights n_j >= 0");
                sum += w;
            }
            ParameterException.require(sum > 0, "--initial n", Arrays.toString(weights), "weights n_j >= 0, not all 0");
            for (double t : phases) ParameterException.require(Double.isFinite(t), "--initial theta", Arrays.toString(phases), "finite phases");
            modes = modes.clone();
            weights = weights.clone();
            phases = phases.clone();
        }

        /** The single eigenmode φ_J. */
        public static TrapEigen of(int j) { return new TrapEigen(new int[]{j}, new double[]{1}, new double[]{0}); }

        public String spec() {
            if (modes.length == 1 && weights[0] == 1 && phases[0] == 0) return "eigen:" + modes[0];
            return "eigen:" + join(modes) + ";n=" + join(weights) + ";theta=" + join(phases);
        }

        @Override public int eigenmodesNeeded() { return neededFor(modes); }

        public void sampleInto(Grid3D grid, java.lang.foreign.MemorySegment out, Consumer<String> warn) {
            throw needsTrap(spec());
        }

        @Override
        public void sampleInto(Grid3D grid, Eigenmodes eigen, java.lang.foreign.MemorySegment out, Consumer<String> warn) {
            checkSize(grid, out);
            Eigenbasis b = basis(grid, eigen, eigenmodesNeeded());
            double sum = 0;
            for (double w : weights) sum += w;
            double[] cr = new double[modes.length], ci = new double[modes.length];
            for (int a = 0; a < modes.length; a++) {
                double amp = Math.sqrt(weights[a] / sum);
                cr[a] = amp * Math.cos(phases[a]);
                ci[a] = -amp * Math.sin(phases[a]);
                if (weights[a] > 0) warnDegenerate(b, modes[a], spec(), warn);
            }
            combine(grid, b, modes, cr, ci, out);
        }

        @Override public boolean equals(Object o) {
            return o instanceof TrapEigen e && Arrays.equals(modes, e.modes) && Arrays.equals(weights, e.weights) && Arrays.equals(phases, e.phases);
        }

        @Override public int hashCode() { return 31 * (31 * Arrays.hashCode(modes) + Arrays.hashCode(weights)) + Arrays.hashCode(phases); }

        @Override public String toString() { return spec(); }
    }

    /**
     * (φ_I + sign·φ_J)/√2 of the run's grid eigenmodes I ≠ J: for a double well's doublet φ_0, φ_1
     * the states localised in one well each (with the eigensolver's signs, sign = 1 is the well at
     * positive x_d when the wells are split along x_d; see the class documentation).
     */
    record Localised(int i, int j, int sign) implements InitialState {
        public Localised {
            requireModes(new int[]{i, j});
            ParameterException.require(sign == 1 || sign == -1, "--initial sign", sign, "1 or -1");
        }

        public String spec() { return "localised:" + i + "," + j + ";sign=" + sign; }

        @Override public int eigenmodesNeeded() { return neededFor(new int[]{i, j}); }

        public void sampleInto(Grid3D grid, java.lang.foreign.MemorySegment out, Consumer<String> warn) {
            throw needsTrap(spec());
        }

        @Override
        public void sampleInto(Grid3D grid, Eigenmodes eigen, java.lang.foreign.MemorySegment out, Consumer<String> warn) {
            checkSize(grid, out);
            Eigenbasis b = basis(grid, eigen, eigenmodesNeeded());
            warnDegenerate(b, i, spec(), warn);
            warnDegenerate(b, j, spec(), warn);
            double r = Math.sqrt(0.5);
            combine(grid, b, new int[]{i, j}, new double[]{r, sign * r}, new double[2], out);
        }
    }

    private static void requireModes(int[] modes) {
        for (int a = 0; a < modes.length; a++) {
            ParameterException.require(modes[a] >= 0 && modes[a] <= MAX_EIGEN_INDEX, "--initial", modes[a],
                    "eigenmode indices 0 … " + MAX_EIGEN_INDEX + " (0 is the ground state of the run's trap)");
            for (int b = 0; b < a; b++)
                ParameterException.require(modes[a] != modes[b], "--initial", Arrays.toString(modes), "distinct eigenmode indices");
        }
    }

    /** J_max + 2 modes: one above the highest requested, to see whether it is degenerate with the next. */
    private static int neededFor(int[] modes) {
        int mx = 0;
        for (int m : modes) mx = Math.max(mx, m);
        return mx + 2;
    }

    private static IllegalStateException needsTrap(String spec) {
        return new IllegalStateException("--initial " + spec + " is made of the run's trap eigenmodes: sample it with "
                + "sampleInto(grid, eigenmodes, out, warn), giving the lowest eigenmodes of the run's h");
    }

    private static Eigenbasis basis(Grid3D grid, Eigenmodes eigen, int m) {
        if (eigen == null) throw new IllegalStateException("no eigenmodes given for a state made of the trap's eigenmodes");
        Eigenbasis b = eigen.lowest(m);
        if (b.modes().length < m) throw new IllegalStateException(b.modes().length + " eigenmodes given, " + m + " needed");
        for (double[] f : b.modes())
            if (f.length != grid.hostRealLength()) throw new IllegalStateException("eigenmode of " + f.length + " values on a grid of " + grid.points());
        return b;
    }

    /** Relative energy difference below which two eigenmodes count as one degenerate level (the eigensolver's cluster rule, 1e-8). */
    double DEGENERATE = 1e-8;

    private static void warnDegenerate(Eigenbasis b, int j, String spec, Consumer<String> warn) {
        double[] e = b.energies();
        double scale = Math.max(1, Math.abs(e[j]));
        int lo = j, hi = j;
        while (lo > 0 && Math.abs(e[lo - 1] - e[j]) <= DEGENERATE * scale) lo--;
        while (hi + 1 < e.length && Math.abs(e[hi + 1] - e[j]) <= DEGENERATE * scale) hi++;
        if (hi > lo)
            warn.accept(String.format(Locale.ROOT, "initial state %s: eigenmode %d lies in a degenerate level (E = %.10g, modes %d … %d%s); "
                    + "it is the eigensolver's reproducible basis vector of that level (parities, then x², y², z²)", spec, j, e[j], lo, hi,
                    hi + 1 == e.length ? " or more" : ""));
    }

    /** out = Σ_a (cr_a + i ci_a) φ_{modes[a]}, interleaved complex. */
    private static void combine(Grid3D grid, Eigenbasis b, int[] modes, double[] cr, double[] ci, java.lang.foreign.MemorySegment out) {
        long n3 = grid.points();
        for (long s = 0; s < n3; s++) {
            double re = 0, im = 0;
            for (int a = 0; a < modes.length; a++) {
                double f = b.modes()[modes[a]][(int) s];
                re += cr[a] * f;
                im += ci[a] * f;
            }
            out.setAtIndex(JAVA_DOUBLE_UNALIGNED, 2 * s, re);
            out.setAtIndex(JAVA_DOUBLE_UNALIGNED, 2 * s + 1, im);
        }
    }

    private static String join(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < v.length; a++) sb.append(a == 0 ? "" : ",").append(v[a]);
        return sb.toString();
    }

    private static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < v.length; a++) sb.append(a == 0 ? "" : ",").append(v[a]);
        return sb.toString();
    }

    private static void checkSize(Grid3D grid, java.lang.foreign.MemorySegment out) {
        if (out.byteSize() != 2 * grid.points() * Double.BYTES)
            throw new IllegalArgumentException("state array of " + out.byteSize() + " bytes for a " + grid.n() + "^3 grid (2n^3 doubles = "
                    + 2 * grid.points() * Double.BYTES + " bytes)");
    }

    /** Reads a specification string; see the class documentation. */
    static InitialState parse(String spec) {
        if (spec == null || spec.isBlank()) throw new ParameterException("--initial", "(empty)", ALLOWED);
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : s.substring(colon + 1).trim();
        switch (kind) {
            case "ground" -> {
                if (!rest.isEmpty()) throw new ParameterException("--initial", spec, "'ground' takes no parameters");
                return new Ground();
            }
            case "npy", "file" -> {
                if (rest.isEmpty()) throw new ParameterException("--initial", spec, "npy:FILE.npy");
                return new FromFile(Path.of(rest));
            }
            case "gaussian" -> {
                double[] x0 = new double[3], p0 = new double[3];
                if (!rest.isEmpty()) {
                    for (String kv : rest.split(";")) {
                        if (kv.isBlank()) continue;
                        String[] t = kv.split("=", 2);
                        if (t.length != 2) throw new ParameterException("--initial", spec, "parameters as name=X,Y,Z separated by ';', e.g. gaussian:x0=1,0,0;p0=0,0,0");
                        String name = t[0].trim().toLowerCase(Locale.ROOT);
                        double[] v = vector(spec, name, t[1]);
                        switch (name) {
                            case "x0" -> x0 = v;
                            case "p0" -> p0 = v;
                            default -> throw new ParameterException("--initial", spec, "parameters x0 and p0 only; unknown: " + name);
                        }
                    }
                }
                return new Gaussian(x0, p0);
            }
            case "eigen" -> {
                return eigen(spec, rest);
            }
            case "localised", "localized" -> {
                String[] parts = rest.split(";");
                int[] ij = indices(spec, parts[0]);
                if (ij.length != 2) throw new ParameterException("--initial", spec, "localised:I,J;sign=1|-1 with two eigenmode indices");
                int sign = 1;
                for (int p = 1; p < parts.length; p++) {
                    if (parts[p].isBlank()) continue;
                    String[] t = parts[p].split("=", 2);
                    if (t.length != 2 || !t[0].trim().equalsIgnoreCase("sign"))
                        throw new ParameterException("--initial", spec, "localised:I,J;sign=1|-1 (the only parameter is sign)");
                    String v = t[1].trim();
                    sign = switch (v) {
                        case "1", "+1", "+" -> 1;
                        case "-1", "-" -> -1;
                        default -> throw new ParameterException("--initial sign", v, "1 or -1");
                    };
                }
                return new Localised(ij[0], ij[1], sign);
            }
            default -> throw new ParameterException("--initial", spec, ALLOWED);
        }
    }

    /** eigen:J1,J2,…[;n=…][;theta=…]; n defaults to equal weights, theta to 0. */
    private static TrapEigen eigen(String spec, String rest) {
        String[] parts = rest.split(";");
        int[] modes = indices(spec, parts[0]);
        double[] n = null, theta = null;
        for (int p = 1; p < parts.length; p++) {
            if (parts[p].isBlank()) continue;
            String[] t = parts[p].split("=", 2);
            String name = t[0].trim().toLowerCase(Locale.ROOT);
            if (t.length != 2 || !(name.equals("n") || name.equals("theta")))
                throw new ParameterException("--initial", spec, "eigen:J1,J2,...;n=N1,N2,...;theta=T1,T2,... (parameters n and theta only)");
            String[] c = t[1].split(",");
            if (c.length != modes.length)
                throw new ParameterException("--initial " + name, t[1].trim(), modes.length + " comma-separated numbers (one per mode)");
            double[] v = new double[c.length];
            for (int a = 0; a < c.length; a++) {
                try {
                    v[a] = Double.parseDouble(c[a].trim());
                } catch (NumberFormatException e) {
                    throw new ParameterException("--initial " + name, c[a].trim(), "a number");
                }
            }
            if (name.equals("n")) { if (n != null) throw new ParameterException("--initial", spec, "n given twice"); n = v; }
            else { if (theta != null) throw new ParameterException("--initial", spec, "theta given twice"); theta = v; }
        }
        if (n == null) { n = new double[modes.length]; Arrays.fill(n, 1); }
        if (theta == null) theta = new double[modes.length];
        return new TrapEigen(modes, n, theta);
    }

    private static int[] indices(String spec, String text) {
        if (text.isBlank()) throw new ParameterException("--initial", spec, "eigenmode indices, e.g. eigen:0 or localised:0,1");
        String[] c = text.split(",");
        int[] v = new int[c.length];
        for (int a = 0; a < c.length; a++) {
            try {
                v[a] = Integer.parseInt(c[a].trim());
            } catch (NumberFormatException e) {
                throw new ParameterException("--initial", spec, "integer eigenmode indices 0 … " + MAX_EIGEN_INDEX + ", got '" + c[a].trim() + "'");
            }
        }
        return v;
    }

    private static double[] vector(String spec, String name, String text) {
        String[] c = text.split(",");
        if (c.length != 3) throw new ParameterException("--initial", spec, name + " needs three components X,Y,Z");
        double[] v = new double[3];
        for (int d = 0; d < 3; d++) {
            try {
                v[d] = Double.parseDouble(c[d].trim());
            } catch (NumberFormatException e) {
                throw new ParameterException("--initial", spec, "numeric components for " + name);
            }
        }
        return v;
    }
}
