package io.hartree.api.hartree;

/**
 * Observables of a state φ on the grid, all Riemann sums with dV = dx³:
 * norm = ∫|φ|²; energy = kinetic + trap + interaction with kinetic = ∫ a|k|²|φ̂|² (Parseval),
 * trap = ∫U|φ|², interaction = ½∫(V*|φ|²)|φ|²; chemical potential μ = kinetic + trap +
 * 2·interaction (divided by the norm); ⟨x⟩ and ⟨|x|²⟩ normalised by the norm; overlap0 =
 * |⟨φ⁰, φ⟩|². edgeMass is the mass within one tenth of the box of its faces; spectralTail is the
 * fraction of ∫|φ̂|² with max_d |k_d| above 2/3 of the Nyquist wave number (a resolution check).
 */
public record Observables(double time, double norm, double energy, double kinetic, double trap,
                          double interaction, double chemicalPotential, double meanX, double meanY,
                          double meanZ, double x2, double overlap0, double edgeMass, double spectralTail) {}
