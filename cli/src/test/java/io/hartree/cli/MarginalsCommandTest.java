package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class MarginalsCommandTest {
    /** Closed-form rationals evaluated in double: a few ulps. */
    private static final double TOL = 1e-15;

    private static String run(int expectedCode, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedCode, Main.execute(args), "exit code of " + String.join(" ", args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonHasTheRequiredFieldsAndValues(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("m.csv");
        String out = run(0, "marginals", "--particles", "1000", "--occupations", "300,700", "--k", "2", "--json", "--csv", csv.toString());
        JsonNode j = new ObjectMapper().readTree(out);
        // c_{2,0} = N1(N1−1)/(N(N−1)), c_{2,1} = 2 N1 N2/(N(N−1)), c_{2,2} = N2(N2−1)/(N(N−1))
        double nn = 1000.0 * 999;
        assertEquals(300.0 * 299 / nn, j.get("coefficients").get(0).asDouble(), TOL);
        assertEquals(2.0 * 300 * 700 / nn, j.get("coefficients").get(1).asDouble(), TOL);
        assertEquals(700.0 * 699 / nn, j.get("coefficients").get(2).asDouble(), TOL);
        assertEquals(0.09, j.get("coefficients_limit").get(0).asDouble(), TOL);
        assertEquals(0.42, j.get("coefficients_limit").get(1).asDouble(), TOL);
        assertEquals(3, j.get("ranks").get("fragmented").asInt());
        assertEquals(3, j.get("ranks").get("phase_averaged").asInt());
        assertEquals(2, j.get("ranks").get("mixture").asInt());
        // for k = 2: Σ|c − c̃| = 4 n1 n2 / (N − 1) exactly (each |c_j − c̃_j| is a multiple of n1 n2/(N−1))
        double d = 4 * 0.3 * 0.7 / 999;
        assertEquals(d, j.get("trace_distance").asDouble(), 1e-12 * d);
        assertEquals(1000 * d, j.get("n_times_distance").asDouble(), 1e-12 * d * 1000);
        assertEquals(4, Files.readAllLines(csv).size(), "header + 3 rows");
    }

    @Test
    void mismatchedParticlesIsExitTwo() {
        assertEquals(2, Main.execute("marginals", "--particles", "999", "--occupations", "300,700", "--k", "2"));
        assertEquals(2, Main.execute("marginals", "--occupations", "3,4", "--k", "8"));
    }
}
