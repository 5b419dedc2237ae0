package io.hartree.api.fock;

import io.hartree.api.ParameterException;

import java.util.ArrayList;
import java.util.List;

/**
 * The mean-field (Hartree) flow in mode space, the N → ∞ limit of {@link FockHamiltonian}:
 * <pre>  i ċ_i = Σ_j h_ij c_j + Σ_jkl V_ijkl conj(c_j) c_k c_l,   ‖c‖ = 1,</pre>
 * the Galerkin projection of i∂_tφ = hφ + (V*|φ|²)φ (DESIGN §3, the paper's (3.12)) on the modes.
 * Normalisation check: H carries 1/(2N), so a condensate of N bosons in c has interaction energy
 * per particle ((N−1)/(2N)) Σ V c̄c̄cc → ½ Σ V c̄c̄cc, whose variation is the cubic term above with
 * coefficient 1. Integrated by the embedded Runge–Kutta pair of Dormand–Prince (5(4)) with
 * step control on the local error estimate: ‖err‖_∞ ≤ tol per step.
 */
public final class ModeHartree {
    private final int m;
    private final double[] h;
    private final int[] vi, vj, vk, vl;
    private final double[] vr, vim;

    public ModeHartree(ModeIntegrals integrals) {
        this.m = integrals.modes();
        this.h = integrals.h().clone();
        List<int[]> idx = new ArrayList<>();
        List<double[]> val = new ArrayList<>();
        double[] v = integrals.v();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                for (int k = 0; k < m; k++)
                    for (int l = 0; l < m; l++) {
                        int a = integrals.vIndex(i, j, k, l);
                        if (v[a] != 0 || v[a + 1] != 0) { idx.add(new int[]{i, j, k, l}); val.add(new double[]{v[a], v[a + 1]}); }
                    }
        int n = idx.size();
        vi = new int[n]; vj = new int[n]; vk = new int[n]; vl = new int[n]; vr = new double[n]; vim = new double[n];
        for (int t = 0; t < n; t++) {
            vi[t] = idx.get(t)[0]; vj[t] = idx.get(t)[1]; vk[t] = idx.get(t)[2]; vl[t] = idx.get(t)[3];
            vr[t] = val.get(t)[0]; vim[t] = val.get(t)[1];
        }
    }

    /** dc/dt = −i (h c + Σ V c̄_j c_k c_l), written into {@code out}. */
    public void rhs(double[] c, double[] out) {
        double[] f = new double[2 * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                double a = h[2 * (i * m + j)], b = h[2 * (i * m + j) + 1];
                f[2 * i] += a * c[2 * j] - b * c[2 * j + 1];
                f[2 * i + 1] += a * c[2 * j + 1] + b * c[2 * j];
            }
        for (int t = 0; t < vi.length; t++) {
            int j = vj[t], k = vk[t], l = vl[t];
            // conj(c_j) c_k c_l
            double pr = c[2 * k] * c[2 * l] - c[2 * k + 1] * c[2 * l + 1];
            double pi = c[2 * k] * c[2 * l + 1] + c[2 * k + 1] * c[2 * l];
            double qr = c[2 * j] * pr + c[2 * j + 1] * pi;
            double qi = c[2 * j] * pi - c[2 * j + 1] * pr;
            f[2 * vi[t]] += vr[t] * qr - vim[t] * qi;
            f[2 * vi[t] + 1] += vr[t] * qi + vim[t] * qr;
        }
        for (int i = 0; i < m; i++) { out[2 * i] = f[2 * i + 1]; out[2 * i + 1] = -f[2 * i]; }
    }

    /** Mean-field energy per particle E[c] = ⟨c, hc⟩ + ½ Σ V_ijkl conj(c_i c_j) c_k c_l (conserved by the flow). */
    public double energy(double[] c) {
        double e = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                double a = h[2 * (i * m + j)], b = h[2 * (i * m + j) + 1];
                e += c[2 * i] * (a * c[2 * j] - b * c[2 * j + 1]) + c[2 * i + 1] * (a * c[2 * j + 1] + b * c[2 * j]);
            }
        for (int t = 0; t < vi.length; t++) {
            int i = vi[t], j = vj[t], k = vk[t], l = vl[t];
            double pr = c[2 * k] * c[2 * l] - c[2 * k + 1] * c[2 * l + 1];
            double pi = c[2 * k] * c[2 * l + 1] + c[2 * k + 1] * c[2 * l];
            double ar = c[2 * i] * c[2 * j] - c[2 * i + 1] * c[2 * j + 1];
            double ai = -(c[2 * i] * c[2 * j + 1] + c[2 * i + 1] * c[2 * j]);
            double qr = ar * pr - ai * pi, qi = ar * pi + ai * pr;
            e += 0.5 * (vr[t] * qr - vim[t] * qi);
        }
        return e;
    }

    private static final double[][] A = {
            {},
            {1.0 / 5},
            {3.0 / 40, 9.0 / 40},
            {44.0 / 45, -56.0 / 15, 32.0 / 9},
            {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
            {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
            {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    private static final double[] B5 = {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0};
    private static final double[] B4 = {5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40};

    /**
     * Advances c (modified in place, interleaved, length 2M) by time {@code t} ≥ 0 with local error
     * ≤ {@code tol} per step. Returns the number of accepted steps.
     */
    public int evolve(double[] c, double t, double tol) {
        ParameterException.require(c.length == 2 * m, "c", c.length / 2, m + " amplitudes");
        ParameterException.require(t >= 0 && Double.isFinite(t), "t", t, "finite t ≥ 0");
        ParameterException.require(tol > 0 && tol < 1, "--tol", tol, "0 < tol < 1");
        int n = 2 * m;
        double[][] k = new double[7][n];
        double[] y = new double[n], y5 = new double[n];
        double done = 0, dt = Math.min(t, 1e-2);
        int steps = 0;
        if (dt == 0) return 0;
        while (done < t) {
            if (done + dt > t) dt = t - done;
            rhs(c, k[0]);
            for (int s = 1; s < 7; s++) {
                for (int a = 0; a < n; a++) {
                    double acc = c[a];
                    for (int q = 0; q < s; q++) acc += dt * A[s][q] * k[q][a];
                    y[a] = acc;
                }
                rhs(y, k[s]);
            }
            double err = 0;
            for (int a = 0; a < n; a++) {
                double s5 = 0, s4 = 0;
                for (int q = 0; q < 7; q++) { s5 += B5[q] * k[q][a]; s4 += B4[q] * k[q][a]; }
                y5[a] = c[a] + dt * s5;
                err = Math.max(err, Math.abs(dt * (s5 - s4)));
            }
            if (err <= tol) {
                System.arraycopy(y5, 0, c, 0, n);
                done += dt;
                steps++;
            }
            double fac = err == 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * Math.pow(tol / err, 0.2)));
            dt *= fac;
        }
        return steps;
    }
}
