package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hartree.api.io.Npy;
import io.hartree.api.model.Grid3D;
import io.hartree.cli.fields.ColumnDensity;
import io.hartree.cli.fields.FieldSeries;
import io.hartree.cli.fields.FieldsFile;
import io.hartree.cli.fields.FieldsFileAccess;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code --snapshot-every} end to end: fields.h5 of a run against the run's own outputs
 * (psi_final.npy, observables.csv, config.toml) bit for bit, fields.xdmf, resume after an
 * interruption, ground-state, and bad input. 16³ keeps each run well under a second of stepping.
 */
class SnapshotsCommandTest {
    /** A displaced, boosted start (x0 = 1 along x, p0 = 1 along y), so that a swapped axis would show. */
    static final List<String> SMALL = List.of("--backend", RunCommandTest.BACKEND, "--grid", "16", "--box", "12", "--time", "0.05",
            "--observe-every", "5", "--initial", "gaussian:x0=1,0,0;p0=0,1,0");
    static final Grid3D G = new Grid3D(16, 12);

    @TempDir
    Path tmp;

    /** One straight run with snapshots, shared by the tests that read it (a run costs seconds on a loaded machine). */
    @TempDir
    static Path shared;
    static Path straight;

    @BeforeAll
    static void straightRun() {
        straight = shared.resolve("straight");
        assertEquals(0, exec(null, run(SMALL, "--snapshot-every", "0.02", "--out", straight.toString())));
    }

    static int exec(StringWriter err, List<String> args) {
        var cl = Main.commandLine();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ((GroundStateCommand) cl.getSubcommands().get("ground-state").getCommand()).out = quiet;
        ((RunCommand) cl.getSubcommands().get("run").getCommand()).out = quiet;
        if (err != null) {
            cl.getSubcommands().get("run").setErr(new PrintWriter(err, true));
            cl.getSubcommands().get("ground-state").setErr(new PrintWriter(err, true));
        }
        return cl.execute(args.toArray(String[]::new));
    }

    static List<String> run(List<String> base, String... more) {
        List<String> a = new ArrayList<>(List.of("run"));
        a.addAll(base);
        a.addAll(List.of(more));
        return a;
    }

    /** psi_final.npy (x y z order) as a segment, to compare with a snapshot of fields.h5 (z y x). */
    static MemorySegment npy(Path f) {
        return MemorySegment.ofArray(Npy.read(f, "psi").data());
    }

