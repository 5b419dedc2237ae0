package io.hartree.api.hartree;

import io.hartree.api.model.Interaction;
import io.hartree.api.model.ConvolutionMode;

import io.hartree.api.testing.JTransformsHost;

import io.hartree.api.ParameterException;
import io.hartree.api.model.Grid3D;
import io.hartree.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel tables against direct summation and against closed forms of V * ρ. */
class ConvolutionKernelTest {
    /** Round-off of an FFT convolution of size ≤ 16³ relative to max|V*ρ|: ~1e-15, with margin. */
    static final double DIRECT_TOL = 1e-12;

    /** Minimum image: j mod n in [−n/2, n/2) (the FFT's offsets). */
    static int wrap(int d, int n) {
        d = Math.floorMod(d, n);
        return d < n / 2 ? d : d - n;
    }

    static double maxRelDiff(double[] a, double[] b) {
        double m = 0, s = 0;
        for (int i = 0; i < a.length; i++) { m = Math.max(m, Math.abs(a[i] - b[i])); s = Math.max(s, Math.abs(b[i])); }
        return m / s;
    }

    @Test
    void tabulatedKernelEqualsTheSampledGaussian(@TempDir Path dir) {
        Grid3D g = new Grid3D(8, 6.0);
        Interaction.Gaussian gs = new Interaction.Gaussian(0.8, 1.1);
        for (ConvolutionMode mode : new ConvolutionMode[]{ConvolutionMode.PERIODIC, ConvolutionMode.PADDED}) {
            int m = mode == ConvolutionMode.PERIODIC ? 8 : 16;
            double[] t = new double[m * m * m];
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) for (int k = 0; k < m; k++) {
                double x = g.dx() * wrap(i, m), y = g.dx() * wrap(j, m), z = g.dx() * wrap(k, m);
                t[(i * m + j) * m + k] = gs.value(Math.sqrt(x * x + y * y + z * z));
            }
            Path f = dir.resolve("v" + m + ".npy");
            Npy.writeReal(f, t, m, m, m);
            double[] a = ConvolutionKernel.build(g, new Interaction.Tabulated(f), mode, JTransformsHost.INSTANCE).table();
            double[] b = ConvolutionKernel.build(g, gs, mode, JTransformsHost.INSTANCE).table();
            double err = maxRelDiff(a, b);
            assertTrue(err < DIRECT_TOL, mode + ": tabulated vs sampled Gaussian table " + err);
        }
        Path bad = dir.resolve("bad.npy");
        Npy.writeReal(bad, new double[27], 3, 3, 3);
        ParameterException e = assertThrows(ParameterException.class, () -> ConvolutionKernel.build(g, new Interaction.Tabulated(bad), ConvolutionMode.PERIODIC, JTransformsHost.INSTANCE));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }

    /** ρ = π^{−3/2} e^{−|x|²} on the grid. */
    static double[] gaussianDensity(Grid3D g) {
        int n = g.n();
        double[] rho = new double[n * n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            double r2 = g.x(i) * g.x(i) + g.x(j) * g.x(j) + g.x(k) * g.x(k);
            rho[(i * n + j) * n + k] = Math.pow(Math.PI, -1.5) * Math.exp(-r2);
        }
        return rho;
    }

    static double maxErr(Grid3D g, double[] got, java.util.function.DoubleUnaryOperator exact) {
        int n = g.n();
        double m = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            double r = Math.sqrt(g.x(i) * g.x(i) + g.x(j) * g.x(j) + g.x(k) * g.x(k));
            m = Math.max(m, Math.abs(got[(i * n + j) * n + k] - exact.applyAsDouble(r)));
        }
        return m;
    }

    /**
     * Coulomb λ/|x| in truncated mode: V*ρ = λ erf(|x|)/|x|, error below 1e-8 (the issue's
     * requirement) for two boxes with the same dx: independent of L.
     */
    @Test
    void coulombTruncatedMatchesErfOverR() {
        final double tol = 1e-8;
        double lam = 0.9;
        for (int[] c : new int[][]{{40, 10}, {56, 14}}) {
            Grid3D g = new Grid3D(c[0], c[1]);
            double[] got = ConvolutionKernel.build(g, new Interaction.Coulomb(lam), ConvolutionMode.TRUNCATED, JTransformsHost.INSTANCE).apply(gaussianDensity(g));
            double err = maxErr(g, got, r -> r == 0 ? lam * 2 / Math.sqrt(Math.PI) : lam * erf(r) / r);
            assertTrue(err < tol, "coulomb truncated, n = " + c[0] + ", L = " + c[1] + ": max error " + err + " > " + tol);
        }
    }

    /**
     * Yukawa λe^{−μr}/r in truncated mode against the radial quadrature of the potential of a
     * radial density: (V*ρ)(r) = (2πλ/(μr)) ∫₀^∞ s ρ(s) [e^{−μ|r−s|} − e^{−μ(r+s)}] ds
     * (composite Simpson, 4000 panels on each side of the kink at s = r, on [0, 9]: error ~1e-13).
     */
    @Test
    void yukawaTruncatedMatchesRadialQuadrature() {
        final double tol = 1e-8;
        double lam = 1.1, mu = 0.6;
        Grid3D g = new Grid3D(40, 10);
        double[] got = ConvolutionKernel.build(g, new Interaction.Yukawa(lam, mu), ConvolutionMode.TRUNCATED, JTransformsHost.INSTANCE).apply(gaussianDensity(g));
        double err = maxErr(g, got, r -> yukawaOfGaussian(lam, mu, r));
        assertTrue(err < tol, "yukawa truncated, n = 40, L = 10: max error " + err + " > " + tol);
    }

    static final java.util.Map<Double, Double> YUKAWA_CACHE = new java.util.HashMap<>();

    static double yukawaOfGaussian(double lam, double mu, double r) {
        return YUKAWA_CACHE.computeIfAbsent(r, rr -> 2 * Math.PI * lam / mu * (simpson(lam, mu, rr, 0, Math.min(rr, 9)) + simpson(lam, mu, rr, Math.min(rr, 9), 9)));
    }

    /** Simpson on [a, b] of s ρ(s)[e^{−μ|r−s|} − e^{−μ(r+s)}]/r, split at s = r by the caller (the kink). */
    static double simpson(double lam, double mu, double r, double a, double b) {
        if (b <= a) return 0;
        int panels = 4000;
        double h = (b - a) / panels, s = 0;
        for (int i = 0; i <= panels; i++) {
            double x = a + i * h;
            double f = x * Math.pow(Math.PI, -1.5) * Math.exp(-x * x);
            f *= r == 0 ? 2 * mu * Math.exp(-mu * x) : (Math.exp(-mu * Math.abs(r - x)) - Math.exp(-mu * (r + x))) / r;
            s += f * (i == 0 || i == panels ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return s * h / 3;
    }

    @Test
    void singularKernelsAreRefusedInPaddedMode() {
        Grid3D g = new Grid3D(8, 4);
        ParameterException e = assertThrows(ParameterException.class, () -> ConvolutionKernel.build(g, new Interaction.Coulomb(1), ConvolutionMode.PADDED, JTransformsHost.INSTANCE));
        assertTrue(e.getMessage().startsWith("--conv"), e.getMessage());
        assertEquals(ConvolutionKernel.Kind.LOCAL, ConvolutionKernel.build(g, new Interaction.Contact(2), ConvolutionMode.PADDED, JTransformsHost.INSTANCE).kind());
        assertEquals(ConvolutionKernel.Kind.NONE, ConvolutionKernel.build(g, new Interaction.None(), ConvolutionMode.TRUNCATED, JTransformsHost.INSTANCE).kind());
    }

    /** erf(x) = (2/√π) e^{−x²} Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)): positive terms, no cancellation, ~1e-16. */
    static double erf(double x) {
        double term = x, sum = x;
        for (int n = 1; n < 500 && term > 1e-17 * sum; n++) {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }
}
