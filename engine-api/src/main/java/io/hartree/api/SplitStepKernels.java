package io.hartree.api;

/**
 * The backend primitives of the split-step Fourier method, for a batch of {@code batch()} states
 * on one n³ grid that share the trap, the FFT plans and the convolution table. The algorithm that
 * sequences them (Strang, the fourth-order composition, real and imaginary time, normalisation,
 * the observables and their definitions) is written once, in
 * {@link io.hartree.api.hartree.SplitStepPropagator}; a backend supplies only these operations.
 *
 * <p>Each state is held by the backend as a complex n³ array ψ_b, interleaved, C order, which the
 * algorithm keeps in Fourier space between steps. Conventions, stated at every call:
 * <ul>
 *   <li>{@link Dft#FORWARD}: ψ̂(k) = Σ_x e^{−ik·x} ψ(x), unnormalised (sign −1);</li>
 *   <li>{@link Dft#BACKWARD}: ψ(x) = Σ_k e^{+ik·x} ψ̂(k), unnormalised: BACKWARD∘FORWARD = n³·identity
 *       (the FFTW/cuFFT convention; the algorithm folds the 1/n³ into the kinetic factor).</li>
 * </ul>
 * The mean field W_b = V*ρ_b (spectral interaction: the r2c transform of the density, times the
 * {@link io.hartree.api.hartree.ConvolutionKernel} table, c2r back; padded and truncated modes on
 * the (2n)³ grid), or g·ρ_b (contact), or 0.
 *
 * <p>A backend that can fuse passes overrides {@link #realTimeSubstep}; its default composes the
 * basic primitives, so the algorithm calls it either way (PETSc's fused vector operations do the
 * same). Per-state scalars are passed as {@code double[batch()]}. Nothing may allocate in these
 * calls except {@link #moments}' result.
 */
public interface SplitStepKernels extends AutoCloseable {

    /** Direction of the unnormalised 3D DFT, applied in place to every state of the batch. */
    enum Dft {
        /** ψ̂(k) = Σ_x e^{−ik·x} ψ(x), no scaling. */
        FORWARD,
        /** ψ(x) = Σ_k e^{+ik·x} ψ̂(k), no scaling (BACKWARD∘FORWARD = n³). */
        BACKWARD
    }

    /** Where the density of {@link #meanField} comes from. */
    enum Density {
        /** |ψ_b|² of the state itself, which must be in real space (the mid-step density). */
        STATE,
        /**
         * |BACKWARD(ψ̂_b)|² of the state, which must be in Fourier space and is left unchanged (the
         * start-of-step density); the raw mass Σ|BACKWARD(ψ̂_b)|² goes to {@code sums[b]}. The mean field
         * is kept (a contact density too) until the next {@link #phase}.
         */
        START
    }

    /** Number of states. */
    int batch();

    /**
     * Sets state b to FORWARD(psi), psi an interleaved complex real-space array of 2n³ doubles
     * (heap or off-heap, long-indexed).
     */
    void load(int b, java.lang.foreign.MemorySegment psi);

    /** psi ← scale · BACKWARD(ψ̂_b) (2n³ doubles, long-indexed); the state itself is unchanged. */
    void store(int b, java.lang.foreign.MemorySegment psi, double scale);

    /** Applies the unnormalised DFT {@code d} in place to every state. */
    void transform(Dft d);

    /**
     * The kinetic factor on states in Fourier space: ψ̂_b(k) ← ψ̂_b(k) · scale[b] · e^{−iθ|k|²}, or
     * · e^{−θ|k|²} when {@code imaginary}, k the grid's wave numbers ({@link io.hartree.api.model.Grid3D#k});
     * θ = c·dt·a for a fraction c of the step and h = a(−Δ) + U. The factor is separable,
     * Π_d e^{−iθk_d²}, and a backend may tabulate it per θ (the algorithm uses at most four θ's).
     * When {@code sums} is non-null, sums[b] ← Σ_k |ψ̂_b(k)|² after the multiply.
     */
    void kick(double theta, boolean imaginary, double[] scale, double[] sums);

    /**
     * Prepares the mean field W_b of every state from the density chosen by {@code source} (see
     * {@link Density}); for STATE with a contact or no interaction there is nothing to prepare
     * (the phase takes g|ψ|² on the fly). {@code sums} (START only, may be null): the raw mass.
     */
    void meanField(Density source, double[] sums);

