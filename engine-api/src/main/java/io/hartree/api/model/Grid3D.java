package io.hartree.api.model;

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

    /**
     * Index of the real part of point (i, j, k) in an interleaved complex C-order array:
     * 2((i·n + j)·n + k), in long arithmetic (past 2³¹ from n = 1024 on).
     */
    public long complexIndex(int i, int j, int k) { return 2 * (((long) i * n + j) * n + k); }

    /** Largest even n whose host state of 2n³ doubles fits in a Java array (2·1022³ < 2³¹ − 9 < 2·1024³). */
    public static final int MAX_HOST_N = 1022;

    /**
     * Length 2n³ of a host complex array (interleaved re/im {@code double[]}) on this grid; a
     * {@link ParameterException} naming --grid when it exceeds what a Java array holds (host
     * fields are int-indexed until they become long-indexed buffers).
     */
    public int hostComplexLength() { return hostLength(2 * points(), "complex"); }

    /** Length n³ of a host real array on this grid; see {@link #hostComplexLength()}. */
    public int hostRealLength() { return hostLength(points(), "real"); }

    private int hostLength(long values, String what) {
        if (values > Integer.MAX_VALUE - 8)
            throw new ParameterException("--grid", n, "even n <= " + MAX_HOST_N + " for a host " + what + " array on the grid ("
                    + values + " values; a Java double[] holds fewer than 2^31)");
        return (int) values;
    }

    /** Coordinate of index j along one axis. */
    public double x(int j) { return -0.5 * length + j * dx(); }

    /** Angular wave number of FFT index j along one axis: 2π/L · (j if j < n/2 else j − n). */
    public double k(int j) { return 2 * Math.PI / length * (j < n / 2 ? j : j - n); }

    /** Largest |k| on one axis (Nyquist), π/dx. */
    public double kMax() { return Math.PI / dx(); }
}
