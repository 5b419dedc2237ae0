package io.hartree.api.conformance;

import io.hartree.api.Availability;
import io.hartree.api.Backend;
import io.hartree.api.BackendSession;
import io.hartree.api.SessionOptions;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The common part of every conformance suite: one session of {@link #backend()} per test class,
 * opened with {@link #options()}; the whole class is skipped, with the probe's reason, where the
 * backend is unavailable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendSuite {
    /** The session of this class (open between {@code @BeforeAll} and {@code @AfterAll}). */
    protected BackendSession session;

    /** The backend under test. */
    protected abstract Backend backend();

    /** Session options; two threads, double precision by default. */
    protected SessionOptions options() { return new SessionOptions(null, 2, 0); }

    @BeforeAll
    final void openSession() {
        Availability a = backend().probe();
        assumeTrue(a.available(), () -> backend().name() + " backend unavailable here: " + a.reason());
        session = backend().open(options());
    }

    @AfterAll
    final void closeSession() {
        if (session != null) session.close();
        session = null;
    }

    /** The paper's problem h_ν = (ν/2)(−Δ + |x|² − 3) on an n³ grid of edge L. */
    protected static HartreeProblem paper(int n, double L, double nu, Interaction v, ConvolutionMode mode, Scheme scheme, TimeMode time, double dt) {
        return new HartreeProblem(new Grid3D(n, L), OneBodyOperator.paper(nu), v, mode, scheme, time, dt);
    }

    /** Loads psi at t = 0, advances {@code steps} and returns the state. */
    protected double[] evolve(HartreeProblem pb, double[] psi, int steps) {
        try (HartreePropagator p = session.hartree(pb)) {
            p.load(psi, 0);
            p.advance(steps);
            double[] out = new double[psi.length];
            p.store(out);
            return out;
        }
    }

    /** max_j |a_j − b_j| over interleaved complex arrays, as a modulus. */
    protected static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i += 2) m = Math.max(m, Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]));
        return m;
    }

    /** max_j |a_j| over an interleaved complex array. */
    protected static double maxAbs(double[] a) {
        double m = 0;
        for (int i = 0; i < a.length; i += 2) m = Math.max(m, Math.hypot(a[i], a[i + 1]));
        return m;
    }
}
