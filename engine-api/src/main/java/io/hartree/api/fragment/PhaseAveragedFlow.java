package io.hartree.api.fragment;

import io.hartree.api.BackendSession;
import io.hartree.api.HartreePropagator;
import io.hartree.api.ParameterException;
import io.hartree.api.fock.ModeHartree;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.TimeMode;

import java.util.ArrayList;
import java.util.List;

/**
 * The phase-averaged Hartree flow (3.12)/(3.15) for ℓ-level data: for each node θ of a
 * {@link PhaseQuadrature} the Hartree flow i∂_tφ = hφ + (V*|φ|²)φ from
 * φ^θ(0) = Σ_j √n_j e^{−iθ_j} φ_j (orthonormal φ_j, possibly spatially distinct), and
 * γ^(k)_{∞,t} = Σ_θ w_θ |(φ_t^θ)^{⊗k}⟩⟨(φ_t^θ)^{⊗k}| as a {@link PhaseEnsemble} per output time
 * (natural occupations and orbitals through the Gram matrix of the samples, trace distances to
 * a many-body marginal in a mode basis).
 *
 * <p>Two realisations of the same flow:
 * <ul>
 *   <li>{@link #grid}: on the 3D grid, all phases in one batch of a backend session
 *       ({@code session.hartree(problem, S)}: one set of FFT plans and one kernel table for the
 *       ensemble; split into batches of {@code maxBatch} only where the backend holds fewer);</li>
 *   <li>{@link #modes}: in an orthonormal mode basis, the Galerkin flow of {@link ModeHartree}
 *       (i ċ = hc + Σ V_ijkl c̄_j c_k c_l, DOPRI5 at the given local tolerance).</li>
 * </ul>
 * They agree where the grid flow stays in the span of the modes (e.g. V = 0 with oscillator
 * modes); elsewhere their difference is the basis error.
 */
public final class PhaseAveragedFlow {
    private PhaseAveragedFlow() {}

    /**
     * The ensembles at each output time.
     *
     * @param quadrature the rule (Q nodes per relative angle)
     * @param times      output times
     * @param ensembles  γ_{∞,t} at each time, weights Q^{−(ℓ−1)}
     */
    public record Result(PhaseQuadrature quadrature, double[] times, List<PhaseEnsemble> ensembles) {
        public PhaseEnsemble at(int timeIndex) { return ensembles.get(timeIndex); }

        /**
         * Tr|γ_Q^(k) − γ_{Q/2}^(k)| at output {@code timeIndex}, from the same trajectories (the
         * nodes of Q/2 are every other node of Q, weights (Q/2)^{−(ℓ−1)}): the convergence of the
         * rule in the number of phases. Q must be even.
         */
        public double halvingDifference(int k, int timeIndex) {
            PhaseQuadrature q = quadrature;
            ParameterException.require(q.nodes() % 2 == 0, "--phases", q.nodes(), "even Q for the halving estimate");
            PhaseEnsemble e = ensembles.get(timeIndex);
            int s = e.size();
            double[][] st = new double[s][];
            double[] c = new double[s];
            double half = q.weight() * Math.pow(2, q.levels() - 1);
            for (int a = 0; a < s; a++) {
                st[a] = e.sample(a);
                c[a] = q.weight() - (q.inHalf(a) ? half : 0);
            }
            return PhaseEnsemble.combinationNorm(k, st, c, e.volume());
        }
    }

    /**
     * The mode realisation: {@code orbitals[j]} are the coefficient vectors of φ_j in the mode
     * basis of {@code integrals} (interleaved, length 2M, orthonormal to 1e-10), {@code times}
     * non-decreasing, ≥ 0, {@code tol} the local error per DOPRI5 step (max-norm).
     */
    public static Result modes(ModeIntegrals integrals, double[][] orbitals, double[] fractions, int nodes, double[] times, double tol) {
        ParameterException.require(integrals != null, "integrals", "null", "mode integrals");
        int m = integrals.modes();
        checkOrbitals(orbitals, 2 * m, 1.0, 1e-10);
        PhaseQuadrature q = new PhaseQuadrature(orbitals.length, nodes);
        PhaseQuadrature.checkFractions(fractions, orbitals.length);
        checkTimes(times);
        ParameterException.require(tol >= 1e-15 && tol <= 1e-2, "tol", tol, "[1e-15, 1e-2]");
        ModeHartree flow = new ModeHartree(integrals);
        int s = q.size();
        double[][][] out = new double[times.length][s][];
        java.util.stream.IntStream.range(0, s).parallel().forEach(a -> {
            double[] c = combine(orbitals, q.coefficients(fractions, a));
            double t = 0;
            for (int n = 0; n < times.length; n++) {
                if (times[n] > t) flow.evolve(c, times[n] - t, tol);
                t = times[n];
                out[n][a] = c.clone();
            }
        });
        return result(q, times, out, 1.0);
    }

