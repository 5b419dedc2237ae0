package io.hartree.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --executor slurm} against a real Slurm: a single-node slurmctld + slurmd of Debian's
 * packages started from a config in a temporary folder (auth/none, cred/none, loopback, free
 * ports, the machine's cores and 90 % of its memory; src/test/resources/slurm), the 6-point sweep
 * of {@link SweepFixture} submitted as a job array with its afterok gather job, waited for
 * (bounded), its table checked against 6 in-process runs to the last bit, both daemons stopped by
 * their pid; then {@code hartree study marginals --executor slurm} on the same daemons, its report
 * against the serial run byte for byte. Skipped, with the reason, where the Slurm binaries are missing or this is not root
 * (slurmd runs the jobs). Install: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client.
 */
class SweepSlurmTest {
    static final Path SLURMCTLD = Path.of("/usr/sbin/slurmctld"), SLURMD = Path.of("/usr/sbin/slurmd");
    static final Path PLUGINS = Path.of("/usr/lib/x86_64-linux-gnu/slurm-wlm/auth_none.so");

    @Test
    void sixPointArrayAndGatherJob(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(SLURMCTLD) && Files.isExecutable(SLURMD) && onPath("sbatch") && onPath("squeue") && onPath("sinfo"),
                "Slurm is not installed (needs " + SLURMCTLD + ", " + SLURMD + ", sbatch, squeue, sinfo: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client)");
        assumeTrue(Files.isRegularFile(PLUGINS), "Slurm's auth/none plugin is missing: " + PLUGINS);
        assumeTrue("root".equals(System.getProperty("user.name")), "slurmd must run as root to start jobs; this is " + System.getProperty("user.name"));

        Path sd = dir.resolve("slurm");
        for (String d : List.of("spool/ctld", "spool/d", "run", "log")) Files.createDirectories(sd.resolve(d));
        String template;
        try (InputStream in = SweepSlurmTest.class.getResourceAsStream("/slurm/single-node.conf.template")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        long memMb = 0;
        for (String l : Files.readAllLines(Path.of("/proc/meminfo")))
            if (l.startsWith("MemTotal:")) memMb = Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
        int[] ports = freePorts();
        String conf = template.replace("@DIR@", sd.toString())
                .replaceAll("CPUs=[0-9]+", "CPUs=" + Runtime.getRuntime().availableProcessors())
                .replaceAll("RealMemory=[0-9]+", "RealMemory=" + memMb * 9 / 10)
                .replaceAll("SlurmctldPort=[0-9]+", "SlurmctldPort=" + ports[0])
                .replaceAll("SlurmdPort=[0-9]+", "SlurmdPort=" + ports[1]);
        Path cf = sd.resolve("slurm.conf");
        Files.writeString(cf, conf);
        Map<String, String> env = Map.of("SLURM_CONF", cf.toString());

        List<Long> daemons = new ArrayList<>();
        long t0 = System.nanoTime();
        String arrayId = null, gatherId = null;
        try (AutoCloseable props = SweepFixture.properties()) {
            daemons.add(daemon(env, sd, SLURMCTLD, cf, "slurmctld"));
            daemons.add(daemon(env, sd, SLURMD, cf, "slurmd"));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!run(env, 10, "sinfo", "-h", "-N", "-o", "%T").trim().equals("idle")) {
                assertTrue(System.nanoTime() < deadline, "the node did not become idle in 60 s: " + Files.readString(sd.resolve("log/slurmd.log")));
                Thread.sleep(250);
            }

            System.out.printf("SweepSlurmTest: node idle after %.1f s%n", (System.nanoTime() - t0) * 1e-9);
            List<Path> ref = SweepFixture.referenceRuns(dir.resolve("ref"));
            Path sweep = dir.resolve("sweep");
            Path log = dir.resolve("submit.log");
            Process p = SweepFixture.start(log, env, "sweep", SweepFixture.writeToml(dir).toString(), "--executor", "slurm", "--out", sweep.toString(),
                    "--throttle", "2", "--job-name", "hartree-test", "--slurm-time", "5");
            SweepFixture.waitFor(p, 120, log);
            String out = Files.readString(log);
            assertEquals(0, p.exitValue(), out);
            Matcher m = Pattern.compile("submitted array job ([0-9]+) .*gather job ([0-9]+)").matcher(out);
            assertTrue(m.find(), out);
            System.out.printf("SweepSlurmTest: submitted after %.1f s%n", (System.nanoTime() - t0) * 1e-9);
            arrayId = m.group(1);
            gatherId = m.group(2);
            assertTrue(Files.readString(sweep.resolve("slurm/array.sh")).contains("#SBATCH --array=0,1,2,3,4,5%2"));

            deadline = System.nanoTime() + 240_000_000_000L;
            while (!run(env, 10, "squeue", "-h", "-j", arrayId + "," + gatherId).isBlank() || !Files.isRegularFile(sweep.resolve(SweepTable.JSON_FILE))) {
                assertTrue(System.nanoTime() < deadline, "the jobs did not finish in 240 s: " + run(env, 10, "squeue") + "\n" + listing(sweep));
                Thread.sleep(500);
            }
            System.out.printf("SweepSlurmTest: array and gather job done after %.1f s%n", (System.nanoTime() - t0) * 1e-9);
            SweepFixture.assertSameAsReference(sweep, ref);
            for (int i = 0; i < 6; i++)
                assertEquals("0", Files.readString(sweep.resolve("logs").resolve(String.format("p%03d.exit", i))).trim(), "exit of point " + i);
            arrayId = gatherId = null;

            // The study as a sweep on the same Slurm: hartree study marginals --executor slurm (6 points and its gather
            // job) assembles the serial run's results.json, marginals.csv and report.md byte for byte (tolerance 0:
            // the same arithmetic; the points carry their doubles through JSON exactly).
            Path serial = dir.resolve("study-serial"), study = dir.resolve("study");
            Quiet.Run direct = Quiet.execute("study", "marginals", "--out", serial.toString());
            assertEquals(0, direct.code(), direct.output());
            Path slog = dir.resolve("study-submit.log");
            Process q = SweepFixture.start(slog, env, "study", "marginals", "--executor", "slurm", "--out", study.toString(),
                    "--throttle", "2", "--job-name", "hartree-study", "--slurm-time", "5");
            SweepFixture.waitFor(q, 120, slog);
            String sout = Files.readString(slog);
            assertEquals(0, q.exitValue(), sout);
            Matcher sm = Pattern.compile("submitted array job ([0-9]+) .*gather job ([0-9]+)").matcher(sout);
            assertTrue(sm.find(), sout);
            arrayId = sm.group(1);
            gatherId = sm.group(2);
            deadline = System.nanoTime() + 240_000_000_000L;
            while (!run(env, 10, "squeue", "-h", "-j", arrayId + "," + gatherId).isBlank() || !Files.isRegularFile(study.resolve("report.md"))) {
                assertTrue(System.nanoTime() < deadline, "the study jobs did not finish in 240 s: " + run(env, 10, "squeue") + "\n" + listing(study));
                Thread.sleep(500);
            }
            System.out.printf("SweepSlurmTest: study sweep done after %.1f s%n", (System.nanoTime() - t0) * 1e-9);
            for (String f : new String[]{"results.json", "marginals.csv", "report.md"})
                assertEquals(Files.readString(serial.resolve(f)), Files.readString(study.resolve(f)), "study sweep on Slurm: " + f);
            arrayId = gatherId = null;
        } finally {
            if (arrayId != null) run(env, 10, "scancel", arrayId, gatherId);
            for (long pid : daemons) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            for (long pid : daemons) {
                var h = ProcessHandle.of(pid);
                if (h.isPresent()) {
                    try {
                        h.get().onExit().get(15, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        h.get().destroyForcibly();
                    }
                }
            }
        }
    }

    static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":"))
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) return true;
        return false;
    }

    /** Starts a daemon (it forks and its first process exits; output to a file, not a pipe it could hold open); its pid. */
    static long daemon(Map<String, String> env, Path sd, Path exe, Path conf, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(exe.toString(), "-f", conf.toString()).redirectErrorStream(true)
                .redirectOutput(sd.resolve("log/" + name + ".start").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), name + " did not start in 30 s");
        assertEquals(0, p.exitValue(), name + ": " + Files.readString(sd.resolve("log/" + name + ".start")));
        return pid(sd.resolve("run/" + name + ".pid"));
    }

    static long pid(Path file) throws Exception {
        for (int i = 0; i < 100 && !Files.isRegularFile(file); i++) Thread.sleep(100);
        return Long.parseLong(Files.readString(file).trim());
    }

    static String run(Map<String, String> env, long seconds, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) p.destroyForcibly();
        return new String(out, StandardCharsets.UTF_8);
    }

    static int[] freePorts() throws Exception {
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            return new int[]{a.getLocalPort(), b.getLocalPort()};
        }
    }

    static String listing(Path sweep) throws Exception {
        StringBuilder s = new StringBuilder();
        if (!Files.isDirectory(sweep)) return "(no sweep folder)";
        try (var w = Files.walk(sweep)) {
            for (Path p : w.toList()) {
                s.append(sweep.relativize(p)).append('\n');
                if (p.toString().endsWith(".log") || p.toString().endsWith(".out")) s.append(Files.readString(p)).append('\n');
            }
        }
        return s.toString();
    }
}
