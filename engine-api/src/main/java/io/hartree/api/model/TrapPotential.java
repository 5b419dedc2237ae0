package io.hartree.api.model;

import io.hartree.api.ParameterException;
import io.hartree.api.io.Npy;

import java.nio.file.Path;
import java.util.Arrays;


/**
 * The external potential U(x) of the one-body operator h = a(−Δ) + U.
 *
 * <p>Backends take a trap in one of two forms: {@link Harmonic} (and {@link Free}) by its
 * coefficients, which the cuda kernels evaluate in place, and every other trap as the table
 * {@link #sample(Grid3D)} (uploaded once by the cuda backend, kept on the host by the cpu
 * backend). A new trap is therefore either a {@link Harmonic} or sampled; it needs no backend code.
 * The user-facing names ({@code --trap}) are {@link TrapSpec}'s.
 */
public interface TrapPotential {
    double value(double x, double y, double z);

    /** A short description for config files and reports ("harmonic: 5(x²+y²+z²) − 15"). */
    String describe();

    /**
     * {c_x, c_y, c_z, offset} when U = Σ_d c_d x_d² + offset exactly (a backend may evaluate it in
     * place instead of storing a table), else empty: the trap is {@link #sample sampled}. Backends
     * ask this, not {@code instanceof}.
     */
    default java.util.Optional<double[]> quadraticCoefficients() { return java.util.Optional.empty(); }

    /** U sampled on the grid, C order, length n³. */
    default double[] sample(Grid3D g) {
        int n = g.n();
        double[] u = new double[g.hostRealLength()];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++)
                    u[(i * n + j) * n + k] = value(g.x(i), g.x(j), g.x(k));
        return u;
    }

    /**
     * Anisotropic harmonic trap U = Σ_d c_d x_d² + offset. The paper's preset (3.3) is c_d = ν/2,
     * offset = −3ν/2.
     */
    record Harmonic(double cx, double cy, double cz, double offset) implements TrapPotential {
        public double value(double x, double y, double z) { return cx * x * x + cy * y * y + cz * z * z + offset; }

        public String describe() { return "harmonic:cx=" + cx + ",cy=" + cy + ",cz=" + cz + ",offset=" + offset; }

        @Override
        public java.util.Optional<double[]> quadraticCoefficients() { return java.util.Optional.of(new double[]{cx, cy, cz, offset}); }
    }

    /** No external potential. */
    record Free() implements TrapPotential {
        public double value(double x, double y, double z) { return 0; }

        public String describe() { return "none"; }

        @Override
        public java.util.Optional<double[]> quadraticCoefficients() { return java.util.Optional.of(new double[4]); }
    }

    /**
     * A double well: the harmonic trap ½Σ_d w_d² x_d² plus a Gaussian barrier along x,
     * U = ½(w_x²x² + w_y²y² + w_z²z²) + V₀ e^{−x²/(2s²)}. For V₀ > w_x²s² (the barrier's curvature
     * V₀/s² beats the trap's w_x²) the origin is a maximum along x and the two minima sit at
     * x = ±s√(2 ln(V₀/(w_x²s²))). Sampled (no closed-form kernel on the cuda backend).
     */
    record DoubleWell(double wx, double wy, double wz, double v0, double s) implements TrapPotential {
        public DoubleWell {
            TrapSpec.requireFrequency("wx", wx);
            TrapSpec.requireFrequency("wy", wy);
            TrapSpec.requireFrequency("wz", wz);
            ParameterException.require(v0 >= 0 && Double.isFinite(v0), "--trap v0", v0, "finite barrier height v0 >= 0");
            ParameterException.require(s > 0 && Double.isFinite(s), "--trap s", s, "finite barrier width s > 0");
        }

        public double value(double x, double y, double z) {
            return 0.5 * (wx * wx * x * x + wy * wy * y * y + wz * wz * z * z) + v0 * Math.exp(-x * x / (2 * s * s));
        }

        public String describe() { return "doublewell:wx=" + wx + ",wy=" + wy + ",wz=" + wz + ",v0=" + v0 + ",s=" + s; }
    }

    /**
     * U tabulated on one grid (read from a float64 .npy file of shape (n, n, n), C order, by
     * {@link #read}). {@link #sample} returns the table on that grid and refuses any other grid;
     * {@link #value} is the table at the grid point nearest to x (periodic), so it equals the
     * table at every grid point and is piecewise constant between them.
     */
    record Table(Path file, Grid3D grid, double[] u) implements TrapPotential {
        public Table {
            ParameterException.require(file != null && grid != null && u != null, "--trap", file, "table:FILE.npy on a grid");
            ParameterException.require(u.length == grid.points(), "--trap", file, "a table of n³ = " + grid.points() + " values");
        }

        /**
         * Reads and validates U from {@code file} for {@code grid}: a real (float64; float32 is
         * converted) array of shape (n, n, n), every value finite. Errors name {@code --trap}.
         */
        public static Table read(Path file, Grid3D grid) {
            int n = grid.n();
            grid.hostRealLength();
            Npy.Array a = Npy.read(file, "--trap");
            if (a.complex())
                throw new ParameterException("--trap", file + " is complex; allowed: a real float64 array of shape (" + n + ", " + n + ", " + n + ") (U is real)");
            a.requireShape("--trap", n, n, n);
            double[] u = a.data();
            for (int i = 0; i < u.length; i++)
                if (!Double.isFinite(u[i])) {
                    int x = i / (n * n), y = (i / n) % n, z = i % n;
                    throw new ParameterException("--trap", file + " holds a non-finite value " + u[i] + " at index (" + x + ", " + y + ", " + z + "); allowed: finite values");
                }
            return new Table(file, grid, u);
        }

        public double value(double x, double y, double z) {
            int n = grid.n();
            return u[(index(x) * n + index(y)) * n + index(z)];
        }

        private int index(double x) {
            long j = Math.round((x + 0.5 * grid.length()) / grid.dx());
            return (int) Math.floorMod(j, (long) grid.n());
        }

        /** The table itself (a copy) on its own grid. */
        @Override
        public double[] sample(Grid3D g) {
            if (!grid.equals(g))
                throw new ParameterException("--trap", "table " + file + " is tabulated on the " + grid.n() + "^3 grid with L = " + grid.length()
                        + "; it cannot be sampled on the " + g.n() + "^3 grid with L = " + g.length());
            return u.clone();
        }

        public String describe() { return "table:" + file; }

        @Override public boolean equals(Object o) {
            return o instanceof Table t && file.equals(t.file) && grid.equals(t.grid) && Arrays.equals(u, t.u);
        }

        @Override public int hashCode() { return 31 * file.hashCode() + grid.hashCode(); }

        @Override public String toString() { return describe() + " (" + grid.n() + "^3, L = " + grid.length() + ")"; }
    }
}
