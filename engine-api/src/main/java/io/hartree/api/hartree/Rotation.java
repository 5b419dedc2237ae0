package io.hartree.api.hartree;

import io.hartree.api.HostTransforms;
import io.hartree.api.SplitStepKernels;
import io.hartree.api.SplitStepKernels.Dft;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.HartreeProblem;

/**
 * The rotating frame h → h − ΩL_z, L_z = −i(x∂_y − y∂_x) (z the rotation axis, ħ = 1), written
 * once over {@link SplitStepKernels#transformAxis} and {@link SplitStepKernels#axisPhase}, and its
 * observables on a host array (docs/hartree.md, "Rotating frame").
 *
 * <p>−ΩL_z = iΩ(x∂_y − y∂_x) is the sum of A = +Ω·y·k_x, diagonal in the mixed representation
 * (k_x, y), and B = −Ω·x·k_y, diagonal in (x, k_y) (∂ → ik along the transformed axis).
 * <ul>
 *   <li>Real time: e^{−iτ(−ΩL_z)} = e^{iθL_z}, θ = Ωτ, is exactly the rotation f(r) ↦ f(R_θ r), R_θ the
 *       counter-clockwise rotation by θ (e^{iθL_z} = e^{θ(x∂_y − y∂_x)}, the flow of the field (−y, x));
 *       in the rotating frame a state at rest in the lab turns by −Ωτ. R_θ = S_x(−tan(θ/2)) S_y(sin θ)
 *       S_x(−tan(θ/2)) (Paeth 1986; Unser, Thévenaz and Yaroslavsky 1995) with the shears
 *       f(x, y) ↦ f(x + c·y, y) = e^{c·y∂_x} f, the phase e^{i c·y·k_x} in (k_x, y), and f ↦ f(x, y + s·x),
 *       e^{i s·x·k_y} in (x, k_y): exact for band-limited states.</li>
 *   <li>Imaginary time: e^{−τ(A+B)} ≈ e^{−τA/2} e^{−τB} e^{−τA/2} (second order; Bao, Wang and Markowich
 *       2005), the real factors e^{−(τΩ/2)·y·k_x}, e^{+τΩ·x·k_y}, e^{−(τΩ/2)·y·k_x}. They are bounded
 *       by e^{τ|Ω|(L/2)k_max}, which {@link HartreeProblem} refuses above e^{{@value HartreeProblem#ROTATION_IMAGINARY_BOUND}}.</li>
 * </ul>
 * Both are the same sequence of representations: Fourier → (k_x, y) → (x, k_y) → (k_x, y) → Fourier,
 * six one-dimensional passes (two 3D-transform equivalents), the 1/n of each 1D round trip folded
 * into the phase.
 */
public final class Rotation {
    /** Density threshold of the vortex count, as a fraction of the largest density on the plane. */
    public static final double VORTEX_DENSITY = 1e-3;

    private Rotation() {}

    /**
     * Applies e^{−iτ(−ΩL_z)} (real time) or its imaginary-time split e^{−τ(−ΩL_z)} with angle = Ω·τ to every
     * state of the batch, in Fourier space (left in Fourier space).
     */
    public static void apply(SplitStepKernels k, int n, double angle, boolean imaginary) {
        if (angle == 0) return;
        double c1, c2;
        if (imaginary) { c1 = 0.5 * angle; c2 = -angle; }
        else { c1 = -Math.tan(0.5 * angle); c2 = Math.sin(angle); }
        double s = 1.0 / n;
        k.transformAxis(1, Dft.BACKWARD);                  // (k_x, y)
        k.axisPhase(1, 0, c1, imaginary, s);
        k.transformAxis(1, Dft.FORWARD);
        k.transformAxis(0, Dft.BACKWARD);                  // (x, k_y)
        k.axisPhase(0, 1, c2, imaginary, s);
        k.transformAxis(0, Dft.FORWARD);
        k.transformAxis(1, Dft.BACKWARD);                  // (k_x, y)
        k.axisPhase(1, 0, c1, imaginary, s);
        k.transformAxis(1, Dft.FORWARD);
    }

    /**
     * ∫φ* L_z φ dV (not divided by the norm) of a real-space state φ (2n³ interleaved), by spectral
     * derivatives: ∂_dφ = BACKWARD(i k_d · FORWARD φ)/n³.
     */
    public static double angularMomentum(double[] phi, Grid3D g, HostTransforms t) {
        int n = g.n();
        double[] hat = phi.clone();
        t.dft3(hat, n, n, n, Dft.FORWARD);
        double[] dx = new double[hat.length], dy = new double[hat.length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) {
                    int q = 2 * ((i * n + j) * n + k);
                    double re = hat[q], im = hat[q + 1];
                    // i·k·(re + i·im) = −k·im + i·k·re
                    dx[q] = -g.k(i) * im; dx[q + 1] = g.k(i) * re;
                    dy[q] = -g.k(j) * im; dy[q + 1] = g.k(j) * re;
                }
        t.dft3(dx, n, n, n, Dft.BACKWARD);
        t.dft3(dy, n, n, n, Dft.BACKWARD);
        double inv = 1.0 / g.points(), s = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) {
                    int q = 2 * ((i * n + j) * n + k);
                    double x = g.x(i), y = g.x(j);
                    // D = x∂_yφ − y∂_xφ; φ*(−i)D has real part Re(φ)·Im(D) − Im(φ)·Re(D).
                    double dr = (x * dy[q] - y * dx[q]) * inv, di = (x * dy[q + 1] - y * dx[q + 1]) * inv;
                    s += phi[q] * di - phi[q + 1] * dr;
                }
        return s * g.dV();
    }

    /**
     * Quantised vortices through the plane z = 0 (grid index n/2): on each plaquette of that plane whose
     * mean corner density exceeds {@value #VORTEX_DENSITY} of the plane's largest density, the sum of
     * the four phase differences around it, each wrapped to (−π, π], is 2π·w; returns Σ|w|. (A core exactly
     * on a grid point has no phase there and is counted by chance: generic states have none.)
     */
    public static int vortexCount(double[] phi, Grid3D g) {
        int n = g.n(), k = n / 2;
        double[] rho = new double[n * n], arg = new double[n * n];
        double max = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                int q = 2 * ((i * n + j) * n + k);
                rho[i * n + j] = phi[q] * phi[q] + phi[q + 1] * phi[q + 1];
                arg[i * n + j] = Math.atan2(phi[q + 1], phi[q]);
                max = Math.max(max, rho[i * n + j]);
            }
        double cut = VORTEX_DENSITY * max;
        int count = 0;
        for (int i = 0; i + 1 < n; i++)
            for (int j = 0; j + 1 < n; j++) {
                int a = i * n + j, b = (i + 1) * n + j, c = (i + 1) * n + j + 1, d = i * n + j + 1;
                if (!(0.25 * (rho[a] + rho[b] + rho[c] + rho[d]) > cut)) continue;
                double w = wrap(arg[b] - arg[a]) + wrap(arg[c] - arg[b]) + wrap(arg[d] - arg[c]) + wrap(arg[a] - arg[d]);
                count += Math.abs((int) Math.round(w / (2 * Math.PI)));
            }
        return count;
    }

    private static double wrap(double d) {
        while (d > Math.PI) d -= 2 * Math.PI;
        while (d <= -Math.PI) d += 2 * Math.PI;
        return d;
    }
}
