package io.hartree.api.fock;

import io.hartree.api.ParameterException;
import io.hartree.api.model.Grid3D;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.Interaction;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The paper's mode basis: the lowest M eigenfunctions of h_ν = (ν/2)(−Δ + |x|² − 3) (3.3), real
 * products of Hermite functions χ_{(a,b,c)}(x) = ψ_a(x)ψ_b(y)ψ_c(z), ψ_n(x) =
 * (2ⁿ n! √π)^{−1/2} H_n(x) e^{−x²/2} (so χ_0 = φ⁰ = π^{−3/4} e^{−|x|²/2}), with eigenvalue
 * ν(a + b + c): h_ij = ν n_i δ_ij exactly. Energy order; inside a shell, a descending then b
 * descending (shell 1: x, y, z). A cut inside a degenerate shell is allowed but breaks the
 * rotational symmetry of the truncated problem.
 */
public final class OscillatorModes {
    private OscillatorModes() {}

    /** Quantum numbers (a, b, c) of the lowest {@code m} modes. */
    public static int[][] lowest(int m) {
        ParameterException.require(m >= 1 && m <= 120, "--modes", m, "1 … 120 spatial modes");
        List<int[]> out = new ArrayList<>();
        for (int shell = 0; out.size() < m; shell++)
            for (int a = shell; a >= 0 && out.size() < m; a--)
                for (int b = shell - a; b >= 0 && out.size() < m; b--)
                    out.add(new int[]{a, b, shell - a - b});
        return out.toArray(new int[0][]);
    }

    /** ψ_n(x), the normalised Hermite function, by the stable three-term recurrence. */
    public static double hermiteFunction(int n, double x) {
        double p0 = Math.pow(Math.PI, -0.25) * Math.exp(-0.5 * x * x);
        if (n == 0) return p0;
        double p1 = Math.sqrt(2) * x * p0;
        for (int k = 1; k < n; k++) {
            double p2 = Math.sqrt(2.0 / (k + 1)) * x * p1 - Math.sqrt((double) k / (k + 1)) * p0;
            p0 = p1;
            p1 = p2;
        }
        return p1;
    }

    /** The default grid for the integrals: n = 48 points on a box of length 12 (φ⁰² ~ e^{−36} at its edge). */
    public static Grid3D defaultGrid() {
        return new Grid3D(48, 12.0);
    }

    /**
     * h_ij = ν n_i δ_ij and V_ijkl = ∫ χ_i χ_k (V * χ_j χ_l) dx on {@code grid} (real modes, so
     * V is real). The convolution V*ρ_jl of the pair densities ρ_jl = χ_jχ_l is the engine's
     * {@link ConvolutionKernel} (the same numbers as the Hartree solver): linear, not cyclic —
     * padded for Gaussian and tabulated V, truncated (Vico–Greengard–Ferrando 2016) for Coulomb and
     * Yukawa, pointwise for contact; then V_ijkl = dx³ Σ_x ρ_ik(x)(V*ρ_jl)(x).
     */
    public static ModeIntegrals integrals(int m, double nu, Interaction interaction, Grid3D grid, io.hartree.api.HostTransforms fft) {
        ParameterException.require(nu > 0 && Double.isFinite(nu), "--nu", nu, "finite ν > 0");
        int[][] q = lowest(m);
        ModeIntegrals mi = ModeIntegrals.zero(m);
        for (int i = 0; i < m; i++) mi.h()[mi.hIndex(i, i)] = nu * (q[i][0] + q[i][1] + q[i][2]);
        if (interaction instanceof Interaction.None) return mi;
        int n = grid.n();
        int n3 = n * n * n;
        int maxQ = 0;
        for (int[] a : q) for (int v : a) maxQ = Math.max(maxQ, v);
        double[][] psi1 = new double[maxQ + 1][n];
        for (int k = 0; k <= maxQ; k++) for (int j = 0; j < n; j++) psi1[k][j] = hermiteFunction(k, grid.x(j));
        double[][] chi = new double[m][n3];
        for (int i = 0; i < m; i++) {
            double[] cx = psi1[q[i][0]], cy = psi1[q[i][1]], cz = psi1[q[i][2]];
            double[] c = chi[i];
            for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) for (int d = 0; d < n; d++) c[(a * n + b) * n + d] = cx[a] * cy[b] * cz[d];
        }
        // Linear (not cyclic) convolution: zero padding for sampled kernels, the truncated kernel for singular ones.
        ConvolutionMode mode = (interaction instanceof Interaction.Coulomb || interaction instanceof Interaction.Yukawa)
                ? ConvolutionMode.TRUNCATED : ConvolutionMode.PADDED;
        ConvolutionKernel kernel = ConvolutionKernel.build(grid, interaction, mode, fft);
        int pairs = m * (m + 1) / 2;
        int[] pi = new int[pairs], pk = new int[pairs];
        for (int i = 0, t = 0; i < m; i++) for (int k = i; k < m; k++) { pi[t] = i; pk[t] = k; t++; }
        double[][] conv = new double[pairs][];
        for (int t = 0; t < pairs; t++) {
            double[] rho = new double[n3];
            double[] ci = chi[pi[t]], ck = chi[pk[t]];
            for (int s = 0; s < n3; s++) rho[s] = ci[s] * ck[s];
            conv[t] = kernel.apply(rho);
        }
        double dv = grid.dV();
        double[] rho = new double[n3];
        for (int t1 = 0; t1 < pairs; t1++) {
            int i = pi[t1], k = pk[t1];
            for (int s = 0; s < n3; s++) rho[s] = chi[i][s] * chi[k][s];
            final double[] r = rho.clone();
            double[] vals = IntStream.range(0, pairs).parallel().mapToDouble(t2 -> {
                double acc = 0;
                double[] c = conv[t2];
                for (int s = 0; s < n3; s++) acc += r[s] * c[s];
                return acc * dv;
            }).toArray();
            for (int t2 = 0; t2 < pairs; t2++) {
                int j = pi[t2], l = pk[t2];
                double val = vals[t2];
                // Real modes: V_ijkl is symmetric under i↔k and j↔l separately.
                set(mi, i, j, k, l, val);
                set(mi, k, j, i, l, val);
                set(mi, i, l, k, j, val);
                set(mi, k, l, i, j, val);
            }
        }
        return mi;
    }

    private static void set(ModeIntegrals mi, int i, int j, int k, int l, double v) {
        mi.v()[mi.vIndex(i, j, k, l)] = v;
    }

}
