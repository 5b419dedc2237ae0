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
    /** A tiny bench writes two FFT rows (complex, real pair) and one step row per convolution, with positive times, to CSV and JSON. */
    @Test
    void writesCsvAndJson(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench");
        int code = Main.execute("bench", "--backend", "cpu", "--grid", "16", "--conv", "periodic,padded", "--steps", "2",
                "--repeats", "5", "--no-peer", "--out", out.toString());
        assertEquals(0, code, "exit code");
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(5, csv.size(), "header + 2 fft + 2 step rows: " + csv);
        JsonNode rows = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("rows");
        assertEquals(4, rows.size(), "json rows");
        for (JsonNode r : rows) {
            assertEquals(16, r.path("n").asInt(), "grid of " + r);
            assertTrue(r.path("ms_median").asDouble() > 0, "positive median time in " + r);
            assertEquals(5, r.path("ms_all").size(), "five repeats in " + r);
        }
        assertEquals("real 3D pair r2c+c2r", rows.get(1).path("variant").asText());
        assertEquals("hartree-step", rows.get(3).path("kind").asText());
        assertEquals("padded", rows.get(3).path("variant").asText());
    }

    /**
     * {@code --components-grid 16} adds a K = 2 row after the single-state row: ms per step of the
     * two-component system, its ratio to twice the single state's median in the note (to the printed 2
     * digits), and the total norm's drift below 1e-12 over the real-time steps (unitary with Rabi).
     */
    @Test
    void componentsRowFollowsTheSingleStateRow(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench");
        int code = Main.execute("bench", "--backend", "cpu", "--grid", "16", "--conv", "periodic", "--steps", "2",
                "--repeats", "3", "--no-peer", "--batch", "1", "--components-grid", "16", "--out", out.toString());
        assertEquals(0, code, "exit code");
        JsonNode rows = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("rows");
        assertEquals(4, rows.size(), "2 fft + step + components rows: " + rows);
        JsonNode single = rows.get(2), comp = rows.get(3);
        assertEquals("components", comp.path("kind").asText());
        assertEquals("components k=2 periodic", comp.path("variant").asText());
        var m = java.util.regex.Pattern.compile("([0-9.]+) of twice one state's step; \\|total norm drift\\| ([0-9.e+-]+)").matcher(comp.path("note").asText());
        assertTrue(m.find(), "note: " + comp.path("note").asText());
        assertEquals(comp.path("ms_median").asDouble() / (2 * single.path("ms_median").asDouble()), Double.parseDouble(m.group(1)), 0.006, "ratio printed to 2 digits");
        assertTrue(Double.parseDouble(m.group(2)) < 1e-12, "total norm after real-time steps");
    }

    /**
     * {@code --batch 3 --batch-grid 16} adds one batched row per convolution after the single-state
     * row: per-state time, the ratio to the single state's median (the note's figure equals
     * batch median / single median to the printed 2 digits), and the batch's norms conserved to
     * 1e-12 over the real-time steps (unitary; round-off ~1e-15 per step).
     */
    @Test
    void batchRowFollowsTheSingleStateRow(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench");
        int code = Main.execute("bench", "--backend", "cpu", "--grid", "16", "--conv", "periodic", "--steps", "2",
                "--repeats", "5", "--no-peer", "--batch", "3", "--batch-grid", "16", "--out", out.toString());
        assertEquals(0, code, "exit code");
        JsonNode rows = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("rows");
        assertEquals(4, rows.size(), "2 fft + step + batch rows: " + rows);
        JsonNode single = rows.get(2), batch = rows.get(3);
        assertEquals("hartree-batch", batch.path("kind").asText());
        assertEquals("periodic x3", batch.path("variant").asText());
        var m = java.util.regex.Pattern.compile("([0-9.]+) of one state's step; max \\|norm drift\\| ([0-9.e+-]+)").matcher(batch.path("note").asText());
        assertTrue(m.find(), "note: " + batch.path("note").asText());
        double ratio = batch.path("ms_median").asDouble() / single.path("ms_median").asDouble();
        assertEquals(ratio, Double.parseDouble(m.group(1)), 0.006, "ratio printed to 2 digits");
        assertTrue(Double.parseDouble(m.group(2)) < 1e-12, "norms of the batch after real-time steps");
        assertEquals(2, Main.execute("bench", "--backend", "cpu", "--grid", "16", "--batch", "0", "--no-peer", "--out", dir.resolve("b").toString()),
                "--batch 0 is bad input");
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
        assertEquals(3, cpuRows, "cpu: 2 fft + one step row");
        assertEquals(cudaHere ? 3 : 0, cudaRows, "cuda rows (cuda available here: " + cudaHere + ")");
        if (!cudaHere) assertEquals(2, Main.execute("bench", "--backend", "cuda", "--grid", "16", "--no-peer", "--out", dir.resolve("b2").toString()),
                "a single named backend that cannot run is bad input");
    }

    /**
     * {@code --fock --fock-operator matrix-free} runs the same case matrix-free: same dimension
     * (C(7,3) = 35 for 5 sites, N = 3), the same state to the tolerance (norm 1 to 1e-10, both
     * runs at tol 1e-10), nnz reported as −1, the operator named; an unknown operator is exit 2.
     */
    @Test
    void fockBenchMatrixFree(@TempDir Path dir) throws Exception {
        double[] norms = new double[2];
        String[] ops = {"csr", "matrix-free"};
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve(ops[i]);
            assertEquals(0, Main.execute("bench", "--fock", "--backend", "cpu", "--fock-operator", ops[i], "--fock-cases", "ring:5:3",
                    "--repeats", "1", "--no-peer", "--out", out.toString()), ops[i]);
            JsonNode row = new ObjectMapper().readTree(out.resolve("fock.json").toFile()).path("rows").get(0);
            assertEquals(35, row.path("dimension").asLong());
            assertEquals(ops[i], row.path("operator").asText());
            if (i == 0) assertTrue(row.path("nnz").asLong() > 35, "CSR stores the diagonal and the hops");
            else assertEquals(-1, row.path("nnz").asLong(), "matrix-free stores nothing");
            norms[i] = row.path("norm_final").asDouble();
        }
        assertEquals(1, norms[0], 1e-10);
        assertEquals(1, norms[1], 1e-10);
        assertEquals(2, Main.execute("bench", "--fock", "--fock-operator", "dense", "--no-peer", "--out", dir.resolve("bad").toString()));
    }

    @Test
    void badInputIsExitCode2() {
        assertEquals(2, Main.execute("bench", "--grid", "3", "--no-peer"), "odd grid");
        assertEquals(2, Main.execute("bench", "--grid", "16", "--conv", "spectral", "--no-peer"), "unknown convolution");
        assertEquals(2, Main.execute("bench", "--grid", "16", "--steps", "0", "--no-peer"), "zero steps");
    }
}
