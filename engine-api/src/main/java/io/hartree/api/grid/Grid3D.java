package io.hartree.api.grid;

import io.hartree.api.ParameterException;

/**
 * The periodic box [−L/2, L/2)³ sampled by n³ points x_j = −L/2 + j·dx, dx = L/n. Arrays on the
 * grid are stored in C order (x slowest, z fastest): index (i·n + j)·n + k. Complex arrays are
 * interleaved re/im in one {@code double[]} of length 2n³, on host and device alike.
 */
public record Grid3D(int n, double length) {
    public Grid3D {
        ParameterException.require(n >= 4 && n % 2 == 0 && n <= 4096, "--grid", n, "even integer in [4, 4096]");
        ParameterException.require(length > 0 && Double.isFinite(length), "--box", length, "finite length > 0");
    }

    public double dx() { return length / n; }

    /** Volume element dx³ of the Riemann sums ∫f ≈ dx³ Σ f. */
    public double dV() { double d = dx(); return d * d * d; }

    /** Number of points n³ (long: 4096³ overflows int). */
    public long points() { return (long) n * n * n; }

    /** Coordinate of index j along one axis. */
    public double x(int j) { return -0.5 * length + j * dx(); }

    /** Angular wave number of FFT index j along one axis: 2π/L · (j if j < n/2 else j − n). */
    public double k(int j) { return 2 * Math.PI / length * (j < n / 2 ? j : j - n); }

    /** Largest |k| on one axis (Nyquist), π/dx. */
    public double kMax() { return Math.PI / dx(); }
}
