package io.hartree.api.fock;

/**
 * A sector of the bosonic Fock space: the occupation vectors (n_0, …, n_{M−1}) that a set of
 * conserved quantities allows, numbered 0 … {@link #dimension()} − 1. Implementations:
 * {@link FockBasis} (total N), {@link SpinSector} (N↑ and N↓ for spatial modes ⊗ spin) and
 * {@link TruncatedSector} (total N, at most K bosons outside ℓ condensate modes).
 * Ranks are {@code long}, so dimensions beyond 2³¹ are counted without overflow; vectors on the
 * sector are Java arrays and need {@link #vectorDimension()}.
 */
public sealed interface FockSector permits FockBasis, SpinSector, TruncatedSector {
    /** Number of modes M. */
    int modes();

    /** Total number of bosons N. */
    int particles();

    /** Number of occupation vectors in the sector. */
    long dimension();

    /** Rank of {@code occ} (length M, in the sector). */
    long rank(int[] occ);

    /** Writes the occupation vector of rank {@code r} into {@code occ} (length M). */
    void unrank(long r, int[] occ);

    /** Whether {@code occ} belongs to the sector (right length, non-negative, conserved quantities). */
    boolean contains(int[] occ);

    /** A cursor positioned at rank {@code r}; it walks the sector in rank order. */
    Cursor cursor(long r);

    /** Short description, e.g. "N=20 in M=8 modes" or "N↑=10, N↓=10 in 4 spatial modes ⊗ spin". */
    String describe();

    /**
     * The dimension as an {@code int} for state vectors (interleaved complex {@code double[]} of
     * length 2·dim, so dim ≤ 2³⁰ − 1).
     */
    default int vectorDimension() {
        long d = dimension();
        if (d > (1L << 30) - 1)
            throw new io.hartree.api.ParameterException("sector dimension", d, "at most 2^30 - 1 states for a state vector (" + describe() + ")");
        return (int) d;
    }

    /**
     * A position in the sector: the current occupation vector, its rank, and the ranks of the
     * states reached by one- and two-particle hops, each in O(1) after an O(M) preparation per
     * state. Not thread-safe: one cursor per thread.
     */
    interface Cursor {
        long rank();

        /** The current occupations (read-only view, valid until the cursor moves). */
        int[] occupations();

        /** Moves to the next state in rank order; false at the end. */
        boolean next();

        /**
         * Rank of a†_to a_from |n⟩ (a one-particle hop; the caller has checked n_from ≥ 1 and
         * to ≠ from), or −1 when the target leaves the sector.
         */
        long hop(int to, int from);

        /**
         * Rank of a†_i a†_j a_l a_k |n⟩ (the caller has checked that the annihilations are
         * possible), or −1 when the target leaves the sector.
         */
        long hop2(int i, int j, int k, int l);
    }
}
