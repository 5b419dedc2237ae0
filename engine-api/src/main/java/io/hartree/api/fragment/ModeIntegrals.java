package io.hartree.api.fragment;

import io.hartree.api.ParameterException;

/**
 * One- and two-body integrals on a d-dimensional space of modes χ_1..χ_d (for (3.18): the
 * degenerate ground space of h_ν), complex, as in DESIGN §3:
 * h_ij = ⟨χ_i, h χ_j⟩ and V_ijkl = ∫∫ conj(χ_i(x)) conj(χ_j(y)) V(x − y) χ_k(x) χ_l(y) dx dy.
 * Results are written as (re, im) into {@code out[0..1]}.
 */
public interface ModeIntegrals {
    /** d, the number of modes. */
    int modes();

    /** h_ij; zero on the ground space of h_ν, whose spectrum starts at 0 (3.6). */
    void oneBody(int i, int j, double[] out);

    /** V_ijkl. */
    void interaction(int i, int j, int k, int l, double[] out);

    /**
     * Integrals from interleaved arrays: {@code h} of d² complex entries, row-major (i, j);
     * {@code v} of d⁴ complex entries at index ((i·d + j)·d + k)·d + l. Arrays are not copied.
     */
    static ModeIntegrals of(int d, double[] h, double[] v) {
        ParameterException.require(d >= 1, "modes", d, "d >= 1");
        ParameterException.require(h != null && h.length == 2 * d * d, "one-body integrals", h == null ? "null" : h.length, "2·d² = " + 2 * d * d + " doubles");
        ParameterException.require(v != null && v.length == 2 * d * d * d * d, "interaction integrals", v == null ? "null" : v.length, "2·d⁴ = " + 2 * d * d * d * d + " doubles");
        return new ModeIntegrals() {
            public int modes() { return d; }
            public void oneBody(int i, int j, double[] out) { int p = 2 * (i * d + j); out[0] = h[p]; out[1] = h[p + 1]; }
            public void interaction(int i, int j, int k, int l, double[] out) {
                int p = 2 * (((i * d + j) * d + k) * d + l);
                out[0] = v[p];
                out[1] = v[p + 1];
            }
        };
    }

    /**
     * The toy model's ground space (3.2)–(3.8): χ_1 = φ⁰ ⊗ ↑, χ_2 = φ⁰ ⊗ ↓, h = 0 there, and since V
     * acts on positions only, V_ijkl = E δ_ik δ_jl with E = ∫ (V * |φ⁰|²) |φ⁰|²
     * ({@link SpinToyModel#meanFieldEnergy}).
     */
    static ModeIntegrals toySpin(double energy) {
        return new ModeIntegrals() {
            public int modes() { return 2; }
            public void oneBody(int i, int j, double[] out) { out[0] = 0; out[1] = 0; }
            public void interaction(int i, int j, int k, int l, double[] out) {
                out[0] = (i == k && j == l) ? energy : 0;
                out[1] = 0;
            }
        };
    }
}
