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
}
