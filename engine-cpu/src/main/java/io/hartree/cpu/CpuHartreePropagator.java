package io.hartree.cpu;

import io.hartree.api.ParameterException;
import io.hartree.api.grid.Grid3D;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.hartree.HartreeProblem;
import io.hartree.api.hartree.HartreePropagator;
import io.hartree.api.hartree.Observables;
import io.hartree.api.hartree.Scheme;
import io.hartree.api.hartree.TimeMode;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

/**
 * Split-step Fourier propagator of the Hartree equation i∂tφ = hφ + (V*|φ|²)φ (paper eqs. (3.12),
 * (4.4)), h = a(−Δ) + U, on the CPU.
 *
 * <p>One Strang step of size τ is φ ← e^{−iτT/2} e^{−iτW} e^{−iτT/2} φ with T = a|k|² (Fourier
 * space) and W = U + V*|φ|² (evaluated on the state after the first half kinetic step, which
 * keeps the map second order and time-symmetric). {@link Scheme#FOURTH} is the triple jump
 * S(w₁τ)S(w₀τ)S(w₁τ), w₁ = 1/(2 − 2^{1/3}), w₀ = 1 − 2w₁ (Yoshida 1990). Imaginary time replaces
 * e^{−iτ·} by e^{−τ·} and renormalises to ‖φ‖ = 1 after every step. In imaginary time with
 * Strang the mean field V*ρ is taken from the normalised density of the state at the start of
 * the step (one extra backward FFT per step): then the step is a symmetric positive operator
 * e^{−τT/2}e^{−τW[ρ_n]}e^{−τT/2} whose fixed point solves (T + W[ρ*])φ* = μφ* up to O(τ²). With
 * the mid-step density of real time the fixed point would be off by O(τ) (measured: the virial
 * residual halves with τ). The fourth-order scheme in imaginary time uses the normalised mid-step
 * density of each substep (its fixed point is first order in τ; it has negative substeps and
 * gains nothing for ground states).
 *
 * <p>The state is kept in Fourier space (ψ̂ = unnormalised DFT of φ) between steps, so a step
 * costs one backward and one forward complex FFT of φ plus the r2c/c2r pair of the density (none
 * for contact or no interaction). Adjacent half kinetic factors of consecutive (sub)steps are
 * merged within one {@link #advance} call; the 1/n³ of the backward transform is folded into
 * the kinetic factor, which is separable: e^{−iτa|k|²} = Π_d e^{−iτa k_d²}. Nothing is allocated
 * in {@link #advance}.
 */
final class CpuHartreePropagator implements HartreePropagator {

    private final HartreeProblem problem;
    private final Grid3D grid;
    private final int n, m, mh;
    private final double dt, dV, invN3;
    private final boolean imaginary;
    private final ConvolutionKernel.Kind kind;
    private final double contact;
    private final double[] table;
    private final Fft3 fft;
    private final Parallel par;
    private final double[] trap;
    private final double[] weights;
    /** Kinetic factors per axis, complex interleaved (length 2n): first half step, between substeps q−1 and q, between steps. */
    private final double[] kHalf, kBetween;
    private final double[][] kInner;
    private final double[] saved;
    private final double[] kAxis, xAxis;
    /** e^{−x_j²/2}: φ⁰(x, y, z) = π^{−3/4} g_i g_j g_k, for the overlap in observe(). */
    private final double[] gAxis;
    private final Map<String, String> warnings = new LinkedHashMap<>();
    private final Runnable onClose;
    private double time;
    private boolean closed;

    // Parameters of the loop bodies (set before each Parallel.run; the bodies are created once).
    private double[] curFactor;
    private double curScale;
    private boolean curReduce;
    private double curTau;
    private double curDensityScale = 1;
    private MemorySegment curSource;
    private boolean curFromBuffer;
    /** Start-of-step density for imaginary-time Strang with a contact interaction (n³), else null. */
    private final double[] localDensity;
    private final boolean startDensity;
    private final Parallel.Body kineticBody = this::kineticRange;
    private final Parallel.Body densityBody = this::densityRange;
    private final Parallel.Body tableBody = this::tableRange;
    private final Parallel.Body phaseBody = this::phaseRange;

