package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
    /** A tiny bench writes one FFT row and one step row per convolution, with positive times, to CSV and JSON. */
    @Test
    void writesCsvAndJson(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench");
        int code = Main.execute("bench", "--backend", "cpu", "--grid", "16", "--conv", "periodic,padded", "--steps", "2",
                "--repeats", "5", "--no-peer", "--out", out.toString());
        assertEquals(0, code, "exit code");
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(4, csv.size(), "header + fft + 2 step rows: " + csv);
        JsonNode rows = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("rows");
        assertEquals(3, rows.size(), "json rows");
        for (JsonNode r : rows) {
            assertEquals(16, r.path("n").asInt(), "grid of " + r);
            assertTrue(r.path("ms_median").asDouble() > 0, "positive median time in " + r);
            assertEquals(5, r.path("ms_all").size(), "five repeats in " + r);
        }
        assertEquals("hartree-step", rows.get(2).path("kind").asText());
        assertEquals("padded", rows.get(2).path("variant").asText());
    }

    /** In a list, a backend that cannot run here is skipped with its reason; the others are measured. */
    @Test
    void unavailableBackendInAListIsSkipped(@TempDir Path dir) throws Exception {
        boolean cudaHere = io.hartree.api.Backends.discover().stream().anyMatch(b -> b.name().equals("cuda") && b.probe().available());
        Path out = dir.resolve("bench");
        int code = Main.execute("bench", "--backend", "cpu,cuda", "--grid", "16", "--conv", "periodic", "--steps", "1",
                "--repeats", "5", "--no-peer", "--out", out.toString());
        assertEquals(0, code, "exit code");
        JsonNode rows = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("rows");
        long cpuRows = 0, cudaRows = 0;
        for (JsonNode r : rows) {
            if (r.path("backend").asText().equals("cpu")) cpuRows++;
            if (r.path("backend").asText().equals("cuda")) cudaRows++;
        }
        assertEquals(2, cpuRows, "cpu: fft + one step row");
        assertEquals(cudaHere ? 2 : 0, cudaRows, "cuda rows (cuda available here: " + cudaHere + ")");
        if (!cudaHere) assertEquals(2, Main.execute("bench", "--backend", "cuda", "--grid", "16", "--no-peer", "--out", dir.resolve("b2").toString()),
                "a single named backend that cannot run is bad input");
    }

    @Test
    void badInputIsExitCode2() {
        assertEquals(2, Main.execute("bench", "--grid", "3", "--no-peer"), "odd grid");
        assertEquals(2, Main.execute("bench", "--grid", "16", "--conv", "spectral", "--no-peer"), "unknown convolution");
        assertEquals(2, Main.execute("bench", "--grid", "16", "--steps", "0", "--no-peer"), "zero steps");
    }
}
