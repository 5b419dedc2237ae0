package io.hartree.api.fragment;

import io.hartree.api.ParameterException;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.model.Interaction;

/**
 * The spin toy model (3.2)–(3.8): one-body space L²(R³) ⊗ C², h_ν ⊗ 1 with h_ν = (ν/2)(−Δ + |x|² − 3),
 * V acting on positions only. Its ground space is spanned by φ⁰ ⊗ ↑ and φ⁰ ⊗ ↓, with
 * φ⁰(x) = π^{−3/4} e^{−|x|²/2} (the paper's (3.7)/(4.1) print (2π)^{−3/2}, which is not normalised).
 *
 * <p>The fragmented state |N₁↑, N₂↓⟩ = (φ⁰)^{⊗N} ⊗ (spin Fock state) has k-marginal
 * |φ⁰^{⊗k}⟩⟨φ⁰^{⊗k}| ⊗ γ_spin^(k), with γ_spin^(k) = Σ_j c_{k,j} |Φ_{k,j}⟩⟨Φ_{k,j}| (2.8) on
 * (C²)^{⊗k}, Φ_{k,j} the symmetric state with j spins down. Its limit (4.14)–(4.15) is
 * γ_spin,∞^(k) = (2π)^{−2} ∫ dθ₁dθ₂ |u_θ^{⊗k}⟩⟨u_θ^{⊗k}|, u_θ = (√n₁ e^{−iθ₁}, √n₂ e^{−iθ₂})
 * (bra and ket carry the same vector; the paper's (4.15) misprints it), so (4.13)
 * Tr|γ_spin^(k) − γ_spin,∞^(k)| = Σ_j |c_{k,j} − c̃_{k,j}|, the same number as (2.15).
 */
public final class SpinToyModel {
    private final long up;
    private final long down;

    public SpinToyModel(long up, long down) {
        ParameterException.require(up >= 0 && down >= 0 && up + down >= 1, "--occupations", up + "," + down, "N1, N2 >= 0 with N1 + N2 >= 1");
        this.up = up;
        this.down = down;
    }

    public long particles() { return up + down; }

    /** The weights of γ_spin^(k), γ_spin,∞^(k) on Φ_{k,0..k} (index j = number of spins down). */
    public FragmentedMarginals marginals(int k) {
        return FragmentedMarginals.of(k, up, down);
    }

    /** Tr|γ_spin^(k) − γ_spin,∞^(k)|, eq. (4.13). */
    public double traceDistance(int k) {
        return marginals(k).traceDistance();
    }

    /** u_θ = (√n₁ e^{−iθ₁}, √n₂ e^{−iθ₂}), interleaved (4.3)/(4.15). */
    public double[] spinor(double theta1, double theta2) {
        double n1 = (double) up / particles(), n2 = (double) down / particles();
        double a = Math.sqrt(n1), b = Math.sqrt(n2);
        return new double[]{a * Math.cos(theta1), -a * Math.sin(theta1), b * Math.cos(theta2), -b * Math.sin(theta2)};
    }

    /**
     * γ_spin,∞^(k) as a dense 2^k × 2^k complex matrix (row-major, interleaved; basis index bit i
     * = 1 when spin i is down), built from its definition (4.14)–(4.15) by the trapezoid rule on
     * (k+1)² nodes, which integrates the trigonometric polynomials of degree ≤ k exactly.
     * For checks; k ≤ 10.
     */
    public double[] limitMatrix(int k) {
        ParameterException.require(k >= 1 && k <= 10, "--k", k, "1 <= k <= 10 for the dense matrix");
        int dim = 1 << k;
        int q = k + 1;
        double[] m = new double[2 * dim * dim];
        double[] vec = new double[2 * dim];
        for (int p1 = 0; p1 < q; p1++)
            for (int p2 = 0; p2 < q; p2++) {
                double[] u = spinor(2 * Math.PI * p1 / q, 2 * Math.PI * p2 / q);
                for (int s = 0; s < dim; s++) {
                    double re = 1, im = 0;
                    for (int i = 0; i < k; i++) {
                        int b = (s >> i) & 1;
                        double ur = u[2 * b], ui = u[2 * b + 1];
                        double nr = re * ur - im * ui;
                        im = re * ui + im * ur;
                        re = nr;
                    }
                    vec[2 * s] = re;
                    vec[2 * s + 1] = im;
                }
                double w = 1.0 / (q * q);
                for (int r = 0; r < dim; r++)
                    for (int c = 0; c < dim; c++) {
                        double ar = vec[2 * r], ai = vec[2 * r + 1], br = vec[2 * c], bi = -vec[2 * c + 1];
                        m[2 * (r * dim + c)] += w * (ar * br - ai * bi);
                        m[2 * (r * dim + c) + 1] += w * (ar * bi + ai * br);
                    }
            }
        return m;
    }

    /**
     * The ground space of the toy model: χ_1 = φ⁰ ⊗ ↑, χ_2 = φ⁰ ⊗ ↓, h = 0 there, and since V acts
     * on positions only, V_ijkl = E δ_ik δ_jl ({@link #meanFieldEnergy}): the single spatial mode
     * φ⁰ with V_0000 = E, tensored with spin.
     */
    public static ModeIntegrals groundSpaceIntegrals(double energy) {
        return new ModeIntegrals(1, new double[2], new double[]{energy, 0}).withSpin();
    }

    /**
     * E = ∫∫ |φ⁰(x)|² V(x − y) |φ⁰(y)|² dx dy, the energy in κ_j(t) = κ_j(0) e^{−iEt}.
     * Since x − y is Gaussian with variance 1 per axis, E = √(2/π) ∫_0^∞ r² V(r) e^{−r²/2} dr:
     * Gaussian λ(σ²/(1+σ²))^{3/2}, Coulomb λ√(2/π), contact g(2π)^{−3/2}, none 0; Yukawa by
     * composite Simpson quadrature on [0, 40] (relative error below 1e-12).
     */
    public static double meanFieldEnergy(Interaction v) {
        return switch (v) {
            case Interaction.Gaussian g -> g.lambda() * Math.pow(g.sigma() * g.sigma() / (1 + g.sigma() * g.sigma()), 1.5);
            case Interaction.Coulomb c -> c.lambda() * Math.sqrt(2 / Math.PI);
            case Interaction.Contact c -> c.g() * Math.pow(2 * Math.PI, -1.5);
            case Interaction.None n -> 0;
            case Interaction.Yukawa y -> {
                // r²V(r) = λ r e^{−μr}: smooth on [0, ∞)
                int m = 40_000;
                double hq = 40.0 / m, s = 0;
                for (int i = 0; i <= m; i++) {
                    double r = i * hq;
                    double f = y.lambda() * r * Math.exp(-y.mu() * r - 0.5 * r * r);
                    s += f * (i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2));
                }
                yield Math.sqrt(2 / Math.PI) * s * hq / 3;
            }
            case Interaction.Dipolar d -> throw new ParameterException("interaction", d.spec(), "an isotropic analytic interaction (gaussian, yukawa, coulomb, contact, none) for the toy model's E");
            case Interaction.Lhy l -> throw new ParameterException("interaction", l.spec(), "a two-body interaction (gaussian, yukawa, coulomb, contact, none) for the toy model's E");
            case Interaction.Sum sum -> throw new ParameterException("interaction", sum.spec(), "a single analytic interaction (gaussian, yukawa, coulomb, contact, none) for the toy model's E");
            case Interaction.Tabulated t -> throw new ParameterException("interaction", t.spec(), "an analytic interaction (gaussian, yukawa, coulomb, contact, none) for the toy model's E");
        };
    }
}
