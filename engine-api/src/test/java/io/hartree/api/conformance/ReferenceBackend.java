package io.hartree.api.conformance;

import io.hartree.api.Availability;
import io.hartree.api.Backend;
import io.hartree.api.BackendSession;
import io.hartree.api.Capabilities;
import io.hartree.api.ParameterException;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.FockKernels;
import io.hartree.api.fock.FockOperator;
import io.hartree.api.KrylovOps;
import io.hartree.api.model.Components;
import io.hartree.api.model.Grid3D;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.Observables;
import io.hartree.api.model.TimeMode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A slow, obviously correct backend "reference" written straight from the formulas, for the
 * conformance kit (test scope only: it is in no main jar's {@code META-INF/services}). Priority
 * −100, so {@code auto} never picks it where a test class path registers it.
 *
 * <ul>
 *   <li>Transforms: the separable DFT F ψ(k) = Σ_x ψ(x) e^{−2πi k·x/n} along each axis by direct
 *       summation with precomputed twiddles (no FFT); the inverse carries 1/n per axis.</li>
 *   <li>One Strang step of size τ: φ ← F⁻¹ e^{−iτT/2} F · e^{−iτW} · F⁻¹ e^{−iτT/2} F φ with
 *       T = a|k|² and W = U + V*|φ|² on the state after the first half step; the half kicks of
 *       consecutive steps are <em>not</em> merged. FOURTH is S(w₁τ)S(w₀τ)S(w₁τ).</li>
 *   <li>Imaginary time: e^{−τ·} for e^{−iτ·}, φ renormalised to 1 after every step; the density in
 *       W is normalised to 1; imaginary-time Strang with an interaction takes W from the state at
 *       the start of the step ({@code Scheme.startOfStepDensity}, docs/hartree.md).</li>
 *   <li>Convolution: V*ρ = c2r(table · r2c(ρ zero-padded to m³)) with engine-api's
 *       {@link ConvolutionKernel} table (periodic m = n, padded and truncated m = 2n), written
 *       here as the complex DFT of the padded ρ times the even table; contact is gρ.</li>
 *   <li>Observables: the definitions of {@link Observables}, as plain Riemann sums.</li>
 *   <li>Fock: naive complex GEMM, cyclic Jacobi eigensolvers (Hermitian and real symmetric),
 *       host Krylov vectors; expm, solve and exp(−itH)ψ are engine-api's algorithms on them.</li>
 * </ul>
 * Double precision, batches of up to {@link #MAX_BATCH} states.
 */
public final class ReferenceBackend implements Backend {
    /** The largest batch: a batch is a list of independent states here. */
    public static final int MAX_BATCH = 64;

    @Override public String name() { return "reference"; }

    @Override public int priority() { return -100; }

    @Override
    public Availability probe() {
        return Availability.available("pure Java reference (conformance kit), 1 thread", Map.of("fft", "direct DFT (no FFT)"));
    }

    @Override
    public BackendSession open(SessionOptions options) {
        SessionOptions o = options == null ? SessionOptions.defaults() : options;
        ParameterException.require(o.precision() == Precision.DOUBLE, "--precision", o.precision(), "double on the reference backend");
        return new Session();
    }

    static final io.hartree.api.HostTransforms TRANSFORMS = new NaiveHostTransforms();

    static final class Session implements BackendSession {
        @Override public String backend() { return "reference"; }

        @Override public String device() { return "pure Java reference, 1 thread"; }

        @Override public HartreePropagator hartree(HartreeProblem problem) { return new Propagator(problem, 1); }

        @Override
        public HartreePropagator hartree(HartreeProblem problem, int batch) {
            ParameterException.require(batch >= 1 && batch <= MAX_BATCH, "batch", batch, "1.." + MAX_BATCH + " on backend reference");
            return new Propagator(problem, batch);
        }

        @Override
        public Capabilities capabilities() {
            return new Capabilities(Set.of(Precision.DOUBLE), false, true, MAX_BATCH, false, 0);
        }

        @Override public FockKernels fock() { return new Fock(); }

        /** The DFT by its definition (the kernel table of the reference propagator is built with it). */
        @Override public io.hartree.api.HostTransforms hostTransforms() { return TRANSFORMS; }

        @Override public void close() {}
    }

    // ------------------------------------------------------------------------------------------
    // Transforms

    /** The 3D DFT of an m³ interleaved complex array by separable direct summation. */
    static final class Dft {
        final int m;
        /** cos and sin of 2π jk/m, index j·m + k. */
        final double[] cos, sin;

        Dft(int m) {
            this.m = m;
            cos = new double[m * m];
            sin = new double[m * m];
            for (int j = 0; j < m; j++)
                for (int k = 0; k < m; k++) {
                    double th = 2 * Math.PI * ((long) j * k % m) / m;
                    cos[j * m + k] = Math.cos(th);
                    sin[j * m + k] = Math.sin(th);
                }
        }

        /** a ← F a (sign −1, unnormalised) or F⁻¹ a (sign +1, with 1/m³). */
        void transform(double[] a, boolean inverse) {
            double[] line = new double[2 * m], out = new double[2 * m];
            double sign = inverse ? 1 : -1;
            for (int axis = 0; axis < 3; axis++) {
                int stride = axis == 0 ? m * m : axis == 1 ? m : 1;
                for (int p = 0; p < m; p++)
                    for (int q = 0; q < m; q++) {
                        int base = switch (axis) {
                            case 0 -> p * m + q;
                            case 1 -> p * m * m + q;
                            default -> (p * m + q) * m;
                        };
                        for (int j = 0; j < m; j++) {
                            line[2 * j] = a[2 * (base + j * stride)];
                            line[2 * j + 1] = a[2 * (base + j * stride) + 1];
                        }
                        for (int k = 0; k < m; k++) {
                            double sr = 0, si = 0;
                            for (int j = 0; j < m; j++) {
                                double c = cos[k * m + j], s = sign * sin[k * m + j];
                                sr += line[2 * j] * c - line[2 * j + 1] * s;
                                si += line[2 * j] * s + line[2 * j + 1] * c;
                            }
                            out[2 * k] = sr;
                            out[2 * k + 1] = si;
                        }
                        for (int k = 0; k < m; k++) {
                            a[2 * (base + k * stride)] = out[2 * k];
                            a[2 * (base + k * stride) + 1] = out[2 * k + 1];
                        }
                    }
            }
            if (inverse) {
                double f = 1.0 / ((double) m * m * m);
                for (int i = 0; i < a.length; i++) a[i] *= f;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Hartree

    static final class Propagator implements HartreePropagator {
        private final HartreeProblem problem;
        private final Grid3D g;
        private final int n, batch;
        private final boolean imaginary;
        private final ConvolutionKernel kernel;
        private final Dft dft, dftConv;
        private final double[] k2, trap;
        private final double[][] states;
        /** Several components (null for one): per-state traps, the Rabi matrix exponentials by Taylor series. */
        private final Components comps;
        private final double[][] traps;
        private double time;
        /** Damping γ, its 1/(1 + γ²), the kept norm of each state (NaN until its first step), the drive and a(t). */
        private final double gamma, c1;
        private final double[] norm0;
        private final io.hartree.api.model.Drive drive;
        private double a;

        Propagator(HartreeProblem problem, int batch) {
            this.problem = problem;
            this.g = problem.grid();
            this.n = g.n();
            this.batch = batch;
            this.imaginary = problem.timeMode() == TimeMode.IMAGINARY;
            this.kernel = ConvolutionKernel.build(g, problem.interaction(), problem.convolution(), TRANSFORMS);
            this.dft = new Dft(n);
            this.dftConv = kernel.kind() == ConvolutionKernel.Kind.SPECTRAL ? new Dft(kernel.size()) : null;
            this.trap = problem.h().trap().sample(g);
            this.k2 = new double[n * n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) k2[(i * n + j) * n + k] = g.k(i) * g.k(i) + g.k(j) * g.k(j) + g.k(k) * g.k(k);
            this.states = new double[batch][2 * n * n * n];
            this.comps = problem.terms().components();
            if (comps != null) ParameterException.require(batch == comps.k(), "batch", batch, String.valueOf(comps.k()));
            this.traps = new double[batch][];
            for (int b = 0; b < batch; b++) traps[b] = comps == null ? trap : comps.trap(b, problem.h().trap()).sample(g);
            this.gamma = problem.terms().damping();
            this.c1 = 1 / (1 + gamma * gamma);
            this.norm0 = new double[batch];
            java.util.Arrays.fill(norm0, Double.NaN);
            this.drive = problem.terms().drive();
            this.a = problem.h().kinetic();
        }

        /** The drive's a(t) and U(t), U sampled point by point from its coefficients. */
        private void driveAt(double t) {
            if (drive == null) return;
            double[] c = new double[io.hartree.api.model.Drive.COEFFICIENTS];
            drive.coefficients(t, c);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++)
                        trap[(i * n + j) * n + k] = io.hartree.api.model.Drive.potential(c, g.x(i), g.x(j), g.x(k));
            a = drive.kinetic(t);
        }

        @Override public HartreeProblem problem() { return problem; }

        @Override public int batch() { return batch; }

        @Override public double time() { return time; }

        @Override public void setTime(double t) { time = t; }

        @Override public void load(double[] psi, double t) { load(0, psi); time = t; }

        @Override
        public void load(int state, double[] psi) {
            ParameterException.require(psi.length == states[state].length, "state", psi.length, "2n³ = " + states[state].length);
            System.arraycopy(psi, 0, states[state], 0, psi.length);
            norm0[state] = Double.NaN;
        }

        @Override public void store(double[] psi) { store(0, psi); }

        @Override public void store(int state, double[] psi) { System.arraycopy(states[state], 0, psi, 0, psi.length); }

        @Override
        public void advance(int steps) {
            ParameterException.require(steps >= 0, "steps", steps, "integer >= 0");
            if (comps != null) {
                for (int s = 0; s < steps; s++) {
                    for (double w : problem.scheme().weights()) coupledStrang(w * problem.dt());
                    if (imaginary) normalise();
                    time += problem.dt();
                }
                return;
            }
            for (int s = 0; s < steps; s++) {
                for (int b = 0; b < batch; b++) {
                    double[] phi = states[b];
                    if (Double.isNaN(norm0[b])) norm0[b] = norm(phi);
                    double elapsed = 0;
                    for (double w : problem.scheme().weights()) {
                        // The drive at the substep's midpoint.
                        driveAt(time + (elapsed + 0.5 * w) * problem.dt());
                        elapsed += w;
                        strang(phi, w * problem.dt(), norm0[b]);
                    }
                    if (imaginary) scale(phi, 1 / Math.sqrt(norm(phi)));
                    // Damping: μ(t) keeps the norm; renormalised to the norm at the first step.
                    if (gamma > 0) scale(phi, Math.sqrt(norm0[b] / norm(phi)));
                }
                time += problem.dt();
            }
        }

        /** One Strang step of size tau: half kinetic, mean field, half kinetic, nothing merged. */
        private void strang(double[] phi, double tau, double keep) {
            boolean start = problem.scheme().startOfStepDensity(problem.timeMode(), kernel.kind() != ConvolutionKernel.Kind.NONE);
            double[] w = start ? meanField(phi, true) : null;
            kinetic(phi, 0.5 * tau);
            rotate(phi, 0.5 * tau);
            if (w == null) w = meanField(phi, imaginary || gamma > 0);
            // Damping: the density rescaled to the kept norm (the equation with μ(t) is homogeneous in φ).
            if (gamma > 0) for (int i = 0; i < w.length; i++) w[i] *= keep;
            for (int i = 0; i < w.length; i++) multiply(phi, i, tau * (trap[i] + w[i]));
            rotate(phi, 0.5 * tau);
            kinetic(phi, 0.5 * tau);
        }

        /**
         * Components: R(τ/2) K(τ/2) e^{−iτ(U_b + Σ_j c_bj W_j)} K(τ/2) R(τ/2), nothing merged, R the Rabi
         * matrix exponential applied pointwise in real space, W_j = V*ρ_j with ρ_j normalised in
         * imaginary time to p_j (or all by the total norm with Rabi).
         */
        private void coupledStrang(double tau) {
            boolean start = problem.scheme().startOfStepDensity(problem.timeMode(), kernel.kind() != ConvolutionKernel.Kind.NONE);
            double[][] w = start ? coupledFields(true) : null;
            rabiStep(0.5 * tau);
            for (double[] phi : states) { rotate(phi, 0.5 * tau); kinetic(phi, 0.5 * tau); }
            if (w == null) w = coupledFields(imaginary);
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < n * n * n; i++) {
                    double v = traps[b][i];
                    for (int j = 0; j < batch; j++) v += comps.coupling(b, j) * w[j][i];
                    multiply(states[b], i, tau * v);
                }
            for (double[] phi : states) { kinetic(phi, 0.5 * tau); rotate(phi, 0.5 * tau); }
            rabiStep(0.5 * tau);
        }

        /** V*ρ_j of every component; normalised: ρ_j scaled to norm p_j, or all by 1/Σ‖φ‖² with Rabi. */
        private double[][] coupledFields(boolean normalised) {
            double total = 0;
            for (double[] phi : states) total += norm(phi);
            double[][] w = new double[batch][];
            for (int j = 0; j < batch; j++) {
                int N = n * n * n;
                double[] rho = new double[N];
                double[] phi = states[j];
                for (int i = 0; i < N; i++) rho[i] = phi[2 * i] * phi[2 * i] + phi[2 * i + 1] * phi[2 * i + 1];
                if (normalised) {
                    double nj = norm(phi);
                    double f = comps.rabi() != 0 ? 1 / total : nj == 0 ? 0 : comps.populations()[j] / nj;
                    for (int i = 0; i < N; i++) rho[i] *= f;
                }
                w[j] = convolve(rho);
            }
            return w;
        }

        /** ψ ← e^{−iτ(Ω/2)M}ψ (e^{−τ(Ω/2)M} in imaginary time), M_ij = 1 − δ_ij, by the Taylor series of the K×K matrix. */
        private void rabiStep(double tau) {
            if (comps.rabi() == 0) return;
            int K = batch;
            // z = −iτΩ/2 (real time) or −τΩ/2 (imaginary); E = Σ_m (zM)^m/m! as complex K×K (re, im).
            double zr = imaginary ? -0.5 * tau * comps.rabi() : 0, zi = imaginary ? 0 : -0.5 * tau * comps.rabi();
            double[][] er = new double[K][K], ei = new double[K][K], tr = new double[K][K], ti = new double[K][K];
            for (int i = 0; i < K; i++) { er[i][i] = 1; tr[i][i] = 1; }
            for (int m = 1; m < 60; m++) {
                double[][] nr = new double[K][K], ni = new double[K][K];
                for (int i = 0; i < K; i++)
                    for (int j = 0; j < K; j++)
                        for (int l = 0; l < K; l++) {
                            if (l == j) continue;  // (T·M)_ij = Σ_{l≠j} T_il
                            nr[i][j] += (tr[i][l] * zr - ti[i][l] * zi) / m;
                            ni[i][j] += (tr[i][l] * zi + ti[i][l] * zr) / m;
                        }
                tr = nr; ti = ni;
                for (int i = 0; i < K; i++) for (int j = 0; j < K; j++) { er[i][j] += tr[i][j]; ei[i][j] += ti[i][j]; }
            }
            double[] re = new double[K], im = new double[K];
            for (int q = 0; q < n * n * n; q++) {
                for (int j = 0; j < K; j++) { re[j] = states[j][2 * q]; im[j] = states[j][2 * q + 1]; }
                for (int i = 0; i < K; i++) {
                    double a = 0, c = 0;
                    for (int j = 0; j < K; j++) { a += er[i][j] * re[j] - ei[i][j] * im[j]; c += er[i][j] * im[j] + ei[i][j] * re[j]; }
                    states[i][2 * q] = a;
                    states[i][2 * q + 1] = c;
                }
            }
        }

        /** Imaginary time: each component to ‖φ_b‖² = p_b, or the total to 1 with Rabi. */
        private void normalise() {
            double total = 0;
            for (double[] phi : states) total += norm(phi);
            for (int b = 0; b < batch; b++) {
                double nb = norm(states[b]);
                scale(states[b], comps.rabi() != 0 ? 1 / Math.sqrt(total) : nb == 0 ? 0 : Math.sqrt(comps.populations()[b] / nb));
            }
        }

        /**
         * e^{−iτ(−ΩL_z)} as the three shears S_x(−tan(θ/2)) S_y(sin θ) S_x(−tan(θ/2)), θ = Ωτ, each
         * F_a⁻¹ e^{i c·x_b·k_a} F_a along one axis by direct summation; in imaginary time
         * e^{−(τΩ/2)y k_x} e^{τΩ x k_y} e^{−(τΩ/2)y k_x} (docs/hartree.md, "Rotating frame").
         */
        private void rotate(double[] phi, double tau) {
            double omega = problem.terms().rotation();
            if (omega == 0) return;
            double angle = omega * tau;
            double c1 = imaginary ? 0.5 * angle : -Math.tan(0.5 * angle), c2 = imaginary ? -angle : Math.sin(angle);
            shear(phi, 0, c1);
            shear(phi, 1, c2);
            shear(phi, 0, c1);
        }

        /** Along axis a (0 = x, 1 = y): φ ← F_a⁻¹ [e^{i c·x_o·k_a} or e^{−c·x_o·k_a}] F_a φ, o the other of x, y. */
        private void shear(double[] phi, int a, double c) {
            double[] line = new double[2 * n], out = new double[2 * n];
            int stride = a == 0 ? n * n : n;
            for (int u = 0; u < n; u++)
                for (int v = 0; v < n; v++) {
                    int base = a == 0 ? u * n + v : u * n * n + v;  // x-lines at (·, u, v), y-lines at (u, ·, v)
                    double xo = g.x(u);                              // the other coordinate: y for x-lines, x for y-lines
                    for (int t = 0; t < n; t++) { line[2 * t] = phi[2 * (base + t * stride)]; line[2 * t + 1] = phi[2 * (base + t * stride) + 1]; }
                    for (int q = 0; q < n; q++) {           // F: Σ_t e^{−2πi qt/n}
                        double sr = 0, si = 0;
                        for (int t = 0; t < n; t++) {
                            double cs = dft.cos[q * n + t], sn = -dft.sin[q * n + t];
                            sr += line[2 * t] * cs - line[2 * t + 1] * sn;
                            si += line[2 * t] * sn + line[2 * t + 1] * cs;
                        }
                        double arg = c * xo * g.k(q), fr, fi;
                        if (imaginary) { fr = Math.exp(-arg); fi = 0; } else { fr = Math.cos(arg); fi = Math.sin(arg); }
                        out[2 * q] = sr * fr - si * fi;
                        out[2 * q + 1] = sr * fi + si * fr;
                    }
                    for (int t = 0; t < n; t++) {           // F⁻¹: (1/n) Σ_q e^{+2πi qt/n}
                        double sr = 0, si = 0;
                        for (int q = 0; q < n; q++) {
                            double cs = dft.cos[t * n + q], sn = dft.sin[t * n + q];
                            sr += out[2 * q] * cs - out[2 * q + 1] * sn;
                            si += out[2 * q] * sn + out[2 * q + 1] * cs;
                        }
                        phi[2 * (base + t * stride)] = sr / n;
                        phi[2 * (base + t * stride) + 1] = si / n;
                    }
                }
        }

        /** φ ← F⁻¹ e^{−iτa|k|²} F φ (e^{−τa|k|²} in imaginary time). */
        private void kinetic(double[] phi, double tau) {
            dft.transform(phi, false);
            for (int i = 0; i < k2.length; i++) multiply(phi, i, tau * a * k2[i]);
            dft.transform(phi, true);
        }

        /** φ_i ← e^{−iθ}φ_i (real time), e^{−θ}φ_i (imaginary time), e^{−(i+γ)θ/(1+γ²)}φ_i (damped real time). */
        private void multiply(double[] phi, int i, double theta) {
            double re = phi[2 * i], im = phi[2 * i + 1];
            if (gamma > 0) {
                double f = Math.exp(-gamma * c1 * theta), c = f * Math.cos(c1 * theta), s = f * Math.sin(c1 * theta);
                phi[2 * i] = re * c + im * s;
                phi[2 * i + 1] = im * c - re * s;
            } else if (imaginary) {
                double f = Math.exp(-theta);
                phi[2 * i] = re * f;
                phi[2 * i + 1] = im * f;
            } else {
                double c = Math.cos(theta), s = Math.sin(theta);
                phi[2 * i] = re * c + im * s;
                phi[2 * i + 1] = im * c - re * s;
            }
        }

        /** V * ρ for ρ = |φ|² (divided by ‖φ‖² when {@code normalised}). */
        private double[] meanField(double[] phi, boolean normalised) {
            int N = n * n * n;
            double[] rho = new double[N];
            for (int i = 0; i < N; i++) rho[i] = phi[2 * i] * phi[2 * i] + phi[2 * i + 1] * phi[2 * i + 1];
            if (normalised) {
                double f = 1 / norm(phi);
                for (int i = 0; i < N; i++) rho[i] *= f;
            }
            double[] w = convolve(rho);
            // LHY: W += γρ^{3/2} of the same (normalised or raw) density.
            double gamma = kernel.lhy();
            if (gamma != 0) for (int i = 0; i < N; i++) w[i] += gamma * rho[i] * Math.sqrt(rho[i]);
            return w;
        }

        /** (V * ρ)_j = c2r(table · r2c(ρ_pad))_j: the table is w/m³, so the forward DFT is unnormalised and the inverse carries no 1/m³. */
        double[] convolve(double[] rho) {
            int N = n * n * n;
            double[] out = new double[N];
            switch (kernel.kind()) {
                case NONE -> { }
                case LOCAL -> { for (int i = 0; i < N; i++) out[i] = kernel.contact() * rho[i]; }
                case SPECTRAL -> {
                    int m = kernel.size(), mh = m / 2 + 1;
                    double[] c = new double[2 * m * m * m];
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < n; j++)
                            for (int k = 0; k < n; k++) c[2 * ((i * m + j) * m + k)] = rho[(i * n + j) * n + k];
                    dftConv.transform(c, false);
                    double[] t = kernel.table();
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < m; j++)
                            for (int k = 0; k < m; k++) {
                                // The kernel is real and even: w(−k) = w(k) gives the half the table leaves out.
                                double w = k < mh ? t[(i * m + j) * mh + k] : t[(((m - i) % m) * m + (m - j) % m) * mh + (m - k)];
                                int q = 2 * ((i * m + j) * m + k);
                                c[q] *= w * m * m * m;
                                c[q + 1] *= w * m * m * m;
                            }
                    dftConv.transform(c, true);
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < n; j++)
                            for (int k = 0; k < n; k++) out[(i * n + j) * n + k] = c[2 * ((i * m + j) * m + k)];
                }
            }
            return out;
        }

        private double norm(double[] phi) {
            double s = 0;
            for (double x : phi) s += x * x;
            return s * g.dV();
        }

        private static void scale(double[] phi, double f) {
            for (int i = 0; i < phi.length; i++) phi[i] *= f;
        }

        @Override public Observables observe() { return observe(0); }

        @Override
        public Observables observe(int state) {
            double[] phi = states[state];
            driveAt(time);
            double[] trap = traps[state];
            int N = n * n * n;
            double dV = g.dV(), edgeAt = 0.4 * g.length(), c0 = Math.pow(Math.PI, -0.75);
            double norm = 0, trapE = 0, mx = 0, my = 0, mz = 0, x2 = 0, edge = 0, ovr = 0, ovi = 0;
            double[] rho = new double[N];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) {
                        int q = (i * n + j) * n + k;
                        double re = phi[2 * q], im = phi[2 * q + 1], r = re * re + im * im;
                        double x = g.x(i), y = g.x(j), z = g.x(k);
                        rho[q] = r;
                        norm += r;
                        trapE += trap[q] * r;
                        mx += x * r;
                        my += y * r;
                        mz += z * r;
                        x2 += (x * x + y * y + z * z) * r;
                        if (Math.abs(x) > edgeAt || Math.abs(y) > edgeAt || Math.abs(z) > edgeAt) edge += r;
                        double p0 = c0 * Math.exp(-0.5 * (x * x + y * y + z * z));
                        ovr += p0 * re;
                        ovi += p0 * im;
                    }
            double[] conv = convolve(rho);
            double inter = 0;
            for (int q = 0; q < N; q++) inter += conv[q] * rho[q];
            inter *= 0.5 * dV;
            double rabiE = 0;
            if (comps != null) {
                inter *= comps.coupling(state, state);
                for (int j = 0; j < batch; j++) {
                    if (j == state) continue;
                    double[] other = states[j], rj = new double[N];
                    double ov = 0;
                    for (int q = 0; q < N; q++) {
                        rj[q] = other[2 * q] * other[2 * q] + other[2 * q + 1] * other[2 * q + 1];
                        ov += phi[2 * q] * other[2 * q] + phi[2 * q + 1] * other[2 * q + 1];
                    }
                    double[] cj = convolve(rj);
                    double x = 0;
                    for (int q = 0; q < N; q++) x += cj[q] * rho[q];
                    inter += 0.5 * comps.coupling(state, j) * x * dV;
                    rabiE += 0.5 * comps.rabi() * ov * dV;
                }
            }
            // LHY: E = (2/5)γΣρ^{5/2}dV, its part of μ γΣρ^{5/2}dV/‖φ‖².
            double lhyIntegral = 0;
            if (kernel.lhy() != 0) {
                for (int q = 0; q < N; q++) lhyIntegral += rho[q] * rho[q] * Math.sqrt(rho[q]);
                lhyIntegral *= kernel.lhy() * dV;
            }
            // Kinetic energy and spectral tail by Parseval: Σ_x |φ|² = n⁻³ Σ_k |Fφ|².
            double[] hat = phi.clone();
            dft.transform(hat, false);
            double kin = 0, all = 0, tail = 0, cut = 2.0 / 3.0 * g.kMax();
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) {
                        int q = (i * n + j) * n + k;
                        double p = hat[2 * q] * hat[2 * q] + hat[2 * q + 1] * hat[2 * q + 1];
                        all += p;
                        kin += k2[q] * p;
                        if (Math.max(Math.abs(g.k(i)), Math.max(Math.abs(g.k(j)), Math.abs(g.k(k)))) > cut) tail += p;
                    }
            double kinE = a * kin * dV / N;
            norm *= dV;
            trapE *= dV;
            double omega = problem.terms().rotation();
            double lz = omega == 0 ? 0 : io.hartree.api.hartree.Rotation.angularMomentum(phi, g, TRANSFORMS);
            int vortices = omega == 0 ? 0 : io.hartree.api.hartree.Rotation.vortexCount(phi, g);
            double lab = kinE + trapE + inter + rabiE + 0.4 * lhyIntegral;
            return new Observables(time, norm, lab - omega * lz, kinE, trapE, inter + 0.4 * lhyIntegral,
                    (kinE + trapE + 2 * inter + rabiE + lhyIntegral - omega * lz) / norm,
                    mx * dV / norm, my * dV / norm, mz * dV / norm, x2 * dV / norm, (ovr * ovr + ovi * ovi) * dV * dV,
                    edge * dV / norm, all == 0 ? 0 : tail / all, lz, lab, vortices);
        }

        @Override public List<String> warnings() { return List.of(); }

        @Override public String implementation() { return "direct DFT, unmerged Strang"; }

        @Override public void close() {}
    }

    // ------------------------------------------------------------------------------------------
    // Fock

    static final class Fock implements FockKernels {
        @Override public String backend() { return "reference"; }

        @Override
        public void gemm(double[] a, double[] b, double[] c, int n) {
            ParameterException.require(a.length >= 2 * n * n && b.length >= 2 * n * n && c.length >= 2 * n * n, "gemm n", n, "arrays of 2n² doubles");
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double sr = 0, si = 0;
                    for (int q = 0; q < n; q++) {
                        double ar = a[2 * (i * n + q)], ai = a[2 * (i * n + q) + 1], br = b[2 * (q * n + j)], bi = b[2 * (q * n + j) + 1];
                        sr += ar * br - ai * bi;
                        si += ar * bi + ai * br;
                    }
                    c[2 * (i * n + j)] = sr;
                    c[2 * (i * n + j) + 1] = si;
                }
        }

        @Override
        public double[] eigh(double[] a, int n, double[] vectors) {
            return Jacobi.hermitian(a, n, vectors);
        }

        @Override
        public double[] eighReal(double[] a, int n, double[] vectors) {
            double[] c = new double[2 * n * n];
            for (int i = 0; i < n * n; i++) c[2 * i] = a[i];
            double[] v = vectors == null ? null : new double[2 * n * n];
            double[] w = Jacobi.hermitian(c, n, v);
            if (vectors != null) for (int i = 0; i < n * n; i++) vectors[i] = v[2 * i];
            return w;
        }

        @Override
        public KrylovOps<?> krylov(FockOperator h) { return new HostKrylov(h); }
    }

    /**
     * Cyclic Jacobi for a Hermitian matrix: each rotation J = D·R, D = diag(1, e^{−iφ}) on (p, q)
     * makes a_pq real (a_pq = r e^{iφ}), and the real rotation R by θ = ½ atan2(2r, a_qq − a_pp)
     * zeroes it; A ← J^H A J, V ← V J, until the off-diagonal mass is below round-off. A real
     * symmetric A keeps φ = 0 or π, so its eigenvectors stay real.
     */
    static final class Jacobi {
        static double[] hermitian(double[] a, int n, double[] vectors) {
            double[] v = new double[2 * n * n];
            for (int i = 0; i < n; i++) v[2 * (i * n + i)] = 1;
            double total = 0;
            for (double x : a) total += x * x;
            for (int sweep = 0; sweep < 100; sweep++) {
                double off = 0;
                for (int p = 0; p < n; p++)
                    for (int q = 0; q < n; q++) if (p != q) off += sq(a[2 * (p * n + q)]) + sq(a[2 * (p * n + q) + 1]);
                if (off <= 1e-30 * total || off == 0) break;
                for (int p = 0; p < n - 1; p++)
                    for (int q = p + 1; q < n; q++) rotate(a, v, n, p, q);
            }
            double[] w = new double[n];
            for (int i = 0; i < n; i++) w[i] = a[2 * (i * n + i)];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            java.util.Arrays.sort(order, (x, y) -> Double.compare(w[x], w[y]));
            double[] sorted = new double[n];
            for (int c = 0; c < n; c++) {
                sorted[c] = w[order[c]];
                if (vectors != null)
                    for (int r = 0; r < n; r++) {
                        vectors[2 * (r * n + c)] = v[2 * (r * n + order[c])];
                        vectors[2 * (r * n + c) + 1] = v[2 * (r * n + order[c]) + 1];
                    }
            }
            return sorted;
        }

        private static void rotate(double[] a, double[] v, int n, int p, int q) {
            double ar = a[2 * (p * n + q)], ai = a[2 * (p * n + q) + 1];
            double r = Math.hypot(ar, ai);
            if (r == 0) return;
            double er = ar / r, ei = ai / r; // e^{iφ}
            double app = a[2 * (p * n + p)], aqq = a[2 * (q * n + q)];
            double th = 0.5 * Math.atan2(2 * r, aqq - app);
            double c = Math.cos(th), s = Math.sin(th);
            // J: column p = c·e_p − s·e^{−iφ}·e_q, column q = s·e_p + c·e^{−iφ}·e_q.
            double jpp = c, jqp_r = -s * er, jqp_i = s * ei, jpq = s, jqq_r = c * er, jqq_i = -c * ei;
            columns(a, n, p, q, jpp, jqp_r, jqp_i, jpq, jqq_r, jqq_i);
            columns(v, n, p, q, jpp, jqp_r, jqp_i, jpq, jqq_r, jqq_i);
            // Rows: A ← J^H A, row p = conj(J_pp) row_p + conj(J_qp) row_q, row q = conj(J_pq) row_p + conj(J_qq) row_q.
            for (int k = 0; k < n; k++) {
                double xr = a[2 * (p * n + k)], xi = a[2 * (p * n + k) + 1], yr = a[2 * (q * n + k)], yi = a[2 * (q * n + k) + 1];
                a[2 * (p * n + k)] = jpp * xr + (jqp_r * yr + jqp_i * yi);
                a[2 * (p * n + k) + 1] = jpp * xi + (jqp_r * yi - jqp_i * yr);
                a[2 * (q * n + k)] = jpq * xr + (jqq_r * yr + jqq_i * yi);
                a[2 * (q * n + k) + 1] = jpq * xi + (jqq_r * yi - jqq_i * yr);
            }
            a[2 * (p * n + q)] = a[2 * (p * n + q) + 1] = a[2 * (q * n + p)] = a[2 * (q * n + p) + 1] = 0;
            a[2 * (p * n + p) + 1] = a[2 * (q * n + q) + 1] = 0;
        }

        /** M ← M J on columns p, q (J_pp, J_pq real; J_qp, J_qq complex). */
        private static void columns(double[] m, int n, int p, int q, double jpp, double jqpR, double jqpI, double jpq, double jqqR, double jqqI) {
            for (int k = 0; k < n; k++) {
                double xr = m[2 * (k * n + p)], xi = m[2 * (k * n + p) + 1], yr = m[2 * (k * n + q)], yi = m[2 * (k * n + q) + 1];
                m[2 * (k * n + p)] = jpp * xr + (yr * jqpR - yi * jqpI);
                m[2 * (k * n + p) + 1] = jpp * xi + (yr * jqpI + yi * jqpR);
                m[2 * (k * n + q)] = jpq * xr + (yr * jqqR - yi * jqqI);
                m[2 * (k * n + q) + 1] = jpq * xi + (yr * jqqI + yi * jqqR);
            }
        }

        private static double sq(double x) { return x * x; }
    }

    /** Krylov vectors on the host, H applied through {@link FockOperator#apply}. */
    static final class HostKrylov implements KrylovOps<double[]> {
        private final FockOperator h;

        HostKrylov(FockOperator h) { this.h = h; }

        @Override public double[] allocate() { return new double[2 * h.dimension()]; }

        @Override public void upload(double[] psi, double[] v) { System.arraycopy(psi, 0, v, 0, v.length); }

        @Override public void download(double[] v, double[] psi) { System.arraycopy(v, 0, psi, 0, v.length); }

        @Override public void apply(double[] x, double[] y) { h.apply(x, y); }

        @Override
        public double[] dot(double[] x, double[] y) {
            double re = 0, im = 0;
            for (int i = 0; i < x.length; i += 2) {
                re += x[i] * y[i] + x[i + 1] * y[i + 1];
                im += x[i] * y[i + 1] - x[i + 1] * y[i];
            }
            return new double[]{re, im};
        }

        @Override
        public double norm(double[] x) {
            double s = 0;
            for (double v : x) s += v * v;
            return Math.sqrt(s);
        }

        @Override
        public void axpy(double ar, double ai, double[] x, double[] y) {
            for (int i = 0; i < x.length; i += 2) {
                y[i] += ar * x[i] - ai * x[i + 1];
                y[i + 1] += ar * x[i + 1] + ai * x[i];
            }
        }

        @Override public void scale(double s, double[] x) { for (int i = 0; i < x.length; i++) x[i] *= s; }

        @Override
        public void combine(List<double[]> basis, int count, double[] coef, double[] out) {
            java.util.Arrays.fill(out, 0);
            for (int k = 0; k < count; k++) axpy(coef[2 * k], coef[2 * k + 1], basis.get(k), out);
        }

        @Override public long vectorBytes() { return 16L * h.dimension(); }
    }
}
