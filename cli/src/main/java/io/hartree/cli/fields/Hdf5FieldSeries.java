package io.hartree.cli.fields;

import io.hartree.api.model.Grid3D;
import org.bytedeco.javacpp.DoublePointer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.hartree.cli.fields.Hdf5.check;
import static org.bytedeco.hdf5.global.hdf5.*;

/**
 * fields.h5 written with the HDF5 C library (layout in {@link FieldsFile}). Each snapshot is a
 * group of four chunked, shuffled and deflated float64 datasets (re, im, density, phase) of shape
 * (n, n, n) in z y x order, written in hyperslabs of at most {@code slabValues} values each, so a
 * grid past 2³¹ values (n ≥ 1291) never needs one Java array or one buffer of its size; then the
 * column densities, then the entry in /time and /step, then a flush. A reader trusts /time's
 * length, so a snapshot cut off by a crash before its entry is invisible and is deleted on resume.
 */
final class Hdf5FieldSeries implements FieldSeries {
    /** Values per chunk of a 3-D dataset: 2¹⁷ doubles = 1 MiB, HDF5's recommended order of magnitude. */
    static final int CHUNK_VALUES = 1 << 17;
    /** Deflate level 1: most of the gain of level 6 on shuffled doubles, at a fraction of its time. */
    static final int DEFLATE_LEVEL = 1;

    private final Path path;
    private final Grid3D grid;
    private final long slabValues;
    private long file;
    private final List<Long> steps = new ArrayList<>();
    private final List<Double> times = new ArrayList<>();

    private Hdf5FieldSeries(Path path, Grid3D grid, long file, long slabValues) {
        this.path = path;
        this.grid = grid;
        this.file = file;
        this.slabValues = slabValues;
    }