    CpuHartreePropagator(HartreeProblem problem, ConvolutionKernel kernel, Fft3 fft, Parallel par, Runnable onClose) {
        this.problem = problem;
        this.grid = problem.grid();
        this.n = grid.n();
        this.kind = kernel.kind();
        this.m = kind == ConvolutionKernel.Kind.SPECTRAL ? kernel.size() : 0;
        this.mh = m / 2 + 1;
        this.contact = kernel.contact();
        this.table = kernel.table();
        this.fft = fft;
        this.par = par;
        this.onClose = onClose;
        this.dt = problem.dt();
        this.dV = grid.dV();
        this.invN3 = 1.0 / ((double) n * n * n);
        this.imaginary = problem.timeMode() == TimeMode.IMAGINARY;
        this.trap = problem.h().trap().sample(grid);
        this.weights = problem.scheme().weights();
        int s = weights.length;
        this.kHalf = kineticFactor(0.5 * weights[0]);
        this.kBetween = kineticFactor(0.5 * (weights[s - 1] + weights[0]));
        this.kInner = new double[s][];
        for (int q = 1; q < s; q++) kInner[q] = kineticFactor(0.5 * (weights[q - 1] + weights[q]));
        this.saved = new double[2 * n * n * n];
        this.startDensity = needsWork(problem, kernel);
        this.localDensity = startDensity && kind == ConvolutionKernel.Kind.LOCAL ? new double[n * n * n] : null;
        this.kAxis = new double[n];
        this.xAxis = new double[n];
        this.gAxis = new double[n];
        for (int j = 0; j < n; j++) {
            kAxis[j] = grid.k(j);
            xAxis[j] = grid.x(j);
            gAxis[j] = Math.exp(-0.5 * xAxis[j] * xAxis[j]);
        }
    }

    /** Whether the propagator takes the start-of-step density (imaginary-time Strang with an interaction) and so needs the out-of-place buffer. */
    static boolean needsWork(HartreeProblem problem, ConvolutionKernel kernel) {
        return problem.scheme().startOfStepDensity(problem.timeMode(), kernel.kind() != ConvolutionKernel.Kind.NONE);
    }

    /** e^{−i c τ a k_j²} (real time) or e^{−c τ a k_j²} (imaginary), j = 0..n−1, interleaved. */
    private double[] kineticFactor(double c) {
        double a = problem.h().kinetic();
        double[] f = new double[2 * n];
        for (int j = 0; j < n; j++) {
            double k = grid.k(j);
            double th = c * dt * a * k * k;
            if (imaginary) { f[2 * j] = Math.exp(-th); f[2 * j + 1] = 0; }
            else { f[2 * j] = Math.cos(th); f[2 * j + 1] = -Math.sin(th); }
        }
        return f;
    }

    @Override public HartreeProblem problem() { return problem; }

    @Override public double time() { return time; }


    @Override
    public void load(double[] psi, double t) {
        check();
        if (psi.length != 2 * n * n * n) throw new ParameterException("state", psi.length + " values", "2n³ = " + 2L * n * n * n + " (interleaved complex)");
        MemorySegment.copy(psi, 0, fft.psi(), JAVA_DOUBLE, 0, psi.length);
        fft.forward();
        time = t;
    }

    @Override
    public void store(double[] psi) {
        check();
        if (psi.length != 2 * n * n * n) throw new ParameterException("state", psi.length + " values", "2n³ = " + 2L * n * n * n + " (interleaved complex)");
        MemorySegment.copy(fft.psi(), JAVA_DOUBLE, 0, saved, 0, saved.length);
        fft.backward();
        MemorySegment.copy(fft.psi(), JAVA_DOUBLE, 0, psi, 0, psi.length);
        for (int i = 0; i < psi.length; i++) psi[i] *= invN3;
        MemorySegment.copy(saved, 0, fft.psi(), JAVA_DOUBLE, 0, saved.length);
    }

