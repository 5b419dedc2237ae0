package io.hartree.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Figures are best effort: a machine that cannot draw gets a warning, a failed write still fails. */
class PlotsTest {
    @Test
    void drawnFiguresGiveNoWarning() {
        int[] calls = {0};
        assertEquals(Optional.empty(), Plots.bestEffort("run", () -> calls[0]++));
        assertEquals(1, calls[0], "the drawing ran once");
    }

    /** What a GPU server without fonts throws (OpenJDK's fontconfig path), and a runtime without java.desktop. */
    @Test
    void aMachineThatCannotDrawGetsAWarningNamingTheCause() {
        Optional<String> w = Plots.bestEffort("run", () -> { throw new InternalError("Fontconfig head is null, check your fonts or fonts configuration"); });
        assertTrue(w.isPresent(), "a warning");
        assertTrue(w.get().startsWith("figures not drawn (run): InternalError: Fontconfig head is null"), w.get());
        assertTrue(w.get().contains("the data files are complete"), w.get());
        Optional<String> m = Plots.bestEffort("fock", () -> { throw new NoClassDefFoundError("java/awt/Color"); });
        assertTrue(m.orElseThrow().startsWith("figures not drawn (fock): NoClassDefFoundError: java/awt/Color"), m.get());
    }

    @Test
    void aFailedWriteAndTheJvmsOwnErrorsStillFail() {
        assertThrows(UncheckedIOException.class, () -> Plots.bestEffort("run", () -> { throw new UncheckedIOException(new IOException("No space left on device")); }));
        assertThrows(OutOfMemoryError.class, () -> Plots.bestEffort("run", () -> { throw new OutOfMemoryError("Java heap space"); }));
    }
}
