package io.hartree.api.conformance;

import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.Observables;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.model.TrapPotential;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.hartree.api.conformance.Tolerances.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transforms and their normalisation, through the SPI: load/store round trips, plane waves under
 * the kinetic flow (exact: the transform's scale and sign and the kinetic factor a|k|² are all
 * visible in the phase), and the observables of Gaussians against their integrals (Parseval).
 */
public abstract class TransformConformance extends BackendSuite {

    /** store(load(ψ)) = ψ for a random ψ, in every mode. */
    @Test
    void loadThenStoreReturnsTheState() {
        Random r = new Random(11);
        for (ConvolutionMode mode : ConvolutionMode.values()) {
            HartreeProblem pb = paper(16, 8, 1, new Interaction.Gaussian(1, 1), mode, Scheme.STRANG, TimeMode.REAL, 1e-2);
            double[] psi = new double[2 * 16 * 16 * 16];
            for (int i = 0; i < psi.length; i++) psi[i] = r.nextGaussian();
            try (HartreePropagator p = session.hartree(pb)) {
                p.load(psi, 0.25);
                double[] out = new double[psi.length];
                p.store(out);
                double e = maxDiff(out, psi) / maxAbs(psi);
                assertTrue(e <= ROUND_TRIP, mode + ": store(load(psi)) differs by " + e + " (relative) > " + ROUND_TRIP);
                assertEquals(0.25, p.time(), 0, "load sets the time");
                // A second store returns the same state (store must not disturb it).
                p.store(out);
                assertTrue(maxDiff(out, psi) / maxAbs(psi) <= ROUND_TRIP, mode + ": second store");
            }
        }
    }