    /**
     * The grid realisation: {@code orbitals[j]} are grid functions (interleaved, length 2n³,
     * orthonormal in dx³ Σ to 1e-8), evolved with the problem's scheme and dt (real time) by a
     * batch of the session; outputs after {@code steps[i]} steps (non-decreasing, ≥ 0), at
     * times steps[i]·dt.
     */
    public static Result grid(BackendSession session, HartreeProblem problem, double[][] orbitals, double[] fractions, int nodes, int[] steps) {
        ParameterException.require(session != null && problem != null, "session", "null", "an open session and a problem");
        ParameterException.require(problem.timeMode() == TimeMode.REAL, "--time", problem.timeMode(), "real time for the phase-averaged flow");
        double dv = problem.grid().dV();
        checkOrbitals(orbitals, problem.grid().hostComplexLength(), dv, 1e-8);
        double[][] initial = initialStates(orbitals, fractions, nodes);
        PhaseQuadrature q = new PhaseQuadrature(orbitals.length, nodes);
        ParameterException.require(steps != null && steps.length >= 1, "steps", "none", "at least one output");
        for (int i = 0; i < steps.length; i++)
            ParameterException.require(steps[i] >= 0 && (i == 0 || steps[i] >= steps[i - 1]), "steps", steps[i], "non-decreasing, >= 0");
        int s = q.size();
        int chunk = Math.min(s, session.capabilities().maxBatch());
        double[][][] out = new double[steps.length][s][];
        for (int first = 0; first < s; first += chunk) {
            int b = Math.min(chunk, s - first);
            try (HartreePropagator p = session.hartree(problem, b)) {
                for (int i = 0; i < b; i++) p.load(i, initial[first + i]);
                p.setTime(0);
                int done = 0;
                for (int n = 0; n < steps.length; n++) {
                    if (steps[n] > done) p.advance(steps[n] - done);
                    done = steps[n];
                    for (int i = 0; i < b; i++) {
                        double[] psi = new double[initial[0].length];
                        p.store(i, psi);
                        out[n][first + i] = psi;
                    }
                }
            }
        }
        double[] times = new double[steps.length];
        for (int n = 0; n < steps.length; n++) times[n] = steps[n] * problem.dt();
        return result(q, times, out, dv);
    }

    /** The S = Q^{ℓ−1} initial states Σ_j √n_j e^{−iθ_j} φ_j of the rule (any representation). */
    public static double[][] initialStates(double[][] orbitals, double[] fractions, int nodes) {
        ParameterException.require(orbitals != null && orbitals.length >= 1, "orbitals", "none", ">= 1 orbital");
        PhaseQuadrature q = new PhaseQuadrature(orbitals.length, nodes);
        PhaseQuadrature.checkFractions(fractions, orbitals.length);
        double[][] out = new double[q.size()][];
        for (int a = 0; a < q.size(); a++) out[a] = combine(orbitals, q.coefficients(fractions, a));
        return out;
    }

    /** Σ_j c_j φ_j. */
    static double[] combine(double[][] orbitals, double[] c) {
        double[] out = new double[orbitals[0].length];
        for (int j = 0; j < orbitals.length; j++) {
            double cr = c[2 * j], ci = c[2 * j + 1];
            double[] f = orbitals[j];
            for (int i = 0; i < out.length; i += 2) {
                out[i] += cr * f[i] - ci * f[i + 1];
                out[i + 1] += cr * f[i + 1] + ci * f[i];
            }
        }
        return out;
    }

    /** Orthonormality ⟨φ_i, φ_j⟩ = δ_ij to {@code tol}, each of length {@code length}. */
    static void checkOrbitals(double[][] orbitals, int length, double volume, double tol) {
        ParameterException.require(orbitals != null && orbitals.length >= 1, "orbitals", "none", ">= 1 orbital");
        for (double[] f : orbitals)
            ParameterException.require(f != null && f.length == length, "orbitals", f == null ? "null" : f.length, "interleaved complex of length " + length);
        for (int i = 0; i < orbitals.length; i++)
            for (int j = 0; j <= i; j++) {
                double[] z = PhaseEnsemble.inner(orbitals[i], orbitals[j], volume);
                double dev = Math.hypot(z[0] - (i == j ? 1 : 0), z[1]);
                ParameterException.require(dev <= tol, "orbitals", "|<phi_" + (i + 1) + ", phi_" + (j + 1) + "> - delta| = " + dev, "orthonormal to " + tol);
            }
    }

    private static void checkTimes(double[] times) {
        ParameterException.require(times != null && times.length >= 1, "times", "none", "at least one output time");
        for (int i = 0; i < times.length; i++)
            ParameterException.require(Double.isFinite(times[i]) && times[i] >= 0 && (i == 0 || times[i] >= times[i - 1]), "times", times[i], "finite, non-decreasing, >= 0");
    }

    private static Result result(PhaseQuadrature q, double[] times, double[][][] out, double volume) {
        List<PhaseEnsemble> ens = new ArrayList<>();
        double[] w = new double[q.size()];
        java.util.Arrays.fill(w, q.weight());
        for (double[][] samples : out) ens.add(new PhaseEnsemble(samples, w, volume));
        return new Result(q, times.clone(), List.copyOf(ens));
    }
}
