package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hartree.cli.study.HartreeGapStudy;
import io.hartree.cli.study.MarginalsStudy;
import io.hartree.cli.study.PointedStudy;
import io.hartree.cli.study.StudyContext;
import io.hartree.cli.study.StudyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The studies as sweeps (docs/sweep.md, "Studies as sweeps"): the assembled report equals the
 * serial run's to the last digit (each point is deterministic and JSON numbers read back to the same
 * double), bad executor options are refused, a killed study sweep rerun repeats no finished
 * point, and no value passes through a shell.
 */
class StudySweepTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /**
     * {@code hartree study marginals --executor local} (6 points: k = 1..5 and the spin check, 2 workers)
     * against the serial {@code hartree study marginals}: results.json, marginals.csv and report.md byte
     * for byte (tolerance 0: the same arithmetic in the same JVM, the doubles carried through JSON
     * exactly); and c_2 in results.json against Lemma 2.4's closed form for n₁ = 0.3, k = 2
     * (δ₀ = 1 − 1/n₁, δ₁ = 1, δ₂ = 1 − 1/n₂; c̃ = (n₁², 2n₁n₂, n₂²)), to 1e−12 relative (rounding).
     */
    @Test
    void marginalsAsLocalSweepEqualsSerialToTheLastDigit(@TempDir Path dir) throws Exception {
        // The folder's name holds shell syntax: the local executor passes it as data (argv), nothing named INJECTED appears.
        Path serial = dir.resolve("serial"), sweep = dir.resolve("x'; touch INJECTED #");
        Quiet.Run a = Quiet.execute("study", "marginals", "--out", serial.toString());
        assertEquals(0, a.code(), a.output());
        Quiet.Run b = Quiet.execute("study", "marginals", "--executor", "local", "--jobs", "2", "--out", sweep.toString());
        assertEquals(0, b.code(), b.output());
        assertTrue(b.output().contains("6 points, 0 complete (skipped), 6 to run"), b.output());
        for (String f : new String[]{"results.json", "marginals.csv", "report.md"})
            assertEquals(Files.readString(serial.resolve(f)), Files.readString(sweep.resolve(f)), f);
        assertTrue(Files.isRegularFile(sweep.resolve("distance_loglog.png")));
        double n1 = 0.3, n2 = 0.7;
        double c2 = n1 * n1 * Math.abs(1 - 1 / n1) + 2 * n1 * n2 * 1 + n2 * n2 * Math.abs(1 - 1 / n2);   // = 0.84
        double got = new ObjectMapper().readTree(sweep.resolve("results.json").toFile()).get("c_2").asDouble();
        assertEquals(c2, got, 1e-12 * c2, "c_2 (Lemma 2.4)");

        // A rerun repeats nothing and assembles the same report; another study or size into the folder is refused.
        Quiet.Run again = Quiet.execute("study", "marginals", "--executor", "local", "--out", sweep.toString());
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("6 complete (skipped), 0 to run"), again.output());
        assertEquals(Files.readString(serial.resolve("results.json")), Files.readString(sweep.resolve("results.json")));
        Quiet.Run other = Quiet.execute("study", "marginals", "--full", "--executor", "local", "--out", sweep.toString());
        assertEquals(2, other.code(), other.output());
        assertTrue(other.output().contains("holds another study sweep"), other.output());
        Quiet.Run status = Quiet.execute("study-sweep", "status", sweep.toString());
        assertEquals(0, status.code(), status.output());
        assertTrue(status.output().contains("6 points: 6 done, 0 running, 0 interrupted, 0 failed, 0 pending"), status.output());
        try (var w = Files.walk(dir)) {
            assertTrue(w.noneMatch(f -> f.getFileName().toString().equals("INJECTED")), "INJECTED created");
        }
    }

    /**
     * hartree-gap at a tiny size (ν = 1, 2; grids 12³ and 16³) as a local sweep (4 points, one worker with
     * this machine's cores, FFTW ESTIMATE plans as the serial run here) against the serial run in this
     * JVM: results.json and hartree_gap.csv byte for byte (tolerance 0: the same plans, threads and
     * arithmetic). The tiny size fails its convergence check; the verdict is compared, not required.
     */
    @Test
    void hartreeGapAsLocalSweepEqualsSerial(@TempDir Path dir) throws Exception {
        try (AutoCloseable props = SweepFixture.properties()) {
            HartreeGapStudy study = new HartreeGapStudy();
            ObjectNode setup = study.setup(false);
            setup.putArray("nus").add(1.0).add(2.0);
            setup.put("coarse_n", 12).put("fine_n", 16);
            Path serial = dir.resolve("serial"), sweep = dir.resolve("sweep");
            StudyResult ref;
            try (StudyContext ctx = new StudyContext(false, serial, QUIET, "cpu")) {
                ref = PointedStudy.runSerial(study, ctx, setup);
            }
            StudyCommand o = new StudyCommand();
            o.executor = "local";
            o.jobs = 1;
            o.backend = "cpu";
            int code = StudySweep.run(o, study, sweep, setup);
            assertEquals(ref.pass() ? 0 : 1, code);
            assertEquals(Files.readString(serial.resolve("hartree_gap.csv")), Files.readString(sweep.resolve("hartree_gap.csv")));
            assertEquals(Files.readString(serial.resolve("results.json")), Files.readString(sweep.resolve("results.json")));
            JsonNode plan = new ObjectMapper().readTree(sweep.resolve(StudySweep.PLAN).toFile());
            assertEquals(4, plan.get("points").size());
            assertEquals(16, plan.get("points").get(3).get("point").get("n").asInt());
        }
    }

    /**
     * Every study is sweepable now ({@code hartree study list} marks each); --trap with --executor (a study
     * sweep runs the paper's h_ν), --jobs without --executor and an unknown executor are refused with
     * exit 2, and nothing is written.
     */
    @Test
    void badExecutorOptionsRefused(@TempDir Path dir) {
        Path out = dir.resolve("c");
        Quiet.Run list = Quiet.execute("study", "list");
        assertEquals(0, list.code(), list.output());
        for (String name : new String[]{"marginals", "counterexamples", "mean-field", "fragmented", "rank-growth", "hartree-gap"})
            assertTrue(list.output().lines().anyMatch(l -> l.startsWith(name + " ") && l.endsWith("[sweepable]")), name + ": " + list.output());
        Quiet.Run trap = Quiet.execute("study", "mean-field", "--trap", "harmonic:wx=1,wy=1,wz=1", "--executor", "local", "--out", out.toString());
        assertEquals(2, trap.code(), trap.output());
        assertTrue(trap.output().contains("--trap"), trap.output());
        Quiet.Run jobs = Quiet.execute("study", "marginals", "--jobs", "2", "--out", out.toString());
        assertEquals(2, jobs.code(), jobs.output());
        Quiet.Run exec = Quiet.execute("study", "marginals", "--executor", "pbs", "--out", out.toString());
        assertEquals(2, exec.code(), exec.output());
        assertFalse(Files.exists(out));
    }

    /**
     * The study sweep started as its own process with one worker, killed (SIGKILL, it and its workers)
     * once 2 points have results, rerun: the finished points' result.json keep their mtimes, the rest
     * run, and the assembled results.json equals the serial run's.
     */
    @Test
    void killedStudySweepRerunRepeatsNoFinishedPoint(@TempDir Path dir) throws Exception {
        Path sweep = dir.resolve("sweep"), log = dir.resolve("first.log");
        Process p = SweepFixture.start(log, Map.of(), "study", "marginals", "--executor", "local", "--jobs", "1", "--out", sweep.toString());
        SweepFixture.killAfter(p, log, 2, () -> complete(sweep));
        int before = complete(sweep);
        assertTrue(before >= 2 && before < 6, before + " complete at the kill");
        assertFalse(Files.exists(sweep.resolve("results.json")), "assembled before the kill");
        Map<Path, FileTime> mtimes = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            Path f = sweep.resolve("points").resolve(String.format("p%03d", i)).resolve(StudySweep.RESULT);
            if (Files.isRegularFile(f)) mtimes.put(f, Files.getLastModifiedTime(f));
        }
        Quiet.Run r = Quiet.execute("study", "marginals", "--executor", "local", "--out", sweep.toString());
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains(before + " complete (skipped), " + (6 - before) + " to run"), r.output());
        for (var e : mtimes.entrySet()) assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), "rewritten: " + e.getKey());
        Path serial = dir.resolve("serial");
        try (StudyContext ctx = new StudyContext(false, serial, QUIET, "cpu")) {
            new MarginalsStudy().run(ctx);
        }
        assertEquals(Files.readString(serial.resolve("results.json")), Files.readString(sweep.resolve("results.json")));
    }

    /**
     * No value through a shell (the local executor with a folder named with shell syntax: in the
     * marginals test): with Slurm such a folder and shell syntax in a Slurm option are
     * refused with exit 2 before anything is written; the Slurm scripts (--no-submit) run
     * {@code study-sweep worker DIR $SLURM_ARRAY_TASK_ID} and hold no point.
     */
    @Test
    void shellSafety(@TempDir Path dir) throws Exception {
        for (String[] bad : new String[][]{{"--out", dir.resolve("$(touch INJECTED)").toString()}, {"--job-name", "x'; touch INJECTED #"},
                {"--partition", "a\nb"}, {"--slurm-time", "1:00; touch INJECTED"}}) {
            Path out = bad[0].equals("--out") ? Path.of(bad[1]) : dir.resolve("s");
            Quiet.Run s = Quiet.execute("study", "marginals", "--executor", "slurm", "--no-submit", "--out", out.toString(), bad[0], bad[1]);
            assertEquals(2, s.code(), String.join(" ", bad) + ": " + s.output());
            assertFalse(Files.exists(out), "written: " + out);
        }
        Path ok = dir.resolve("slurm");
        Quiet.Run s = Quiet.execute("study", "marginals", "--executor", "slurm", "--no-submit", "--throttle", "3", "--out", ok.toString());
        assertEquals(0, s.code(), s.output());
        String array = Files.readString(ok.resolve("slurm").resolve("array.sh"));
        assertTrue(array.contains("#SBATCH --array=0,1,2,3,4,5%3"), array);
        assertTrue(array.contains(" study-sweep worker '" + ok.toAbsolutePath() + "' \"$SLURM_ARRAY_TASK_ID\""), array);
        assertFalse(array.contains("spin_n"), array);
        assertTrue(Files.readString(ok.resolve("slurm").resolve("gather.sh")).contains(" study-sweep gather '" + ok.toAbsolutePath() + "'"));
        try (var w = Files.walk(dir)) {
            assertTrue(w.noneMatch(f -> f.getFileName().toString().equals("INJECTED")), "INJECTED created");
        }
    }

    private static int complete(Path sweep) {
        int n = 0;
        for (int i = 0; i < 6; i++) if (Files.isRegularFile(sweep.resolve("points").resolve(String.format("p%03d", i)).resolve(StudySweep.RESULT))) n++;
        return n;
    }
}
