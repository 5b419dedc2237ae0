package io.hartree.cli;

import io.hartree.api.model.Interaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --interaction with dipolar terms, sums and LHY from the command line: config.toml round trip and bad input (exit 2). */
class DipolarCommandTest {
    @TempDir
    Path tmp;

    /** contact + dipolar + LHY: config.toml records the canonical sum, which re-parses to itself, and a rerun from it resolves to the same file. */
    @Test
    void sumRoundTripsThroughConfigToml() throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        String spec = "contact:g=1+dipolar:cdd=0.5,axis=0,0,1+lhy:gamma=0.2";
        Quiet.Run r = Quiet.execute("run", "--backend", RunCommandTest.BACKEND, "--grid", "8", "--box", "8", "--dt", "0.01", "--time", "0.02",
                "--interaction", spec, "--conv", "padded", "--out", a.toString());
        assertEquals(0, r.code(), r.output());
        RunConfig c = RunConfig.defaults(RunConfig.RUN).with(RunConfig.readToml(a.resolve("config.toml")));
        assertEquals(Interaction.parse(spec).spec(), c.interaction(), "canonical spec in config.toml");
        assertEquals("contact:g=1.0+dipolar:cdd=0.5,axis=0.0,0.0,1.0+lhy:gamma=0.2", c.interaction());
        assertEquals(c.interaction(), Interaction.parse(c.interaction()).spec(), "re-parses to itself");
        r = Quiet.execute("run", "--config", a.resolve("config.toml").toString(), "--out", b.toString());
        assertEquals(0, r.code(), r.output());
        assertEquals(Files.readString(a.resolve("config.toml")), Files.readString(b.resolve("config.toml")), "the rerun resolves to the same config");
    }

    /** Exit 2, the parameter named with its range, nothing written. */
    @Test
    void badDipolarInputExitsTwo() {
        String[][] cases = {
                {"dipolar:cdd=1,axis=0,0,0", "padded", "interaction axis"},
                {"dipolar:cdd=1", "padded", "--interaction axis"},
                {"dipolar:cdd=1,axis=0,0,1,cutoff=9", "padded", "--interaction cutoff: 9.0 is not allowed; allowed: 0 < R <= L = 8.0"},
                {"dipolar:cdd=1,axis=0,0,1,cutoff=5", "periodic", "0 < R <= L/2 = 4.0"},
                {"dipolar:cdd=1,axis=0,0,1,cutoff=0", "padded", "interaction cutoff"},
                {"lhy:gamma=NaN", "periodic", "interaction gamma"},
                {"contact:g=1++lhy:gamma=1", "periodic", "--interaction"},
        };
        for (String[] c : cases) {
            Path out = tmp.resolve("bad-" + c[0].hashCode());
            Quiet.Run r = Quiet.execute("run", "--backend", RunCommandTest.BACKEND, "--grid", "8", "--box", "8", "--interaction", c[0], "--conv", c[1], "--out", out.toString());
            assertEquals(Main.EXIT_USAGE, r.code(), c[0] + ": " + r.output());
            assertTrue(r.output().contains(c[2]), c[0] + ": names " + c[2] + ": " + r.output());
            assertFalse(Files.exists(out), c[0] + ": nothing written");
        }
    }

    /**
     * {@code bench --dipolar}: per mode (periodic, padded) the Gaussian reference row and the two dipolar rows,
     * each note's ratio equal to its median over the reference's (to the printed 2 digits).
     */
    @Test
    void benchDipolarRows() throws Exception {
        Path out = tmp.resolve("bench");
        Quiet.Run r = Quiet.execute("bench", "--backend", "cpu", "--grid", "16", "--conv", "periodic", "--steps", "2", "--repeats", "3",
                "--batch", "1", "--no-peer", "--dipolar", "--out", out.toString());
        assertEquals(0, r.code(), r.output());
        var rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("results.json").toFile()).path("rows");
        List<com.fasterxml.jackson.databind.JsonNode> dip = new java.util.ArrayList<>();
        for (var row : rows) if (row.path("kind").asText().equals("hartree-dipolar")) dip.add(row);
        assertEquals(6, dip.size(), "2 modes x (reference + 2 rows): " + dip);
        for (int m = 0; m < 2; m++) {
            var ref = dip.get(3 * m);
            assertTrue(ref.path("variant").asText().endsWith("gaussian (reference)"), ref.toString());
            for (int q = 1; q <= 2; q++) {
                var row = dip.get(3 * m + q);
                assertTrue(row.path("variant").asText().contains(BenchCommand.DIPOLAR_ROWS.get(q - 1)), row.toString());
                double ratio = row.path("ms_median").asDouble() / ref.path("ms_median").asDouble();
                assertTrue(row.path("note").asText().startsWith(String.format(java.util.Locale.ROOT, "%.2f of the", ratio)), ratio + " vs " + row);
            }
        }
    }

    /** The option's help lists the new terms (it is Interaction.ALLOWED's text). */
    @Test
    void helpNamesTheTerms() {
        String help = Quiet.execute("run", "--help").output().replaceAll("\\s+", "");  // the help wraps lines anywhere
        for (String s : List.of("dipolar:cdd=C,axis=X,Y,Z[,cutoff=R]", "lhy:gamma=G", "joinedby'+'")) assertTrue(help.contains(s), s + " in: " + help);
    }
}
