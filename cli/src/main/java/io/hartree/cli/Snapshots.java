package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hartree.api.ParameterException;
import io.hartree.api.model.Grid3D;
import io.hartree.cli.fields.ColumnDensity;
import io.hartree.cli.fields.FieldPlots;
import io.hartree.cli.fields.FieldSeries;
import io.hartree.cli.fields.FieldsFile;
import io.hartree.cli.fields.Xdmf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code --snapshot-every T}: the state every k = T/dt steps (and at the end) into fields.h5, the
 * sidecar fields.xdmf rewritten after each, and the column densities of each snapshot as
 * snapshots/column_NNNNNN.png. Also the end-of-run figures that every run draws
 * ({@link #finalFigures}). See docs/fields.md.
 */
final class Snapshots implements AutoCloseable {
    /** Files of the run folder this class writes (for --force; the snapshots/ folder is cleaned by {@link #clean}). */
    static final List<String> FILES = List.of(FieldsFile.NAME, Xdmf.NAME, FieldPlots.COLUMNS_FILE, FieldPlots.SLICES_FILE, FieldPlots.STRIP_FILE,
            FieldPlots.ANIMATION_FILE);

    private final Path dir;
    private final Grid3D grid;
    private final long every;
    private final FieldSeries series;
    private final String title;
    private final List<String> warnings = new ArrayList<>();
    /**
     * The background writer (null: written on the caller's thread): one daemon thread, at most one
     * snapshot in flight. {@link #take} copies ψ into {@link #copy} and returns; the next take, and
     * everything that reads the series, first waits for the write in flight and rethrows its failure.
     */
    private final ExecutorService writer;
    private Future<?> inFlight;
    /** The failure of a background write, once seen: thrown again by every later call (the series takes no more snapshots). */
    private UncheckedIOException failure;
    private MemorySegment copy;
    private final Arena arena;
    /** Seconds the background thread spent writing (column densities, fields.h5, fields.xdmf, PNG). */
    private double writeSeconds;

    /** System property that makes snapshots be written on the stepping thread (scripts/snapshot-overhead.sh). */
    static final String SYNC_PROPERTY = "hartree.snapshots.sync";

    /**
     * Largest copy of ψ the background writer holds (2 GiB: n ≤ 512); a larger grid is written on
     * the stepping thread, as a second copy of the state might not fit the machine's memory.
     */
    static final long BACKGROUND_MAX_BYTES = 1L << 31;

    private Snapshots(Path dir, Grid3D grid, long every, FieldSeries series, String title) {
        this(dir, grid, every, series, title, !Boolean.getBoolean(SYNC_PROPERTY) && 2 * grid.points() * Double.BYTES <= BACKGROUND_MAX_BYTES);
    }

    Snapshots(Path dir, Grid3D grid, long every, FieldSeries series, String title, boolean background) {
        this.dir = dir;
        this.grid = grid;
        this.every = every;
        this.series = series;
        this.title = title;
        this.writer = background ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "snapshot-writer");
            t.setDaemon(true);
            return t;
        }) : null;
        this.arena = background ? Arena.ofShared() : null;
    }

    /** As the private constructor, for tests: {@code series} open, the background path or not. */
    static Snapshots of(Path dir, Grid3D grid, long every, FieldSeries series, String title, boolean background) {
        return new Snapshots(dir, grid, every, series, title, background);
    }

    /**
     * The interval in steps of {@code --snapshot-every T} for {@code c}, checked before anything is
     * written: T a positive multiple of dt; for ground-state also of observe_every·dτ, since the
     * solver hands the state over only at its observations.
     */
    static long steps(double every, RunConfig c) {
        long k = FieldsFile.everySteps(every, c.dt());
        if (RunConfig.GROUND_STATE.equals(c.command()) && k % c.observeEvery() != 0)
            throw new ParameterException("--snapshot-every", every, String.format(Locale.ROOT,
                    "for ground-state a multiple of observe_every*dtau = %d*%s = %s (the solver stops only at its observations)",
                    c.observeEvery(), c.dt(), c.observeEvery() * c.dt()));
        FieldsFile.requireLibrary();
        return k;
    }

    /** Creates fields.h5 in {@code dir} with the run's parameters as attributes. */
    static Snapshots start(Path dir, RunConfig c, double everyTime, long everySteps, String title) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("format", FieldsFile.FORMAT);
        a.put("axes", "z y x");
        a.put("layout", "snapshots/NNNNNN/{re,im,density}: float64 (n,n,n) [z][y][x]; column_z [y][x], column_y [z][x], column_x [z][y]; "
                + "time, step: one entry per snapshot; x, y, z: coordinates");
        a.put("n", (long) c.grid());
        a.put("box", c.box());
        a.put("dx", c.gridModel().dx());
        a.put("dt", c.dt());
        a.put("time_kind", RunConfig.GROUND_STATE.equals(c.command()) ? "imaginary time tau" : "real time t");
        a.put("units", "hbar = 1; lengths in the run's unit (box = L), as config.toml");
        a.put("snapshot_every", everyTime);
        a.put("snapshot_every_steps", everySteps);
        String toml = c.toToml();
        a.put("config_toml", toml);
        try {
            // Each key of config.toml also as its own attribute, typed: config_grid = 64 (int64), config_dt = 0.001, ...
            for (var it = RunConfig.MAPPER.readTree(toml).properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                JsonNode v = e.getValue();
                a.put("config_" + e.getKey(), v.isIntegralNumber() ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble() : v.asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Snapshots(dir, c.gridModel(), everySteps, FieldsFile.create(dir.resolve(FieldsFile.NAME), c.gridModel(), a), title);
    }

    /**
     * The snapshots of an interrupted run in {@code dir}, continued from its checkpoint at
     * {@code checkpointStep}; null when the run was started without --snapshot-every.
     */
    static Snapshots resume(Path dir, RunConfig c, long checkpointStep, String title) {
        Path file = dir.resolve(FieldsFile.NAME);
        if (!Files.exists(file)) return null;
        FieldsFile.Contents contents;
        try {
            contents = FieldsFile.read(file);
        } catch (RuntimeException e) {
            throw new ParameterException("--resume", file + " cannot be read: " + e.getMessage());
        }
        Object k = contents.attributes().get("snapshot_every_steps");
        Object n = contents.attributes().get("n");
        if (!(k instanceof Long every) || every < 1 || !(n instanceof Long nn) || nn != c.grid())
            throw new ParameterException("--resume", file + " does not belong to this run (snapshot_every_steps " + k + ", n " + n + ")");
        FieldSeries s = FieldsFile.resume(file, c.gridModel(), checkpointStep);
        Snapshots snaps = new Snapshots(dir, c.gridModel(), every, s, title);
        Xdmf.write(dir, c.gridModel(), s.times());
        return snaps;
    }

    long every() { return every; }

    /** The next snapshot step after {@code step}. */
    long nextAfter(long step) { return (step / every + 1) * every; }

    boolean due(long step) { return step % every == 0; }

    /** Whether the last snapshot taken is at {@code step}. */
    boolean has(long step) {
        drain();
        List<Long> s = series.steps();
        return !s.isEmpty() && s.getLast() == step;
    }

    /**
     * Appends ψ (2n³ doubles, the engine's order) at (step, time); rewrites fields.xdmf; draws its
     * column densities. On the background path ψ is copied (the caller may change it at once) and
     * written while the caller goes on; a failure of the previous snapshot's write is thrown here.
     */
    void take(long step, double time, MemorySegment psi) {
        if (failure != null) throw failure;
        if (writer == null) {
            write(step, time, psi);
            return;
        }
        drain();
        if (copy == null) copy = arena.allocate(psi.byteSize(), 64);
        MemorySegment.copy(psi, 0, copy, 0, psi.byteSize());
        MemorySegment held = copy;
        inFlight = writer.submit(() -> {
            long t0 = System.nanoTime();
            write(step, time, held);
            writeSeconds += (System.nanoTime() - t0) * 1e-9;
        });
    }

    /**
     * Waits for the snapshot in flight (if any) to be written and flushed; rethrows its failure as
     * an {@link UncheckedIOException} naming fields.h5. Called before a checkpoint, so that the
     * snapshots up to the checkpoint's step are on disk before it (--resume keeps exactly those).
     */
    void drain() {
        if (failure != null) throw failure;
        Future<?> f = inFlight;
        if (f == null) return;
        inFlight = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a snapshot to be written to " + dir.resolve(FieldsFile.NAME), e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            String message = "writing a snapshot to " + dir.resolve(FieldsFile.NAME) + " failed: " + c.getMessage()
                    + " (the snapshots before it are intact)";
            failure = new UncheckedIOException(message, new IOException(message, c));
            throw failure;
        }
    }

    /** Seconds the background writer spent (0 on the synchronous path, whose time the caller measures). */
    double writeSeconds() {
        drain();
        return writeSeconds;
    }

    private void write(long step, double time, MemorySegment psi) {
        ColumnDensity c = ColumnDensity.of(grid, psi);
        series.append(step, time, psi, c);
        Xdmf.write(dir, grid, series.times());
        int index = series.steps().size() - 1;
        Plots.bestEffort("snapshot " + index, () -> FieldPlots.columns(dir.resolve(FieldPlots.snapshotFile(index)), grid, c, title,
                        String.format(Locale.ROOT, "snapshot %d: step %d, t = %.6g; column densities", index, step, time)))
                .ifPresent(w -> { if (warnings.isEmpty()) warnings.add(w); });
    }

    int count() {
        drain();
        return series.steps().size();
    }

    /** Warnings of figures not drawn (the first only). */
    List<String> warnings() {
        drain();
        return List.copyOf(warnings);
    }

    /** The summary.json entry: file, count, interval. */
    Map<String, Object> summary(double everyTime) {
        drain();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", FieldsFile.NAME);
        m.put("xdmf", Xdmf.NAME);
        m.put("count", count());
        m.put("every", everyTime);
        m.put("every_steps", every);
        m.put("steps", series.steps());
        m.put("written_in_background", writer != null);
        m.put("write_seconds", writeSeconds);
        return m;
    }

    /** Draws column_density_strip.png and column_density.gif from the column densities stored in fields.h5 (so a resumed run has them all). */
    void strip(String subtitle) {
        drain();
        List<Double> times = series.times();
        List<double[]> frames = new ArrayList<>();
        List<Double> shown = new ArrayList<>();
        Path file = dir.resolve(FieldsFile.NAME);
        series.close();
        for (int i : FieldPlots.stripFrames(times.size())) {
            frames.add(FieldsFile.dataset(file, i, "column_z"));
            shown.add(times.get(i));
        }
        FieldPlots.strip(dir.resolve(FieldPlots.STRIP_FILE), grid, frames, shown, title, subtitle);
        frames.clear();
        shown.clear();
        for (int i : FieldPlots.frames(times.size(), FieldPlots.ANIMATION_MAX)) {
            frames.add(FieldsFile.dataset(file, i, "column_z"));
            shown.add(times.get(i));
        }
        FieldPlots.animation(dir.resolve(FieldPlots.ANIMATION_FILE), grid, frames, shown, title);
    }

    /** column_density.png and density_slices.png of the final state (every run and ground-state draws them). */
    static void finalFigures(Path dir, Grid3D g, MemorySegment psi, String title, String when) {
        FieldPlots.columns(dir.resolve(FieldPlots.COLUMNS_FILE), g, ColumnDensity.of(g, psi), title, "column densities " + when);
        FieldPlots.slices(dir.resolve(FieldPlots.SLICES_FILE), g, psi, title, "density slices through the centre " + when);
    }

    /** Deletes snapshots/column_*.png and the folder if then empty (--force). */
    static void clean(Path dir) {
        Path sub = dir.resolve(FieldPlots.SNAPSHOT_DIR);
        if (!Files.isDirectory(sub)) return;
        try (var s = Files.list(sub)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("column_") && name.endsWith(".png") || name.startsWith(".column_") && name.endsWith(".tmp"))
                    Files.deleteIfExists(p);
            }
            try (var rest = Files.list(sub)) {
                if (rest.findAny().isEmpty()) Files.delete(sub);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + sub + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits for the write in flight, stops the writer and closes fields.h5; a failed write is
     * thrown here, after the file is closed (it holds the snapshots before the failed one).
     */
    @Override
    public void close() {
        try {
            if (failure == null) drain(); // a failure already thrown is not thrown again
        } finally {
            boolean idle = true;
            if (writer != null) {
                writer.shutdown();
                try {
                    idle = writer.awaitTermination(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    idle = false;
                }
            }
            // A write still running (only after an interrupt) keeps the file and its buffer; the JVM's exit ends it.
            if (idle) {
                series.close();
                if (arena != null) arena.close();
            }
        }
    }
}
