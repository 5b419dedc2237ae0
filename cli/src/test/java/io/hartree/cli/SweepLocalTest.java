package io.hartree.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The local executor on the 6-point run sweep of {@link SweepFixture}: the sweep is started as its
 * own process with one worker, killed (SIGKILL, the sweep and its workers) once 3 points are
 * complete, and rerun; the rerun finishes the rest, leaves the complete folders untouched (every
 * file's mtime unchanged) and the finished table equals 6 separate in-process runs to the last bit.
 */
class SweepLocalTest {

    @Test
    void killedAfterThreePointsAndRerunFinishesTheRest(@TempDir Path dir) throws Exception {
        try (AutoCloseable props = SweepFixture.properties()) {
            List<Path> ref = SweepFixture.referenceRuns(dir.resolve("ref"));
            Path toml = SweepFixture.writeToml(dir);
            Path sweep = dir.resolve("sweep");
            Path log = dir.resolve("first.log");
            Process p = SweepFixture.start(log, Map.of(), "sweep", toml.toString(), "--out", sweep.toString(), "--jobs", "1");
            SweepFixture.killAfter(p, log, 3, () -> countComplete(sweep));
            int before = countComplete(sweep);
            assertTrue(before >= 3 && before < 6, before + " complete at the kill");
            Map<Path, FileTime> mtimes = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                Path pt = sweep.resolve("points").resolve(String.format("p%03d", i));
                if (SweepCommand.complete(pt))
                    try (var s = Files.list(pt)) {
                        for (Path f : s.toList()) mtimes.put(f, Files.getLastModifiedTime(f));
                    }
            }
            Quiet.Run status = Quiet.execute("sweep", "status", sweep.toString());
            assertEquals(0, status.code());
            assertTrue(status.output().contains(before + " done"), status.output());

            // The rerun: only --out; the plan comes from the folder.
            Quiet.Run r = Quiet.execute("sweep", "--out", sweep.toString());
            assertEquals(0, r.code(), r.output());
            assertTrue(r.output().contains(before + " complete (skipped), " + (6 - before) + " to run"), r.output());
            assertEquals(6, countComplete(sweep));
            for (var e : mtimes.entrySet()) assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), "rewritten: " + e.getKey());
            SweepFixture.assertSameAsReference(sweep, ref);
            assertTrue(Files.isRegularFile(sweep.resolve("energy_final_vs_nu.png")) || r.output().contains("figures not drawn"), r.output());

            // A third run repeats nothing; a different sweep into the same folder is refused.
            Quiet.Run again = Quiet.execute("sweep", toml.toString(), "--out", sweep.toString());
            assertEquals(0, again.code(), again.output());
            assertTrue(again.output().contains("6 complete (skipped), 0 to run"), again.output());
            Quiet.Run other = Quiet.execute("sweep", "--out", sweep.toString(), "--param", "nu=5", "run");
            assertEquals(2, other.code(), other.output());
            assertTrue(other.output().contains("holds another sweep"), other.output());
        }
    }

    static int countComplete(Path sweep) {
        int n = 0;
        for (int i = 0; i < 6; i++) if (SweepCommand.complete(sweep.resolve("points").resolve(String.format("p%03d", i)))) n++;
        return n;
    }

    /**
     * Pool sizing: one point per core, fewer where 80 % of the memory holds fewer of the largest
     * point, never more than the points; each point gets cores / jobs threads.
     */
    @Test
    void poolSize() {
        long g = 1L << 30;
        assertEquals(new SweepLocal.Pool(16, 1, ""), strip(SweepLocal.size(100, null, g, 16, 64 * g)));      // memory: 51 fit
        assertEquals(new SweepLocal.Pool(8, 2, ""), strip(SweepLocal.size(8, null, g, 16, 64 * g)));         // 8 points
        assertEquals(new SweepLocal.Pool(3, 5, ""), strip(SweepLocal.size(100, null, 8 * g, 16, 32 * g)));   // floor(25.6 / 8) = 3
        assertEquals(new SweepLocal.Pool(1, 16, ""), strip(SweepLocal.size(100, null, 64 * g, 16, 32 * g))); // none fits: still one
        assertEquals(new SweepLocal.Pool(4, 4, ""), strip(SweepLocal.size(100, 4, g, 16, 64 * g)));          // --jobs 4
    }

    private static SweepLocal.Pool strip(SweepLocal.Pool p) { return new SweepLocal.Pool(p.jobs(), p.threads(), ""); }
}
