package io.hartree.cli;

import io.hartree.api.Availability;
import io.hartree.api.Backend;
import io.hartree.api.BackendException;
import io.hartree.api.BackendSession;
import io.hartree.api.SessionOptions;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.Observables;

import java.util.Map;

/**
 * Test fixture: the {@link ReferenceBackend} propagator that fails like a device would (a sticky
 * {@link BackendException}) in the middle of the advance that crosses step {@link #FAIL_AT},
 * after having scrambled its state, so tests can check that a failed run leaves no result files
 * and resumes correctly from its last checkpoint.
 */
public final class FailingBackend implements Backend {
    static final int FAIL_AT = 32;

    public String name() { return "failing"; }

    public int priority() { return -101; }

    public Availability probe() { return Availability.available("test fixture that fails at step " + FAIL_AT, Map.of()); }

    public BackendSession open(SessionOptions options) {
        return new BackendSession() {
            public io.hartree.api.HostTransforms hostTransforms() { throw new io.hartree.api.BackendException("no host transforms on this test fixture"); }
            public String backend() { return "failing"; }
            public String device() { return "test fixture"; }
            public HartreePropagator hartree(HartreeProblem problem) {
                var inner = new ReferenceBackend.Propagator(problem);
                return new HartreePropagator() {
                    long steps;
                    public HartreeProblem problem() { return problem; }
                    public void load(double[] psi, double t) { inner.load(psi, t); }
                    public void store(double[] psi) { inner.store(psi); }
                    public double time() { return inner.time(); }
                    public Observables observe() { return inner.observe(); }
                    public void close() { inner.close(); }
                    public void advance(int k) {
                        if (steps + k < FAIL_AT) { inner.advance(k); steps += k; return; }
                        inner.load(new double[2 * problem.grid().n() * problem.grid().n() * problem.grid().n()], Double.NaN);
                        throw new BackendException("simulated device failure (illegal address) at step " + FAIL_AT, true, null);
                    }
                };
            }
            public void close() {}
        };
    }
}