    @Override
    public void advance(int steps) {
        check();
        if (steps < 0) throw new ParameterException("steps", steps, "integer >= 0");
        if (steps == 0) return;
        int s = weights.length;
        double pending = 1;
        // In imaginary time each kinetic pass also sums |ψ̂|²: Σ|ψ̂'|²·n³·dV is then ‖φ‖² in real space.
        double toNorm = (double) n * n * n * dV;
        for (int step = 0; step < steps; step++) {
            for (int q = 0; q < s; q++) {
                double sum;
                boolean ready = false;
                if (startDensity) {
                    // V*ρ_n from the normalised density of the state at the start of the step.
                    fft.backwardToWork();
                    curSource = fft.work();
                    double raw = densityOf(true);
                    curDensityScale = 1 / (raw * dV);
                    ready = true;
                }
                if (q > 0) sum = kinetic(kInner[q], invN3, imaginary);
                else if (step == 0 || imaginary) sum = kinetic(kHalf, invN3 * pending, imaginary);
                else sum = kinetic(kBetween, invN3, false);
                fft.backward();
                if (!ready) curDensityScale = imaginary ? 1 / (sum * toNorm) : 1;
                nonlinear(weights[q] * dt, ready);
                fft.forward();
            }
            if (imaginary) {
                double sum = kinetic(kHalf, 1, true);
                pending = 1 / Math.sqrt(sum * dV * invN3);
            } else if (step == steps - 1) {
                kinetic(kHalf, 1, false);
            }
        }
        if (imaginary) {
            curScale = pending;
            par.run(n, scaleBody);
        }
        time += steps * dt;
    }

    /** ψ̂ ← ψ̂ · factor(k) · scale; returns Σ|ψ̂|² after, when reducing. */
    private double kinetic(double[] factor, double scale, boolean reduce) {
        curFactor = factor;
        curScale = scale;
        curReduce = reduce;
        return par.run(n, kineticBody);
    }

    private double kineticRange(int lo, int hi) {
        final MemorySegment p = fft.psi();
        final double[] f = curFactor;
        final double scale = curScale;
        final int n = this.n;
        double acc = 0;
        for (int i = lo; i < hi; i++) {
            for (int j = 0; j < n; j++) {
                double ar = f[2 * i], ai = f[2 * i + 1], br = f[2 * j], bi = f[2 * j + 1];
                double cr = (ar * br - ai * bi) * scale;
                double ci = (ar * bi + ai * br) * scale;
                long base = 2L * (i * n + j) * n;
                for (int k = 0; k < n; k++) {
                    double fr = cr * f[2 * k] - ci * f[2 * k + 1];
                    double fi = cr * f[2 * k + 1] + ci * f[2 * k];
                    long idx = base + 2 * k;
                    double re = p.getAtIndex(JAVA_DOUBLE, idx), im = p.getAtIndex(JAVA_DOUBLE, idx + 1);
                    double nr = re * fr - im * fi, ni = re * fi + im * fr;
                    p.setAtIndex(JAVA_DOUBLE, idx, nr);
                    p.setAtIndex(JAVA_DOUBLE, idx + 1, ni);
                    acc += nr * nr + ni * ni;
                }
            }
        }
        return curReduce ? acc : 0;
    }

    /** φ ← e^{−iτ(U + V*|φ|²)} φ (or e^{−τ(…)} in imaginary time), φ in real space. */
    private void nonlinear(double tau, boolean densityReady) {
        if (!densityReady && kind == ConvolutionKernel.Kind.SPECTRAL) {
            curSource = fft.psi();
            densityOf(false);
        }
        curFromBuffer = densityReady;
        curTau = tau;
        par.run(n, phaseBody);
    }

    /**
     * |φ|² of the real-space array {@link #curSource} into rho (spectral kernels, then conv ←
     * V * rho through the table) or into {@link #localDensity} (contact); returns Σ|φ|² when
     * {@code sum}.
     */
    private double densityOf(boolean sum) {
        curReduce = sum;
        double s = par.run(n, densityBody);
        if (kind == ConvolutionKernel.Kind.SPECTRAL) {
            fft.rhoForward();
            par.run(m, tableBody);
            fft.convBackward();
        }
        return s;
    }

