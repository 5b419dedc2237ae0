package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code hartree fock --reference hartree|phase-averaged|none}: the one-body reference and its distance. */
class FockReferenceTest {
    private static String lastOutput = "";

    private static int run(String... args) {
        Quiet.Run r = Quiet.execute(args);
        lastOutput = r.output();
        return r.code();
    }

    /** i ċ = f(c) of the two-mode Josephson Hartree flow, i ċ_0 = −J c_1 + U|c_0|²c_0, i ċ_1 = −J c_0 + U|c_1|²c_1 (interleaved). */
    private static double[] rhs(double[] c, double j, double u) {
        double[] f = new double[4];
        for (int i = 0; i < 2; i++) {
            int o = 1 - i;
            double n = c[2 * i] * c[2 * i] + c[2 * i + 1] * c[2 * i + 1];
            double gr = -j * c[2 * o] + u * n * c[2 * i], gi = -j * c[2 * o + 1] + u * n * c[2 * i + 1];
            f[2 * i] = gi;      // −i(gr + i gi) = gi − i gr
            f[2 * i + 1] = -gr;
        }
        return f;
    }

    /** Classical RK4 with {@code steps} steps to time t. */
    private static double[] rk4(double[] c, double t, int steps, double j, double u) {
        double h = t / steps;
        double[] y = c.clone();
        for (int s = 0; s < steps; s++) {
            double[] k1 = rhs(y, j, u), y2 = new double[4], y3 = new double[4], y4 = new double[4];
            for (int i = 0; i < 4; i++) y2[i] = y[i] + 0.5 * h * k1[i];
            double[] k2 = rhs(y2, j, u);
            for (int i = 0; i < 4; i++) y3[i] = y[i] + 0.5 * h * k2[i];
            double[] k3 = rhs(y3, j, u);
            for (int i = 0; i < 4; i++) y4[i] = y[i] + h * k3[i];
            double[] k4 = rhs(y4, j, u);
            for (int i = 0; i < 4; i++) y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
        return y;
    }

    /** Tr|A| of a 2×2 Hermitian matrix {a, b; b̄, d} given as re/im entries: |λ₊| + |λ₋|. */
    private static double traceNorm2(double a, double d, double br, double bi) {
        double mean = (a + d) / 2, rad = Math.hypot((a - d) / 2, Math.hypot(br, bi));
        return Math.abs(mean + rad) + Math.abs(mean - rad);
    }

    /**
     * The phase-averaged reference (3.15) of the Josephson Fock state |N/2, N/2⟩ against a direct
     * quadrature over θ written here: γ_ref(t) = (1/P) Σ_p |c_t^θp⟩⟨c_t^θp|, c_0^θ = (1, e^{−iθ})/√2,
     * θ_p = 2πp/P, P = 64, each trajectory by RK4 with 2000 steps. Tolerance 1e-8: the RK4 error
     * (h⁴ ≈ 6e-14 per unit time) and the trapezoid rule on 64 nodes (geometric in P) are far below
     * it; the command's DOPRI5 at local 1e-12 over ~100 steps and its Q = 32 rule (Q = 16 is off by
     * 1.8e-7 here, Q = 8 by 1.6e-3: the error falls ~1e-4 per 8 nodes) leave it ≲ 1e-9.
     */
    @Test
    void phaseAveragedReferenceOfAJosephsonFockStateMatchesDirectQuadrature(@TempDir Path dir) throws Exception {
        double jj = 1, uu = 2, t = 1;
        Path out = dir.resolve("pa");
        assertEquals(0, run("fock", "--model", "josephson:J=1,U=2", "--initial", "fock:10,10", "--phases", "32", "--time", "1", "--dt", "0.5",
                "--backend", "cpu", "--out", out.toString()), lastOutput);
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("phase-averaged", s.get("reference").asText(), "the default for Fock-state data");
        assertEquals(32, s.get("reference_phases").asInt());
        // Tr|γ_32 − γ_16| ≈ the error of the 16-node rule (measured 1.8e-7 against the quadrature below); the 32-node error is far smaller.
        double halving = s.get("reference_halving_difference").asDouble();
        assertTrue(halving > 1e-9 && halving < 1e-6, "halving difference " + halving);
        int p = 64;
        double g00 = 0, g11 = 0, g01r = 0, g01i = 0;
        for (int q = 0; q < p; q++) {
            double th = 2 * Math.PI * q / p, a = Math.sqrt(0.5);
            double[] c = rk4(new double[]{a, 0, a * Math.cos(th), -a * Math.sin(th)}, t, 2000, jj, uu);
            g00 += (c[0] * c[0] + c[1] * c[1]) / p;
            g11 += (c[2] * c[2] + c[3] * c[3]) / p;
            // γ_01 = c_0 conj(c_1)
            g01r += (c[0] * c[2] + c[1] * c[3]) / p;
            g01i += (c[1] * c[2] - c[0] * c[3]) / p;
        }
        JsonNode ref = s.get("gamma1_reference");
        assertEquals(g00, ref.get("re").get(0).get(0).asDouble(), 1e-8);
        assertEquals(g11, ref.get("re").get(1).get(1).asDouble(), 1e-8);
        assertEquals(g01r, ref.get("re").get(0).get(1).asDouble(), 1e-8);
        assertEquals(g01i, ref.get("im").get(0).get(1).asDouble(), 1e-8);
        assertEquals(-g01i, ref.get("im").get(1).get(0).asDouble(), 1e-8);
        // The natural occupations are the eigenvalues of the same 2×2 matrix.
        double mean = (g00 + g11) / 2, rad = Math.hypot((g00 - g11) / 2, Math.hypot(g01r, g01i));
        assertEquals(mean + rad, s.get("natural_occupations_reference").get(0).asDouble(), 1e-8);
        // distance_to_reference = Tr|γ_N − γ_ref| with γ_N the run's own gamma1_final (dense 2×2 here).
        JsonNode g = s.get("gamma1_final");
        double d = traceNorm2(g.get("re").get(0).get(0).asDouble() - g00, g.get("re").get(1).get(1).asDouble() - g11,
                g.get("re").get(0).get(1).asDouble() - g01r, g.get("im").get(0).get(1).asDouble() - g01i);
        assertEquals(d, s.get("distance_to_reference").asDouble(), 1e-8);
        // observables.csv carries the same distance at the last output time.
        List<String> lines = Files.readAllLines(out.resolve("observables.csv"));
        int col = List.of(lines.get(0).split(",")).indexOf("distance_to_reference");
        assertEquals(s.get("distance_to_reference").asDouble(), Double.parseDouble(lines.get(lines.size() - 1).split(",")[col]), 1e-15);
    }

    /**
     * Coherent data, --reference hartree (the default): at t = 0 γ^(1)_N of the condensate of c is
     * exactly |c⟩⟨c| (distance 0 to round-off, 1e-13), and the distance at t = 1 is O(1/N): N·d
     * measured 0.4543 (N = 20) and 0.4606 (N = 40) for J = 1, U = 2, so N·d must stay within
     * [0.35, 0.55] at both N, and its growth from N = 20 to 40 under 10%.
     */
    @Test
    void hartreeReferenceOfCoherentDataStartsExactAndScalesAsOneOverN(@TempDir Path dir) throws Exception {
        double[] nd = new double[2];
        int[] ns = {20, 40};
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve("n" + ns[i]);
            assertEquals(0, run("fock", "--model", "josephson:J=1,U=2", "--particles", Integer.toString(ns[i]), "--initial", "coherent:1,0.5",
                    "--time", "1", "--dt", "0.5", "--backend", "cpu", "--out", out.toString()), lastOutput);
            JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
            assertEquals("hartree", s.get("reference").asText());
            List<String> lines = Files.readAllLines(out.resolve("observables.csv"));
            int col = List.of(lines.get(0).split(",")).indexOf("distance_to_reference");
            assertEquals(0, Double.parseDouble(lines.get(1).split(",")[col]), 1e-13, "t = 0: γ_N = |c><c| exactly");
            nd[i] = ns[i] * s.get("distance_to_reference").asDouble();
        }
        System.out.printf("N*distance: %.6g (N=20), %.6g (N=40)%n", nd[0], nd[1]);
        for (double x : nd) assertTrue(x > 0.35 && x < 0.55, "N·distance " + x + " outside the measured band [0.35, 0.55]");
        assertTrue(nd[1] < 1.1 * nd[0], "N·distance grows from " + nd[0] + " to " + nd[1]);
    }

