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
 * </ul>
 */
public sealed interface InitialState {
    /** Relative norm error of a state read from a file beyond which it is renormalised with a warning. */
    double NORM_TOLERANCE = 1e-6;

    String ALLOWED = "ground | gaussian:x0=X,Y,Z;p0=PX,PY,PZ | npy:FILE.npy";

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
            default -> throw new ParameterException("--initial", spec, ALLOWED);
        }
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
