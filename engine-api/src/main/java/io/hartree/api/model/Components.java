package io.hartree.api.model;

import io.hartree.api.ParameterException;

import java.util.Arrays;

/**
 * K coupled components ψ_1..ψ_K (K = 2, 3) of one condensate, propagated as one batch of K states:
 * <pre>
 *   i∂tψ_i = h_i ψ_i + Σ_j c_ij (V * |ψ_j|²) ψ_i + (Ω_R/2) Σ_{j≠i} ψ_j
 * </pre>
 * with V the problem's interaction (one shape) and c the symmetric K×K strength matrix (V_ij = c_ij·V;
 * c_ij = 1 for all i, j is the paper's spinor Hartree system with spin-independent V), h_i = a(−Δ) + U_i
 * (U_i = {@code traps[i]}, null = the problem's trap) and the linear Rabi coupling Ω_R between every
 * pair of components (for K = 2 the term is (Ω_R/2)σ_x). {@code populations} p_i (Σp_i = 1) are the
 * norms ‖ψ_i‖² the imaginary-time solver keeps when Ω_R = 0; with Ω_R ≠ 0 it keeps the total norm 1.
 *
 * @param coupling    c_ij row-major, K² values, symmetric, finite
 * @param rabi        Ω_R (finite; 0 = no Rabi coupling)
 * @param traps       K traps, an entry null = the problem's trap
 * @param populations K values p_i ≥ 0 summing to 1
 */
public record Components(int k, double[] coupling, double rabi, TrapPotential[] traps, double[] populations) {
    public Components {
        ParameterException.require(k >= 2 && k <= 3, "--components", "k=" + k, "k = 2 or 3 components");
        ParameterException.require(coupling != null && coupling.length == k * k, "--components", "coupling of " + (coupling == null ? 0 : coupling.length) + " values", k * k + " values c_ij");
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) {
                double c = coupling[i * k + j];
                ParameterException.require(Double.isFinite(c), "--components", "v" + (i + 1) + (j + 1) + "=" + c, "finite strength factor");
                ParameterException.require(c == coupling[j * k + i], "--components", "v" + (i + 1) + (j + 1) + "=" + c, "symmetric: v" + (j + 1) + (i + 1) + " = v" + (i + 1) + (j + 1));
            }
        ParameterException.require(Double.isFinite(rabi), "--components", "rabi=" + rabi, "finite Ω_R");
        if (traps == null) traps = new TrapPotential[k];
        ParameterException.require(traps.length == k, "--components", traps.length + " traps", k + " traps");
        ParameterException.require(populations != null && populations.length == k, "--components", "pop of " + (populations == null ? 0 : populations.length) + " values", k + " populations");
        double s = 0;
        for (double p : populations) {
            ParameterException.require(p >= 0 && Double.isFinite(p), "--components", "pop=" + Arrays.toString(populations), "p_i >= 0 with Σp_i = 1");
            s += p;
        }
        ParameterException.require(Math.abs(s - 1) <= 1e-12, "--components", "pop=" + Arrays.toString(populations), "p_i >= 0 with Σp_i = 1");
        coupling = coupling.clone();
        traps = traps.clone();
        populations = populations.clone();
    }

    /** K components, every c_ij = 1 (the spinor system with one V), no Rabi coupling, the problem's trap, equal populations. */
    public static Components uniform(int k) {
        double[] c = new double[k * k];
        Arrays.fill(c, 1);
        double[] p = new double[k];
        Arrays.fill(p, 1.0 / k);
        return new Components(k, c, 0, null, p);
    }

    /** c_ij. */
    public double coupling(int i, int j) { return coupling[i * k + j]; }

    /** U_i: traps[i], or {@code fallback} (the problem's trap) when unset. */
    public TrapPotential trap(int i, TrapPotential fallback) { return traps[i] == null ? fallback : traps[i]; }

    /** Whether the imaginary-time solver normalises the total norm (Ω_R ≠ 0) rather than each component to p_i. */
    public boolean totalNorm() { return rabi != 0; }

    public Components withRabi(double r) { return new Components(k, coupling, r, traps, populations); }

    public Components withCoupling(double[] c) { return new Components(k, c, rabi, traps, populations); }

    public Components withTraps(TrapPotential[] t) { return new Components(k, coupling, rabi, t, populations); }

    public Components withPopulations(double[] p) { return new Components(k, coupling, rabi, traps, p); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Components c && c.k == k && Arrays.equals(c.coupling, coupling) && Double.compare(c.rabi, rabi) == 0
                && Arrays.equals(c.traps, traps) && Arrays.equals(c.populations, populations);
    }

    @Override
    public int hashCode() { return 31 * (31 * k + Arrays.hashCode(coupling)) + Arrays.hashCode(populations) + Double.hashCode(rabi); }

    @Override
    public String toString() {
        return "Components[k=" + k + ", coupling=" + Arrays.toString(coupling) + ", rabi=" + rabi + ", traps=" + Arrays.toString(traps)
                + ", populations=" + Arrays.toString(populations) + "]";
    }
}
