package io.hartree.cli.study;

/**
 * Ordinary least squares of log y = log a + b log x, with the standard error of the slope
 * SE(b) = √(s² / Σ(ξ_i − ξ̄)²), s² = Σ r_i² / (n − 2) (natural logarithms; n ≥ 3 for an error).
 */
public record LogLogFit(double slope, double slopeError, double prefactor, int points) {
    public static LogLogFit fit(double[] x, double[] y) {
        int n = x.length;
        if (n < 2 || y.length != n) throw new IllegalArgumentException("log-log fit needs >= 2 points of equal length, got " + n + " and " + y.length);
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            if (!(x[i] > 0) || !(y[i] > 0)) throw new IllegalArgumentException("log-log fit needs positive data, point " + i + ": (" + x[i] + ", " + y[i] + ")");
            mx += Math.log(x[i]);
            my += Math.log(y[i]);
        }
        mx /= n;
        my /= n;
        double sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx, dy = Math.log(y[i]) - my;
            sxx += dx * dx;
            sxy += dx * dy;
        }
        double b = sxy / sxx;
        double a = my - b * mx;
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double r = Math.log(y[i]) - (a + b * Math.log(x[i]));
            rss += r * r;
        }
        double se = n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : Double.NaN;
        return new LogLogFit(b, se, Math.exp(a), n);
    }

    /** True if |slope − expected| ≤ tolerance. */
    public boolean within(double expected, double tolerance) {
        return Math.abs(slope - expected) <= tolerance;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.4f ± %.4f (%d points)", slope, slopeError, points);
    }
}
