package io.hartree.cli.study;

import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.fock.OscillatorModes;
import io.hartree.api.fragment.SpinToyModel;
import io.hartree.api.model.Interaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The studies that evolve in Fock space, on small cases (the cpu backend is on the test class path). */
class FockStudiesTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    static final StudySession SESSION = new StudySession();

    private static StudyContext ctx(Path dir) { return SESSION.ctx(dir); }

    /** Tr|γ^(1)_{N,t} − |c_t⟩⟨c_t|| for φ^{⊗N}, φ = c, in two modes, computed from scratch (see the test). */
    static double twoModeDistance(ModeIntegrals mi, int n, double[] c0, double t) {
        int dim = n + 1; // basis index q = n₁, n₀ = N − q
        double[][] h = new double[dim][dim];
        for (int q = 0; q < dim; q++) {
            int[] occ = {n - q, q};
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++) {
                    double[] r = apply(occ, new int[]{j}, new int[]{i});
                    if (r != null) h[(int) r[1]][q] += mi.h()[mi.hIndex(i, j)] * r[0];
                    for (int k = 0; k < 2; k++)
                        for (int l = 0; l < 2; l++) {
                            // a_i†a_j†a_l a_k: annihilate k then l, create j then i
                            double[] r2 = apply(occ, new int[]{k, l}, new int[]{j, i});
                            if (r2 != null) h[(int) r2[1]][q] += mi.v()[mi.vIndex(i, j, k, l)] * r2[0] / (2.0 * n);
                        }
                }
        }
        double[][] u = new double[dim][dim];
        double[] e = jacobi(h, u);
        // ψ₀ = Σ √(N!/(n₀!n₁!)) c₀^{n₀} c₁^{n₁} |n₀, n₁⟩
        double[] re = new double[dim], im = new double[dim];
        for (int q = 0; q < dim; q++) {
            double logMult = logFactorial(n) - logFactorial(n - q) - logFactorial(q);
            double[] p = cmul(cpow(c0[0], c0[1], n - q), cpow(c0[2], c0[3], q));
            re[q] = Math.exp(0.5 * logMult) * p[0];
            im[q] = Math.exp(0.5 * logMult) * p[1];
        }
        double[] pr = new double[dim], pi = new double[dim];
        for (int a = 0; a < dim; a++) {
            double sr = 0, si = 0;
            for (int q = 0; q < dim; q++) { sr += u[q][a] * re[q]; si += u[q][a] * im[q]; }
            double cs = Math.cos(e[a] * t), sn = -Math.sin(e[a] * t);
            double wr = sr * cs - si * sn, wi = sr * sn + si * cs;
            for (int q = 0; q < dim; q++) { pr[q] += u[q][a] * wr; pi[q] += u[q][a] * wi; }
        }
        // γ_00 = ⟨n₀⟩/N, γ_11 = ⟨n₁⟩/N, γ_01 = ⟨a_1†a_0⟩/N = Σ conj(ψ(q+1)) ψ(q) √((N−q)(q+1)) / N
        double g00 = 0, g11 = 0, g01r = 0, g01i = 0;
        for (int q = 0; q < dim; q++) {
            double p = pr[q] * pr[q] + pi[q] * pi[q];
            g00 += p * (n - q) / n;
            g11 += p * q / n;
            if (q < n) {
                double f = Math.sqrt((double) (n - q) * (q + 1)) / n;
                g01r += f * (pr[q + 1] * pr[q] + pi[q + 1] * pi[q]);
                g01i += f * (pr[q + 1] * pi[q] - pi[q + 1] * pr[q]);
            }
        }
        double[] ct = hartreeRk4(mi, c0, t);
        double a = g00 - (ct[0] * ct[0] + ct[1] * ct[1]), d = g11 - (ct[2] * ct[2] + ct[3] * ct[3]);
        // P_01 = c₀ conj(c₁)
        double br = g01r - (ct[0] * ct[2] + ct[1] * ct[3]), bi = g01i - (ct[1] * ct[2] - ct[0] * ct[3]);
        return 2 * Math.sqrt(0.25 * (a - d) * (a - d) + br * br + bi * bi);
    }

    /** a†_{create[last]}…a†_{create[0]} a_{annihilate[last]}…a_{annihilate[0]} on |occ⟩ (applied in array order): {amplitude, n₁ of the result}, or null. */
    private static double[] apply(int[] occ, int[] annihilate, int[] create) {
        int[] o = occ.clone();
        double amp = 1;
        for (int m : annihilate) { if (o[m] == 0) return null; amp *= Math.sqrt(o[m]); o[m]--; }
        for (int m : create) { o[m]++; amp *= Math.sqrt(o[m]); }
        return new double[]{amp, o[1]};
    }

    /** i ċ_i = Σ h_ij c_j + Σ V_ijkl conj(c_j) c_k c_l, classical RK4, step ≤ 1e−3. */
    static double[] hartreeRk4(ModeIntegrals mi, double[] c0, double t) {
        int steps = (int) Math.ceil(t / 1e-3);
        double dt = t / steps;
        double[] c = c0.clone();
        for (int s = 0; s < steps; s++) {
            double[] k1 = rhs(mi, c), k2 = rhs(mi, axpy(c, k1, dt / 2)), k3 = rhs(mi, axpy(c, k2, dt / 2)), k4 = rhs(mi, axpy(c, k3, dt));
            for (int q = 0; q < c.length; q++) c[q] += dt / 6 * (k1[q] + 2 * k2[q] + 2 * k3[q] + k4[q]);
        }
        return c;
    }

    private static double[] axpy(double[] c, double[] k, double h) {
        double[] r = c.clone();
        for (int q = 0; q < r.length; q++) r[q] += h * k[q];
        return r;
    }

    /** −i(hc + ΣV c̄_j c_k c_l) for real h and V. */
    private static double[] rhs(ModeIntegrals mi, double[] c) {
        int m = mi.modes();
        double[] f = new double[2 * m];
        for (int i = 0; i < m; i++) {
            double fr = 0, fi = 0;
            for (int j = 0; j < m; j++) {
                fr += mi.h()[mi.hIndex(i, j)] * c[2 * j];
                fi += mi.h()[mi.hIndex(i, j)] * c[2 * j + 1];
                for (int k = 0; k < m; k++)
                    for (int l = 0; l < m; l++) {
                        double vv = mi.v()[mi.vIndex(i, j, k, l)];
                        double[] p = cmul(new double[]{c[2 * j], -c[2 * j + 1]}, cmul(new double[]{c[2 * k], c[2 * k + 1]}, new double[]{c[2 * l], c[2 * l + 1]}));
                        fr += vv * p[0];
                        fi += vv * p[1];
                    }
            }
            f[2 * i] = fi;
            f[2 * i + 1] = -fr;
        }
        return f;
    }

    /** Cyclic Jacobi for a real symmetric matrix: eigenvalues, eigenvectors in the columns of u. */
    static double[] jacobi(double[][] a0, double[][] u) {
        int n = a0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) { a[i] = a0[i].clone(); java.util.Arrays.fill(u[i], 0); u[i][i] = 1; }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double tt = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) tt = 1;
                    double cs = 1 / Math.sqrt(tt * tt + 1), sn = tt * cs;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = cs * akp - sn * akq;
                        a[k][q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = cs * apk - sn * aqk;
                        a[q][k] = sn * apk + cs * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double ukp = u[k][p], ukq = u[k][q];
                        u[k][p] = cs * ukp - sn * ukq;
                        u[k][q] = sn * ukp + cs * ukq;
                    }
                }
        }
        double[] e = new double[n];
        for (int i = 0; i < n; i++) e[i] = a[i][i];
        return e;
    }

    private static double[] cmul(double[] x, double[] y) { return new double[]{x[0] * y[0] - x[1] * y[1], x[0] * y[1] + x[1] * y[0]}; }

    private static double[] cpow(double re, double im, int k) {
        double[] r = {1, 0};
        for (int i = 0; i < k; i++) r = cmul(r, new double[]{re, im});
        return r;
    }

    private static double logFactorial(int k) {
        double s = 0;
        for (int i = 2; i <= k; i++) s += Math.log(i);
        return s;
    }

    /**
     * At t = 0 the toy-model state is exactly (φ⁰)^{⊗N} ⊗ (spin Dicke state): Fock's γ^(1) equals
     * (3.15) and Fock's γ^(2) differs from γ_∞^(2) by exactly the spin formula (4.13) for k = 2.
     */
    @Test
    void fockMarginalsAtTimeZeroMatchTheSpinFormula() {
        try (StudyContext ctx = ctx(Path.of("."))) {
            ModeIntegrals mi = OscillatorModes.integrals(2, 4.0, new Interaction.Gaussian(4.0, 1.0), OscillatorModes.defaultGrid(), ctx.transforms());
            for (int[] occ : new int[][]{{3, 7}, {6, 14}, {5, 5}}) {
                ToyModelEvolution ev = new ToyModelEvolution(ctx.fock(), mi, occ[0], occ[1]);
                ev.advanceTo(0);
                assertEquals(0, ev.distance1(), 1e-13, "k = 1 at t = 0, " + occ[0] + "," + occ[1]);
                // Jacobi on a 16×16 Hermitian difference: ~1e-15 per eigenvalue
                assertEquals(new SpinToyModel(occ[0], occ[1]).traceDistance(2), ev.distance2(), 1e-12, "k = 2 at t = 0 vs (4.13), " + occ[0] + "," + occ[1]);
            }
        }
    }
}
