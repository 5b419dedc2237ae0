package io.hartree.gpu;

import io.hartree.api.BackendException;
import io.hartree.api.fock.FockBasis;
import io.hartree.api.fock.FockHamiltonian;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.fock.TruncatedSector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The cuda matrix-free hop kernel knows the product sectors only: a truncated sector is refused with a BackendException that says what to use. */
class FockTablesTruncatedTest {
    @Test
    void theHopKernelRefusesTheTruncatedSectorAndAcceptsTheFullOne() {
        ModeIntegrals ring = ModeIntegrals.ring(4, 1, 1);
        BackendException e = assertThrows(BackendException.class,
                () -> FockTables.of(FockHamiltonian.of(new TruncatedSector(10, 4, new int[]{0}, 2), ring)));
        assertTrue(e.getMessage().contains("truncated sector") && e.getMessage().contains("--operator csr"), e.getMessage());
        FockTables t = FockTables.of(FockHamiltonian.of(new FockBasis(10, 4), ring));
        assertEquals(new FockBasis(10, 4).dimension(), t.dimension());
    }
}
