package io.hartree.api;

/**
 * The vector primitives that {@link Expmv} (Lanczos and Chebyshev, written once) runs on. A
 * backend supplies them for its own vector type {@code V} (a host {@code double[]}, a device
 * buffer) bound to one operator H. Vectors are complex of the operator's dimension.
 */
public interface KrylovOps<V> extends AutoCloseable {
    /** A new zero vector. */
    V allocate();

    /** Copies host ψ (interleaved) into {@code v}. */
    void upload(double[] psi, V v);

    /** Copies {@code v} into host ψ (interleaved). */
    void download(V v, double[] psi);

    /** y = H x (y ≠ x). */
    void apply(V x, V y);

    /** ⟨x, y⟩ = Σ conj(x_i) y_i as {re, im}. */
    double[] dot(V x, V y);

    /** ‖x‖₂. */
    double norm(V x);

    /** y += (ar + i·ai) x. */
    void axpy(double ar, double ai, V x, V y);

    /** x *= s (real). */
    void scale(double s, V x);

    /** out = Σ_{k<count} (coef[2k] + i·coef[2k+1]) · basis[k]. */
    void combine(java.util.List<V> basis, int count, double[] coef, V out);

    /**
     * The fused Chebyshev step: next = α·H·cur + β·cur − prev, then acc += (cr + i·ci)·next.
     * The default composes {@link #apply} and {@link #axpy}; backends fuse it into one pass.
     */
    default void chebyshevStep(V prev, V cur, V next, double alpha, double beta, double cr, double ci, V acc) {
        apply(cur, next);
        scale(alpha, next);
        axpy(beta, 0, cur, next);
        axpy(-1, 0, prev, next);
        axpy(cr, ci, next, acc);
    }

    /**
     * y = H x and returns Re⟨x, y⟩ (the Lanczos α_j). The default is {@link #apply} then
     * {@link #dot}; backends fuse the dot into the product.
     */
    default double applyDot(V x, V y) {
        apply(x, y);
        return dot(x, y)[0];
    }

    /**
     * The Lanczos update u ← u − α v − β w (real α, β), returning ‖u‖ after the update. The
     * default composes {@link #axpy} and {@link #norm}; backends fuse it into one pass.
     */
    default double lanczosUpdate(V u, double alpha, V v, double beta, V w) {
        axpy(-alpha, 0, v, u);
        if (w != null && beta != 0) axpy(-beta, 0, w, u);
        return norm(u);
    }

    /** Bytes of one vector. */
    long vectorBytes();

    /** Releases device memory, if any. */
    @Override
    default void close() {}
}