    /** conv ← V * |φ|² through the kernel table (φ in real space in the psi buffer). */
    private void convolveDensity() {
        curSource = fft.psi();
        densityOf(false);
    }

    private double densityRange(int lo, int hi) {
        final MemorySegment p = curSource;
        final int n = this.n, m = this.m;
        double acc = 0;
        if (kind == ConvolutionKernel.Kind.SPECTRAL) {
            final MemorySegment r = fft.rho();
            for (int i = lo; i < hi; i++)
                for (int j = 0; j < n; j++) {
                    long src = 2L * (i * n + j) * n;
                    long dst = i * fft.rhoPlaneStride() + j * fft.rhoRowStride();
                    for (int k = 0; k < n; k++) {
                        double re = p.getAtIndex(JAVA_DOUBLE, src + 2 * k), im = p.getAtIndex(JAVA_DOUBLE, src + 2 * k + 1);
                        double v = re * re + im * im;
                        r.setAtIndex(JAVA_DOUBLE, dst + k, v);
                        acc += v;
                    }
                }
        } else {
            final double[] d = localDensity;
            for (int i = lo; i < hi; i++)
                for (int q = i * n * n; q < (i + 1) * n * n; q++) {
                    double re = p.getAtIndex(JAVA_DOUBLE, 2L * q), im = p.getAtIndex(JAVA_DOUBLE, 2L * q + 1);
                    double v = re * re + im * im;
                    d[q] = v;
                    acc += v;
                }
        }
        return curReduce ? acc : 0;
    }

    private double tableRange(int lo, int hi) {
        final MemorySegment h = fft.rhoHat();
        final double[] w = table;
        final int mh = this.mh, m = this.m;
        for (int i = lo; i < hi; i++) {
            int base = i * m * mh;
            for (int q = base; q < base + m * mh; q++) {
                double f = w[q];
                h.setAtIndex(JAVA_DOUBLE, 2L * q, h.getAtIndex(JAVA_DOUBLE, 2L * q) * f);
                h.setAtIndex(JAVA_DOUBLE, 2L * q + 1, h.getAtIndex(JAVA_DOUBLE, 2L * q + 1) * f);
            }
        }
        return 0;
    }

    private double phaseRange(int lo, int hi) {
        final MemorySegment p = fft.psi();
        final MemorySegment c = fft.conv();
        final double[] u = trap;
        final double tau = curTau, g = contact * curDensityScale, ds = curDensityScale;
        final int n = this.n, m = this.m;
        final boolean spectral = kind == ConvolutionKernel.Kind.SPECTRAL, local = kind == ConvolutionKernel.Kind.LOCAL && !curFromBuffer;
        final double[] dens = kind == ConvolutionKernel.Kind.LOCAL && curFromBuffer ? localDensity : null;
        for (int i = lo; i < hi; i++)
            for (int j = 0; j < n; j++) {
                int row = (i * n + j) * n;
                long crow = spectral ? i * fft.rhoPlaneStride() + j * fft.rhoRowStride() : 0;
                for (int k = 0; k < n; k++) {
                    long idx = 2L * (row + k);
                    double re = p.getAtIndex(JAVA_DOUBLE, idx), im = p.getAtIndex(JAVA_DOUBLE, idx + 1);
                    double v = u[row + k];
                    if (spectral) v += ds * c.getAtIndex(JAVA_DOUBLE, crow + k);
                    else if (local) v += g * (re * re + im * im);
                    else if (dens != null) v += g * dens[row + k];
                    double th = tau * v;
                    if (imaginary) {
                        double f = Math.exp(-th);
                        p.setAtIndex(JAVA_DOUBLE, idx, re * f);
                        p.setAtIndex(JAVA_DOUBLE, idx + 1, im * f);
                    } else {
                        double cs, sn;
                        if (Math.abs(th) < SinCos.MAX_FAST) {
                            // Inlined SinCos: Cody–Waite reduction to |r| <= π/4, fdlibm kernels, quadrant by swap and sign.
                            double kq = Math.rint(th * SinCos.TWO_OVER_PI);
                            double r = (th - kq * SinCos.PIO2_1) - kq * SinCos.PIO2_1T;
                            double z = r * r;
                            double sr = r + r * z * (SinCos.S1 + z * (SinCos.S2 + z * (SinCos.S3 + z * (SinCos.S4 + z * (SinCos.S5 + z * SinCos.S6)))));
                            double cr = 1 - 0.5 * z + z * z * (SinCos.C1 + z * (SinCos.C2 + z * (SinCos.C3 + z * (SinCos.C4 + z * (SinCos.C5 + z * SinCos.C6)))));
                            int q = (int) kq & 3;
                            boolean swap = (q & 1) != 0;
                            sn = swap ? cr : sr;
                            cs = swap ? sr : cr;
                            if ((q & 2) != 0) sn = -sn;
                            if (((q + 1) & 2) != 0) cs = -cs;
                        } else {
                            cs = Math.cos(th);
                            sn = Math.sin(th);
                        }
                        p.setAtIndex(JAVA_DOUBLE, idx, re * cs + im * sn);
                        p.setAtIndex(JAVA_DOUBLE, idx + 1, im * cs - re * sn);
                    }
                }
            }
        return 0;
    }

