package io.hartree.api.model;

import io.hartree.api.ParameterException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The terms beyond the paper's equation that the one algorithm does not compose yet are refused
 * with the option named, before a propagator exists (so the CLI exits 2 with nothing written);
 * the combinations it does compose are accepted.
 */
class GpTermsTest {
    static final Drive DRIVE = Drive.parse("w=step:1,2,0.5").bind(TrapSpec.parse("harmonic:w=1"), 1);

    @Test
    void uncombinedTermsAreRefusedNamingTheOption() {
        assertEquals("--rotation", assertThrows(ParameterException.class, () -> new GpTerms(0.5, 0.1)).parameter());
        assertEquals("--rotation", assertThrows(ParameterException.class, () -> new GpTerms(0.5, 0, DRIVE)).parameter());
        assertEquals("--components", assertThrows(ParameterException.class, () -> new GpTerms(0, 0.1, null, Components.uniform(2))).parameter());
        assertEquals("--components", assertThrows(ParameterException.class, () -> new GpTerms(0, 0, DRIVE, Components.uniform(2))).parameter());
        Grid3D g = new Grid3D(8, 8);
        OneBodyOperator h = TrapSpec.parse("harmonic:w=1").operator(1, g);
        ParameterException e = assertThrows(ParameterException.class, () -> new HartreeProblem(g, h, Interaction.parse("contact:g=1+lhy:gamma=0.1"),
                ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 0.01, GpTerms.NONE.withComponents(Components.uniform(2))));
        assertEquals("--components", e.parameter());
    }

    @Test
    void composedTermsAreAccepted() {
        GpTerms t = new GpTerms(0.5, 0, null, Components.uniform(2));
        assertEquals(2, t.componentCount());
        assertEquals(0.5, t.rotation());
        assertEquals(0.1, new GpTerms(0, 0.1, DRIVE).damping());
        assertFalse(new GpTerms(0, 0.1, DRIVE).none());
        assertTrue(new GpTerms(0, 0).none());
    }
}
