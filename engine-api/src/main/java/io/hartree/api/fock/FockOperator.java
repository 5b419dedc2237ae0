package io.hartree.api.fock;

/**
 * A Hermitian operator on the state vectors of a sector: interleaved complex {@code double[]} of
 * length 2·{@link #dimension()}. Implementations: {@link CsrMatrix} and the matrix-free
 * {@link FockHamiltonian#matrixFree()}.
 */
public interface FockOperator {
    int dimension();

    /** Whether the matrix is real (then real symmetric): it acts on re and im parts alike. */
    boolean isReal();

    /** y = H x. {@code y} must not alias {@code x}; x is not modified. */
    void apply(double[] x, double[] y);

    /** Gershgorin bounds {lo, hi} that contain the spectrum: diag ∓ Σ_{c≠r} |H_rc|. */
    double[] spectralBounds();

    /** Stored non-zeros, or −1 for a matrix-free operator. */
    long nonZeros();

    /** Bytes held by the operator (its matrix, or its tables when matrix-free). */
    long bytes();

    /**
     * The stored CSR matrix, when this operator is one (dense evolution, fused CSR products and
     * device uploads need it); empty for matrix-free operators. Callers ask this, not {@code instanceof}.
     */
    default java.util.Optional<CsrMatrix> asCsr() { return java.util.Optional.empty(); }
}
