package io.hartree.api.modes;

import io.hartree.api.ParameterException;
import io.hartree.api.fragment.PhaseEnsemble;
import io.hartree.api.model.Grid3D;

import java.util.ArrayList;
import java.util.List;

/**
 * A mode basis adapted to a set of grid states ψ_a (a sampled trajectory {φ_t}, or the phase samples of
 * an ensemble): the natural orbitals (proper orthogonal decomposition) of Σ_a w_a |r_a⟩⟨r_a|, r_a = ψ_a
 * minus its components on given leading functions, computed from the S×S Gram matrix
 * G_ab = √(w_a w_b)⟨r_a, r_b⟩ ({@link PhaseEnsemble#orbitals}: χ_m = Σ_a u_a √w_a r_a/√λ_m), and put after
 * the leading functions, all orthonormalised by Gram–Schmidt ({@link GridModes#orthonormalised}), so the
 * leading functions come first exactly. States are interleaved complex grid functions (2n³ values),
 * the leading ones orthonormal.
 *
 * <p>Σ_a w_a ‖r_a − P r_a‖² = Σ_{m discarded} λ_m for P the projector on the kept orbitals, so keeping the
 * orbitals until the discarded occupations sum to ≤ tol² Σ_m λ_m spans the states to the relative
 * tolerance tol (in the weighted mean square of their parts beyond the leading functions).
 */
public final class TrajectoryModes {
    private TrajectoryModes() {}

    /**
     * The basis and how well it spans the states: {@code leading} functions first, then {@code occupations.length}
     * natural orbitals of occupation λ_m (descending), {@code discarded} = Σ of the occupations left out
     * relative to Σ of all, and {@code worstResidual} = max_a ‖ψ_a − Pψ_a‖²/‖ψ_a‖² over the states, P the
     * projector on all the modes (measured on the grid).
     */
    public record Result(GridModes modes, int leading, double[] occupations, double discarded, double worstResidual) {}

    /** Exactly {@code count} natural orbitals after the leading functions (complex modes). */
    public static Result natural(Grid3D grid, List<double[]> leading, List<double[]> states, double[] weights, int count) {
        return build(grid, leading, states, weights, -1, count, false);
    }

    /**
     * As many natural orbitals as span the states to the relative tolerance {@code tol} (see the class
     * comment), at most {@code maxCount}. With {@code real} the real and imaginary parts of each state are
     * taken as two states (the same weight): their real span contains the complex span of the states, and
     * the modes are real (im null); the leading functions must then be real.
     */
    public static Result spanning(Grid3D grid, List<double[]> leading, List<double[]> states, double[] weights, double tol, int maxCount, boolean real) {
        ParameterException.require(tol > 0 && tol < 1, "tolerance", tol, "0 < tol < 1 (relative)");
        ParameterException.require(maxCount >= 1, "maxCount", maxCount, "at least 1");
        return build(grid, leading, states, weights, tol, maxCount, real);
    }

