package io.hartree.cli.fields;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.LongPointer;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.hdf5.global.hdf5.*;

/**
 * The few calls of the HDF5 C library (1.12, through JavaCPP's {@code org.bytedeco:hdf5}) that
 * fields.h5 needs, each checked: a negative status or id throws {@link Hdf5Exception} naming the
 * call and the object. Only this package sees JavaCPP types; identifiers are HDF5's {@code hid_t}
 * as {@code long}. The library's own error printing is switched off, since every status is checked.
 */
final class Hdf5 {
    private Hdf5() {}

    static {
        H5open();
        H5Eset_auto2(H5E_DEFAULT, null, null);
    }

    /** An HDF5 call failed. */
    static final class Hdf5Exception extends RuntimeException {
        Hdf5Exception(String message) { super(message); }
    }

    static long check(long id, String call, Object what) {
        if (id < 0) throw new Hdf5Exception(call + " failed (status " + id + ") on " + what);
        return id;
    }

    static long doubleType() { return H5T_NATIVE_DOUBLE_g(); }

    static long int64Type() { return H5T_NATIVE_INT64_g(); }

    /** Whether the deflate filter (zlib) is compiled into the loaded library. */
    static boolean deflateAvailable() { return H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0; }

    static void closeDataset(long id) { if (id >= 0) H5Dclose(id); }

    static void closeSpace(long id) { if (id >= 0) H5Sclose(id); }

    static void closeGroup(long id) { if (id >= 0) H5Gclose(id); }

    static void closeProps(long id) { if (id >= 0) H5Pclose(id); }

    /** Writes a scalar attribute: String (fixed-length UTF-8), Long/Integer (int64) or Number (float64). */
    static void attribute(long obj, String name, Object value, Object where) {
        if (H5Aexists(obj, name) > 0) check(H5Adelete(obj, name), "H5Adelete", where + " @" + name);
        long space = check(H5Screate(H5S_SCALAR), "H5Screate", name);
        long type = -1, attr = -1;
        try {
            if (value instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                type = check(H5Tcopy(H5T_C_S1_g()), "H5Tcopy", name);
                check(H5Tset_size(type, Math.max(1, b.length)), "H5Tset_size", name);
                check(H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset", name);
                attr = check(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT), "H5Acreate2", where + " @" + name);
                try (BytePointer p = new BytePointer(Math.max(1, b.length))) {
                    p.put(b, 0, b.length);
                    check(H5Awrite(attr, type, p), "H5Awrite", where + " @" + name);
                }
            } else if (value instanceof Long || value instanceof Integer) {
                attr = check(H5Acreate2(obj, name, H5T_STD_I64LE_g(), space, H5P_DEFAULT, H5P_DEFAULT), "H5Acreate2", where + " @" + name);
                try (LongPointer p = new LongPointer(1)) {
                    p.put(((Number) value).longValue());
                    check(H5Awrite(attr, int64Type(), p), "H5Awrite", where + " @" + name);
                }
            } else if (value instanceof Number x) {
                attr = check(H5Acreate2(obj, name, H5T_IEEE_F64LE_g(), space, H5P_DEFAULT, H5P_DEFAULT), "H5Acreate2", where + " @" + name);
                try (DoublePointer p = new DoublePointer(1)) {
                    p.put(x.doubleValue());
                    check(H5Awrite(attr, doubleType(), p), "H5Awrite", where + " @" + name);
                }
            } else {
                throw new IllegalArgumentException("attribute " + name + ": unsupported type " + (value == null ? "null" : value.getClass()));
            }
        } finally {
            if (attr >= 0) H5Aclose(attr);
            if (type >= 0) H5Tclose(type);
            H5Sclose(space);
        }
    }

    /** Reads a scalar attribute written by {@link #attribute}: String, Long or Double by its stored class. */
    static Object readAttribute(long obj, String name, Object where) {
        if (H5Aexists(obj, name) <= 0) return null;
        long attr = check(H5Aopen(obj, name, H5P_DEFAULT), "H5Aopen", where + " @" + name);
        long type = -1;
        try {
            type = check(H5Aget_type(attr), "H5Aget_type", name);
            int cls = H5Tget_class(type);
            if (cls == H5T_STRING) {
                int size = (int) H5Tget_size(type);
                try (BytePointer p = new BytePointer(size)) {
                    check(H5Aread(attr, type, p), "H5Aread", where + " @" + name);
                    byte[] b = new byte[size];
                    p.get(b);
                    int len = 0;
                    while (len < size && b[len] != 0) len++;
                    return new String(b, 0, len, StandardCharsets.UTF_8);
                }
            } else if (cls == H5T_INTEGER) {
                try (LongPointer p = new LongPointer(1)) {
                    check(H5Aread(attr, int64Type(), p), "H5Aread", where + " @" + name);
                    return p.get();
                }
            } else {
                try (DoublePointer p = new DoublePointer(1)) {
                    check(H5Aread(attr, doubleType(), p), "H5Aread", where + " @" + name);
                    return p.get();
                }
            }
        } finally {
            if (type >= 0) H5Tclose(type);
            H5Aclose(attr);
        }
    }