    /**
     * Observables of the current state, all Riemann sums with dV = dx³ (see {@link Observables});
     * kinetic energy and spectral tail by Parseval from ψ̂, the rest in real space. Raises the
     * warnings of {@link Observables#warnings()} (recorded in {@link #warnings()}).
     */
    @Override
    public Observables observe() {
        check();
        MemorySegment p = fft.psi();
        MemorySegment.copy(p, JAVA_DOUBLE, 0, saved, 0, saved.length);
        double a = problem.h().kinetic();
        double[] f = new double[3];
        par.run(n, fourierSums, f);
        double sumHat = f[0], kin = f[1], tail = f[2];
        double hatScale = dV * invN3;
        fft.backward();
        double[] r = new double[10];
        par.run(n, realSums, r);
        double norm = r[0], trapE = r[1], mx = r[2], my = r[3], mz = r[4], x2 = r[5], edge = r[6], ovr = r[7], ovi = r[8], local = r[9];
        double inter = 0;
        switch (kind) {
            case NONE -> { }
            case LOCAL -> inter = 0.5 * contact * local * dV;
            case SPECTRAL -> {
                // realRange left φ itself (not n³φ) in the buffer, so the density is |φ|².
                convolveDensity();
                double[] c = new double[1];
                par.run(n, interactionSums, c);
                inter = 0.5 * c[0] * dV;
            }
        }
        MemorySegment.copy(saved, 0, p, JAVA_DOUBLE, 0, saved.length);
        norm *= dV;
        double kinE = a * kin * hatScale;
        trapE *= dV;
        double energy = kinE + trapE + inter;
        double mu = (kinE + trapE + 2 * inter) / norm;
        double ov = (ovr * ovr + ovi * ovi) * dV * dV;
        Observables o = new Observables(time, norm, energy, kinE, trapE, inter, mu,
                mx * dV / norm, my * dV / norm, mz * dV / norm, x2 * dV / norm, ov, edge * dV / norm,
                sumHat == 0 ? 0 : tail / sumHat);
        for (String w : o.warnings()) warnings.putIfAbsent(w.substring(0, w.indexOf(':')), w);
        return o;
    }

    private final Parallel.MultiBody fourierSums = this::fourierRange;
    private final Parallel.MultiBody realSums = this::realRange;
    private final Parallel.MultiBody interactionSums = this::interactionRange;
    private final Parallel.Body scaleBody = this::scaleRange;

