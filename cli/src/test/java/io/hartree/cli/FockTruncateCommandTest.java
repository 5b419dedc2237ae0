package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hartree.api.fock.TruncatedSector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code hartree fock --truncate K --condensate-modes ℓ}: the truncated sector from the command line. */
class FockTruncateCommandTest {
    /** Krylov at tol 1e-12 for the whole run: γ^(1) entries agree to round-off plus 2·tol. */
    static final double TOL = 1e-10;

    private static int run(String... args) { return Quiet.execute(args).code(); }

    static JsonNode summary(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    @Test
    void truncateWithKAtLeastNReproducesTheFullRunAndSmallerKShrinksTheSector(@TempDir Path dir) throws Exception {
        String[] common = {"fock", "--model", "ring:sites=4,J=1,U=2", "--initial", "fock:5,3,0,0", "--time", "0.6", "--dt", "0.3",
                "--tol", "1e-12", "--method", "krylov", "--backend", "cpu"};
        Path full = dir.resolve("full"), trunc = dir.resolve("trunc"), small = dir.resolve("small");
        assertEquals(0, run(concat(common, "--out", full.toString())));
        assertEquals(0, run(concat(common, "--truncate", "8", "--condensate-modes", "2", "--out", trunc.toString())));
        assertEquals(0, run(concat(common, "--truncate", "1", "--condensate-modes", "2", "--out", small.toString())));
        JsonNode f = summary(full), t = summary(trunc), s = summary(small);
        assertEquals(f.get("dimension").asLong(), t.get("dimension").asLong(), "K ≥ N: the full dimension C(11, 3)");
        double worst = 0;
        for (String part : new String[]{"re", "im"})
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    worst = Math.max(worst, Math.abs(f.get("gamma1_final").get(part).get(i).get(j).asDouble() - t.get("gamma1_final").get(part).get(i).get(j).asDouble()));
        assertTrue(worst <= TOL, "γ^(1)_final: --truncate 8 vs full " + worst);
        assertEquals(TruncatedSector.dimension(8, 4, 2, 1), s.get("dimension").asLong());
        assertEquals(9 + 2 * 8, s.get("dimension").asLong(), "j = 0: 9 states in the two condensate modes, j = 1: 2 × 8");
        assertTrue(s.get("sector").asText().contains("K=1"), s.get("sector").asText());
        assertTrue(Files.readString(small.resolve("config.toml")).contains("truncate"), "config.toml records --truncate");
    }

    @Test
    void badTruncationInputExitsWithTwo(@TempDir Path dir) {
        String[][] bad = {
                {"--truncate", "2", "--condensate-modes", "4"},   // ℓ must be ≤ M − 1 = 3
                {"--condensate-modes", "2"},                      // only with --truncate
                {"--truncate", "-1"},                             // K ≥ 0
                {"--truncate", "0", "--condensate-modes", "1"},   // fock:5,3,0,0 has 3 bosons outside mode 0
        };
        for (String[] b : bad) {
            Path out = dir.resolve("bad" + String.join("_", b).replace("-", ""));
            String[] args = concat(new String[]{"fock", "--model", "ring:sites=4,J=1,U=2", "--initial", "fock:5,3,0,0", "--time", "0.5", "--dt", "0.5",
                    "--backend", "cpu", "--out", out.toString()}, b);
            assertEquals(2, run(args), String.join(" ", b));
            assertFalse(Files.exists(out.resolve("summary.json")), "nothing written for " + String.join(" ", b));
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
