package io.hartree.api.modes;

import io.hartree.api.ParameterException;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.testing.JTransformsHost;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link TrajectoryModes} against closed forms, on a 16³ grid with L = 12 (the Gaussians below are 1.5e-8 at the
 * box edge, 2e-16 squared, so parity makes their grid inner products vanish to round-off). Tolerances: round-off of sums over n³ = 4096
 * points (1e-12 on overlaps and occupations, 1e-13 on 1 − ‖Pψ‖²/‖ψ‖², which cancels to ~1e-15).
 */
class TrajectoryModesTest {
    static final Grid3D GRID = new Grid3D(16, 12.0);

    /** Hermite function of the oscillator ½(−Δ + |x|²) with quantum numbers (a, b, c) ≤ 1 (and a = 2), interleaved, normalised on the grid. */
    static double[] hermite(int a, int b, int c) {
        int n = GRID.n();
        double h = GRID.length() / n;
        double[] f = new double[2 * n * n * n];
        double nn = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) {
                    double x = -GRID.length() / 2 + i * h, y = -GRID.length() / 2 + j * h, z = -GRID.length() / 2 + k * h;
                    double v = Math.exp(-(x * x + y * y + z * z) / 2) * poly(a, x) * poly(b, y) * poly(c, z);
                    f[2 * ((i * n + j) * n + k)] = v;
                    nn += v * v;
                }
        nn = Math.sqrt(nn * GRID.dV());
        for (int x = 0; x < f.length; x++) f[x] /= nn;
        return f;
    }

    static double poly(int q, double x) { return q == 0 ? 1 : q == 1 ? x : 2 * x * x - 1; }

    static double[] combine(double[][] f, double[][] c) {
        double[] o = new double[f[0].length];
        for (int j = 0; j < f.length; j++)
            for (int x = 0; x < o.length; x += 2) {
                o[x] += c[j][0] * f[j][x] - c[j][1] * f[j][x + 1];
                o[x + 1] += c[j][0] * f[j][x + 1] + c[j][1] * f[j][x];
            }
        return o;
    }

    /**
     * States ψ_a = α_a f + β_a g in the span of two orthonormal functions (beside the leading φ = χ_000, which they do
     * not touch): exactly 2 natural orbitals at any tolerance down to 1e-6, their occupations the eigenvalues of the
     * 2×2 Σ_a w_a (α_a, β_a)(α_a, β_a)† (closed form), and every state spanned (residual 1 − ‖Pψ‖²/‖ψ‖² ≤ 1e-13, its round-off).
     */
    @Test
    void statesInATwoDimensionalSpanGiveTwoModes() {
        double[] phi = hermite(0, 0, 0), f = hermite(1, 0, 0), g = hermite(0, 1, 1);
        double[][] ab = {{0.3, 0.1, -0.5, 0.2}, {1.0, 0, 0.2, -0.7}, {-0.4, 0.9, 0.1, 0.1}, {0.2, 0.2, 0.8, -0.3}};
        double[] w = {0.1, 0.2, 0.3, 0.4};
        List<double[]> states = new ArrayList<>();
        // each state also carries a component along φ, which the leading function takes
        for (double[] c : ab) states.add(combine(new double[][]{f, g, phi}, new double[][]{{c[0], c[1]}, {c[2], c[3]}, {0.7, 0.1}}));
        TrajectoryModes.Result r = TrajectoryModes.spanning(GRID, List.of(phi), states, w, 1e-6, 10, false);
        assertEquals(3, r.modes().count(), "φ and two orbitals");
        assertEquals(2, r.occupations().length, "two natural orbitals");
        // Σ w (α, β)(α, β)†: a Hermitian 2×2 [[p, q], [conj q, s]]
        double p = 0, s = 0, qr = 0, qi = 0;
        for (int a = 0; a < 4; a++) {
            double[] c = ab[a];
            p += w[a] * (c[0] * c[0] + c[1] * c[1]);
            s += w[a] * (c[2] * c[2] + c[3] * c[3]);
            qr += w[a] * (c[0] * c[2] + c[1] * c[3]);
            qi += w[a] * (c[1] * c[2] - c[0] * c[3]);
        }
        double mean = (p + s) / 2, rad = Math.sqrt((p - s) * (p - s) / 4 + qr * qr + qi * qi);
        assertEquals(mean + rad, r.occupations()[0], 1e-12, "larger occupation");
        assertEquals(mean - rad, r.occupations()[1], 1e-12, "smaller occupation");
        assertTrue(r.worstResidual() <= 1e-13, "states spanned: " + r.worstResidual());
        assertTrue(r.discarded() <= 1e-13, "nothing discarded: " + r.discarded());
        assertEquals(0, TrajectoryModes.residual(r.modes(), f), 1e-12, "f in the span");
        assertEquals(0, TrajectoryModes.residual(r.modes(), g), 1e-12, "g in the span");
        // φ is mode 0 exactly
        double[] m0 = TrajectoryModes.interleaved(r.modes(), 0);
        for (int x = 0; x < m0.length; x++) assertEquals(phi[x], m0[x], 1e-13);
        double[] ov = r.modes().overlap();
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(i == j ? 1 : 0, ov[2 * (i * 3 + j)], 1e-12, "orthonormal");
    }

    /**
     * The V = 0 oscillator trajectory φ_t = Σ_j c_j e^{−iE_j t}χ_j (χ_000, χ_100, χ_200 of ½(−Δ + |x|²), E = 3/2, 5/2, 7/2:
     * the exact flow of the linear equation): its samples span exactly the three χ_j. Real span: 3 real modes, each χ_j
     * reproduced (residual 1 − ‖Pψ‖²/‖ψ‖² ≤ 1e-13, its round-off); a fourth function is appended by {@link TrajectoryModes#extend} only when not
     * already spanned. At tolerance 0.5 fewer orbitals, with the discarded occupation ≤ 0.25 as promised.
     */
    @Test
    void oscillatorTrajectorySpansItsThreeModes() {
        double[][] chi = {hermite(0, 0, 0), hermite(1, 0, 0), hermite(2, 0, 0)};
        double[] e = {1.5, 2.5, 3.5};
        double[] c = {0.8, 0.5, Math.sqrt(1 - 0.64 - 0.25)};
        List<double[]> states = new ArrayList<>();
        for (int b = 0; b <= 20; b++) {
            double t = 0.17 * b;
            double[][] z = new double[3][];
            for (int j = 0; j < 3; j++) z[j] = new double[]{c[j] * Math.cos(e[j] * t), -c[j] * Math.sin(e[j] * t)};
            states.add(combine(chi, z));
        }
        double[] w = new double[states.size()];
        java.util.Arrays.fill(w, 1.0 / w.length);
        TrajectoryModes.Result r = TrajectoryModes.spanning(GRID, List.of(), states, w, 1e-6, 10, true);
        assertTrue(r.modes().isReal(), "real span: real modes");
        assertEquals(3, r.modes().count(), "three modes span the trajectory");
        for (double[] x : chi) assertEquals(0, TrajectoryModes.residual(r.modes(), x), 1e-12, "χ_j spanned");
        assertTrue(r.worstResidual() <= 1e-13, "trajectory spanned: " + r.worstResidual());
        GridModes more = TrajectoryModes.extend(r.modes(), List.of(chi[1], hermite(0, 1, 0), chi[2]), 1e-6);
        assertEquals(4, more.count(), "only χ_010 is new");
        assertEquals(0, TrajectoryModes.residual(more, hermite(0, 1, 0)), 1e-12);
        double[] ov = more.overlap();
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) assertEquals(i == j ? 1 : 0, ov[2 * (i * 4 + j)], 1e-12, "orthonormal");

        TrajectoryModes.Result coarse = TrajectoryModes.spanning(GRID, List.of(), states, w, 0.5, 10, false);
        assertTrue(coarse.modes().count() < 3, "fewer modes at tolerance 0.5: " + coarse.modes().count());
        assertTrue(coarse.discarded() <= 0.25 && coarse.discarded() > 0, "discarded occupation " + coarse.discarded());
        assertThrows(ParameterException.class, () -> TrajectoryModes.spanning(GRID, List.of(), states, w, 0, 10, true));
    }

    /**
     * GridIntegrals on complex modes: the modes e^{iθ_j}χ_j give h'_ij = e^{i(θ_j − θ_i)}h_ij and
     * V'_ijkl = e^{i(θ_k + θ_l − θ_i − θ_j)}V_ijkl of the real modes χ_j (closed form of the phase change), to 1e-12
     * of max|V| (round-off of the FFT convolution; the same grid and kernel on both sides).
     */
    @Test
    void complexModesGiveThePhaseRotatedIntegrals() {
        double[][] chi = {hermite(0, 0, 0), hermite(1, 0, 0), hermite(2, 0, 0), hermite(0, 1, 1)};
        double[] th = {0.3, -1.1, 2.0, 0.7};
        List<double[]> re = new ArrayList<>(), reC = new ArrayList<>(), imC = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            int n3 = GRID.hostRealLength();
            double[] r = new double[n3], rc = new double[n3], ic = new double[n3];
            for (int x = 0; x < n3; x++) {
                r[x] = chi[j][2 * x];
                rc[x] = Math.cos(th[j]) * r[x];
                ic[x] = Math.sin(th[j]) * r[x];
            }
            re.add(r);
            reC.add(rc);
            imC.add(ic);
        }
        OneBodyOperator h = OneBodyOperator.paper(1.0);
        Interaction v = new Interaction.Gaussian(0.5, 1.0);
        ModeIntegrals a = GridModes.orthonormalised(GRID, re, null, GridModes.Orthonormalisation.GRAM_SCHMIDT).integrals(h, v, JTransformsHost.INSTANCE);
        ModeIntegrals b = GridModes.orthonormalised(GRID, reC, imC, GridModes.Orthonormalisation.GRAM_SCHMIDT).integrals(h, v, JTransformsHost.INSTANCE);
        assertFalse(b.isReal(), "complex integrals");
        double vmax = 0;
        for (double x : a.v()) vmax = Math.max(vmax, Math.abs(x));
        assertTrue(vmax > 0.01, "non-trivial V: " + vmax);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                double ph = th[j] - th[i];
                int x = a.hIndex(i, j);
                assertEquals(a.h()[x] * Math.cos(ph) - a.h()[x + 1] * Math.sin(ph), b.h()[x], 1e-12, "Re h'_" + i + j);
                assertEquals(a.h()[x] * Math.sin(ph) + a.h()[x + 1] * Math.cos(ph), b.h()[x + 1], 1e-12, "Im h'_" + i + j);
                for (int k = 0; k < 4; k++)
                    for (int l = 0; l < 4; l++) {
                        double q = th[k] + th[l] - th[i] - th[j];
                        int y = a.vIndex(i, j, k, l);
                        assertEquals(a.v()[y] * Math.cos(q) - a.v()[y + 1] * Math.sin(q), b.v()[y], 1e-12 * vmax, "Re V'_" + i + j + k + l);
                        assertEquals(a.v()[y] * Math.sin(q) + a.v()[y + 1] * Math.cos(q), b.v()[y + 1], 1e-12 * vmax, "Im V'_" + i + j + k + l);
                    }
            }
    }
}
