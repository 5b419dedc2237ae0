package io.hartree.api.conformance;

import io.hartree.api.fock.CsrMatrix;
import io.hartree.api.fock.ExpmvOptions;
import io.hartree.api.fock.FockBasis;
import io.hartree.api.fock.FockHamiltonian;
import io.hartree.api.FockKernels;
import io.hartree.api.fock.FockOperator;
import io.hartree.api.KrylovOps;
import io.hartree.api.fock.ModeIntegrals;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.hartree.api.conformance.Tolerances.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Fock-space primitives of {@code session.fock()} against independent references: GEMM
 * against the triple loop, eigh/eighReal on matrices built from known eigenvalues and a random
 * unitary, solve by its residual, expm against a Taylor series and e^{diag}, expHermitian against
 * Q e^{−itΛ}Q^H, the Krylov vector primitives against plain loops, and exp(−itH)ψ (Lanczos and
 * Chebyshev) on a CSR and on a matrix-free operator against the dense result.
 */
public abstract class FockConformance extends BackendSuite {
    FockKernels k;

    @BeforeAll
    void kernels() { k = session.fock(); }

    static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] a = new double[2 * n * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        return a;
    }

    /** C = A·B by the triple loop (the host reference of every backend's GEMM tests). */
    public static double[] naiveGemm(double[] a, double[] b, int n) {
        double[] c = new double[2 * n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double sr = 0, si = 0;
            for (int q = 0; q < n; q++) {
                double ar = a[2 * (i * n + q)], ai = a[2 * (i * n + q) + 1], br = b[2 * (q * n + j)], bi = b[2 * (q * n + j) + 1];
                sr += ar * br - ai * bi;
                si += ar * bi + ai * br;
            }
            c[2 * (i * n + j)] = sr;
            c[2 * (i * n + j) + 1] = si;
        }
        return c;
    }

    static double[] adjoint(double[] a, int n) {
        double[] h = new double[a.length];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            h[2 * (i * n + j)] = a[2 * (j * n + i)];
            h[2 * (i * n + j) + 1] = -a[2 * (j * n + i) + 1];
        }
        return h;
    }

    /** A random unitary (real: orthogonal) by Gram–Schmidt on the columns of a random matrix. */
    static double[] unitary(int n, long seed, boolean real) {
        double[] q = random(n, seed);
        if (real) for (int i = 1; i < q.length; i += 2) q[i] = 0;
        for (int c = 0; c < n; c++) {
            for (int pass = 0; pass < 2; pass++)
                for (int p = 0; p < c; p++) {
                    double dr = 0, di = 0; // ⟨q_p, q_c⟩
                    for (int r = 0; r < n; r++) {
                        double pr = q[2 * (r * n + p)], pi = q[2 * (r * n + p) + 1], cr = q[2 * (r * n + c)], ci = q[2 * (r * n + c) + 1];
                        dr += pr * cr + pi * ci;
                        di += pr * ci - pi * cr;
                    }
                    for (int r = 0; r < n; r++) {
                        double pr = q[2 * (r * n + p)], pi = q[2 * (r * n + p) + 1];
                        q[2 * (r * n + c)] -= dr * pr - di * pi;
                        q[2 * (r * n + c) + 1] -= dr * pi + di * pr;
                    }
                }
            double s = 0;
            for (int r = 0; r < n; r++) s += q[2 * (r * n + c)] * q[2 * (r * n + c)] + q[2 * (r * n + c) + 1] * q[2 * (r * n + c) + 1];
            s = 1 / Math.sqrt(s);
            for (int r = 0; r < n; r++) { q[2 * (r * n + c)] *= s; q[2 * (r * n + c) + 1] *= s; }
        }
        return q;
    }

    /** Q·diag(d)·Q^H for complex diagonal d (interleaved). */
    static double[] similarity(double[] q, double[] d, int n) {
        double[] qd = q.clone();
        for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) {
            double xr = q[2 * (r * n + c)], xi = q[2 * (r * n + c) + 1];
            qd[2 * (r * n + c)] = xr * d[2 * c] - xi * d[2 * c + 1];
            qd[2 * (r * n + c) + 1] = xr * d[2 * c + 1] + xi * d[2 * c];
        }
        return naiveGemm(qd, adjoint(q, n), n);
    }

    /** max_i |a_i − b_i| over the real and imaginary parts. */
    static double maxEntryDiff(double[] a, double[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
        return w;
    }

    @Test
    void gemmMatchesTheTripleLoop() {
        int n = 13;
        double[] a = random(n, 1), b = random(n, 2), c = new double[2 * n * n];
        k.gemm(a, b, c, n);
        double e = maxEntryDiff(c, naiveGemm(a, b, n));
        assertTrue(e <= DENSE * n, "gemm vs triple loop: " + e);
    }

    static final double[] SPECTRUM = {-3.5, -1, -0.25, 0, 0.5, 0.5, 1.75, 2, 4, 7.5};

    @Test
    void eighFindsKnownEigenvaluesAndVectors() {
        for (boolean real : new boolean[]{false, true}) {
            int n = SPECTRUM.length;
            double[] d = new double[2 * n];
            for (int i = 0; i < n; i++) d[2 * i] = SPECTRUM[n - 1 - i]; // unsorted on the diagonal
            double[] q = unitary(n, real ? 5 : 6, real);
            double[] a = similarity(q, d, n);
            double[] v = new double[2 * n * n], w;
            if (real) {
                double[] ar = new double[n * n], vr = new double[n * n];
                for (int i = 0; i < n * n; i++) ar[i] = a[2 * i];
                w = k.eighReal(ar, n, vr);
                for (int i = 0; i < n * n; i++) v[2 * i] = vr[i];
            } else w = k.eigh(a.clone(), n, v);
            String what = real ? "eighReal" : "eigh";
            for (int i = 0; i < n; i++) assertEquals(SPECTRUM[i], w[i], DENSE * 8, what + ": eigenvalue " + i + " (ascending)");
            double[] av = naiveGemm(a, v, n), vl = v.clone();
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { vl[2 * (i * n + j)] *= w[j]; vl[2 * (i * n + j) + 1] *= w[j]; }
            assertTrue(maxEntryDiff(av, vl) <= DENSE * 8, what + ": ‖AV − VΛ‖ = " + maxEntryDiff(av, vl));
            double[] vhv = naiveGemm(adjoint(v, n), v, n), id = new double[2 * n * n];
            for (int i = 0; i < n; i++) id[2 * (i * n + i)] = 1;
            assertTrue(maxEntryDiff(vhv, id) <= DENSE, what + ": ‖V^H V − I‖ = " + maxEntryDiff(vhv, id));
        }
        double[] w = k.eigh(similarity(unitary(4, 9, false), new double[]{2, 0, -1, 0, 3, 0, 0, 0}, 4), 4, null);
        assertEquals(-1, w[0], DENSE * 4, "eigenvalues without vectors");
    }

    @Test
    void solveLeavesASmallResidual() {
        int n = 12;
        double[] a = random(n, 3), b = random(n, 4);
        for (int i = 0; i < n; i++) a[2 * (i * n + i)] += 2 * Math.sqrt(n); // well conditioned
        double[] x = b.clone();
        k.solve(a.clone(), x, n);
        double e = maxEntryDiff(naiveGemm(a, x, n), b);
        assertTrue(e <= DENSE * n, "‖AX − B‖ = " + e);
    }

    @Test
    void expmMatchesTaylorAndDiagonal() {
        int n = 8;
        double[] a = random(n, 7);
        for (int i = 0; i < a.length; i++) a[i] *= 0.5 / n; // ‖A‖ ≤ 0.5
        double[] sum = new double[2 * n * n], term = new double[2 * n * n];
        for (int i = 0; i < n; i++) sum[2 * (i * n + i)] = term[2 * (i * n + i)] = 1;
        for (int j = 1; j <= 40; j++) {
            term = naiveGemm(term, a, n);
            for (int i = 0; i < term.length; i++) term[i] /= j;
            for (int i = 0; i < sum.length; i++) sum[i] += term[i];
        }
        assertTrue(maxEntryDiff(k.expm(a.clone(), n), sum) <= EXPM, "expm vs 40-term Taylor: " + maxEntryDiff(k.expm(a.clone(), n), sum));
        // e^{diag(z)} = diag(e^z), with |z| up to 6 (squarings).
        double[] z = {1, 2, -3, 0.5, 0, 6, 2.5, -4}, diag = new double[2 * 16], expect = new double[2 * 16];
        for (int i = 0; i < 4; i++) {
            diag[2 * (i * 4 + i)] = z[2 * i];
            diag[2 * (i * 4 + i) + 1] = z[2 * i + 1];
            double m = Math.exp(z[2 * i]);
            expect[2 * (i * 4 + i)] = m * Math.cos(z[2 * i + 1]);
            expect[2 * (i * 4 + i) + 1] = m * Math.sin(z[2 * i + 1]);
        }
        double[] got = k.expm(diag, 4);
        assertTrue(maxEntryDiff(got, expect) <= EXPM * 20, "expm of a diagonal: " + maxEntryDiff(got, expect)); // entries up to e^{2.5} = 12
    }

    @Test
    void expHermitianMatchesTheKnownDecomposition() {
        int n = SPECTRUM.length;
        double t = 1.7;
        double[] q = unitary(n, 8, false), d = new double[2 * n], ph = new double[2 * n];
        for (int i = 0; i < n; i++) {
            d[2 * i] = SPECTRUM[i];
            ph[2 * i] = Math.cos(SPECTRUM[i] * t);
            ph[2 * i + 1] = -Math.sin(SPECTRUM[i] * t);
        }
        double[] got = k.expHermitian(similarity(q, d, n), n, t);
        double[] expect = similarity(q, ph, n);
        assertTrue(maxEntryDiff(got, expect) <= EXPM, "expHermitian vs Q e^{-itL} Q^H: " + maxEntryDiff(got, expect));
    }

    /** A ring of 4 modes with 5 bosons (dimension 56): its CSR matrix and its matrix-free operator. */
    static FockHamiltonian ring() {
        return FockHamiltonian.of(new FockBasis(5, 4), ModeIntegrals.ring(4, 1, 2));
    }

    static double[] randomState(int d, long seed) {
        Random r = new Random(seed);
        double[] psi = new double[2 * d];
        double s = 0;
        for (int i = 0; i < psi.length; i++) { psi[i] = r.nextGaussian(); s += psi[i] * psi[i]; }
        for (int i = 0; i < psi.length; i++) psi[i] /= Math.sqrt(s);
        return psi;
    }

    /** The Krylov primitives (apply, dot, norm, axpy, scale, combine) on the backend's vectors against plain loops. */
    @Test
    void krylovPrimitivesMatchPlainLoops() {
        for (FockOperator h : List.<FockOperator>of(ring().toCsr(), ring().matrixFree())) {
            krylovPrimitives(k.krylov(h), h);
        }
    }

    private static <V> void krylovPrimitives(KrylovOps<V> ops, FockOperator h) {
        try (ops) {
            int d = h.dimension();
            double[] x = randomState(d, 1), y = randomState(d, 2), hx = new double[2 * d], out = new double[2 * d];
            h.apply(x, hx);
            V vx = ops.allocate(), vy = ops.allocate(), vz = ops.allocate();
            ops.upload(x, vx);
            ops.upload(y, vy);
            ops.apply(vx, vz);
            ops.download(vz, out);
            String what = h.nonZeros() < 0 ? "matrix-free" : "csr";
            assertTrue(maxEntryDiff(out, hx) <= DENSE, what + ": H x");
            double dr = 0, di = 0, nx = 0;
            for (int i = 0; i < 2 * d; i += 2) {
                dr += x[i] * y[i] + x[i + 1] * y[i + 1];
                di += x[i] * y[i + 1] - x[i + 1] * y[i];
                nx += x[i] * x[i] + x[i + 1] * x[i + 1];
            }
            double[] dot = ops.dot(vx, vy);
            assertEquals(dr, dot[0], DENSE, what + ": Re<x, y>");
            assertEquals(di, dot[1], DENSE, what + ": Im<x, y>");
            assertEquals(Math.sqrt(nx), ops.norm(vx), DENSE, what + ": ‖x‖");
            ops.axpy(0.3, -0.7, vx, vy); // y += (0.3 − 0.7i) x
            ops.scale(2, vy);
            ops.download(vy, out);
            double[] expect = new double[2 * d];
            for (int i = 0; i < 2 * d; i += 2) {
                expect[i] = 2 * (y[i] + 0.3 * x[i] + 0.7 * x[i + 1]);
                expect[i + 1] = 2 * (y[i + 1] + 0.3 * x[i + 1] - 0.7 * x[i]);
            }
            assertTrue(maxEntryDiff(out, expect) <= DENSE, what + ": axpy, scale");
            List<V> basis = new ArrayList<>(List.of(vx, vz));
            ops.combine(basis, 2, new double[]{0.5, 1, -2, 0.25}, vy);
            ops.download(vy, out);
            for (int i = 0; i < 2 * d; i += 2) {
                expect[i] = 0.5 * x[i] - x[i + 1] - 2 * hx[i] - 0.25 * hx[i + 1];
                expect[i + 1] = 0.5 * x[i + 1] + x[i] - 2 * hx[i + 1] + 0.25 * hx[i];
            }
            assertTrue(maxEntryDiff(out, expect) <= DENSE * 10, what + ": combine");
        }
    }

    /** exp(−itH)ψ by Lanczos and by Chebyshev, on the CSR matrix and matrix-free, against the dense exponential. */
    @Test
    void expmvMatchesTheDenseExponential() {
        FockHamiltonian fh = ring();
        CsrMatrix csr = fh.toCsr();
        int d = csr.dimension();
        double t = 1.3;
        double[] u = k.expHermitian(csr.toDense(), d, t);
        double[] psi = randomState(d, 5);
        double[] ref = new double[2 * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
            double ur = u[2 * (i * d + j)], ui = u[2 * (i * d + j) + 1];
            ref[2 * i] += ur * psi[2 * j] - ui * psi[2 * j + 1];
            ref[2 * i + 1] += ur * psi[2 * j + 1] + ui * psi[2 * j];
        }
        for (FockOperator h : List.<FockOperator>of(csr, fh.matrixFree()))
            for (ExpmvOptions.Method m : new ExpmvOptions.Method[]{ExpmvOptions.Method.LANCZOS, ExpmvOptions.Method.CHEBYSHEV}) {
                double[] p = psi.clone();
                k.expmv(h, p, t, ExpmvOptions.of(KRYLOV_TOL).withMethod(m));
                double e = 0;
                for (int i = 0; i < p.length; i += 2) e += Math.pow(p[i] - ref[i], 2) + Math.pow(p[i + 1] - ref[i + 1], 2);
                e = Math.sqrt(e);
                assertTrue(e <= KRYLOV, (h.nonZeros() < 0 ? "matrix-free" : "csr") + ", " + m + ": ‖exp(-itH)psi − dense‖ = " + e);
            }
    }
}
