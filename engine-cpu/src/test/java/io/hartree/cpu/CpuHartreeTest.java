package io.hartree.cpu;

import io.hartree.api.grid.Grid3D;
import io.hartree.api.hartree.ConvolutionMode;
import io.hartree.api.hartree.HartreeProblem;
import io.hartree.api.hartree.HartreePropagator;
import io.hartree.api.hartree.InitialState;
import io.hartree.api.hartree.Interaction;
import io.hartree.api.hartree.Observables;
import io.hartree.api.hartree.Scheme;
import io.hartree.api.hartree.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conservation laws and reference values of the cpu propagator. */
class CpuHartreeTest {
    static CpuSession session;

    @BeforeAll static void open() { session = Problems.session(); }

    @AfterAll static void close() { session.close(); }

    /**
     * E(0) for φ⁰, V = λe^{−|x|²/2σ²} with λ = σ = 1, ν = 1, L = 16: h_νφ⁰ = 0, so E = ½∫(V*ρ)ρ
     * = ½(2/3)^{3/2}(3/4)^{3/2} = 2^{−5/2} = 0.1767766953 (the peer's figure). The Riemann sums of
     * these Gaussians at dx = 0.5 are exact to ~1e-15, the minimum-image wrap costs e^{−32}.
     */
    @Test
    void energyOfGroundStateMatchesPeerFigure() {
        final double tol = 1e-10; // the peer prints 10 digits
        HartreeProblem pb = Problems.paper(32, 16, 1, new Interaction.Gaussian(1, 1), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-3);
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(new InitialState.Ground().sample(pb.grid()), 0);
            Observables o = p.observe();
            assertEquals(0.1767766953, o.energy(), tol, "E(0), n = 32, periodic");
            assertEquals(Math.pow(2, -2.5), o.interaction(), 1e-12, "E_int(0) = 2^{-5/2}");
            assertEquals(0, o.kinetic() + o.trap(), 1e-12, "<phi0, h_nu phi0> = 0");
            assertEquals(1, o.overlap0(), 1e-12, "overlap of phi0 with itself");
        }
    }

    /** Real time is unitary: the norm after 200 steps with interaction equals the initial one to round-off. */
    @Test
    void normConservedInRealTime() {
        final double tol = 1e-12; // round-off of 200 steps of 2^15-point FFTs, ~1e-14 observed
        for (ConvolutionMode mode : new ConvolutionMode[]{ConvolutionMode.PERIODIC, ConvolutionMode.PADDED}) {
            HartreeProblem pb = Problems.paper(32, 12, 2, new Interaction.Gaussian(3, 0.8), mode, Scheme.STRANG, TimeMode.REAL, 5e-3);
            try (HartreePropagator p = session.hartree(pb)) {
                p.load(InitialState.parse("gaussian:x0=1,-0.5,0;p0=0,0.5,0").sample(pb.grid()), 0);
                double n0 = p.observe().norm();
                p.advance(200);
                double n1 = p.observe().norm();
                assertTrue(Math.abs(n1 - n0) < tol, mode + ": norm drift " + Math.abs(n1 - n0) + " > " + tol);
                assertEquals(1.0, p.time(), 1e-12, "time after 200 steps of 5e-3");
            }
        }
    }
}
