package io.hartree.api.fragment;

import io.hartree.api.ParameterException;

/**
 * The quadrature of the phase torus in (3.15): (2π)^{−ℓ} ∫_{T^ℓ} dθ f(θ) for the ℓ-level initial
 * data u_θ = Σ_j √n_j e^{−iθ_j} φ_j.
 *
 * <p><b>Why ℓ − 1 angles.</b> The Hartree flow commutes with a global phase: the solution from
 * e^{−iα}u_θ is e^{−iα} times the solution from u_θ, so |φ_t^θ⟩⟨φ_t^θ|^{⊗k} depends on the
 * relative phases only. θ₁ = 0 is fixed and the average runs over T^{ℓ−1}.
 *
 * <p><b>The rule.</b> The uniform product grid: θ_j = 2π q_j / Q, q_j = 0 … Q − 1 for
 * j = 2 … ℓ, every node with weight Q^{−(ℓ−1)} (the trapezoid rule in each angle). It integrates
 * every trigonometric polynomial e^{i p·θ} with all |p_j| &lt; Q exactly (the sum of e^{2πi p q/Q}
 * over q vanishes unless Q divides p).
 * <ul>
 *   <li>Exact for linear flows (V = 0) and for the toy model (4.3): there φ_t^θ = Σ_j √n_j
 *       e^{−iθ_j} φ_{j,t}, so the k-fold ket-bra is a trigonometric polynomial with |p_j| ≤ k,
 *       and Q = k + 1 nodes give γ^(k) exactly (Q = k + 1 = 2 for γ^(1), 3 for γ^(2)).</li>
 *   <li>For an interacting flow φ_t^θ is an analytic, 2π-periodic function of θ but no longer a
 *       polynomial; the error of the rule is the sum of the Fourier coefficients of the
 *       integrand at multiples of Q, which decay geometrically, so the error falls geometrically
 *       in Q at fixed t (faster for small V t). It is measured, not assumed: for even Q the nodes
 *       of Q/2 are a subset of those of Q, and {@link PhaseAveragedFlow.Result#halvingDifference}
 *       reports Tr|γ_Q − γ_{Q/2}| from the same trajectories.</li>
 * </ul>
 *
 * @param levels ℓ ≥ 1, the number of orbitals φ_j
 * @param nodes  Q ≥ 1 nodes per relative angle; Q^{ℓ−1} ≤ {@link #MAX_SAMPLES}
 */
public record PhaseQuadrature(int levels, int nodes) {
    /** The most trajectories one ensemble may hold. */
    public static final int MAX_SAMPLES = 1 << 16;

    public PhaseQuadrature {
        ParameterException.require(levels >= 1 && levels <= 64, "levels", levels, "1 <= l <= 64 orbitals");
        ParameterException.require(nodes >= 1, "--phases", nodes, "Q >= 1 nodes per relative phase");
        ParameterException.require(Math.pow(nodes, levels - 1) <= MAX_SAMPLES, "--phases", nodes,
                "Q^(l-1) <= " + MAX_SAMPLES + " trajectories (here l = " + levels + ")");
    }

    /** The number of trajectories Q^{ℓ−1}. */
    public int size() {
        int s = 1;
        for (int j = 1; j < levels; j++) s *= nodes;
        return s;
    }

    /** The weight of every node, Q^{−(ℓ−1)}. */
    public double weight() { return 1.0 / size(); }

    /** Node indices q_j of sample {@code s} (q₁ = 0; q₂ varies fastest). */
    public int[] indices(int s) {
        ParameterException.require(s >= 0 && s < size(), "sample", s, "0.." + (size() - 1));
        int[] q = new int[levels];
        for (int j = 1; j < levels; j++) { q[j] = s % nodes; s /= nodes; }
        return q;
    }

    /** θ of sample {@code s}: θ₁ = 0, θ_j = 2π q_j / Q. */
    public double[] angles(int s) {
        int[] q = indices(s);
        double[] th = new double[levels];
        for (int j = 0; j < levels; j++) th[j] = 2 * Math.PI * q[j] / nodes;
        return th;
    }

    /** The coefficients √n_j e^{−iθ_j} of u_θ for sample {@code s} (interleaved, length 2ℓ). */
    public double[] coefficients(double[] fractions, int s) {
        checkFractions(fractions, levels);
        double[] th = angles(s);
        double[] c = new double[2 * levels];
        for (int j = 0; j < levels; j++) {
            double a = Math.sqrt(fractions[j]);
            c[2 * j] = a * Math.cos(th[j]);
            c[2 * j + 1] = -a * Math.sin(th[j]);
        }
        return c;
    }

    /** Whether sample {@code s} is also a node of the rule with Q/2 nodes (Q even, all q_j even). */
    public boolean inHalf(int s) {
        if (nodes % 2 != 0) return false;
        for (int q : indices(s)) if (q % 2 != 0) return false;
        return true;
    }

    /** n_j ≥ 0, Σ n_j = 1 to 1e-12, ℓ values. */
    static void checkFractions(double[] fractions, int levels) {
        ParameterException.require(fractions != null && fractions.length == levels, "fractions",
                fractions == null ? "null" : fractions.length, levels + " values n_j");
        double total = 0;
        for (double f : fractions) {
            ParameterException.require(f >= 0 && f <= 1, "fractions", f, "each n_j in [0, 1]");
            total += f;
        }
        ParameterException.require(Math.abs(total - 1) < 1e-12, "fractions", total, "sum of n_j = 1 (to 1e-12)");
    }
}
