package io.hartree.api.fock;

import io.hartree.api.KrylovOps;

import io.hartree.api.ParameterException;

/**
 * exp(−itH)ψ for a large sparse Hermitian H, written once on {@link KrylovOps}.
 *
 * <p><b>Lanczos</b> (Saad 1992; step control after Expokit, Sidje 1998): from v_1 = ψ/β,
 * β = ‖ψ‖, the three-term recurrence builds V_j and the tridiagonal T_j, and
 * exp(−iτH)ψ ≈ β V_j exp(−iτT_j) e_1. The a-posteriori error of a sub-step of length τ is
 * estimated from err₁ = β β_{j+1} |e_j^T exp(−iτT_j) e_1| and err₂ = β β_{j+1} τ |e_j^T φ₁(−iτT_j) e_1|,
 * φ₁(z) = (e^z − 1)/z, combined as in Expokit (err₂ when err₁ &gt; 10 err₂, else
 * err₁err₂/(err₁ − err₂) when err₁ &gt; err₂, else err₁). A sub-step is accepted when
 * err ≤ tol·τ/t, so the sum of the estimates stays ≤ tol. The basis grows until the whole remaining
 * interval passes (checked after every product, O(j²) with the tridiagonal QL on two tracked rows)
 * or until the largest allowed dimension, where the longest passing τ is chosen on that basis.
 * No reorthogonalisation above 20 000 states: for the exponential the loss of orthogonality does
 * not spoil the approximation (Druskin–Greenbaum–Knizhnerman 1998); smaller sectors, whose basis
 * can run up to their dimension, get one full Gram–Schmidt pass per step. The tests check both
 * against dense results.
 *
 * <p><b>Chebyshev</b> (Tal-Ezer–Kosloff 1984): with the Gershgorin interval [c − ρ, c + ρ],
 * exp(−iHt) = e^{−ict} Σ_k (2 − δ_k0)(−i)^k J_k(ρt) T_k((H − c)/ρ), truncated at the first K with
 * 2 Σ_{k&gt;K} |J_k(ρt)| ≤ tol — a rigorous bound since ‖T_k‖ ≤ 1 on the interval. It needs four
 * vectors and about ρt + O((ρt)^{1/3} + log 1/tol) products.
 */
public final class Expmv {
    private Expmv() {}

    /** Replaces ψ (host, interleaved) by exp(−itH)ψ. */
    public static <V> ExpmvResult apply(KrylovOps<V> ops, FockOperator h, double[] psi, double t, ExpmvOptions opt) {
        return apply(ops, null, h, psi, t, opt);
    }

    /**
     * Replaces ψ by exp(−itH)ψ; when H is real, ψ is real and {@code realOps} (primitives on real
     * vectors of length dim) is given, the Krylov vectors stay real: T_k(H̃)ψ and the Lanczos basis
     * are real, only the coefficients are complex — half the work per product. A Lanczos run that
     * needs more than one sub-step continues from the then complex state with {@code ops}.
     */
    public static <V, W> ExpmvResult apply(KrylovOps<V> ops, KrylovOps<W> realOps, FockOperator h, double[] psi, double t, ExpmvOptions opt) {
        ParameterException.require(Double.isFinite(t), "t", t, "finite");
        ExpmvOptions.Method method = opt.method();
        int maxK = (int) Math.max(2, Math.min(opt.maxKrylov(), opt.memoryBudgetBytes() / Math.max(1, ops.vectorBytes()) - 2));
        maxK = Math.min(maxK, h.dimension());
        double[] bounds = null;
        if (method == ExpmvOptions.Method.AUTO) {
            bounds = h.spectralBounds();
            double rhoT = 0.5 * (bounds[1] - bounds[0]) * Math.abs(t);
            method = (rhoT > 400 || maxK < 12) ? ExpmvOptions.Method.CHEBYSHEV : ExpmvOptions.Method.LANCZOS;
        }
        if (t == 0) return new ExpmvResult(method.name().toLowerCase(), 0, 0, 0, 0);
        boolean real = realOps != null && h.isReal() && imaginaryFree(psi);
        if (method == ExpmvOptions.Method.CHEBYSHEV) {
            if (bounds == null) bounds = h.spectralBounds();
            return real ? chebyshev(realOps, true, bounds, psi, t, opt.tol()) : chebyshev(ops, false, bounds, psi, t, opt.tol());
        }
        if (!real) return lanczos(ops, false, h.dimension(), psi, t, opt.tol(), maxK);
        int maxKr = (int) Math.max(2, Math.min(Math.min(opt.maxKrylov(), h.dimension()), opt.memoryBudgetBytes() / Math.max(1, realOps.vectorBytes()) - 4));
        double[] done = new double[1];
        ExpmvResult first = lanczos(realOps, true, h.dimension(), psi, t, opt.tol(), maxKr, done);
        if (done[0] >= Math.abs(t) * (1 - 1e-15)) return first;
        double rest = Math.signum(t) * (Math.abs(t) - done[0]);
        // The tolerance left for the rest keeps the total ≤ tol (the first sub-step met tol·τ₁/t).
        ExpmvResult more = lanczos(ops, false, h.dimension(), psi, rest, opt.tol() * Math.abs(rest / t), maxK);
        return new ExpmvResult("lanczos", first.errorEstimate() + more.errorEstimate(), first.matvecs() + more.matvecs(),
                first.steps() + more.steps(), Math.max(first.krylovDimension(), more.krylovDimension()));
    }

