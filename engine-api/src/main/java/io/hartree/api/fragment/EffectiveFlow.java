package io.hartree.api.fragment;

import io.hartree.api.ParameterException;

/**
 * The emergent evolution of a fragmented condensate in the large-gap limit, (3.17)–(3.18).
 *
 * <p>The coefficients κ(t) ∈ C^d of the condensate function in the degenerate ground space,
 * φ_t = Σ_j κ_j(t) χ_j, follow the Hartree flow restricted to that space, eq. (3.18):
 * <pre>  i κ̇_i = Σ_j h_ij κ_j + Σ_{jkl} V_ijkl conj(κ_j) κ_k κ_l,   κ_j(0) = √n_j e^{−iθ_j}.</pre>
 * The phase-averaged one-body limit γ_∞,t^(1) = Σ_{jl} K_jl(t) |χ_j⟩⟨χ_l| has, eq. (3.17),
 * <pre>  K_jl(t) = (2π)^{−d} ∫ dθ κ_j^θ(t) conj(κ_l^θ(t)).</pre>
 * Because the flow commutes with a global phase, K depends on the d − 1 relative phases only:
 * θ_1 = 0 is fixed and the others are sampled on Q equispaced nodes (trapezoid rule, spectrally
 * accurate for the smooth periodic integrand, exact for trigonometric polynomials of degree &lt; Q).
 *
 * <p>Toy model: V_ijkl = E δ_ik δ_jl gives κ(t) = κ(0) e^{−iEt} and K(t) = diag(n₁, n₂) for all t.
 *
 * <p>Integrator: Dormand–Prince 5(4) with adaptive steps (error per step below
 * atol + rtol·|κ|, RMS norm), landing exactly on the requested times.
 */
public final class EffectiveFlow {
    private final ModeIntegrals integrals;
    private final int d;
    private final double rtol;
    private final double atol;
    private final double[] h;
    private final double[] v;

    /**
     * @param rtol relative tolerance per step, in [1e-14, 1e-2]
     * @param atol absolute tolerance per step, &gt; 0
     */
    public EffectiveFlow(ModeIntegrals integrals, double rtol, double atol) {
        ParameterException.require(integrals != null, "integrals", "null", "mode integrals");
        ParameterException.require(rtol >= 1e-14 && rtol <= 1e-2, "rtol", rtol, "[1e-14, 1e-2]");
        ParameterException.require(atol > 0 && atol <= 1e-2, "atol", atol, "(0, 1e-2]");
        this.integrals = integrals;
        this.d = integrals.modes();
        this.rtol = rtol;
        this.atol = atol;
        double[] tmp = new double[2];
        h = new double[2 * d * d];
        v = new double[2 * d * d * d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                integrals.oneBody(i, j, tmp);
                h[2 * (i * d + j)] = tmp[0];
                h[2 * (i * d + j) + 1] = tmp[1];
                for (int k = 0; k < d; k++)
                    for (int l = 0; l < d; l++) {
                        integrals.interaction(i, j, k, l, tmp);
                        int p = 2 * (((i * d + j) * d + k) * d + l);
                        v[p] = tmp[0];
                        v[p + 1] = tmp[1];
                    }
            }
    }

    public int modes() { return d; }

    public ModeIntegrals integrals() { return integrals; }

    /**
     * κ at each of {@code times} (non-decreasing, ≥ 0) from κ(0) = {@code kappa0} (d complex,
     * interleaved; not modified). Returns one interleaved array per time.
     */
    public double[][] evolve(double[] kappa0, double[] times) {
        ParameterException.require(kappa0 != null && kappa0.length == 2 * d, "kappa0", kappa0 == null ? "null" : kappa0.length, "2·d = " + 2 * d + " doubles");
        double[][] out = new double[times.length][];
        double[] y = kappa0.clone();
        double t = 0;
        double step = 1e-3;
        Workspace w = new Workspace(2 * d);
        for (int n = 0; n < times.length; n++) {
            ParameterException.require(times[n] >= t && Double.isFinite(times[n]), "times", times[n], "finite, non-decreasing, >= 0");
            step = integrate(y, t, times[n], step, w);
            t = times[n];
            out[n] = y.clone();
        }
        return out;
    }

