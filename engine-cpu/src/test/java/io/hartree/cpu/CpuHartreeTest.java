package io.hartree.cpu;

import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.Observables;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
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

}
