package io.hartree.api.modes;

import io.hartree.api.HostTransforms;
import io.hartree.api.ParameterException;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;

import java.util.stream.IntStream;

/**
 * One- and two-body integrals of a {@link GridModes} basis, computed on its grid with the engine's
 * own operators (DESIGN §3, docs/fock.md):
 * <ul>
 *   <li>h_ij = ⟨χ_i, hχ_j⟩ = dx³ Σ_x conj(χ_i) (hχ_j), h applied by {@link GridOperator} (spectral
 *       kinetic term through the session's {@link HostTransforms}), then made exactly Hermitian
 *       (h_ij ← (h_ij + conj(h_ji))/2);</li>
 *   <li>V_ijkl = ∫∫ conj(χ_i(x)) conj(χ_j(y)) V(x − y) χ_k(x) χ_l(y) = dx³ Σ_x ρ_ik(x) W_jl(x) with the
 *       pair densities ρ_ik = conj(χ_i)χ_k and W_jl = V * ρ_jl the engine's {@link ConvolutionKernel}
 *       built with the same transforms: linear convolution, padded for Gaussian and tabulated V,
 *       truncated (Vico–Greengard–Ferrando) for Coulomb and Yukawa, local for contact.</li>
 * </ul>
 * Symmetry: W is computed for j ≤ l only (W_lj = conj W_jl), ρ_ki = conj ρ_ik, so one pass over
 * i ≤ k, j ≤ l gives V_ijkl, V_ilkj, V_kjil, V_klij (for real modes these are the four equal
 * elements V_ijkl = V_kjil = V_ilkj = V_klij). Parity selection: where all four modes have a
 * definite parity on an axis and the product of the four is −1, V_ijkl = 0 exactly (V radial, so
 * even in each axis separately; a tabulated V is only known to be even under x → −x, so there the
 * product of the total parities is used) and the sum is skipped. Finally every |V_ijkl| ≤
 * threshold·max|V| is set to exactly 0 (and likewise h), so {@link io.hartree.api.fock.FockHamiltonian}
 * keeps only the non-zero terms. Memory: the modes and one convolution (n³ or (2n)³) at a time.
 */
public final class GridIntegrals {
    /** Relative threshold below which integrals are set to 0: above the FFT round-off (~1e-15 max|V|), far below the grid error (~1e-8). */
    public static final double DEFAULT_THRESHOLD = 1e-13;

    private GridIntegrals() {}

    /**
     * The integrals and how they were made: non-zero V elements kept, elements zero by parity
     * (not computed), elements below the threshold dropped, max |V|, the kernel's description.
     */
    public record Result(ModeIntegrals integrals, long kept, long zeroByParity, long dropped, double maxAbsV, double threshold, String kernel) {}

    public static Result compute(GridModes modes, OneBodyOperator h, Interaction v, HostTransforms fft, double threshold) {
        ParameterException.require(threshold >= 0 && threshold < 1e-3, "threshold", threshold, "0 ≤ threshold < 1e-3 (relative to max |V|)");
        ParameterException.require(v != null, "interaction", v, Interaction.ALLOWED);
        int m = modes.count();
        ParameterException.require(m <= 256, "modes", m, "1 … 256");
        var grid = modes.grid();
        int n3 = grid.hostRealLength();
        double dv = grid.dV();
        double[][] re = modes.re(), im = modes.im();
        ModeIntegrals mi = ModeIntegrals.zero(m);

        // h_ij
        GridOperator op = new GridOperator(grid, h, fft);
        double[][] hre = new double[m][n3], him = im == null ? null : new double[m][n3];
        for (int j = 0; j < m; j++) {
            if (im == null) {
                if (j + 1 < m) { op.applyReal(re[j], re[j + 1], hre[j], hre[j + 1]); j++; }
                else op.applyReal(re[j], null, hre[j], null);
            } else op.applyReal(re[j], im[j], hre[j], him[j]);
        }
        double[] hm = mi.h();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                double[] s = inner(re[i], im == null ? null : im[i], hre[j], him == null ? null : him[j]);
                hm[mi.hIndex(i, j)] = s[0] * dv;
                hm[mi.hIndex(i, j) + 1] = s[1] * dv;
            }
        for (int i = 0; i < m; i++)
            for (int j = i; j < m; j++) {
                int a = mi.hIndex(i, j), b = mi.hIndex(j, i);
                double r = 0.5 * (hm[a] + hm[b]), c = 0.5 * (hm[a + 1] - hm[b + 1]);
                hm[a] = r; hm[a + 1] = i == j ? 0 : c;
                hm[b] = r; hm[b + 1] = i == j ? 0 : -c;
            }
        double hmax = 0;
        for (double x : hm) hmax = Math.max(hmax, Math.abs(x));
        for (int a = 0; a < hm.length; a++) if (Math.abs(hm[a]) <= threshold * hmax) hm[a] = 0;

        if (v instanceof Interaction.None) return new Result(mi, 0, 0, 0, 0, threshold, "none");
        ConvolutionMode mode = (v instanceof Interaction.Coulomb || v instanceof Interaction.Yukawa) ? ConvolutionMode.TRUNCATED : ConvolutionMode.PADDED;
        ConvolutionKernel kernel = ConvolutionKernel.build(grid, v, mode, fft);
        boolean axisParity = Interaction.axisParity(v);
        int[][] par = modes.parity();

