package io.hartree.api.fock;

import io.hartree.api.ParameterException;

/**
 * The spin reduction of the toy model, the paper's (4.6)–(4.10). With a spin-independent
 * H_N = H_N^spat ⊗ 1 (4.7) and the fragmented initial state (4.8)
 * Ψ_N = (φ⁰)^{⊗N} ⊗ (↑^{⊗N₁} ∨ ↓^{⊗N₂}), the evolution never touches the spin part (4.9):
 * Ψ_{N,t} = (e^{−itH^spat}(φ⁰)^{⊗N}) ⊗ Ψ^spin, so every marginal factorises (4.10),
 * γ^(k)_{N,t} = γ^(k)_{spat,N,t} ⊗ γ^(k)_{spin,N₁,N₂}, with the static spin marginal (4.11)
 * γ^(k)_spin = Σ_j c_{k,j} |↑^{⊗(k−j)} ∨ ↓^{⊗j}⟩⟨·|, c_{k,j} = C(N₁, k−j) C(N₂, j) / C(N, k).
 *
 * <p>In Fock space: the spatial sector is the N-boson space of the M_s spatial modes (dimension
 * C(N + M_s − 1, N) instead of the spin sector's C(N₁ + M_s − 1, N₁)·C(N₂ + M_s − 1, N₂)), or a
 * {@link TruncatedSector} with the single condensate mode φ⁰ (mode 0) for large N; the state is
 * the simple condensate |N, 0, …, 0⟩ = (φ⁰)^{⊗N}, evolved by H^spat = Σ h_ss' a_s†a_s' +
 * (1/(2N)) Σ V_ijkl a_i†a_j†a_l a_k with the same N. {@link #gamma1} and {@link #gamma2} assemble
 * the marginals on the 2M_s modes of {@link SpinSector} (mode σ·M_s + s, ↑ first) from the spatial ones.
 */
public final class SpinReduction {
    private final int ms;
    private final int up, down;
    private final FockSector spatialSector;

    /** The full spatial sector: N = N₁ + N₂ bosons in the M_s spatial modes. */
    public SpinReduction(int spatialModes, int nUp, int nDown) {
        this(new FockBasis(nUp + nDown, spatialModes), nUp, nDown);
    }

    /**
     * A given spatial sector (a {@link FockBasis}, or a {@link TruncatedSector} whose condensate
     * mode is φ⁰ = mode 0) of N = N₁ + N₂ bosons.
     */
    public SpinReduction(FockSector spatialSector, int nUp, int nDown) {
        ParameterException.require(nUp >= 0 && nDown >= 0 && nUp + nDown >= 2, "--initial fragment", nUp + "," + nDown, "N1, N2 ≥ 0 with N1 + N2 ≥ 2");
        ParameterException.require(!(spatialSector instanceof SpinSector), "sector", spatialSector.describe(), "a spatial sector (FockBasis or TruncatedSector), not a spin sector");
        ParameterException.require(spatialSector.particles() == nUp + nDown, "particles", spatialSector.particles(), "N1 + N2 = " + (nUp + nDown));
        if (spatialSector instanceof TruncatedSector ts) {
            int[] c = ts.condensateModes();
            ParameterException.require(c.length == 1 && c[0] == 0, "--condensate-modes", java.util.Arrays.toString(c), "the single condensate mode φ⁰ = mode 0");
        }
        this.ms = spatialSector.modes();
        this.up = nUp;
        this.down = nDown;
        this.spatialSector = spatialSector;
    }

    public FockSector spatialSector() { return spatialSector; }

    public int spatialModes() { return ms; }

    /** H^spat (4.7) on the spatial sector, from the spatial integrals (not {@code withSpin()}). */
    public FockHamiltonian spatialHamiltonian(ModeIntegrals spatial) {
        ParameterException.require(spatial.modes() == ms, "modes", spatial.modes(), "the " + ms + " spatial modes");
        return FockHamiltonian.of(spatialSector, spatial);
    }