    @Test
    void noneOmitsTheReferenceAndAWrongChoiceExitsTwo(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("none");
        assertEquals(0, run("fock", "--model", "josephson:J=1,U=1", "--initial", "fock:2,2", "--reference", "none", "--time", "0.5", "--dt", "0.5",
                "--backend", "cpu", "--out", out.toString()), lastOutput);
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("none", s.get("reference").asText());
        assertFalse(s.has("distance_to_reference"));
        assertFalse(s.has("gamma1_reference"));
        // Wrong choices: exit 2, the message names --reference and the values allowed for that initial state, nothing written.
        String[][] bad = {
                {"--initial", "coherent", "--reference", "phase-averaged", "hartree | none"},
                {"--initial", "fock:2,2", "--reference", "hartree", "phase-averaged | none"},
                {"--initial", "fock:2,2", "--reference", "mean-field", "phase-averaged | none"},
        };
        for (String[] b : bad) {
            Path o = dir.resolve("bad" + b[1].hashCode() + b[3]);
            assertEquals(2, run("fock", "--model", "josephson:J=1,U=1", "--particles", "4", b[0], b[1], b[2], b[3], "--time", "0.5", "--dt", "0.5",
                    "--backend", "cpu", "--out", o.toString()), lastOutput);
            assertTrue(lastOutput.contains("--reference") && lastOutput.contains(b[4]), lastOutput);
            assertFalse(Files.exists(o.resolve("summary.json")));
        }
        assertEquals(2, run("fock", "--model", "josephson:J=1,U=1", "--initial", "fock:2,2", "--phases", "3", "--time", "0.5", "--dt", "0.5",
                "--backend", "cpu", "--out", dir.resolve("q3").toString()), lastOutput);
        assertTrue(lastOutput.contains("--phases"), lastOutput);
    }
}