    private static Result build(Grid3D grid, List<double[]> leading, List<double[]> states, double[] weights, double tol, int count, boolean real) {
        int n3 = grid.hostRealLength();
        double dv = grid.dV();
        ParameterException.require(states != null && !states.isEmpty(), "states", states == null ? null : 0, "at least one grid state");
        ParameterException.require(weights != null && weights.length == states.size(), "weights", weights == null ? null : weights.length, states.size() + " weights");
        for (double[] s : states) ParameterException.require(s.length == 2 * n3, "state length", s.length, "2n³ = " + 2 * n3 + " (interleaved complex)");
        for (double[] l : leading) {
            ParameterException.require(l.length == 2 * n3, "leading length", l.length, "2n³ = " + 2 * n3 + " (interleaved complex)");
            if (real) for (int x = 1; x < l.length; x += 2)
                ParameterException.require(l[x] == 0, "leading", "complex", "real functions (imaginary parts 0) for a real basis");
        }
        ParameterException.require(count >= 0, "count", count, "0 or more orbitals");
        // the parts beyond the leading functions
        List<double[]> samples = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int a = 0; a < states.size(); a++) {
            double[] f = states.get(a).clone();
            for (double[] phi : leading) {
                double[] z = PhaseEnsemble.inner(phi, f, dv);
                for (int x = 0; x < f.length; x += 2) {
                    f[x] -= z[0] * phi[x] - z[1] * phi[x + 1];
                    f[x + 1] -= z[0] * phi[x + 1] + z[1] * phi[x];
                }
            }
            if (real) {
                double[] r = new double[f.length], i = new double[f.length];
                for (int x = 0; x < f.length; x += 2) { r[x] = f[x]; i[x] = f[x + 1]; }
                samples.add(r);
                samples.add(i);
                w.add(weights[a]);
                w.add(weights[a]);
            } else {
                samples.add(f);
                w.add(weights[a]);
            }
        }
        PhaseEnsemble ens = new PhaseEnsemble(samples.toArray(new double[0][]), w.stream().mapToDouble(Double::doubleValue).toArray(), dv);
        double[] occ = ens.occupations(1);
        double total = 0;
        for (double x : occ) total += Math.max(0, x);
        int keep = count;
        if (tol > 0) {
            keep = 0;
            double tail = total;
            while (keep < Math.min(count, occ.length) && tail > tol * tol * total && occ[keep] > 1e-13) {
                tail -= Math.max(0, occ[keep]);
                keep++;
            }
        }
        double discarded = 0;
        for (int m = keep; m < occ.length; m++) discarded += Math.max(0, occ[m]);
        discarded = total > 0 ? discarded / total : 0;
        double[][] chi = keep == 0 ? new double[0][] : ens.orbitals(keep);
        List<double[]> re = new ArrayList<>(), im = real ? null : new ArrayList<>();
        for (double[] l : leading) add(l, re, im);
        for (double[] c : chi) {
            if (real) {
                // a real-span orbital is e^{iθ} times a real function: remove the phase of its largest component
                int big = 0;
                for (int x = 0; x < c.length; x += 2) if (Math.hypot(c[x], c[x + 1]) > Math.hypot(c[big], c[big + 1])) big = x;
                double h = Math.hypot(c[big], c[big + 1]), pr = c[big] / h, pi = -c[big + 1] / h;
                double[] r = new double[c.length];
                for (int x = 0; x < c.length; x += 2) r[x] = c[x] * pr - c[x + 1] * pi;
                c = r;
            }
            add(c, re, im);
        }
        ParameterException.require(!re.isEmpty(), "count", 0, "at least one leading function or orbital");
        GridModes modes = GridModes.orthonormalised(grid, re, im, GridModes.Orthonormalisation.GRAM_SCHMIDT);
        double worst = 0;
        for (double[] s : states) worst = Math.max(worst, residual(modes, s));
        double[] kept = new double[keep];
        System.arraycopy(occ, 0, kept, 0, keep);
        GridModes described = new GridModes(grid, modes.re(), modes.im(), modes.energies(), modes.parity(),
                String.format(java.util.Locale.ROOT, "%d leading functions and %d natural orbitals of %d states%s (discarded occupation %.2g relative)",
                        leading.size(), keep, states.size(), real ? ", real span" : "", discarded));
        return new Result(described, leading.size(), kept, discarded, worst);
    }

    /**
     * Appends the {@code candidates} (interleaved complex; real parts only when {@code modes} is real) that are
     * not yet spanned, in order: each one's part orthogonal to the modes so far is kept (normalised) when its
     * norm exceeds {@code tol}·‖candidate‖, dropped otherwise. Orthonormal to round-off (two projection passes).
     */
    public static GridModes extend(GridModes modes, List<double[]> candidates, double tol) {
        ParameterException.require(tol > 0 && tol < 1, "tolerance", tol, "0 < tol < 1 (relative)");
        Grid3D grid = modes.grid();
        int n3 = grid.hostRealLength();
        double dv = grid.dV();
        boolean real = modes.isReal();
        List<double[]> basis = new ArrayList<>();
        for (int i = 0; i < modes.count(); i++) basis.add(interleaved(modes, i));
        int appended = 0, dropped = 0;
        for (double[] c : candidates) {
            ParameterException.require(c.length == 2 * n3, "candidate length", c.length, "2n³ = " + 2 * n3 + " (interleaved complex)");
            double[] f = c.clone();
            if (real) for (int x = 1; x < f.length; x += 2) f[x] = 0;
            double n0 = Math.sqrt(norm2(f, dv));
            for (int pass = 0; pass < 2; pass++)
                for (double[] phi : basis) {
                    double[] z = PhaseEnsemble.inner(phi, f, dv);
                    for (int x = 0; x < f.length; x += 2) {
                        f[x] -= z[0] * phi[x] - z[1] * phi[x + 1];
                        f[x + 1] -= z[0] * phi[x + 1] + z[1] * phi[x];
                    }
                }
            double n1 = Math.sqrt(norm2(f, dv));
            if (!(n1 > tol * n0)) { dropped++; continue; }
            for (int x = 0; x < f.length; x++) f[x] /= n1;
            basis.add(f);
            appended++;
        }
        List<double[]> re = new ArrayList<>(), im = real ? null : new ArrayList<>();
        for (double[] b : basis) add(b, re, im);
        double[][] r = re.toArray(new double[0][]), i = im == null ? null : im.toArray(new double[0][]);
        double[] e = new double[r.length];
        System.arraycopy(modes.energies(), 0, e, 0, modes.count());
        for (int a = modes.count(); a < e.length; a++) e[a] = Double.NaN;
        return new GridModes(grid, r, i, e, GridModes.parities(grid, r, i),
                modes.description() + String.format(java.util.Locale.ROOT, ", then %d of %d functions (%d already spanned to %.0e)", appended, candidates.size(), dropped, tol));
    }

    /** ‖ψ − Pψ‖²/‖ψ‖² for P the projector on the (orthonormal) modes; ψ interleaved complex. */
    public static double residual(GridModes modes, double[] psi) {
        double dv = modes.grid().dV();
        double n = norm2(psi, dv), in = 0;
        for (int i = 0; i < modes.count(); i++) {
            double[] r = modes.re()[i], m = modes.im() == null ? null : modes.im()[i];
            double zr = 0, zi = 0;
            for (int x = 0; x < r.length; x++) {
                double mr = r[x], mi = m == null ? 0 : m[x];
                zr += mr * psi[2 * x] + mi * psi[2 * x + 1];
                zi += mr * psi[2 * x + 1] - mi * psi[2 * x];
            }
            in += (zr * zr + zi * zi) * dv * dv;
        }
        return Math.max(0, 1 - in / n);
    }

    /** Mode i of {@code modes} as an interleaved complex grid function. */
    public static double[] interleaved(GridModes modes, int i) {
        double[] r = modes.re()[i], m = modes.im() == null ? null : modes.im()[i];
        double[] o = new double[2 * r.length];
        for (int x = 0; x < r.length; x++) {
            o[2 * x] = r[x];
            if (m != null) o[2 * x + 1] = m[x];
        }
        return o;
    }

    private static double norm2(double[] f, double dv) {
        double s = 0;
        for (double x : f) s += x * x;
        return s * dv;
    }

    private static void add(double[] f, List<double[]> re, List<double[]> im) {
        int n3 = f.length / 2;
        double[] r = new double[n3], i = new double[n3];
        for (int x = 0; x < n3; x++) { r[x] = f[2 * x]; i[x] = f[2 * x + 1]; }
        re.add(r);
        if (im != null) im.add(i);
    }
}
