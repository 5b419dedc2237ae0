package io.hartree.api.conformance;

/**
 * The one table of tolerances of the conformance kit (as heFFTe's {@code test_common.h}): every
 * suite compares against these names only. Each constant states where its size comes from: a
 * round-off count, or a discretisation error measured on the kit's grids (16³ to 24³, dx ≤ 0.5)
 * with the margin taken. Double precision unless in {@link Single}. "Measured" numbers were
 * taken on the reference and cpu backends (they agree to the printed digits); "expected" ones are
 * estimates not yet measured separately. The suites print their measured errors.
 */
public final class Tolerances {
    private Tolerances() {}

    // ---- transforms and observables (double) ----

    /**
     * load then store, relative to max|ψ|: at most one forward and one backward 3D transform of
     * ≤ 24³ points, 3·log₂24 ≈ 14 butterfly stages of ε = 1.1e-16 each (≈ 2e-15 expected; the reference copies, so its round trip is exact).
     */
    public static final double ROUND_TRIP = 1e-14;

    /**
     * A plane wave e^{ik·x} of the box's lattice under h = a(−Δ), V = 0: splitting is exact, so the
     * state after 40 steps equals e^{−ia|k|²t}φ up to round-off: 40 steps × 4 transforms of
     * ~14 stages, plus the phase θ = a|k|²t ≈ 30 rad carried with relative error ε
     * (≈ 1e-13 expected relative to max|φ|).
     */
    public static final double PLANE_WAVE = 1e-11;

    /**
     * Observables of sampled Gaussians (φ⁰, a displaced and boosted one) at dx = 0.5, L = 12 against
     * their integrals: the Riemann sums of Gaussians are exact up to the aliasing of their spectra
     * at the Nyquist wave number π/dx = 6.3 and the box truncation e^{−(L/2)²} = 2e-16; the boost
     * p₀ = 0.5 moves the spectrum towards Nyquist (measured: 3.1e-12 in the boosted kinetic energy,
     * ≤ 1e-14 for φ⁰).
     */
    public static final double GAUSSIAN_QUADRATURE = 1e-10;

    // ---- convolution (double) ----

    /**
     * The interaction energy against direct summation dx⁶/2 Σ_xy V(x−y)ρ(x)ρ(y) on 8³ (periodic,
     * padded) and 16³ (truncated Gaussian against the linear sum), relative: FFT round-off of
     * ≤ 32³ transforms, ~1e-15, and for truncated the band limit e^{−(σk_max)²/2} = 4e-14 of a
     * Gaussian of σ = 2.5 dx (measured ≤ 2.4e-15 on reference and cpu).
     */
    public static final double DIRECT_SUMMATION = 1e-12;

    /**
     * V*ρ at the grid points against λ(σ²/(σ²+½))^{3/2} e^{−r²/(2σ²+1)} for ρ = |φ⁰|², σ = 0.8
     * (periodic and padded, 24³, L = 12), read from the mean-field phase of one step with a = 0:
     * the Riemann sum of the product Gaussian (variance s² = σ²/(2σ²+1) = 0.28) at dx = 0.5 errs by
     * e^{−2π²s²/dx²} = 2.5e-10 (measured 7.8e-10 in both modes, on the reference and cpu alike);
     * the phase read-out where |φ| ≥ 1e-3 max|φ| adds round-off/1e-3/τ ≈ 2e-13.
     */
    public static final double GAUSSIAN_CONVOLUTION = 5e-9;

    /**
     * Truncated Coulomb V*ρ = λ erf(r)/r for ρ = |φ⁰|² on 24³, L = 9 (dx = 0.375) at the points
     * where |φ| ≥ 1e-3 max|φ|: the aliasing of ρ̂ ∝ e^{−k²/4} at the Nyquist wave number,
     * e^{−(π/dx)²/4} = 2.4e-8, bounds the error of the band-limited interpolant (measured 3.4e-10).
     */
    public static final double COULOMB_POTENTIAL = 5e-9;

    /** Truncated Coulomb self-energy ½λ√(2/π) of φ⁰ (same grid): an average of the potential's error (expected ≤ 1e-10). */
    public static final double COULOMB_ENERGY = 1e-9;

    // ---- dynamics (double) ----

    /** The error ratio of Strang when dt halves: 4 for a second-order method, ± 0.4 for higher-order terms. */
    public static final double STRANG_RATIO = 4, STRANG_RATIO_TOL = 0.4;

    /** The error ratio of the fourth-order triple jump when dt halves: 16 ± 2. */
    public static final double FOURTH_RATIO = 16, FOURTH_RATIO_TOL = 2;