    private static boolean imaginaryFree(double[] psi) {
        for (int i = 1; i < psi.length; i += 2) if (psi[i] != 0) return false;
        return true;
    }

    // ---------------------------------------------------------------- Lanczos

    /** Sectors up to this dimension are fully reorthogonalised (cheap there, and their basis can reach the dimension). */
    static final int REORTHOGONALISE_BELOW = 20_000;

    static <V> ExpmvResult lanczos(KrylovOps<V> ops, boolean realMode, int dim, double[] psi, double t, double tol, int maxK) {
        return lanczos(ops, realMode, dim, psi, t, tol, maxK, new double[1]);
    }

    /**
     * In real mode (real H, real ψ, real vectors) only the first sub-step is taken: its result is
     * complex; {@code doneOut[0]} receives the time covered.
     */
    static <V> ExpmvResult lanczos(KrylovOps<V> ops, boolean realMode, int dim, double[] psi, double t, double tol, int maxK, double[] doneOut) {
        V w = ops.allocate();
        ops.upload(psi, w);
        return lanczos(ops, realMode, dim, w, psi, t, tol, maxK, doneOut);
    }

    /**
     * Lanczos exp(−itH)w with the state resident in the backend's vector {@code w} (replaced by
     * the result; it never crosses to the host): for sectors whose state does not fit a Java
     * array (dim ≥ 2³⁰), on a backend with 64-bit vectors. Same method, estimates and sub-step
     * control as {@link #apply}; {@code maxK} is the largest basis (capped by the caller's memory).
     */
    public static <V> ExpmvResult lanczosResident(KrylovOps<V> ops, long dim, V w, double t, double tol, int maxK) {
        ParameterException.require(Double.isFinite(t), "t", t, "finite");
        ParameterException.require(tol > 0 && tol < 1, "--tol", tol, "0 < tol < 1");
        ParameterException.require(maxK >= 2, "krylov dimension", maxK, "≥ 2");
        if (t == 0) return new ExpmvResult("lanczos", 0, 0, 0, 0);
        return lanczos(ops, false, dim, w, null, t, tol, (int) Math.min(maxK, dim), new double[1]);
    }