    /** L^{−3/2} e^{ik·x} for k = (2π/L)·m. */
    static double[] planeWave(Grid3D g, int[] m) {
        int n = g.n();
        double[] psi = new double[2 * n * n * n];
        double a = Math.pow(g.length(), -1.5), c = 2 * Math.PI / g.length();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) {
                    double th = c * (m[0] * g.x(i) + m[1] * g.x(j) + m[2] * g.x(k));
                    int q = 2 * ((i * n + j) * n + k);
                    psi[q] = a * Math.cos(th);
                    psi[q + 1] = a * Math.sin(th);
                }
        return psi;
    }

    /**
     * A plane wave with h = a(−Δ), V = U = 0: kinetic = a|k|² exactly (Parseval), and after t it is
     * e^{−ia|k|²t}φ (splitting is exact without a potential). A wrong sign, scale or wave-number
     * table of the transforms shows in the phase.
     */
    @Test
    void planeWaveKineticEnergyAndPhase() {
        Grid3D g = new Grid3D(16, 7);
        int[] m = {1, -2, 3};
        double a = 0.7, k2 = 0;
        for (int d = 0; d < 3; d++) k2 += Math.pow(2 * Math.PI / g.length() * m[d], 2);
        double[] psi = planeWave(g, m);
        for (Scheme scheme : Scheme.values()) {
            HartreeProblem pb = new HartreeProblem(g, new OneBodyOperator(a, new TrapPotential.Free()), null, null, scheme, TimeMode.REAL, 0.05);
            try (HartreePropagator p = session.hartree(pb)) {
                p.load(psi, 0);
                Observables o = p.observe();
                assertEquals(1, o.norm(), GAUSSIAN_QUADRATURE, "norm of the plane wave");
                assertEquals(a * k2, o.kinetic(), GAUSSIAN_QUADRATURE * a * k2, "kinetic a|k|^2");
                assertEquals(0, o.trap(), 0, "no trap");
                p.advance(40);
                double t = p.time();
                assertEquals(2.0, t, 1e-12, "40 steps of 0.05");
                double[] out = new double[psi.length];
                p.store(out);
                double c = Math.cos(a * k2 * t), s = -Math.sin(a * k2 * t);
                double[] expect = new double[psi.length];
                for (int i = 0; i < psi.length; i += 2) {
                    expect[i] = psi[i] * c - psi[i + 1] * s;
                    expect[i + 1] = psi[i] * s + psi[i + 1] * c;
                }
                double e = maxDiff(out, expect) / maxAbs(psi);
                assertTrue(e <= PLANE_WAVE, scheme + ": plane wave after t = 2 differs from e^{-ia|k|^2 t} phi by " + e + " > " + PLANE_WAVE);
            }
        }
    }

    /**
     * Imaginary time on two plane waves: the amplitudes decay as e^{−a|k|²τ} and the state is
     * renormalised, so their ratio is e^{−a(|k₁|² − |k₂|²)τ}.
     */
    @Test
    void imaginaryTimeDampsPlaneWavesByTheirKineticEnergy() {
        Grid3D g = new Grid3D(16, 7);
        int[] m1 = {1, 0, 0}, m2 = {0, 2, -1};
        double a = 0.4, c = 2 * Math.PI / g.length();
        double k1 = c * c * 1, k2 = c * c * 5;
        double[] p1 = planeWave(g, m1), p2 = planeWave(g, m2), psi = new double[p1.length];
        for (int i = 0; i < psi.length; i++) psi[i] = (p1[i] + p2[i]) / Math.sqrt(2);
        HartreeProblem pb = new HartreeProblem(g, new OneBodyOperator(a, new TrapPotential.Free()), null, null, Scheme.STRANG, TimeMode.IMAGINARY, 0.05);
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(psi, 0);
            p.advance(20);
            Observables o = p.observe();
            assertEquals(1, o.norm(), RENORMALISED, "renormalised");
            double ratio = Math.exp(-a * (k2 - k1) * p.time());
            double w1 = 1 / Math.sqrt(1 + ratio * ratio), w2 = ratio * w1;
            assertEquals(a * (w1 * w1 * k1 + w2 * w2 * k2), o.kinetic(), PLANE_WAVE, "kinetic energy of the damped superposition");
            double[] out = new double[psi.length];
            p.store(out);
            double[] expect = new double[psi.length];
            for (int i = 0; i < psi.length; i++) expect[i] = w1 * p1[i] + w2 * p2[i];
            double e = maxDiff(out, expect) / maxAbs(expect);
            assertTrue(e <= PLANE_WAVE, "damped superposition differs by " + e);
        }
    }

    /**
     * φ⁰ and a displaced, boosted Gaussian φ⁰(x − x₀)e^{ip₀·x} under h_ν: norm 1, kinetic
     * (ν/2)(3/2 + |p₀|²), trap (ν/2)(3/2 + |x₀|² − 3), ⟨x⟩ = x₀, ⟨|x|²⟩ = 3/2 + |x₀|²,
     * overlap e^{−(|x₀|² + |p₀|²)/2}, E_int = 0 for V = 0.
     */
    @Test
    void gaussianObservablesAgainstTheirIntegrals() {
        double nu = 1.5;
        double[] x0 = {0.6, -0.3, 0.2}, p0 = {0.4, 0, -0.5};
        double xx = 0, pp = 0;
        for (int d = 0; d < 3; d++) { xx += x0[d] * x0[d]; pp += p0[d] * p0[d]; }
        HartreeProblem pb = paper(24, 12, nu, new Interaction.None(), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-2);
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(new InitialState.Ground().sample(pb.grid()), 0);
            Observables o = p.observe();
            assertEquals(1, o.norm(), GAUSSIAN_QUADRATURE, "phi0: norm");
            assertEquals(0.75 * nu, o.kinetic(), GAUSSIAN_QUADRATURE, "phi0: kinetic 3nu/4");
            assertEquals(-0.75 * nu, o.trap(), GAUSSIAN_QUADRATURE, "phi0: trap -3nu/4");
            assertEquals(0, o.energy(), GAUSSIAN_QUADRATURE, "phi0: h_nu phi0 = 0");
            assertEquals(1.5, o.x2(), GAUSSIAN_QUADRATURE, "phi0: <|x|^2>");
            assertEquals(1, o.overlap0(), GAUSSIAN_QUADRATURE, "phi0: overlap");
            p.load(new InitialState.Gaussian(x0, p0).sample(pb.grid()), 0);
            o = p.observe();
            assertEquals(1, o.norm(), GAUSSIAN_QUADRATURE, "boosted: norm");
            assertEquals(0.5 * nu * (1.5 + pp), o.kinetic(), GAUSSIAN_QUADRATURE, "boosted: kinetic");
            assertEquals(0.5 * nu * (1.5 + xx - 3), o.trap(), GAUSSIAN_QUADRATURE, "boosted: trap");
            assertEquals(x0[0], o.meanX(), GAUSSIAN_QUADRATURE, "<x>");
            assertEquals(x0[1], o.meanY(), GAUSSIAN_QUADRATURE, "<y>");
            assertEquals(x0[2], o.meanZ(), GAUSSIAN_QUADRATURE, "<z>");
            assertEquals(1.5 + xx, o.x2(), GAUSSIAN_QUADRATURE, "<|x|^2>");
            assertEquals(Math.exp(-0.5 * (xx + pp)), o.overlap0(), GAUSSIAN_QUADRATURE, "overlap with phi0");
            assertEquals(0, o.interaction(), 0, "V = 0");
        }
    }
}