    /** Σ|ψ̂|², Σ|k|²|ψ̂|², Σ_{max|k_d| > 2/3 k_Nyquist}|ψ̂|² over the saved Fourier-space state. */
    private void fourierRange(int lo, int hi, double[] acc) {
        double cut = 2.0 / 3.0 * grid.kMax();
        double sumHat = 0, kin = 0, tail = 0;
        for (int i = lo; i < hi; i++) {
            double kx = kAxis[i];
            for (int j = 0; j < n; j++) {
                double ky = kAxis[j];
                int base = 2 * (i * n + j) * n;
                boolean outer = Math.abs(kx) > cut || Math.abs(ky) > cut;
                for (int k = 0; k < n; k++) {
                    double kz = kAxis[k];
                    double w = saved[base + 2 * k] * saved[base + 2 * k] + saved[base + 2 * k + 1] * saved[base + 2 * k + 1];
                    sumHat += w;
                    kin += (kx * kx + ky * ky + kz * kz) * w;
                    if (outer || Math.abs(kz) > cut) tail += w;
                }
            }
        }
        acc[0] += sumHat;
        acc[1] += kin;
        acc[2] += tail;
    }

    /**
     * Real-space sums over φ = (psi buffer)/n³: norm, trap, ⟨x⟩, ⟨|x|²⟩, edge mass, ⟨φ⁰, φ⟩, Σρ².
     * With a spectral interaction it also writes φ back into the buffer, for the density that follows.
     */
    private void realRange(int lo, int hi, double[] acc) {
        MemorySegment p = fft.psi();
        boolean writeBack = kind == ConvolutionKernel.Kind.SPECTRAL;
        double edgeAt = 0.4 * grid.length();
        double c0 = Math.pow(Math.PI, -0.75);
        double norm = 0, trapE = 0, mx = 0, my = 0, mz = 0, x2 = 0, edge = 0, ovr = 0, ovi = 0, local = 0;
        for (int i = lo; i < hi; i++) {
            double x = xAxis[i], gx = gAxis[i];
            for (int j = 0; j < n; j++) {
                double y = xAxis[j], gxy = c0 * gx * gAxis[j];
                boolean outer = Math.abs(x) > edgeAt || Math.abs(y) > edgeAt;
                int row = (i * n + j) * n;
                for (int k = 0; k < n; k++) {
                    double z = xAxis[k];
                    long idx = 2L * (row + k);
                    double re = p.getAtIndex(JAVA_DOUBLE, idx) * invN3, im = p.getAtIndex(JAVA_DOUBLE, idx + 1) * invN3;
                    if (writeBack) { p.setAtIndex(JAVA_DOUBLE, idx, re); p.setAtIndex(JAVA_DOUBLE, idx + 1, im); }
                    double r = re * re + im * im;
                    norm += r;
                    trapE += trap[row + k] * r;
                    mx += x * r;
                    my += y * r;
                    mz += z * r;
                    x2 += (x * x + y * y + z * z) * r;
                    if (outer || Math.abs(z) > edgeAt) edge += r;
                    double phi0 = gxy * gAxis[k];
                    ovr += phi0 * re;
                    ovi += phi0 * im;
                    local += r * r;
                }
            }
        }
        acc[0] += norm; acc[1] += trapE; acc[2] += mx; acc[3] += my; acc[4] += mz;
        acc[5] += x2; acc[6] += edge; acc[7] += ovr; acc[8] += ovi; acc[9] += local;
    }

    /** Σ (V*ρ)ρ over the n³ points of the density grids. */
    private void interactionRange(int lo, int hi, double[] acc) {
        MemorySegment r = fft.rho(), c = fft.conv();
        double s = 0;
        for (int i = lo; i < hi; i++)
            for (int j = 0; j < n; j++) {
                long row = i * fft.rhoPlaneStride() + j * fft.rhoRowStride();
                for (int k = 0; k < n; k++) s += c.getAtIndex(JAVA_DOUBLE, row + k) * r.getAtIndex(JAVA_DOUBLE, row + k);
            }
        acc[0] += s;
    }

    /** psi ← psi · curScale. */
    private double scaleRange(int lo, int hi) {
        MemorySegment p = fft.psi();
        double f = curScale;
        for (long q = 2L * lo * n * n; q < 2L * hi * n * n; q++) p.setAtIndex(JAVA_DOUBLE, q, p.getAtIndex(JAVA_DOUBLE, q) * f);
        return 0;
    }

    @Override
    public List<String> warnings() { return List.copyOf(warnings.values()); }

    private void check() {
        if (closed) throw new IllegalStateException("propagator is closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        fft.close();
        if (onClose != null) onClose.run();
    }
}
