package io.hartree.api.modes;

import io.hartree.api.ParameterException;
import io.hartree.api.fock.CsrMatrix;
import io.hartree.api.fock.FockBasis;
import io.hartree.api.fock.FockHamiltonian;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fock.ModeHartree;
import io.hartree.api.fock.ModeIntegrals;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * Convergence in the number of modes M: a quantity evaluated in the nested bases of the first M
 * modes of one set (the integrals of the first M modes are the leading block of the integrals of
 * all of them, {@link #restrict}), so a study can state that its basis is converged and to what:
 * {@link Report#lastChange()} = |q(M_last) − q(M_previous)|. Built-in quantities: the mean-field
 * (Hartree) ground energy per particle, the many-body ground energy per particle for N bosons
 * (both variational: non-increasing in M), and the mean-field energy of a given product state.
 */
public final class ModeConvergence {
    private ModeConvergence() {}

    /** q against M: {@code values[i]} at {@code modes[i]} (increasing). */
    public record Report(String quantity, int[] modes, double[] values) {
        /** |q(M_last) − q(M_previous)|: the change of the last enlargement of the basis (NaN for one M). */
        public double lastChange() {
            int n = values.length;
            return n < 2 ? Double.NaN : Math.abs(values[n - 1] - values[n - 2]);
        }

        /** Whether the last enlargement changed q by at most {@code tol}. */
        public boolean converged(double tol) { return lastChange() <= tol; }

        /** The value at the largest M. */
        public double last() { return values[values.length - 1]; }

        /** A table for a report: M, q(M), q(M) − q(M_last). */
        public String table() {
            StringBuilder b = new StringBuilder("M\t" + quantity + "\tminus value at M=" + modes[modes.length - 1] + "\n");
            for (int i = 0; i < modes.length; i++)
                b.append(String.format(Locale.ROOT, "%d\t%.15g\t%.3e%n", modes[i], values[i], values[i] - last()));
            return b.toString();
        }
    }

    /** Evaluates {@code q} at each M of {@code modes} (strictly increasing, ≥ 1). */
    public static Report scan(String quantity, int[] modes, IntToDoubleFunction q) {
        ParameterException.require(modes != null && modes.length >= 1, "modes", modes == null ? null : modes.length, "at least one M");
        for (int i = 0; i < modes.length; i++)
            ParameterException.require(modes[i] >= 1 && (i == 0 || modes[i] > modes[i - 1]), "modes", Arrays.toString(modes), "strictly increasing M ≥ 1");
        double[] v = new double[modes.length];
        for (int i = 0; i < modes.length; i++) v[i] = q.applyAsDouble(modes[i]);
        return new Report(quantity, modes.clone(), v);
    }

    /** The integrals of the first {@code m} modes: h_ij, V_ijkl with all indices < m. */
    public static ModeIntegrals restrict(ModeIntegrals mi, int m) {
        ParameterException.require(m >= 1 && m <= mi.modes(), "modes", m, "1 … " + mi.modes());
        ModeIntegrals out = ModeIntegrals.zero(m);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                System.arraycopy(mi.h(), mi.hIndex(i, j), out.h(), out.hIndex(i, j), 2);
                for (int k = 0; k < m; k++)
                    for (int l = 0; l < m; l++) System.arraycopy(mi.v(), mi.vIndex(i, j, k, l), out.v(), out.vIndex(i, j, k, l), 2);
            }
        return out;
    }

    /** The Hartree ground energy per particle, {@link #hartreeGroundEnergy(ModeIntegrals)}, against M. */
    public static Report hartreeEnergy(ModeIntegrals mi, int[] modes) {
        return scan("hartree_energy_per_particle", modes, m -> hartreeGroundEnergy(restrict(mi, m)));
    }

    /** The mean-field energy E[c] of the product state c (interleaved complex, length 2·M_max) cut to the first M modes and renormalised. */
    public static Report productStateEnergy(ModeIntegrals mi, int[] modes, double[] c) {
        ParameterException.require(c != null && c.length == 2 * mi.modes(), "c", c == null ? null : c.length / 2, mi.modes() + " complex amplitudes");
        return scan("product_state_energy_per_particle", modes, m -> {
            double[] cm = Arrays.copyOf(c, 2 * m);
            double nn = 0;
            for (double x : cm) nn += x * x;
            ParameterException.require(nn > 0, "c", "0 in the first " + m + " modes", "a state with weight in the first modes");
            for (int i = 0; i < cm.length; i++) cm[i] /= Math.sqrt(nn);
            return new ModeHartree(restrict(mi, m)).energy(cm);
        });
    }

    /** The lowest eigenvalue of H / N for N = {@code particles} bosons, against M ({@link #manyBodyGroundEnergy(ModeIntegrals, int)}). */
    public static Report manyBodyEnergy(ModeIntegrals mi, int[] modes, int particles) {
        return scan("many_body_ground_energy_per_particle_N" + particles, modes, m -> manyBodyGroundEnergy(restrict(mi, m), particles));
    }

    /**
     * min over ‖c‖ = 1 of E[c] = ⟨c, hc⟩ + ½ Σ V_ijkl conj(c_i c_j) c_k c_l (the energy of {@link ModeHartree}),
     * by the self-consistent field iteration: c ← the lowest eigenvector of F_ik = h_ik + Σ_jl V_ijkl D_lj with
     * the density D mixed half-and-half with the previous one, until E changes by less than 1e-14·max(1, |E|)
     * twice in a row (at most 5000 iterations; otherwise ArithmeticException), from the lowest eigenvector
     * of h and from each of the first four unit vectors; the lowest of these local minima is returned.
     */
    public static double hartreeGroundEnergy(ModeIntegrals mi) {
        int m = mi.modes();
        ModeHartree mh = new ModeHartree(mi);
        // A symmetric start can stay on a symmetric saddle (the Josephson dimer's self-trapping):
        // start also from the first unit vectors and keep the lowest result.
        double best = scf(mi, mh, lowestVector(mi.h().clone(), m));
        for (int i = 0; i < Math.min(m, 4); i++) {
            double[] e = new double[2 * m];
            e[2 * i] = 1;
            best = Math.min(best, scf(mi, mh, e));
        }
        return best;
    }

    private static double scf(ModeIntegrals mi, ModeHartree mh, double[] c) {
        int m = mi.modes();
        double[] d = new double[2 * m * m];
        outer(c, d, m, 1);
        double e = mh.energy(c);
        int calm = 0;
        for (int it = 0; it < 5000; it++) {
            double[] f = mi.h().clone();
            double[] v = mi.v();
            for (int i = 0; i < m; i++)
                for (int k = 0; k < m; k++)
                    for (int j = 0; j < m; j++)
                        for (int l = 0; l < m; l++) {
                            int a = mi.vIndex(i, j, k, l), b = 2 * (l * m + j);
                            f[2 * (i * m + k)] += v[a] * d[b] - v[a + 1] * d[b + 1];
                            f[2 * (i * m + k) + 1] += v[a] * d[b + 1] + v[a + 1] * d[b];
                        }
            c = lowestVector(f, m);
            for (int a = 0; a < d.length; a++) d[a] *= 0.5;
            outer(c, d, m, 0.5);
            double en = mh.energy(c);
            calm = Math.abs(en - e) < 1e-14 * Math.max(1, Math.abs(en)) ? calm + 1 : 0;
            e = en;
            if (calm >= 2) return e;
        }
        throw new ArithmeticException("Hartree ground state in " + m + " modes: the self-consistent iteration did not converge in 5000 steps");
    }

    /** d += w·c c^H (D_lj = c_l conj(c_j)). */
    private static void outer(double[] c, double[] d, int m, double w) {
        for (int l = 0; l < m; l++)
            for (int j = 0; j < m; j++) {
                d[2 * (l * m + j)] += w * (c[2 * l] * c[2 * j] + c[2 * l + 1] * c[2 * j + 1]);
                d[2 * (l * m + j) + 1] += w * (c[2 * l + 1] * c[2 * j] - c[2 * l] * c[2 * j + 1]);
            }
    }

    /** The normalised eigenvector of the lowest eigenvalue of the Hermitian f (through its real 2M embedding). */
    private static double[] lowestVector(double[] f, int m) {
        int m2 = 2 * m;
        double[] e = new double[m2 * m2];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++) {
                double re = 0.5 * (f[2 * (a * m + b)] + f[2 * (b * m + a)]), im = 0.5 * (f[2 * (a * m + b) + 1] - f[2 * (b * m + a) + 1]);
                e[a * m2 + b] = re; e[(a + m) * m2 + b + m] = re;
                e[(a + m) * m2 + b] = im; e[a * m2 + b + m] = -im;
            }
        double[] vec = new double[m2 * m2];
        HermitianEigen.symmetricEigenvalues(e, m2, vec);
        double[] c = new double[2 * m];
        for (int a = 0; a < m; a++) { c[2 * a] = vec[a * m2]; c[2 * a + 1] = vec[(a + m) * m2]; }
        return c;
    }

    /**
     * The lowest eigenvalue of H/N, H = Σ h_ij a_i†a_j + (1/(2N)) Σ V_ijkl a_i†a_j†a_l a_k on N bosons
     * ({@link FockHamiltonian}, CSR), by Lanczos with full reorthogonalisation until the lowest Ritz
     * value changes by less than 1e-13 of the spectral width over 10 steps (dimension ≤ 2·10⁵).
     */
    public static double manyBodyGroundEnergy(ModeIntegrals mi, int particles) {
        ParameterException.require(particles >= 1, "particles", particles, "N ≥ 1");
        FockBasis basis = new FockBasis(particles, mi.modes());
        ParameterException.require(basis.dimension() <= 200_000, "particles", particles, "N with C(N+M−1, N) ≤ 2·10⁵ in M = " + mi.modes() + " modes");
        CsrMatrix h = FockHamiltonian.of(basis, mi).toCsr();
        int n = h.dimension();
        double[] bounds = h.spectralBounds();
        double width = Math.max(bounds[1] - bounds[0], 1e-300);
        int kmax = Math.min(n, 300);
        double[][] q = new double[kmax + 1][];
        double[] alpha = new double[kmax], beta = new double[kmax + 1];
        double[] v = new double[2 * n];
        for (int r = 0; r < n; r++) v[2 * r] = 1 + 0.5 * Math.cos(1.7 * r); // deterministic, overlaps every state
        normalise(v);
        q[0] = v;
        double prev = Double.NaN, lowest = Double.NaN;
        double[] w = new double[2 * n];
        for (int k = 0; k < kmax; k++) {
            h.apply(q[k], w);
            alpha[k] = dotRe(q[k], w);
            for (int pass = 0; pass < 2; pass++)
                for (int j = 0; j <= k; j++) {
                    double[] cj = dot(q[j], w);
                    for (int s = 0; s < n; s++) {
                        double qr = q[j][2 * s], qi = q[j][2 * s + 1];
                        w[2 * s] -= cj[0] * qr - cj[1] * qi;
                        w[2 * s + 1] -= cj[0] * qi + cj[1] * qr;
                    }
                }
            beta[k + 1] = Math.sqrt(dotRe(w, w));
            boolean exhausted = beta[k + 1] < 1e-12 * width || k + 1 == kmax;
            if (k % 10 == 9 || exhausted) {
                lowest = tridiagonalLowest(alpha, beta, k + 1);
                if (exhausted || Math.abs(lowest - prev) < 1e-13 * width) return lowest / particles;
                prev = lowest;
            }
            q[k + 1] = w.clone();
            for (int s = 0; s < 2 * n; s++) q[k + 1][s] /= beta[k + 1];
        }
        return lowest / particles;
    }

    private static double tridiagonalLowest(double[] alpha, double[] beta, int k) {
        double[] t = new double[k * k];
        for (int i = 0; i < k; i++) {
            t[i * k + i] = alpha[i];
            if (i + 1 < k) { t[i * k + i + 1] = beta[i + 1]; t[(i + 1) * k + i] = beta[i + 1]; }
        }
        return HermitianEigen.symmetricEigenvalues(t, k, null)[0];
    }

    private static void normalise(double[] v) {
        double s = Math.sqrt(dotRe(v, v));
        for (int i = 0; i < v.length; i++) v[i] /= s;
    }

    private static double dotRe(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Σ conj(a) b, interleaved: {re, im}. */
    private static double[] dot(double[] a, double[] b) {
        double r = 0, im = 0;
        for (int i = 0; i < a.length; i += 2) {
            r += a[i] * b[i] + a[i + 1] * b[i + 1];
            im += a[i] * b[i + 1] - a[i + 1] * b[i];
        }
        return new double[]{r, im};
    }
}
