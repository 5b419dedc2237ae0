package io.hartree.api.io;

import io.hartree.api.ParameterException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format 1.0/2.0/3.0), C order, little-endian float64 ({@code <f8}) and
 * complex128 ({@code <c16}, interleaved re/im, the engine's complex layout). Written by hand
 * because no Java NPY library on Maven Central handles complex128. Writes are atomic.
 */
public final class Npy {
    /** Values read per chunk (128 MiB of float64). */
    private static final int READ_CHUNK = 1 << 24;

    private Npy() {}

    /** An array read from a file: its shape, whether complex, and the data (interleaved when complex). */
    public record Array(long[] shape, boolean complex, double[] data) {
        public long size() { long s = 1; for (long d : shape) s *= d; return s; }

        /** Throws naming {@code parameter} unless the shape is exactly {@code expected}. */
        public Array requireShape(String parameter, long... expected) {
            if (!Arrays.equals(shape, expected))
                throw new ParameterException(parameter, "shape " + Arrays.toString(shape) + " does not match the expected " + Arrays.toString(expected));
            return this;
        }
    }

    public static void writeReal(Path file, double[] data, long... shape) {
        write(file, "<f8", java.lang.foreign.MemorySegment.ofArray(data), 1, shape);
    }

    public static void writeComplex(Path file, double[] interleaved, long... shape) {
        write(file, "<c16", java.lang.foreign.MemorySegment.ofArray(interleaved), 2, shape);
    }

    /**
     * Writes a complex128 array from an interleaved segment of any size (heap or off-heap,
     * long-indexed: a 1024³ state is 2³¹ values), streaming in chunks.
     */
    public static void writeComplex(Path file, java.lang.foreign.MemorySegment interleaved, long... shape) {
        write(file, "<c16", interleaved, 2, shape);
    }

    /** Header, then the doubles of {@code data} (perValue per element of {@code shape}) little-endian, in chunks of 1 MiB. */
    private static void write(Path file, String descr, java.lang.foreign.MemorySegment data, int perValue, long[] shape) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        if (perValue * n * Double.BYTES != data.byteSize())
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not match " + data.byteSize() / Double.BYTES + " doubles");
        byte[] header = header(descr, shape);
        AtomicFiles.write(file, out -> {
            out.write(header);
            byte[] buf = new byte[1 << 20];
            var le = java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            long values = data.byteSize() / Double.BYTES;
            for (long done = 0; done < values; ) {
                int len = (int) Math.min(values - done, buf.length / Double.BYTES);
                java.lang.foreign.MemorySegment.copy(data, java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, done * Double.BYTES,
                        java.lang.foreign.MemorySegment.ofArray(buf), le, 0, len);
                out.write(buf, 0, len * Double.BYTES);
                done += len;
            }
        });
    }

    static byte[] header(String descr, long[] shape) {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sh.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        sh.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int preamble = 10;
        int total = preamble + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String h = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(preamble + h.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length());
        b.put(h.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /**
     * Reads a float64 or complex128 array (float32/complex64 and big-endian are converted). Errors
     * name {@code parameter} and say what is wrong with the file.
     */
    public static Array read(Path file, String parameter) {
        return read(file, parameter, READ_CHUNK);
    }

    /** {@link #read(Path, String)} reading {@code chunk} values at a time (tests use small chunks). */
    static Array read(Path file, String parameter, int chunk) {
        try (FileChannel ch = open(file, parameter)) {
            Header h = header(ch, file, parameter);
            long values = h.values();
            if (values > Integer.MAX_VALUE - 8) throw new ParameterException(parameter, file + " holds " + values + " values, more than one Java array can hold");
            double[] out = new double[(int) values];
            h.readInto(ch, java.lang.foreign.MemorySegment.ofArray(out), false, chunk);
            return new Array(h.shape(), h.complex(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a float64/float32/complex128/complex64 array of shape {@code expected} into the
     * interleaved complex segment {@code out} (2·size doubles; a real file gets zero imaginary
     * parts), streaming, with long indices: no Java array bounds the size.
     */
    public static void readComplexInto(Path file, String parameter, java.lang.foreign.MemorySegment out, long... expected) {
        try (FileChannel ch = open(file, parameter)) {
            Header h = header(ch, file, parameter);
            if (!Arrays.equals(h.shape(), expected))
                throw new ParameterException(parameter, "shape " + Arrays.toString(h.shape()) + " does not match the expected " + Arrays.toString(expected));
            if (out.byteSize() != 2 * h.size() * Double.BYTES)
                throw new IllegalArgumentException("segment of " + out.byteSize() + " bytes for " + h.size() + " complex values");
            h.readInto(ch, out, !h.complex(), READ_CHUNK);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static FileChannel open(Path file, String parameter) throws IOException {
        if (!Files.isReadable(file)) throw new ParameterException(parameter, file + " is not a readable file");
        return FileChannel.open(file);
    }

    /** A parsed NPY header: shape, element type, byte order and where the data starts. */
    private record Header(Path file, String parameter, long[] shape, boolean complex, int bytes, ByteOrder order, long offset) {
        long size() { long c = 1; for (long d : shape) c = Math.multiplyExact(c, d); return c; }

        long values() { return size() * (complex ? 2 : 1); }

        /**
         * Reads the data into {@code out} in chunks of {@code chunk} values: as stored, or, when
         * {@code widen}, each real value to the real part of an interleaved complex pair.
         */
        void readInto(FileChannel ch, java.lang.foreign.MemorySegment out, boolean widen, int chunk) throws IOException {
            long values = values();
            if (ch.size() - offset < values * bytes)
                throw new ParameterException(parameter, file + " is truncated: shape " + Arrays.toString(shape) + " needs " + values * bytes + " bytes of data, found " + (ch.size() - offset));
            // In chunks: the data of a large state (512³ complex128 is 2 GiB) exceeds one ByteBuffer.
            ByteBuffer data = ByteBuffer.allocate((int) Math.min(values, chunk) * bytes).order(order);
            var D = java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
            for (long done = 0; done < values; ) {
                int len = (int) Math.min(values - done, chunk);
                data.clear().limit(len * bytes);
                long at = offset + done * bytes;
                while (data.hasRemaining()) if (ch.read(data, at + data.position()) < 0) break;
                data.flip();
                if (!widen && bytes == 8) {
                    java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofBuffer(data), D.withOrder(order), 0, out, D, done * 8, len);
                    done += len;
                    continue;
                }
                for (int i = 0; i < len; i++) {
                    double v = bytes == 8 ? data.getDouble(i * 8) : data.getFloat(i * 4);
                    if (widen) {
                        out.setAtIndex(D, 2 * (done + i), v);
                        out.setAtIndex(D, 2 * (done + i) + 1, 0);
                    } else out.setAtIndex(D, done + i, v);
                }
                done += len;
            }
        }
    }

    private static Header header(FileChannel ch, Path file, String parameter) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(pre, 0);
        pre.flip();
        if (pre.remaining() < 10 || (pre.get(0) & 0xff) != 0x93 || !new String(pre.array(), 1, 5, StandardCharsets.US_ASCII).equals("NUMPY"))
            throw new ParameterException(parameter, file + " is not an NPY file (magic \\x93NUMPY missing)");
        int major = pre.get(6);
        long hlen;
        int start;
        if (major == 1) { hlen = pre.getShort(8) & 0xffff; start = 10; }
        else { hlen = pre.getInt(8) & 0xffffffffL; start = 12; }
        ByteBuffer hb = ByteBuffer.allocate((int) hlen);
        ch.read(hb, start);
        String header = new String(hb.array(), major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, parameter, file, "descr");
        if (group(FORTRAN, header, parameter, file, "fortran_order").equals("True"))
            throw new ParameterException(parameter, file + " is in Fortran order; save it in C order (numpy.ascontiguousarray)");
        String shapeText = group(SHAPE, header, parameter, file, "shape").trim();
        long[] shape = shapeText.isEmpty() ? new long[0] : Arrays.stream(shapeText.split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String type = descr.substring(descr.startsWith("<") || descr.startsWith(">") || descr.startsWith("|") || descr.startsWith("=") ? 1 : 0);
        boolean complex;
        int bytes;
        switch (type) {
            case "f8" -> { complex = false; bytes = 8; }
            case "f4" -> { complex = false; bytes = 4; }
            case "c16" -> { complex = true; bytes = 8; }
            case "c8" -> { complex = true; bytes = 4; }
            default -> throw new ParameterException(parameter, file + " has dtype " + descr + "; allowed: float64, float32, complex128, complex64");
        }
        return new Header(file, parameter, shape, complex, bytes, order, start + hlen);
    }

    private static String group(Pattern p, String header, String parameter, Path file, String what) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new ParameterException(parameter, file + " has a malformed NPY header (no " + what + ")");
        return m.group(1);
    }
}
