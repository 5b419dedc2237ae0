package io.hartree.api.hartree;

import io.hartree.api.model.Interaction;
import io.hartree.api.model.ConvolutionMode;

import io.hartree.api.ParameterException;
import io.hartree.api.model.Grid3D;
import io.hartree.api.io.Npy;
import io.hartree.api.HostTransforms;
import io.hartree.api.SplitStepKernels.Dft;

import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The kernel of the Hartree convolution (V * ρ)(x) = ∫ V(x − y) ρ(y) dy as a backend-independent
 * table, computed once at setup with the session's {@link HostTransforms}, so that every backend
 * (FFTW on the CPU, cuFFT on the GPU) applies the same numbers.
 *
 * <p>For {@link Kind#SPECTRAL} kernels the backend computes, with unnormalised transforms
 * (FFTW/cuFFT convention, forward sign −1),
 * <pre>  (V * ρ)_j = c2r( table · r2c(ρ_pad) )_j ,   j in the first n³ points of the m³ grid,</pre>
 * where ρ_pad is ρ zero-padded to m³ (m = n periodic, m = 2n padded/truncated) and
 * {@code table} is real, of length m·m·(m/2+1), laid out as the r2c half grid in C order
 * (index (i·m + j)·(m/2+1) + k, k the halved last axis). It equals w/m³, where w is the
 * discrete spectrum of the kernel: w = dx³·DFT(V sampled) for sampled kernels (the discrete
 * convolution dx³ Σ_y V(x − y) ρ(y)) or w = V̂(k) for analytic ones.
 * {@link Kind#LOCAL} is the contact interaction, V * ρ = g ρ pointwise; {@link Kind#NONE} is V = 0.
 *
 * <p>Modes:
 * <ul>
 *   <li>periodic: cyclic convolution on the n³ torus. Gaussian and tabulated V are sampled at the
 *       minimum-image offsets and transformed (exactly the discrete cyclic convolution, as the
 *       NumPy peer does); Yukawa and Coulomb, singular at 0, use the analytic V̂ at the box's wave
 *       numbers (the convolution with the periodised kernel Σ_p V(x + Lp)); Coulomb's k = 0 term
 *       is dropped (a neutralising background).</li>
 *   <li>padded: ρ zero-padded to (2n)³, V sampled at offsets −n..n−1: the aliasing-free linear
 *       convolution of the box with the sampled kernel. Singular kernels are refused.</li>
 *   <li>truncated (Vico, Greengard, Ferrando, J. Comput. Phys. 323 (2016) 191): V truncated at
 *       R = √3 L, whose transform is smooth, e.g. Coulomb Ŵ(k) = 8πλ sin²(R|k|/2)/|k|²,
 *       Ŵ(0) = 2πλR². Ŵ is summed on the 4× oversampled lattice k ∈ (2π/4L)Z³ inside the
 *       grid's band (which makes the 4L-periodic images of W_R disjoint from the box's offsets),
 *       giving the real-space kernel T at offsets |j| ≤ n, which is then transformed on the
 *       (2n)³ grid. Exact for band-limited ρ supported in the box (spectral accuracy).</li>
 * </ul>
 */
public final class ConvolutionKernel {
    /** How the backend applies the kernel. */
    public enum Kind { NONE, LOCAL, SPECTRAL }

    private final Kind kind;
    private final ConvolutionMode mode;
    private final Grid3D grid;
    private final int m;
    private final double g;
    /** The LHY strength γ of the local term γ|ψ|³ of the mean field (0: none). */
    private final double lhy;
    private final double[] table;
    private final String description;
    private final HostTransforms fft;

    private ConvolutionKernel(Kind kind, ConvolutionMode mode, Grid3D grid, int m, double g, double[] table, String description, HostTransforms fft) {
        this(kind, mode, grid, m, g, 0, table, description, fft);
    }

    private ConvolutionKernel(Kind kind, ConvolutionMode mode, Grid3D grid, int m, double g, double lhy, double[] table, String description, HostTransforms fft) {
        this.lhy = lhy;
        this.kind = kind;
        this.mode = mode;
        this.grid = grid;
        this.m = m;
        this.g = g;
        this.table = table;
        this.description = description;
        this.fft = fft;
    }

    public Kind kind() { return kind; }

    public ConvolutionMode mode() { return mode; }

    public Grid3D grid() { return grid; }

    /** Edge of the transform grid: n (periodic) or 2n (padded, truncated); n for NONE/LOCAL. */
    public int size() { return m; }

    /** Contact strength g of a {@link Kind#LOCAL} kernel (0 otherwise). */
    public double contact() { return g; }

    /**
     * The LHY strength γ (0: none): the backend adds γ·(s·ρ)^{3/2} to the mean field, ρ the density
     * the phase takes (|ψ|² or the stored start-of-step one) and s its density scale, next to the
     * convolution (any kind; a kernel of an LHY term alone or with contacts only is {@link Kind#LOCAL}).
     */
    public double lhy() { return lhy; }

    /** The real half-grid table w/m³ (shared, do not modify); empty unless SPECTRAL. */
    public double[] table() { return table; }

    /** One line naming the interaction, the mode and how the kernel was made. */
    public String describe() { return description; }

    /** Builds the kernel of {@code v} on {@code grid} in {@code mode}. */
    public static ConvolutionKernel build(Grid3D grid, Interaction v, ConvolutionMode mode, HostTransforms fft) {
        java.util.Objects.requireNonNull(fft, "fft");
        int n = grid.n();
        if (mode == null) mode = ConvolutionMode.PERIODIC;
        if (v == null || v instanceof Interaction.None)
            return new ConvolutionKernel(Kind.NONE, mode, grid, n, 0, new double[0], "none", fft);
        if (v instanceof Interaction.Sum || v instanceof Interaction.Lhy) return sum(grid, v, mode, fft);
        if (v instanceof Interaction.Contact c)
            return new ConvolutionKernel(Kind.LOCAL, mode, grid, n, c.g(), new double[0],
                    v.spec() + " (local, V*rho = g rho in every mode)", fft);
        return switch (mode) {
            case PERIODIC -> periodic(grid, v, fft);
            case PADDED -> padded(grid, v, fft);
            case TRUNCATED -> truncated(grid, v, fft);
        };
    }

    private static ConvolutionKernel periodic(Grid3D grid, Interaction v, HostTransforms fft) {
        int n = grid.n();
        return switch (v) {
            case Interaction.Gaussian gs -> sampledRadial(grid, gs, n, ConvolutionMode.PERIODIC, fft);
            case Interaction.Tabulated t -> tabulated(grid, t, n, ConvolutionMode.PERIODIC, fft);
            case Interaction.Yukawa y -> analyticPeriodic(grid, y, fft, "analytic V^ = 4 pi lambda/(k^2+mu^2) on the n^3 torus");
            case Interaction.Coulomb c -> analyticPeriodic(grid, c, fft, "analytic V^ = 4 pi lambda/k^2 on the n^3 torus, k = 0 dropped (neutralising background)");
            case Interaction.Dipolar d -> dipolar(grid, d, ConvolutionMode.PERIODIC, fft);
            default -> throw new IllegalStateException(v.toString());
        };
    }

    private static ConvolutionKernel padded(Grid3D grid, Interaction v, HostTransforms fft) {
        int n = grid.n();
        return switch (v) {
            case Interaction.Gaussian gs -> sampledRadial(grid, gs, 2 * n, ConvolutionMode.PADDED, fft);
            case Interaction.Tabulated t -> tabulated(grid, t, 2 * n, ConvolutionMode.PADDED, fft);
            case Interaction.Yukawa y -> throw new ParameterException("--conv", "padded", "periodic | truncated for " + y.spec() + " (singular at r = 0, cannot be sampled)");
            case Interaction.Coulomb c -> throw new ParameterException("--conv", "padded", "truncated (or periodic) for " + c.spec() + " (singular at r = 0, cannot be sampled)");
            case Interaction.Dipolar d -> dipolar(grid, d, ConvolutionMode.PADDED, fft);
            default -> throw new IllegalStateException(v.toString());
        };
    }

    private static ConvolutionKernel truncated(Grid3D grid, Interaction v, HostTransforms fft) {
        if (v instanceof Interaction.Dipolar d) return dipolar(grid, d, ConvolutionMode.TRUNCATED, fft);
        int n = grid.n();
        double L = grid.length();
        double R = Math.sqrt(3) * L;
        TruncatedTransform w = switch (v) {
            case Interaction.Coulomb c -> k -> k == 0 ? 2 * Math.PI * c.lambda() * R * R
                    : 8 * Math.PI * c.lambda() * sq(Math.sin(0.5 * R * k)) / (k * k);
            case Interaction.Yukawa y -> k -> yukawaTruncated(y.lambda(), y.mu(), R, k);
            case Interaction.Gaussian gs -> {
                // The Gaussian's mass beyond R, relative to all of it, bounds the difference between the
                // truncated and full transforms; the full one is used when that bound is below round-off.
                double s = gs.sigma();
                double tail = tailFraction(R / s);
                if (tail > 1e-15)
                    throw new ParameterException("--conv", "truncated",
                            "periodic | padded for " + gs.spec() + " on L = " + L + " (sigma too wide: the Gaussian's mass beyond R = sqrt(3) L is " + tail + " of it)");
                yield gs::fourier;
            }
            case Interaction.Tabulated t -> throw new ParameterException("--conv", "truncated", "periodic | padded for a tabulated interaction");
            default -> throw new IllegalStateException(v.toString());
        };
        int N = 4 * n; // 4x oversampled lattice, period 4L
        int h = N / 2;
        double dk = 2 * Math.PI / (4 * L);
        double[] spec = new double[(h + 1) * (h + 1) * (h + 1)];
        IntStream.rangeClosed(0, h).parallel().forEach(a -> {
            for (int b = 0; b <= h; b++)
                for (int c = 0; c <= h; c++)
                    spec[(a * (h + 1) + b) * (h + 1) + c] = w.at(dk * Math.sqrt((double) a * a + (double) b * b + (double) c * c));
        });
        // T(x_j) = (4L)^{-3} Σ_k Ŵ(k) e^{ik·x_j}, for offsets 0 <= j <= n (T is even in each axis).
        double[] t = evenDft3(spec, h + 1, N, n + 1, fft);
        double f = 1 / Math.pow(4 * L, 3);
        for (int i = 0; i < t.length; i++) t[i] *= f;
        // w = dx³·DFT_{2n}(T), T extended evenly to the 2n torus.
        double[] e = evenDft3(t, n + 1, 2 * n, n + 1, fft);
        return fromEven(grid, e, 2 * n, grid.dV(), ConvolutionMode.TRUNCATED,
                v.spec() + " truncated at R = sqrt(3) L = " + fmt(R) + " (Vico-Greengard-Ferrando, 4x oversampled), linear convolution on the (2n)^3 grid", fft);
    }

    @FunctionalInterface
    private interface TruncatedTransform { double at(double k); }

    /**
     * A {@link Interaction.Sum} (or an {@link Interaction.Lhy} alone): the contacts' g and the LHY γ
     * are summed; the other terms' tables (all of edge m in one mode) are added, and a contact then
     * adds g/m³ to every entry of the table w/m³: c2r(g·r2c(ρ_pad))/m³ = g·ρ_pad, whose first n³
     * points are gρ exactly in every mode (periodic: m = n, the cyclic identity; padded and
     * truncated: the identity on the (2n)³ grid, restricted to the box). Without such terms the
     * kernel is {@link Kind#LOCAL} (g, γ), or {@link Kind#NONE} when all terms are none.
     */
    private static ConvolutionKernel sum(Grid3D grid, Interaction v, ConvolutionMode mode, HostTransforms fft) {
        java.util.List<Interaction> terms = v instanceof Interaction.Sum s ? s.terms() : java.util.List.of(v);
        double g = 0, gamma = Interaction.lhyGamma(v);
        boolean local = gamma != 0;
        java.util.List<ConvolutionKernel> spectral = new java.util.ArrayList<>();
        for (Interaction t : terms) {
            if (t instanceof Interaction.Contact c) { g += c.g(); local = true; }
            else if (t instanceof Interaction.Lhy || t instanceof Interaction.None) { }
            else spectral.add(build(grid, t, mode, fft));
        }
        String lhyText = gamma != 0 ? " + LHY gamma |psi|^3 with gamma = " + fmt(gamma) : "";
        if (spectral.isEmpty()) {
            if (!local) return new ConvolutionKernel(Kind.NONE, mode, grid, grid.n(), 0, new double[0], "none", fft);
            return new ConvolutionKernel(Kind.LOCAL, mode, grid, grid.n(), g, gamma, new double[0],
                    v.spec() + " (local: g rho" + lhyText + ", in every mode)", fft);
        }
        int m = spectral.get(0).size();
        double[] table = new double[spectral.get(0).table().length];
        StringBuilder how = new StringBuilder();
        for (ConvolutionKernel k : spectral) {
            if (k.size() != m) throw new IllegalStateException("terms of one mode with tables of edge " + m + " and " + k.size());
            double[] t = k.table();
            for (int i = 0; i < t.length; i++) table[i] += t[i];
            how.append(how.isEmpty() ? "" : "; ").append(k.describe());
        }
        double add = g / ((double) m * m * m);
        if (g != 0) for (int i = 0; i < table.length; i++) table[i] += add;
        return new ConvolutionKernel(Kind.SPECTRAL, mode, grid, m, 0, gamma, table,
                "sum " + v.spec() + ": one table, the sum of [" + how + "]" + (g != 0 ? " + contact g = " + fmt(g) + " on every entry" : "") + lhyText, fft);
    }

    /**
     * The dipolar kernel: its analytic transform at the wave numbers of the transform grid, with the
     * spherical cutoff R when one applies ({@link Interaction.Dipolar#fourier(double, double, double, double)}).
     * <ul>
     *   <li>periodic, no cutoff: V̂(k) = C_dd(cos²α − 1/3) at the box's wave numbers 2πj/L, k = 0 set
     *       to 0 (the angular average of V̂; the convolution with the periodised V_dd whose conditionally
     *       convergent lattice sum is fixed by this choice, a box-shape-independent "tin-foil" term).
     *       With a cutoff, 0 &lt; R ≤ L/2: V̂_R at the same k, the cyclic convolution with the
     *       L-periodised V_R, whose images do not overlap.</li>
     *   <li>padded and truncated (the same kernel): V̂_R at the wave numbers πj/L of the (2n)³ grid
     *       (period 2L), R = L by default, 0 &lt; R ≤ L. Alias-freedom: the table is then exactly the
     *       Fourier series of K = Σ_p V_R(· + 2Lp), the 2L-periodised truncated kernel (V_R has compact
     *       support, so V̂_R(πj/L)/(2L)³ are K's Fourier coefficients). For x, y in the box
     *       [−L/2, L/2)³ and p ≠ 0 some component of x − y + 2Lp exceeds L in modulus, so
     *       |x − y + 2Lp| &gt; L ≥ R and V_R(x − y + 2Lp) = 0: the cyclic convolution of the zero-padded
     *       density with K is the linear convolution V_R * ρ on the box, exactly for a ρ band-limited
     *       on the grid. V_R * ρ = V_dd * ρ wherever all of ρ's support lies within R of x (for
     *       R = L: a cloud inside the inscribed ball of diameter L). V̂_R is smooth (the transform of
     *       a compactly supported kernel; ~ C_dd R²((k·a)² − |k|²/3)/10 near 0).</li>
     * </ul>
     * On a Nyquist plane (j = m/2 on some axis) the wave-number component ±π/dx is ambiguous; the
     * entry is the mean over both signs, which keeps the table even, w(−k) = w(k), as a real c2r needs
     * (it matters only for an axis off the coordinate axes). The cost of a step is that of any
     * spectral table of the same m: one r2c/c2r pair and one multiply (the padded Gaussian's).
     */
    private static ConvolutionKernel dipolar(Grid3D grid, Interaction.Dipolar d, ConvolutionMode mode, HostTransforms fft) {
        int n = grid.n();
        double L = grid.length();
        boolean periodic = mode == ConvolutionMode.PERIODIC;
        int m = periodic ? n : 2 * n;
        double R = d.cutoffIn(L, mode);
        int mh = m / 2 + 1;
        double dk = 2 * Math.PI / (m * grid.dx());
        double[] table = new double[m * m * mh];
        double scale = 1.0 / ((double) m * m * m);
        final double cut = R;
        IntStream.range(0, m).parallel().forEach(i -> {
            double[] kx = signs(i, m, dk);
            for (int j = 0; j < m; j++) {
                double[] ky = signs(j, m, dk);
                for (int k = 0; k < mh; k++) {
                    double[] kz = signs(k, m, dk);
                    double w = 0;
                    for (double a : kx) for (double b : ky) for (double c : kz) w += d.fourier(a, b, c, cut);
                    table[(i * m + j) * mh + k] = w / (kx.length * ky.length * kz.length) * scale;
                }
            }
        });
        String how = periodic
                ? (d.hasCutoff() ? "analytic V^_R (cutoff R = " + fmt(R) + ") on the n^3 torus" : "analytic V^ = cdd(cos^2 a - 1/3) on the n^3 torus, k = 0 set to 0")
                : "analytic V^_R, cutoff R = " + fmt(R) + (d.hasCutoff() ? "" : " = L (default)") + ", on the (2n)^3 grid (alias-free linear convolution)";
        return new ConvolutionKernel(Kind.SPECTRAL, mode, grid, m, 0, table, d.spec() + ", " + how, fft);
    }

    /** The wave number(s) of index j on an m-point axis of spacing dk: both signs at the Nyquist index m/2. */
    private static double[] signs(int j, int m, double dk) {
        if (2 * j == m) return new double[]{dk * j, -dk * j};
        return new double[]{dk * (j < (m + 1) / 2 ? j : j - m)};
    }

    /**
     * Fourier transform of λ e^{−μr}/r truncated at R:
     * 4πλ/(k²+μ²)·[1 − e^{−μR}(cos kR + (μ/k) sin kR)], at k = 0: 4πλ/μ²·[1 − e^{−μR}(1 + μR)].
     */
    static double yukawaTruncated(double lambda, double mu, double R, double k) {
        double e = Math.exp(-mu * R);
        if (k == 0) return 4 * Math.PI * lambda / (mu * mu) * (1 - e * (1 + mu * R));
        return 4 * Math.PI * lambda / (k * k + mu * mu) * (1 - e * (Math.cos(k * R) + mu / k * Math.sin(k * R)));
    }

    /** Fraction of ∫e^{−r²/2} d³r beyond r = q: erfc(q/√2) + √(2/π) q e^{−q²/2}. */
    private static double tailFraction(double q) {
        return erfc(q / Math.sqrt(2)) + Math.sqrt(2 / Math.PI) * q * Math.exp(-0.5 * q * q);
    }

    /** erfc by the continued-fraction-free bound e^{−x²}/(x√π) for x > 3 (used only as a tail bound), else 1. */
    private static double erfc(double x) {
        return x > 3 ? Math.exp(-x * x) / (x * Math.sqrt(Math.PI)) : 1;
    }

    private static ConvolutionKernel sampledRadial(Grid3D grid, Interaction v, int m, ConvolutionMode mode, HostTransforms fft) {
        int h = m / 2;
        double dx = grid.dx();
        double[] f = new double[(h + 1) * (h + 1) * (h + 1)];
        for (int a = 0; a <= h; a++)
            for (int b = 0; b <= h; b++)
                for (int c = 0; c <= h; c++)
                    f[(a * (h + 1) + b) * (h + 1) + c] = v.value(dx * Math.sqrt((double) a * a + (double) b * b + (double) c * c));
        double[] e = evenDft3(f, h + 1, m, h + 1, fft);
        return fromEven(grid, e, m, grid.dV(), mode,
                v.spec() + " sampled at the " + (mode == ConvolutionMode.PERIODIC ? "minimum-image offsets of the n^3 torus (cyclic discrete convolution)"
                        : "offsets -n..n-1 of the (2n)^3 grid (linear discrete convolution)"), fft);
    }

    private static ConvolutionKernel analyticPeriodic(Grid3D grid, Interaction v, HostTransforms fft, String how) {
        int n = grid.n(), mh = n / 2 + 1;
        double[] table = new double[n * n * mh];
        double scale = 1.0 / ((double) n * n * n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < mh; k++) {
                    double kx = grid.k(i), ky = grid.k(j), kz = grid.k(k);
                    double kk = Math.sqrt(kx * kx + ky * ky + kz * kz);
                    double w = (kk == 0 && v instanceof Interaction.Coulomb) ? 0 : v.fourier(kk);
                    table[(i * n + j) * mh + k] = w * scale;
                }
        return new ConvolutionKernel(Kind.SPECTRAL, ConvolutionMode.PERIODIC, grid, n, 0, table, v.spec() + ", " + how, fft);
    }

    private static ConvolutionKernel tabulated(Grid3D grid, Interaction.Tabulated t, int m, ConvolutionMode mode, HostTransforms fft) {
        Npy.Array a = Npy.read(t.file(), "--interaction").requireShape("--interaction", m, m, m);
        if (a.complex()) throw new ParameterException("--interaction", t.file() + " is complex; a float64 table is required");
        double[] data = a.data();
        double[] c = new double[2 * m * m * m];
        double vmax = 0;
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) throw new ParameterException("--interaction", t.file() + " holds a non-finite value at flat index " + i);
            c[2 * i] = data[i];
            vmax = Math.max(vmax, Math.abs(data[i]));
        }
        fft.dft3(c, m, m, m, Dft.FORWARD);
        int mh = m / 2 + 1;
        double[] table = new double[m * m * mh];
        double dV = grid.dV(), scale = dV / ((double) m * m * m);
        double imax = 0, rmax = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                for (int k = 0; k < m; k++) {
                    int idx = (i * m + j) * m + k;
                    imax = Math.max(imax, Math.abs(c[2 * idx + 1]));
                    rmax = Math.max(rmax, Math.abs(c[2 * idx]));
                    if (k < mh) table[(i * m + j) * mh + k] = c[2 * idx] * scale;
                }
        // V(x − y) must be even (V(−x) = V(x)) for a real Hermitian mean field; its DFT is then real.
        if (imax > 1e-10 * Math.max(rmax, vmax))
            throw new ParameterException("--interaction", t.file() + " is not even under x -> -x (imaginary part of its DFT " + imax
                    + " vs " + rmax + "); tabulate V at offsets dx*(j if j < m/2 else j - m)");
        return new ConvolutionKernel(Kind.SPECTRAL, mode, grid, m, 0, table,
                t.spec() + " (" + m + "^3 table, " + (mode == ConvolutionMode.PERIODIC ? "cyclic" : "linear, padded") + " discrete convolution)", fft);
    }

    /**
     * Fills the r2c half-grid table from the even spectrum {@code e} on [0, m/2]³ (real), times
     * {@code factor}/m³.
     */
    private static ConvolutionKernel fromEven(Grid3D grid, double[] e, int m, double factor, ConvolutionMode mode, String description, HostTransforms fft) {
        int h = m / 2, mh = h + 1;
        double[] table = new double[m * m * mh];
        double scale = factor / ((double) m * m * m);
        for (int i = 0; i < m; i++) {
            int a = Math.min(i, m - i);
            for (int j = 0; j < m; j++) {
                int b = Math.min(j, m - j);
                int src = (a * (h + 1) + b) * (h + 1);
                int dst = (i * m + j) * mh;
                for (int k = 0; k < mh; k++) table[dst + k] = e[src + k] * scale;
            }
        }
        return new ConvolutionKernel(Kind.SPECTRAL, mode, grid, m, 0, table, description, fft);
    }

    /**
     * Unnormalised DFT of period N along each axis of a function even in each axis, given on the
     * non-negative indices [0, N/2]³ ({@code len} = N/2 + 1 per axis): out(a) = Σ_{j ∈ Z_N³} f(|j|)
     * e^{−2πi a·j/N}, real, returned for a in [0, outLen)³. Three passes of length-N line transforms.
     */
    static double[] evenDft3(double[] f, int len, int N, int outLen, HostTransforms fft) {
        int[] dims = {len, len, len};
        double[] x = f;
        for (int axis = 2; axis >= 0; axis--) {
            x = evenPass(x, dims, axis, N, outLen, fft);
            dims[axis] = outLen;
        }
        return x;
    }

    /** Lines per batch of {@link #evenPass}: about 2²¹ complex values (32 MiB) at a time. */
    private static final int LINE_VALUES = 1 << 21;

    private static double[] evenPass(double[] in, int[] d, int axis, int N, int outLen, HostTransforms fft) {
        int[] od = d.clone();
        od[axis] = outLen;
        double[] out = new double[od[0] * od[1] * od[2]];
        int inStride = axis == 2 ? 1 : axis == 1 ? d[2] : d[1] * d[2];
        int outStride = axis == 2 ? 1 : axis == 1 ? od[2] : od[1] * od[2];
        int[] other = axis == 0 ? new int[]{1, 2} : axis == 1 ? new int[]{0, 2} : new int[]{0, 1};
        int lines = d[other[0]] * d[other[1]];
        int h = N / 2;
        int chunk = Math.max(1, Math.min(lines, LINE_VALUES / N));
        double[] buf = new double[2 * N * chunk];
        int[] idx = new int[3];
        for (int l0 = 0; l0 < lines; l0 += chunk) {
            int count = Math.min(chunk, lines - l0);
            double[] b = count == chunk ? buf : new double[2 * N * count];
            java.util.Arrays.fill(b, 0);
            for (int c = 0; c < count; c++) {
                int base = inBase(l0 + c, d, other, axis, idx);
                int o = 2 * N * c;
                for (int j = 0; j <= h; j++) b[o + 2 * j] = in[base + j * inStride];
                for (int j = 1; j < h; j++) b[o + 2 * (N - j)] = b[o + 2 * j];
            }
            fft.dftLines(b, N, count, Dft.FORWARD);
            // The line is even, so its DFT is real: keep the real parts of the first outLen entries.
            for (int c = 0; c < count; c++) {
                int l = l0 + c;
                idx[other[0]] = l / d[other[1]];
                idx[other[1]] = l % d[other[1]];
                idx[axis] = 0;
                int outBase = (idx[0] * od[1] + idx[1]) * od[2] + idx[2];
                for (int a = 0; a < outLen; a++) out[outBase + a * outStride] = b[2 * N * c + 2 * a];
            }
        }
        return out;
    }

    /** Flat index in {@code in} (dims d) of the start of line l along {@code axis}. */
    private static int inBase(int l, int[] d, int[] other, int axis, int[] idx) {
        idx[other[0]] = l / d[other[1]];
        idx[other[1]] = l % d[other[1]];
        idx[axis] = 0;
        return (idx[0] * d[1] + idx[1]) * d[2] + idx[2];
    }

    /**
     * Application on the host with the transforms the kernel was built with (complex transforms of
     * size m³): returns V * ρ on the n³ grid for real ρ of length n³. Used for set-up work (grid
     * mode integrals) and by tests; allocates.
     */
    public double[] apply(double[] rho) {
        if (lhy != 0)
            throw new ParameterException("--interaction", "an LHY term", "a two-body interaction here (the LHY term gamma|psi|^3 is local and not a convolution; it has no V*rho or pair integrals)");
        int n = grid.n();
        if (rho.length != n * n * n) throw new IllegalArgumentException("rho has " + rho.length + " values, expected " + n * n * n);
        double[] out = new double[rho.length];
        switch (kind) {
            case NONE -> { }
            case LOCAL -> { for (int i = 0; i < rho.length; i++) out[i] = g * rho[i]; }
            case SPECTRAL -> {
                double[] c = new double[2 * m * m * m];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        for (int k = 0; k < n; k++) c[2 * ((i * m + j) * m + k)] = rho[(i * n + j) * n + k];
                fft.dft3(c, m, m, m, Dft.FORWARD);
                int mh = m / 2 + 1;
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++)
                        for (int k = 0; k < m; k++) {
                            // Table is the transform of an even real kernel: w(−k) = w(k) fills the other half.
                            double w = k < mh ? table[(i * m + j) * mh + k]
                                    : table[(((m - i) % m) * m + (m - j) % m) * mh + (m - k)];
                            int idx = 2 * ((i * m + j) * m + k);
                            c[idx] *= w;
                            c[idx + 1] *= w;
                        }
                fft.dft3(c, m, m, m, Dft.BACKWARD);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        for (int k = 0; k < n; k++) out[(i * n + j) * n + k] = c[2 * ((i * m + j) * m + k)];
            }
        }
        return out;
    }

    private static double sq(double x) { return x * x; }

    private static String fmt(double x) { return String.format(Locale.ROOT, "%.6g", x); }
}