    /**
     * |⟨φ⁰, φ(t)⟩|² = 1 for V = 0 after t = 0.5 with the fourth-order scheme at dt = 0.01: splitting
     * error ~dt⁴ per unit time and the grid's 1e-13 at dx = 0.5 (expected ~1e-10).
     */
    public static final double STATIONARY = 1e-8;

    /**
     * Kohn mode, discrete: ⟨x⟩ after each Strang step equals the Störmer–Verlet iterate of the
     * drift–kick–drift map exactly (each sub-flow moves the means exactly for quadratic h and
     * even V); left are round-off and the grid's spectral error at dx = 0.5 (3e-12 measured on
     * the cpu at 32³, L = 16 before the kit).
     */
    public static final double KOHN_DISCRETE = 1e-9;

    /**
     * Kohn mode against x₀cos(νt): the Störmer–Verlet map's phase error ν³t·dt²/24 = 3.3e-5 and
     * amplitude error (ν dt)²/8 = 5e-5 at ν = 2, t = 1, dt = 0.01.
     */
    public static final double KOHN_CONTINUUM = 1.5e-4;

    /** Real time is unitary: the norm after 100 steps, 100 × a few transforms' round-off (~1e-14 expected). */
    public static final double NORM_DRIFT = 1e-12;

    /**
     * The virial residual 2E_kin − 2E_harm + 3E_int of the contact ground state, relative to E_kin:
     * the stopping tolerance, the grid at dx = 0.5 and the O(dt²) fixed point of Strang with the
     * start-of-step density at dt = 0.01 (measured 4.3e-5 on 24³, L = 12).
     */
    public static final double VIRIAL = 2e-4;

    /**
     * Imaginary-time ground state of h_ν (V = 0): the Strang fixed point's energy differs from 0 by
     * O(dt²) (measured 5.5e-6 at dt = 0.01, ν = 2 after τ = 3; 1 − overlap 2.7e-6).
     */
    public static final double GROUND_ENERGY = 1e-4;

    /** Renormalisation after every imaginary-time step: the norm is 1 to round-off of one sum over n³. */
    public static final double RENORMALISED = 1e-12;

    /**
     * A weak interaction (λ = 0.02 Gaussian) in imaginary time against first-order perturbation
     * theory, relative to λ: the second-order term −cλ² (measured (E − λE₁)/λ = −6.1e-5 at
     * λ = 0.02); the V = 0 run's energy (the Strang fixed point's bias) is subtracted.
     */
    public static final double PERTURBATION = 2e-4;

    // ---- batches ----

    /**
     * A batch of B states against B single propagations, relative: the same arithmetic on the same
     * plans; batched transforms (FFTW howmany, cufftPlanMany) may order their sums differently, so a
     * few ulps per step over 20 steps.
     */
    public static final double BATCH = 1e-12;

    // ---- Fock primitives (double) ----

    /**
     * GEMM, solve and eigendecompositions of n ≤ 16 matrices with entries O(1), relative to the
     * matrix norm: backward-stable round-off n·ε ≈ 2e-15, with margin for LAPACK's blocking
     * (expected ≤ 1e-14).
     */
    public static final double DENSE = 1e-12;

    /**
     * expm by Padé-13 (scaling and squaring) against a 40-term Taylor series (‖A‖ ≤ 0.5, terms
     * below 1e-60) or e^{diag} exactly, and expHermitian against Q e^{−itΛ} Q^H, entries O(1):
     * Padé's backward error ≤ ε plus the squarings' round-off (expected ≤ 1e-13).
     */
    public static final double EXPM = 1e-11;

    /** exp(−itH)ψ by Lanczos or Chebyshev with tolerance KRYLOV_TOL, against the dense result: 10× the requested tolerance. */
    public static final double KRYLOV = 1e-9;

    /** The tolerance requested from Lanczos and Chebyshev (2-norm, ‖ψ‖ = 1). */
    public static final double KRYLOV_TOL = 1e-10;

    /** Single precision (backends that declare {@code Precision.SINGLE}). */
    public static final class Single {
        private Single() {}

        /**
         * E_int(φ⁰) in float: sums over 24³ points in float, ε = 6e-8 × √(n³) ≈ 7e-6 relative
         * (an upper estimate; CudaDeviceTest asserts 1e-5 at 32³ on a device).
         */
        public static final double ENERGY = 1e-5;

        /**
         * The norm after 100 float steps: each step's four transforms (≈ 14 stages) change it by a
         * few ε = 1.2e-7, systematically (measured −6.4e-7 per step at 32³): 100·4·14·ε ≈ 7e-4.
         */
        public static final double NORM = 1e-3;

        /** ⟨|x|²⟩ after 100 float steps against double, relative (CudaDeviceTest's 1e-4 for 200 steps at 32³). */
        public static final double DYNAMICS = 1e-4;
    }
}
