package io.hartree.cli;

import io.hartree.api.BackendException;
import io.hartree.api.ParameterException;
import io.hartree.api.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Slurm executor: DIR/slurm/array.sh (one array task per point to run, {@code %} throttle,
 * per-task cores, memory, time, partition, account, {@code --gres=gpu:1} for cuda) and
 * DIR/slurm/gather.sh (a job dependent on the array: afterok or afterany), submitted with
 * {@code sbatch --parsable}. Each task runs {@code hartree sweep worker DIR $SLURM_ARRAY_TASK_ID},
 * which reads the point's arguments from sweep.json: no parameter value is ever in a script. The
 * values that are (the Slurm options, the folder, the java command) are checked against strict
 * patterns or single-quoted.
 */
final class SweepSlurm {
    static final String SLURM = "slurm";
    static final String JOBS = "jobs.txt";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern LIST = Pattern.compile("[A-Za-z0-9._,-]{1,128}");
    private static final Pattern TIME = Pattern.compile("([0-9]+-)?[0-9]+(:[0-9]+){0,2}");
    private static final Pattern MEM = Pattern.compile("[0-9]+[KMGT]?");
    /** Characters allowed in the sweep folder's absolute path (it goes into #SBATCH lines and sbatch's --output). */
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._/+=@-]+");

    private final SweepCommand o;
    private final Path dir;
    private final SweepPlan plan;
    private final String gather;
    /** What each array task and the gather job run after {@code java … Main} (then DIR and, for a task, its index). */
    private final List<String> workerWords, gatherWords;
    private final String planFile;

    /** Checks every Slurm option and the folder before anything is written (exit 2 naming the option). */
    SweepSlurm(SweepCommand o, Path dir, SweepPlan plan) {
        this(o, dir, plan, List.of("sweep", "worker"), List.of("sweep", "gather"), SweepPlan.PLAN);
    }

    /** As above for another kind of points ({@link StudySweep}): tasks run {@code WORKER DIR INDEX}, the gather job {@code GATHER DIR}. */
    SweepSlurm(SweepCommand o, Path dir, SweepPlan plan, List<String> workerWords, List<String> gatherWords, String planFile) {
        this.o = o;
        this.workerWords = workerWords;
        this.gatherWords = gatherWords;
        this.planFile = planFile;
        this.dir = dir.toAbsolutePath().normalize();
        this.plan = plan;
        ParameterException.require(NAME.matcher(o.jobName).matches(), "--job-name", o.jobName, "1 … 64 letters, digits, '.', '_', '-'");
        if (o.partition != null) ParameterException.require(LIST.matcher(o.partition).matches(), "--partition", o.partition, "letters, digits, '.', '_', '-', ','");
        if (o.account != null) ParameterException.require(NAME.matcher(o.account).matches(), "--account", o.account, "letters, digits, '.', '_', '-'");
        if (o.slurmTime != null) ParameterException.require(TIME.matcher(o.slurmTime).matches(), "--slurm-time", o.slurmTime, "MINUTES | H:MM:SS | D-HH:MM:SS");
        if (o.slurmMem != null) ParameterException.require(MEM.matcher(o.slurmMem).matches(), "--slurm-mem", o.slurmMem, "an integer with K, M, G or T (e.g. 4G)");
        ParameterException.require(o.cpusPerTask >= 1 && o.cpusPerTask <= 4096, "--cpus-per-task", o.cpusPerTask, "integer 1 … 4096");
        if (o.throttle != null) ParameterException.require(o.throttle >= 1, "--throttle", o.throttle, "integer >= 1");
        gather = o.gather.trim().toLowerCase(Locale.ROOT);
        ParameterException.require(List.of("afterok", "afterany", "none").contains(gather), "--gather", o.gather, "afterok | afterany | none");
        ParameterException.require(PATH.matcher(this.dir.toString()).matches(), "--out", this.dir,
                "with --executor slurm, a folder path of letters, digits and . _ / + = @ - only (it is written into the sbatch scripts)");
        if (o.jobs != null) throw new ParameterException("--jobs", "only with --executor local (Slurm: --throttle)");
    }

    /** Writes the scripts and submits them (unless --no-submit); prints the job ids. */
    int submit(List<Integer> todo, SweepPlan.Estimate est) {
        if (todo.isEmpty()) {
            System.out.println("sweep: every point is complete; nothing submitted (table: hartree sweep gather " + dir + ")");
            if (plan != null) System.out.println(SweepTable.gather(dir, plan, null).line());
            return 0;
        }
        Path sd = dir.resolve(SLURM);
        // A rerun while the sweep's jobs are still queued or running would run their points twice.
        queued(dir).ifPresent(q -> {
            throw new ParameterException("--out", "the Slurm jobs of " + dir + " are still in the queue (" + q + "); wait for them or scancel them, then rerun");
        });
        String mem = o.slurmMem != null ? o.slurmMem : Math.max(1024, (est.bytesPerPoint() + (1 << 20) - 1) >> 20) + "M";
        String array = todo.stream().map(String::valueOf).collect(Collectors.joining(",")) + (o.throttle != null ? "%" + o.throttle : "");
        List<String> java = SweepCommand.javaCommand(o.cpusPerTask);
        StringBuilder a = new StringBuilder("#!/bin/bash\n");
        a.append("#SBATCH --job-name=").append(o.jobName).append('\n');
        a.append("#SBATCH --array=").append(array).append('\n');
        a.append("#SBATCH --cpus-per-task=").append(o.cpusPerTask).append('\n');
        a.append("#SBATCH --mem=").append(mem).append('\n');
        if (o.slurmTime != null) a.append("#SBATCH --time=").append(o.slurmTime).append('\n');
        if (o.partition != null) a.append("#SBATCH --partition=").append(o.partition).append('\n');
        if (o.account != null) a.append("#SBATCH --account=").append(o.account).append('\n');
        if (est.cuda()) a.append("#SBATCH --gres=gpu:1\n");
        a.append("#SBATCH --output=").append(dir.resolve(SweepCommand.LOGS)).append("/slurm-%A_%a.out\n");
        a.append("# hartree sweep: one array task per point; the worker reads point $SLURM_ARRAY_TASK_ID's arguments from\n");
        a.append("# ").append(dir.resolve(planFile)).append(" (no parameter value appears in this script).\n");
        a.append("export OMP_NUM_THREADS=").append(o.cpusPerTask).append(" OPENBLAS_NUM_THREADS=").append(o.cpusPerTask).append('\n');
        a.append("exec ").append(quoteAll(java)).append(' ').append(String.join(" ", workerWords)).append(' ').append(quote(dir.toString()))
                .append(" \"$SLURM_ARRAY_TASK_ID\" --threads ").append(o.cpusPerTask).append(" --log\n");
        StringBuilder g = new StringBuilder("#!/bin/bash\n");
        g.append("#SBATCH --job-name=").append(o.jobName).append("-gather\n");
        g.append("#SBATCH --cpus-per-task=1\n#SBATCH --mem=1024M\n");
        if (o.partition != null) g.append("#SBATCH --partition=").append(o.partition).append('\n');
        if (o.account != null) g.append("#SBATCH --account=").append(o.account).append('\n');
        g.append("#SBATCH --output=").append(dir.resolve(SweepCommand.LOGS)).append("/gather-%j.out\n");
        g.append("exec ").append(quoteAll(SweepCommand.javaCommand(1))).append(' ').append(String.join(" ", gatherWords)).append(' ').append(quote(dir.toString())).append('\n');
        try {
            Files.createDirectories(sd);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path arrayScript = sd.resolve("array.sh"), gatherScript = sd.resolve("gather.sh");
        AtomicFiles.writeString(arrayScript, a.toString());
        AtomicFiles.writeString(gatherScript, g.toString());
        String cwd = Path.of("").toAbsolutePath().toString();
        List<String> sub = List.of(sbatch(), "--parsable", "--chdir=" + cwd, arrayScript.toString());
        if (o.noSubmit) {
            System.out.println("sweep: scripts written (not submitted): " + arrayScript + ", " + gatherScript);
            System.out.println("  submit: " + quoteAll(sub));
            if (!gather.equals("none"))
                System.out.println("  then:   " + sbatch() + " --parsable --dependency=" + gather + ":ARRAY_JOB_ID --kill-on-invalid-dep=yes "
                        + quote("--chdir=" + cwd) + " " + quote(gatherScript.toString()));
            return 0;
        }
        String arrayId = run(sub);
        String gatherId = null;
        if (!gather.equals("none"))
            // afterok never fires after a failed point: --kill-on-invalid-dep removes the gather job then, instead of leaving it pending.
            gatherId = run(List.of(sbatch(), "--parsable", "--dependency=" + gather + ":" + arrayId, "--kill-on-invalid-dep=yes", "--chdir=" + cwd,
                    gatherScript.toString()));
        AtomicFiles.writeString(sd.resolve(JOBS), "array " + arrayId + "\n" + (gatherId != null ? "gather " + gatherId + "\n" : ""));
        System.out.println("sweep: submitted array job " + arrayId + " (" + todo.size() + " tasks, " + array + ")"
                + (gatherId != null ? ", gather job " + gatherId + " (" + gather + ")" : ""));
        System.out.println("  status: hartree " + workerWords.getFirst() + " status " + dir);
        return 0;
    }

    /** $HARTREE_SBATCH, else sbatch from the PATH. */
    static String sbatch() {
        String s = System.getenv("HARTREE_SBATCH");
        return s != null && !s.isBlank() ? s : "sbatch";
    }

    /** Runs a Slurm client command (argv, no shell); its first output field (the job id of --parsable). */
    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new BackendException("Slurm: " + String.join(" ", cmd) + " failed: " + outText);
            String last = outText.lines().reduce((x, y) -> y).orElse("");
            String id = last.split(";")[0].trim();
            if (!id.matches("[0-9_]+")) throw new BackendException("Slurm: " + String.join(" ", cmd) + " printed no job id: " + outText);
            return id;
        } catch (IOException e) {
            throw new BackendException("Slurm: cannot run " + cmd.getFirst() + " (is Slurm installed and on the PATH?): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Slurm: interrupted");
        }
    }

    /** The job ids of slurm/jobs.txt ("ROLE ID" per line), in order. */
    private static List<String> jobIds(Path dir) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve(SLURM).resolve(JOBS))) {
            String[] f = l.trim().split(" ");
            if (f.length == 2) ids.add(f[1]);
        }
        return ids;
    }

    /** The queue's view of the sweep's jobs (squeue), where it has been submitted and squeue is there. */
    static Optional<String> queueStatus(Path dir) {
        if (!Files.isRegularFile(dir.resolve(SLURM).resolve(JOBS))) return Optional.empty();
        try {
            List<String> ids = jobIds(dir);
            Process p = new ProcessBuilder("squeue", "-h", "-r", "-j", String.join(",", ids), "-o", "%i %j %T %R").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return Optional.of("squeue: " + text);
            return Optional.of("slurm jobs " + String.join(", ", ids) + (text.isEmpty() ? ": none in the queue (finished)" : ":\n" + text));
        } catch (IOException e) {
            return Optional.of("squeue not available: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The sweep's jobs that squeue still lists (ids), where it was submitted before and squeue answers. */
    static Optional<String> queued(Path dir) {
        if (!Files.isRegularFile(dir.resolve(SLURM).resolve(JOBS))) return Optional.empty();
        try {
            List<String> ids = new ArrayList<>(jobIds(dir));
            ids.removeIf(id -> !id.matches("[0-9_]+"));
            if (ids.isEmpty()) return Optional.empty();
            Process p = new ProcessBuilder("squeue", "-h", "-j", String.join(",", ids), "-o", "%i").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || text.isEmpty()) return Optional.empty();
            return Optional.of(String.join(", ", text.lines().toList()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** One word for bash: single-quoted, a single quote written '\''. */
    static String quote(String s) {
        if (s.indexOf('\0') >= 0) throw new ParameterException("sweep", "a NUL character cannot be passed to a script");
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String quoteAll(List<String> words) {
        return words.stream().map(SweepSlurm::quote).collect(Collectors.joining(" "));
    }
}
