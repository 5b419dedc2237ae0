package io.hartree.cli;

import io.hartree.api.model.Grid3D;
import io.hartree.cli.fields.FieldSeries;
import io.hartree.cli.fields.FieldsFile;
import io.hartree.cli.fields.FieldsFileAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The background snapshot writer (Snapshots with background = true, the default of run and
 * ground-state) against the synchronous one: the same datasets to the bit, although the caller
 * overwrites its buffer as soon as take returns; a failed write surfaces as an error at the next
 * call and leaves the snapshots before it readable.
 */
class SnapshotsBackgroundTest {
    @TempDir
    Path tmp;

    static final Grid3D G = new Grid3D(8, 4.0);
    static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** Random doubles of all magnitudes (a swapped axis, a stale buffer or an off-by-one shows). */
    static void fill(MemorySegment psi, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < 2 * G.points(); i++) psi.setAtIndex(D, i, (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-8, 3)));
    }

    static MemorySegment state(long seed) {
        MemorySegment psi = Arena.ofAuto().allocate(2 * G.points() * Double.BYTES, 64);
        fill(psi, seed);
        return psi;
    }

    static Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("format", FieldsFile.FORMAT);
        a.put("n", 8L);
        a.put("snapshot_every_steps", 10L);
        return a;
    }

    /** Takes snapshots of states 1..count through one buffer that is overwritten right after each take (as the run's host buffer is). */
    static void takeAll(Snapshots s, int count) {
        MemorySegment buffer = Arena.ofAuto().allocate(2 * G.points() * Double.BYTES, 64);
        for (int i = 0; i < count; i++) {
            fill(buffer, i + 1);
            s.take(10L * i, 0.01 * i, buffer);
            fill(buffer, 1000 + i); // the caller moves on at once: the background writer must have its own copy
        }
    }

    @Test
    void theBackgroundWriterWritesTheSameFileAsTheSynchronousOne() throws Exception {
        Path sync = Files.createDirectories(tmp.resolve("sync")), bg = Files.createDirectories(tmp.resolve("bg"));
        try (Snapshots s = Snapshots.of(sync, G, 10, FieldsFile.create(sync.resolve(FieldsFile.NAME), G, attributes()), "t", false)) {
            takeAll(s, 4);
            assertFalse((Boolean) s.summary(0.01).get("written_in_background"));
        }
        try (Snapshots s = Snapshots.of(bg, G, 10, FieldsFile.create(bg.resolve(FieldsFile.NAME), G, attributes()), "t", true)) {
            takeAll(s, 4);
            assertTrue(s.has(30), "the last snapshot is held once the writer is drained");
            assertEquals(4, s.count());
            assertTrue((Boolean) s.summary(0.01).get("written_in_background"));
        }
        FieldsFile.Contents a = FieldsFile.read(sync.resolve(FieldsFile.NAME)), b = FieldsFile.read(bg.resolve(FieldsFile.NAME));
        assertArrayEquals(new long[]{0, 10, 20, 30}, b.steps());
        assertArrayEquals(a.times(), b.times(), 0.0);
        assertEquals(a.attributes(), b.attributes());
        for (int i = 0; i < 4; i++) {
            // Each snapshot is the state taken, bit for bit (not the buffer's later contents), in both files ...
            FieldsFileAccess.assertSnapshot(bg.resolve(FieldsFile.NAME), i, G, state(i + 1));
            // ... and every dataset of the two files is the same bits.
            for (String d : List.of("re", "im", "density", "phase", "column_z", "column_y", "column_x")) {
                double[] x = FieldsFile.dataset(sync.resolve(FieldsFile.NAME), i, d), y = FieldsFile.dataset(bg.resolve(FieldsFile.NAME), i, d);
                assertArrayEquals(x, y, 0.0, "snapshot " + i + " " + d);
            }
        }
        assertEquals(Files.readString(sync.resolve("fields.xdmf")), Files.readString(bg.resolve("fields.xdmf")));
    }

    @Test
    void aFailedBackgroundWriteFailsTheNextCallAndKeepsThePreviousSnapshots() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fail")), h5 = dir.resolve(FieldsFile.NAME);
        FieldSeries series = FieldsFile.create(h5, G, attributes());
        // The write of snapshot 1 fails after its datasets are written, before its entry in /time (as a full disk would).
        FieldsFile.failBeforeEntry(series, 1);
        MemorySegment psi = Arena.ofAuto().allocate(2 * G.points() * Double.BYTES, 64);
        UncheckedIOException e, again;
        try (Snapshots s = Snapshots.of(dir, G, 10, series, "t", true)) {
            fill(psi, 1);
            s.take(0, 0.0, psi);
            fill(psi, 2);
            s.take(10, 0.01, psi); // returns: the failure happens on the writer's thread
            fill(psi, 3);
            e = assertThrows(UncheckedIOException.class, () -> s.take(20, 0.02, psi));
            again = assertThrows(UncheckedIOException.class, () -> s.take(30, 0.03, psi), "a failed series takes no more snapshots");
        }
        String m = e.getMessage();
        assertTrue(m.contains("writing a snapshot to " + h5 + " failed") && m.contains("injected failure")
                && m.contains("/snapshots/000001"), m);
        assertSame(e, again);
        FieldsFile.Contents c = FieldsFile.read(h5);
        assertArrayEquals(new long[]{0}, c.steps(), "the failed snapshot is not in /step");
        assertArrayEquals(new double[]{0.0}, c.times(), 0.0);
        FieldsFileAccess.assertSnapshot(h5, 0, G, state(1));
        assertTrue(Files.readString(dir.resolve("fields.xdmf")).contains("/snapshots/000000/density")
                && !Files.readString(dir.resolve("fields.xdmf")).contains("/snapshots/000001/"), "fields.xdmf lists snapshot 0 only");
    }
}
