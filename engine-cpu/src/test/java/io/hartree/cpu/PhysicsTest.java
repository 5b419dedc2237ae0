package io.hartree.cpu;

import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.hartree.Evolution;
import io.hartree.api.hartree.GroundStateSolver;
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

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is particular to the cpu propagator: the JTransforms fallback, allocation-free steps,
 * warnings. The physics every backend must satisfy is the conformance kit (io.hartree.cpu.conformance).
 */
class PhysicsTest {
    static CpuSession session;

    @BeforeAll static void open() { session = Problems.session(); }

    @AfterAll static void close() { session.close(); }

    /** The JTransforms fallback computes the same steps as FFTW (round-off only). */
    @Test
    void jtransformsFallbackAgreesWithFftw() {
        final double tol = 1e-12;
        for (ConvolutionMode mode : new ConvolutionMode[]{ConvolutionMode.PERIODIC, ConvolutionMode.PADDED}) {
            HartreeProblem pb = Problems.paper(16, 10, 1.5, new Interaction.Gaussian(2, 0.7), mode, Scheme.FOURTH, TimeMode.REAL, 5e-3);
            double[] init = InitialState.parse("gaussian:x0=0.5,0,0;p0=0,0.3,0").sample(pb.grid());
            double[] a = new double[init.length], b = new double[init.length];
            try (HartreePropagator p = session.hartree(pb)) { p.load(init, 0); p.advance(20); p.store(a); }
            System.setProperty(CpuBackend.FFT_PROPERTY, "jtransforms");
            try (CpuSession s = Problems.session()) {
                assertTrue(s.fftName().startsWith("JTransforms"), s.fftName());
                try (HartreePropagator p = s.hartree(pb)) { p.load(init, 0); p.advance(20); p.store(b); }
            } finally {
                System.clearProperty(CpuBackend.FFT_PROPERTY);
            }
            assertTrue(Problems.maxDiff(a, b) < tol, mode + ": FFTW vs JTransforms " + Problems.maxDiff(a, b));
        }
    }

    /** advance() allocates nothing on the calling thread (the loops reuse their tasks and buffers). */
    @Test
    void advanceDoesNotAllocate() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        HartreeProblem[] problems = {
                Problems.paper(16, 10, 1, new Interaction.Gaussian(1, 1), ConvolutionMode.PADDED, Scheme.FOURTH, TimeMode.IMAGINARY, 1e-3),
                Problems.paper(16, 10, 1, new Interaction.Gaussian(1, 1), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-3),
                Problems.paper(16, 10, 1, new Interaction.Contact(5), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.IMAGINARY, 1e-3)};
        for (HartreeProblem pb : problems) {
            try (HartreePropagator p = session.hartree(pb)) {
                p.load(new InitialState.Ground().sample(pb.grid()), 0);
                p.advance(50); // JIT warm-up
                long t = Thread.currentThread().threadId();
                long before = mx.getThreadAllocatedBytes(t);
                p.advance(200);
                long bytes = mx.getThreadAllocatedBytes(t) - before;
                assertTrue(bytes < 4096, pb.scheme() + " " + pb.timeMode() + " " + pb.interaction().spec() + ": advance(200) allocated " + bytes + " bytes on the calling thread");
            }
        }
    }

    /** A state cut by the box edge raises the edge warning; a resolved, centred one raises none. */
    @Test
    void warningsForEdgeAndResolution() {
        HartreeProblem small = Problems.paper(16, 6, 1, new Interaction.None(), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-3);
        try (HartreePropagator p = session.hartree(small)) {
            p.load(new InitialState.Ground().sample(small.grid()), 0);
            Observables o = p.observe();
            assertTrue(o.edgeMass() > Observables.EDGE_WARNING, "edge mass " + o.edgeMass());
            assertTrue(p.warnings().stream().anyMatch(w -> w.startsWith("touching the box edge")), p.warnings().toString());
        }
        HartreeProblem coarse = Problems.paper(16, 24, 1, new Interaction.None(), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-3);
        try (HartreePropagator p = session.hartree(coarse)) {
            p.load(new InitialState.Ground().sample(coarse.grid()), 0);
            p.observe();
            assertTrue(p.warnings().stream().anyMatch(w -> w.startsWith("not resolved")), p.warnings().toString());
        }
        HartreeProblem good = Problems.paper(32, 16, 1, new Interaction.None(), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-3);
        try (HartreePropagator p = session.hartree(good)) {
            p.load(InitialState.parse("gaussian:x0=0.5,0,0").sample(good.grid()), 0);
            p.observe();
            assertFalse(p.warnings().stream().anyMatch(w -> true), p.warnings().toString());
        }
    }
}