    /** A one-dimensional dataset of fixed length (coordinates), float64. */
    static void vector(long loc, String name, double[] v) {
        long space = check(H5Screate_simple(1, new long[]{v.length}, null), "H5Screate_simple", name);
        long ds = -1;
        try {
            ds = check(H5Dcreate2(loc, name, H5T_IEEE_F64LE_g(), space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "H5Dcreate2", name);
            try (DoublePointer p = new DoublePointer(v)) {
                check(H5Dwrite(ds, doubleType(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p), "H5Dwrite", name);
            }
        } finally {
            closeDataset(ds);
            H5Sclose(space);
        }
    }

    /** An extendible one-dimensional dataset (times, steps), empty, chunked by 256 entries. */
    static void series(long loc, String name, boolean integer) {
        long space = check(H5Screate_simple(1, new long[]{0}, new long[]{H5S_UNLIMITED}), "H5Screate_simple", name);
        long dcpl = check(H5Pcreate(H5P_CLS_DATASET_CREATE_ID_g()), "H5Pcreate", name);
        long ds = -1;
        try {
            check(H5Pset_chunk(dcpl, 1, new long[]{256}), "H5Pset_chunk", name);
            ds = check(H5Dcreate2(loc, name, integer ? H5T_STD_I64LE_g() : H5T_IEEE_F64LE_g(), space, H5P_DEFAULT, dcpl, H5P_DEFAULT), "H5Dcreate2", name);
        } finally {
            closeDataset(ds);
            H5Pclose(dcpl);
            H5Sclose(space);
        }
    }

    /** The length of a one-dimensional dataset. */
    static long length(long loc, String name) {
        long ds = check(H5Dopen2(loc, name, H5P_DEFAULT), "H5Dopen2", name);
        long space = -1;
        try {
            space = check(H5Dget_space(ds), "H5Dget_space", name);
            long[] dims = new long[1];
            check(H5Sget_simple_extent_dims(space, dims, null), "H5Sget_simple_extent_dims", name);
            return dims[0];
        } finally {
            closeSpace(space);
            H5Dclose(ds);
        }
    }

    /** Sets the length of an extendible one-dimensional dataset (grows or truncates it). */
    static void resize(long loc, String name, long length) {
        long ds = check(H5Dopen2(loc, name, H5P_DEFAULT), "H5Dopen2", name);
        try {
            check(H5Dset_extent(ds, new long[]{length}), "H5Dset_extent", name);
        } finally {
            H5Dclose(ds);
        }
    }

    /** Appends one value to an extendible one-dimensional dataset. */
    static void append(long loc, String name, double value, boolean integer) {
        long ds = check(H5Dopen2(loc, name, H5P_DEFAULT), "H5Dopen2", name);
        long file = -1, mem = -1;
        try {
            long n0 = 0;
            long sp = check(H5Dget_space(ds), "H5Dget_space", name);
            long[] dims = new long[1];
            H5Sget_simple_extent_dims(sp, dims, null);
            H5Sclose(sp);
            n0 = dims[0];
            check(H5Dset_extent(ds, new long[]{n0 + 1}), "H5Dset_extent", name);
            file = check(H5Dget_space(ds), "H5Dget_space", name);
            check(H5Sselect_hyperslab(file, H5S_SELECT_SET, new long[]{n0}, null, new long[]{1}, null), "H5Sselect_hyperslab", name);
            mem = check(H5Screate_simple(1, new long[]{1}, null), "H5Screate_simple", name);
            if (integer) {
                try (LongPointer p = new LongPointer(1)) {
                    p.put((long) value);
                    check(H5Dwrite(ds, int64Type(), mem, file, H5P_DEFAULT, p), "H5Dwrite", name);
                }
            } else {
                try (DoublePointer p = new DoublePointer(1)) {
                    p.put(value);
                    check(H5Dwrite(ds, doubleType(), mem, file, H5P_DEFAULT, p), "H5Dwrite", name);
                }
            }
        } finally {
            closeSpace(mem);
            closeSpace(file);
            H5Dclose(ds);
        }
    }

    /** The whole of a one-dimensional dataset as doubles (int64 datasets converted by the library). */
    static double[] readVector(long loc, String name) {
        long len = length(loc, name);
        long ds = check(H5Dopen2(loc, name, H5P_DEFAULT), "H5Dopen2", name);
        try (DoublePointer p = new DoublePointer(Math.max(1, len))) {
            if (len > 0) check(H5Dread(ds, doubleType(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p), "H5Dread", name);
            double[] v = new double[(int) len];
            p.get(v);
            return v;
        } finally {
            H5Dclose(ds);
        }
    }

    /** The whole of a one-dimensional int64 dataset. */
    static long[] readLongs(long loc, String name) {
        long len = length(loc, name);
        long ds = check(H5Dopen2(loc, name, H5P_DEFAULT), "H5Dopen2", name);
        try (LongPointer p = new LongPointer(Math.max(1, len))) {
            if (len > 0) check(H5Dread(ds, int64Type(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p), "H5Dread", name);
            long[] v = new long[(int) len];
            p.get(v);
            return v;
        } finally {
            H5Dclose(ds);
        }
    }
}
