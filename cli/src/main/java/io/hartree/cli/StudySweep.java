package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hartree.api.ParameterException;
import io.hartree.api.io.AtomicFiles;
import io.hartree.cli.study.PointedStudy;
import io.hartree.cli.study.Studies;
import io.hartree.cli.study.Study;
import io.hartree.cli.study.StudyContext;
import io.hartree.cli.study.StudyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * A study as a sweep (docs/sweep.md, "Studies as sweeps"): {@code hartree study NAME --executor
 * local|slurm} writes the study's setup and points into DIR/study-sweep.json, runs every point not
 * yet complete as a worker process ({@code hartree study-sweep worker DIR INDEX}, which writes
 * DIR/points/pNNN/result.json) through the sweep's executors ({@link SweepLocal}, {@link SweepSlurm}),
 * and assembles report.md, results.json, CSVs and plots into DIR from the results
 * ({@code hartree study-sweep gather DIR}, which the Slurm executor submits as the dependent job).
 * A rerun skips every point with a result; no value of a point passes through a shell.
 */
@Command(name = "study-sweep", mixinStandardHelpOptions = true,
        subcommands = {StudySweep.Status.class, StudySweep.Gather.class, StudySweep.Worker.class},
        description = {"The folder of 'hartree study NAME --executor local|slurm --out DIR':",
                "  hartree study-sweep status DIR   points done, running, failed, pending (and squeue)",
                "  hartree study-sweep gather DIR   assemble report.md, results.json, CSVs, plots from the finished points"})
final class StudySweep implements Callable<Integer> {
    static final String PLAN = "study-sweep.json";
    static final String RESULT = "result.json";
    /** Memory per worker for the local pool's size and Slurm's --mem: the JVM and a study point (grids ≤ 64³). */
    static final long BYTES_PER_POINT = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() {
        throw new ParameterException("study-sweep", "a subcommand is needed: status DIR | gather DIR");
    }

    /** The plan of a study sweep: the study, its size, the backend, the setup and the points (names p000, p001, …). */
    record Plan(String study, boolean full, String backend, JsonNode setup, List<JsonNode> points) {
        String name(int i) { return String.format(Locale.ROOT, "p%03d", i); }

        List<String> names() {
            List<String> n = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) n.add(name(i));
            return n;
        }

        ObjectNode json() {
            ObjectNode j = JSON.createObjectNode().put("study", study).put("full", full);
            if (backend != null) j.put("backend", backend);
            else j.putNull("backend");
            j.set("setup", setup);
            ArrayNode ps = j.putArray("points");
            for (int i = 0; i < points.size(); i++) ps.addObject().put("name", name(i)).set("point", points.get(i));
            return j;
        }

        static Plan load(Path dir) {
            Path f = dir.resolve(PLAN);
            if (!Files.isRegularFile(f))
                throw new ParameterException("DIR", dir, "a study sweep folder (with " + PLAN + ", written by hartree study NAME --executor local|slurm --out DIR)");
            try {
                JsonNode j = JSON.readTree(f.toFile());
                List<JsonNode> ps = new ArrayList<>();
                for (JsonNode p : j.get("points")) ps.add(p.get("point"));
                return new Plan(j.get("study").asText(), j.get("full").asBoolean(), j.get("backend").isNull() ? null : j.get("backend").asText(), j.get("setup"), ps);
            } catch (IOException | RuntimeException e) {
                throw new ParameterException("DIR", dir, "a readable " + PLAN + " (" + e.getMessage() + ")");
            }
        }