    /**
     * The potential phase on states in real space: ψ_b ← e^{−iτ(U + s_b·W_b + γ(s_b·ρ_b)^{3/2})} ψ_b, or
     * e^{−τ(…)} ψ_b when {@code imaginary}; W_b from the last {@link #meanField} ({@code source} says which: a
     * contact interaction with STATE uses g|ψ_b|² of the state itself), s_b = densityScale[b] (all 1 when
     * {@code densityScale} is null). The LHY term (γ = the kernel's {@link io.hartree.api.hartree.ConvolutionKernel#lhy()},
     * usually 0) takes ρ_b = |ψ_b|² with STATE and the start-of-step density of the last
     * {@link #meanField}(START) with START, exactly as the contact density.
     */
    void phase(double tau, double[] densityScale, Density source, boolean imaginary);

    /** ψ_b ← factor[b] · ψ_b. */
    void scale(double[] factor);

    /**
     * One real-time substep on states in Fourier space: kick(θ, real, scale) (no sums), BACKWARD,
     * meanField(STATE), phase(τ, s = 1, STATE, real), FORWARD. Backends that fuse these passes (cuFFT
     * callbacks) override it and declare {@link Capabilities#fusedStep()}.
     */
    default void realTimeSubstep(double theta, double[] scale, double tau) {
        kick(theta, false, scale, null);
        transform(Dft.BACKWARD);
        meanField(Density.STATE, null);
        phase(tau, null, Density.STATE, false);
        transform(Dft.FORWARD);
    }

    /**
     * Replaces the trap U of {@link #phase} and {@link #moments} by the analytic family
     * U(x) = c_x x² + c_y y² + c_z z² + c_0 + v0·e^{−x²/(2s²)}, {@code coefficients} = {c_x, c_y, c_z, c_0, v0, s}
     * ({@link io.hartree.api.model.Drive#coefficients}; v0 = 0: no barrier, s unused): the
     * time-dependent one-body terms ({@code --drive}), set by the algorithm at the midpoint of each
     * substep and at each observation. The array is not kept. A backend without it refuses a drive.
     */
    default void trap(double[] coefficients) {
        throw new io.hartree.api.ParameterException("--drive", describe(), "a backend whose split-step primitives can change the trap (cpu, cuda)");
    }

    /**
     * Raw sums of state b (in Fourier space; left unchanged), for the observables that
     * {@link io.hartree.api.hartree.SplitStepPropagator} defines from them. With φ = BACKWARD(ψ̂_b)/n³,
     * ρ = |φ|², x_j the grid coordinates and k_j the wave numbers:
     * <ul>
     *   <li>{@code sumHat} = Σ|ψ̂|², {@code kinetic} = Σ|k|²|ψ̂|², {@code tail} = Σ over max_d |k_d| &gt; spec.cut of |ψ̂|²;</li>
     *   <li>{@code norm} = Σρ, {@code trap} = ΣUρ, {@code mx, my, mz} = Σx_dρ, {@code x2} = Σ|x|²ρ,
     *       {@code edge} = Σ over max_d |x_d| &gt; spec.edge of ρ;</li>
     *   <li>{@code overlapRe/Im} = Σ g(x)g(y)g(z)·φ with g = spec.overlapAxis;</li>
     *   <li>{@code rho2} = Σρ², {@code meanField} = Σ(V*ρ)ρ (spectral interaction, else 0);</li>
     *   <li>{@code rho52} = Σρ^{5/2} = Σ|φ|⁵ where the kernel has an LHY term
     *       ({@link io.hartree.api.hartree.ConvolutionKernel#lhy()} ≠ 0), else 0 (for the energy (2/5)γ∫|φ|⁵).</li>
     * </ul>
     */
    Moments moments(int b, MomentSpec spec);

    /** The constants of {@link #moments}: wave-number cut of the spectral tail, edge distance, overlap function per axis (n values). */
    record MomentSpec(double cut, double edge, double[] overlapAxis) { }

    /** Raw sums of one state, see {@link #moments}. */
    record Moments(double sumHat, double kinetic, double tail, double norm, double trap, double mx, double my,
                   double mz, double x2, double edge, double overlapRe, double overlapIm, double rho2,
                   double meanField, double rho52) {
        /** Without the LHY sum (rho52 = 0). */
        public Moments(double sumHat, double kinetic, double tail, double norm, double trap, double mx, double my,
                       double mz, double x2, double edge, double overlapRe, double overlapIm, double rho2, double meanField) {
            this(sumHat, kinetic, tail, norm, trap, mx, my, mz, x2, edge, overlapRe, overlapIm, rho2, meanField, 0);
        }
    }

