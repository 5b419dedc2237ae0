package io.hartree.api.fragment;

import io.hartree.api.HostTransforms;
import io.hartree.api.ParameterException;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.Interaction;

/**
 * The ground-space effective flow (3.17)–(3.18) for a general ground space: orthonormal
 * χ_1 … χ_ℓ spanning the (degenerate) ground space of h, general integrals
 * V_ijkl = ∫∫ conj(χ_i(x)) conj(χ_j(y)) V(x − y) χ_k(x) χ_l(y), and
 * <pre>  i κ̇_i = Σ_j h_ij κ_j + Σ_jkl V_ijkl conj(κ_j) κ_k κ_l,   κ_j(0) = √n_j e^{−iθ_j},</pre>
 * (h = 0 on an exactly degenerate ground space at energy 0, as in (3.6)), then
 * K_jl(t) = (2π)^{−ℓ} ∫ dθ κ_j^θ(t) conj(κ_l^θ(t)) and γ_{∞,∞,t}^(1) = Σ_jl K_jl(t) |χ_j⟩⟨χ_l|.
 *
 * <p>Unlike {@link EffectiveFlow} with {@link SpinToyModel#groundSpaceIntegrals} (V = E δ_ik δ_jl,
 * which makes K(t) = diag(n) for all t), nothing here fixes the form of K: it is computed from the
 * evolved κ^θ on a {@link PhaseQuadrature} (the (3.17) average is exact for Q ≥ 2 only when the
 * flow is linear; otherwise converged in Q, see {@link PhaseAveragedFlow.Result#halvingDifference}).
 * With spatially distinct χ_j (e.g. the localised orbitals of a double well) V has
 * density-assisted terms V_0001 and K(t) is not diagonal.
 */
public final class GroundSpaceFlow {
    private final ModeIntegrals integrals;
    private final double tol;

    /** @param tol local error per DOPRI5 step (max-norm), in [1e-15, 1e-2] */
    public GroundSpaceFlow(ModeIntegrals groundSpace, double tol) {
        ParameterException.require(groundSpace != null, "integrals", "null", "ground-space integrals");
        ParameterException.require(tol >= 1e-15 && tol <= 1e-2, "tol", tol, "[1e-15, 1e-2]");
        this.integrals = groundSpace;
        this.tol = tol;
    }

    public ModeIntegrals integrals() { return integrals; }

    /**
     * The phase ensemble of κ^θ(t) at each time (Q nodes per relative phase); its
     * {@link PhaseEnsemble#matrix(int) matrix(1)} is K(t), its occupations the eigenvalues of K(t).
     */
    public PhaseAveragedFlow.Result evolve(double[] fractions, int nodes, double[] times) {
        int l = integrals.modes();
        double[][] unit = new double[l][2 * l];
        for (int j = 0; j < l; j++) unit[j][2 * j] = 1;
        return PhaseAveragedFlow.modes(integrals, unit, fractions, nodes, times, tol);
    }

    /** K(t) of (3.17) at each time, ℓ×ℓ interleaved (K_jl = avg κ_j conj(κ_l)). */
    public double[][] coefficients(double[] fractions, int nodes, double[] times) {
        PhaseAveragedFlow.Result r = evolve(fractions, nodes, times);
        double[][] k = new double[times.length][];
        for (int t = 0; t < times.length; t++) k[t] = r.at(t).matrix(1);
        return k;
    }

    /** Eigenvalues of K, descending: the natural occupations of γ_{∞,∞,t}^(1) (its rank (3.19) counts those above a threshold). */
    public static double[] occupations(double[] k, int l) {
        double[] w = HermitianEigen.eigenvalues(k, l);
        double[] out = new double[l];
        for (int i = 0; i < l; i++) out[i] = w[l - 1 - i];
        return out;
    }

    /**
     * Ground-space integrals from grid functions: h = 0 and
     * V_ijkl = dx³ Σ_x conj(χ_i)χ_k (V * conj(χ_j)χ_l)(x) with the engine's linear convolution
     * ({@link ConvolutionKernel}: padded for Gaussian and tabulated V, truncated for Coulomb and
     * Yukawa, pointwise for contact), the same numbers as the grid Hartree solver's mean field.
     * {@code orbitals} are interleaved complex grid functions, orthonormal to 1e-8.
     */
    public static ModeIntegrals integrals(Grid3D grid, double[][] orbitals, Interaction v, HostTransforms fft) {
        ParameterException.require(grid != null && v != null && fft != null, "grid", "null", "grid, interaction and transforms");
        PhaseAveragedFlow.checkOrbitals(orbitals, grid.hostComplexLength(), grid.dV(), 1e-8);
        int l = orbitals.length, n3 = grid.hostRealLength();
        ModeIntegrals mi = ModeIntegrals.zero(l);
        if (v instanceof Interaction.None) return mi;
        ConvolutionMode mode = (v instanceof Interaction.Coulomb || v instanceof Interaction.Yukawa)
                ? ConvolutionMode.TRUNCATED : ConvolutionMode.PADDED;
        ConvolutionKernel kernel = ConvolutionKernel.build(grid, v, mode, fft);
        // pair densities ρ_jl = conj(χ_j) χ_l and their mean fields W_jl = V * ρ_jl (V real: re and im separately)
        double[][][] rho = new double[l][l][];
        double[][][] w = new double[l][l][];
        for (int j = 0; j < l; j++)
            for (int q = 0; q < l; q++) {
                double[] a = orbitals[j], b = orbitals[q];
                double[] re = new double[n3], im = new double[n3];
                for (int s = 0; s < n3; s++) {
                    re[s] = a[2 * s] * b[2 * s] + a[2 * s + 1] * b[2 * s + 1];
                    im[s] = a[2 * s] * b[2 * s + 1] - a[2 * s + 1] * b[2 * s];
                }
                double[] cr = kernel.apply(re), ci = kernel.apply(im);
                double[] r = new double[2 * n3], c = new double[2 * n3];
                for (int s = 0; s < n3; s++) { r[2 * s] = re[s]; r[2 * s + 1] = im[s]; c[2 * s] = cr[s]; c[2 * s + 1] = ci[s]; }
                rho[j][q] = r;
                w[j][q] = c;
            }
        double dv = grid.dV();
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
                for (int k = 0; k < l; k++)
                    for (int q = 0; q < l; q++) {
                        double[] r = rho[i][k], c = w[j][q];
                        double re = 0, im = 0;
                        for (int s = 0; s < 2 * n3; s += 2) {
                            re += r[s] * c[s] - r[s + 1] * c[s + 1];
                            im += r[s] * c[s + 1] + r[s + 1] * c[s];
                        }
                        int idx = mi.vIndex(i, j, k, q);
                        mi.v()[idx] = re * dv;
                        mi.v()[idx + 1] = im * dv;
                    }
        return mi;
    }
}
