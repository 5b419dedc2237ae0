package io.hartree.api;

/**
 * Observables of a state φ on the grid, all Riemann sums with dV = dx³:
 * norm = ∫|φ|²; energy = kinetic + trap + interaction with kinetic = ∫ a|k|²|φ̂|² (Parseval),
 * trap = ∫U|φ|², interaction = ½∫(V*|φ|²)|φ|²; chemical potential μ = kinetic + trap +
 * 2·interaction (divided by the norm); ⟨x⟩ and ⟨|x|²⟩ normalised by the norm; overlap0 =
 * |⟨φ⁰, φ⟩|². edgeMass is the mass within one tenth of the box of its faces; spectralTail is the
 * fraction of ∫|φ̂|² with max_d |k_d| above 2/3 of the Nyquist wave number (a resolution check).
 *
 * <p>Rotating frame ({@link io.hartree.api.model.GpTerms#rotation()} Ω ≠ 0; docs/hartree.md): angularMomentum =
 * ∫φ* L_z φ, labEnergy = kinetic + trap + interaction, energy = labEnergy − Ω·angularMomentum (the energy of
 * h − ΩL_z) and μ likewise; vortices = the plaquette count on the plane z = 0
 * ({@link io.hartree.api.hartree.Rotation#vortexCount}). Without rotation: 0, energy, 0.
 */
public record Observables(double time, double norm, double energy, double kinetic, double trap,
                          double interaction, double chemicalPotential, double meanX, double meanY,
                          double meanZ, double x2, double overlap0, double edgeMass, double spectralTail,
                          double angularMomentum, double labEnergy, int vortices) {
    /**
     * Without a rotating frame: angularMomentum 0, labEnergy = energy, vortices 0 (docs/hartree.md,
     * "Rotating frame": with --rotation Ω, energy = labEnergy − Ω·angularMomentum is the energy of h − ΩL_z,
     * angularMomentum = ∫φ*L_zφ, vortices the plaquette count on the plane z = 0).
     */
    public Observables(double time, double norm, double energy, double kinetic, double trap,
                       double interaction, double chemicalPotential, double meanX, double meanY,
                       double meanZ, double x2, double overlap0, double edgeMass, double spectralTail) {
        this(time, norm, energy, kinetic, trap, interaction, chemicalPotential, meanX, meanY, meanZ, x2, overlap0,
                edgeMass, spectralTail, 0, energy, 0);
    }

    /**
     * Spectral-tail fraction above which the state is reported as not resolved: 1e-6 of |φ̂|²
     * beyond 2/3 of the Nyquist wave number means relative amplitudes of ~1e-3 there, which alias
     * visibly in |φ|² (products of modes above 2/3 Nyquist wrap around). φ⁰ at dx = 0.5 has
     * 1e-8 there and energies exact to 1e-15, so it passes.
     */
    public static final double TAIL_WARNING = 1e-6;
    /** Edge-mass fraction (within L/10 of a face) above which the state is reported as touching the box edge. */
    public static final double EDGE_WARNING = 1e-8;

    /** The warnings this observation raises (empty when the state is resolved and away from the edges). */
    public java.util.List<String> warnings() {
        java.util.List<String> w = new java.util.ArrayList<>(2);
        if (!(spectralTail <= TAIL_WARNING))
            w.add(String.format(java.util.Locale.ROOT, "not resolved: %.3g of |phi^|^2 lies above 2/3 of the Nyquist wave number at t = %.6g (threshold %.0e); use more points (--grid) for the same box", spectralTail, time, TAIL_WARNING));
        if (!(edgeMass <= EDGE_WARNING))
            w.add(String.format(java.util.Locale.ROOT, "touching the box edge: %.3g of the mass lies within L/10 of a face at t = %.6g (threshold %.0e); use a larger box (--box)", edgeMass, time, EDGE_WARNING));
        return w;
    }

    /** Harmonic part ∫(ν/2)|x|²|φ|² of the paper's trap energy: trap + (3ν/2)·norm (U = (ν/2)(|x|² − 3)). */
    public double harmonicTrap(double nu) { return trap + 1.5 * nu * norm; }
}
