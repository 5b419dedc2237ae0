package io.hartree.cli;

import io.hartree.api.ParameterException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The files of a run folder (DESIGN.md §6) and the checks made before one is created. */
final class RunFolder {
    private RunFolder() {}

    static final String CONFIG = "config.toml";
    static final String SUMMARY = "summary.json";
    static final String OBSERVABLES = "observables.csv";
    static final String PSI_FINAL = "psi_final.npy";
    static final String CHECKPOINT_NPY = "checkpoint.npy";
    static final String CHECKPOINT_JSON = "checkpoint.json";

    /** Every file a run may write; {@code --force} deletes these and nothing else. */
    static List<String> resultFiles() {
        List<String> all = new ArrayList<>(List.of(CONFIG, SUMMARY, OBSERVABLES, PSI_FINAL, CHECKPOINT_NPY, CHECKPOINT_JSON));
        all.addAll(Plots.allFiles());
        all.addAll(Snapshots.FILES);
        return all;
    }

    /** runs/&lt;prefix&gt;-YYYYMMDD-HHMMSS (local time), with -2, -3, … if that exists already. */
    static Path newDefault(String prefix) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = Path.of("runs", prefix + "-" + stamp);
        Path p = base;
        for (int i = 2; Files.exists(p); i++) p = Path.of(base + "-" + i);
        return p;
    }

    /** Throws unless {@code dir} can become a new run folder (absent or empty, or {@code force}). */
    static void checkNew(Path dir, boolean force) {
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new ParameterException("--out", dir + " is a file; allowed: a folder path");
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing))
            throw new ParameterException("--out", dir + " cannot be created: " + existing + " is not a writable folder");
        if (force || !Files.exists(dir)) return;
        try (var s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                // Only an interrupted `hartree run` (a checkpoint and no summary yet) can be resumed.
                boolean resumable = Files.isRegularFile(dir.resolve(CHECKPOINT_JSON)) && !Files.exists(dir.resolve(SUMMARY));
                throw new ParameterException("--out", dir + " exists; allowed: a new folder, or --force to overwrite its results"
                        + (resumable ? ", or hartree run --resume " + dir + " to continue the interrupted run" : ""));
            }
        } catch (IOException e) {
            throw new ParameterException("--out", dir + " cannot be read: " + e.getMessage());
        }
    }

    /** Creates the folder and, under --force, deletes the results of an earlier run in it. */
    static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            // Bad input, not a crash: a folder the user named that this process cannot create (/proc, a read-only mount, ...).
            String why = e.getMessage() == null || e.getMessage().equals(dir.toString()) ? e.getClass().getSimpleName() : e.getMessage();
            throw new ParameterException("--out", dir + " cannot be created (" + why + "); allowed: a folder path where this user can write");
        }
        try {
            for (String f : resultFiles()) Files.deleteIfExists(dir.resolve(f));
            Snapshots.clean(dir);
            deleteStaleTemporaries(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the temporary files ".NAME.*.tmp" that an atomic write leaves behind when the process
     * is killed during the write (they are never the result files themselves).
     */
    static void deleteStaleTemporaries(Path dir) {
        List<String> results = resultFiles();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp") && results.stream().anyMatch(f -> name.startsWith("." + f + ".")))
                    Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteCheckpoint(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(CHECKPOINT_JSON));
            Files.deleteIfExists(dir.resolve(CHECKPOINT_NPY));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }
}
