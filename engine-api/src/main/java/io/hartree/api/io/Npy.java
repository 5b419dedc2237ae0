package io.hartree.api.io;

import io.hartree.api.ParameterException;

import java.io.IOException;
import java.io.OutputStream;
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
        write(file, data, false, shape);
    }

    public static void writeComplex(Path file, double[] interleaved, long... shape) {
        write(file, interleaved, true, shape);
    }

    private static void write(Path file, double[] data, boolean complex, long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n * (complex ? 2 : 1) != data.length)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not match " + data.length + " doubles");
        byte[] header = header(complex ? "<c16" : "<f8", shape);
        AtomicFiles.write(file, out -> {
            out.write(header);
            writeDoubles(out, data);
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

    private static void writeDoubles(OutputStream out, double[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : data) {
            if (!b.hasRemaining()) { out.write(b.array(), 0, b.position()); b.clear(); }
            b.putDouble(v);
        }
        out.write(b.array(), 0, b.position());
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
        if (!Files.isReadable(file)) throw new ParameterException(parameter, file + " is not a readable file");
        try (FileChannel ch = FileChannel.open(file)) {
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
            long[] shape = shapeText.isEmpty() ? new long[0] : Arrays.stream(shapeText.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
            long count = 1;
            for (long d : shape) count *= d;
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
            long values = count * (complex ? 2 : 1);
            if (values > Integer.MAX_VALUE - 8) throw new ParameterException(parameter, file + " holds " + values + " values, more than one Java array can hold");
            long offset = start + hlen;
            if (ch.size() - offset < values * bytes)
                throw new ParameterException(parameter, file + " is truncated: shape " + Arrays.toString(shape) + " needs " + values * bytes + " bytes of data, found " + (ch.size() - offset));
            // In chunks: the data of a large state (512³ complex128 is 2 GiB) exceeds one ByteBuffer.
            double[] out = new double[(int) values];
            ByteBuffer data = ByteBuffer.allocate((int) Math.min(values, chunk) * bytes).order(order);
            for (int done = 0; done < out.length; ) {
                int len = (int) Math.min(out.length - done, chunk);
                data.clear().limit(len * bytes);
                long at = offset + (long) done * bytes;
                while (data.hasRemaining()) if (ch.read(data, at + data.position()) < 0) break;
                data.flip();
                if (bytes == 8) data.asDoubleBuffer().get(out, done, len);
                else { var fb = data.asFloatBuffer(); for (int i = 0; i < len; i++) out[done + i] = fb.get(i); }
                done += len;
            }
            return new Array(shape, complex, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String group(Pattern p, String header, String parameter, Path file, String what) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new ParameterException(parameter, file + " has a malformed NPY header (no " + what + ")");
        return m.group(1);
    }
}
