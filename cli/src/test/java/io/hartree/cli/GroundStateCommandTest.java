package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hartree.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code hartree ground-state} end to end, and its psi_final.npy fed back into {@code hartree run --initial npy:}. */
class GroundStateCommandTest {
    static final List<String> SMALL = List.of("--backend", RunCommandTest.BACKEND, "--grid", "32", "--box", "16");

    @TempDir
    Path tmp;

    static int exec(String... args) {
        var cl = Main.commandLine();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ((GroundStateCommand) cl.getSubcommands().get("ground-state").getCommand()).out = quiet;
        ((RunCommand) cl.getSubcommands().get("run").getCommand()).out = quiet;
        return cl.execute(args);
    }

    static String[] args(String command, List<String> base, String... more) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(base);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static JsonNode summary(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    /**
     * V = 0: the ground state of h_ν is φ⁰ with E = 0 (inf σ(h_ν) = 0, (3.6)). From a displaced
     * Gaussian, imaginary time must reach E ≈ 0 and overlap |⟨φ⁰, φ⟩|² ≈ 1. The split-step fixed
     * point differs from φ⁰ by O(dt²) and the stop rule leaves |dE/dτ| &lt; tol; measured E = 1.2e−9
     * at dt = 1e−3, tol = 1e−10, hence the bound 1e−8.
     */
    @Test
    void freeGroundStateIsPhi0() throws Exception {
        Path dir = tmp.resolve("free");
        assertEquals(0, exec(args("ground-state", SMALL, "--interaction", "none", "--initial", "gaussian:x0=0.5,0,0", "--out", dir.toString())));
        JsonNode s = summary(dir);
        assertTrue(s.get("converged").asBoolean());
        assertEquals(0.0, s.get("energy").asDouble(), 1e-8);
        assertEquals(1.0, s.get("overlap0_final").asDouble(), 1e-8);
        assertEquals(1.0, s.get("norm_final").asDouble(), 1e-12, "imaginary time renormalises every step");
        assertTrue(s.get("energy_rate_final").asDouble() < 1e-10);
        // E(0) of phi0(x - x0) under h_nu is (nu/2)|x0|^2 = 1.25 at the default nu = 10, x0 = 0.5
        // (<-Lap> = <|x - x0|^2> = 3/2); the ground state has E = 0 (asserted to 1e-8 above), so the
        // energy lost in imaginary time is 1.25 to the same 1e-8 plus the grid's spectral error (< 1e-10).
        assertFalse(s.has("energy_error_max"), "imaginary time reports no conservation error");
        assertEquals(1.25, s.get("energy_decrease").asDouble(), 1e-8, "E(0) - E_gs");
        for (String f : List.of("config.toml", "observables.csv", "psi_final.npy", "energy.png", "density_z0.png"))
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }

    /**
     * With the Gaussian V the ground state is stationary in real time up to its phase: φ(t) =
     * e^{−iμt}φ_gs. Run from psi_final.npy for t = 0.2: |⟨φ_gs, φ(t)⟩|² stays 1 (measured
     * 1 − 6e−9: both maps carry O(dt²) splitting errors, so bound 1e−7) and the phase turns at
     * the chemical potential μ of the summary (measured relative difference 1.3e−4; bound 1e−3).
     * By the variational principle E_gs lies below E(φ⁰) = ½(1/2)^{3/2}.
     */
    /** --scheme fourth is accepted in imaginary time, and the summary warns that it is only first order there (Strang runs carry no such warning). */
    @Test
    void fourthOrderInImaginaryTimeWarns() throws Exception {
        Path four = tmp.resolve("four"), strang = tmp.resolve("strang");
        assertEquals(0, exec(args("ground-state", SMALL, "--interaction", "none", "--scheme", "fourth", "--out", four.toString())));
        assertEquals(0, exec(args("ground-state", SMALL, "--interaction", "none", "--out", strang.toString())));
        assertTrue(summary(four).get("warnings").toString().contains("scheme fourth in imaginary time"), summary(four).get("warnings").toString());
        assertFalse(summary(strang).get("warnings").toString().contains("scheme fourth"), summary(strang).get("warnings").toString());
        assertTrue(summary(four).get("converged").asBoolean(), "it still converges");
    }

    @Test
    void groundStateIsStationaryInRealTime() throws Exception {
        Path gs = tmp.resolve("gs"), rt = tmp.resolve("rt");
        assertEquals(0, exec(args("ground-state", SMALL, "--out", gs.toString())));
        JsonNode s = summary(gs);
        assertTrue(s.get("converged").asBoolean());
        double mu = s.get("chemical_potential").asDouble(), e = s.get("energy").asDouble();
        assertTrue(e < RunCommandTest.analyticEnergy0(1, 1) && e > 0, "0 < E_gs = " + e + " < E(phi0)");
        double t = 0.2;
        assertEquals(0, exec(args("run", SMALL, "--time", String.valueOf(t), "--initial", "npy:" + gs.resolve("psi_final.npy"), "--out", rt.toString())));
        double[] a = Npy.read(gs.resolve("psi_final.npy"), "t").data(), b = Npy.read(rt.resolve("psi_final.npy"), "t").data();
        double dV = Math.pow(16.0 / 32, 3), re = 0, im = 0;
        for (int i = 0; i < a.length; i += 2) {
            re += a[i] * b[i] + a[i + 1] * b[i + 1];
            im += a[i] * b[i + 1] - a[i + 1] * b[i];
        }
        re *= dV;
        im *= dV;
        assertEquals(1.0, re * re + im * im, 1e-7, "|<gs, phi(t)>|^2");
        assertEquals(mu, -Math.atan2(im, re) / t, 1e-3 * mu, "phase rate vs mu");
    }
}
