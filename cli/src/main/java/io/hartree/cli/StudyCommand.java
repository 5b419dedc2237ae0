package io.hartree.cli;

import io.hartree.api.ParameterException;
import io.hartree.api.model.TrapSpec;
import io.hartree.cli.study.Studies;
import io.hartree.cli.study.Study;
import io.hartree.cli.study.StudyContext;
import io.hartree.cli.study.StudyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code hartree study NAME [--full] [--out DIR] [--trap SPEC]}: runs one of the paper's statements as a study
 * and writes report.md, CSV and PNG plots into DIR (default {@code study-NAME}). Exit code 0 when
 * the verdict is PASS, 1 when FAIL.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = {"Reproduce a statement of Lee & Michelangeli: writes report.md (statement, table, fitted slope, verdict), CSV and log-log PNG plots.",
                "Use 'hartree study list' for the studies."})
final class StudyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "the study, or 'list'")
    String name;

    @Option(names = "--full", description = "workstation size instead of the laptop default (< 5 min on 2 cores)")
    boolean full;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: study-NAME)")
    Path out;

    @Option(names = "--force", description = "write into --out even if it exists and is not empty (files of the same name are replaced)")
    boolean force;

    @Option(names = "--backend", paramLabel = "NAME", description = "auto | cpu | cuda for the Fock-space evolutions (default: auto, or HARTREE_BACKEND)")
    String backend;

    @Option(names = "--trap", paramLabel = "SPEC", description = "The trap of a study that accepts one (see docs/hartree.md): " + TrapSpec.ALLOWED
            + ". Default: paper (h_nu). Refused for the studies that do not take it.")
    String trap;

    @Option(names = "--executor", paramLabel = "local|slurm", description = "Run the study's points as a sweep (docs/sweep.md, 'Studies as sweeps'): local (a pool of worker processes) or slurm (a job array and a dependent assembly job). "
            + "A rerun into the same --out skips the finished points. Only for the sweepable studies (hartree study list marks them).")
    String executor;

    @Option(names = "--jobs", paramLabel = "N", description = "with --executor local: points at once (default: from the cores and memory).")
    Integer jobs;

    /** The Slurm options of hartree sweep (same names, same checks), for --executor slurm. */
    @picocli.CommandLine.ArgGroup(exclusive = false, heading = "Slurm (--executor slurm), as in hartree sweep:%n")
    SlurmOptions slurm;

    static final class SlurmOptions {
        @Option(names = "--cpus-per-task", paramLabel = "N") int cpusPerTask = 1;
        @Option(names = "--slurm-mem", paramLabel = "SIZE") String slurmMem;
        @Option(names = "--slurm-time", paramLabel = "TIME") String slurmTime;
        @Option(names = "--partition", paramLabel = "NAME") String partition;
        @Option(names = "--account", paramLabel = "NAME") String account;
        @Option(names = "--throttle", paramLabel = "N") Integer throttle;
        @Option(names = "--job-name", paramLabel = "NAME") String jobName = "hartree-study";
        @Option(names = "--gather", paramLabel = "afterok|afterany|none") String gather = "afterok";
        @Option(names = "--no-submit") boolean noSubmit;
    }

    /** The Slurm options as a SweepCommand's, for {@link SweepSlurm}'s checks and scripts. */
    SweepCommand slurmOptions() {
        SlurmOptions so = slurm != null ? slurm : new SlurmOptions();
        SweepCommand c = new SweepCommand();
        c.cpusPerTask = so.cpusPerTask;
        c.slurmMem = so.slurmMem;
        c.slurmTime = so.slurmTime;
        c.partition = so.partition;
        c.account = so.account;
        c.throttle = so.throttle;
        c.jobName = so.jobName;
        c.gather = so.gather;
        c.noSubmit = so.noSubmit;
        c.jobs = jobs;
        return c;
    }

    @Override
    public Integer call() {
        if (name.equals("list")) {
            for (Study s : Studies.all()) System.out.printf("%-16s %s%s%n", s.name(), s.summary(), s instanceof io.hartree.cli.study.PointedStudy ? " [sweepable]" : "");
            return 0;
        }
        Study s = Studies.byName(name);
        if (s == null)
            throw new ParameterException("NAME", name, Studies.all().stream().map(Study::name).collect(Collectors.joining(", ")) + ", list");
        TrapSpec trapSpec = trap(s);
        Path dir = out != null ? out : Path.of("study-" + name);
        if (executor == null) {
            if (jobs != null) throw new ParameterException("--jobs", "only with --executor local");
            if (slurm != null) throw new ParameterException("--executor", "the Slurm options need --executor slurm");
        } else {
            if (!(s instanceof io.hartree.cli.study.PointedStudy ps))
                throw new ParameterException("--executor", executor, "no --executor for study '" + s.name() + "', which is not sweepable; the sweepable studies: " + StudySweep.sweepable());
            if (trap != null) throw new ParameterException("--trap", trap, "no --trap with --executor: a study sweep runs the paper's h_nu");
            if (slurm != null && !executor.trim().equalsIgnoreCase("slurm")) throw new ParameterException("--executor", executor, "slurm (the Slurm options were given)");
            return StudySweep.run(this, ps, dir);
        }
        RunFolder.checkNew(dir, force);
        long t0 = System.nanoTime();
        StudyResult r;
        try (StudyContext ctx = new StudyContext(full, dir, System.err, backend, trapSpec)) {
            r = s.run(ctx);
        }
        System.out.printf("study %s: %s (%.1f s) -> %s%n", r.name(), r.verdict(), (System.nanoTime() - t0) / 1e9, dir.resolve("report.md"));
        for (String reason : r.reasons()) System.out.println("  " + reason);
        return r.pass() ? 0 : Main.EXIT_FAILURE;
    }

    /** --trap parsed (a table's file made absolute), or refused for a study that does not take it; the paper's h_ν when not given. */
    private TrapSpec trap(Study s) {
        if (trap == null) return new TrapSpec.Paper();
        if (!s.supportsTrap()) {
            String accepting = Studies.all().stream().filter(Study::supportsTrap).map(Study::name).collect(Collectors.joining(", "));
            throw new ParameterException("--trap", trap, "no --trap for study '" + s.name() + "', which runs the paper's h_nu; the studies that accept --trap: "
                    + (accepting.isEmpty() ? "none yet" : accepting));
        }
        String t = trap.trim();
        if (t.toLowerCase(java.util.Locale.ROOT).startsWith("table:") && t.length() > 6)
            t = "table:" + Path.of(t.substring(6).trim()).toAbsolutePath().normalize();
        return TrapSpec.parse(t);
    }
}