    @Test
    void aRunWritesItsSnapshotsAndTheLastIsPsiFinal() throws Exception {
        Path dir = straight;
        Path h5 = dir.resolve("fields.h5");
        FieldsFile.Contents c = FieldsFile.read(h5);
        assertArrayEquals(new long[]{0, 20, 40, 50}, c.steps(), "every 20 steps, and the last step 50");
        // The times are the propagator's, as in observables.csv at the same steps (0 and 20, 40, 50 are observed: every 5).
        List<ObservablesCsv.Row> rows = ObservablesCsv.read(dir.resolve("observables.csv"));
        for (int i = 0; i < c.steps().length; i++) {
            long step = c.steps()[i];
            double t = rows.stream().filter(r -> r.step() == step).findFirst().orElseThrow().o().time();
            assertEquals(t, c.times()[i], 0.0, "time of snapshot " + i + " (step " + step + ")");
        }
        assertEquals(Files.readString(dir.resolve("config.toml")), c.attributes().get("config_toml"), "the resolved parameters, as config.toml");
        assertEquals(20L, c.attributes().get("snapshot_every_steps"));
        assertEquals(0.02, c.attributes().get("snapshot_every"));
        assertEquals(16L, c.attributes().get("n"));
        assertEquals(12.0, c.attributes().get("box"));
        assertEquals("z y x", c.attributes().get("axes"));
        FieldsFileAccess.assertSnapshot(h5, 3, G, npy(dir.resolve("psi_final.npy")));

        // The column densities stored with each snapshot integrate to the norm of observables.csv.
        JsonNode s = RunCommandTest.summary(dir);
        double[] nz = FieldsFile.dataset(h5, 3, "column_z");
        double sum = 0;
        for (double v : nz) sum += v;
        assertEquals(s.get("norm_final").asDouble(), sum * G.dx() * G.dx(), 1e-12, "dx^2 sum n_z = N (rounding of 256 terms)");

        // fields.xdmf: one Uniform grid per snapshot at the same times, z y x dimensions and the snapshot's datasets.
        String x = Files.readString(dir.resolve("fields.xdmf"));
        Matcher m = Pattern.compile("<Time Value=\"([^\"]+)\"/>").matcher(x);
        List<Double> times = new ArrayList<>();
        while (m.find()) times.add(Double.parseDouble(m.group(1)));
        assertEquals(4, times.size());
        for (int i = 0; i < 4; i++) assertEquals(c.times()[i], times.get(i), 0.0, "xdmf time " + i);
        assertTrue(x.contains("fields.h5:/snapshots/000003/density"), x);
        assertTrue(x.contains("<Attribute Name=\"phase\" AttributeType=\"Scalar\" Center=\"Node\">"), x);
        assertTrue(x.contains("fields.h5:/snapshots/000003/phase"), x);
        assertTrue(x.contains("<Topology TopologyType=\"3DCoRectMesh\" Dimensions=\"16 16 16\"/>"), x);

        assertEquals(4, s.get("snapshots").get("count").asInt());
        for (String f : List.of("column_density.png", "density_slices.png", "column_density_strip.png", "snapshots/column_000003.png"))
            assertTrue(Files.size(dir.resolve(f)) > 1000, f);
        // column_density.gif: one frame per snapshot (4 <= ANIMATION_MAX), each the frame size, the frames differing (the cloud moves).
        try (var in = javax.imageio.ImageIO.createImageInputStream(dir.resolve("column_density.gif").toFile())) {
            javax.imageio.ImageReader r = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
            r.setInput(in);
            assertEquals(4, r.getNumImages(true), "frames");
            java.awt.image.BufferedImage first = r.read(0), last = r.read(3);
            assertEquals(io.hartree.cli.fields.FieldPlots.FRAME_W, first.getWidth());
            assertEquals(io.hartree.cli.fields.FieldPlots.FRAME_H, first.getHeight());
            int differ = 0;
            for (int y = 0; y < first.getHeight(); y++)
                for (int px = 0; px < first.getWidth(); px++) if (first.getRGB(px, y) != last.getRGB(px, y)) differ++;
            assertTrue(differ > 1000, "pixels differing between the first and the last frame: " + differ);
            String tree = javax.imageio.metadata.IIOMetadataNode.class.cast(r.getImageMetadata(1).getAsTree("javax_imageio_gif_image_1.0"))
                    .getElementsByTagName("GraphicControlExtension").item(0).getAttributes().getNamedItem("delayTime").getNodeValue();
            assertEquals(Integer.toString(io.hartree.cli.fields.FieldPlots.ANIMATION_DELAY_CS), tree, "frame delay");
        }
        assertTrue(new String(Files.readAllBytes(dir.resolve("column_density.gif")), StandardCharsets.ISO_8859_1).contains("NETSCAPE2.0\u0003\u0001\u0000\u0000"),
                "the looping extension (loop count 0 = for ever)");
    }

    /**
     * Stopped at step 23 (checkpoint), with a stale snapshot at step 40 appended as if written after the
     * checkpoint and before a crash: --resume drops it and gives the file of a straight run. Snapshots
     * before the checkpoint are the same bytes; after it the resumed state went through the checkpoint's
     * store and load (two FFTs), which changes ψ by rounding only (RunCommandTest.RERUN_TOL = 1e−12).
     */
    @Test
    void aResumedRunGivesTheFileOfAStraightRun() throws Exception {
        Path cut = tmp.resolve("cut");
        assertEquals(0, exec(null, run(SMALL, "--snapshot-every", "0.02", "--out", cut.toString(), "--stop-after-steps", "23")));
        Path h5 = cut.resolve("fields.h5");
        assertArrayEquals(new long[]{0, 20}, FieldsFile.read(h5).steps(), "interrupted after step 23");
        MemorySegment junk = Arena.ofAuto().allocate(2 * G.points() * Double.BYTES);
        try (FieldSeries s = FieldsFile.resume(h5, G, Long.MAX_VALUE)) {
            s.append(40, 0.04, junk, ColumnDensity.of(G, junk));
        }
        assertEquals(0, exec(null, List.of("run", "--resume", cut.toString())));
        FieldsFile.Contents a = FieldsFile.read(straight.resolve("fields.h5")), b = FieldsFile.read(h5);
        assertArrayEquals(a.steps(), b.steps());
        assertArrayEquals(a.times(), b.times(), 1e-15, "times: the resumed clock restarts from the checkpoint's time");
        assertEquals(a.attributes(), b.attributes());
        for (int i = 0; i < a.steps().length; i++)
            // Not phase: where |psi| is tiny, a rounding change of re and im turns atan2 by O(1); re and im determine it.
            for (String d : List.of("re", "im", "density", "column_z")) {
                double[] x = FieldsFile.dataset(straight.resolve("fields.h5"), i, d), y = FieldsFile.dataset(h5, i, d);
                if (a.steps()[i] <= 23) assertArrayEquals(x, y, 0.0, "snapshot " + i + " " + d + " before the checkpoint: the same bytes");
                else assertEquals(0, RunCommandTest.maxDiff(x, y), RunCommandTest.RERUN_TOL, "snapshot " + i + " " + d);
            }
        FieldsFileAccess.assertSnapshot(h5, 3, G, npy(cut.resolve("psi_final.npy")));
    }

