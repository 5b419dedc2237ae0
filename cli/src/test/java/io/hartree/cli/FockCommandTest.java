package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hartree.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FockCommandTest {
    /** Krylov at tol 1e-12 per step, or dense: γ to round-off plus the tolerance. */
    static final double TOL = 1e-9;

    private static int run(String... args) { return Quiet.execute(args).code(); }

    @Test
    void josephsonHoppingRunWritesTheFolderWithCosSquared(@TempDir Path dir) throws Exception {
        for (String method : List.of("dense", "krylov")) {
            Path out = dir.resolve(method);
            int code = run("fock", "--model", "josephson:J=1,U=0", "--initial", "fock:10,0", "--time", "1", "--dt", "0.5",
                    "--tol", "1e-12", "--method", method, "--backend", "cpu", "--out", out.toString());
            assertEquals(0, code, method);
            for (String f : List.of("config.toml", "summary.json", "observables.csv", "occupations.png", "psi_final.npy"))
                assertTrue(Files.isRegularFile(out.resolve(f)), method + ": " + f);
            JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
            for (String key : List.of("dimension", "method", "backend", "seconds_build", "seconds_evolve", "error_estimate", "norm_final",
                    "energy_initial", "energy_final", "natural_occupations_final", "gamma1_final"))
                assertTrue(s.has(key), method + ": summary has " + key);
            assertEquals(11, s.get("dimension").asLong());
            // --tol bounds the whole run: the added per-step estimates stay within it.
            assertTrue(s.get("error_estimate").asDouble() <= 1e-12, method + ": error estimate " + s.get("error_estimate") + " > --tol 1e-12");
            // n₁(t)/N = cos²(Jt) with all bosons in mode 0 and U = 0.
            double c = Math.cos(1.0);
            assertEquals(c * c, s.get("gamma1_final").get("re").get(0).get(0).asDouble(), TOL, method);
            assertEquals(1, s.get("norm_final").asDouble(), TOL);
            assertEquals(s.get("energy_initial").asDouble(), s.get("energy_final").asDouble(), TOL);
            // Product state of (cos, i sin): rank one, occupation 1.
            assertEquals(1, s.get("natural_occupations_final").get(0).asDouble(), TOL);
            List<String> lines = Files.readAllLines(out.resolve("observables.csv"));
            assertEquals(1 + 3, lines.size(), "header and t = 0, 0.5, 1");
            assertEquals(11, Npy.read(out.resolve("psi_final.npy"), "psi").size());
        }
    }

    @Test
    void coherentRingRunTracksTheMeanFieldDistance(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ring");
        assertEquals(0, run("fock", "--model", "ring:sites=3,J=1,U=0", "--particles", "6", "--initial", "coherent", "--time", "1", "--dt", "0.25",
                "--gamma2", "--backend", "cpu", "--out", out.toString()));
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        // Without interaction the condensate stays a condensate of the Hartree orbital: distance 0.
        assertEquals(0, s.get("distance_to_reference").asDouble(), TOL);
        // …and γ^(2) = |c⊗c⟩⟨c⊗c|: one eigenvalue 1, the rest 0.
        JsonNode g2 = s.get("gamma2_occupations_final");
        assertEquals(9, g2.size());
        assertEquals(1, g2.get(0).asDouble(), TOL);
        assertEquals(0, g2.get(1).asDouble(), TOL);
        assertTrue(Files.isRegularFile(out.resolve("gamma2_final.npy")));
    }

    @Test
    void badInputExitsWithTwoAndWritesNothing(@TempDir Path dir) {
        String[][] bad = {
                {"--model", "ring:sites=1"},
                {"--model", "banana"},
                {"--initial", "fragment:3"},
                {"--model", "ring:sites=4", "--initial", "fragment:2,2"},
                {"--model", "ring:sites=4", "--initial", "fock:1,2,3"},
                {"--time", "-1"},
                {"--dt", "0.3", "--time", "1"},
                {"--tol", "2"},
                {"--method", "magic"},
                {"--model", "integrals:" + dir.resolve("missing")},
                {"--interaction", "gaussian:sigma=-1"},
        };
        for (String[] b : bad) {
            Path out = dir.resolve("out");
            String[] args = new String[b.length + 3];
            args[0] = "fock";
            System.arraycopy(b, 0, args, 1, b.length);
            args[b.length + 1] = "--out";
            args[b.length + 2] = out.toString();
            assertEquals(2, run(args), String.join(" ", b));
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", b));
        }
    }

    /**
     * Issue 11 item 6: a backend named by --backend or by $HARTREE_BACKEND never falls back to cpu,
     * and --backend wins over the environment. The "failing" test backend has no Fock kernels, so
     * a run on it must fail (exit 1, nothing written); before the fix it fell back to cpu (exit 0)
     * whenever HARTREE_BACKEND was set.
     */
    @Test
    void aNamedBackendNeverFallsBack(@TempDir Path dir) throws Exception {
        String[] small = {"--model", "josephson:J=1,U=0", "--initial", "fock:2,0", "--time", "0.5", "--dt", "0.5"};
        record Case(String option, String environment, int exit, String backend) {}
        List<Case> cases = List.of(
                new Case("failing", "cpu", 1, null),      // named by the option, environment set: no fallback
                new Case(null, "failing", 1, null),       // named by the environment: no fallback
                new Case("cpu", "failing", 0, "cpu"),     // the option wins over the environment
                new Case("auto", "failing", 0, "cpu"));   // auto chooses among available backends (failing has priority -101)
        int k = 0;
        for (Case c : cases) {
            Path out = dir.resolve("case" + k++);
            var cl = Main.commandLine();
            ((FockCommand) cl.getSubcommands().get("fock").getCommand()).env = name -> name.equals(io.hartree.api.Backends.ENV) ? c.environment() : null;
            java.util.List<String> args = new java.util.ArrayList<>(List.of("fock"));
            args.addAll(List.of(small));
            if (c.option() != null) { args.add("--backend"); args.add(c.option()); }
            args.add("--out");
            args.add(out.toString());
            PrintStream old = System.out;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            java.io.StringWriter err = new java.io.StringWriter();
            cl.getSubcommands().get("fock").setErr(new java.io.PrintWriter(err, true));
            int code;
            try {
                code = cl.execute(args.toArray(String[]::new));
            } finally {
                System.setOut(old);
            }
            assertEquals(c.exit(), code, c + ": " + buf + err);
            if (c.exit() != 0) {
                assertTrue(err.toString().contains("backend failing has no Fock-space kernels"), c + ": " + err);
                assertFalse(Files.exists(out), c + ": nothing written");
            } else {
                JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
                assertEquals(c.backend(), s.get("backend").asText(), c.toString());
            }
        }
    }
}