    /** The Lanczos loop on the resident w; with {@code psi} non-null the result is downloaded into it. */
    private static <V> ExpmvResult lanczos(KrylovOps<V> ops, boolean realMode, long dim, V w, double[] psi, double t, double tol, int maxK, double[] doneOut) {
        java.util.List<V> basis = new java.util.ArrayList<>();
        double beta = ops.norm(w);
        if (beta == 0) return new ExpmvResult("lanczos", 0, 0, 0, 0);
        double sign = Math.signum(t), tAbs = Math.abs(t);
        double done = 0, errSum = 0;
        long matvecs = 0;
        int steps = 0, maxUsed = 0;
        double[] alpha = new double[maxK + 1], betas = new double[maxK + 2];
        boolean reorthogonalise = dim <= REORTHOGONALISE_BELOW;
        double normH = 0;
        while (done < tAbs * (1 - 1e-15)) {
            double rem = tAbs - done;
            if (basis.isEmpty()) basis.add(ops.allocate());
            ops.scale(0, basis.get(0));
            ops.axpy(1 / beta, 0, w, basis.get(0));
            int j = 0;
            double tau = -1, err = 0;
            while (true) {
                if (basis.size() < j + 2) basis.add(ops.allocate());
                V u = basis.get(j + 1);
                // α_j = ⟨v_j, H v_j⟩ (exact in exact arithmetic even with the β_j v_{j−1} term, which is orthogonal to v_j).
                alpha[j] = ops.applyDot(basis.get(j), u);
                matvecs++;
                double b = ops.lanczosUpdate(u, alpha[j], basis.get(j), j > 0 ? betas[j] : 0, j > 0 ? basis.get(j - 1) : null);
                if (reorthogonalise) {
                    // Small sectors run the basis up to their dimension, where lost orthogonality would
                    // spoil the estimate; there one Gram–Schmidt pass costs little.
                    for (int q = 0; q <= j; q++) {
                        double[] d = ops.dot(basis.get(q), u);
                        ops.axpy(-d[0], -d[1], basis.get(q), u);
                    }
                    b = ops.norm(u);
                }
                betas[j + 1] = b;
                normH = Math.max(normH, Math.abs(alpha[j]) + b + (j > 0 ? betas[j] : 0));
                int size = j + 1;
                boolean happy = b <= 1e-14 * Math.max(normH, 1e-300);
                if (happy) { tau = rem; err = 0; j = size; break; }
                ops.scale(1 / b, u);
                // Error estimate for the whole remaining interval on the basis of this size.
                Spectrum sp = Spectrum.tracked(alpha, betas, size);
                double e = sp.error(beta * b, rem * 1.0);
                if (e <= tol * rem / tAbs) { tau = rem; err = e; j = size; break; }
                if (size >= maxK) {
                    // Longest sub-step that passes on this basis: bisection in log τ (err grows with τ).
                    double lo = 0, hi = rem;
                    for (int it = 0; it < 80; it++) {
                        double mid = it < 40 ? Math.sqrt(Math.max(lo, rem * 1e-12) * hi) : 0.5 * (lo + hi);
                        if (sp.error(beta * b, mid) <= tol * mid / tAbs) lo = mid; else hi = mid;
                    }
                    if (lo <= 0) throw new IllegalStateException("Lanczos: no sub-step passes tol " + tol + " with " + size + " vectors; raise the Krylov dimension or tol");
                    tau = lo;
                    err = sp.error(beta * b, lo);
                    j = size;
                    break;
                }
                j++;
            }
            maxUsed = Math.max(maxUsed, j);
            double[] y = Spectrum.full(alpha, betas, j).expTimesE1(sign * tau);
            for (int k = 0; k < 2 * j; k++) y[k] *= beta;
            if (realMode) {
                // Real basis, complex coefficients: ψ = V Re(y) + i V Im(y).
                double[] yr = new double[2 * j], yi = new double[2 * j];
                for (int k = 0; k < j; k++) { yr[2 * k] = y[2 * k]; yi[2 * k] = y[2 * k + 1]; }
                V wi = ops.allocate();
                ops.combine(basis, j, yr, w);
                ops.combine(basis, j, yi, wi);
                double[] im = new double[psi.length];
                ops.download(w, psi);  // the real parts (imaginary parts 0, set next)
                ops.download(wi, im);
                for (int i = 0; i < psi.length; i += 2) psi[i + 1] = im[i];
                doneOut[0] = tau;
                return new ExpmvResult("lanczos", err, matvecs, 1, j);
            }
            ops.combine(basis, j, y, w);
            beta = ops.norm(w);
            done += tau;
            errSum += err;
            steps++;
        }
        if (psi != null) ops.download(w, psi);
        doneOut[0] = done;
        return new ExpmvResult("lanczos", errSum, matvecs, steps, maxUsed);
    }

    /**
     * Eigen-decomposition of a symmetric tridiagonal T (diagonal a, off-diagonal b[1..n−1]) by
     * the implicit QL algorithm, tracking either every row of the eigenvector matrix or only
     * the first and last (enough for the error estimate, O(n²) instead of O(n³)).
     */
    static final class Spectrum {
        final int n;
        final double[] lambda;
        final double[] first;
        final double[] last;
        final double[] q; // full eigenvectors (row-major, columns = vectors) or null

        private Spectrum(int n, double[] lambda, double[] first, double[] last, double[] q) {
            this.n = n; this.lambda = lambda; this.first = first; this.last = last; this.q = q;
        }

