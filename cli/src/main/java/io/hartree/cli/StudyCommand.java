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

    @Override
    public Integer call() {
        if (name.equals("list")) {
            for (Study s : Studies.all()) System.out.printf("%-16s %s%n", s.name(), s.summary());
            return 0;
        }
        Study s = Studies.byName(name);
        if (s == null)
            throw new ParameterException("NAME", name, Studies.all().stream().map(Study::name).collect(Collectors.joining(", ")) + ", list");
        TrapSpec trapSpec = trap(s);
        Path dir = out != null ? out : Path.of("study-" + name);
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
