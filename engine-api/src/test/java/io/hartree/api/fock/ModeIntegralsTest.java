package io.hartree.api.fock;

import io.hartree.api.ParameterException;
import io.hartree.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ModeIntegralsTest {
    @Test
    void complexAndRealNpyFilesRoundTrip(@TempDir Path dir) {
        ModeIntegrals mi = TestModels.randomIntegrals(3, 21, true);
        Npy.writeComplex(dir.resolve("h.npy"), mi.h(), 3, 3);
        Npy.writeComplex(dir.resolve("V.npy"), mi.v(), 3, 3, 3, 3);
        ModeIntegrals back = ModeIntegrals.read(dir);
        assertArrayEquals(mi.h(), back.h(), 0.0, "complex128 h read exactly");
        assertArrayEquals(mi.v(), back.v(), 0.0, "complex128 V read exactly");
        // float64 files give zero imaginary parts, and the ring integrals give the ring H.
        ModeIntegrals ring = ModeIntegrals.ring(4, 0.5, 2);
        double[] hr = new double[16], vr = new double[256];
        for (int i = 0; i < 16; i++) hr[i] = ring.h()[2 * i];
        for (int i = 0; i < 256; i++) vr[i] = ring.v()[2 * i];
        Path d2 = dir.resolve("real");
        Npy.writeReal(d2.resolve("h.npy"), hr, 4, 4);
        Npy.writeReal(d2.resolve("V.npy"), vr, 4, 4, 4, 4);
        ModeIntegrals rb = ModeIntegrals.read(d2);
        assertArrayEquals(ring.h(), rb.h(), 0.0);
        assertArrayEquals(ring.v(), rb.v(), 0.0);
        assertTrue(rb.isReal());
    }

    @Test
    void wrongShapesAndMissingFilesAreRefused(@TempDir Path dir) {
        assertThrows(ParameterException.class, () -> ModeIntegrals.read(dir));
        Npy.writeReal(dir.resolve("h.npy"), new double[9], 3, 3);
        Npy.writeReal(dir.resolve("V.npy"), new double[16], 2, 2, 2, 2);
        assertThrows(ParameterException.class, () -> ModeIntegrals.read(dir));
    }
}
