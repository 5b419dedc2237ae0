package io.hartree.api.io;

import io.hartree.api.ParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void complexRoundTripIsBitExactAndHeaderIsAligned() throws Exception {
        double[] z = {1.5, -2.0, Math.PI, Math.E, -0.0, 1e-300};
        Path f = dir.resolve("z.npy");
        Npy.writeComplex(f, z, 3);
        byte[] bytes = Files.readAllBytes(f);
        int hlen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + hlen) % 64, "NPY 1.0 header must pad the data offset to 64 bytes");
        assertEquals(10 + hlen + 6 * 8, bytes.length);
        Npy.Array a = Npy.read(f, "--initial");
        assertTrue(a.complex());
        assertArrayEquals(new long[]{3}, a.shape());
        assertArrayEquals(z, a.data(), 0.0);
    }

    /** Data read in chunks (large states exceed one buffer): chunks of 7 values across 2·3·4·5 complex values, and of 1, give the array written. */
    @Test
    void readInChunksGivesTheSameValues() {
        double[] v = new double[2 * 3 * 4 * 5];
        for (int i = 0; i < v.length; i++) v[i] = Math.sin(i) * 1e3;
        Path f = dir.resolve("chunks.npy");
        Npy.writeComplex(f, v, 3, 4, 5);
        for (int chunk : new int[]{1, 7, v.length, 1 << 24})
            assertArrayEquals(v, Npy.read(f, "t", chunk).data(), 0.0, "chunk " + chunk);
    }

    @Test
    void realThreeDimensionalShape() {
        double[] v = new double[2 * 3 * 4];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.25;
        Path f = dir.resolve("v.npy");
        Npy.writeReal(f, v, 2, 3, 4);
        Npy.Array a = Npy.read(f, "--interaction");
        assertFalse(a.complex());
        assertArrayEquals(new long[]{2, 3, 4}, a.shape());
        assertArrayEquals(v, a.data(), 0.0);
        ParameterException e = assertThrows(ParameterException.class, () -> a.requireShape("--interaction", 4, 4, 4));
        assertTrue(e.getMessage().startsWith("--interaction"), e.getMessage());
    }

    @Test
    void notAnNpyFileNamesTheParameter() throws Exception {
        Path f = dir.resolve("bad.npy");
        Files.writeString(f, "hello world, not numpy");
        ParameterException e = assertThrows(ParameterException.class, () -> Npy.read(f, "--initial"));
        assertEquals("--initial", e.parameter());
    }

    /**
     * Long-indexed I/O: an off-heap complex segment written and read back bit for bit (through
     * both readers, in chunks), a float64 file widened to interleaved complex with zero imaginary
     * parts, and a shape mismatch refused naming the parameter. The values are distinct, so a
     * shifted or dropped chunk fails.
     */
    @Test
    void segmentsRoundTripAndRealFilesWiden() {
        int n = 6;
        long values = 2L * n * n * n;
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            var seg = a.allocate(values * 8, 64);
            var D = java.lang.foreign.ValueLayout.JAVA_DOUBLE;
            for (long i = 0; i < values; i++) seg.setAtIndex(D, i, Math.sin(i + 0.5) * 1e3 + i);
            Path f = dir.resolve("seg.npy");
            Npy.writeComplex(f, seg, n, n, n);
            Npy.Array back = Npy.read(f, "--x");
            assertTrue(back.complex());
            for (int i = 0; i < values; i++) assertEquals(seg.getAtIndex(D, i), back.data()[i], 0, "value " + i);
            var into = a.allocate(values * 8, 64);
            Npy.readComplexInto(f, "--x", into, n, n, n);
            assertEquals(-1, into.mismatch(seg), "readComplexInto gives the written bytes");
            double[] real = new double[n * n * n];
            for (int i = 0; i < real.length; i++) real[i] = 3 * i - 7.25;
            Path r = dir.resolve("real.npy");
            Npy.writeReal(r, real, n, n, n);
            Npy.readComplexInto(r, "--x", into, n, n, n);
            for (int i = 0; i < real.length; i++) {
                assertEquals(real[i], into.getAtIndex(D, 2L * i), 0, "real part " + i);
                assertEquals(0, into.getAtIndex(D, 2L * i + 1), 0, "imaginary part " + i);
            }
            ParameterException e = assertThrows(ParameterException.class, () -> Npy.readComplexInto(f, "--initial", into, n, n, n + 2));
            assertEquals("--initial", e.parameter());
        }
    }

    /** Index arithmetic past 2³¹ without allocating: the interleaved index of (i, j, k) on 1024³ and 2048³ grids. */
    @Test
    void complexIndexIsLongPastTwoToThe31() {
        var g = new io.hartree.api.model.Grid3D(2048, 16);
        assertEquals(2L * (2048L * 2048 * 2048 - 1), g.complexIndex(2047, 2047, 2047), "last point of 2048^3: 2^35 - 2");
        assertEquals(17_179_869_182L, g.complexIndex(2047, 2047, 2047));
        assertEquals(2L * ((1500L * 2048 + 3) * 2048 + 5), g.complexIndex(1500, 3, 5));
        var h = new io.hartree.api.model.Grid3D(1024, 16);
        assertEquals((1L << 31) - 2, h.complexIndex(1023, 1023, 1023), "last point of 1024^3: 2^31 - 2, past int's 2^31 - 1 with the imaginary part");
    }
}