    static Hdf5FieldSeries create(Path path, Grid3D grid, Map<String, Object> attributes, long slabValues) {
        long f = check(H5Fcreate(path.toString(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "H5Fcreate", path);
        Hdf5FieldSeries s = new Hdf5FieldSeries(path, grid, f, slabValues);
        try {
            for (var e : attributes.entrySet()) Hdf5.attribute(f, e.getKey(), e.getValue(), path);
            double[] c = new double[grid.n()];
            for (int i = 0; i < c.length; i++) c[i] = grid.x(i);
            for (String axis : List.of("x", "y", "z")) Hdf5.vector(f, axis, c);
            Hdf5.series(f, FieldsFile.TIME, false);
            Hdf5.series(f, FieldsFile.STEP, true);
            Hdf5.closeGroup(check(H5Gcreate2(f, FieldsFile.SNAPSHOTS, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "H5Gcreate2", FieldsFile.SNAPSHOTS));
            check(H5Fflush(f, H5F_SCOPE_GLOBAL), "H5Fflush", path);
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Opens for appending, keeping the snapshots at steps ≤ {@code keepUpTo} and deleting the rest. */
    static Hdf5FieldSeries reopen(Path path, Grid3D grid, long keepUpTo, long slabValues) {
        long f = check(H5Fopen(path.toString(), H5F_ACC_RDWR, H5P_DEFAULT), "H5Fopen", path);
        Hdf5FieldSeries s = new Hdf5FieldSeries(path, grid, f, slabValues);
        try {
            long[] st = Hdf5.readLongs(f, FieldsFile.STEP);
            double[] t = Hdf5.readVector(f, FieldsFile.TIME);
            int keep = 0;
            while (keep < Math.min(st.length, t.length) && st[keep] <= keepUpTo) keep++;
            Hdf5.resize(f, FieldsFile.STEP, keep);
            Hdf5.resize(f, FieldsFile.TIME, keep);
            for (int i = keep; H5Lexists(f, FieldsFile.group(i), H5P_DEFAULT) > 0; i++)
                check(H5Ldelete(f, FieldsFile.group(i), H5P_DEFAULT), "H5Ldelete", FieldsFile.group(i));
            for (int i = 0; i < keep; i++) {
                s.steps.add(st[i]);
                s.times.add(t[i]);
            }
            check(H5Fflush(f, H5F_SCOPE_GLOBAL), "H5Fflush", path);
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public void append(long step, double time, MemorySegment psi, ColumnDensity columns) {
        if (file < 0) throw new IllegalStateException(path + " is closed");
        int index = steps.size();
        String name = FieldsFile.group(index);
        int n = grid.n();
        long g = check(H5Gcreate2(file, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "H5Gcreate2", name);
        int nf = FieldsFile.FIELDS.size();
        long[] ds = new long[nf];
        java.util.Arrays.fill(ds, -1);
        try {
            Hdf5.attribute(g, "step", step, name);
            Hdf5.attribute(g, "time", time, name);
            long dcpl = chunkedProperties(n);
            long space = check(H5Screate_simple(3, new long[]{n, n, n}, null), "H5Screate_simple", name);
            try {
                for (int f = 0; f < nf; f++)
                    ds[f] = check(H5Dcreate2(g, FieldsFile.FIELDS.get(f), H5T_IEEE_F64LE_g(), space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                            "H5Dcreate2", name + "/" + FieldsFile.FIELDS.get(f));
            } finally {
                H5Sclose(space);
                H5Pclose(dcpl);
            }
            writeSlabs(ds, psi, name);
            if (index == failBeforeEntry) throw new Hdf5.Hdf5Exception("injected failure (a test) after the datasets of " + name + ", before its entry in /time");
            plane(g, "column_z", columns.alongZ(), name);
            plane(g, "column_y", columns.alongY(), name);
            plane(g, "column_x", columns.alongX(), name);
        } finally {
            for (long d : ds) Hdf5.closeDataset(d);
            H5Gclose(g);
        }
        Hdf5.append(file, FieldsFile.TIME, time, false);
        Hdf5.append(file, FieldsFile.STEP, step, true);
        check(H5Fflush(file, H5F_SCOPE_GLOBAL), "H5Fflush", path);
        steps.add(step);
        times.add(time);
    }

    private long chunkedProperties(int n) {
        long dcpl = check(H5Pcreate(H5P_CLS_DATASET_CREATE_ID_g()), "H5Pcreate", path);
        int cy = Math.max(1, Math.min(n, CHUNK_VALUES / n));
        int cz = Math.max(1, Math.min(n, CHUNK_VALUES / (cy * n)));
        check(H5Pset_chunk(dcpl, 3, new long[]{cz, cy, n}), "H5Pset_chunk", path);
        check(H5Pset_shuffle(dcpl), "H5Pset_shuffle", path);
        check(H5Pset_deflate(dcpl, DEFLATE_LEVEL), "H5Pset_deflate", path);
        return dcpl;
    }

    /** Test hook ({@link FieldsFile#failBeforeEntry}): the append of this index fails after its datasets are written. */
    volatile int failBeforeEntry = -1;

    /**
     * Writes re, im, |ψ|² and the phase atan2(im, re) in slabs of z-planes (or, where one plane exceeds the slab size, of
     * y-rows within a plane), transposing the engine's x-slowest order to z y x on the way.
     */
    private void writeSlabs(long[] ds, MemorySegment psi, String name) {
        int n = grid.n();
        long plane = (long) n * n;
        int kz, ky;
        if (plane <= slabValues) {
            kz = (int) Math.max(1, Math.min(n, slabValues / plane));
            ky = n;
        } else {
            kz = 1;
            ky = (int) Math.max(1, Math.min(n, slabValues / n));
        }
        long values = (long) kz * ky * n;
        var D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
        try (DoublePointer re = new DoublePointer(values); DoublePointer im = new DoublePointer(values); DoublePointer rho = new DoublePointer(values);
             DoublePointer phase = new DoublePointer(values)) {
            MemorySegment sr = MemorySegment.ofAddress(re.address()).reinterpret(values * Double.BYTES);
            MemorySegment si = MemorySegment.ofAddress(im.address()).reinterpret(values * Double.BYTES);
            MemorySegment sd = MemorySegment.ofAddress(rho.address()).reinterpret(values * Double.BYTES);
            MemorySegment sp = MemorySegment.ofAddress(phase.address()).reinterpret(values * Double.BYTES);
            double[] line = new double[2 * kz];
            for (int k0 = 0; k0 < n; k0 += kz) {
                int nk = Math.min(kz, n - k0);
                for (int j0 = 0; j0 < n; j0 += ky) {
                    int nj = Math.min(ky, n - j0);
                    // Source lines are contiguous in z (the engine's fastest axis); the slab is [k][j][i].
                    for (int i = 0; i < n; i++)
                        for (int jj = 0; jj < nj; jj++) {
                            MemorySegment.copy(psi, D, grid.complexIndex(i, j0 + jj, k0) * Double.BYTES, line, 0, 2 * nk);
                            for (int kk = 0; kk < nk; kk++) {
                                long at = ((long) kk * nj + jj) * n + i;
                                double a = line[2 * kk], b = line[2 * kk + 1];
                                sr.setAtIndex(D, at, a);
                                si.setAtIndex(D, at, b);
                                sd.setAtIndex(D, at, a * a + b * b);
                                sp.setAtIndex(D, at, Math.atan2(b, a));
                            }
                        }
                    long[] start = {k0, j0, 0}, count = {nk, nj, n};
                    long mem = check(H5Screate_simple(3, count, null), "H5Screate_simple", name);
                    try {
                        DoublePointer[] buf = {re, im, rho, phase};
                        for (int f = 0; f < buf.length; f++) {
                            long fs = check(H5Dget_space(ds[f]), "H5Dget_space", name);
                            try {
                                check(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, null, count, null), "H5Sselect_hyperslab", name);
                                check(H5Dwrite(ds[f], Hdf5.doubleType(), mem, fs, H5P_DEFAULT, buf[f]), "H5Dwrite",
                                        String.format(Locale.ROOT, "%s:%s/%s slab z %d+%d, y %d+%d", path.getFileName(), name, FieldsFile.FIELDS.get(f), k0, nk, j0, nj));
                            } finally {
                                H5Sclose(fs);
                            }
                        }
                    } finally {
                        H5Sclose(mem);
                    }
                }
            }
        }
    }

    private static void plane(long g, String dataset, double[] v, String where) {
        int n = (int) Math.round(Math.sqrt(v.length));
        long space = check(H5Screate_simple(2, new long[]{n, n}, null), "H5Screate_simple", where);
        long ds = -1;
        try {
            ds = check(H5Dcreate2(g, dataset, H5T_IEEE_F64LE_g(), space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "H5Dcreate2", where + "/" + dataset);
            try (DoublePointer p = new DoublePointer(v)) {
                check(H5Dwrite(ds, Hdf5.doubleType(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p), "H5Dwrite", where + "/" + dataset);
            }
        } finally {
            Hdf5.closeDataset(ds);
            H5Sclose(space);
        }
    }

    @Override
    public List<Long> steps() { return List.copyOf(steps); }

    @Override
    public List<Double> times() { return List.copyOf(times); }

    @Override
    public void close() {
        if (file >= 0) {
            H5Fclose(file);
            file = -1;
        }
    }
}
