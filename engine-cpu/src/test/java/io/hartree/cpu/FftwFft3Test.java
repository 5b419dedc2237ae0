package io.hartree.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FftwFft3Test {
    /**
     * The pruned padded transforms equal the full 3D r2c/c2r of the zero-padded array: forward
     * spectra agree to round-off (1e-13 of the largest coefficient), and so do the backward
     * results on the n³ points that are read.
     */
    @Test
    void prunedPaddedTransformsEqualFullOnes() {
        final double tol = 1e-13;
        int n = 12, m = 24, mh = m / 2 + 1;
        FftwFft3 pruned = new FftwFft3(n, m, 2, "estimate", false);
        System.setProperty(FftwFft3.PRUNED_PROPERTY, "false");
        FftwFft3 full;
        try { full = new FftwFft3(n, m, 2, "estimate", false); } finally { System.clearProperty(FftwFft3.PRUNED_PROPERTY); }
        try {
            assertEquals((long) n * m, pruned.rhoPlaneStride(), "pruned layout (n, n, 2n)");
            assertEquals((long) m * m, full.rhoPlaneStride(), "full layout (2n)^3");
            Random r = new Random(5);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
                double v = r.nextDouble();
                pruned.rho().setAtIndex(JAVA_DOUBLE, i * pruned.rhoPlaneStride() + j * pruned.rhoRowStride() + k, v);
                full.rho().setAtIndex(JAVA_DOUBLE, i * full.rhoPlaneStride() + j * full.rhoRowStride() + k, v);
            }
            for (int rep = 0; rep < 2; rep++) { // twice: the zeros the pruned forward relies on must survive a backward pass
                pruned.rhoForward();
                full.rhoForward();
                double max = 0, diff = 0;
                for (long q = 0; q < 2L * m * m * mh; q++) {
                    double a = pruned.rhoHat().getAtIndex(JAVA_DOUBLE, q), b = full.rhoHat().getAtIndex(JAVA_DOUBLE, q);
                    max = Math.max(max, Math.abs(b));
                    diff = Math.max(diff, Math.abs(a - b));
                }
                assertTrue(diff <= tol * max, "pass " + rep + ": forward spectra differ by " + diff + " (max " + max + ")");
                pruned.convBackward(0);
                full.convBackward(0);
                double cmax = 0, cdiff = 0;
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
                    double a = pruned.conv(0).getAtIndex(JAVA_DOUBLE, i * pruned.rhoPlaneStride() + j * pruned.rhoRowStride() + k);
                    double b = full.conv(0).getAtIndex(JAVA_DOUBLE, i * full.rhoPlaneStride() + j * full.rhoRowStride() + k);
                    cmax = Math.max(cmax, Math.abs(b));
                    cdiff = Math.max(cdiff, Math.abs(a - b));
                }
                assertTrue(cdiff <= tol * cmax, "pass " + rep + ": backward results differ by " + cdiff + " (max " + cmax + ")");
                // Backward of forward is m³ times the input.
                double v0 = pruned.rho().getAtIndex(JAVA_DOUBLE, 0);
                assertEquals((double) m * m * m * v0, pruned.conv(0).getAtIndex(JAVA_DOUBLE, 0), tol * m * m * m, "c2r(r2c(rho)) = m^3 rho");
            }
        } finally {
            pruned.close();
            full.close();
        }
    }

    /** MEASURE planning writes FFTW wisdom to the configured file, so later runs skip the measuring. */
    @Test
    void measuredPlansAreSavedAsWisdom(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("w.wisdom");
        System.setProperty(FftwFft3.WISDOM_PROPERTY, w.toString());
        try (FftwFft3 f = new FftwFft3(8, 0, 1, "measure", false)) {
            assertTrue(Files.size(w) > 0, "wisdom file written");
            assertTrue(Files.readString(w).contains("fftw_wisdom"), "FFTW wisdom format");
            MemorySegment p = f.psi(0);
            p.setAtIndex(JAVA_DOUBLE, 0, 1);
            f.forward(0);
            assertEquals(1, p.getAtIndex(JAVA_DOUBLE, 2 * 511), 1e-15, "DFT of a delta is 1 everywhere");
        } finally {
            System.clearProperty(FftwFft3.WISDOM_PROPERTY);
        }
    }
}
