package io.hartree.api.conformance;

import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.model.TrapPotential;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static io.hartree.api.conformance.Tolerances.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Hartree convolution V*|φ|² through the SPI, in its three modes: the interaction energy of
 * {@code observe()} against direct summation, and V*ρ itself, read pointwise from the mean-field
 * phase of one real-time step with a = 0 and U = 0 (then φ(τ) = e^{−iτ(V*|φ|²)}φ exactly),
 * against the closed forms of the Gaussian and the Coulomb potential of a Gaussian density.
 */
public abstract class ConvolutionConformance extends BackendSuite {

    static double[] randomState(int n, long seed) {
        Random r = new Random(seed);
        double[] psi = new double[2 * n * n * n];
        for (int i = 0; i < psi.length; i++) psi[i] = r.nextDouble() - 0.5;
        return psi;
    }

    /** ½ dx⁶ Σ_x Σ_y V(x − y) ρ(x) ρ(y), offsets by minimum image (periodic) or plain (linear). */
    static double directEnergy(Grid3D g, Interaction v, double[] psi, boolean periodic) {
        int n = g.n(), N = n * n * n, w = 2 * n - 1;
        double[] rho = new double[N];
        for (int i = 0; i < N; i++) rho[i] = psi[2 * i] * psi[2 * i] + psi[2 * i + 1] * psi[2 * i + 1];
        double[] table = new double[w * w * w];  // V at offsets −(n−1)..n−1 per axis
        for (int a = 0; a < w; a++)
            for (int b = 0; b < w; b++)
                for (int c = 0; c < w; c++) {
                    int[] d = {a - n + 1, b - n + 1, c - n + 1};
                    double r2 = 0;
                    for (int e = 0; e < 3; e++) {
                        int o = periodic ? wrap(d[e], n) : d[e];
                        r2 += (double) o * o;
                    }
                    table[(a * w + b) * w + c] = v.value(g.dx() * Math.sqrt(r2));
                }
        double s = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            double rx = rho[(i * n + j) * n + k], t = 0;
            for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) {
                int row = ((i - a + n - 1) * w + (j - b + n - 1)) * w + (k + n - 1), src = (a * n + b) * n;
                for (int c = 0; c < n; c++) t += table[row - c] * rho[src + c];
            }
            s += rx * t;
        }
        return 0.5 * s * g.dV() * g.dV();
    }

    static int wrap(int d, int n) {
        d = Math.floorMod(d, n);
        return d < n / 2 ? d : d - n;
    }

    double interactionEnergy(Grid3D g, Interaction v, ConvolutionMode mode, double[] psi) {
        HartreeProblem pb = new HartreeProblem(g, OneBodyOperator.paper(1), v, mode, Scheme.STRANG, TimeMode.REAL, 1e-3);
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(psi, 0);
            return p.observe().interaction();
        }
    }

    /** Periodic (minimum image) and padded (linear) against direct summation of a random state on 8³. */
    @Test
    void periodicAndPaddedEnergiesMatchDirectSummation() {
        Grid3D g = new Grid3D(8, 5);
        Interaction v = new Interaction.Gaussian(1.3, 0.9);
        double[] psi = randomState(8, 7);
        for (ConvolutionMode mode : new ConvolutionMode[]{ConvolutionMode.PERIODIC, ConvolutionMode.PADDED}) {
            double direct = directEnergy(g, v, psi, mode == ConvolutionMode.PERIODIC);
            double e = interactionEnergy(g, v, mode, psi);
            System.out.printf("%s %s: direct summation relative error %.3e%n", session.backend(), mode, Math.abs(e / direct - 1));
            assertEquals(direct, e, DIRECT_SUMMATION * Math.abs(direct), mode + ": interaction energy vs direct summation");
        }
    }

    /**
     * Truncated mode with a Gaussian of σ = 2.5 dx (its band-limited transform equals the sampled
     * kernel to e^{−(2.5π)²/2} = 4e-14) is the linear convolution: direct summation without images, 16³.
     */
    @Test
    void truncatedEnergyMatchesLinearDirectSummation() {
        Grid3D g = new Grid3D(16, 16);
        Interaction v = new Interaction.Gaussian(0.8, 2.5 * g.dx());
        double[] psi = randomState(16, 3);
        double direct = directEnergy(g, v, psi, false);
        double e = interactionEnergy(g, v, ConvolutionMode.TRUNCATED, psi);
        System.out.printf("%s truncated: linear direct summation relative error %.3e%n", session.backend(), Math.abs(e / direct - 1));
        assertEquals(direct, e, DIRECT_SUMMATION * Math.abs(direct), "truncated: interaction energy vs linear direct summation");
        double periodic = directEnergy(g, v, psi, true);
        assertTrue(Math.abs(periodic - direct) > 1e3 * DIRECT_SUMMATION * Math.abs(direct),
                "the test has power: periodic and linear sums differ by " + Math.abs(periodic - direct) / Math.abs(direct));
    }

    /**
     * V*|φ|² at the grid points from the phase of one real-time step of size τ with a = 0, U = 0:
     * φ(τ) = e^{−iτ(V*|φ|²)}φ, so V*ρ = −arg(φ(τ)·conj φ)/τ. Returns max |V*ρ − expect(r)| over the
     * points where |φ| ≥ 1e-3 max|φ| (the phase is read to round-off/|φ| there).
     */
    double potentialError(Grid3D g, Interaction v, ConvolutionMode mode, double tau, DoubleUnaryOperator expect) {
        HartreeProblem pb = new HartreeProblem(g, new OneBodyOperator(0, new TrapPotential.Free()), v, mode, Scheme.STRANG, TimeMode.REAL, tau);
        double[] psi = new InitialState.Ground().sample(g);
        double[] out = evolve(pb, psi, 1);
        int n = g.n();
        double max = maxAbs(psi), err = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            int q = 2 * ((i * n + j) * n + k);
            if (Math.hypot(psi[q], psi[q + 1]) < 1e-3 * max) continue;
            double re = out[q] * psi[q] + out[q + 1] * psi[q + 1], im = out[q + 1] * psi[q] - out[q] * psi[q + 1];
            double w = -Math.atan2(im, re) / tau;
            double r = Math.sqrt(g.x(i) * g.x(i) + g.x(j) * g.x(j) + g.x(k) * g.x(k));
            err = Math.max(err, Math.abs(w - expect.applyAsDouble(r)));
        }
        return err;
    }

    /** ρ = |φ⁰|² = π^{−3/2}e^{−r²}, V = λe^{−r²/2σ²}: V*ρ = λ(σ²/(σ² + ½))^{3/2} e^{−r²/(2σ² + 1)}, periodic and padded. */
    @Test
    void gaussianConvolutionMatchesClosedForm() {
        double lam = 1.3, s = 0.8;
        Grid3D g = new Grid3D(24, 12);
        DoubleUnaryOperator exact = r -> lam * Math.pow(s * s / (s * s + 0.5), 1.5) * Math.exp(-r * r / (2 * s * s + 1));
        for (ConvolutionMode mode : new ConvolutionMode[]{ConvolutionMode.PERIODIC, ConvolutionMode.PADDED}) {
            double err = potentialError(g, new Interaction.Gaussian(lam, s), mode, 0.5, exact);
            System.out.printf("%s %s: gaussian V*rho max error %.3e%n", session.backend(), mode, err);
            assertTrue(err <= GAUSSIAN_CONVOLUTION, mode + ": V*rho vs closed form, max error " + err + " > " + GAUSSIAN_CONVOLUTION);
        }
    }

    /** Truncated Coulomb: V*ρ = λ erf(r)/r (2λ/√π at r = 0) and E_int = ½λ√(2/π). */
    @Test
    void coulombPotentialOfAGaussianDensity() {
        double lam = 0.9;
        Grid3D g = new Grid3D(24, 9);
        double err = potentialError(g, new Interaction.Coulomb(lam), ConvolutionMode.TRUNCATED, 0.5,
                r -> r == 0 ? lam * 2 / Math.sqrt(Math.PI) : lam * erf(r) / r);
        System.out.printf("%s: coulomb V*rho max error %.3e%n", session.backend(), err);
        assertTrue(err <= COULOMB_POTENTIAL, "coulomb truncated: V*rho vs lambda erf(r)/r, max error " + err + " > " + COULOMB_POTENTIAL);
        double e = interactionEnergy(g, new Interaction.Coulomb(lam), ConvolutionMode.TRUNCATED, new InitialState.Ground().sample(g));
        assertEquals(0.5 * lam * Math.sqrt(2 / Math.PI), e, COULOMB_ENERGY, "coulomb truncated: E_int of phi0");
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
