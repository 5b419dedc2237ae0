package io.hartree.cli.fields;

import io.hartree.api.ParameterException;
import io.hartree.api.model.Grid3D;
import org.bytedeco.javacpp.DoublePointer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.hartree.cli.fields.Hdf5.check;
import static org.bytedeco.hdf5.global.hdf5.*;

/**
 * fields.h5, the time series of a run's states (docs/fields.md). Layout:
 * <pre>
 * /                      attributes: format, axes = "z y x", n, box, dx, dt, snapshot_every, snapshot_every_steps,
 *                        config_toml (the run's config.toml) and every key of it
 * /x, /y, /z             grid coordinates x_i = −L/2 + i·dx, float64 (n)
 * /time, /step           one entry per snapshot (float64, int64), extendible
 * /snapshots/NNNNNN/     the snapshot of index NNNNNN (attributes step, time):
 *     re, im, density    Re ψ, Im ψ, |ψ|², float64 (n, n, n) indexed [z][y][x], chunked, shuffle + deflate
 *     phase              atan2(Im ψ, Re ψ) in [−π, π] (Math.atan2, as NumPy's angle), same shape and storage
 *     column_z           ∫|ψ|² dz, (n, n) indexed [y][x]
 *     column_y           ∫|ψ|² dy, (n, n) indexed [z][x]
 *     column_x           ∫|ψ|² dx, (n, n) indexed [z][y]
 * </pre>
 * The 3-D arrays are in z y x order (x fastest), the order XDMF, VTK and ParaView read, so the
 * sidecar fields.xdmf needs no transposition; psi_final.npy keeps the engine's x y z order
 * ({@code re.transpose(2, 1, 0)} in NumPy gives that order).
 */
public final class FieldsFile {
    private FieldsFile() {}

    public static final String NAME = "fields.h5";
    public static final String FORMAT = "hartree-fields 1";
    static final String TIME = "time", STEP = "step", SNAPSHOTS = "snapshots";
    /** The 3-D datasets of a snapshot, in the order they are written. */
    public static final List<String> FIELDS = List.of("re", "im", "density", "phase");

    /** Slab size of the writes: 2²² values (32 MiB per buffer, four buffers). */
    public static final long SLAB_VALUES = 1L << 22;

    /** The group of snapshot {@code index}: "/snapshots/000042". */
    public static String group(int index) {
        return String.format(Locale.ROOT, "/%s/%06d", SNAPSHOTS, index);
    }

    /** Creates {@code file} (replacing it) with the grid, the empty series and {@code attributes} on the root. */
    public static FieldSeries create(Path file, Grid3D grid, Map<String, Object> attributes) {
        return create(file, grid, attributes, SLAB_VALUES);
    }

    /** As {@link #create(Path, Grid3D, Map)} with slabs of at most {@code slabValues} values (tests use small slabs). */
    public static FieldSeries create(Path file, Grid3D grid, Map<String, Object> attributes, long slabValues) {
        if (slabValues < 1) throw new IllegalArgumentException("slabValues " + slabValues + " < 1");
        try {
            return Hdf5FieldSeries.create(file, grid, attributes, slabValues);
        } catch (Hdf5.Hdf5Exception e) {
            throw new java.io.UncheckedIOException(new java.io.IOException("cannot write " + file + ": " + e.getMessage(), e));
        }
    }

    /**
     * Reopens {@code file} of an interrupted run for appending: snapshots after step {@code keepUpTo}
     * (written after the checkpoint the run resumes from, or cut off by the interruption) are deleted.
     */
    public static FieldSeries resume(Path file, Grid3D grid, long keepUpTo) {
        if (!Files.isRegularFile(file)) throw new ParameterException("--resume", file.getParent() + " was run with --snapshot-every but has no " + NAME);
        try {
            return Hdf5FieldSeries.reopen(file, grid, keepUpTo, SLAB_VALUES);
        } catch (Hdf5.Hdf5Exception e) {
            throw new ParameterException("--resume", file + " cannot be continued: " + e.getMessage());
        }
    }

    /** What a fields.h5 holds: its root attributes, steps and times (for resume, tests and tools). */
    public record Contents(Map<String, Object> attributes, long[] steps, double[] times) {}

    /** Root attribute names {@link #read} returns when present. */
    static final List<String> ROOT_ATTRIBUTES = List.of("format", "axes", "n", "box", "dx", "dt", "snapshot_every", "snapshot_every_steps", "config_toml");

