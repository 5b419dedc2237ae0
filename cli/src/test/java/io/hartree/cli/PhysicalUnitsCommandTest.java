package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hartree.api.model.PhysicalUnits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code --physical} end to end: a weakly interacting Rb-87 cloud in an isotropic 100 Hz trap. The
 * mapping written to summary.json equals {@link PhysicalUnits}' (itself tested against hand-derived
 * values in engine-api), the ground-state energy equals first-order perturbation theory in g
 * (E = 3/2 + (g/2)∫|φ⁰|⁴ = 3/2 + g/(2(2π)^{3/2}) per particle in units of ħω, second order −O(g²) ≈ −3e-4
 * at g = 0.62: tolerance 1e-3), the SI block converts the dimensionless numbers, config.toml reruns the
 * same dimensionless job, and --physical beside --trap is refused.
 */
class PhysicalUnitsCommandTest {
    @TempDir
    Path tmp;

    static final String SPEC = "species=rb87,f=100,n=10,a=100";

    @Test
    void rubidiumGroundStateInPhysicalUnits() throws Exception {
        Path dir = tmp.resolve("gs");
        List<String> a = TrapCommandTest.cmd("ground-state", "--physical", SPEC, "--grid", "20", "--dt", "0.01", "--tol", "1e-9", "--out", dir.toString());
        assertEquals(0, TrapCommandTest.exec(a, null));
        PhysicalUnits u = PhysicalUnits.parse(SPEC);
        JsonNode s = RunCommandTest.summary(dir);
        assertEquals(u.trap().spec(), s.get("trap").asText());
        assertEquals(u.interaction().spec(), s.get("interaction").asText());
        assertEquals(Math.ceil(2 * u.suggestedBox()) / 2, s.get("box_L").asDouble(), 0, "the box that holds the cloud");
        JsonNode units = s.get("units");
        assertEquals(u.lengthUnitM(), units.get("length_unit_m").asDouble(), 0);
        assertEquals(u.spec(), units.get("spec").asText());
        double g = u.coupling();
        double firstOrder = 1.5 + g / (2 * Math.pow(2 * Math.PI, 1.5));
        assertEquals(firstOrder, s.get("energy_final").asDouble(), 1e-3, "E = 3/2 + g/(2 (2 pi)^{3/2}) to first order, g = " + g);
        JsonNode si = s.get("physical_final");
        assertEquals(s.get("energy_final").asDouble() * u.energyUnitK() * 1e9, si.get("energy_final_nK").asDouble(), 1e-9);
        assertEquals(Math.sqrt(s.get("x2_final").asDouble()) * u.lengthUnitM() * 1e6, si.get("rms_radius_final_um").asDouble(), 1e-12);
        // config.toml records the spec and reruns the same dimensionless job
        String toml = Files.readString(dir.resolve("config.toml"));
        assertTrue(toml.contains("physical = '" + u.spec() + "'"), toml);
        assertTrue(toml.contains("# physical units: rb87, m = 86.90918053 u; length unit 1.07843 um"), "the mapping as a comment: " + toml);
        RunConfig rerun = RunSpec.of(RunConfig.defaults("ground-state").overlay(RunConfig.Overrides.read(dir.resolve("config.toml")))).config();
        assertEquals(u.trap().spec(), rerun.trap());
        assertEquals(u.interaction().spec(), rerun.interaction());
        assertEquals(s.get("box_L").asDouble(), rerun.box(), 0);
    }

    @Test
    void physicalBesideTrapOrInteractionIsRefusedAndNothingIsWritten() {
        for (String[] extra : new String[][]{{"--trap", "harmonic:w=2"}, {"--interaction", "none"}, {"--physical-typo"}}) {
            Path dir = tmp.resolve("bad" + extra[0].length());
            StringWriter err = new StringWriter();
            List<String> a = TrapCommandTest.cmd("run", "--physical", SPEC, "--grid", "16", "--out", dir.toString());
            a.addAll(List.of(extra));
            assertEquals(2, TrapCommandTest.exec(a, err), err.toString());
            assertFalse(Files.exists(dir), "nothing written for " + List.of(extra));
            if (!extra[0].equals("--physical-typo")) assertTrue(err.toString().contains("--physical"), err.toString());
        }
        StringWriter err = new StringWriter();
        assertEquals(2, TrapCommandTest.exec(TrapCommandTest.cmd("run", "--physical", "species=h2o,f=100,n=10,a=1", "--out", tmp.resolve("x").toString()), err));
        assertTrue(err.toString().contains("rb87"), "the message lists the species: " + err);
    }
}
