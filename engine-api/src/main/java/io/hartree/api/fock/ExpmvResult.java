package io.hartree.api.fock;

/**
 * Outcome of exp(−itH)ψ: the method used, the achieved error estimate (2-norm, for ‖ψ‖ = 1: the
 * sum of the per-sub-step a-posteriori estimates for Lanczos, the tail bound for Chebyshev), the
 * number of products with H, of sub-steps, and the largest Krylov dimension (or the Chebyshev degree).
 */
public record ExpmvResult(String method, double errorEstimate, long matvecs, int steps, int krylovDimension) {}
