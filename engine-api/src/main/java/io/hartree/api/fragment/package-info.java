/**
 * The fragmentation formulas of Lee &amp; Michelangeli, exact and cheap for N up to 10⁷.
 *
 * <h2>Objects</h2>
 * Let φ₁, …, φ_ℓ be orthonormal one-body states and N₁ + … + N_ℓ = N, n_j = N_j / N.
 * <ul>
 *   <li>The fragmented state Ψ_N (1.15)/(2.4): the normalised symmetrisation of
 *       φ₁^{⊗N₁} ⊗ … ⊗ φ_ℓ^{⊗N_ℓ}, i.e. the Fock state |N₁, …, N_ℓ⟩.</li>
 *   <li>Its k-body marginal (trace 1) γ_N^(k) = Σ_a c_a |Φ_a⟩⟨Φ_a|, (2.8)/(2.20), where a = (a₁, …, a_ℓ),
 *       |a| = k, a_j ∈ {0, …, N_j}, Φ_a is the normalised symmetric k-body state with a_j particles in
 *       φ_j, and c_a = Π_j C(N_j, a_j) / C(N, k) (multivariate hypergeometric weights). For ℓ = 2
 *       the index is j = a₂ and c_{k,j} = C(N₁, k−j) C(N₂, j) / C(N, k).</li>
 *   <li>The phase-averaged product γ̃_N^(k) = (2π)^{−ℓ} ∫ dθ |u_θ^{⊗k}⟩⟨u_θ^{⊗k}|, u_θ = Σ_j √n_j e^{−iθ_j} φ_j,
 *       (2.9)/(2.21): the same basis, with c̃_a = k!/(a₁!…a_ℓ!) Π_j n_j^{a_j}. The paper's (2.21)
 *       prints the denominator N; it is N^k (compare (2.9)), which is what is computed here.</li>
 *   <li>The mixture ρ_N = Σ_j n_j |φ_j^{⊗N}⟩⟨φ_j^{⊗N}| (2.10), with k-marginal
 *       ρ_N^(k) = Σ_j n_j |φ_j^{⊗k}⟩⟨φ_j^{⊗k}|: weight n_j on a = k e_j, zero elsewhere.</li>
 * </ul>
 * All three are diagonal in the orthonormal family {Φ_a}, so each trace norm of a difference is
 * the ℓ¹ distance of the weights, e.g. (2.15) Tr|γ_N^(k) − γ̃_N^(k)| = Σ_a |c_a − c̃_a|; their
 * ranks (2.12)–(2.14) are the numbers of non-zero weights. For k = 1 all three equal
 * Σ_j n_j |φ_j⟩⟨φ_j| (Corollary 2.2); for k ≥ 2 the ranks differ.
 *
 * <h2>Conventions and corrections</h2>
 * Occupations a_j run over {0, …, N_j} (the paper's (1.16)/(2.19) print {1, …, N_j}; the sum
 * (2.8) includes j = 0 and j = k). Marginals have trace 1 (DESIGN §3). The spin bra and ket of
 * (4.15) carry the same vector (√n₁ e^{−iθ₁}, √n₂ e^{−iθ₂}).
 */
package io.hartree.api.fragment;
