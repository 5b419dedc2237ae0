package io.hartree.api.hartree;

import io.hartree.api.HartreePropagator;
import io.hartree.api.Observables;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;

import io.hartree.api.ParameterException;
import io.hartree.api.SplitStepKernels;
import io.hartree.api.SplitStepKernels.Density;
import io.hartree.api.SplitStepKernels.Dft;
import io.hartree.api.model.Grid3D;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The split-step Fourier method for i∂tφ = hφ + (V*|φ|²)φ (paper eqs. (3.12), (4.4)), h = a(−Δ) + U,
 * written once over a backend's {@link SplitStepKernels}, for a batch of states that share grid,
 * trap, plans and kernel table (each state has its own norm and observables; one clock).
 *
 * <p>One Strang step of size τ is φ ← e^{−iτT/2} e^{−iτW} e^{−iτT/2} φ with T = a|k|² (Fourier
 * space) and W = U + V*|φ|² evaluated on the state after the first half kinetic step, which keeps
 * the map second order and time-symmetric. {@link Scheme#FOURTH} is the triple jump
 * S(w₁τ)S(w₀τ)S(w₁τ), w₁ = 1/(2 − 2^{1/3}), w₀ = 1 − 2w₁ (Yoshida 1990). Imaginary time replaces
 * e^{−iτ·} by e^{−τ·} and renormalises each state to ‖φ‖ = 1 after every step. In imaginary time
 * with Strang the mean field V*ρ is taken from the normalised density of the state at the start of
 * the step ({@link Scheme#startOfStepDensity}): the step is then a symmetric positive operator
 * e^{−τT/2}e^{−τW[ρ_n]}e^{−τT/2} whose fixed point solves (T + W[ρ*])φ* = μφ* up to O(τ²); with the
 * mid-step density of real time the fixed point would be off by O(τ) (measured: the virial residual
 * halves with τ). The fourth-order scheme in imaginary time uses the normalised mid-step density of
 * each substep (its fixed point is first order in τ; docs/hartree.md).
 *
 * <p>The states are kept in Fourier space (ψ̂ = unnormalised DFT of φ) between steps, so a step
 * costs one backward and one forward complex FFT plus the r2c/c2r pair of the density (none for
 * contact or no interaction). Adjacent half kinetic factors of consecutive (sub)steps are merged
 * within one {@link #advance} call; the 1/n³ of the backward transform is folded into the kinetic
 * factor. Real-time substeps go through
 * {@link SplitStepKernels#realTimeSubstep}, which a backend may fuse. Nothing is allocated in
 * {@link #advance}.
 */
public final class SplitStepPropagator implements HartreePropagator {
    /** Fraction of the Nyquist wave number above which |φ̂|² counts as spectral tail ({@link Observables#spectralTail()}). */
    public static final double TAIL_CUT = 2.0 / 3.0;
    /** Distance from the centre, as a fraction of L, beyond which mass counts as edge mass ({@link Observables#edgeMass()}): within L/10 of a face. */
    public static final double EDGE_AT = 0.4;

    private final HartreeProblem problem;
    private final SplitStepKernels k;
    private final Runnable onClose;
    private final int n, batch;
    private final double dt, dV, invN3;
    private final boolean imaginary, startDensity;
    private final ConvolutionKernel.Kind kind;
    private final double contact;
    private final double[] weights;
    /** Kinetic coefficients θ = c·dt·a of the first half step, between substeps q−1 and q, between steps. */
    private final double kHalf, kBetween;
    private final double[] kInner;
    private final SplitStepKernels.MomentSpec spec;
    // Per-state scalars, allocated once.
    private final double[] sums, raw, densityScale, pending, scale, ones, invN3s;
    private final Map<String, String> warnings = new LinkedHashMap<>();
    private final Observables[] cache;
    private double time;
    private boolean closed;
    /** Ω of the rotating frame (0: none) and the host transforms of its observables ({@link Rotation}). */
    private final double omega;
    private io.hartree.api.HostTransforms hostTransforms;

    /**
     * @param kernel  the convolution kernel the backend built its tables from (its kind decides the
     *                start-of-step rule and the interaction energy)
     * @param onClose run once when this propagator closes (the session forgets it)
     */
    public SplitStepPropagator(HartreeProblem problem, ConvolutionKernel kernel, SplitStepKernels kernels, Runnable onClose) {
        this.problem = problem;
        this.k = kernels;
        this.onClose = onClose;
        Grid3D grid = problem.grid();
        this.n = grid.n();
        this.batch = kernels.batch();
        this.dt = problem.dt();
        this.dV = grid.dV();
        this.invN3 = 1.0 / grid.points();
        this.imaginary = problem.timeMode() == TimeMode.IMAGINARY;
        this.startDensity = problem.scheme().startOfStepDensity(problem.timeMode(), kernel.kind() != ConvolutionKernel.Kind.NONE);
        this.kind = kernel.kind();
        this.contact = kernel.contact();
        this.weights = problem.scheme().weights();
        int s = weights.length;
        this.kHalf = theta(0.5 * weights[0]);
        this.kBetween = theta(0.5 * (weights[s - 1] + weights[0]));
        this.kInner = new double[s];
        for (int q = 1; q < s; q++) kInner[q] = theta(0.5 * (weights[q - 1] + weights[q]));
        double[] g = new double[n];
        for (int j = 0; j < n; j++) g[j] = Math.exp(-0.5 * grid.x(j) * grid.x(j));
        this.spec = new SplitStepKernels.MomentSpec(TAIL_CUT * grid.kMax(), EDGE_AT * grid.length(), g);
        this.sums = new double[batch];
        this.raw = new double[batch];
        this.densityScale = new double[batch];
        this.pending = new double[batch];
        this.scale = new double[batch];
        this.ones = new double[batch];
        this.invN3s = new double[batch];
        Arrays.fill(ones, 1);
        Arrays.fill(invN3s, invN3);
        this.cache = new Observables[batch];
        this.omega = problem.terms().rotation();
    }

    /**
     * The host transforms for ⟨L_z⟩ in {@link #observe} of a rotating problem (the session's); without
     * them ⟨L_z⟩ and the vortex count of a rotating problem are NaN.
     */
    public SplitStepPropagator hostTransforms(io.hartree.api.HostTransforms t) {
        this.hostTransforms = t;
        return this;
    }

    /**
     * The rotation part e^{−ic·dt(−ΩL_z)} of a kinetic factor of the fraction c of the step: angle Ω·c·dt
     * ({@link Rotation#apply}), applied before the kick (T and L_z commute: T is isotropic in x, y).
     */
    private void rotate(double fraction) {
        if (omega != 0) Rotation.apply(k, n, omega * fraction * dt, imaginary);
    }

    /** θ = c·dt·a: the kinetic factor e^{−iθ|k|²} of a fraction c of the step. */
    private double theta(double c) { return c * dt * problem.h().kinetic(); }

    @Override public HartreeProblem problem() { return problem; }

    @Override public double time() { return time; }

    @Override public void setTime(double t) { check(); time = t; }

    @Override public int batch() { return batch; }

    /** The backend's primitives and how they run. */
    @Override public String implementation() { return k.describe(); }

    @Override
    public void load(double[] psi, double t) {
        load(0, psi);
        time = t;
    }

    @Override
    public void load(int state, double[] psi) { load(state, MemorySegment.ofArray(checkLength(psi))); }

    /** Long-indexed: any grid the memory holds. */
    @Override
    public void load(MemorySegment psi, double t) {
        load(0, psi);
        time = t;
    }

    /** Sets state {@code state} from 2n³ doubles in a segment (heap or off-heap, long-indexed); the time is unchanged. */
    public void load(int state, MemorySegment psi) {
        check();
        checkState(state);
        checkBytes(psi);
        k.load(state, psi);
        cache[state] = null;
    }

    @Override
    public void store(double[] psi) { store(0, psi); }

    @Override
    public void store(int state, double[] psi) { store(state, MemorySegment.ofArray(checkLength(psi))); }

    @Override
    public void store(MemorySegment psi) { store(0, psi); }

    /** Copies state {@code state} into 2n³ doubles of a segment (long-indexed). */
    public void store(int state, MemorySegment psi) {
        check();
        checkState(state);
        checkBytes(psi);
        k.store(state, psi, invN3);
    }

    @Override
    public void advance(int steps) {
        check();
        if (steps < 0) throw new ParameterException("steps", steps, "integer >= 0");
        if (steps == 0) return;
        Arrays.fill(cache, null);
        int s = weights.length;
        Arrays.fill(pending, 1);
        // In imaginary time each kinetic pass also sums |ψ̂|²: Σ|ψ̂'|²·n³·dV is then ‖φ‖² in real space.
        double toNorm = 1 / invN3 * dV;
        for (int step = 0; step < steps; step++) {
            for (int q = 0; q < s; q++) {
                double factor, fraction;
                double[] sc;
                if (q > 0) { factor = kInner[q]; fraction = 0.5 * (weights[q - 1] + weights[q]); sc = invN3s; }
                else if (step == 0 || imaginary) {
                    factor = kHalf;
                    fraction = 0.5 * weights[0];
                    for (int b = 0; b < batch; b++) scale[b] = invN3 * pending[b];
                    sc = scale;
                } else { factor = kBetween; fraction = 0.5 * (weights[s - 1] + weights[0]); sc = invN3s; }
                double tau = weights[q] * dt;
                if (!imaginary) {
                    rotate(fraction);
                    k.realTimeSubstep(factor, sc, tau);
                    continue;
                }
                if (startDensity) {
                    // V*ρ_n from the normalised density of the state at the start of the step.
                    k.meanField(Density.START, raw);
                    for (int b = 0; b < batch; b++) densityScale[b] = 1 / (raw[b] * dV);
                }
                rotate(fraction);
                k.kick(factor, true, sc, sums);
                k.transform(Dft.BACKWARD);
                if (!startDensity) {
                    for (int b = 0; b < batch; b++) densityScale[b] = 1 / (sums[b] * toNorm);
                    k.meanField(Density.STATE, null);
                }
                k.phase(tau, densityScale, startDensity ? Density.START : Density.STATE, true);
                k.transform(Dft.FORWARD);
            }
            if (imaginary) {
                rotate(0.5 * weights[0]);
                k.kick(kHalf, true, ones, sums);
                for (int b = 0; b < batch; b++) pending[b] = 1 / Math.sqrt(sums[b] * dV * invN3);
            } else if (step == steps - 1) {
                rotate(0.5 * weights[0]);
                k.kick(kHalf, false, ones, null);
            }
        }
        if (imaginary) k.scale(pending);
        time += steps * dt;
    }

    @Override
    public Observables observe() { return observe(0); }

    /**
     * Observables of state {@code state}, all Riemann sums with dV = dx³ (see {@link Observables}):
     * kinetic energy and spectral tail by Parseval from ψ̂, the rest in real space, from the
     * backend's raw {@link SplitStepKernels#moments}. Raises the warnings of
     * {@link Observables#warnings()} (recorded in {@link #warnings()}).
     */
    @Override
    public Observables observe(int state) {
        check();
        checkState(state);
        Observables cached = cache[state];
        if (cached != null) return cached;
        SplitStepKernels.Moments m = k.moments(state, spec);
        double a = problem.h().kinetic();
        double norm = m.norm() * dV;
        double kin = a * m.kinetic() * dV * invN3;
        double trap = m.trap() * dV;
        double inter = switch (kind) {
            case NONE -> 0;
            case LOCAL -> 0.5 * contact * m.rho2() * dV;
            case SPECTRAL -> 0.5 * m.meanField() * dV;
        };
        double lab = kin + trap + inter;
        double lz = 0;
        int vortices = 0;
        if (omega != 0) {
            if (hostTransforms == null) { lz = Double.NaN; vortices = -1; }
            else {
                double[] phi = new double[problem.grid().hostComplexLength()];
                store(state, phi);
                lz = Rotation.angularMomentum(phi, problem.grid(), hostTransforms);
                vortices = Rotation.vortexCount(phi, problem.grid());
            }
        }
        // In the rotating frame the energy and μ are those of h − ΩL_z (the old ones when Ω = 0).
        double energy = lab - omega * lz;
        double mu = (kin + trap + 2 * inter - omega * lz) / norm;
        double c0 = Math.pow(Math.PI, -0.75) * dV;
        double ovr = c0 * m.overlapRe(), ovi = c0 * m.overlapIm();
        Observables o = new Observables(time, norm, energy, kin, trap, inter, mu,
                m.mx() * dV / norm, m.my() * dV / norm, m.mz() * dV / norm, m.x2() * dV / norm,
                ovr * ovr + ovi * ovi, m.edge() * dV / norm, m.sumHat() == 0 ? 0 : m.tail() / m.sumHat(),
                lz, lab, vortices);
        for (String w : o.warnings()) warnings.putIfAbsent(w.substring(0, w.indexOf(':')), w);
        cache[state] = o;
        return o;
    }

    @Override
    public List<String> warnings() { return List.copyOf(warnings.values()); }

    private void checkState(int state) {
        if (state < 0 || state >= batch) throw new IndexOutOfBoundsException("state " + state + " of a batch of " + batch);
    }

    private double[] checkLength(double[] psi) {
        if (psi.length != 2L * problem.grid().points())
            throw new ParameterException("state", psi.length + " values", "2n³ = " + 2L * problem.grid().points() + " (interleaved complex)");
        return psi;
    }

    private void checkBytes(MemorySegment psi) {
        if (psi.byteSize() != 2L * problem.grid().points() * Double.BYTES)
            throw new ParameterException("state", psi.byteSize() / Double.BYTES + " values", "2n³ = " + 2L * problem.grid().points() + " (interleaved complex)");
    }

    private void check() {
        if (closed) throw new IllegalStateException("propagator is closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        k.close();
        if (onClose != null) onClose.run();
    }
}
