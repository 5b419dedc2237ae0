package io.hartree.api;

import io.hartree.api.fock.Expm;
import io.hartree.api.fock.Expmv;
import io.hartree.api.fock.ExpmvOptions;
import io.hartree.api.fock.ExpmvResult;
import io.hartree.api.fock.FockOperator;

import io.hartree.api.ParameterException;

/**
 * A backend's Fock-space kernels (DESIGN §2, §4), from {@link io.hartree.api.BackendSession#fock()}.
 * The backend supplies the primitives (complex GEMM, Hermitian and real symmetric
 * eigensolvers, the Krylov vector operations); the algorithms on top (Padé-13, exp(−itH) by
 * eigendecomposition, Lanczos, Chebyshev) are written once in engine-api.
 * Matrices are interleaved complex, row-major, n×n (real symmetric ones: n² doubles).
 * Implementations check the lengths against n with {@link #checkGemm}, {@link #checkEigh},
 * {@link #checkEighReal} and {@link #checkSolve} before any native call: a wrong n would make
 * BLAS, LAPACK or the device read or write past the arrays.
 */
public interface FockKernels {
    /** The backend's name. */
    String backend();

    /** C = A·B for complex n×n matrices (C must not alias A or B). */
    void gemm(double[] a, double[] b, double[] c, int n);

    /**
     * Eigenvalues (ascending) of the Hermitian n×n A (destroyed); when {@code vectors} is
     * non-null (2n² doubles) it receives the orthonormal eigenvectors as columns.
     */
    double[] eigh(double[] a, int n, double[] vectors);

    /** Eigenvalues (ascending) of the real symmetric n×n A (n² doubles, destroyed); eigenvectors as columns into {@code vectors} (n²) when non-null. */
    double[] eighReal(double[] a, int n, double[] vectors);

    /** Solves A X = B in place (B ← X) for complex n×n A and B; A is destroyed. Default: {@link Expm#luSolve}. */
    default void solve(double[] a, double[] b, int n) {
        checkSolve(a, b, n);
        Expm.luSolve(a, b, n);
    }

    /** The largest n of these kernels: 2n² doubles must fit one Java array. */
    int MAX_ORDER = 32767;

    /** n in 1 … {@link #MAX_ORDER}, else a ParameterException naming n. */
    static void checkOrder(int n) {
        ParameterException.require(n >= 1 && n <= MAX_ORDER, "n", n, "1 … " + MAX_ORDER + " (2n² doubles in one Java array)");
    }

    /**
     * {@code v} (named {@code array} in the message) holds exactly {@code expected} doubles, the
     * {@code layout} of an n×n matrix ("2n²" complex, "n²" real); else a ParameterException that
     * names the array, its length and the expected length.
     */
    static void checkLength(String array, double[] v, long expected, String layout, int n) {
        if (v == null)
            throw new ParameterException(array, "is null; expected " + layout + " = " + expected + " doubles (n = " + n + ")");
        if (v.length != expected)
            throw new ParameterException(array, "has length " + v.length + "; expected " + layout + " = " + expected + " doubles (n = " + n + ")");
    }

    /** The arguments of {@link #gemm}: n in range, a, b and c complex n×n, c neither a nor b. */
    static void checkGemm(double[] a, double[] b, double[] c, int n) {
        checkOrder(n);
        checkLength("a", a, 2L * n * n, "2n²", n);
        checkLength("b", b, 2L * n * n, "2n²", n);
        checkLength("c", c, 2L * n * n, "2n²", n);
        if (c == a || c == b) throw new ParameterException("c", "is the same array as a or b; C = A·B must not alias its inputs");
    }

    /** The arguments of {@link #eigh}: a complex n×n, vectors null or complex n×n. */
    static void checkEigh(double[] a, int n, double[] vectors) {
        checkOrder(n);
        checkLength("a", a, 2L * n * n, "2n²", n);
        if (vectors != null) checkLength("vectors", vectors, 2L * n * n, "2n²", n);
    }

    /** The arguments of {@link #eighReal}: a real n×n, vectors null or real n×n. */
    static void checkEighReal(double[] a, int n, double[] vectors) {
        checkOrder(n);
        checkLength("a", a, (long) n * n, "n²", n);
        if (vectors != null) checkLength("vectors", vectors, (long) n * n, "n²", n);
    }

    /** The arguments of {@link #solve}: a and b complex n×n. */
    static void checkSolve(double[] a, double[] b, int n) {
        checkOrder(n);
        checkLength("a", a, 2L * n * n, "2n²", n);
        checkLength("b", b, 2L * n * n, "2n²", n);
    }

    /** e^A for a general complex A: scaling and squaring with Padé-13 (Higham 2005), {@link Expm#pade13}. */
    default double[] expm(double[] a, int n) {
        return Expm.pade13(this, a, n);
    }

    /** exp(−itH) for Hermitian H by eigendecomposition, {@link Expm#expHermitian}. */
    default double[] expHermitian(double[] h, int n, double t) {
        return Expm.expHermitian(this, h, n, t);
    }

    /** The Krylov vector primitives of this backend, bound to H. */
    KrylovOps<?> krylov(FockOperator h);

    /**
     * Krylov primitives on <em>real</em> vectors of length dim for a real H (upload takes the real
     * parts of an interleaved ψ, download writes interleaved with zero imaginary parts), or empty
     * when the backend has none for this operator. Used when ψ is real: the Krylov vectors of a
     * real symmetric H then stay real.
     */
    default java.util.Optional<KrylovOps<?>> krylovReal(FockOperator h) {
        return java.util.Optional.empty();
    }

    /** Replaces ψ by exp(−itH)ψ (Lanczos or Chebyshev, {@link Expmv}). */
    default ExpmvResult expmv(FockOperator h, double[] psi, double t, ExpmvOptions options) {
        try (Propagator p = propagator(h)) {
            return p.apply(psi, t, options);
        }
    }

    /**
     * exp(−itH)ψ for one H and many ψ and t (a time series): the backend's Krylov set-up for H
     * (on a device: H's tables or CSR uploaded) is made once here and reused by every
     * {@link Propagator#apply}, instead of once per call of {@link #expmv}. Close it to release it.
     */
    default Propagator propagator(FockOperator h) {
        KrylovOps<?> ops = krylov(h);
        KrylovOps<?> real;
        try {
            real = h.isReal() ? krylovReal(h).orElse(null) : null;
        } catch (RuntimeException e) {
            ops.close();
            throw e;
        }
        return new Propagator() {
            @Override
            public ExpmvResult apply(double[] psi, double t, ExpmvOptions options) { return Expmv.apply(ops, real, h, psi, t, options); }

            @Override
            public void close() {
                try (ops; KrylovOps<?> r = real) { /* both closed */ }
            }
        };
    }

    /** ψ ← exp(−itH)ψ with the H it was made for ({@link #propagator}). */
    interface Propagator extends AutoCloseable {
        ExpmvResult apply(double[] psi, double t, ExpmvOptions options);

        @Override
        void close();
    }
}
