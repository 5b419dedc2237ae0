package io.hartree.cli;

import io.hartree.api.ParameterException;
import io.hartree.api.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hartree sweep}: a parameter scan over {@code run}, {@code ground-state} or {@code fock}
 * (docs/sweep.md). Every point is an ordinary run folder {@code DIR/points/pNNN} with its own
 * config.toml; all points are validated before anything is written; the local executor runs them
 * in a bounded pool of worker processes, the Slurm executor as one job array with a dependent gather
 * job. A rerun into the same folder skips complete points and resumes interrupted ones.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {SweepCommand.Status.class, SweepCommand.Gather.class, SweepCommand.Worker.class},
        description = {"Parameter sweep over run, ground-state or fock: one run folder per point, a results table (results.csv, results.json, PNG).",
                "  hartree sweep FILE.toml --out DIR            (command, [base] and [[axes]] in the file; docs/sweep.md)",
                "  hartree sweep --param nu=1,2,5 --param dt=log:1e-3:1e-2:3 --out DIR run --grid 32 --time 0.5",
                "  hartree sweep --out DIR                      (rerun: finish the points of DIR that are not complete)",
                "  hartree sweep status DIR | hartree sweep gather DIR"})
final class SweepCommand implements Callable<Integer> {

    @Option(names = "--param", paramLabel = "KEY=VALUES", description = "An axis: KEY=V1,V2,... | KEY=lin:FROM:TO:COUNT | KEY=log:FROM:TO:COUNT (repeat for a product of axes).")
    List<String> params = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "The sweep folder (default runs/sweep-YYYYMMDD-HHMMSS); an existing sweep folder is resumed.")
    Path out;

    @Option(names = "--executor", paramLabel = "local|slurm", description = "local: a pool of worker processes on this machine (default); slurm: one sbatch job array and a dependent gather job.")
    String executor = "local";

    @Option(names = "--jobs", paramLabel = "N", description = "local: points run at once (default: from the cores and memory; each point gets cores/N threads).")
    Integer jobs;

    @Option(names = "--cpus-per-task", paramLabel = "N", description = "slurm: cores per point (default 1).")
    int cpusPerTask = 1;

    @Option(names = "--slurm-mem", paramLabel = "SIZE", description = "slurm: memory per point, e.g. 4G (default: from the memory plan of the largest point, at least 1G).")
    String slurmMem;

    @Option(names = "--slurm-time", paramLabel = "TIME", description = "slurm: time limit per point, e.g. 30, 2:00:00 or 1-00:00:00 (default: the partition's).")
    String slurmTime;

    @Option(names = "--partition", paramLabel = "NAME", description = "slurm: partition.")
    String partition;

    @Option(names = "--account", paramLabel = "NAME", description = "slurm: account.")
    String account;

    @Option(names = "--throttle", paramLabel = "N", description = "slurm: at most N points at once (the array's %%N; default: no limit).")
    Integer throttle;

    @Option(names = "--job-name", paramLabel = "NAME", description = "slurm: job name (letters, digits, . _ -; default hartree-sweep).")
    String jobName = "hartree-sweep";

    @Option(names = "--gather", paramLabel = "afterok|afterany|none", description = "slurm: when the gather job runs: afterok (all points succeeded, the default), afterany (whatever finished), none.")
    String gather = "afterok";

    @Option(names = "--no-submit", description = "slurm: write the scripts into DIR/slurm and print the sbatch commands without submitting.")
    boolean noSubmit;

    @Unmatched
    List<String> spec = new ArrayList<>();

    @Override
    public Integer call() {
        String exec = executor.trim().toLowerCase(Locale.ROOT);
        ParameterException.require(exec.equals("local") || exec.equals("slurm"), "--executor", executor, "local | slurm");
        if (jobs != null) ParameterException.require(jobs >= 1 && jobs <= 4096, "--jobs", jobs, "integer 1 … 4096");
        Path dir = out != null ? out : RunFolder.newDefault("sweep");
        SweepPlan existing = Files.isRegularFile(dir.resolve(SweepPlan.PLAN)) ? SweepPlan.load(dir) : null;
        SweepPlan plan;
        if (spec.isEmpty() && params.isEmpty()) {
            if (existing == null)
                throw new ParameterException("sweep", "nothing to sweep: give FILE.toml, or --param KEY=VALUES with COMMAND [OPTIONS], or --out of an existing sweep folder to finish it");
            plan = existing;
        } else plan = parse();
        SweepSlurm slurm = exec.equals("slurm") ? new SweepSlurm(this, dir, plan) : null;   // checks the Slurm options and the folder's name
        SweepPlan.Estimate est = plan.validate(slurm == null);
        if (existing != null) {
            if (!sameArgs(existing, plan))
                throw new ParameterException("--out", dir + " holds another sweep (its " + SweepPlan.PLAN + " has other points); allowed: a new folder, or the same sweep to finish it");
        } else {
            RunFolder.checkNew(dir, false);
        }
        try {
            Files.createDirectories(dir.resolve(POINTS));
            Files.createDirectories(dir.resolve(LOGS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        if (existing == null) plan.write(dir);
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < plan.points().size(); i++)
            if (!complete(pointDir(dir, plan.points().get(i)))) todo.add(i);
        System.out.printf(Locale.ROOT, "sweep: hartree %s over %s: %d points, %d complete (skipped), %d to run -> %s%n", plan.command(),
                String.join(" x ", plan.axes().stream().map(a -> String.join("+", a.keys()) + "(" + a.size() + ")").toList()),
                plan.points().size(), plan.points().size() - todo.size(), todo.size(), dir);
        // One sweep process per folder at a time: a second one would run the same points twice.
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(LOCK),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = ch.tryLock()) {
            if (lock == null) throw new ParameterException("--out", dir + " is in use by another hartree sweep (it holds " + dir.resolve(LOCK) + "); wait for it or stop it");
            if (slurm != null) return slurm.submit(todo, est);
            int failed = SweepLocal.run(dir, plan, todo, jobs, est);
            SweepTable.Result t = SweepTable.gather(dir, plan, null);
            System.out.println(t.line());
            return failed == 0 && t.done() == plan.points().size() ? 0 : Main.EXIT_FAILURE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir.resolve(LOCK) + ": " + e.getMessage(), e);
        }
    }

    /** The plan from a sweep file, or from COMMAND [OPTIONS] with --param axes. */
    private SweepPlan parse() {
        if (spec.isEmpty()) throw new ParameterException("sweep", "--param needs the base command: hartree sweep --param KEY=VALUES COMMAND [OPTIONS] (COMMAND: run | ground-state | fock)");
        String first = spec.getFirst();
        if (!SweepPlan.COMMANDS.contains(first)) {
            if (first.startsWith("-")) throw new ParameterException(first, "unknown option of hartree sweep (options of the base command go after it: COMMAND [OPTIONS])");
            if (spec.size() > 1) throw new ParameterException("sweep", "after the sweep file " + first + " only sweep options are allowed, not " + spec.get(1));
            return SweepPlan.read(Path.of(first), params);
        }
        CommandLine.Model.CommandSpec cs = SweepPlan.commandLine(first).getCommandSpec();
        Map<String, Object> base = new LinkedHashMap<>();
        for (int i = 1; i < spec.size(); i++) {
            String t = spec.get(i);
            if (!t.startsWith("--")) throw new ParameterException("sweep", "'" + t + "' is not an option of hartree " + first + " (options: --key value)");
            String k = t.substring(2), v = null;
            int eq = k.indexOf('=');
            if (eq >= 0) { v = k.substring(eq + 1); k = k.substring(0, eq); }
            CommandLine.Model.OptionSpec o = cs.findOption("--" + k);
            if (o != null && o.typeInfo().isBoolean() && v == null) base.put(k, Boolean.TRUE);
            else {
                if (v == null) {
                    if (i + 1 >= spec.size()) throw new ParameterException("--" + k, "needs a value");
                    v = spec.get(++i);
                }
                base.put(k, v);
            }
        }
        List<SweepPlan.Axis> axes = new ArrayList<>();
        for (String p : params) axes.add(SweepPlan.param(p));
        return SweepPlan.of(first, base, axes);
    }

    private static boolean sameArgs(SweepPlan a, SweepPlan b) {
        if (!a.command().equals(b.command()) || a.points().size() != b.points().size()) return false;
        for (int i = 0; i < a.points().size(); i++)
            if (!a.points().get(i).args().equals(b.points().get(i).args())) return false;
        return true;
    }

    static final String POINTS = "points";
    static final String LOGS = "logs";
    /** Held (FileChannel.tryLock) while a sweep process runs or submits the folder's points. */
    static final String LOCK = ".sweep.lock";

    static Path pointDir(Path dir, SweepPlan.Point p) { return dir.resolve(POINTS).resolve(p.name()); }

    static Path log(Path dir, SweepPlan.Point p) { return dir.resolve(LOGS).resolve(p.name() + ".log"); }

    static Path exitFile(Path dir, SweepPlan.Point p) { return dir.resolve(LOGS).resolve(p.name() + ".exit"); }

    /** The same check as {@code hartree run --resume}: a run folder is complete when it has summary.json. */
    static boolean complete(Path point) {
        return Files.isRegularFile(point.resolve(RunFolder.SUMMARY));
    }

    /** An interrupted {@code hartree run}: a checkpoint and no summary (what --resume continues). */
    static boolean resumable(Path point) {
        return Files.isRegularFile(point.resolve(RunFolder.CHECKPOINT_JSON)) && !complete(point);
    }

    /**
     * The command that starts a worker JVM like this one: the same java, the same JVM options
     * (and the hartree.* system properties set at run time), the same class path, and a processor
     * count of {@code threads}, so that "all cores" in the point means its share.
     */
    static List<String> javaCommand(int threads) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> in = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String a : in)
            if (!a.startsWith("-XX:ActiveProcessorCount") && !a.startsWith("-agentlib:jdwp") && !a.startsWith("-Djava.class.path")) cmd.add(a);
        for (String k : System.getProperties().stringPropertyNames())
            if (k.startsWith("hartree.") && in.stream().noneMatch(a -> a.startsWith("-D" + k + "=")))
                cmd.add("-D" + k + "=" + System.getProperty(k));
        cmd.add("-XX:ActiveProcessorCount=" + threads);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        return cmd;
    }

    /** {@code hartree sweep worker DIR INDEX}: runs one point (what each executor starts; not for users). */
    @Command(name = "worker", hidden = true, description = "Run point INDEX of the sweep in DIR (started by the executors).")
    static final class Worker implements Callable<Integer> {
        @Parameters(index = "0") Path dir;
        @Parameters(index = "1") int index;
        @Option(names = "--threads") int threads;
        @Option(names = "--log", description = "append this process's output to DIR/logs/POINT.log") boolean log;

        @Override
        public Integer call() {
            SweepPlan plan = SweepPlan.load(dir);
            ParameterException.require(index >= 0 && index < plan.points().size(), "INDEX", index, "0 … " + (plan.points().size() - 1));
            SweepPlan.Point p = plan.points().get(index);
            try {
                return SweepLocal.logged(log(dir, p), log, () -> {
                    int code = runPoint(dir, plan, p, threads);
                    AtomicFiles.writeString(exitFile(dir, p), code + "\n");
                    return code;
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Runs one point in this JVM: nothing for a complete folder, {@code run --resume} for an
     * interrupted run, else the point's command line into its folder (--force over what a killed
     * earlier attempt left). {@code threads} &gt; 0 is passed as --threads unless the point sets it.
     */
    static int runPoint(Path dir, SweepPlan plan, SweepPlan.Point p, int threads) {
        Path folder = pointDir(dir, p);
        if (complete(folder)) {
            System.out.println("sweep: " + p.name() + " is complete; skipped");
            return 0;
        }
        boolean threadOption = !plan.command().equals("fock") && threads > 0 && !p.args().contains("--threads");
        List<String> args = new ArrayList<>();
        if (plan.command().equals(RunConfig.RUN) && resumable(folder)) {
            args.addAll(List.of(RunConfig.RUN, "--resume", folder.toString()));
        } else {
            args.add(plan.command());
            args.addAll(p.args());
            args.addAll(List.of("--out", folder.toString()));
            if (Files.exists(folder)) args.add("--force");
        }
        if (threadOption) args.addAll(List.of("--threads", String.valueOf(threads)));
        System.out.println("sweep: " + p.name() + " " + SweepPlan.describe(p.params()) + ": hartree " + String.join(" ", args));
        System.out.flush();
        return Main.execute(args.toArray(String[]::new));
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Points done, running, failed and pending of the sweep in DIR (from its run folders, and from squeue where Slurm is there).")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR") Path dir;

        @Override
        public Integer call() {
            SweepPlan plan = SweepPlan.load(dir);
            List<SweepPlan.Point> ps = plan.points();
            return SweepTable.printStatus(dir, "sweep " + dir, ps.size(), k -> ps.get(k).name(), k -> SweepTable.state(dir, ps.get(k)),
                    k -> SweepPlan.describe(ps.get(k).params()), 12);
        }
    }

    @Command(name = "gather", mixinStandardHelpOptions = true, description = "Build DIR/results.csv, results.json and a PNG of the main observable against each swept axis.")
    static final class Gather implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR") Path dir;

        @Option(names = "--observable", paramLabel = "KEY", description = "The summary.json key plotted (default: energy_final for run and fock, energy for ground-state).")
        String observable;

        @Override
        public Integer call() {
            SweepPlan plan = SweepPlan.load(dir);
            SweepTable.Result t = SweepTable.gather(dir, plan, observable);
            System.out.println(t.line());
            return 0;
        }
    }
}
