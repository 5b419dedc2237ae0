package io.hartree.gpu;

import io.hartree.api.BackendException;
import io.hartree.api.ParameterException;
import io.hartree.api.fock.FockBasis;
import io.hartree.api.fock.FockHamiltonian;
import io.hartree.api.fock.FockSector;
import io.hartree.api.fock.SpinSector;
import io.hartree.api.fock.TruncatedSector;

/**
 * The flat tables the matrix-free hop kernel ({@code fock_hop_c128} in fock.cu) reads: the
 * binomial table of engine-api's {@link FockBasis} (same recurrence and saturation, so the same
 * ranks), the sector's components (total N: one; N↑, N↓: two, rank = r↑·dim↓ + r↓ as in
 * {@link SpinSector}) and the canonical terms of the Hamiltonian, sparse: only the non-zero
 * one-body (i, j) and two-body (p, q, r, s) terms, never dense M⁴ tables.
 *
 * @param comp per component: first mode, modes, particles, stride, dimension
 */
record FockTables(long dimension, int modes, long[] binom, int brows, int bcols, int ncomp, long[] comp,
                  FockHamiltonian.Terms terms) {
    /** FOCK_MAXM of fock.cu: the per-thread occupation and prefix tables have this many entries. */
    static final int MAX_MODES = 64;

    static FockTables of(FockHamiltonian h) {
        FockSector sector = h.sector();
        int m = sector.modes();
        ParameterException.require(m <= MAX_MODES, "modes", m, "at most " + MAX_MODES + " modes for the cuda matrix-free kernel (FOCK_MAXM in fock.cu)");
        long[] comp;
        int maxN, maxM;
        if (sector instanceof SpinSector ss) {
            int ms = ss.spatialModes();
            long du = new FockBasis(ss.particlesUp(), ms).dimension(), dd = new FockBasis(ss.particlesDown(), ms).dimension();
            comp = new long[]{0, ms, ss.particlesUp(), dd, du, ms, ms, ss.particlesDown(), 1, dd};
            maxN = Math.max(ss.particlesUp(), ss.particlesDown());
            maxM = ms;
        } else if (sector instanceof FockBasis) {
            comp = new long[]{0, m, sector.particles(), 1, sector.dimension()};
            maxN = sector.particles();
            maxM = m;
        } else if (sector instanceof TruncatedSector) {
            throw new BackendException("the cuda matrix-free hop kernel (fock_hop_c128) does not support the truncated sector ("
                    + sector.describe() + "); use --operator csr (the CSR product runs on the device) or --backend cpu");
        } else {
            throw new ParameterException("sector", sector.describe(), "a FockBasis or SpinSector for the cuda matrix-free kernel");
        }
        // FockBasis's own table (rows N + M + 3, columns M + 1): identical entries, saturation included.
        FockBasis b = new FockBasis(maxN, maxM);
        int brows = maxN + maxM + 3, bcols = maxM + 1;
        long[] binom = new long[brows * bcols];
        for (int a = 0; a < brows; a++)
            for (int c = 0; c < bcols && c <= a; c++) binom[a * bcols + c] = b.binomial(a, c);
        return new FockTables(sector.dimension(), m, binom, brows, bcols, comp.length / 5, comp, h.terms());
    }

    int pairs() { return terms.pairA().length; }

    int ones() { return terms.one().length / 2; }

    int twos() { return terms.two().length / 4; }

    /** Bytes of the tables on the device (what the operator uploads once). */
    long bytes() {
        var t = terms;
        return 8L * (binom.length + comp.length + t.diag().length + t.self().length + t.pairA().length + t.oneC().length + t.twoC().length)
                + 4L * (t.pair().length + t.one().length + t.two().length);
    }
}
