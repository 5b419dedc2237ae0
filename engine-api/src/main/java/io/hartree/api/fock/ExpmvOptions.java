package io.hartree.api.fock;

import io.hartree.api.ParameterException;

/**
 * Options of exp(−itH)ψ: the method, the tolerance on the 2-norm error of the result for ‖ψ‖ = 1
 * (summed over sub-steps), the largest Lanczos basis, and a memory budget that caps it.
 */
public record ExpmvOptions(Method method, double tol, int maxKrylov, long memoryBudgetBytes) {
    public enum Method {
        /** Lanczos when ‖H‖t is moderate, Chebyshev when the spectral half-width ρ times t exceeds 400 or memory allows fewer than 12 Lanczos vectors. */
        AUTO,
        /** Lanczos with Saad's a-posteriori error estimate and Expokit-style sub-step control. */
        LANCZOS,
        /** Chebyshev expansion on the Gershgorin interval, with the rigorous tail bound 2Σ_{k>K}|J_k(ρt)|. */
        CHEBYSHEV
    }

    public ExpmvOptions {
        ParameterException.require(method != null, "--method", null, "auto | lanczos | chebyshev");
        ParameterException.require(tol > 0 && tol < 1, "--tol", tol, "0 < tol < 1");
        ParameterException.require(maxKrylov >= 2 && maxKrylov <= 1000, "krylov dimension", maxKrylov, "2 … 1000");
        ParameterException.require(memoryBudgetBytes > 0, "memory budget", memoryBudgetBytes, "> 0 bytes");
    }

    /** AUTO, the given tolerance, up to 120 Lanczos vectors within half the JVM's free heap. */
    public static ExpmvOptions of(double tol) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return new ExpmvOptions(Method.AUTO, tol, 120, Math.max(1L << 26, free / 2));
    }

    public ExpmvOptions withMethod(Method m) { return new ExpmvOptions(m, tol, maxKrylov, memoryBudgetBytes); }

    public ExpmvOptions withMaxKrylov(int k) { return new ExpmvOptions(method, tol, k, memoryBudgetBytes); }
}