    @Test
    void groundStateSnapshotsAtItsObservations() throws Exception {
        Path dir = tmp.resolve("gs");
        assertEquals(0, exec(null, List.of("ground-state", "--backend", RunCommandTest.BACKEND, "--grid", "16", "--box", "12", "--max-steps", "50",
                "--snapshot-every", "0.02", "--out", dir.toString())));
        FieldsFile.Contents c = FieldsFile.read(dir.resolve("fields.h5"));
        JsonNode s = RunCommandTest.summary(dir);
        long last = s.get("steps").asLong();
        long[] st = c.steps();
        assertArrayEquals(new long[]{0, 20, 40, 50}, st, "every 20 steps and the last (--max-steps 50, observed every 10)");
        assertEquals(last, st[st.length - 1], "the last snapshot is the ground state");
        assertEquals(s.get("tau_final").asDouble(), c.times()[st.length - 1], 0.0);
        assertEquals("imaginary time tau", FieldsFile.read(dir.resolve("fields.h5"), List.of("time_kind")).attributes().get("time_kind"));
        FieldsFileAccess.assertSnapshot(dir.resolve("fields.h5"), st.length - 1, G, npy(dir.resolve("psi_final.npy")));
    }

    /** The first python3 (on the PATH, then Debian's) that has {@code modules} ("a, b.c"); empty when none does. */
    static Optional<String> python(String modules) {
        for (String py : List.of("python3", "/usr/bin/python3")) {
            try {
                // find_spec does not import: importing paraview.simple alone takes seconds.
                String probe = "import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in '" + modules + "'.split(', ')) else 1)";
                Process p = new ProcessBuilder(py, "-c", probe).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) return Optional.of(py);
            } catch (IOException e) {
                // not installed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Optional.empty();
    }

    /** Runs {@code command}; its last line starting with "RESULT " or "{" as JSON. */
    static JsonNode runPython(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HDF5_USE_FILE_LOCKING", "FALSE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        String line = out.lines().filter(l -> l.startsWith("RESULT ") || l.startsWith("{")).reduce((a, b) -> b).orElseThrow(() -> new AssertionError(out));
        return new ObjectMapper().readTree(line.startsWith("RESULT ") ? line.substring(7) : line);
    }

    /**
     * scripts/plot_snapshot.py (docs/python.md) with h5py: the last snapshot as NumPy equals
     * psi_final.npy bit for bit (np.array_equal), steps and times are those Java reads, the norm of
     * the snapshot and of its column density are the summary's norm_final (rounding of 4096 terms: 1e-12).
     */
    @Test
    void theExampleScriptReadsTheRunFolderWithH5py() throws Exception {
        Optional<String> py = python("numpy, h5py");
        Assumptions.assumeTrue(py.isPresent(), "no python3 with numpy and h5py here (Debian: apt-get install python3-h5py)");
        Path script = Path.of(System.getProperty("user.dir")).resolve("../scripts/plot_snapshot.py").normalize();
        Path png = tmp.resolve("snap.png");
        JsonNode r = runPython(List.of(py.get(), script.toString(), straight.toString(), "--out", png.toString()));
        FieldsFile.Contents c = FieldsFile.read(straight.resolve("fields.h5"));
        assertEquals(4, r.get("snapshots").asInt());
        assertTrue(r.get("last_equals_psi_final").asBoolean(), "h5py's last snapshot equals psi_final.npy bit for bit");
        for (int i = 0; i < 4; i++) {
            assertEquals(c.steps()[i], r.get("steps").get(i).asLong());
            assertEquals(c.times()[i], r.get("times").get(i).asDouble(), 0.0, "time " + i + " as written");
        }
        double norm = RunCommandTest.summary(straight).get("norm_final").asDouble();
        assertEquals(norm, r.get("norm").asDouble(), 1e-12);
        assertEquals(norm, r.get("norm_column_z").asDouble(), 1e-12);
        // Java's Math.atan2 (fdlibm) and NumPy's angle (libm atan2) are each within 1 ulp of the exact angle; |phase| <= pi, ulp(pi) = 4.4e-16.
        assertEquals(0, r.get("phase_max_diff_angle").asDouble(), 1e-15, "phase = np.angle(re + 1j im)");
        assertTrue(r.get("config_has_grid").asBoolean());
        if (!r.get("png").isNull()) assertTrue(Files.size(png) > 1000, "matplotlib figure");
    }

    /**
     * ParaView's XDMFReader (what File > Open uses for .xdmf) on fields.xdmf: the four times, the
     * 16³ grid at origin −L/2 with spacing L/n, all twelve arrays equal to fields.h5, and at each point
     * of the last snapshot, located by ParaView's own coordinates, re and im equal to psi_final.npy
     * exactly (an x/z swap would fail: the start is displaced along x and boosted along y).
     */
    @Test
    void paraviewReadsTheXdmfWithTheRightAxes() throws Exception {
        Optional<String> py = python("numpy, h5py, paraview.simple");
        Assumptions.assumeTrue(py.isPresent(), "no python3 with paraview.simple and h5py here (Debian: apt-get install --no-install-recommends paraview python3-paraview python3-h5py)");
        Path script = Path.of(Objects.requireNonNull(getClass().getResource("/fields/pv_check.py")).toURI());
        JsonNode r = runPython(List.of(py.get(), script.toString(), straight.resolve("fields.xdmf").toAbsolutePath().toString(),
                straight.resolve("psi_final.npy").toAbsolutePath().toString(), "12"));
        FieldsFile.Contents c = FieldsFile.read(straight.resolve("fields.h5"));
        assertEquals(4, r.get("times").size());
        for (int i = 0; i < 4; i++) assertEquals(c.times()[i], r.get("times").get(i).asDouble(), 0.0, "time " + i);
        assertEquals(0, r.get("missing").size(), "arrays the reader dropped: " + r.get("missing"));
        assertEquals(16, r.get("arrays").asInt(), "4 arrays (density, phase, re, im) x 4 snapshots");
        assertEquals(0.0, r.get("max_diff_h5").asDouble(), 0.0);
        for (int d = 0; d < 3; d++) {
            assertEquals(16, r.get("dims").get(d).asInt());
            assertEquals(-6.0, r.get("origin").get(d).asDouble(), 0.0);
            assertEquals(0.75, r.get("spacing").get(d).asDouble(), 0.0);
        }
        assertEquals(4096, r.get("points").asInt());
        assertEquals(0.0, r.get("max_diff_npy").asDouble(), 0.0, "ParaView's point (x, y, z) holds psi(x, y, z)");
        // Math.atan2 against NumPy's angle: each within 1 ulp of the exact angle, |phase| <= pi (ulp 4.4e-16).
        assertEquals(0.0, r.get("max_diff_phase").asDouble(), 1e-15, "ParaView's phase at (x, y, z) is arg psi(x, y, z)");
    }

    @Test
    void badIntervalsAreRefusedBeforeAnythingIsWritten() {
        Path dir = tmp.resolve("bad");
        StringWriter err = new StringWriter();
        assertEquals(Main.EXIT_USAGE, exec(err, run(SMALL, "--snapshot-every", "0.0205", "--out", dir.toString())));
        assertTrue(err.toString().contains("--snapshot-every: 0.0205 is not allowed; allowed: a positive multiple of dt = 0.001"), err.toString());
        assertFalse(Files.exists(dir), "nothing written");
        err.getBuffer().setLength(0);
        // ground-state observes every 10 steps: 5 steps is not a multiple.
        assertEquals(Main.EXIT_USAGE, exec(err, List.of("ground-state", "--backend", RunCommandTest.BACKEND, "--grid", "16",
                "--snapshot-every", "0.005", "--out", dir.toString())));
        assertTrue(err.toString().contains("--snapshot-every") && err.toString().contains("observe_every*dtau = 10*0.001"), err.toString());
        assertFalse(Files.exists(dir), "nothing written");
        err.getBuffer().setLength(0);
        assertEquals(Main.EXIT_USAGE, exec(err, List.of("run", "--resume", tmp.toString(), "--snapshot-every", "0.02")));
        assertTrue(err.toString().contains("cannot be combined with --snapshot-every"), err.toString());
    }
}
