package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hartree.api.Backends;
import io.hartree.api.SessionOptions;
import io.hartree.api.HartreePropagator;
import io.hartree.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 2's test "the embedded default run completes and its summary.json passes a schema
 * check": {@code hartree run} with no parameters but the folder and the CPU backend, then its
 * numbers against analytic values and against an independent propagation.
 */
class DefaultRunTest {
    @TempDir
    Path tmp;

    /**
     * Largest deviation |E(t) − E(0)|/E(0) allowed over the run: Strang's O(dt²) energy error at
     * ν·dt = 0.01, measured 1.9e−5 (docs/cli.md); 1e−4 flags a regression without being fragile.
     */
    static final double ENERGY_DRIFT_TOL = 1e-4;

    /**
     * The default state against the ReferenceBackend test fixture (independent code, JTransforms,
     * no threads) on the 32³ subgrid with the same dt: the states agree up to the grid error of
     * 32³, measured 1.2e−8; bound 1e−7.
     */
    static final double CROSS_CHECK_TOL = 1e-7;

    @Test
    void embeddedDefaultRun() throws Exception {
        Path dir = tmp.resolve("default");
        StringBuilder out = new StringBuilder();
        // Only the backend is named, so that a machine with a GPU (where auto takes cuda) still tests the CPU backend.
        assertEquals(0, RunCommandTest.run(List.of("run", "--backend", "cpu", "--out", dir.toString()), out), out.toString());
        JsonNode s = RunCommandTest.summary(dir);
        RunCommandTest.checkSchema(s);
        assertEquals("cpu", s.get("backend").asText());
        assertEquals(64, s.get("grid_n").asInt());
        assertEquals(16.0, s.get("box_L").asDouble());
        assertEquals(10.0, s.get("nu").asDouble());
        assertEquals(1000, s.get("steps").asInt());
        assertEquals(1.0, s.get("time_final").asDouble(), 1e-12);
        assertEquals(1.0, s.get("norm_initial").asDouble(), RunCommandTest.NORM_TOL);
        assertEquals(1.0, s.get("norm_final").asDouble(), RunCommandTest.NORM_TOL);
        assertEquals(RunCommandTest.analyticEnergy0(1, 1), s.get("energy_initial").asDouble(), RunCommandTest.ENERGY0_TOL, "E(0) = 0.1767766953");
        assertTrue(s.get("energy_error_relative").asDouble() < ENERGY_DRIFT_TOL, "energy drift " + s.get("energy_error_relative"));
        assertEquals(0, s.get("warnings").size(), "the default is resolved and far from the edges: " + s.get("warnings"));
        assertTrue(s.get("seconds_per_step").asDouble() > 0);

        double[] psi = Npy.read(dir.resolve("psi_final.npy"), "test").data();
        RunConfig c = RunConfig.defaults(RunConfig.RUN).with(RunConfig.readToml(dir.resolve("config.toml"))).with("backend", "reference").with("grid", 32);
        double[] ref = new double[2 * 32 * 32 * 32];
        try (var session = Backends.select("reference").backend().open(SessionOptions.defaults());
             HartreePropagator p = session.hartree(c.problem())) {
            p.load(io.hartree.api.model.InitialState.parse(c.initial()).sample(c.gridModel()), 0);
            p.advance(1000);
            p.store(ref);
        }
        // 32³ point (i, j, k) on L = 16 is the 64³ point (2i, 2j, 2k).
        double max = 0;
        for (int i = 0; i < 32; i++)
            for (int j = 0; j < 32; j++)
                for (int k = 0; k < 32; k++)
                    for (int part = 0; part < 2; part++)
                        max = Math.max(max, Math.abs(ref[2 * ((i * 32 + j) * 32 + k) + part] - psi[2 * ((2 * i * 64 + 2 * j) * 64 + 2 * k) + part]));
        assertEquals(0, max, CROSS_CHECK_TOL, "cpu 64^3 default vs reference backend 32^3");
    }
}
