package io.hartree.cli;

import io.hartree.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.hartree.cli.RunCommandTest.RERUN_TOL;
import static io.hartree.cli.RunCommandTest.run;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code --damping} and {@code --drive} end to end on the cpu backend: a damped run's energy falls
 * at every observation at a kept norm, the breathing mode after a step in w, resume continuing the
 * drive (and the damping) at the right time, config.toml recording both, and bad input (exit 2, the
 * option named, nothing written). γ = 0 against no damping and a table against the same ramp are
 * checked without runs (DampingConformance, engine-api's DriveTest).
 */
class DampingDriveCommandTest {
    @TempDir
    static Path tmp;

    static List<String> base(String... more) {
        List<String> a = new ArrayList<>(List.of("run", "--backend", RunCommandTest.BACKEND, "--grid", "12", "--box", "8", "--dt", "0.02",
                "--trap", "harmonic:w=1", "--threads", "1"));
        a.addAll(List.of(more));
        return a;
    }

    static double[] psi(Path dir) { return Npy.read(dir.resolve("psi_final.npy"), "psi").data(); }

    /** Energy non-increasing at each observation (1e-12 for rounding), the initial norm kept to 1e-12; config.toml keeps damping. */
    @Test
    void dampedRunLosesEnergyAtKeptNorm() throws Exception {
        Path dir = tmp.resolve("damped");
        assertEquals(0, run(base("--interaction", "contact:g=4", "--initial", "gaussian:x0=0.8,0.3,0", "--damping", "1",
                "--time", "1", "--observe-every", "5", "--out", dir.toString()), null));
        var rows = ObservablesCsv.read(dir.resolve(RunFolder.OBSERVABLES));
        assertEquals(11, rows.size());
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i).o().energy() <= rows.get(i - 1).o().energy() + 1e-12, "energy rose at row " + i);
            assertEquals(rows.getFirst().o().norm(), rows.get(i).o().norm(), 1e-12, "norm at row " + i + " (the initial one kept)");
        }
        assertTrue(rows.getFirst().o().energy() - rows.getLast().o().energy() > 0.1, "a damped run loses energy");
        assertTrue(Files.readString(dir.resolve("config.toml")).contains("damping = 1.0"));
    }

    /**
     * w stepped from 1 to 1.5 at t = 0 from φ⁰ (the w = 1 ground state), V = 0: ⟨|x|²⟩(t) =
     * 3[½cos²(1.5t) + (½/1.5²)sin²(1.5t)] (DriveConformance), every observation to t = 1.2 (past the minimum at t = π/3) to 2e-4 (16³ on
     * L = 8, dt = 0.01: Strang's error, 4e-5 measured in the conformance suite; the config.toml
     * records the drive in canonical form).
     */
    @Test
    void breathingModeAfterAStepInW() throws Exception {
        Path dir = tmp.resolve("breathing");
        assertEquals(0, run(List.of("run", "--backend", RunCommandTest.BACKEND, "--grid", "16", "--box", "8", "--dt", "0.01", "--time", "1.2",
                "--trap", "harmonic:w=1", "--interaction", "none", "--initial", "ground", "--drive", "w=step:1,1.5,0",
                "--observe-every", "10", "--threads", "1", "--out", dir.toString()), null));
        var rows = ObservablesCsv.read(dir.resolve(RunFolder.OBSERVABLES));
        assertEquals(13, rows.size());
        for (var r : rows) {
            double t = r.o().time(), c = Math.cos(1.5 * t), s = Math.sin(1.5 * t);
            assertEquals(3 * (0.5 * c * c + 0.5 / 2.25 * s * s), r.o().x2(), 2e-4, "<|x|^2> at t = " + t);
        }
        assertTrue(Files.readString(dir.resolve("config.toml")).contains("drive = 'w=step:1.0,1.5,0.0'"),
                Files.readString(dir.resolve("config.toml")));
    }

    /**
     * Interrupted at step 13 of a ramp (t = 0.26, mid-ramp; damped too) and resumed: the drive continues at the checkpoint's t,
     * the result equals the straight run to RERUN_TOL (a resume that restarted the clock at 0 differs by 0.08).
     */
    @Test
    void resumeContinuesTheDrive() throws Exception {
        Path straight = tmp.resolve("straight"), cut = tmp.resolve("cut");
        List<String> args = base("--initial", "gaussian:x0=0.5,0,0", "--interaction", "contact:g=2", "--time", "0.6", "--damping", "0.3",
                "--drive", "w=ramp:1,1.5,0,0.5;", "--observe-every", "5");
        List<String> s = new ArrayList<>(args);
        s.addAll(List.of("--out", straight.toString()));
        assertEquals(0, run(s, null));
        List<String> c = new ArrayList<>(args);
        c.addAll(List.of("--out", cut.toString(), "--stop-after-steps", "13"));
        assertEquals(0, run(c, null));
        assertEquals(0, run(List.of("run", "--resume", cut.toString()), null));
        double[] x = psi(straight), y = psi(cut);
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        assertEquals(0, m, RERUN_TOL, "resumed psi_final vs straight");
    }

    record Case(String name, String expected, List<String> args) {
        @Override public String toString() { return name; }
    }

    static Stream<Case> bad() throws Exception {
        Path unsorted = tmp.resolve("unsorted.csv");
        Files.writeString(unsorted, "0,1\n1,2\n0.5,3\n");
        Path words = tmp.resolve("words.csv");
        Files.writeString(words, "t,w\n0,1\nlater,2\n");
        return Stream.of(
                new Case("damping negative", "--damping", List.of("run", "--damping", "-0.1")),
                new Case("damping infinite", "--damping", List.of("run", "--damping", "Infinity")),
                new Case("damping with ground-state", "--damping", List.of("ground-state", "--damping", "0.1")),
                new Case("drive with ground-state", "--drive", List.of("ground-state", "--drive", "nu=step:1,2,0")),
                new Case("drive no function", "--drive", List.of("run", "--drive", "nu")),
                new Case("drive unknown parameter", "--drive", List.of("run", "--drive", "k=step:1,2,0")),
                new Case("drive unknown function", "--drive nu", List.of("run", "--drive", "nu=cosine:1,2")),
                new Case("drive ramp three numbers", "--drive nu", List.of("run", "--drive", "nu=ramp:1,2,0")),
                new Case("drive ramp backwards", "--drive nu", List.of("run", "--drive", "nu=ramp:1,2,1,0")),
                new Case("drive step not a number", "--drive nu", List.of("run", "--drive", "nu=step:1,two,0")),
                new Case("drive sine NaN", "--drive nu", List.of("run", "--drive", "nu=sine:1,0.5,NaN")),
                new Case("drive nu through zero", "--drive nu", List.of("run", "--drive", "nu=sine:1,2,1")),
                new Case("drive w negative", "--drive w", List.of("run", "--trap", "harmonic:w=1", "--drive", "w=step:1,-1,0")),
                new Case("drive s zero", "--drive s", List.of("run", "--trap", "doublewell:v0=4,s=0.5", "--drive", "s=ramp:0.5,0,0,1")),
                new Case("drive twice", "--drive", List.of("run", "--drive", "nu=step:1,2,0;nu=step:2,1,1")),
                new Case("drive w and wx", "--drive", List.of("run", "--trap", "harmonic:w=1", "--drive", "w=step:1,2,0;wx=step:1,2,0")),
                new Case("drive nu of a harmonic trap", "no parameter 'nu'", List.of("run", "--trap", "harmonic:w=1", "--drive", "nu=step:1,2,0")),
                new Case("drive v0 of a harmonic trap", "no parameter 'v0'", List.of("run", "--trap", "harmonic:w=1", "--drive", "v0=step:1,0,0")),
                new Case("drive w of the paper trap", "no parameter 'w'", List.of("run", "--drive", "w=step:1,2,0")),
                new Case("drive table missing", "--drive nu", List.of("run", "--drive", "nu=table:" + tmp.resolve("none.csv"))),
                new Case("drive table unsorted", "--drive nu", List.of("run", "--drive", "nu=table:" + unsorted)),
                new Case("drive table words", "--drive nu", List.of("run", "--drive", "nu=table:" + words)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badInputExitsTwoAndWritesNothing(Case c) {
        Path out = tmp.resolve("bad-" + c.name.replace(' ', '_'));
        List<String> args = new ArrayList<>(c.args);
        args.addAll(List.of("--out", out.toString()));
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        for (var sub : cl.getSubcommands().values()) sub.setErr(new PrintWriter(err, true));
        assertEquals(Main.EXIT_USAGE, cl.execute(args.toArray(String[]::new)), c + ": exit code; stderr: " + err);
        assertTrue(err.toString().contains(c.expected), c + ": the message names " + c.expected + ": " + err);
        assertFalse(Files.exists(out), c + ": nothing may be written");
    }
}
