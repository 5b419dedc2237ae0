package io.hartree.cpu;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch of B states shares plans, trap and kernel table but each state keeps its own array,
 * mean field, norm and stored density: the batch must equal B single propagations. The states
 * differ (displacements and boosts), so a batch that mixed states (a shared mean field, a wrong
 * per-state scale) would be off by the states' difference, about 1e-1 here.
 */
class CpuBatchTest {
    static CpuSession session;

    @BeforeAll static void open() { session = Problems.session(); }

    @AfterAll static void close() { session.close(); }

    static double[] state(HartreeProblem pb, int b) {
        return new InitialState.Gaussian(new double[]{0.4 * b, -0.2 * b, 0}, new double[]{0, 0.3 * b, -0.1}).sample(pb.grid());
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource({
            "PERIODIC, STRANG, REAL, gaussian",
            "PADDED, FOURTH, REAL, gaussian",
            "PERIODIC, STRANG, IMAGINARY, gaussian",
            "PERIODIC, STRANG, IMAGINARY, contact",
            "PERIODIC, FOURTH, IMAGINARY, contact",
    })
    void batchEqualsSingles(ConvolutionMode mode, Scheme scheme, TimeMode time, String v) {
        // The same loops run on the same numbers in the same order, state by state: agreement to a
        // few ulps of the state's largest value (1e-12 relative allows for FFTW's plan choice on
        // other arrays, which uses the same plan here).
        final double tol = 1e-12;
        final int B = 3, steps = 7;
        Interaction inter = v.equals("contact") ? new Interaction.Contact(5) : new Interaction.Gaussian(2, 1);
        HartreeProblem pb = Problems.paper(16, 10, 1, inter, mode, scheme, time, 1e-2);
        int len = 2 * 16 * 16 * 16;
        try (HartreePropagator batch = session.hartree(pb, B)) {
            assertEquals(B, batch.batch());
            for (int b = 0; b < B; b++) batch.load(b, state(pb, b));
            batch.setTime(0);
            batch.advance(steps);
            for (int b = 0; b < B; b++) {
                double[] single = new double[len], fromBatch = new double[len];
                Observables ob;
                try (HartreePropagator one = session.hartree(pb)) {
                    one.load(state(pb, b), 0);
                    one.advance(steps);
                    one.store(single);
                    ob = one.observe();
                }
                batch.store(b, fromBatch);
                double scale = 0;
                for (double x : single) scale = Math.max(scale, Math.abs(x));
                assertTrue(Problems.maxDiff(single, fromBatch) <= tol * scale, "state " + b + ": " + Problems.maxDiff(single, fromBatch));
                Observables o = batch.observe(b);
                assertEquals(ob.energy(), o.energy(), tol * Math.abs(ob.energy()) + 1e-15, "energy of state " + b);
                assertEquals(ob.norm(), o.norm(), tol, "norm of state " + b);
                assertEquals(ob.meanX(), o.meanX(), tol, "<x> of state " + b);
                assertEquals(steps * 1e-2, o.time(), 1e-15, "time");
            }
        }
    }
}
