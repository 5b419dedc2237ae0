package io.hartree.cli;

import io.hartree.api.ParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sweep files and --param axes (products, zips, ranges, log ranges), every bad input refused with
 * exit 2 before anything is written, the Slurm scripts, and shell syntax in values, folders and job
 * names refused or passed as data. Nothing here starts a worker except {@link #shellSyntaxInTheFolderIsData}.
 */
class SweepCommandTest {

    static SweepPlan plan(Path dir, String toml, String... params) throws Exception {
        Path f = dir.resolve("s.toml");
        Files.writeString(f, toml);
        return SweepPlan.read(f, List.of(params));
    }

    /**
     * A list × a zip × a log range × a stepped range: 2·2·3·3 = 36 points, the last axis fastest.
     * The log range 1e-3 … 1e-1 in 3 is 1e-3, 1e-2, 1e-1 and the step range 0.1 … 0.3 by 0.1 is
     * 0.1, 0.2, 0.3 exactly as the literals (values are rounded to 12 significant digits, far
     * below any physical resolution and above the ~1e-16 error of x·(to/from)^f and from + i·step).
     */
    @Test
    void productsZipsAndRanges(@TempDir Path dir) throws Exception {
        SweepPlan p = plan(dir, """
                command = "run"
                [base]
                time = 0.5
                observe_every = 2
                [[axes]]
                nu = [1, 2.5]
                [[axes]]
                grid = [16, 32]
                box = [8.0, 16]
                [[axes]]
                dt = { from = 1e-3, to = 1e-1, count = 3, log = true }
                [[axes]]
                checkpoint_every = { from = 0.1, to = 0.3, step = 0.1 }
                """);
        assertEquals(36, p.points().size());
        assertEquals(List.of("nu", "grid", "box", "dt", "checkpoint-every"), p.sweptKeys());
        assertEquals(List.of(1e-3, 1e-2, 1e-1), p.axes().get(2).values().getFirst());
        assertTrue(p.axes().get(2).log());
        assertEquals(List.of(0.1, 0.2, 0.3), p.axes().get(3).values().getFirst());
        // point 0·18 + 1·9 + 2·3 + 1 = 16: nu = 1, (grid, box) = (32, 16), dt = 0.1, checkpoint_every = 0.2
        SweepPlan.Point q = p.points().get(16);
        assertEquals("p016", q.name());
        assertEquals(Map.of("nu", 1L, "grid", 32L, "box", 16L, "dt", 0.1, "checkpoint-every", 0.2), q.params());
        assertEquals(List.of("--time", "0.5", "--observe-every", "2", "--nu", "1", "--grid", "32", "--box", "16", "--dt", "0.1",
                "--checkpoint-every", "0.2"), q.args());
        assertEquals(Map.of("nu", 2.5, "grid", 16L, "box", 8.0, "dt", 1e-3, "checkpoint-every", 0.1), p.points().get(18).params());
        p.validate();   // every point is a valid run
        assertThrows(ParameterException.class, () -> SweepPlan.range("dt", 1.0, 0.5, null, 0.1, false, false));   // to < from
        assertThrows(ParameterException.class, () -> SweepPlan.range("dt", 1.0, 2.0, 2.5, null, false, false));   // count not an integer
        assertEquals(List.of(16L, 32L, 48L), SweepPlan.range("grid", 16.0, 48.0, null, 16.0, false, true));

        // --param: lin and log ranges and lists, appended as further axes of the product
        SweepPlan r = plan(dir, "command = \"ground-state\"\n", "tol=log:1e-12:1e-8:5", "nu=lin:1:2:3", "scheme=strang,fourth");
        assertEquals(5 * 3 * 2, r.points().size());
        assertEquals(List.of(1e-12, 1e-11, 1e-10, 1e-9, 1e-8), r.axes().getFirst().values().getFirst());
        assertEquals(List.of(1.0, 1.5, 2.0), r.axes().get(1).values().getFirst());
        assertEquals(List.of("--tol", "1.0E-12", "--nu", "1.5", "--scheme", "fourth"), r.points().get(3).args());
    }

    /** One bad sweep: exit 2, the message names what {@code expected} lists, and the folder was not created. */
    static void refused(Path dir, String toml, List<String> expected, String... extra) throws Exception {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, toml);
        Path out = dir.resolve("out");
        String[] args = new String[3 + extra.length];
        args[0] = "sweep";
        args[1] = f.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        args[args.length - 1] = "--out=" + out;
        Quiet.Run r = Quiet.execute(args);
        assertEquals(2, r.code(), toml + "\n" + r.output());
        for (String e : expected) assertTrue(r.output().contains(e), "'" + e + "' missing in: " + r.output());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void badInputIsExit2BeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        String head = "command = \"run\"\n[base]\nbackend = \"cpu\"\ngrid = 16\n";
        refused(dir, head + "colour = 1\n[[axes]]\nnu = [1]\n", List.of("unknown key 'colour'", "allowed: "));
        refused(dir, head + "[[axes]]\nnu = []\n", List.of("axis 'nu' is empty"));
        refused(dir, head + "[[axes]]\ntime = [0.1, \"long\"]\n", List.of("point p001", "time = long", "--time"));
        refused(dir, head + "[[axes]]\ngrid = [16, 17.5]\n", List.of("given twice"));   // grid is in [base] too
        refused(dir, "command = \"run\"\n[[axes]]\ngrid = [16, 17.5]\n", List.of("point p001", "--grid"));
        refused(dir, head + "[[axes]]\nnu = [1, 2, -3, 4]\n", List.of("point p002", "nu = -3", "--nu", "finite ν > 0"));
        // the memory plan, as hartree run checks it before allocating: 2000^3 fits no machine (arrays beyond 2^31 values)
        refused(dir, "command = \"run\"\n[base]\nbackend = \"cpu\"\n[[axes]]\ngrid = [16, 2000]\n", List.of("point p001", "--grid", "does not fit"));
        refused(dir, head + "[[axes]]\nnu = [1, 2]\ndt = [0.1]\n", List.of("zipped axis", "lists of equal length"));
        refused(dir, head + "[[axes]]\ndt = { from = 0, to = 1, count = 3, log = true }\n", List.of("log range of 'dt'", "> 0"));
        refused(dir, head + "[[axes]]\ndt = { from = 0.1, to = 1 }\n", List.of("exactly one of count and step"));
        refused(dir, head + "[[axes]]\nout = [\"a\", \"b\"]\n", List.of("'out' is set by the sweep"));
        refused(dir, head + "axis = 1\n", List.of("unknown key 'axis'"), "--param", "nu=1");   // a top-level key inside [base]
        refused(dir, "command = \"study\"\n[[axes]]\nnu = [1]\n", List.of("command", "run | ground-state | fock"));
        refused(dir, "command = \"run\"\n", List.of("no axis"));
        refused(dir, "command = \"fock\"\n[base]\ngrid = 16\nmodes = 2\n[[axes]]\nparticles = [4, 0]\n", List.of("point p001", "--particles", "N ≥ 1"));
        refused(dir, head, List.of("--param", "KEY=V1,V2"), "--param", "nu");
        refused(dir, head, List.of("--executor", "local | slurm"), "--executor", "pbs", "--param", "nu=1");
    }

    /**
     * The Slurm scripts (not submitted): the array covers every point with the throttle, the options
     * as given, --gres=gpu:1 for cuda, and no parameter value in the script (the worker reads them
     * from sweep.json). Refused with exit 2 before anything is written: shell syntax in the job name,
     * partition, time and account, and a sweep folder with shell syntax.
     */
    @Test
    void slurmScripts(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sw");
        String weird = "gaussian:lambda=2.5,sigma=0.75";
        Path f = dir.resolve("s.toml");
        Files.writeString(f, "command = \"run\"\n[base]\nbackend = \"cuda\"\ngrid = 16\n[[axes]]\ninteraction = [\"gaussian:lambda=1,sigma=1\", \"" + weird + "\"]\n"
                + "[[axes]]\nnu = [1, 2, 3]\n");
        Quiet.Run r = Quiet.execute("sweep", f.toString(), "--executor", "slurm", "--no-submit", "--out", out.toString(), "--throttle", "2",
                "--cpus-per-task", "4", "--slurm-time", "1:30:00", "--partition", "gpu", "--account", "phys-1", "--job-name", "scan.7");
        assertEquals(0, r.code(), r.output());
        String a = Files.readString(out.resolve("slurm/array.sh"));
        for (String line : List.of("#SBATCH --array=0,1,2,3,4,5%2", "#SBATCH --cpus-per-task=4", "#SBATCH --time=1:30:00", "#SBATCH --partition=gpu",
                "#SBATCH --account=phys-1", "#SBATCH --gres=gpu:1", "#SBATCH --job-name=scan.7", "#SBATCH --mem=1024M", "\"$SLURM_ARRAY_TASK_ID\" --threads 4 --log"))
            assertTrue(a.contains(line), line + " missing in:\n" + a);
        assertFalse(a.contains("lambda"), "no parameter value in the script:\n" + a);
        assertTrue(Files.readString(out.resolve("slurm/gather.sh")).contains("sweep gather '" + out.toAbsolutePath() + "'"));
        assertEquals(6, SweepPlan.load(out).points().size());
        assertTrue(r.output().contains("--dependency=afterok:ARRAY_JOB_ID"), r.output());

        // a cpu sweep has no --gres
        Path cpu = dir.resolve("cpu");
        assertEquals(0, Quiet.execute("sweep", "--executor", "slurm", "--no-submit", "--out", cpu.toString(), "--param", "nu=1,2", "run", "--grid", "16").code());
        assertFalse(Files.readString(cpu.resolve("slurm/array.sh")).contains("--gres"));

        String[][] bad = {
                {"--job-name", "x'; touch INJECTED #"}, {"--job-name", "$(touch INJECTED)"}, {"--partition", "a\nb"},
                {"--slurm-time", "1:00; touch INJECTED"}, {"--account", "$(touch INJECTED)"}, {"--slurm-mem", "4G\n#SBATCH --x"},
                {"--out", dir.resolve("x'; touch INJECTED #").toString()}, {"--out", dir.resolve("$(touch INJECTED)").toString()},
                {"--out", dir.resolve("a\nb").toString()}};
        for (String[] b : bad) {
            String o = b[0].equals("--out") ? b[1] : dir.resolve("bad").toString();
            Quiet.Run x = b[0].equals("--out")
                    ? Quiet.execute("sweep", "--executor", "slurm", "--no-submit", "--out", o, "--param", "nu=1,2", "run")
                    : Quiet.execute("sweep", "--executor", "slurm", "--no-submit", b[0], b[1], "--out", o, "--param", "nu=1,2", "run");
            assertEquals(2, x.code(), b[0] + " " + b[1] + ": " + x.output());
            assertTrue(x.output().contains(b[0]), x.output());
            assertFalse(Files.exists(Path.of(o)), "nothing written for " + b[0]);
        }
        assertNoInjected(dir);
    }

    /** Parameter values with shell syntax are data: refused by the command's validation (they are no valid spec), never run. */
    @Test
    void shellSyntaxInValuesIsRefused(@TempDir Path dir) throws Exception {
        for (String v : List.of("'; touch INJECTED #", "$(touch INJECTED)", "a\ntouch INJECTED")) {
            Path f = dir.resolve("s.toml");
            Files.writeString(f, "command = \"run\"\n[[axes]]\ninitial = [\"ground\", " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(v) + "]\n");
            Quiet.Run r = Quiet.execute("sweep", f.toString(), "--out", dir.resolve("o").toString());
            assertEquals(2, r.code(), r.output());
            assertTrue(r.output().contains("point p001") && r.output().contains("--initial"), r.output());
            assertFalse(Files.exists(dir.resolve("o")));
        }
        assertNoInjected(dir);
    }

    /**
     * The local executor passes the folder as one argument (no shell): a sweep folder named with
     * shell syntax runs its point and nothing named INJECTED appears, neither there nor in the
     * working directory. One point at 8³ (the cheapest run) in a worker process.
     */
    @Test
    void shellSyntaxInTheFolderIsData(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("x'; touch INJECTED #").resolve("$(touch INJECTED)");
        try (AutoCloseable p = SweepFixture.properties()) {
            Quiet.Run r = Quiet.execute("sweep", "--out", out.toString(), "--param", "nu=2", "run", "--backend", "cpu", "--grid", "8",
                    "--time", "0.01", "--dt", "0.01");
            assertEquals(0, r.code(), r.output());
        }
        assertTrue(Files.isRegularFile(out.resolve("points/p000/summary.json")));
        assertEquals(2.0, SweepFixture.summary(out.resolve("points/p000")).get("nu").asDouble(), 0.0);
        assertNoInjected(dir);
        assertFalse(Files.exists(Path.of("INJECTED")));
    }

    static void assertNoInjected(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().equals("INJECTED")).toList());
        }
    }

}
