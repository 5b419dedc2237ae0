package io.hartree.cli;

import io.hartree.api.Observables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** --rotation through the CLI: the observables.csv columns, and bad input (exit 2, the parameter, nothing written). */
class RotationCliTest {
    @TempDir
    Path tmp;

    /**
     * φ⁰ displaced to x = 1 with wave number 0.5 along y in the paper's isotropic trap (ν = 1), V = 0: ⟨L_z⟩ =
     * ⟨x⟩⟨p_y⟩ = 0.5 and it is conserved (L_z commutes with h), so every row has angular_momentum 0.5 (1e-9: the
     * Gaussian at dx = 0.5 is resolved to 1e-12) and energy = lab_energy − Ω·angular_momentum (1e-12).
     */
    @Test
    void runWritesTheRotatingFrameColumns() throws Exception {
        Path out = tmp.resolve("run");
        int code = Main.execute("run", "--backend", "cpu", "--grid", "24", "--box", "12", "--nu", "1", "--interaction", "none", "--dt", "0.02", "--time", "0.4",
                "--observe-every", "5", "--rotation", "0.7", "--initial", "gaussian:x0=1,0,0;p0=0,0.5,0", "--out", out.toString());
        assertEquals(0, code);
        List<String> lines = Files.readAllLines(out.resolve("observables.csv"));
        assertEquals(ObservablesCsv.HEADER, lines.getFirst());
        assertTrue(lines.getFirst().endsWith(",angular_momentum,lab_energy,vortices"));
        List<ObservablesCsv.Row> rows = ObservablesCsv.read(out.resolve("observables.csv"));
        assertTrue(rows.size() >= 5, "rows: " + rows.size());
        for (ObservablesCsv.Row r : rows) {
            Observables o = r.o();
            assertEquals(0.5, o.angularMomentum(), 1e-9, "<L_z> at step " + r.step());
            assertEquals(o.labEnergy() - 0.7 * o.angularMomentum(), o.energy(), 1e-12, "rotating-frame energy at step " + r.step());
            assertEquals(0, o.vortices(), "no vortex in a Gaussian");
        }
        assertTrue(Files.readString(out.resolve("config.toml")).contains("rotation"), "config.toml records the rotation");
    }

    private static void refused(Path out, String expected, String... args) {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        for (var sub : cl.getSubcommands().values()) sub.setErr(new PrintWriter(err, true));
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--out";
        all[args.length + 1] = out.toString();
        assertEquals(Main.EXIT_USAGE, cl.execute(all), "exit code; stderr: " + err);
        assertTrue(err.toString().contains(expected), "the message names " + expected + ": " + err);
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void badRotationInputExitsTwo() {
        refused(tmp.resolve("a"), "--rotation", "run", "--grid", "8", "--rotation", "NaN");
        refused(tmp.resolve("b"), "--rotation", "run", "--grid", "8", "--rotation", "Infinity");
        // 32 points on L = 12: k_max = 8.38; dt·|Omega|·(L/2)·k_max = 0.05·0.5·6·8.38 = 1.26 > 1: bound 0.0398.
        refused(tmp.resolve("c"), "--dt", "ground-state", "--grid", "32", "--box", "12", "--rotation", "0.5", "--dt", "0.05");
        refused(tmp.resolve("d"), "0.0397887", "ground-state", "--grid", "32", "--box", "12", "--rotation", "0.5", "--dt", "0.05");
    }

    /** The warning of a rotating frame with a trap not isotropic in x, y; none for an isotropic one or without rotation. */
    @Test
    void anisotropicTrapWarns() throws Exception {
        java.util.function.BiFunction<String, Double, RunSpec> spec = (trap, omega) -> {
            try {
                Path toml = Files.writeString(tmp.resolve("c" + trap.hashCode() + omega + ".toml"),
                        "trap = \"" + trap + "\"\nrotation = " + omega + "\nobserve_every = 10\n");
                return RunSpec.of(RunConfig.defaults("run").overlay(RunConfig.Overrides.read(toml)));
            } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
        };
        assertTrue(spec.apply("harmonic:wx=1,wy=1.2,wz=3", 0.5).rotationWarning().orElseThrow().contains("not isotropic in x, y"));
        assertTrue(spec.apply("harmonic:wx=1,wy=1,wz=3", 0.5).rotationWarning().isEmpty(), "isotropic in x, y (wz differs)");
        assertTrue(spec.apply("harmonic:wx=1,wy=1.2,wz=3", 0.0).rotationWarning().isEmpty(), "no rotation");
    }
}