    // ---- Several components ({@link io.hartree.api.model.Components}, problem.terms().components()) ----
    // With K components the batch is the K components of one system (batch() == K) and two
    // primitives change meaning: the phase of state b is ψ_b ← e^{−iτ(U_b + Σ_j c_bj s_j W_j)} ψ_b
    // (U_b the trap of component b, c the coupling matrix, s_j = densityScale[j] scales the density
    // of SOURCE state j, W_j the mean field of state j from the last meanField; for a contact
    // interaction with Density.STATE the densities g|ψ_j|² are taken from the states before any is
    // changed), and the trap sum of moments(b) is Σ U_b ρ. Without components both are as above.

    /**
     * The Rabi mixing of the components, pointwise (the operator is constant in space, so it applies
     * alike in real and Fourier space): ψ_b ← α ψ_b + β Σ_j ψ_j for every b, at once (the old values
     * on the right), α = aRe + i·aIm, β = bRe + i·bIm. e^{−iθM} with M_ij = 1 − δ_ij is α = e^{iθ},
     * β = (e^{−iθ(K−1)} − e^{iθ})/K (the algorithm computes α, β). A backend without components
     * support keeps this default, which refuses.
     */
    default void rabi(double aRe, double aIm, double bRe, double bIm) {
        throw new ParameterException("--components", describe(), "a backend with the Rabi primitive (cpu, reference)");
    }

    /**
     * Cross sums of states i and j (both in Fourier space, unchanged), for the inter-component
     * observables: {@code overlapRe/Im} = Σ_k conj(ψ̂_i)ψ̂_j (raw, = n³·Σ_x conj(φ_i)φ_j), and
     * {@code meanField} = Σ_x (V*ρ_j)ρ_i with ρ = |φ|², φ = BACKWARD(ψ̂)/n³ (contact: g·Σρ_iρ_j; none: 0).
     * May allocate its result. A backend without components support keeps this default, which refuses.
     */
    default Cross cross(int i, int j) {
        throw new ParameterException("--components", describe(), "a backend with the cross-sum primitive (cpu, reference)");
    }

    /** Cross sums of two states, see {@link #cross}. */
    record Cross(double overlapRe, double overlapIm, double meanField) { }

    // --- Rotating frame (io.hartree.api.hartree.Rotation) ---------------------------------------------

    /**
     * The unnormalised one-dimensional DFT {@code d} along one axis (0 = x, the slowest index i; 1 = y,
     * the index j; 2 = z, the fastest index k), applied in place to every state: FORWARD ψ(…, k_a, …) =
     * Σ_{x_a} e^{−ik_a·x_a} ψ(…, x_a, …), BACKWARD with e^{+ik_a·x_a}, no scaling (BACKWARD∘FORWARD = n·identity
     * along that axis; the caller folds the 1/n into {@link #axisPhase}'s scale). It commutes with the
     * transforms along the other axes, so a state in Fourier space goes to the mixed representation
     * (k_x, y, k_z) by transformAxis(1, BACKWARD).
     */
    default void transformAxis(int axis, Dft d) {
        throw new UnsupportedOperationException(describe() + ": no one-dimensional transforms (rotation)");
    }

    /**
     * The mixed-representation factor on every state held with axis {@code coordAxis} in position space
     * and axis {@code waveAxis} in Fourier space (coordAxis ≠ waveAxis, each 0 or 1; the third axis in
     * either): ψ ← scale · e^{i c·x_a·k_b} ψ (real time) or scale · e^{−c·x_a·k_b} ψ ({@code imaginary}),
     * x_a = {@link io.hartree.api.model.Grid3D#x}(index along coordAxis), k_b = {@link io.hartree.api.model.Grid3D#k}(index
     * along waveAxis).
     */
    default void axisPhase(int coordAxis, int waveAxis, double c, boolean imaginary, double scale) {
        throw new UnsupportedOperationException(describe() + ": no mixed-representation phase (rotation)");
    }

    /** How the primitives run, in a few words for benchmark tables (transforms, fused or not). */
    String describe();

    @Override
    void close();
}
