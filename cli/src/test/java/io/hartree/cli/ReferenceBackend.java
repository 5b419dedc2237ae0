package io.hartree.cli;

import io.hartree.api.Availability;
import io.hartree.api.Backend;
import io.hartree.api.BackendSession;
import io.hartree.api.ParameterException;
import io.hartree.api.SessionOptions;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.Interaction;
import io.hartree.api.Observables;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.jtransforms.fft.DoubleFFT_3D;

import java.util.Map;

/**
 * Test fixture: a plain, single-threaded Strang split-step propagator written directly from the
 * formulas (JTransforms FFT, periodic convolution, analytic or sampled kernels), registered only
 * on the CLI's test class path under the name "reference" with a negative priority, so that
 * {@code auto} never picks it. It lets the CLI's run loop, resume and files be tested
 * independently of the production backends, and serves as an independent computation to
 * compare them with.
 *
 * <p>One step: φ ← F⁻¹ e^{−iτa|k|²/2} F e^{−iτ(U + V*|φ|²)} F⁻¹ e^{−iτa|k|²/2} F φ (τ = dt, or −i·dt
 * in imaginary time followed by renormalisation), V*ρ = F⁻¹[V̂ F ρ] with V̂ the DFT of V sampled at
 * minimum-image offsets times dx³.
 */
public final class ReferenceBackend implements Backend {
    public String name() { return "reference"; }

    public int priority() { return -100; }

    public Availability probe() { return Availability.available("JTransforms reference (test fixture)", Map.of("fft", "JTransforms")); }

    public BackendSession open(SessionOptions options) {
        return new BackendSession() {
            public io.hartree.api.HostTransforms hostTransforms() { throw new io.hartree.api.BackendException("no host transforms on this test fixture"); }
            public String backend() { return "reference"; }
            public String device() { return "test fixture, 1 thread"; }
            public HartreePropagator hartree(HartreeProblem problem) { return new Propagator(problem); }
            public void close() {}
        };
    }

    static final class Propagator implements HartreePropagator {
        private final HartreeProblem pr;
        private final int n;
        private final DoubleFFT_3D fft;
        private final double[] psi, work, k2, u, vhat;
        private double time;

        Propagator(HartreeProblem p) {
            if (p.convolution() != ConvolutionMode.PERIODIC || p.scheme() != Scheme.STRANG)
                throw new ParameterException("--conv", p.convolution().label(), "periodic with strang on the reference test backend");
            pr = p;
            Grid3D g = p.grid();
            n = g.n();
            int N = n * n * n;
            fft = new DoubleFFT_3D(n, n, n);
            psi = new double[2 * N];
            work = new double[2 * N];
            k2 = new double[N];
            u = p.h().trap().sample(g);
            vhat = new double[N];
            double[] v = new double[2 * N];
            Interaction in = p.interaction();
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) {
                        int idx = (i * n + j) * n + k;
                        k2[idx] = g.k(i) * g.k(i) + g.k(j) * g.k(j) + g.k(k) * g.k(k);
                        double r = g.dx() * Math.sqrt(sq(wrap(i)) + sq(wrap(j)) + sq(wrap(k)));
                        v[2 * idx] = switch (in) {
                            case Interaction.Gaussian gs -> gs.value(r) * g.dV();
                            case Interaction.Contact c -> idx == 0 ? c.g() : 0;
                            case Interaction.None x -> 0;
                            default -> throw new ParameterException("--interaction", in.spec(), "gaussian, contact or none on the reference test backend");
                        };
                    }
            fft.complexForward(v);
            for (int i = 0; i < N; i++) vhat[i] = v[2 * i];
        }

        private int wrap(int j) { return j < n / 2 ? j : j - n; }

        private static double sq(double x) { return x * x; }

        public HartreeProblem problem() { return pr; }

        public void load(double[] in, double t) { System.arraycopy(in, 0, psi, 0, psi.length); time = t; }

        public void store(double[] out) { System.arraycopy(psi, 0, out, 0, psi.length); }

        public double time() { return time; }

        private boolean imaginary() { return pr.timeMode() == TimeMode.IMAGINARY; }