        int pairs = m * (m + 1) / 2;
        int[] pi = new int[pairs], pk = new int[pairs];
        for (int i = 0, t = 0; i < m; i++) for (int k = i; k < m; k++) { pi[t] = i; pk[t] = k; t++; }
        double[] vm = mi.v();
        long zeroByParity = 0;
        for (int t2 = 0; t2 < pairs; t2++) {
            final int j = pi[t2], l = pk[t2];
            // W_jl = V * (conj χ_j χ_l), real and imaginary parts.
            double[] rr = new double[n3], ri = im == null ? null : new double[n3];
            for (int s = 0; s < n3; s++) rr[s] = re[j][s] * re[l][s];
            if (im != null) for (int s = 0; s < n3; s++) {
                rr[s] += im[j][s] * im[l][s];
                ri[s] = re[j][s] * im[l][s] - im[j][s] * re[l][s];
            }
            final double[] wr = kernel.apply(rr), wi = im == null ? null : kernel.apply(ri);
            boolean[] skip = new boolean[pairs];
            for (int t1 = 0; t1 < pairs; t1++) {
                skip[t1] = parityZero(par[pi[t1]], par[j], par[pk[t1]], par[l], axisParity);
                if (skip[t1]) zeroByParity += (pi[t1] == pk[t1] ? 1 : 2) * (j == l ? 1 : 2);
            }
            double[][] sums = new double[pairs][];
            IntStream.range(0, pairs).parallel().forEach(t1 -> {
                if (skip[t1]) return;
                int i = pi[t1], k = pk[t1];
                // ρ_ik = a + ib = conj(χ_i)χ_k, W = c + id; A = Σac, B = Σbd, C = Σad, D = Σbc.
                double A = 0, B = 0, C = 0, D = 0;
                double[] xi = re[i], xk = re[k];
                if (im == null) {
                    for (int s = 0; s < n3; s++) A += xi[s] * xk[s] * wr[s];
                } else {
                    double[] yi = im[i], yk = im[k];
                    for (int s = 0; s < n3; s++) {
                        double a = xi[s] * xk[s] + yi[s] * yk[s], b = xi[s] * yk[s] - yi[s] * xk[s];
                        A += a * wr[s]; B += b * wi[s]; C += a * wi[s]; D += b * wr[s];
                    }
                }
                sums[t1] = new double[]{A * dv, B * dv, C * dv, D * dv};
            });
            for (int t1 = 0; t1 < pairs; t1++) {
                if (skip[t1]) continue;
                int i = pi[t1], k = pk[t1];
                double A = sums[t1][0], B = sums[t1][1], C = sums[t1][2], D = sums[t1][3];
                put(mi, i, j, k, l, A - B, C + D);   // Σ ρ_ik W_jl
                put(mi, i, l, k, j, A + B, D - C);   // Σ ρ_ik conj(W_jl) = Σ ρ_ik W_lj
                put(mi, k, j, i, l, A + B, C - D);   // Σ conj(ρ_ik) W_jl
                put(mi, k, l, i, j, A - B, -C - D);  // Σ conj(ρ_ik) conj(W_jl)
            }
        }
        double vmax = 0;
        for (int a = 0; a < vm.length; a += 2) vmax = Math.max(vmax, Math.hypot(vm[a], vm[a + 1]));
        long kept = 0, dropped = 0;
        for (int a = 0; a < vm.length; a += 2) {
            double mag = Math.hypot(vm[a], vm[a + 1]);
            if (mag == 0) continue;
            if (mag <= threshold * vmax) { vm[a] = 0; vm[a + 1] = 0; dropped++; }
            else kept++;
        }
        return new Result(mi, kept, zeroByParity, dropped, vmax, threshold, kernel.describe());
    }

    /** Whether V_ijkl vanishes by parity: per axis (radial V), or by total parity (V only even under x → −x). */
    static boolean parityZero(int[] pi, int[] pj, int[] pk, int[] pl, boolean perAxis) {
        if (perAxis) {
            for (int d = 0; d < 3; d++) {
                int prod = pi[d] * pj[d] * pk[d] * pl[d];
                if (prod == -1) return true;
            }
            return false;
        }
        int prod = 1;
        for (int d = 0; d < 3; d++) prod *= pi[d] * pj[d] * pk[d] * pl[d];
        return prod == -1;
    }

    private static void put(ModeIntegrals mi, int i, int j, int k, int l, double re, double im) {
        int a = mi.vIndex(i, j, k, l);
        mi.v()[a] = re;
        mi.v()[a + 1] = im;
    }

    /** Σ conj(f) g for f = fr + i fi, g = gr + i gi (null imaginary parts are zero): {re, im}. */
    private static double[] inner(double[] fr, double[] fi, double[] gr, double[] gi) {
        double r = 0, i = 0;
        for (int s = 0; s < fr.length; s++) {
            r += fr[s] * gr[s];
            if (fi != null) r += fi[s] * gi[s];
            if (gi != null) i += fr[s] * gi[s];
            if (fi != null) i -= fi[s] * gr[s];
        }
        return new double[]{r, i};
    }
}
