package io.hartree.api.modes;

import io.hartree.api.HostTransforms;
import io.hartree.api.ParameterException;
import io.hartree.api.SplitStepKernels.Dft;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.OneBodyOperator;

/**
 * The one-body operator h = a(−Δ) + U on the periodic grid (DESIGN §3): the kinetic term is
 * spectral, (a(−Δ)f)_x = n^{−3} BACKWARD(a|k|² · FORWARD(f)) with the session's unnormalised
 * {@link HostTransforms} (the normalisation 1/n³ is folded into the multiplier), the potential is
 * pointwise. This is exactly the operator whose exponentials the split-step propagator applies, so
 * its eigenfunctions are the stationary states of the engine's own h. Real functions are applied
 * two at a time through one complex transform pair (the multiplier a|k|² is real and even, so
 * f + ig maps to Kf + iKg).
 */
public final class GridOperator {
    private final Grid3D grid;
    private final OneBodyOperator h;
    private final HostTransforms fft;
    private final double[] kinetic;   // a|k|²/n³, C order
    private final double[] potential; // U(x), C order
    private final double upperBound;
    private final double[] work;

    public GridOperator(Grid3D grid, OneBodyOperator h, HostTransforms fft) {
        ParameterException.require(grid != null, "grid", grid, "a Grid3D");
        ParameterException.require(h != null, "h", h, "a OneBodyOperator");
        ParameterException.require(fft != null, "hostTransforms", fft, "the session's HostTransforms");
        this.grid = grid;
        this.h = h;
        this.fft = fft;
        int n = grid.n(), n3 = grid.hostRealLength();
        double inv = 1.0 / n3;
        kinetic = new double[n3];
        double kmax = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) {
                    double kk = sq(grid.k(i)) + sq(grid.k(j)) + sq(grid.k(k));
                    kinetic[(i * n + j) * n + k] = h.kinetic() * kk * inv;
                    kmax = Math.max(kmax, h.kinetic() * kk);
                }
        potential = h.trap().sample(grid);
        double umax = Double.NEGATIVE_INFINITY;
        for (double u : potential) {
            if (!Double.isFinite(u)) throw new ParameterException("--trap", h.trap().describe(), "a finite potential on the grid");
            umax = Math.max(umax, u);
        }
        // ⟨f, hf⟩ ≤ max a|k|² + max U for every f: the top of the filter interval.
        upperBound = kmax + umax;
        work = new double[2 * n3];
    }

    public Grid3D grid() { return grid; }

    public OneBodyOperator operator() { return h; }

    public HostTransforms transforms() { return fft; }

    /** U sampled on the grid (shared; do not modify). */
    public double[] potential() { return potential; }

    /** A rigorous upper bound of the spectrum of the grid operator: max a|k|² + max U. */
    public double upperBound() { return upperBound; }

    /** A rigorous lower bound: min U (the kinetic term is ≥ 0). */
    public double lowerBound() {
        double m = Double.POSITIVE_INFINITY;
        for (double u : potential) m = Math.min(m, u);
        return m;
    }

    /**
     * out_f = h f and out_g = h g for real f, g (g and out_g may be null). Outputs must not alias
     * the inputs. One forward and one backward transform of n³ complex values.
     */
    public void applyReal(double[] f, double[] g, double[] outF, double[] outG) {
        int n3 = kinetic.length;
        for (int s = 0; s < n3; s++) {
            work[2 * s] = f[s];
            work[2 * s + 1] = g == null ? 0 : g[s];
        }
        int n = grid.n();
        fft.dft3(work, n, n, n, Dft.FORWARD);
        for (int s = 0; s < n3; s++) {
            work[2 * s] *= kinetic[s];
            work[2 * s + 1] *= kinetic[s];
        }
        fft.dft3(work, n, n, n, Dft.BACKWARD);
        for (int s = 0; s < n3; s++) outF[s] = work[2 * s] + potential[s] * f[s];
        if (g != null) for (int s = 0; s < n3; s++) outG[s] = work[2 * s + 1] + potential[s] * g[s];
    }

    /** out = h f for complex f = re + i·im (im may be null: real f); outIm receives the imaginary part. */
    public void applyComplex(double[] re, double[] im, double[] outRe, double[] outIm) {
        if (im == null) {
            applyReal(re, null, outRe, null);
            java.util.Arrays.fill(outIm, 0);
        } else applyReal(re, im, outRe, outIm);
    }

    private static double sq(double x) { return x * x; }
}