    /** (φ⁰)^{⊗N} = |N, 0, …, 0⟩ on the spatial sector, the spatial factor of (4.8). */
    public double[] initialState() {
        int[] occ = new int[ms];
        occ[0] = up + down;
        return FockStates.fock(spatialSector, occ);
    }

    /** γ^(1)_spin = diag(N₁, N₂)/N ((4.11), k = 1), interleaved 2×2. */
    public double[] spinGamma1() {
        double n = up + down;
        return new double[]{up / n, 0, 0, 0, 0, 0, down / n, 0};
    }

    /**
     * γ^(2)_spin (4.11), k = 2, in the mode convention of {@link FockObservables#gamma2} on the
     * two spin modes (row index a·2 + b, column c·2 + d): c_{2,0} on ↑↑, c_{2,2} on ↓↓, and
     * c_{2,1}|S⟩⟨S| with S = (↑↓ + ↓↑)/√2, i.e. c_{2,1}/2 on the four entries of ↑↓, ↓↑.
     */
    public double[] spinGamma2() {
        double n = up + down, pairs = n * (n - 1) / 2;
        double c0 = up * (up - 1) / 2.0 / pairs, c1 = (double) up * down / pairs, c2 = down * (down - 1) / 2.0 / pairs;
        double[] g = new double[2 * 16];
        g[2 * (0 * 4 + 0)] = c0;            // (↑↑),(↑↑)
        g[2 * (3 * 4 + 3)] = c2;            // (↓↓),(↓↓)
        for (int r : new int[]{1, 2})
            for (int c : new int[]{1, 2}) g[2 * (r * 4 + c)] = c1 / 2; // (↑↓|↓↑),(↑↓|↓↑)
        return g;
    }

    /** γ^(1) on the 2M_s modes (mode σ·M_s + s) = γ^(1)_spat ⊗ γ^(1)_spin (4.10). */
    public double[] gamma1(double[] spatialGamma1) {
        ParameterException.require(spatialGamma1.length == 2 * ms * ms, "γ^(1)_spat", spatialGamma1.length / 2, ms * ms + " entries");
        double[] spin = spinGamma1();
        int m = 2 * ms;
        double[] g = new double[2 * m * m];
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++)
                for (int s = 0; s < ms; s++)
                    for (int t = 0; t < ms; t++)
                        mulInto(g, 2 * ((a * ms + s) * m + b * ms + t), spatialGamma1, 2 * (s * ms + t), spin, 2 * (a * 2 + b));
        return g;
    }

    /** γ^(2) on the 2M_s modes = γ^(2)_spat ⊗ γ^(2)_spin (4.10), row (i·M + j), column (k·M + l), M = 2M_s. */
    public double[] gamma2(double[] spatialGamma2) {
        int s2 = ms * ms;
        ParameterException.require(spatialGamma2.length == 2 * s2 * s2, "γ^(2)_spat", spatialGamma2.length / 2, s2 * s2 + " entries");
        double[] spin = spinGamma2();
        int m = 2 * ms, m2 = m * m;
        double[] g = new double[2 * m2 * m2];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                for (int k = 0; k < m; k++)
                    for (int l = 0; l < m; l++) {
                        int spat = 2 * (((i % ms) * ms + j % ms) * s2 + (k % ms) * ms + l % ms);
                        int sp = 2 * (((i / ms) * 2 + j / ms) * 4 + (k / ms) * 2 + l / ms);
                        mulInto(g, 2 * ((i * m + j) * m2 + k * m + l), spatialGamma2, spat, spin, sp);
                    }
        return g;
    }

    private static void mulInto(double[] out, int o, double[] a, int ia, double[] b, int ib) {
        out[o] = a[ia] * b[ib] - a[ia + 1] * b[ib + 1];
        out[o + 1] = a[ia] * b[ib + 1] + a[ia + 1] * b[ib];
    }
}
