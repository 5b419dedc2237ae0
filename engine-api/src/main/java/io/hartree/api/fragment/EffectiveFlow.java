package io.hartree.api.fragment;

import io.hartree.api.ParameterException;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fock.ModeHartree;
import io.hartree.api.fock.ModeIntegrals;

/**
 * The emergent evolution of a fragmented condensate in the large-gap limit, (3.17)–(3.18).
 *
 * <p>The coefficients κ(t) ∈ C^d of the condensate function in the degenerate ground space of
 * h_ν, φ_t = Σ_j κ_j(t) χ_j, follow the Hartree flow restricted to that space, eq. (3.18):
 * <pre>  i κ̇_i = Σ_j h_ij κ_j + Σ_{jkl} V_ijkl conj(κ_j) κ_k κ_l,   κ_j(0) = √n_j e^{−iθ_j},</pre>
 * integrated by {@link ModeHartree} (h = 0 on the ground space; a non-zero h is allowed). The
 * phase-averaged one-body limit γ_∞,t^(1) = Σ_{jl} K_jl(t) |χ_j⟩⟨χ_l| has, eq. (3.17),
 * <pre>  K_jl(t) = (2π)^{−d} ∫ dθ κ_j^θ(t) conj(κ_l^θ(t)).</pre>
 * The flow commutes with a global phase, so K depends on the d − 1 relative phases only:
 * θ_1 = 0 is fixed and the others are sampled on Q equispaced nodes (trapezoid rule: spectrally
 * accurate for the smooth periodic integrand, exact for trigonometric polynomials of degree &lt; Q).
 *
 * <p>Toy model ({@link SpinToyModel#groundSpaceIntegrals}): V_ijkl = E δ_ik δ_jl gives
 * κ(t) = κ(0) e^{−iEt} and K(t) = diag(n₁, n₂), rank 2, for all t (3.19).
 */
public final class EffectiveFlow {
    private final ModeHartree flow;
    private final int d;
    private final double tol;

    /** @param tol local error per step of the integrator (max-norm), in [1e-15, 1e-2] */
    public EffectiveFlow(ModeIntegrals integrals, double tol) {
        ParameterException.require(integrals != null, "integrals", "null", "mode integrals of the ground space");
        ParameterException.require(tol >= 1e-15 && tol <= 1e-2, "tol", tol, "[1e-15, 1e-2]");
        this.flow = new ModeHartree(integrals);
        this.d = integrals.modes();
        this.tol = tol;
    }


    /**
     * κ at each of {@code times} (non-decreasing, ≥ 0) from κ(0) = {@code kappa0} (d complex,
     * interleaved; not modified). Returns one interleaved array per time.
     */
    public double[][] evolve(double[] kappa0, double[] times) {
        ParameterException.require(kappa0 != null && kappa0.length == 2 * d, "kappa0", kappa0 == null ? "null" : kappa0.length, "2·d = " + 2 * d + " doubles");
        double[][] out = new double[times.length][];
        double[] y = kappa0.clone();
        double t = 0;
        for (int n = 0; n < times.length; n++) {
            ParameterException.require(times[n] >= t && Double.isFinite(times[n]), "times", times[n], "finite, non-decreasing, >= 0");
            if (times[n] > t) flow.evolve(y, times[n] - t, tol);
            t = times[n];
            out[n] = y.clone();
        }
        return out;
    }

    /**
     * K(t) of (3.17) at each time, for initial fractions n_j (Σ n_j = 1), with
     * {@code phaseNodes} = Q nodes per relative phase (Q^{d−1} trajectories). Each result is a d×d
     * complex matrix, row-major, interleaved.
     */
    public double[][] coefficients(double[] fractions, double[] times, int phaseNodes) {
        ParameterException.require(fractions != null && fractions.length == d, "fractions", fractions == null ? "null" : fractions.length, "d = " + d + " values");
        double total = 0;
        for (double f : fractions) {
            ParameterException.require(f >= 0, "fractions", f, ">= 0");
            total += f;
        }
        ParameterException.require(Math.abs(total - 1) < 1e-12, "fractions", total, "sum 1");
        ParameterException.require(phaseNodes >= 1, "phase nodes", phaseNodes, ">= 1");
        double samples = Math.pow(phaseNodes, d - 1);
        ParameterException.require(samples <= 1e6, "phase nodes", phaseNodes, "Q^(d-1) <= 1e6 trajectories");
        double[][] k = new double[times.length][2 * d * d];
        int[] idx = new int[d];
        double[] kappa0 = new double[2 * d];
        for (long s = 0; s < (long) samples; s++) {
            long r = s;
            for (int j = 1; j < d; j++) { idx[j] = (int) (r % phaseNodes); r /= phaseNodes; }
            for (int j = 0; j < d; j++) {
                double theta = 2 * Math.PI * idx[j] / phaseNodes;
                double amp = Math.sqrt(fractions[j]);
                kappa0[2 * j] = amp * Math.cos(theta);
                kappa0[2 * j + 1] = -amp * Math.sin(theta);
            }
            double[][] kap = evolve(kappa0, times);
            for (int n = 0; n < times.length; n++) {
                double[] y = kap[n];
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++) {
                        // κ_i conj(κ_j)
                        double re = y[2 * i] * y[2 * j] + y[2 * i + 1] * y[2 * j + 1];
                        double im = y[2 * i + 1] * y[2 * j] - y[2 * i] * y[2 * j + 1];
                        k[n][2 * (i * d + j)] += re / samples;
                        k[n][2 * (i * d + j) + 1] += im / samples;
                    }
            }
        }
        return k;
    }

    /** Number of eigenvalues of the Hermitian d×d {@code matrix} above {@code threshold}. */
    public static int rank(double[] matrix, int d, double threshold) {
        return io.hartree.api.fock.FockObservables.rank(HermitianEigen.eigenvalues(matrix, d), threshold);
    }
}