    /** Reads the root attributes named in {@code names} (those present), the steps and the times. */
    public static Contents read(Path file, List<String> names) {
        long f = check(H5Fopen(file.toString(), H5F_ACC_RDONLY, H5P_DEFAULT), "H5Fopen", file);
        try {
            Map<String, Object> a = new LinkedHashMap<>();
            for (String k : names) {
                Object v = Hdf5.readAttribute(f, k, file);
                if (v != null) a.put(k, v);
            }
            return new Contents(a, Hdf5.readLongs(f, STEP), Hdf5.readVector(f, TIME));
        } finally {
            H5Fclose(f);
        }
    }

    public static Contents read(Path file) {
        return read(file, ROOT_ATTRIBUTES);
    }

    /** One dataset of snapshot {@code index} ("re", "im", "density", "column_z", ...), whole, in its stored order. */
    public static double[] dataset(Path file, int index, String name) {
        long f = check(H5Fopen(file.toString(), H5F_ACC_RDONLY, H5P_DEFAULT), "H5Fopen", file);
        String path = group(index) + "/" + name;
        long ds = -1, space = -1;
        try {
            ds = check(H5Dopen2(f, path, H5P_DEFAULT), "H5Dopen2", path);
            space = check(H5Dget_space(ds), "H5Dget_space", path);
            long count = check(H5Sget_simple_extent_npoints(space), "H5Sget_simple_extent_npoints", path);
            try (DoublePointer p = new DoublePointer(count)) {
                check(H5Dread(ds, Hdf5.doubleType(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p), "H5Dread", path);
                double[] v = new double[Math.toIntExact(count)];
                p.get(v);
                return v;
            }
        } finally {
            Hdf5.closeSpace(space);
            Hdf5.closeDataset(ds);
            H5Fclose(f);
        }
    }

    /** A one-dimensional dataset of the root ("x", "y", "z", "time"), whole. */
    public static double[] dataset1(Path file, String name) {
        long f = check(H5Fopen(file.toString(), H5F_ACC_RDONLY, H5P_DEFAULT), "H5Fopen", file);
        try {
            return Hdf5.readVector(f, name);
        } finally {
            H5Fclose(f);
        }
    }

    /** A scalar attribute of snapshot {@code index} ("step", "time"). */
    public static Object snapshotAttribute(Path file, int index, String name) {
        long f = check(H5Fopen(file.toString(), H5F_ACC_RDONLY, H5P_DEFAULT), "H5Fopen", file);
        long g = -1;
        try {
            g = check(H5Gopen2(f, group(index), H5P_DEFAULT), "H5Gopen2", group(index));
            return Hdf5.readAttribute(g, name, group(index));
        } finally {
            Hdf5.closeGroup(g);
            H5Fclose(f);
        }
    }

    /**
     * Test hook: makes the append of snapshot {@code index} to {@code series} (a fields.h5 series)
     * fail after its datasets are written and before its entry in /time, as a full disk would.
     */
    public static void failBeforeEntry(FieldSeries series, int index) {
        if (!(series instanceof Hdf5FieldSeries h)) throw new IllegalArgumentException("not a fields.h5 series: " + series);
        h.failBeforeEntry = index;
    }

    /**
     * Loads the HDF5 library and checks that it has the deflate filter; refuses (exit 2, naming
     * --snapshot-every) where it cannot, before a run folder is created.
     */
    public static void requireLibrary() {
        try {
            if (!Hdf5.deflateAvailable())
                throw new ParameterException("--snapshot-every", "the HDF5 library loaded has no deflate filter (zlib); fields.h5 cannot be written");
        } catch (LinkageError e) {
            throw new ParameterException("--snapshot-every", "the HDF5 library (org.bytedeco:hdf5, " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + ") cannot be loaded: " + e + "; run without --snapshot-every");
        }
    }

    /**
     * The snapshot interval in steps: {@code every}/dt, which must be a whole number k ≥ 1 to within
     * 1e−9 relative (a snapshot falls on a step); otherwise exit 2 naming --snapshot-every.
     */
    public static long everySteps(double every, double dt) {
        double k = every / dt;
        long r = Math.round(k);
        if (!(every > 0) || !Double.isFinite(every) || r < 1 || Math.abs(k - r) > 1e-9 * k)
            throw new ParameterException("--snapshot-every", every, String.format(Locale.ROOT,
                    "a positive multiple of dt = %s (a snapshot falls on a step), e.g. %s", dt, dt * Math.max(1, r)));
        return r;
    }
}