        /** Multiplies psi[i] by e^{−i·τ·w} (real time) or e^{−τ·w} (imaginary time). */
        private void phase(double[] a, int i, double w) {
            double re = a[2 * i], im = a[2 * i + 1];
            if (imaginary()) {
                double f = Math.exp(-pr.dt() * w);
                a[2 * i] = re * f;
                a[2 * i + 1] = im * f;
            } else {
                double c = Math.cos(pr.dt() * w), s = -Math.sin(pr.dt() * w);
                a[2 * i] = re * c - im * s;
                a[2 * i + 1] = re * s + im * c;
            }
        }

        private double[] potential() {
            int N = n * n * n;
            for (int i = 0; i < N; i++) { work[2 * i] = psi[2 * i] * psi[2 * i] + psi[2 * i + 1] * psi[2 * i + 1]; work[2 * i + 1] = 0; }
            fft.complexForward(work);
            for (int i = 0; i < N; i++) { work[2 * i] *= vhat[i]; work[2 * i + 1] *= vhat[i]; }
            fft.complexInverse(work, true);
            double[] w = new double[N];
            for (int i = 0; i < N; i++) w[i] = u[i] + work[2 * i];
            return w;
        }

        public void advance(int steps) {
            int N = n * n * n;
            double a = pr.h().kinetic();
            for (int s = 0; s < steps; s++) {
                fft.complexForward(psi);
                for (int i = 0; i < N; i++) phase(psi, i, 0.5 * a * k2[i]);
                fft.complexInverse(psi, true);
                double[] w = potential();
                for (int i = 0; i < N; i++) phase(psi, i, w[i]);
                fft.complexForward(psi);
                for (int i = 0; i < N; i++) phase(psi, i, 0.5 * a * k2[i]);
                fft.complexInverse(psi, true);
                if (imaginary()) {
                    double nn = 0;
                    for (double x : psi) nn += x * x;
                    double f = 1 / Math.sqrt(nn * pr.grid().dV());
                    for (int i = 0; i < psi.length; i++) psi[i] *= f;
                }
                time += pr.dt();
            }
        }

        public Observables observe() {
            Grid3D g = pr.grid();
            int N = n * n * n;
            double dV = g.dV();
            double norm = 0, trap = 0, inter = 0, mx = 0, my = 0, mz = 0, x2 = 0, ovr = 0, ovi = 0, edge = 0;
            double[] w = potential();
            double c0 = Math.pow(Math.PI, -0.75);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) {
                        int idx = (i * n + j) * n + k;
                        double re = psi[2 * idx], im = psi[2 * idx + 1], rho = re * re + im * im;
                        double x = g.x(i), y = g.x(j), z = g.x(k);
                        norm += rho;
                        trap += u[idx] * rho;
                        inter += 0.5 * (w[idx] - u[idx]) * rho;
                        mx += x * rho; my += y * rho; mz += z * rho;
                        x2 += (x * x + y * y + z * z) * rho;
                        double p0 = c0 * Math.exp(-0.5 * (x * x + y * y + z * z));
                        ovr += p0 * re; ovi += p0 * im;
                        double lim = 0.4 * g.length();
                        if (Math.abs(x) > lim || Math.abs(y) > lim || Math.abs(z) > lim) edge += rho;
                    }
            System.arraycopy(psi, 0, work, 0, psi.length);
            fft.complexForward(work);
            double kin = 0, tot = 0, tail = 0, kc = 2.0 / 3 * g.kMax();
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) {
                        int idx = (i * n + j) * n + k;
                        double p = work[2 * idx] * work[2 * idx] + work[2 * idx + 1] * work[2 * idx + 1];
                        kin += pr.h().kinetic() * k2[idx] * p;
                        tot += p;
                        if (Math.max(Math.abs(g.k(i)), Math.max(Math.abs(g.k(j)), Math.abs(g.k(k)))) > kc) tail += p;
                    }
            // Parseval: Σ|F φ|² = N Σ|φ|².
            kin = kin / N * dV;
            norm *= dV;
            trap *= dV;
            inter *= dV;
            double e = kin + trap + inter;
            return new Observables(time, norm, e, kin, trap, inter, (kin + trap + 2 * inter) / norm, mx * dV / norm, my * dV / norm,
                    mz * dV / norm, x2 * dV / norm, (ovr * ovr + ovi * ovi) * dV * dV, edge * dV / norm, tot == 0 ? 0 : tail / tot);
        }

        public void close() {}
    }
}
