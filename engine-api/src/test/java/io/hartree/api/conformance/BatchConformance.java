package io.hartree.api.conformance;

import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.Observables;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.ToDoubleFunction;

import static io.hartree.api.conformance.Tolerances.BATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A batch of B states ({@code session.hartree(problem, B)}) equals B single propagations: each
 * state keeps its own norm, density (mean field) and observables. Skipped where the backend's
 * {@code capabilities().maxBatch()} is below B.
 */
public abstract class BatchConformance extends BackendSuite {
    static final int B = 3;
    static final String[] INITIAL = {"gaussian:x0=0.5,0,0;p0=0,0.3,0", "ground", "gaussian:x0=-0.4,0.6,0;p0=0.2,0,-0.5"};

    void batchEqualsSingles(HartreeProblem pb, int steps) {
        int max = session.capabilities().maxBatch();
        assumeTrue(max >= B, () -> session.backend() + " holds at most " + max + " states per propagator");
        double[][] psi0 = new double[B][];
        // Different norms too: each state's mean field must come from its own density.
        for (int b = 0; b < B; b++) {
            psi0[b] = InitialState.parse(INITIAL[b]).sample(pb.grid());
            for (int i = 0; i < psi0[b].length; i++) psi0[b][i] *= 1 + 0.1 * b;
        }
        double[][] single = new double[B][psi0[0].length];
        Observables[] singleObs = new Observables[B];
        for (int b = 0; b < B; b++)
            try (HartreePropagator p = session.hartree(pb)) {
                p.load(psi0[b], 0);
                p.advance(steps);
                p.store(single[b]);
                singleObs[b] = p.observe();
            }
        try (HartreePropagator p = session.hartree(pb, B)) {
            assertEquals(B, p.batch(), "batch size");
            for (int b = 0; b < B; b++) p.load(b, psi0[b]);
            p.setTime(0);
            p.advance(steps);
            List<ToDoubleFunction<Observables>> fields = List.of(Observables::norm, Observables::energy, Observables::kinetic,
                    Observables::trap, Observables::interaction, Observables::x2, Observables::meanX, Observables::overlap0);
            String[] names = {"norm", "energy", "kinetic", "trap", "interaction", "x2", "meanX", "overlap0"};
            for (int b = 0; b < B; b++) {
                double[] out = new double[psi0[b].length];
                p.store(b, out);
                double e = maxDiff(out, single[b]) / maxAbs(single[b]);
                assertTrue(e <= BATCH, pb.timeMode() + ", state " + b + ": batch vs single differ by " + e + " (relative) > " + BATCH);
                Observables o = p.observe(b);
                assertEquals(steps * pb.dt(), o.time(), 1e-12, "time of state " + b);
                for (int f = 0; f < fields.size(); f++) {
                    double x = fields.get(f).applyAsDouble(singleObs[b]), y = fields.get(f).applyAsDouble(o);
                    assertEquals(x, y, BATCH * Math.max(Math.abs(x), 1e-3), pb.timeMode() + ", state " + b + ": " + names[f]);
                }
            }
        }
    }

    @Test
    void realTimeBatchEqualsSingles() {
        batchEqualsSingles(paper(16, 10, 1.5, new Interaction.Gaussian(2, 0.8), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-2), 20);
    }

    @Test
    void paddedFourthOrderBatchEqualsSingles() {
        batchEqualsSingles(paper(16, 10, 1.5, new Interaction.Gaussian(2, 0.8), ConvolutionMode.PADDED, Scheme.FOURTH, TimeMode.REAL, 1e-2), 5);
    }

    /** Imaginary-time Strang with a spectral kernel: each state's start-of-step mean field and its own renormalisation. */
    @Test
    void imaginaryTimeSpectralBatchEqualsSingles() {
        batchEqualsSingles(paper(16, 10, 1, new Interaction.Gaussian(2, 1), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.IMAGINARY, 1e-2), 7);
    }

    /** Imaginary-time fourth order with contact: the mid-step density scaled per state by each substep's norm. */
    @Test
    void imaginaryTimeFourthOrderBatchEqualsSingles() {
        batchEqualsSingles(paper(16, 10, 1, new Interaction.Contact(5), ConvolutionMode.PERIODIC, Scheme.FOURTH, TimeMode.IMAGINARY, 1e-2), 7);
    }

    @Test
    void imaginaryTimeBatchEqualsSingles() {
        batchEqualsSingles(paper(16, 10, 1, new Interaction.Contact(10), ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.IMAGINARY, 1e-2), 20);
    }
}