        static Spectrum tracked(double[] a, double[] b, int n) { return compute(a, b, n, false); }

        static Spectrum full(double[] a, double[] b, int n) { return compute(a, b, n, true); }

        private static Spectrum compute(double[] a, double[] b, int n, boolean full) {
            double[] d = new double[n], e = new double[n];
            System.arraycopy(a, 0, d, 0, n);
            for (int i = 0; i + 1 < n; i++) e[i] = b[i + 1];
            int rowsTracked = full ? n : (n == 1 ? 1 : 2);
            double[][] z = new double[rowsTracked][n];
            if (full) for (int i = 0; i < n; i++) z[i][i] = 1;
            else { z[0][0] = 1; if (n > 1) z[1][n - 1] = 1; }
            tqli(d, e, n, z);
            double[] q = null;
            if (full) {
                q = new double[n * n];
                for (int r = 0; r < n; r++) System.arraycopy(z[r], 0, q, r * n, n);
            }
            return new Spectrum(n, d, z[0], full ? z[n - 1] : z[rowsTracked - 1], q);
        }

        /** Expokit's combination of the two a-posteriori estimates for a sub-step τ. */
        double error(double betaTimesNext, double tau) {
            double e1r = 0, e1i = 0, e2r = 0, e2i = 0;
            for (int k = 0; k < n; k++) {
                double w = first[k] * last[k];
                double x = -tau * lambda[k];
                e1r += w * Math.cos(x);
                e1i += w * Math.sin(x);
                // φ₁(ix) = (e^{ix} − 1)/(ix)
                double pr, pi;
                if (Math.abs(x) < 1e-4) { pr = 1 - x * x / 6; pi = x / 2 - x * x * x / 24; }
                else { pr = Math.sin(x) / x; pi = (1 - Math.cos(x)) / x; }
                e2r += w * pr;
                e2i += w * pi;
            }
            double err1 = betaTimesNext * Math.hypot(e1r, e1i);
            double err2 = betaTimesNext * tau * Math.hypot(e2r, e2i);
            if (err1 > 10 * err2) return err2;
            if (err1 > err2) return err1 * err2 / (err1 - err2);
            return err1;
        }

        /** exp(−iτT) e_1 as interleaved complex, length 2n. */
        double[] expTimesE1(double tau) {
            double[] y = new double[2 * n];
            for (int k = 0; k < n; k++) {
                double x = -tau * lambda[k], c = Math.cos(x), s = Math.sin(x), w = q[k]; // q[0*n + k] = first row
                for (int r = 0; r < n; r++) {
                    double v = q[r * n + k] * w;
                    y[2 * r] += v * c;
                    y[2 * r + 1] += v * s;
                }
            }
            return y;
        }
    }

    /** Implicit QL with Wilkinson shifts (Numerical Recipes' tqli, 0-based); e[i] = T[i][i+1]. */
    static void tqli(double[] d, double[] e, int n, double[][] z) {
        for (int l = 0; l < n; l++) {
            int iter = 0, mm;
            do {
                for (mm = l; mm < n - 1; mm++) {
                    double dd = Math.abs(d[mm]) + Math.abs(d[mm + 1]);
                    if (Math.abs(e[mm]) <= 1e-16 * dd) break;
                }
                if (mm != l) {
                    if (iter++ == 100) throw new IllegalStateException("tridiagonal QL did not converge");
                    double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                    double r = Math.hypot(g, 1.0);
                    g = d[mm] - d[l] + e[l] / (g + Math.copySign(r, g));
                    double s = 1, c = 1, p = 0;
                    int i;
                    for (i = mm - 1; i >= l; i--) {
                        double f = s * e[i], b = c * e[i];
                        e[i + 1] = (r = Math.hypot(f, g));
                        if (r == 0.0) {
                            d[i + 1] -= p;
                            e[mm] = 0.0;
                            break;
                        }
                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2.0 * c * b;
                        d[i + 1] = g + (p = s * r);
                        g = c * r - b;
                        for (double[] row : z) {
                            f = row[i + 1];
                            row[i + 1] = s * row[i] + c * f;
                            row[i] = c * row[i] - s * f;
                        }
                    }
                    if (r == 0.0 && i >= l) continue;
                    d[l] -= p;
                    e[l] = g;
                    e[mm] = 0.0;
                }
            } while (mm != l);
        }
    }