    /**
     * K(t) of (3.17) at each time, for initial fractions n_j (Σ n_j = 1), with
     * {@code phaseNodes} = Q nodes per relative phase (Q^{d−1} trajectories). Each result is a d×d
     * complex matrix, row-major, interleaved.
     */
    public double[][] coefficients(double[] fractions, double[] times, int phaseNodes) {
        ParameterException.require(fractions != null && fractions.length == d, "fractions", fractions == null ? "null" : fractions.length, "d = " + d + " values");
        double total = 0;
        for (double f : fractions) {
            ParameterException.require(f >= 0, "fractions", f, ">= 0");
            total += f;
        }
        ParameterException.require(Math.abs(total - 1) < 1e-12, "fractions", total, "sum 1");
        ParameterException.require(phaseNodes >= 1, "phase nodes", phaseNodes, ">= 1");
        double samples = Math.pow(phaseNodes, d - 1);
        ParameterException.require(samples <= 1e6, "phase nodes", phaseNodes, "Q^(d-1) <= 1e6 trajectories");
        double[][] k = new double[times.length][2 * d * d];
        int[] idx = new int[d];
        double[] kappa0 = new double[2 * d];
        for (long s = 0; s < (long) samples; s++) {
            long r = s;
            for (int j = 1; j < d; j++) { idx[j] = (int) (r % phaseNodes); r /= phaseNodes; }
            for (int j = 0; j < d; j++) {
                double theta = 2 * Math.PI * idx[j] / phaseNodes;
                double amp = Math.sqrt(fractions[j]);
                kappa0[2 * j] = amp * Math.cos(theta);
                kappa0[2 * j + 1] = -amp * Math.sin(theta);
            }
            double[][] kap = evolve(kappa0, times);
            for (int n = 0; n < times.length; n++) {
                double[] y = kap[n];
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++) {
                        // κ_i conj(κ_j)
                        double re = y[2 * i] * y[2 * j] + y[2 * i + 1] * y[2 * j + 1];
                        double im = y[2 * i + 1] * y[2 * j] - y[2 * i] * y[2 * j + 1];
                        k[n][2 * (i * d + j)] += re / samples;
                        k[n][2 * (i * d + j) + 1] += im / samples;
                    }
            }
        }
        return k;
    }

    /** The right-hand side κ̇ = −i(hκ + Σ V_ijkl conj(κ_j) κ_k κ_l), interleaved. */
    void rhs(double[] y, double[] dy) {
        for (int i = 0; i < d; i++) {
            double re = 0, im = 0;
            for (int j = 0; j < d; j++) {
                double hr = h[2 * (i * d + j)], hi = h[2 * (i * d + j) + 1];
                re += hr * y[2 * j] - hi * y[2 * j + 1];
                im += hr * y[2 * j + 1] + hi * y[2 * j];
            }
            for (int j = 0; j < d; j++) {
                double cjr = y[2 * j], cji = -y[2 * j + 1];
                for (int k = 0; k < d; k++) {
                    // conj(κ_j) κ_k
                    double pr = cjr * y[2 * k] - cji * y[2 * k + 1];
                    double pi = cjr * y[2 * k + 1] + cji * y[2 * k];
                    for (int l = 0; l < d; l++) {
                        int p = 2 * (((i * d + j) * d + k) * d + l);
                        double vr = v[p], vi = v[p + 1];
                        if (vr == 0 && vi == 0) continue;
                        double qr = pr * y[2 * l] - pi * y[2 * l + 1];
                        double qi = pr * y[2 * l + 1] + pi * y[2 * l];
                        re += vr * qr - vi * qi;
                        im += vr * qi + vi * qr;
                    }
                }
            }
            // multiply by −i
            dy[2 * i] = im;
            dy[2 * i + 1] = -re;
        }
    }

    private static final class Workspace {
        final double[] k1, k2, k3, k4, k5, k6, k7, tmp, ynew;
        Workspace(int n) {
            k1 = new double[n]; k2 = new double[n]; k3 = new double[n]; k4 = new double[n];
            k5 = new double[n]; k6 = new double[n]; k7 = new double[n]; tmp = new double[n]; ynew = new double[n];
        }
    }

    // Dormand–Prince 5(4) tableau (Hairer, Nørsett, Wanner, Solving ODE I, Table 5.2)
    private static final double A21 = 1.0 / 5;
    private static final double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private static final double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private static final double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private static final double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private static final double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784, B6 = 11.0 / 84;
    private static final double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;

    /** Advances y from t0 to t1 in place; returns the step size to try next. */
    private double integrate(double[] y, double t0, double t1, double step, Workspace w) {
        int n = y.length;
        double t = t0;
        double hs = Math.max(step, 1e-12);
        int steps = 0;
        while (t < t1) {
            if (++steps > 50_000_000) throw new IllegalStateException("effective flow: more than 5e7 steps from t=" + t0 + " to " + t1 + " (stiff or blowing up)");
            boolean last = t + hs >= t1;
            double hh = last ? t1 - t : hs;
            rhs(y, w.k1);
            for (int i = 0; i < n; i++) w.tmp[i] = y[i] + hh * A21 * w.k1[i];
            rhs(w.tmp, w.k2);
            for (int i = 0; i < n; i++) w.tmp[i] = y[i] + hh * (A31 * w.k1[i] + A32 * w.k2[i]);
            rhs(w.tmp, w.k3);
            for (int i = 0; i < n; i++) w.tmp[i] = y[i] + hh * (A41 * w.k1[i] + A42 * w.k2[i] + A43 * w.k3[i]);
            rhs(w.tmp, w.k4);
            for (int i = 0; i < n; i++) w.tmp[i] = y[i] + hh * (A51 * w.k1[i] + A52 * w.k2[i] + A53 * w.k3[i] + A54 * w.k4[i]);
            rhs(w.tmp, w.k5);
            for (int i = 0; i < n; i++) w.tmp[i] = y[i] + hh * (A61 * w.k1[i] + A62 * w.k2[i] + A63 * w.k3[i] + A64 * w.k4[i] + A65 * w.k5[i]);
            rhs(w.tmp, w.k6);
            for (int i = 0; i < n; i++) w.ynew[i] = y[i] + hh * (B1 * w.k1[i] + B3 * w.k3[i] + B4 * w.k4[i] + B5 * w.k5[i] + B6 * w.k6[i]);
            rhs(w.ynew, w.k7);
            double err = 0;
            for (int i = 0; i < n; i++) {
                double e = hh * (E1 * w.k1[i] + E3 * w.k3[i] + E4 * w.k4[i] + E5 * w.k5[i] + E6 * w.k6[i] + E7 * w.k7[i]);
                double sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(w.ynew[i]));
                err += (e / sc) * (e / sc);
            }
            err = Math.sqrt(err / n);
            double factor = err == 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * Math.pow(err, -0.2)));
            if (err <= 1) {
                t = last ? t1 : t + hh;
                System.arraycopy(w.ynew, 0, y, 0, n);
                if (!last) hs = hh * factor;
            } else {
                hs = hh * Math.max(0.2, factor);
            }
        }
        return hs;
    }

    /**
     * Numerical rank of a Hermitian d×d matrix (row-major, interleaved): the number of
     * eigenvalues above {@code tol}. Eigenvalues by cyclic Jacobi on the real 2d×2d embedding
     * [[Re, −Im], [Im, Re]], whose spectrum is that of the matrix, each eigenvalue twice.
     */
    public static int rank(double[] matrix, int d, double tol) {
        double[] ev = hermitianEigenvalues(matrix, d);
        int r = 0;
        for (double e : ev) if (e > tol) r++;
        return r;
    }

    /** Eigenvalues (ascending) of a Hermitian d×d matrix, row-major interleaved. */
    public static double[] hermitianEigenvalues(double[] matrix, int d) {
        int n = 2 * d;
        double[][] a = new double[n][n];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                double re = matrix[2 * (i * d + j)], im = matrix[2 * (i * d + j) + 1];
                a[i][j] = re; a[i + d][j + d] = re;
                a[i][j + d] = -im; a[i + d][j] = im;
            }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
            if (off < 1e-32) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double tt = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) tt = 1;
                    double c = 1 / Math.sqrt(tt * tt + 1), s = tt * c;
                    for (int r = 0; r < n; r++) {
                        double arp = a[r][p], arq = a[r][q];
                        a[r][p] = c * arp - s * arq;
                        a[r][q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < n; r++) {
                        double apr = a[p][r], aqr = a[q][r];
                        a[p][r] = c * apr - s * aqr;
                        a[q][r] = s * apr + c * aqr;
                    }
                }
        }
        double[] all = new double[n];
        for (int i = 0; i < n; i++) all[i] = a[i][i];
        java.util.Arrays.sort(all);
        double[] ev = new double[d];
        for (int i = 0; i < d; i++) ev[i] = 0.5 * (all[2 * i] + all[2 * i + 1]);
        return ev;
    }
}
