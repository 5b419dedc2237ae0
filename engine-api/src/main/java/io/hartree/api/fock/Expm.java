package io.hartree.api.fock;

import io.hartree.api.FockKernels;

/**
 * Dense matrix exponentials, written once on the backend's complex GEMM and solve
 * ({@link FockKernels}).
 */
public final class Expm {
    private Expm() {}

    static final double[] B13 = {64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
            129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0, 40840800.0, 960960.0,
            16380.0, 182.0, 1.0};
    /** θ₁₃ of Higham (2005), Table 2.3: the largest ‖A‖₁ for which r₁₃ meets double precision. */
    static final double THETA13 = 5.371920351148152;

    /**
     * e^A for a general complex n×n A (interleaved, row-major; not modified) by scaling and
     * squaring with the [13/13] Padé approximant (Higham 2005, Algorithm 2.3, degree 13 only):
     * s = max(0, ⌈log₂(‖A‖₁/θ₁₃)⌉), A ← A/2^s, U = A[A₆(b₁₃A₆ + b₁₁A₄ + b₉A₂) + b₇A₆ + b₅A₄ + b₃A₂ + b₁I],
     * V = A₆(b₁₂A₆ + b₁₀A₄ + b₈A₂) + b₆A₆ + b₄A₄ + b₂A₂ + b₀I, r₁₃ = (V − U)⁻¹(V + U), e^A = r₁₃^{2^s}.
     * Costs 6 + s GEMMs and one solve.
     */
    public static double[] pade13(FockKernels k, double[] a, int n) {
        int len = 2 * n * n;
        double norm1 = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.hypot(a[2 * (i * n + j)], a[2 * (i * n + j) + 1]);
            norm1 = Math.max(norm1, s);
        }
        int s = norm1 <= THETA13 ? 0 : (int) Math.ceil(Math.log(norm1 / THETA13) / Math.log(2));
        double scale = Math.scalb(1.0, -s);
        double[] as = new double[len];
        for (int i = 0; i < len; i++) as[i] = a[i] * scale;
        double[] a2 = new double[len], a4 = new double[len], a6 = new double[len];
        k.gemm(as, as, a2, n);
        k.gemm(a2, a2, a4, n);
        k.gemm(a4, a2, a6, n);
        double[] tmp = new double[len], u = new double[len], v = new double[len];
        double[] b = B13;
        for (int i = 0; i < len; i++) tmp[i] = b[13] * a6[i] + b[11] * a4[i] + b[9] * a2[i];
        double[] w = new double[len];
        k.gemm(a6, tmp, w, n);
        for (int i = 0; i < len; i++) w[i] += b[7] * a6[i] + b[5] * a4[i] + b[3] * a2[i];
        for (int i = 0; i < n; i++) w[2 * (i * n + i)] += b[1];
        k.gemm(as, w, u, n);
        for (int i = 0; i < len; i++) tmp[i] = b[12] * a6[i] + b[10] * a4[i] + b[8] * a2[i];
        k.gemm(a6, tmp, v, n);
        for (int i = 0; i < len; i++) v[i] += b[6] * a6[i] + b[4] * a4[i] + b[2] * a2[i];
        for (int i = 0; i < n; i++) v[2 * (i * n + i)] += b[0];
        double[] p = new double[len], q = new double[len];
        for (int i = 0; i < len; i++) { p[i] = v[i] + u[i]; q[i] = v[i] - u[i]; }
        k.solve(q, p, n);
        double[] r = p, r2 = tmp;
        for (int i = 0; i < s; i++) {
            k.gemm(r, r, r2, n);
            double[] x = r; r = r2; r2 = x;
        }
        return r;
    }

    /**
     * exp(−itH) = Q e^{−itΛ} Q^H for Hermitian H (interleaved n×n, not modified) from the backend's
     * eigendecomposition (real symmetric path when H is real).
     */
    public static double[] expHermitian(FockKernels k, double[] h, int n, double t) {
        Eigen e = Eigen.of(k, h, n);
        return e.exp(k, t);
    }

    /** A Hermitian eigendecomposition H = Q Λ Q^H kept for repeated exponentials. */
    public record Eigen(int n, double[] values, double[] vectors) {
        /** Decomposes H (interleaved n×n); real H goes to the backend's real symmetric solver. */
        public static Eigen of(FockKernels k, double[] h, int n) {
            boolean real = true;
            for (int i = 1; i < h.length; i += 2) if (h[i] != 0) { real = false; break; }
            double[] vec = new double[2 * n * n];
            double[] w;
            if (real) {
                double[] hr = new double[n * n], vr = new double[n * n];
                for (int i = 0; i < n * n; i++) hr[i] = h[2 * i];
                w = k.eighReal(hr, n, vr);
                for (int i = 0; i < n * n; i++) vec[2 * i] = vr[i];
            } else {
                w = k.eigh(h.clone(), n, vec);
            }
            return new Eigen(n, w, vec);
        }

        /** exp(−itH) as a dense interleaved matrix. */
        public double[] exp(FockKernels k, double t) {
            double[] qd = new double[2 * n * n], qh = new double[2 * n * n], out = new double[2 * n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double c = Math.cos(-t * values[j]), s = Math.sin(-t * values[j]);
                    double a = vectors[2 * (i * n + j)], b = vectors[2 * (i * n + j) + 1];
                    qd[2 * (i * n + j)] = a * c - b * s;
                    qd[2 * (i * n + j) + 1] = a * s + b * c;
                    qh[2 * (j * n + i)] = a;
                    qh[2 * (j * n + i) + 1] = -b;
                }
            k.gemm(qd, qh, out, n);
            return out;
        }

        /** exp(−itH)ψ = Q e^{−itΛ} Q^H ψ (ψ interleaved, length 2n), O(n²). */
        public double[] apply(double[] psi, double t) {
            double[] c = new double[2 * n];
            for (int j = 0; j < n; j++) {
                double sr = 0, si = 0;
                for (int i = 0; i < n; i++) {
                    double a = vectors[2 * (i * n + j)], b = -vectors[2 * (i * n + j) + 1];
                    sr += a * psi[2 * i] - b * psi[2 * i + 1];
                    si += a * psi[2 * i + 1] + b * psi[2 * i];
                }
                double co = Math.cos(-t * values[j]), sn = Math.sin(-t * values[j]);
                c[2 * j] = sr * co - si * sn;
                c[2 * j + 1] = sr * sn + si * co;
            }
            double[] out = new double[2 * n];
            for (int i = 0; i < n; i++) {
                double sr = 0, si = 0;
                for (int j = 0; j < n; j++) {
                    double a = vectors[2 * (i * n + j)], b = vectors[2 * (i * n + j) + 1];
                    sr += a * c[2 * j] - b * c[2 * j + 1];
                    si += a * c[2 * j + 1] + b * c[2 * j];
                }
                out[2 * i] = sr;
                out[2 * i + 1] = si;
            }
            return out;
        }
    }

    /**
     * Solves A X = B in place (B ← X) for complex n×n A (destroyed) and n right-hand sides, by LU
     * with partial pivoting. The pure-Java default of {@link FockKernels#solve}.
     */
    public static void luSolve(double[] a, double[] b, int n) {
        for (int col = 0; col < n; col++) {
            int piv = col;
            double best = -1;
            for (int r = col; r < n; r++) {
                double m = Math.hypot(a[2 * (r * n + col)], a[2 * (r * n + col) + 1]);
                if (m > best) { best = m; piv = r; }
            }
            if (best == 0) throw new ArithmeticException("singular matrix in the Padé solve");
            if (piv != col) { swapRows(a, n, piv, col); swapRows(b, n, piv, col); }
            double pr = a[2 * (col * n + col)], pi = a[2 * (col * n + col) + 1], den = pr * pr + pi * pi;
            double ir = pr / den, ii = -pi / den;
            for (int r = col + 1; r < n; r++) {
                double xr = a[2 * (r * n + col)], xi = a[2 * (r * n + col) + 1];
                double fr = xr * ir - xi * ii, fi = xr * ii + xi * ir;
                if (fr == 0 && fi == 0) continue;
                for (int c = col; c < n; c++) {
                    double yr = a[2 * (col * n + c)], yi = a[2 * (col * n + c) + 1];
                    a[2 * (r * n + c)] -= fr * yr - fi * yi;
                    a[2 * (r * n + c) + 1] -= fr * yi + fi * yr;
                }
                for (int c = 0; c < n; c++) {
                    double yr = b[2 * (col * n + c)], yi = b[2 * (col * n + c) + 1];
                    b[2 * (r * n + c)] -= fr * yr - fi * yi;
                    b[2 * (r * n + c) + 1] -= fr * yi + fi * yr;
                }
            }
        }
        for (int col = n - 1; col >= 0; col--) {
            double pr = a[2 * (col * n + col)], pi = a[2 * (col * n + col) + 1], den = pr * pr + pi * pi;
            double ir = pr / den, ii = -pi / den;
            for (int c = 0; c < n; c++) {
                double yr = b[2 * (col * n + c)], yi = b[2 * (col * n + c) + 1];
                b[2 * (col * n + c)] = yr * ir - yi * ii;
                b[2 * (col * n + c) + 1] = yr * ii + yi * ir;
            }
            for (int r = 0; r < col; r++) {
                double fr = a[2 * (r * n + col)], fi = a[2 * (r * n + col) + 1];
                if (fr == 0 && fi == 0) continue;
                for (int c = 0; c < n; c++) {
                    double yr = b[2 * (col * n + c)], yi = b[2 * (col * n + c) + 1];
                    b[2 * (r * n + c)] -= fr * yr - fi * yi;
                    b[2 * (r * n + c) + 1] -= fr * yi + fi * yr;
                }
            }
        }
    }

    private static void swapRows(double[] a, int n, int r1, int r2) {
        for (int c = 0; c < 2 * n; c++) {
            double t = a[2 * r1 * n + c];
            a[2 * r1 * n + c] = a[2 * r2 * n + c];
            a[2 * r2 * n + c] = t;
        }
    }
}
