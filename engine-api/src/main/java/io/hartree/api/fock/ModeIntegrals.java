package io.hartree.api.fock;

import io.hartree.api.ParameterException;
import io.hartree.api.io.Npy;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One- and two-body integrals in an orthonormal mode basis χ_0 … χ_{M−1} (DESIGN §3):
 * h_ij = ⟨χ_i, h χ_j⟩ and V_ijkl = ∫∫ conj(χ_i(x)) conj(χ_j(y)) V(x − y) χ_k(x) χ_l(y) dx dy,
 * complex, interleaved re/im, C order: h at 2(iM + j), V at 2(((iM + j)M + k)M + l).
 * They define H = Σ h_ij a_i†a_j + (1/(2N)) Σ V_ijkl a_i†a_j†a_l a_k (see {@link FockHamiltonian}).
 */
public record ModeIntegrals(int modes, double[] h, double[] v) {
    public ModeIntegrals {
        ParameterException.require(modes >= 1 && modes <= 256, "modes", modes, "1 ≤ M ≤ 256");
        ParameterException.require(h != null && h.length == 2 * modes * modes, "h", h == null ? null : h.length / 2, "M×M = " + modes * modes + " complex entries");
        ParameterException.require(v != null && v.length == 2L * modes * modes * modes * modes, "V", v == null ? null : v.length / 2, "M⁴ = " + (long) modes * modes * modes * modes + " complex entries");
    }

    public static ModeIntegrals zero(int modes) {
        return new ModeIntegrals(modes, new double[2 * modes * modes], new double[2 * modes * modes * modes * modes]);
    }

    public int hIndex(int i, int j) { return 2 * (i * modes + j); }

    public int vIndex(int i, int j, int k, int l) { return 2 * (((i * modes + j) * modes + k) * modes + l); }

    /** Two-mode Bose–Josephson model: h = −J σ_x, V_0000 = V_1111 = U, so H = −J(a_0†a_1 + h.c.) + U/(2N) Σ n_i(n_i − 1). */
    public static ModeIntegrals josephson(double j, double u) {
        return ring(2, j, u);
    }

    /**
     * M-site Bose–Hubbard ring, exactly the peer's H: h_{i,i+1} = h_{i+1,i} = −J for the bonds
     * (i, i+1 mod M) (one bond when M = 2), V_iiii = U, so
     * H = −J Σ_i (a_i†a_{i+1} + h.c.) + U/(2N) Σ_i n_i(n_i − 1).
     */
    public static ModeIntegrals ring(int sites, double j, double u) {
        ParameterException.require(sites >= 2, "sites", sites, "≥ 2");
        ParameterException.require(Double.isFinite(j), "J", j, "finite");
        ParameterException.require(Double.isFinite(u), "U", u, "finite");
        ModeIntegrals mi = zero(sites);
        int bonds = sites == 2 ? 1 : sites;
        for (int b = 0; b < bonds; b++) {
            int a = b, c = (b + 1) % sites;
            mi.h[mi.hIndex(a, c)] += -j;
            mi.h[mi.hIndex(c, a)] += -j;
        }
        for (int i = 0; i < sites; i++) mi.v[mi.vIndex(i, i, i, i)] = u;
        return mi;
    }

    /**
     * The spatial integrals ⊗ spin, for a spin-independent H: 2M modes, mode σ·M + s;
     * h_{(sσ)(s'σ')} = h_ss' δ_σσ', V_{(iσ)(jτ)(kσ')(lτ')} = V_ijkl δ_σσ' δ_ττ'.
     */
    public ModeIntegrals withSpin() {
        int m2 = 2 * modes;
        ModeIntegrals out = zero(m2);
        for (int s = 0; s < 2; s++)
            for (int i = 0; i < modes; i++)
                for (int j = 0; j < modes; j++) {
                    int src = hIndex(i, j), dst = out.hIndex(s * modes + i, s * modes + j);
                    out.h[dst] = h[src];
                    out.h[dst + 1] = h[src + 1];
                }
        for (int s = 0; s < 2; s++)
            for (int t = 0; t < 2; t++)
                for (int i = 0; i < modes; i++)
                    for (int j = 0; j < modes; j++)
                        for (int k = 0; k < modes; k++)
                            for (int l = 0; l < modes; l++) {
                                int src = vIndex(i, j, k, l);
                                int dst = out.vIndex(s * modes + i, t * modes + j, s * modes + k, t * modes + l);
                                out.v[dst] = v[src];
                                out.v[dst + 1] = v[src + 1];
                            }
        return out;
    }

    /** Whether every integral is real (then H is a real symmetric matrix). */
    public boolean isReal() {
        for (int a = 1; a < h.length; a += 2) if (h[a] != 0) return false;
        for (int a = 1; a < v.length; a += 2) if (v[a] != 0) return false;
        return true;
    }

    /**
     * Reads {@code dir/h.npy} (M, M) and {@code dir/V.npy} (M, M, M, M), float64 or complex128,
     * C order. Throws {@link ParameterException} naming the file when it is missing or the
     * shapes disagree.
     */
    public static ModeIntegrals read(Path dir) {
        Path hp = dir.resolve("h.npy"), vp = dir.resolve("V.npy");
        if (!Files.isRegularFile(hp)) throw new ParameterException("--model integrals", hp + " not found (need h.npy of shape (M, M))");
        if (!Files.isRegularFile(vp)) throw new ParameterException("--model integrals", vp + " not found (need V.npy of shape (M, M, M, M))");
        Npy.Array ha = Npy.read(hp, "h.npy");
        Npy.Array va = Npy.read(vp, "V.npy");
        long[] hs = ha.shape(), vs = va.shape();
        if (hs.length != 2 || hs[0] != hs[1]) throw new ParameterException("h.npy", "shape " + java.util.Arrays.toString(hs) + " is not (M, M)");
        int m = (int) hs[0];
        if (vs.length != 4 || vs[0] != m || vs[1] != m || vs[2] != m || vs[3] != m)
            throw new ParameterException("V.npy", "shape " + java.util.Arrays.toString(vs) + " is not (" + m + ", " + m + ", " + m + ", " + m + ")");
        return new ModeIntegrals(m, interleaved(ha), interleaved(va));
    }

    private static double[] interleaved(Npy.Array a) {
        if (a.complex()) return a.data();
        double[] out = new double[2 * a.data().length];
        for (int i = 0; i < a.data().length; i++) out[2 * i] = a.data()[i];
        return out;
    }
}
