package io.hartree.cli.fields;

import io.hartree.api.ParameterException;
import io.hartree.api.model.Grid3D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * fields.h5 written with the HDF5 C library and read back with it: every stored double equals the
 * in-memory state bit for bit (no tolerance: HDF5 stores float64 as given; deflate is lossless), in
 * every slab size, including slabs smaller than one z-plane, as a grid past 2³¹ values is written.
 */
class FieldsFileTest {
    @TempDir
    Path tmp;

    static final Grid3D G = new Grid3D(8, 4.0);
    static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** A state of random doubles of all magnitudes (not a smooth field, so a swapped axis or an off-by-one shows). */
    static MemorySegment state(Grid3D g, long seed) {
        MemorySegment psi = Arena.ofAuto().allocate(2 * g.points() * Double.BYTES, 64);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < 2 * g.points(); i++) psi.setAtIndex(D, i, (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-8, 3)));
        return psi;
    }

    static Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("format", FieldsFile.FORMAT);
        a.put("n", 8L);
        a.put("dt", 0.001);
        a.put("config_toml", "command = \"run\"\ngrid = 8\n");
        return a;
    }

    /** Asserts that snapshot {@code index} of {@code file} holds {@code psi} exactly, [z][y][x] against the engine's [x][y][z]. */
    static void assertSnapshot(Path file, int index, Grid3D g, MemorySegment psi) {
        int n = g.n();
        double[] re = FieldsFile.dataset(file, index, "re"), im = FieldsFile.dataset(file, index, "im"), rho = FieldsFile.dataset(file, index, "density");
        double[] phase = FieldsFile.dataset(file, index, "phase");
        assertEquals((long) n * n * n, re.length);
        int bad = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) {
                    int at = (k * n + j) * n + i;
                    double a = psi.getAtIndex(D, g.complexIndex(i, j, k)), b = psi.getAtIndex(D, g.complexIndex(i, j, k) + 1);
                    if (Double.doubleToRawLongBits(re[at]) != Double.doubleToRawLongBits(a)) bad++;
                    if (Double.doubleToRawLongBits(im[at]) != Double.doubleToRawLongBits(b)) bad++;
                    if (Double.doubleToRawLongBits(rho[at]) != Double.doubleToRawLongBits(a * a + b * b)) bad++;
                    if (Double.doubleToRawLongBits(phase[at]) != Double.doubleToRawLongBits(Math.atan2(b, a))) bad++;
                }
        assertEquals(0, bad, "values differing from the in-memory state in snapshot " + index + " of " + file);
    }

    @Test
    void snapshotsReadBackBitForBitInEverySlabSize() {
        MemorySegment a = state(G, 1), b = state(G, 2);
        // One slab (2^22 values), two z-planes per slab (128), and 40 values: 5 rows of a plane, the last slab 3 rows.
        for (long slab : List.of(FieldsFile.SLAB_VALUES, 128L, 40L)) {
            Path f = tmp.resolve("slab" + slab + ".h5");
            try (FieldSeries s = FieldsFile.create(f, G, attributes(), slab)) {
                s.append(0, 0.0, a, ColumnDensity.of(G, a));
                s.append(30, 0.03, b, ColumnDensity.of(G, b));
                assertEquals(List.of(0L, 30L), s.steps());
            }
            assertSnapshot(f, 0, G, a);
            assertSnapshot(f, 1, G, b);
            FieldsFile.Contents c = FieldsFile.read(f, List.of("format", "n", "dt", "config_toml"));
            assertArrayEquals(new long[]{0, 30}, c.steps());
            assertArrayEquals(new double[]{0.0, 0.03}, c.times(), 0.0);
            assertEquals(attributes(), c.attributes(), "root attributes as written, typed");
            assertEquals(30L, FieldsFile.snapshotAttribute(f, 1, "step"));
            assertEquals(0.03, FieldsFile.snapshotAttribute(f, 1, "time"));
            ColumnDensity cb = ColumnDensity.of(G, b);
            assertArrayEquals(cb.alongZ(), FieldsFile.dataset(f, 1, "column_z"), 0.0);
            assertArrayEquals(cb.alongY(), FieldsFile.dataset(f, 1, "column_y"), 0.0);
            assertArrayEquals(cb.alongX(), FieldsFile.dataset(f, 1, "column_x"), 0.0);
            double[] x = FieldsFile.dataset1(f, "x");
            for (int i = 0; i < 8; i++) assertEquals(G.x(i), x[i], 0.0, "x coordinate " + i);
        }
    }

    /** Resume keeps the snapshots up to the checkpoint's step, deletes the later ones (and a cut-off group), and appends after them. */
    @Test
    void resumeKeepsUpToTheCheckpointAndContinues() {
        MemorySegment a = state(G, 1), b = state(G, 2), c = state(G, 3);
        Path straight = tmp.resolve("straight.h5"), cut = tmp.resolve("cut.h5");
        try (FieldSeries s = FieldsFile.create(straight, G, attributes(), 40)) {
            s.append(0, 0.0, a, ColumnDensity.of(G, a));
            s.append(10, 0.01, b, ColumnDensity.of(G, b));
            s.append(20, 0.02, c, ColumnDensity.of(G, c));
        }
        try (FieldSeries s = FieldsFile.create(cut, G, attributes(), 40)) {
            s.append(0, 0.0, a, ColumnDensity.of(G, a));
            s.append(10, 0.01, b, ColumnDensity.of(G, b));
            // Written after the checkpoint at step 15, before the interruption: not part of the resumed series.
            s.append(20, 0.02, a, ColumnDensity.of(G, a));
        }
        try (FieldSeries s = FieldsFile.resume(cut, G, 15)) {
            assertEquals(List.of(0L, 10L), s.steps(), "kept up to step 15");
            s.append(20, 0.02, c, ColumnDensity.of(G, c));
        }
        FieldsFile.Contents x = FieldsFile.read(straight), y = FieldsFile.read(cut);
        assertArrayEquals(x.steps(), y.steps());
        assertArrayEquals(x.times(), y.times(), 0.0);
        assertEquals(x.attributes(), y.attributes());
        for (int i = 0; i < 3; i++)
            for (String d : List.of("re", "im", "density", "column_z", "column_y", "column_x"))
                assertArrayEquals(FieldsFile.dataset(straight, i, d), FieldsFile.dataset(cut, i, d), 0.0, "snapshot " + i + " " + d);
        assertSnapshot(cut, 2, G, c);
    }

    @Test
    void theIntervalMustBeAMultipleOfDt() {
        assertEquals(20, FieldsFile.everySteps(0.02, 1e-3));
        assertEquals(1, FieldsFile.everySteps(1e-3, 1e-3));
        assertEquals(3, FieldsFile.everySteps(0.3, 0.1), "0.3/0.1 = 2.9999999999999996 is 3 within 1e-9");
        for (double bad : new double[]{0.0205, 0.0, -0.02, 5e-4, Double.NaN, Double.POSITIVE_INFINITY}) {
            ParameterException e = assertThrows(ParameterException.class, () -> FieldsFile.everySteps(bad, 1e-3), "T = " + bad);
            assertEquals("--snapshot-every", e.parameter());
            assertTrue(e.getMessage().contains("multiple of dt = 0.001"), e.getMessage());
        }
    }
}