        PointedStudy pointed() {
            if (Studies.byName(study) instanceof PointedStudy s) return s;
            throw new ParameterException("DIR", study, "a sweepable study: " + sweepable());
        }
    }

    /** {@code json} written and read back (as the plan on disk: an integer is an IntNode there however it was put). */
    private static JsonNode readBack(JsonNode json) {
        try {
            return JSON.readTree(json.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The studies that run as sweeps, comma-separated. */
    static String sweepable() {
        return Studies.all().stream().filter(s -> s instanceof PointedStudy).map(Study::name).collect(Collectors.joining(", "));
    }

    static Path pointDir(Path dir, Plan plan, int i) { return dir.resolve(SweepCommand.POINTS).resolve(plan.name(i)); }

    static boolean complete(Path dir, Plan plan, int i) { return Files.isRegularFile(pointDir(dir, plan, i).resolve(RESULT)); }

    /**
     * {@code hartree study NAME --executor …}: plans (or reloads) the sweep in {@code dir}, runs or submits
     * its incomplete points, and (local) assembles the report. Exit 0 PASS, 1 FAIL or a failed point.
     */
    static int run(StudyCommand o, PointedStudy s, Path dir) { return run(o, s, dir, s.setup(o.full)); }

    /** As above with another setup than the study's default or --full one (tests: a tiny size). */
    static int run(StudyCommand o, PointedStudy s, Path dir, JsonNode setup) {
        String exec = o.executor.trim().toLowerCase(Locale.ROOT);
        ParameterException.require(exec.equals("local") || exec.equals("slurm"), "--executor", o.executor, "local | slurm");
        if (o.jobs != null) ParameterException.require(o.jobs >= 1 && o.jobs <= 4096, "--jobs", o.jobs, "integer 1 … 4096");
        Plan plan = new Plan(s.name(), o.full, o.backend, setup, List.copyOf(s.points(setup)));
        Plan existing = Files.isRegularFile(dir.resolve(PLAN)) ? Plan.load(dir) : null;
        SweepSlurm slurm = exec.equals("slurm") ? new SweepSlurm(o.slurmOptions(), dir, null, List.of("study-sweep", "worker"), List.of("study-sweep", "gather"), PLAN) : null;
        if (existing != null) {
            if (!existing.json().equals(readBack(plan.json())))
                throw new ParameterException("--out", dir + " holds another study sweep (its " + PLAN + " is " + existing.study() + (existing.full() ? " --full" : "")
                        + " with other points or backend); allowed: a new folder, or the same study, size and backend to finish it");
        } else RunFolder.checkNew(dir, o.force);
        try {
            Files.createDirectories(dir.resolve(SweepCommand.POINTS));
            Files.createDirectories(dir.resolve(SweepCommand.LOGS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        if (existing == null) AtomicFiles.writeString(dir.resolve(PLAN), plan.json().toPrettyString() + "\n");
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < plan.points().size(); i++) if (!complete(dir, plan, i)) todo.add(i);
        System.out.printf(Locale.ROOT, "study %s%s as a sweep: %d points, %d complete (skipped), %d to run -> %s%n", s.name(), o.full ? " --full" : "",
                plan.points().size(), plan.points().size() - todo.size(), todo.size(), dir);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(SweepCommand.LOCK),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = ch.tryLock()) {
            if (lock == null) throw new ParameterException("--out", dir + " is in use by another hartree study (it holds " + dir.resolve(SweepCommand.LOCK) + "); wait for it or stop it");
            if (slurm != null && !todo.isEmpty()) return slurm.submit(todo, new SweepPlan.Estimate(BYTES_PER_POINT, "cuda".equalsIgnoreCase(o.backend)));
            String abs = dir.toAbsolutePath().toString();
            int failed = SweepLocal.run(dir, plan.names(), todo, o.jobs, BYTES_PER_POINT, "study",
                    (i, threads) -> List.of("study-sweep", "worker", abs, String.valueOf(i), "--threads", String.valueOf(threads)));
            if (failed > 0) {
                System.out.println("study " + s.name() + ": " + failed + " point(s) failed (logs in " + dir.resolve(SweepCommand.LOGS) + "); rerun the same command to retry them");
                for (String line : missing(dir, plan)) System.out.println("  " + line);
                return Main.EXIT_FAILURE;
            }
            return assemble(dir, plan);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir.resolve(SweepCommand.LOCK) + ": " + e.getMessage(), e);
        }
    }

    /** Reads every point's result and writes the study's report into {@code dir}; 0 PASS, 1 FAIL or points missing. */
    static int assemble(Path dir, Plan plan) {
        PointedStudy s = plan.pointed();
        List<JsonNode> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < plan.points().size(); i++) {
            Path f = pointDir(dir, plan, i).resolve(RESULT);
            if (!Files.isRegularFile(f)) { missing.add(plan.name(i)); continue; }
            try {
                results.add(JSON.readTree(f.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        if (!missing.isEmpty()) {
            System.out.println("study " + s.name() + ": not assembled, " + missing.size() + " of " + plan.points().size() + " points have no result: " + String.join(", ", missing));
            for (String line : missing(dir, plan)) System.out.println("  " + line);
            return Main.EXIT_FAILURE;
        }
        long t0 = System.nanoTime();
        StudyResult r;
        try (StudyContext ctx = new StudyContext(plan.full(), dir, System.err, plan.backend())) {
            r = s.assemble(ctx, plan.setup(), results);
        }
        System.out.printf(Locale.ROOT, "study %s: %s (assembled from %d points in %.1f s) -> %s%n", r.name(), r.verdict(), results.size(),
                (System.nanoTime() - t0) / 1e9, dir.resolve("report.md"));
        for (String reason : r.reasons()) System.out.println("  " + reason);
        return r.pass() ? 0 : Main.EXIT_FAILURE;
    }

    /**
     * Each point without a result, one line each: its name, state (failed (exit N), pending, …), its spec
     * and the last line of its log (for a failed point: the error).
     */
    static List<String> missing(Path dir, Plan plan) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < plan.points().size(); i++) {
            if (complete(dir, plan, i)) continue;
            String tail = SweepTable.tail(dir.resolve(SweepCommand.LOGS).resolve(plan.name(i) + ".log")).strip();
            String last = tail.isEmpty() ? "" : tail.substring(tail.lastIndexOf('\n') + 1);
            lines.add(plan.name(i) + " " + state(dir, plan, i) + " " + plan.points().get(i) + (last.isEmpty() ? "" : ": " + last));
        }
        return lines;
    }

    /** A point's state: done, failed (exit N), running (started, nothing recorded), pending. */
    static String state(Path dir, Plan plan, int i) {
        if (complete(dir, plan, i)) return "done";
        Path exit = dir.resolve(SweepCommand.LOGS).resolve(plan.name(i) + ".exit");
        try {
            if (Files.isRegularFile(exit)) {
                String code = Files.readString(exit).trim();
                return code.equals("0") ? "interrupted" : "failed (exit " + code + ")";
            }
        } catch (IOException e) {
            return "unreadable";
        }
        return Files.isRegularFile(dir.resolve(SweepCommand.LOGS).resolve(plan.name(i) + ".log")) ? "running" : "pending";
    }

    @Command(name = "worker", hidden = true, description = "Run point INDEX of the study sweep in DIR (started by the executors).")
    static final class Worker implements Callable<Integer> {
        @Parameters(index = "0") Path dir;
        @Parameters(index = "1") int index;
        @Option(names = "--threads") int threads;
        @Option(names = "--log", description = "append this process's output to DIR/logs/POINT.log") boolean log;

        @Override
        public Integer call() throws IOException {
            Plan plan = Plan.load(dir);
            ParameterException.require(index >= 0 && index < plan.points().size(), "INDEX", index, "0 … " + (plan.points().size() - 1));
            String name = plan.name(index);
            Path exit = dir.resolve(SweepCommand.LOGS).resolve(name + ".exit");
            int[] code = {1};
            try {
                return SweepLocal.logged(dir.resolve(SweepCommand.LOGS).resolve(name + ".log"), log, () -> {
                    if (complete(dir, plan, index)) {
                        System.out.println("study: " + name + " is complete; skipped");
                    } else {
                        PointedStudy s = plan.pointed();
                        Path folder = pointDir(dir, plan, index);
                        Files.createDirectories(folder);
                        System.out.println("study " + s.name() + ": " + name + " " + plan.points().get(index));
                        JsonNode result;
                        try (StudyContext ctx = new StudyContext(plan.full(), folder, System.out, plan.backend())) {
                            result = s.runPoint(ctx, plan.setup(), plan.points().get(index));
                        } catch (ParameterException e) {
                            code[0] = Main.EXIT_USAGE;   // the .exit file says what the process exits with
                            throw e;
                        }
                        AtomicFiles.writeString(folder.resolve(RESULT), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
                    }
                    code[0] = 0;
                    return 0;
                });
            } finally {
                AtomicFiles.writeString(exit, code[0] + "\n");
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Points done, running, failed and pending of the study sweep in DIR (and squeue where it was submitted to Slurm).")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR") Path dir;

        @Override
        public Integer call() {
            Plan plan = Plan.load(dir);
            return SweepTable.printStatus(dir, "study " + plan.study() + (plan.full() ? " --full" : "") + " in " + dir, plan.points().size(), plan::name,
                    k -> state(dir, plan, k), k -> String.valueOf(plan.points().get(k)), 14);
        }
    }

    @Command(name = "gather", mixinStandardHelpOptions = true, description = "Assemble the study's report.md, results.json, CSVs and plots in DIR from its finished points.")
    static final class Gather implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR") Path dir;

        @Override
        public Integer call() { return assemble(dir, Plan.load(dir)); }
    }
}
