package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hartree.api.io.Npy;
import io.hartree.api.model.Grid3D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code --trap} end to end on the cpu backend: each trap's energy of a known state against its
 * closed form, the Kohn mode at w_d along each axis, a table trap against the equivalent harmonic
 * trap, config.toml and summary.json recording the trap (and rerunning it), bad specs refused.
 */
class TrapCommandTest {
    static final String BACKEND = RunCommandTest.BACKEND;

    @TempDir
    Path tmp;

    static List<String> cmd(String command, String... more) {
        List<String> a = new ArrayList<>(List.of(command, "--backend", BACKEND));
        a.addAll(List.of(more));
        return a;
    }

    static int exec(List<String> args, StringWriter err) {
        var cl = Main.commandLine();
        var quiet = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true);
        ((RunCommand) cl.getSubcommands().get("run").getCommand()).out = quiet;
        ((GroundStateCommand) cl.getSubcommands().get("ground-state").getCommand()).out = quiet;
        if (err != null) {
            cl.setErr(new PrintWriter(err, true));
            for (var sub : cl.getSubcommands().values()) sub.setErr(new PrintWriter(err, true));
        }
        return cl.execute(args.toArray(String[]::new));
    }

    static List<double[]> rows(Path dir) throws Exception {
        List<double[]> r = new ArrayList<>();
        for (var row : ObservablesCsv.read(dir.resolve(RunFolder.OBSERVABLES))) {
            var o = row.o();
            r.add(new double[]{o.time(), o.kinetic(), o.trap(), o.meanX(), o.meanY(), o.meanZ(), o.energy()});
        }
        return r;
    }

    /**
     * Anisotropic harmonic ground state, V = 0: imaginary time from φ⁰ must reach
     * E = Σ_d w_d/2 = 2.25 and ⟨|x|²⟩ = Σ_d 1/(2w_d) for w = (1, 1.5, 2). Errors: Strang's
     * imaginary-time fixed point is off by O((w dt)²) (measured below), the stop rule leaves
     * |dE/dτ| &lt; 1e-10, and 24³ on L = 12 (dx = 0.5) resolves these Gaussians to ~1e-12.
     * Measured at dτ = 4e-3: E − 2.25 = −2.7e-8, ⟨|x|²⟩ − 13/12 = 5.7e-6 (the width carries the
     * O((w dτ)²) = 6e-5 splitting error with a small constant), hence bounds 1e-6 and 5e-5. The
     * kinetic convention a = 1 in place of ½ would give E = (wx + wy + wz)/√2 = 3.18.
     */
    @Test
    void anisotropicHarmonicGroundStateEnergy() throws Exception {
        Path dir = tmp.resolve("gs");
        assertEquals(0, exec(cmd("ground-state", "--grid", "24", "--box", "12", "--dt", "4e-3", "--interaction", "none",
                "--trap", "harmonic:wx=1,wy=1.5,wz=2", "--out", dir.toString()), null));
        JsonNode s = RunCommandTest.summary(dir);
        assertTrue(s.get("converged").asBoolean());
        assertEquals(2.25, s.get("energy").asDouble(), 1e-6, "E = (wx + wy + wz)/2");
        assertEquals(0.5 + 1 / 3.0 + 0.25, s.get("x2_final").asDouble(), 5e-5, "<|x|^2> = sum 1/(2 w_d)");
        assertEquals("harmonic:wx=1.0,wy=1.5,wz=2.0", s.get("trap").asText());
        assertFalse(s.has("nu"), "nu belongs to the paper's trap only");
    }

    /**
     * Kohn's theorem: in U = ½Σw_d²x_d² with a translation-invariant V, ⟨x_d⟩(t) = x₀ cos(w_d t)
     * + (p₀/w_d) sin(w_d t) exactly, whatever the interaction (here the default Gaussian, λ = 1).
     * Strang's step is a leapfrog for (⟨x⟩, ⟨p⟩), whose frequency is w(1 + (w dt)²/24 + …): at
     * w = 1.25, dt = 4e-3 a phase error of 3.9e-6 rad at t = 3, 1.2e-6 in ⟨z⟩; measured max 7.8e-7
     * over 31 times and three axes, hence 5e-6. A kinetic coefficient a = 1 would oscillate at √2·w_d,
     * an error of order x₀.
     */
    @Test
    void kohnModeAtEachAxisFrequency() throws Exception {
        Path dir = tmp.resolve("kohn");
        double[] w = {0.8, 1.0, 1.25}, x0 = {0.5, -0.4, 0.3}, p0 = {0.2, 0, -0.1};
        assertEquals(0, exec(cmd("run", "--grid", "28", "--box", "14", "--dt", "4e-3", "--time", "3", "--observe-every", "25",
                "--trap", "harmonic:wx=0.8,wy=1,wz=1.25", "--initial", "gaussian:x0=0.5,-0.4,0.3;p0=0.2,0,-0.1", "--out", dir.toString()), null));
        double worst = 0;
        for (double[] r : rows(dir)) {
            double t = r[0];
            for (int d = 0; d < 3; d++) {
                double expected = x0[d] * Math.cos(w[d] * t) + p0[d] / w[d] * Math.sin(w[d] * t);
                worst = Math.max(worst, Math.abs(r[3 + d] - expected));
            }
        }
        assertTrue(worst < 5e-6, "max |<x_d>(t) - closed form| = " + worst);
    }

    /**
     * The double well's energy of φ⁰ = π^{−3/4}e^{−|x|²/2} (V = 0, the row at t = 0): kinetic
     * ½⟨|k|²⟩ = 3/4 and trap Σ_d w_d²/4 + V₀ s√2/√(2s² + 1) (the barrier's Gaussian average over
     * |φ⁰|²'s x-marginal π^{−1/2}e^{−x²}). 32³ on L = 12 (dx = 0.375): the Riemann sum of
     * e^{−(1 + 1/(2s²))x²} errs by ~e^{−π²/((1 + 1/(2s²))dx²)} ≈ 1e-15, so 1e-12.
     * config.toml records the trap (and no nu), and rerunning it gives the same state (rounding, 1e-12).
     */
    @Test
    void doubleWellEnergyOfPhi0AndConfigReruns() throws Exception {
        Path dir = tmp.resolve("dw"), again = tmp.resolve("dw-again");
        double wx = 1, wy = 1.2, wz = 0.9, v0 = 3, s = 0.7;
        String spec = "doublewell:wx=1,wy=1.2,wz=0.9,v0=3,s=0.7";
        assertEquals(0, exec(cmd("run", "--grid", "32", "--box", "12", "--dt", "4e-3", "--time", "0.04", "--observe-every", "5",
                "--interaction", "none", "--trap", spec, "--out", dir.toString()), null));
        double[] r0 = rows(dir).getFirst();
        assertEquals(0.75, r0[1], 1e-12, "kinetic energy of phi0 under -1/2 Laplacian");
        double trap = 0.25 * (wx * wx + wy * wy + wz * wz) + v0 * s * Math.sqrt(2) / Math.sqrt(2 * s * s + 1);
        assertEquals(trap, r0[2], 1e-12, "trap energy of phi0 in the double well");
        String toml = Files.readString(dir.resolve("config.toml"));
        assertTrue(toml.contains("trap = 'doublewell:wx=1.0,wy=1.2,wz=0.9,v0=3.0,s=0.7'"), toml);
        assertFalse(toml.contains("nu ="), "nu is not written with a trap that has none: " + toml);
        assertEquals("doublewell:wx=1.0,wy=1.2,wz=0.9,v0=3.0,s=0.7", RunCommandTest.summary(dir).get("trap").asText());

        assertEquals(0, exec(List.of("run", "--config", dir.resolve("config.toml").toString(), "--out", again.toString()), null));
        assertEquals(toml, Files.readString(again.resolve("config.toml")), "the rerun resolves to the same configuration");
        double[] a = Npy.read(dir.resolve("psi_final.npy"), "t").data(), b = Npy.read(again.resolve("psi_final.npy"), "t").data();
        assertEquals(0, RunCommandTest.maxDiff(a, b), RunCommandTest.RERUN_TOL, "rerun from config.toml");
    }

    /**
     * table:U.npy holding ½Σw_d²x_d² sampled on the run's grid (written here) runs to the same
     * state as harmonic:wx,wy,wz: the same U up to the rounding of a different evaluation order
     * (1e-16 relative), so psi_final agrees to rounding; bound 1e-12. With the Gaussian V and a
     * displaced start, so the state moves. The path is written to config.toml absolute and
     * normalised, and the summary names it.
     */
    @Test
    void tableTrapRunsLikeTheEquivalentHarmonicTrap() throws Exception {
        Grid3D g = new Grid3D(24, 12);
        double wx = 0.9, wy = 1.1, wz = 1.3;
        int n = g.n();
        double[] u = new double[n * n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++)
                    u[(i * n + j) * n + k] = 0.5 * (wx * wx * g.x(i) * g.x(i) + wy * wy * g.x(j) * g.x(j) + wz * wz * g.x(k) * g.x(k));
        Path file = tmp.resolve("U.npy");
        Npy.writeReal(file, u, n, n, n);
        Path table = tmp.resolve("table"), harmonic = tmp.resolve("harmonic");
        List<String> common = List.of("--grid", "24", "--box", "12", "--dt", "4e-3", "--time", "0.1", "--observe-every", "5",
                "--initial", "gaussian:x0=0.4,0.2,-0.3;p0=0,0.3,0");
        List<String> t = cmd("run", "--trap", "table:" + tmp.resolve(".").resolve("U.npy"), "--out", table.toString());
        t.addAll(common);
        List<String> h = cmd("run", "--trap", "harmonic:wx=0.9,wy=1.1,wz=1.3", "--out", harmonic.toString());
        h.addAll(common);
        assertEquals(0, exec(t, null));
        assertEquals(0, exec(h, null));
        double[] a = Npy.read(table.resolve("psi_final.npy"), "t").data(), b = Npy.read(harmonic.resolve("psi_final.npy"), "t").data();
        assertEquals(0, RunCommandTest.maxDiff(a, b), 1e-12, "table vs harmonic");
        double[] first = rows(table).getFirst(), last = rows(table).getLast();
        assertTrue(Math.abs(last[3] - first[3]) > 1e-3, "the state moved");
        assertEquals("table:" + file.toAbsolutePath().normalize(), RunCommandTest.summary(table).get("trap").asText());
        assertTrue(Files.readString(table.resolve("config.toml")).contains("trap = 'table:" + file.toAbsolutePath().normalize() + "'"));
    }

    record Bad(String expected, List<String> args) {}

    /** Bad traps: exit 2, the message names the parameter (and the allowed forms), nothing written. */
    @Test
    void badTrapsExitTwoAndWriteNothing() throws Exception {
        Path small = tmp.resolve("U8.npy"), nan = tmp.resolve("nan.npy"), cfg = tmp.resolve("nu.toml");
        Npy.writeReal(small, new double[8 * 8 * 8], 8, 8, 8);
        double[] bad = new double[16 * 16 * 16];
        bad[7] = Double.NaN;
        Npy.writeReal(nan, bad, 16, 16, 16);
        Files.writeString(cfg, "trap = \"harmonic:wx=2\"\nnu = 5\n");
        List<Bad> cases = List.of(
                new Bad("--trap: box is not allowed; allowed: paper | harmonic:wx=WX,wy=WY,wz=WZ | doublewell:", cmd("run", "--trap", "box")),
                new Bad("--trap wx", cmd("run", "--trap", "harmonic:wx=-1")),
                new Bad("needs s", cmd("ground-state", "--trap", "doublewell:v0=1")),
                new Bad("does not match the expected [16, 16, 16]", cmd("run", "--grid", "16", "--trap", "table:" + small)),
                new Bad("non-finite value NaN", cmd("ground-state", "--grid", "16", "--trap", "table:" + nan)),
                new Bad("--nu", cmd("run", "--nu", "5", "--trap", "harmonic")),
                new Bad("--nu", cmd("run", "--config", cfg.toString())),
                new Bad("--config", cmd("run", "--config", writeToml("trap = 3\n"))));
        int i = 0;
        for (Bad c : cases) {
            Path out = tmp.resolve("bad" + i++);
            List<String> args = new ArrayList<>(c.args());
            args.addAll(List.of("--out", out.toString()));
            StringWriter err = new StringWriter();
            assertEquals(Main.EXIT_USAGE, exec(args, err), args + ": " + err);
            assertTrue(err.toString().contains(c.expected()), args + ": " + err);
            assertFalse(Files.exists(out), args + ": nothing may be written");
        }
    }

    private String writeToml(String text) throws Exception {
        Path f = Files.createTempFile(tmp, "cfg", ".toml");
        Files.writeString(f, text);
        return f.toString();
    }

    /** hartree run --help and ground-state --help document every form of --trap. */
    @Test
    void helpDocumentsTheTraps() {
        for (String command : List.of("run", "ground-state")) {
            StringWriter out = new StringWriter();
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            assertEquals(0, cl.execute(command, "--help"));
            // picocli wraps long tokens across lines: compare with the white space removed.
            String text = out.toString().replaceAll("\\s+", "");
            for (String form : List.of("--trap=SPEC", "paper:", "harmonic:wx=WX,wy=WY,wz=WZ", "doublewell:wx=WX,wy=WY,wz=WZ,v0=V0,s=S", "table:U.npy"))
                assertTrue(text.contains(form), command + " --help lacks " + form + ":\n" + out);
        }
    }
}