    // ---------------------------------------------------------------- Chebyshev

    static <V> ExpmvResult chebyshev(KrylovOps<V> ops, boolean realMode, double[] bounds, double[] psi, double t, double tol) {
        double c = 0.5 * (bounds[0] + bounds[1]);
        double rho = 0.5 * (bounds[1] - bounds[0]);
        // A margin so that round-off in the bounds cannot put an eigenvalue outside [−1, 1].
        rho = rho * (1 + 1e-12) + 1e-300 + 1e-14 * Math.abs(c);
        double z = rho * Math.abs(t);
        double[] j = besselJ(z);
        int kMax = j.length - 1;
        double tail = 0;
        int kUse = kMax;
        for (int k = kMax; k >= 1; k--) {
            tail += Math.abs(j[k]);
            if (2 * tail > tol) { kUse = k; break; }
            if (k == 1) kUse = 0;
        }
        double bound = 0;
        for (int k = kUse + 1; k <= kMax; k++) bound += 2 * Math.abs(j[k]);
        V prev = ops.allocate(), cur = ops.allocate(), next = ops.allocate(), acc = ops.allocate();
        // Real mode: (−i)^k is real for even k and imaginary for odd k, so two real accumulators hold Re and Im.
        V accIm = realMode ? ops.allocate() : null;
        ops.upload(psi, cur);
        ops.axpy(j[0], 0, cur, acc);
        // (−i)^k with the sign of t: exp(−iHt) for t < 0 is the conjugate expansion.
        double sgn = Math.signum(t);
        long matvecs = 0;
        for (int k = 1; k <= kUse; k++) {
            int phase = k % 4; // (−i)^k = 1, −i, −1, i
            double pr = phase == 0 ? 1 : phase == 2 ? -1 : 0;
            double pi = phase == 1 ? -1 : phase == 3 ? 1 : 0;
            double cr = 2 * j[k] * pr, ci = 2 * j[k] * pi * sgn;
            V target = acc;
            if (realMode && (k & 1) == 1) { target = accIm; cr = ci; ci = 0; }
            if (k == 1) ops.chebyshevStep(prev, cur, next, 1 / rho, -c / rho, cr, ci, target);
            else ops.chebyshevStep(prev, cur, next, 2 / rho, -2 * c / rho, cr, ci, target);
            matvecs++;
            V tmp = prev; prev = cur; cur = next; next = tmp;
        }
        ops.download(acc, psi);
        if (realMode) {
            double[] im = new double[psi.length];
            ops.download(accIm, im);
            for (int i = 0; i < psi.length; i += 2) psi[i + 1] = im[i];
        }
        // Global phase e^{−ict}, in place.
        double ph = -c * t, cr = Math.cos(ph), ci = Math.sin(ph);
        for (int i = 0; i < psi.length; i += 2) {
            double a = psi[i], b = psi[i + 1];
            psi[i] = a * cr - b * ci;
            psi[i + 1] = a * ci + b * cr;
        }
        return new ExpmvResult("chebyshev", bound, matvecs, 1, kUse);
    }

    /**
     * J_k(z), k = 0 … K with K = z + 40 z^{1/3} + 60, by Miller's backward recurrence
     * J_{k−1} = (2k/z) J_k − J_{k+1} (stable for the minimal solution), normalised with
     * J_0 + 2 Σ J_{2k} = 1, rescaled on the way to avoid overflow.
     */
    static double[] besselJ(double z) {
        if (z == 0) return new double[]{1};
        int kMax = (int) Math.ceil(z + 40 * Math.cbrt(z) + 60);
        int start = kMax + 30;
        double[] jj = new double[start + 2];
        jj[start + 1] = 0;
        jj[start] = 1e-300;
        for (int k = start; k >= 1; k--) {
            jj[k - 1] = (2.0 * k / z) * jj[k] - jj[k + 1];
            if (Math.abs(jj[k - 1]) > 1e250) {
                for (int q = k - 1; q <= start; q++) jj[q] *= 1e-250;
            }
        }
        double s = jj[0];
        for (int k = 2; k <= start; k += 2) s += 2 * jj[k];
        double[] out = new double[kMax + 1];
        for (int k = 0; k <= kMax; k++) out[k] = jj[k] / s;
        return out;
    }
}
