package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The 6-point {@code run} sweep of the executor tests (nu ∈ {1, 2, 3} × dt ∈ {0.01, 0.005}, 16³,
 * t = 0.02, one thread, cpu) and its reference: the same 6 runs, one after another, in this JVM.
 * FFTW plans with ESTIMATE (the MEASURE planner may pick another algorithm in another process,
 * which changes the rounding) and one thread, so each point is deterministic to the last bit and
 * a worker process must reproduce the in-process run's psi_final.npy byte for byte.
 */
final class SweepFixture {
    private SweepFixture() {}

    static final String TOML = """
            command = "run"
            [base]
            backend = "cpu"
            grid = 16
            time = 0.02
            threads = 1
            [[axes]]
            nu = [1, 2, 3]
            [[axes]]
            dt = [0.01, 0.005]
            """;

    static final double[] NU = {1, 2, 3};
    static final double[] DT = {0.01, 0.005};

    /** The properties the executor tests set (passed on to the workers as -D, see SweepCommand.javaCommand). */
    static final Map<String, String> PROPERTIES = Map.of("hartree.fftw.planner", "estimate", Plots.OFF_PROPERTY, "off");

    static AutoCloseable properties() {
        Map<String, String> old = new java.util.HashMap<>();
        PROPERTIES.forEach((k, v) -> {
            old.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
        return () -> old.forEach((k, v) -> {
            if (v == null) System.clearProperty(k);
            else System.setProperty(k, v);
        });
    }

    static Path writeToml(Path dir) throws IOException {
        Path f = dir.resolve("sweep.toml");
        Files.writeString(f, TOML);
        return f;
    }

    /** The 6 runs in this JVM into ref/p000 … ref/p005 (the sweep's point order: dt fastest). */
    static List<Path> referenceRuns(Path ref) {
        List<Path> out = new ArrayList<>();
        int i = 0;
        for (double nu : NU)
            for (double dt : DT) {
                Path p = ref.resolve(String.format("p%03d", i++));
                Quiet.Run r = Quiet.execute("run", "--backend", "cpu", "--grid", "16", "--time", "0.02", "--threads", "1",
                        "--nu", SweepPlan.render(nu), "--dt", SweepPlan.render(dt), "--out", p.toString());
                assertEquals(0, r.code(), r.output());
                out.add(p);
            }
        return out;
    }

    /**
     * Waits until {@code done} reports at least {@code points} finished points of the sweep process
     * {@code p} (polling every 20 ms, failing after 120 s or if it ends first, with its log), then kills
     * it and its workers with SIGKILL: the "killed mid-way" half of the resume tests.
     */
    static void killAfter(Process p, Path log, int points, java.util.function.IntSupplier done) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (done.getAsInt() < points) {
            if (!p.isAlive()) fail("the sweep ended before it was killed: " + Files.readString(log));
            if (System.nanoTime() > deadline) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(points + " points not complete in 120 s: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
    }

    static JsonNode summary(Path run) throws IOException {
        return new ObjectMapper().readTree(run.resolve(RunFolder.SUMMARY).toFile());
    }

    /**
     * Each point against its reference: psi_final.npy byte for byte and the summary's numbers
     * exactly (tolerance 0: the same deterministic computation), and results.csv naming the swept
     * values and the same energy_final.
     */
    static void assertSameAsReference(Path sweep, List<Path> ref) throws IOException {
        JsonNode table = new ObjectMapper().readTree(sweep.resolve(SweepTable.JSON_FILE).toFile());
        assertEquals(6, table.get("points").size());
        for (int i = 0; i < 6; i++) {
            Path p = sweep.resolve("points").resolve(String.format("p%03d", i));
            assertArrayEquals(Files.readAllBytes(ref.get(i).resolve(RunFolder.PSI_FINAL)), Files.readAllBytes(p.resolve(RunFolder.PSI_FINAL)),
                    "psi_final.npy of point " + i);
            JsonNode a = summary(p), b = summary(ref.get(i));
            for (String k : List.of("energy_initial", "energy_final", "norm_final", "x2_final", "energy_error_max", "steps"))
                assertEquals(b.get(k).asDouble(), a.get(k).asDouble(), 0.0, k + " of point " + i);
            JsonNode row = table.get("points").get(i);
            assertEquals("done", row.get("state").asText());
            assertEquals(NU[i / 2], row.get("params").get("nu").asDouble(), 0.0);
            assertEquals(DT[i % 2], row.get("params").get("dt").asDouble(), 0.0);
            assertEquals(b.get("energy_final").asDouble(), row.get("summary").get("energy_final").asDouble(), 0.0);
        }
        List<String> csv = Files.readAllLines(sweep.resolve(SweepTable.CSV));
        assertEquals(7, csv.size(), "header and 6 rows");
        List<String> header = csvFields(csv.getFirst());
        int e = header.indexOf("energy_final");
        assertTrue(e > 0, csv.getFirst());
        assertEquals(List.of("point", "state", "exit_code", "nu", "dt"), header.subList(0, 5));
        for (int i = 0; i < 6; i++) {
            List<String> f = csvFields(csv.get(i + 1));
            assertEquals(header.size(), f.size(), csv.get(i + 1));
            assertEquals(summary(ref.get(i)).get("energy_final").asDouble(), Double.parseDouble(f.get(e)), 0.0, "results.csv row " + i);
        }
    }

    /** The fields of one CSV line (RFC 4180 quoting, no line breaks inside fields). */
    static List<String> csvFields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { f.append('"'); i++; }
                else if (c == '"') quoted = false;
                else f.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') { out.add(f.toString()); f.setLength(0); }
            else f.append(c);
        }
        out.add(f.toString());
        return out;
    }

    /** A process of this JVM's kind running hartree with {@code args} (output to {@code log}); env additions. */
    static Process start(Path log, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(SweepCommand.javaCommand(Runtime.getRuntime().availableProcessors()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    static void waitFor(Process p, long seconds, Path log) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("timed out after " + seconds + " s: " + Files.readString(log));
        }
    }
}
