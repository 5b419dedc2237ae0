package io.hartree.api.hartree;

import io.hartree.api.HartreePropagator;
import io.hartree.api.Observables;
import io.hartree.api.model.Components;
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
 *
 * <p>Several components ({@code problem.terms().components()}, batch = K): the states are the
 * components of one system, coupled in the phase (W_b = U_b + Σ_j c_bj V*ρ_j, see
 * {@link SplitStepKernels}) and by the Rabi factor e^{−iθM}, which commutes with the kinetic factor
 * and is applied with it at the same step fraction (Strang stays second order). Imaginary time
 * renormalises each component to its population p_b, or the total to 1 with Rabi; observe(b) gives
 * component b's share of the energy (docs/hartree.md, "Several components").
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
    private final double contact, lhy;
    private final double[] weights;
    /** Kinetic coefficients θ = c·dt·a of the first half step, between substeps q−1 and q, between steps. */
    private final double kHalf, kBetween;
    private final double[] kInner;
    private final SplitStepKernels.MomentSpec spec;
    // Per-state scalars, allocated once.
    private final double[] sums, raw, densityScale, pending, scale, ones, invN3s;
    private final Map<String, String> warnings = new LinkedHashMap<>();
    // Several components (null / 1 / no Rabi without): the Rabi half-angle per unit time Ω_R/2, the
    // step fractions of the kinetic factors (Rabi rides with them: both are constant in space and commute),
    // the norms each state keeps in imaginary time (p_b, or the total 1 with Rabi).
    private final Components comps;
    private final double rabiRate;
    private final double cHalf, cBetween;
    private final double[] cInner;
    private final double[] target;
    private final boolean totalNorm;
    private final Observables[] cache;
    private double time;
    private boolean closed;
    /** Damping γ ({@link io.hartree.api.model.GpTerms#damping}) and the drive (null: static trap). */
    private final double gamma;
    private final io.hartree.api.model.Drive drive;
    /** The norm each state is kept at under damping (taken at the first step after its load), and whether it is still to be taken. */
    private final double[] norm0;
    private final boolean[] normPending;
    /** The trap coefficients last given to the backend (drive), and the scratch for new ones. */
    private final double[] trapSet = new double[io.hartree.api.model.Drive.COEFFICIENTS], trapNew = new double[io.hartree.api.model.Drive.COEFFICIENTS];
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
        this.lhy = kernel.lhy();
        this.weights = problem.scheme().weights();
        int s = weights.length;
        this.cHalf = 0.5 * weights[0];
        this.cBetween = 0.5 * (weights[s - 1] + weights[0]);
        this.cInner = new double[s];
        for (int q = 1; q < s; q++) cInner[q] = 0.5 * (weights[q - 1] + weights[q]);
        this.kHalf = theta(cHalf);
        this.kBetween = theta(cBetween);
        this.kInner = new double[s];
        for (int q = 1; q < s; q++) kInner[q] = theta(cInner[q]);
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
        this.gamma = problem.terms().damping();
        this.drive = problem.terms().drive();
        if (imaginary) {
            ParameterException.require(gamma == 0, "--damping", gamma, "0 in imaginary time (damping is a real-time term; ground-state needs none)");
            ParameterException.require(drive == null, "--drive", drive == null ? null : drive.spec(), "none in imaginary time (a ground state is of one trap)");
        }
        this.norm0 = new double[batch];
        this.normPending = new boolean[batch];
        Arrays.fill(normPending, true);
        Arrays.fill(trapSet, Double.NaN);
        this.omega = problem.terms().rotation();
        this.comps = problem.terms().components();
        if (comps != null)
            ParameterException.require(batch == comps.k(), "batch", batch, comps.k() + " (one state per component of --components)");
        this.rabiRate = comps == null ? 0 : 0.5 * comps.rabi();
        this.totalNorm = comps != null && comps.totalNorm();
        this.target = comps == null ? ones.clone() : comps.populations();
    }

    /**
     * The Rabi factor e^{−iθM} (e^{−θM} in imaginary time) of a fraction c of the step, θ = c·dt·Ω_R/2,
     * M_ij = 1 − δ_ij: α = e^{iθ}, β = (e^{−iθ(K−1)} − e^{iθ})/K (M = J − I, J/K the projector on (1,…,1)/√K).
     */
    private void rabi(double c) {
        if (rabiRate == 0) return;
        double th = c * dt * rabiRate;
        int kk = comps.k();
        if (imaginary) {
            double a = Math.exp(th);
            k.rabi(a, 0, (Math.exp(-th * (kk - 1)) - a) / kk, 0);
        } else {
            double ar = Math.cos(th), ai = Math.sin(th);
            k.rabi(ar, ai, (Math.cos(th * (kk - 1)) - ar) / kk, (-Math.sin(th * (kk - 1)) - ai) / kk);
        }
    }

    /** densityScale from raw masses: s_b = p_b/(raw_b·toNorm), or 1/(Σraw·toNorm) for all b with Rabi (total norm 1). */
    private void densityScales(double[] rawMass, double toNorm) {
        double total = 0;
        for (int b = 0; b < batch; b++) total += rawMass[b];
        for (int b = 0; b < batch; b++)
            densityScale[b] = totalNorm ? 1 / (total * toNorm) : target[b] == 0 ? 0 : target[b] / (rawMass[b] * toNorm);
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

    /**
     * The factors that commute with the kinetic one, applied with it at the same fraction c of the step:
     * the rotation (T is isotropic in x, y) and the Rabi coupling (it acts on the component index).
     */
    private void commuting(double c) {
        rotate(c);
        rabi(c);
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
        normPending[state] = true;
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
        if (!imaginary && (gamma > 0 || drive != null)) {
            advanceDampedOrDriven(steps);
            return;
        }
        int s = weights.length;
        Arrays.fill(pending, 1);
        // In imaginary time each kinetic pass also sums |ψ̂|²: Σ|ψ̂'|²·n³·dV is then ‖φ‖² in real space.
        double toNorm = 1 / invN3 * dV;
        for (int step = 0; step < steps; step++) {
            for (int q = 0; q < s; q++) {
                double factor, frac;
                double[] sc;
                if (q > 0) { factor = kInner[q]; frac = cInner[q]; sc = invN3s; }
                else if (step == 0 || imaginary) {
                    factor = kHalf;
                    frac = cHalf;
                    for (int b = 0; b < batch; b++) scale[b] = invN3 * pending[b];
                    sc = scale;
                } else { factor = kBetween; frac = cBetween; sc = invN3s; }
                double tau = weights[q] * dt;
                if (!imaginary) {
                    commuting(frac);
                    k.realTimeSubstep(factor, sc, tau);
                    continue;
                }
                if (startDensity) {
                    // V*ρ_n from the normalised density of the state at the start of the step.
                    k.meanField(Density.START, raw);
                    densityScales(raw, dV);
                }
                commuting(frac);
                k.kick(factor, true, sc, sums);
                k.transform(Dft.BACKWARD);
                if (!startDensity) {
                    densityScales(sums, toNorm);
                    k.meanField(Density.STATE, null);
                }
                k.phase(tau, densityScale, startDensity ? Density.START : Density.STATE, true);
                k.transform(Dft.FORWARD);
            }
            if (imaginary) {
                commuting(cHalf);
                k.kick(kHalf, true, ones, sums);
                if (totalNorm) {
                    double total = 0;
                    for (int b = 0; b < batch; b++) total += sums[b];
                    Arrays.fill(pending, 1 / Math.sqrt(total * dV * invN3));
                } else {
                    for (int b = 0; b < batch; b++)
                        pending[b] = target[b] == 0 ? 0 : Math.sqrt(target[b]) / Math.sqrt(sums[b] * dV * invN3);
                }
            } else if (step == steps - 1) {
                commuting(cHalf);
                k.kick(kHalf, false, ones, null);
            }
        }
        if (imaginary) k.scale(pending);
        time += steps * dt;
    }

    /**
     * Real time with damping γ and/or a drive. Damping: (i − γ)∂tφ = (H − μ)φ, i.e.
     * ∂tφ = −((i + γ)/(1 + γ²))(H − μ)φ, each split factor e^{−(i+γ)c'X}, c' = c/(1 + γ²), applied as
     * the real-time factor e^{−ic'X} then the imaginary-time one e^{−γc'X} of the same operator
     * (they commute; the potential's second factor sees the same |φ|², the first being unimodular).
     * The mean field is taken from the density rescaled to the kept norm N₀ (densityScale = N₀/‖φ‖²,
     * measured by the kick before it), so the split equation is homogeneous of degree one in φ, and
     * each state is rescaled to N₀ at every substep and at the end of the call: this is the μ(t)
     * that keeps ‖φ‖ = N₀ exactly, μ = ⟨φ, Hφ⟩/N₀ up to the splitting error (its imaginary part only
     * turns the global phase, which no observable sees). Drive: a(t) and U(t) at the midpoint of each
     * (sub)step, t + (w₀ + … + w_{q−1} + w_q/2)·dt, which keeps Strang second and the triple jump
     * fourth order; adjacent half kicks are merged (their θ's add). Without damping the substep is
     * {@link SplitStepKernels#realTimeSubstep}.
     */
    private void advanceDampedOrDriven(int steps) {
        int s = weights.length;
        double c1 = 1 / (1 + gamma * gamma);
        double toNorm = 1 / invN3 * dV;
        if (gamma > 0) {
            boolean any = false;
            for (int b = 0; b < batch; b++) any |= normPending[b];
            if (any) {
                // θ = 0 and scale 1 leave ψ̂ bitwise unchanged and give Σ|ψ̂|² = ‖φ‖²·n³/dV.
                k.kick(0, true, ones, sums);
                for (int b = 0; b < batch; b++)
                    if (normPending[b]) { norm0[b] = sums[b] * dV * invN3; normPending[b] = false; }
            }
        }
        Arrays.fill(pending, 1);
        double a = problem.h().kinetic(), tail = 0;
        for (int step = 0; step < steps; step++) {
            double start = time + step * dt, elapsed = 0;
            for (int q = 0; q < s; q++) {
                if (drive != null) a = setDrive(start + (elapsed + 0.5 * weights[q]) * dt);
                elapsed += weights[q];
                double head = 0.5 * weights[q] * dt * a * c1, theta = tail + head, tau = weights[q] * dt * c1;
                tail = head;
                for (int b = 0; b < batch; b++) scale[b] = invN3 * pending[b];
                if (gamma == 0) {
                    k.realTimeSubstep(theta, scale, tau);
                    continue;
                }
                k.kick(theta, false, scale, null);
                k.kick(gamma * theta, true, ones, sums);
                for (int b = 0; b < batch; b++) {
                    densityScale[b] = norm0[b] / (sums[b] * toNorm);
                    pending[b] = Math.sqrt(densityScale[b]);
                }
                k.transform(Dft.BACKWARD);
                k.meanField(Density.STATE, null);
                k.phase(tau, densityScale, Density.STATE, false);
                k.phase(gamma * tau, densityScale, Density.STATE, true);
                k.transform(Dft.FORWARD);
            }
        }
        k.kick(tail, false, gamma > 0 ? pending : ones, null);
        if (gamma > 0) {
            k.kick(gamma * tail, true, ones, sums);
            for (int b = 0; b < batch; b++) pending[b] = Math.sqrt(norm0[b] / (sums[b] * dV * invN3));
            k.scale(pending);
        }
        time += steps * dt;
    }

    /** Gives the backend the drive's trap at time t (when it changed) and returns a(t). */
    private double setDrive(double t) {
        drive.coefficients(t, trapNew);
        if (!Arrays.equals(trapNew, trapSet)) {
            k.trap(trapNew);
            System.arraycopy(trapNew, 0, trapSet, 0, trapNew.length);
        }
        return drive.kinetic(t);
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
        // With a drive the energy is the instantaneous one: h(t) = a(t)(−Δ) + U(t) at the observation's time.
        double a = drive == null ? problem.h().kinetic() : setDrive(time);
        SplitStepKernels.Moments m = k.moments(state, spec);
        double norm = m.norm() * dV;
        double kin = a * m.kinetic() * dV * invN3;
        double trap = m.trap() * dV;
        double inter = switch (kind) {
            case NONE -> 0;
            case LOCAL -> 0.5 * contact * m.rho2() * dV;
            case SPECTRAL -> 0.5 * m.meanField() * dV;
        };
        double rabiE = 0;
        if (comps != null) {
            // Component `state`'s share: ½Σ_{j≠b} c_bj ∫(V*ρ_j)ρ_b added to its own ½c_bb∫(V*ρ_b)ρ_b, and
            // (Ω_R/2)Σ_{j≠b} Re⟨ψ_b, ψ_j⟩; the shares sum to the total energy.
            inter *= comps.coupling(state, state);
            for (int j = 0; j < batch; j++) {
                if (j == state) continue;
                SplitStepKernels.Cross x = k.cross(state, j);
                inter += 0.5 * comps.coupling(state, j) * x.meanField() * dV;
                rabiE += rabiRate * x.overlapRe() * dV * invN3;
            }
        }
        // LHY: E = (2/5)γ∫|φ|⁵ and, as δE/δφ* = γ|φ|³φ, its part of μ = ⟨φ, (h + W)φ⟩/‖φ‖² is γ∫|φ|⁵/‖φ‖²
        // (= (5/2)E_LHY/‖φ‖², where a quadratic interaction gives 2E_int/‖φ‖²).
        double lhyIntegral = lhy == 0 ? 0 : lhy * m.rho52() * dV;
        double muParts = kin + trap + 2 * inter + lhyIntegral + rabiE;
        inter += 0.4 * lhyIntegral;
        double lab = kin + trap + inter + rabiE;
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
        // An empty state (a component of population 0) has no means: 0, not NaN (which would raise the edge warning).
        double normOr = norm > 0 ? norm : Double.POSITIVE_INFINITY;
        double mu = (muParts - omega * lz) / normOr;
        double c0 = Math.pow(Math.PI, -0.75) * dV;
        double ovr = c0 * m.overlapRe(), ovi = c0 * m.overlapIm();
        Observables o = new Observables(time, norm, energy, kin, trap, inter, mu,
                m.mx() * dV / normOr, m.my() * dV / normOr, m.mz() * dV / normOr, m.x2() * dV / normOr,
                ovr * ovr + ovi * ovi, m.edge() * dV / normOr, m.sumHat() == 0 ? 0 : m.tail() / m.sumHat(),
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
