package io.hartree.gpu;

import io.hartree.api.Precision;
import io.hartree.api.SplitStepKernels;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.gpu.cuda.CudaException;
import io.hartree.gpu.cuda.CudaStatus;
import io.hartree.gpu.cuda.Cufft;
import io.hartree.gpu.cuda.Driver;
import io.hartree.gpu.cuda.KernelArgs;
import io.hartree.gpu.cuda.Launch;
import io.hartree.gpu.cuda.OutOfMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The split-step primitives ({@link SplitStepKernels}) on a CUDA device, for engine-api's
 * {@link io.hartree.api.hartree.SplitStepPropagator}: the kernels of hartree.cu (kick, density,
 * spectrum multiply, potential phase, reductions) and cuFFT, on the session's stream. One state
 * (maxBatch 1), or the K states of a problem with several components (--components: coupled phase,
 * Rabi and cross-sum kernels; never fused). Selected by {@link #SWITCH}; the default path is still
 * {@link CudaHartreePropagator}.
 *
 * <p>Conventions: cuFFT's CUFFT_FORWARD is {@link Dft#FORWARD} (sign −1) and CUFFT_INVERSE is
 * {@link Dft#BACKWARD} (sign +1), both unnormalised, as the SPI states. Every launch is prepared
 * (and checked against the kernel's parameter list) in the constructor; per-call host scalars
 * (θ, the kinetic scale, τ, the density scale) are written into the prepared argument slots and
 * go to the device by value with the launch, so nothing is allocated and nothing is copied or
 * waited for in a real-time step. Only a reduction whose result the algorithm needs on the host
 * ({@code sums} of {@link #kick} and {@link #meanField}, {@link #moments}) synchronises the stream.
 *
 * <p>Where it is eligible (real time, double, a periodic spectral kernel, Strang) and the
 * libraries allow it, {@link #realTimeSubstep} is the cuFFT LTO-callback step of the default path
 * (callbacks/hartree_callbacks.cu): four transforms, no kernel launch but a one-thread
 * {@code set_f64} when θ, the scale or τ changed.
 */
final class CudaSplitStepKernels implements SplitStepKernels {
    /** Environment switch that selects this path: HARTREE_CUDA_SPLITSTEP=1 (or -Dhartree.cuda.splitstep=true). */
    static final String SWITCH = "HARTREE_CUDA_SPLITSTEP";
    static final int BLOCK = 256, MAX_BLOCKS = CudaHartreePropagator.MAX_BLOCKS, NX = CudaHartreePropagator.NX, NK = CudaHartreePropagator.NK;

    /**
     * Argument slots written per call (a test checks them against the parameter names in hartree.cu):
     * kick's atau (θ) and c (the scale); potential_phase's vrho, vfac, g and tau; reduce_x's edge; reduce_k's kcut.
     */
    static final int KICK_ATAU = 3, KICK_C = 4, PHASE_VRHO = 1, PHASE_VFAC = 2, PHASE_G = 3, PHASE_TAU = 9, REDUCE_X_EDGE = 14, REDUCE_K_KCUT = 3;
    /** The first of the four trap coefficients cx, cy, cz, off of potential_phase and reduce_x, set by {@link #trap} (--drive). */
    static final int PHASE_CX = 11, REDUCE_X_CX = 8;
    /** potential_phase_lhy's gamma (γ·s^{3/2}, set per call) and lrho (the stored start-of-step density or 0). */
    static final int PHASE_GAMMA = 16, PHASE_LRHO = 17;

    /** Whether the switch selects this path. */
    static boolean selected() {
        return "1".equals(System.getenv(SWITCH)) || "true".equals(System.getProperty("hartree.cuda.splitstep"));
    }

    /**
     * Whether {@code problem} runs on this path: with the switch, or whenever it has a term beyond
     * the paper's equation ({@link io.hartree.api.model.GpTerms}) or an LHY term in its interaction,
     * which only the one algorithm implements ({@link CudaHartreePropagator} predates them; a
     * dipolar kernel or a sum without LHY is just a spectral table, which both paths apply).
     */
    static boolean selected(HartreeProblem problem) {
        return selected() || !problem.terms().none() || Interaction.lhyGamma(problem.interaction()) != 0;
    }

    private final CudaSession s;
    private final Driver drv;
    private final Cufft fft;
    private final Grid3D grid;
    private final HartreeProblem problem;
    private final boolean single;
    private final ConvolutionKernel.Kind kind;
    private final double contact, dV, lhy;
    /** The start-of-step density of an LHY term next to a spectral kernel (n³), else 0; with a local kernel the stored contact density serves. */
    private final long lhyRho;
    private final Launch densityLhy, reduceFive;
    private final int n, m, real, gridN;
    private final long n3, half;
    private final DeviceResources res;
    private final Arena arena;
    private final long psi, scratch, rho, vrho, rhohat, table, trap, partials, sums;
    private final MemorySegment psiP, scratchP, rhoP, vrhoP, rhohatP, hostSums;
    private final int planCc, planR2C, planC2R;
    private final ConvolutionKernel kernel;
    /** The kick's argument blocks by [imaginary][with sums]: θ (slot 3) and the scale (slot 4) are set per call. */
    private final KernelArgs[][] kickArgs = new KernelArgs[2][2];
    private final Launch[][] kicks = new Launch[2][2];
    private final KernelArgs phaseRealArgs, phaseImagArgs, reduceXArgs, reduceKArgs;
    private final Launch phaseReal, phaseImag, density, densityStart, spectrum, reduceX, reduceK, finalSum1, finalX, finalK;
    /** The fused real-time substep, or null (not eligible, switched off, or its setup failed: see {@link #describe}). */
    private final Fused fused;
    private final String describe;
    /**
     * The rotating frame (null/0 without rotation): 1D plans along x (one plan, n² transforms of stride n²) and
     * along y (n transforms of stride n, run once per x-plane at {@link #planes}), the axis_phase launches by
     * [coord axis][imaginary] with c (slot {@value #AXIS_C}) and the scale (slot {@value #AXIS_SCALE}) set per call.
     */
    private final int planX, planY;
    private final MemorySegment[] planes;
    private final KernelArgs[][] axisArgs = new KernelArgs[2][2];
    private final Launch[][] axisPhases = new Launch[2][2];
    static final int AXIS_C = 6, AXIS_SCALE = 8;

    /**
     * Several components (null/1 for one state): the K states lie one after another from {@code psi}
     * ({@link #psiOf}); per-state mean fields {@code meanF[b]} (V*ρ_b on the m³ grid, or the stored contact
     * density ρ_b on n³); per-state traps (a sampled table {@code trapB[b]}, else the coefficients {@code trapCB[b]});
     * the coupled phase by [imaginary], the Rabi mixing and the cross sums with the density launch they share.
     */
    private final io.hartree.api.model.Components comps;
    private final int kk;
    private final long[] meanF, trapB;
    private final double[][] trapCB;
    private final MemorySegment[] psiSeg, meanFP;
    private final KernelArgs[] coupledArgs = new KernelArgs[2];
    private final Launch[] coupled = new Launch[2];
    private final KernelArgs rabiArgs, crossArgs, compDensityArgs;
    private final Launch rabiL, crossL, compDensity, finalCross;
    /** coupled_phase's w0 (then w1, w2), f0 (then f1, f2), tau, cx (then cy, cz, off) and U; rabi's ar (then ai, br, bi). */
    static final int CPHASE_W = 3, CPHASE_F = 6, CPHASE_TAU = 11, CPHASE_CX = 13, CPHASE_U = 17, RABI_AR = 3;
    /** reduce_x's trap table U, set per state with several components. */
    static final int REDUCE_X_U = 12;

    /** The spec last checked against the kernels' fixed overlap function (checked once per spec object). */
    private MomentSpec checkedSpec;

    /**
     * @param kernel the convolution kernel built for {@code problem} with the session's host transforms
     */
    CudaSplitStepKernels(CudaSession session, HartreeProblem problem, ConvolutionKernel kernel) {
        this.s = session;
        this.drv = session.drv;
        this.fft = session.rt.cufft;
        this.problem = problem;
        this.kernel = kernel;
        this.grid = problem.grid();
        this.single = session.options.precision() == Precision.SINGLE;
        this.kind = kernel.kind();
        this.contact = kind == ConvolutionKernel.Kind.LOCAL ? kernel.contact() : 0;
        boolean spectral = kind == ConvolutionKernel.Kind.SPECTRAL;
        boolean localStored = storesContactDensity(problem, kind);
        this.lhy = kernel.lhy();
        this.n = grid.n();
        this.m = spectral ? kernel.size() : n;
        this.real = single ? 4 : 8;
        this.n3 = grid.points();
        this.half = (long) m * m * (m / 2 + 1);
        this.dV = grid.dV();
        this.gridN = Launch.gridFor(n3, BLOCK, MAX_BLOCKS);
        this.comps = problem.terms().components();
        this.kk = comps == null ? 1 : comps.k();
        if (comps != null) {
            // Not combined on this path (the cpu backend has them): each would need its per-state form here.
            io.hartree.api.ParameterException.require(problem.terms().rotation() == 0 && problem.terms().drive() == null && lhy == 0,
                    "--components", "k=" + kk + " with " + (lhy != 0 ? "an LHY term" : problem.terms().rotation() != 0 ? "--rotation" : "--drive"),
                    "several components without --rotation, --drive or an LHY term on backend cuda (use --backend cpu)");
        }
        long need = deviceBytes(problem, kernel, single);
        long free = drv.memInfo()[0];
        if (need > free)
            throw new CudaException(CudaStatus.Api.DRIVER, 2, OutOfMemory.message(need, free, "the split-step primitives' arrays at "
                    + n + "³ " + problem.convolution().label() + " (before cuFFT's work areas)"), false);
        this.res = new DeviceResources(session);
        try {
            this.arena = res.arena();
            this.psi = res.alloc(2L * real * n3 * kk, kk == 1 ? "the state ψ̂ (" + n + "³ complex)" : "the " + kk + " states ψ̂_b (" + kk + "·" + n + "³ complex)");
            this.scratch = res.alloc(2L * real * n3, "the scratch copy of ψ̂ (store, start-of-step density, observables; " + n + "³ complex)");
            this.rho = spectral ? res.alloc(real * (long) m * m * m, "the density |φ|² (" + m + "³ real)")
                    : localStored ? res.alloc(real * n3, "the start-of-step density |φ|² (" + n + "³ real)") : 0;
            this.vrho = !spectral ? 0 : m == n ? rho : res.alloc(real * (long) m * m * m, "V*|φ|² on the padded grid (" + m + "³ real)");
            this.rhohat = spectral ? res.alloc(2L * real * half, "the density spectrum (" + m + "²·" + (m / 2 + 1) + " complex)") : 0;
            this.table = spectral ? res.alloc(real * half, "the kernel table V̂ (" + m + "²·" + (m / 2 + 1) + " real)") : 0;
            this.lhyRho = storesLhyDensity(problem, kernel) ? res.alloc(real * n3, "the start-of-step density of the LHY term (" + n + "³ real)") : 0;
            this.partials = res.alloc(8L * (NX + NK) * MAX_BLOCKS, "reduction partials");
            this.sums = res.alloc(8L * 16, "reduction results");
            this.trap = CudaHartreePropagator.sampledTrap(problem.h().trap()) ? res.alloc(real * n3, "the trap U(x) (" + n + "³ real)") : 0;
            this.planCc = res.plan3d(n, single ? Cufft.C2C : Cufft.Z2Z, "complex");
            this.planR2C = spectral ? res.plan3d(m, single ? Cufft.R2C : Cufft.D2Z, "real-to-complex") : 0;
            this.planC2R = spectral ? res.plan3d(m, single ? Cufft.C2R : Cufft.Z2D, "complex-to-real") : 0;
            if (spectral && m != n) drv.memsetD8(rho, (byte) 0, real * (long) m * m * m);
            if (trap != 0) HostStaging.uploadReal(drv, trap, problem.h().trap().sample(grid), single);
            if (spectral) HostStaging.uploadReal(drv, table, kernel.table(), single);
            this.psiP = MemorySegment.ofAddress(psi);
            this.scratchP = MemorySegment.ofAddress(scratch);
            this.rhoP = MemorySegment.ofAddress(rho);
            this.vrhoP = MemorySegment.ofAddress(vrho);
            this.rhohatP = MemorySegment.ofAddress(rhohat);
            this.hostSums = arena.allocate(8L * 16, 8);

            double dk = 2 * Math.PI / grid.length(), x0 = -0.5 * grid.length(), dx = grid.dx();
            double[] trapC = CudaHartreePropagator.trapCoefficients(problem.h().trap());
            String kick = Kernels.typed(Kernels.KICK, single), phase = Kernels.typed(Kernels.POTENTIAL_PHASE_LHY, single);
            // kick(psi, n, dk, atau = θ [3], c = scale [4], scale pointer 0, imag, partials): θ and the scale set per call.
            for (int imag = 0; imag < 2; imag++)
                for (int sum = 0; sum < 2; sum++) {
                    kickArgs[imag][sum] = new KernelArgs(arena).ptr(psi).i32(n).f64(dk).f64(0).f64(1).ptr(0).i32(imag).ptr(sum == 1 ? partials : 0);
                    kicks[imag][sum] = launch(kick, gridN, kickArgs[imag][sum]);
                }
            // potential_phase(psi, vrho [1], vfac [2], g [3], dscale pointer 0, n, m, x0, dx, tau [9], imag, cx, cy, cz, off, U):
            // the mean-field source, its factor s·(1 or g), the contact g·s and τ set per call; d = 1 (no pointer);
            // gamma [16] = γ·s^{3/2} and lrho [17] (the stored start-of-step density, START only) set per call.
            this.phaseRealArgs = new KernelArgs(arena).ptr(psi).ptr(0).f64(1).f64(0).ptr(0).i32(n).i32(m).f64(x0).f64(dx).f64(0).i32(0)
                    .f64(trapC[0]).f64(trapC[1]).f64(trapC[2]).f64(trapC[3]).ptr(trap).f64(0).ptr(0);
            this.phaseImagArgs = new KernelArgs(arena).ptr(psi).ptr(0).f64(1).f64(0).ptr(0).i32(n).i32(m).f64(x0).f64(dx).f64(0).i32(1)
                    .f64(trapC[0]).f64(trapC[1]).f64(trapC[2]).f64(trapC[3]).ptr(trap).f64(0).ptr(0);
            this.phaseReal = launch(phase, gridN, phaseRealArgs);
            this.phaseImag = launch(phase, gridN, phaseImagArgs);
            String dens = Kernels.typed(Kernels.DENSITY, single);
            this.density = spectral ? launch(dens, gridN, new KernelArgs(arena).ptr(psi).ptr(rho).i32(n).i32(m).ptr(0)) : null;
            // The start-of-step density of the scratch copy (BACKWARD of the state), with its raw mass as partials.
            this.densityStart = rho != 0 ? launch(dens, gridN, new KernelArgs(arena).ptr(scratch).ptr(rho).i32(n).i32(m).ptr(partials)) : null;
            // LHY next to a spectral kernel: the start-of-step density once more, unpadded (m = n), into lhyRho.
            this.densityLhy = lhyRho != 0 ? launch(dens, gridN, new KernelArgs(arena).ptr(scratch).ptr(lhyRho).i32(n).i32(n).ptr(0)) : null;
            this.reduceFive = lhy != 0 ? launch(Kernels.typed(Kernels.REDUCE_FIVE, single), gridN, new KernelArgs(arena).ptr(scratch).i32(n).ptr(partials)) : null;
            this.spectrum = spectral ? launch(Kernels.typed(Kernels.SPECTRUM_MULTIPLY, single), Launch.gridFor(half, BLOCK, MAX_BLOCKS),
                    new KernelArgs(arena).ptr(rhohat).ptr(table).u64(half)) : null;
            // Moments: reduce_x over BACKWARD(ψ̂) = n³φ in the scratch array (the host divides by the powers of n³),
            // with the edge distance and no π^(−3/4) factor (the algorithm applies it); reduce_k over ψ̂ itself.
            // The edge (slot 14) and the tail's cut (slot 3 of reduce_k) are set from the spec of moments().
            this.reduceXArgs = new KernelArgs(arena).ptr(scratch).ptr(spectral ? vrho : 0)
                    .f64(kind == ConvolutionKernel.Kind.LOCAL ? 1 : 0).i32(n).i32(m).f64(x0).f64(dx).f64(grid.length())
                    .f64(trapC[0]).f64(trapC[1]).f64(trapC[2]).f64(trapC[3]).ptr(trap).ptr(partials).f64(0.4 * grid.length()).f64(1);
            this.reduceX = launch(Kernels.typed(Kernels.REDUCE_X, single), gridN, reduceXArgs);
            this.reduceKArgs = new KernelArgs(arena).ptr(psi).i32(n).f64(dk).f64(0).ptr(partials + 8L * NX * MAX_BLOCKS);
            this.reduceK = launch(Kernels.typed(Kernels.REDUCE_K, single), gridN, reduceKArgs);
            this.finalSum1 = launch(Kernels.FINALIZE_SUMS, 1, new KernelArgs(arena).ptr(partials).i32(gridN).ptr(sums));
            this.finalX = launch(Kernels.FINALIZE_SUMS, NX, new KernelArgs(arena).ptr(partials).i32(gridN).ptr(sums));
            this.finalK = launch(Kernels.FINALIZE_SUMS, NK, new KernelArgs(arena).ptr(partials + 8L * NX * MAX_BLOCKS).i32(gridN).ptr(sums + 8L * NX));
            if (problem.terms().rotation() != 0) {
                int type = single ? Cufft.C2C : Cufft.Z2Z;
                this.planX = res.plan(() -> fft.planManyStrided(n, n * n, 1, n * n, type));
                fft.setStream(planX, s.stream);
                this.planY = res.plan(() -> fft.planManyStrided(n, n, 1, n, type));
                fft.setStream(planY, s.stream);
                this.planes = new MemorySegment[n];
                for (int i = 0; i < n; i++) planes[i] = MemorySegment.ofAddress(psi + 2L * real * n * n * i);
                for (int coord = 0; coord < 2; coord++)
                    for (int imag = 0; imag < 2; imag++) {
                        // axis_phase(psi, n, coord, x0, dx, dk, c [6], imag, scale [8])
                        axisArgs[coord][imag] = new KernelArgs(arena).ptr(psi).i32(n).i32(coord).f64(x0).f64(dx).f64(dk).f64(0).i32(imag).f64(1);
                        axisPhases[coord][imag] = launch(Kernels.typed(Kernels.AXIS_PHASE, single), gridN, axisArgs[coord][imag]);
                    }
            } else {
                this.planX = this.planY = 0;
                this.planes = null;
            }
            String[] why = new String[1];
            this.fused = fusedStep(why);
            this.psiSeg = new MemorySegment[kk];
            for (int b = 0; b < kk; b++) psiSeg[b] = MemorySegment.ofAddress(psiOf(b));
            if (comps != null) {
                int mw = spectral ? m : n;
                this.meanF = new long[kk];
                this.meanFP = new MemorySegment[kk];
                this.trapB = new long[kk];
                this.trapCB = new double[kk][];
                for (int b = 0; b < kk; b++) {
                    if (kind != ConvolutionKernel.Kind.NONE)
                        meanF[b] = res.alloc(real * (long) mw * mw * mw, spectral ? "V*ρ_" + b + " (" + m + "³ real)" : "the contact density ρ_" + b + " (" + n + "³ real)");
                    meanFP[b] = MemorySegment.ofAddress(meanF[b]);
                    io.hartree.api.model.TrapPotential tb = comps.traps()[b];
                    if (tb == null) { trapB[b] = trap; trapCB[b] = trapC; }
                    else {
                        trapCB[b] = CudaHartreePropagator.trapCoefficients(tb);
                        if (CudaHartreePropagator.sampledTrap(tb)) {
                            trapB[b] = res.alloc(real * n3, "the trap U_" + b + " (" + n + "³ real)");
                            HostStaging.uploadReal(drv, trapB[b], tb.sample(grid), single);
                        }
                    }
                }
                // coupled_phase(psi, n, m, w0 [3], w1, w2, f0 [6], f1, f2, x0, dx, tau [11], imag, cx [13], cy, cz, off, U [17])
                for (int imag = 0; imag < 2; imag++) {
                    coupledArgs[imag] = new KernelArgs(arena).ptr(psi).i32(n).i32(mw).ptr(0).ptr(0).ptr(0).f64(0).f64(0).f64(0)
                            .f64(x0).f64(dx).f64(0).i32(imag).f64(0).f64(0).f64(0).f64(0).ptr(0);
                    coupled[imag] = launch(Kernels.typed(Kernels.COUPLED_PHASE, single), gridN, coupledArgs[imag]);
                }
                // rabi(psi, k, n3, ar [3], ai, br, bi): all K states at once.
                this.rabiArgs = new KernelArgs(arena).ptr(psi).i32(kk).u64(n3).f64(1).f64(0).f64(0).f64(0);
                this.rabiL = launch(Kernels.typed(Kernels.RABI, single), gridN, rabiArgs);
                // reduce_cross(a [0], b [1], w [2], n, m, partials) into the partials' first 3·gridN, finalised into sums[0..2].
                this.crossArgs = new KernelArgs(arena).ptr(0).ptr(0).ptr(0).i32(n).i32(mw).ptr(partials);
                this.crossL = launch(Kernels.typed(Kernels.REDUCE_CROSS, single), gridN, crossArgs);
                this.finalCross = launch(Kernels.FINALIZE_SUMS, 3, new KernelArgs(arena).ptr(partials).i32(gridN).ptr(sums));
                // density(src [0], dst [1], n, m, partials [4]): |ψ_b|² into rho (spectral) or meanF[b] (contact).
                this.compDensityArgs = new KernelArgs(arena).ptr(psi).ptr(0).i32(n).i32(mw).ptr(0);
                this.compDensity = launch(Kernels.typed(Kernels.DENSITY, single), gridN, compDensityArgs);
            } else {
                this.meanF = this.trapB = null;
                this.meanFP = null;
                this.trapCB = null;
                this.rabiArgs = this.crossArgs = this.compDensityArgs = null;
                this.rabiL = this.crossL = this.compDensity = this.finalCross = null;
            }
            this.describe = "engine-api SplitStepPropagator over CudaSplitStepKernels (" + SWITCH + "=1): " + why[0]
                    + (comps == null ? "" : "; " + kk + " components: " + kk + " states, " + kk + " executions of the one 3D plan per transform,"
                    + " the coupled phase, Rabi and cross-sum kernels; not fused (components are not in the cuFFT callbacks)");
        } catch (RuntimeException e) {
            throw res.releaseAfter(e);
        }
    }

    /** Imaginary-time Strang with a contact interaction keeps the start-of-step density |BACKWARD ψ̂|² on the device. */
    static boolean storesContactDensity(HartreeProblem p, ConvolutionKernel.Kind kind) {
        return kind == ConvolutionKernel.Kind.LOCAL && p.scheme().startOfStepDensity(p.timeMode(), true) && p.terms().components() == null;
    }

    /** An LHY term next to a spectral kernel in imaginary-time Strang keeps its own start-of-step density (n³). */
    static boolean storesLhyDensity(HartreeProblem p, ConvolutionKernel kernel) {
        return kernel.lhy() != 0 && kernel.kind() == ConvolutionKernel.Kind.SPECTRAL && p.scheme().startOfStepDensity(p.timeMode(), true);
    }

    /**
     * Whether the fused substep applies: real time, double, a periodic spectral kernel (m = n), Strang,
     * a static trap (its coefficients live in the callbacks' struct), no damping (the damped substep is
     * composed of the primitives) and no LHY term (the callbacks of hartree_callbacks.cu have none: an LHY
     * problem runs the separate kernels).
     */
    static boolean fusedEligible(HartreeProblem p, ConvolutionKernel kernel, boolean single) {
        return p.timeMode() == TimeMode.REAL && !single && kernel.kind() == ConvolutionKernel.Kind.SPECTRAL
                && kernel.size() == p.grid().n() && p.scheme() == Scheme.STRANG && p.terms().drive() == null
                && p.terms().damping() == 0 && kernel.lhy() == 0 && p.terms().components() == null;
    }

    /**
     * Device bytes the constructor allocates (cuFFT's work areas and the fused step's parameter
     * block, {@link CudaHartreePropagator.CallbackInfo#BYTES}, come on top): ψ̂ and its scratch copy
     * 2·(2R·n³); with a spectral kernel the density R·m³ (twice when padded), its spectrum
     * 2R·m²(m/2+1) and the table R·m²(m/2+1); a stored contact density R·n³; a sampled trap R·n³;
     * the reduction partials 8·(NX + NK)·MAX_BLOCKS and their 16 results. R = 8 or 4 bytes. The
     * default path's arrays less its two device scale factors (here the scales go by value).
     */
    static long deviceBytes(HartreeProblem problem, ConvolutionKernel kernel, boolean single) {
        int n = problem.grid().n(), real = single ? 4 : 8;
        boolean spectral = kernel.kind() == ConvolutionKernel.Kind.SPECTRAL;
        long b = CudaHartreePropagator.deviceBytes(n, spectral ? kernel.size() : n, real, spectral,
                CudaHartreePropagator.sampledTrap(problem.h().trap())) - 16;
        return b + (storesContactDensity(problem, kernel.kind()) ? (long) real * n * n * n : 0)
                + (storesLhyDensity(problem, kernel) ? (long) real * n * n * n : 0) + componentBytes(problem, kernel, real);
    }

    /**
     * Several components on top: K − 1 more states 2R·n³, one mean field per state (V*ρ_b R·m³, or the
     * contact density R·n³; none without interaction), and R·n³ per component whose own trap is sampled.
     */
    static long componentBytes(HartreeProblem problem, ConvolutionKernel kernel, int real) {
        io.hartree.api.model.Components c = problem.terms().components();
        if (c == null) return 0;
        long n3 = problem.grid().points();
        long mw = kernel.kind() == ConvolutionKernel.Kind.SPECTRAL ? kernel.size() : problem.grid().n();
        long b = (c.k() - 1) * 2L * real * n3 + (kernel.kind() == ConvolutionKernel.Kind.NONE ? 0 : c.k() * (long) real * mw * mw * mw);
        for (io.hartree.api.model.TrapPotential t : c.traps()) if (t != null && CudaHartreePropagator.sampledTrap(t)) b += (long) real * n3;
        return b;
    }

    /** The fused substep where eligible and available, else null; {@code why[0]} says how the step runs. */
    private Fused fusedStep(String[] why) {
        String separate = "cuFFT transforms and separate kernels (kick, density, spectrum multiply, potential phase)";
        why[0] = separate + (kernel.lhy() != 0 ? "; not fused: the LHY term is in the phase kernel only, not in the cuFFT callbacks" : "");
        if (!fusedEligible(problem, kernel, single)) return null;
        if (!CudaHartreePropagator.fusedRequested()) {
            why[0] = separate + "; cuFFT callbacks switched off (" + CudaHartreePropagator.FUSED_SWITCH + "=0)";
            return null;
        }
        try {
            Fused f = new Fused();
            res.onRelease(f::close);
            why[0] = "fused real-time substep: cuFFT with LTO callbacks (kick and density in the inverse Z2Z, the kernel table in the D2Z,"
                    + " the potential phase in the forward Z2Z); separate kernels otherwise";
            return f;
        } catch (RuntimeException e) {
            if (e instanceof CudaException ce && ce.sticky()) throw s.failed(e);
            why[0] = separate + "; cuFFT callbacks unavailable: " + e.getMessage();
            return null;
        }
    }

    /** Whether the real-time substep runs fused (cuFFT callbacks), for {@link io.hartree.api.Capabilities#fusedStep}. */
    boolean fusedStep() { return fused != null; }

    private Launch launch(String name, int blocks, KernelArgs args) {
        return Launch.of(drv, s.function(name), name, blocks, BLOCK, s.stream, args, s.signatures);
    }




    @Override public int batch() { return kk; }

    /** The device address of state b (the K states one after another). */
    private long psiOf(int b) { return psi + 2L * real * n3 * b; }

    @Override public String describe() { return describe; }

    private void checkState(int b) {
        if (b < 0 || b >= kk) throw new IndexOutOfBoundsException("state " + b + " of a batch of " + kk);
    }

    @Override
    public void load(int b, MemorySegment psiHost) {
        checkState(b);
        s.enter();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(2L * real * n3, 8);
            HostStaging.toDevicePrecision(psiHost, h, single);
            drv.memcpyHtoDAsync(psiOf(b), h, 2L * real * n3, s.stream);
            transform(psiSeg[b], Dft.FORWARD);
            // The staging buffer is freed when this returns: wait for the copy.
            drv.streamSynchronize(s.stream);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    @Override
    public void store(int b, MemorySegment psiHost, double scale) {
        checkState(b);
        s.enter();
        try (Arena a = Arena.ofConfined()) {
            drv.memcpyDtoDAsync(scratch, psiOf(b), 2L * real * n3, s.stream);
            transform(scratchP, Dft.BACKWARD);
            MemorySegment h = a.allocate(2L * real * n3, 8);
            drv.memcpyDtoHAsync(h, scratch, 2L * real * n3, s.stream);
            drv.streamSynchronize(s.stream);
            HostStaging.fromDevicePrecision(h, psiHost, single, scale);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    @Override
    public void transform(Dft d) {
        s.enter();
        try {
            for (MemorySegment p : psiSeg) transform(p, d);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    @Override
    public void transformAxis(int axis, Dft d) {
        if (planes == null) throw new IllegalStateException("one-dimensional transforms are planned only for a rotating problem");
        if (axis != 0 && axis != 1) throw new IllegalArgumentException("axis " + axis + " (0 = x or 1 = y)");
        s.enter();
        try {
            int dir = d == Dft.FORWARD ? Cufft.CUFFT_FORWARD : Cufft.CUFFT_INVERSE;
            if (axis == 0) exec(planX, psiP, dir);
            else for (MemorySegment plane : planes) exec(planY, plane, dir);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    private void exec(int plan, MemorySegment p, int dir) {
        if (single) fft.execC2C(plan, p, p, dir); else fft.execZ2Z(plan, p, p, dir);
    }

    @Override
    public void axisPhase(int coordAxis, int waveAxis, double c, boolean imaginary, double scale) {
        if (planes == null) throw new IllegalStateException("the mixed-representation phase is set up only for a rotating problem");
        if (!(coordAxis == 0 && waveAxis == 1 || coordAxis == 1 && waveAxis == 0))
            throw new IllegalArgumentException("axes " + coordAxis + ", " + waveAxis + " (x and y, one in position and one in Fourier space)");
        s.enter();
        try {
            int i = imaginary ? 1 : 0;
            axisArgs[coordAxis][i].setDouble(AXIS_C, c);
            axisArgs[coordAxis][i].setDouble(AXIS_SCALE, scale);
            axisPhases[coordAxis][i].run();
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    /** The unnormalised complex transform in place: CUFFT_FORWARD (sign −1) or CUFFT_INVERSE (sign +1). */
    private void transform(MemorySegment p, Dft d) {
        int dir = d == Dft.FORWARD ? Cufft.CUFFT_FORWARD : Cufft.CUFFT_INVERSE;
        if (single) fft.execC2C(planCc, p, p, dir); else fft.execZ2Z(planCc, p, p, dir);
    }

    @Override
    public void kick(double theta, boolean imaginary, double[] scale, double[] sumsOut) {
        s.enter();
        try {
            int i = imaginary ? 1 : 0, r = sumsOut != null ? 1 : 0;
            for (int b = 0; b < kk; b++) {
                kickArgs[i][r].setLong(0, psiOf(b));
                kickArgs[i][r].setDouble(KICK_ATAU, theta);
                kickArgs[i][r].setDouble(KICK_C, scale[b]);
                kicks[i][r].run();
                if (sumsOut != null) {
                    finalSum1.run();
                    sumsOut[b] = downloadSum(0);
                }
            }
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    /** Copies {@code count} results from {@code sums[offset]} to the host and waits for them: the one synchronisation of a host-read reduction. */
    /** The reduction result at {@code offset}, waited for; no allocation (it runs inside imaginary-time steps). */
    private double downloadSum(int offset) {
        drv.memcpyDtoHAsync(hostSums, sums + 8L * offset, 8, s.stream);
        drv.streamSynchronize(s.stream);
        return hostSums.getAtIndex(JAVA_DOUBLE, 0);
    }

    private double[] download(int offset, int count) {
        drv.memcpyDtoHAsync(hostSums, sums + 8L * offset, 8L * count, s.stream);
        drv.streamSynchronize(s.stream);
        double[] x = new double[count];
        for (int i = 0; i < count; i++) x[i] = hostSums.getAtIndex(JAVA_DOUBLE, i);
        return x;
    }

    @Override
    public void meanField(Density source, double[] sumsOut) {
        s.enter();
        try {
            if (comps != null) {
                coupledMeanField(source, sumsOut);
                return;
            }
            if (source == Density.STATE) {
                if (kind != ConvolutionKernel.Kind.SPECTRAL) return;  // contact: g|ψ|² in the phase
                density.run();
                convolve();
                return;
            }
            if (densityStart == null)
                throw new IllegalStateException("the start-of-step density needs an interaction (the algorithm takes it only then)");
            drv.memcpyDtoDAsync(scratch, psi, 2L * real * n3, s.stream);
            transform(scratchP, Dft.BACKWARD);
            densityStart.run();
            if (densityLhy != null) densityLhy.run();
            if (kind == ConvolutionKernel.Kind.SPECTRAL) convolve();
            if (sumsOut != null) {
                finalSum1.run();
                sumsOut[0] = downloadSum(0);
            }
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    /** V*ρ ← c2r(table · r2c(ρ)) for the density in rho (the table holds the 1/m³ of the c2r). */
    private void convolve() { convolve(vrhoP); }

    private void convolve(MemorySegment out) {
        if (single) fft.execR2C(planR2C, rhoP, rhohatP); else fft.execD2Z(planR2C, rhoP, rhohatP);
        spectrum.run();
        if (single) fft.execC2R(planC2R, rhohatP, out); else fft.execZ2D(planC2R, rhohatP, out);
    }

    /**
     * Several components: every state's mean field before any phase reads it: |ψ_b|² (STATE) or
     * |BACKWARD ψ̂_b|² of the scratch copy (START, its raw mass into sums[b]) into rho and V*ρ_b into meanF[b]
     * (spectral), or into the stored contact density meanF[b]; nothing without an interaction (START's sums still).
     */
    private void coupledMeanField(Density source, double[] sumsOut) {
        if (kind == ConvolutionKernel.Kind.NONE) {
            if (source == Density.START)
                throw new IllegalStateException("the start-of-step density needs an interaction (the algorithm takes it only then)");
            return;
        }
        boolean spectral = kind == ConvolutionKernel.Kind.SPECTRAL, start = source == Density.START;
        for (int b = 0; b < kk; b++) {
            long src = psiOf(b);
            if (start) {
                drv.memcpyDtoDAsync(scratch, psiOf(b), 2L * real * n3, s.stream);
                transform(scratchP, Dft.BACKWARD);
                src = scratch;
            }
            compDensityArgs.setLong(0, src);
            compDensityArgs.setLong(1, spectral ? rho : meanF[b]);
            compDensityArgs.setLong(4, start && sumsOut != null ? partials : 0);
            compDensity.run();
            if (spectral) convolve(meanFP[b]);
            if (start && sumsOut != null) {
                finalSum1.run();
                sumsOut[b] = downloadSum(0);
            }
        }
    }

    @Override
    public void phase(double tau, double[] densityScale, Density source, boolean imaginary) {
        s.enter();
        try {
            if (comps != null) {
                coupledPhase(tau, densityScale, imaginary);
                return;
            }
            double ds = densityScale == null ? 1 : densityScale[0];
            KernelArgs a = imaginary ? phaseImagArgs : phaseRealArgs;
            // W = U + vfac·vrho[…] with a mean-field array, else U + g|ψ|² (d = 1: no device scale).
            long source0 = kind == ConvolutionKernel.Kind.SPECTRAL ? vrho
                    : kind == ConvolutionKernel.Kind.LOCAL && source == Density.START ? rho : 0;
            a.setLong(PHASE_VRHO, source0);
            a.setDouble(PHASE_VFAC, kind == ConvolutionKernel.Kind.SPECTRAL ? ds : contact * ds);
            a.setDouble(PHASE_G, contact * ds);
            a.setDouble(PHASE_TAU, tau);
            // LHY: γ(s·ρ)^{3/2} = γs^{3/2}·ρ^{3/2}, ρ the stored start-of-step density with START, else |ψ|².
            a.setDouble(PHASE_GAMMA, lhy * ds * Math.sqrt(ds));
            a.setLong(PHASE_LRHO, lhy != 0 && source == Density.START ? (lhyRho != 0 ? lhyRho : rho) : 0);
            (imaginary ? phaseImag : phaseReal).run();
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    /**
     * Several components: φ_b ← e^{−iτ(U_b + Σ_j c_bj s_j W_j)} φ_b, W_j = meanF[j] (V*ρ_j, or the contact density
     * times g), all W_j made by the last meanField before any state changed.
     */
    private void coupledPhase(double tau, double[] densityScale, boolean imaginary) {
        KernelArgs a = coupledArgs[imaginary ? 1 : 0];
        double g = kind == ConvolutionKernel.Kind.LOCAL ? contact : 1;
        for (int b = 0; b < kk; b++) {
            a.setLong(0, psiOf(b));
            for (int j = 0; j < 3; j++) {
                a.setLong(CPHASE_W + j, j < kk ? meanF[j] : 0);
                a.setDouble(CPHASE_F + j, j < kk ? comps.coupling(b, j) * (densityScale == null ? 1 : densityScale[j]) * g : 0);
            }
            a.setDouble(CPHASE_TAU, tau);
            for (int d = 0; d < 4; d++) a.setDouble(CPHASE_CX + d, trapCB[b][d]);
            a.setLong(CPHASE_U, trapB[b]);
            coupled[imaginary ? 1 : 0].run();
        }
    }

    @Override
    public void rabi(double aRe, double aIm, double bRe, double bIm) {
        if (comps == null) throw new IllegalStateException("rabi without components");
        s.enter();
        try {
            rabiArgs.setDouble(RABI_AR, aRe);
            rabiArgs.setDouble(RABI_AR + 1, aIm);
            rabiArgs.setDouble(RABI_AR + 2, bRe);
            rabiArgs.setDouble(RABI_AR + 3, bIm);
            rabiL.run();
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    /**
     * Σ conj(ψ̂_i)ψ̂_j over the Fourier-space states; then, from the scratch copy N·φ (N = n³): Σ(V*ρ_j)ρ_i
     * (V*ρ_j into the vrho buffer of the moments) or g·Σρ_jρ_i (ρ_j into the stored contact density of j, which
     * the next meanField remakes before a phase reads it), each / N⁴.
     */
    @Override
    public Cross cross(int i, int j) {
        if (comps == null) throw new IllegalStateException("cross sums without components");
        checkState(i);
        checkState(j);
        s.enter();
        try {
            crossArgs.setLong(0, psiOf(i));
            crossArgs.setLong(1, psiOf(j));
            crossArgs.setLong(2, 0);
            crossL.run();
            finalCross.run();
            double[] o = download(0, 2);
            double inter = 0;
            if (kind != ConvolutionKernel.Kind.NONE) {
                boolean spectral = kind == ConvolutionKernel.Kind.SPECTRAL;
                drv.memcpyDtoDAsync(scratch, psiOf(j), 2L * real * n3, s.stream);
                transform(scratchP, Dft.BACKWARD);
                compDensityArgs.setLong(0, scratch);
                compDensityArgs.setLong(1, spectral ? rho : meanF[j]);
                compDensityArgs.setLong(4, 0);
                compDensity.run();
                if (spectral) convolve();
                drv.memcpyDtoDAsync(scratch, psiOf(i), 2L * real * n3, s.stream);
                transform(scratchP, Dft.BACKWARD);
                crossArgs.setLong(0, scratch);
                crossArgs.setLong(1, 0);
                crossArgs.setLong(2, spectral ? vrho : meanF[j]);
                crossL.run();
                finalCross.run();
                double inv2 = 1.0 / ((double) n3 * n3);
                inter = download(2, 1)[0] * inv2 * inv2 * (spectral ? 1 : contact);
            }
            return new Cross(o[0], o[1], inter);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    /**
     * The driven trap ({@link SplitStepKernels#trap}): a harmonic trap's four coefficients go into
     * the argument slots of potential_phase (both) and reduce_x, which evaluate U in place (no
     * transfer); a sampled trap (the double well's barrier) is re-sampled on the host and uploaded
     * (n³ values per change; a kernel that evaluates the barrier in place could come later).
     */
    /** Host staging of a re-sampled trap (double-well drive), allocated on the first change. */
    private double[] trapHost;

    @Override
    public void trap(double[] c) {
        s.enter();
        try {
            if (trap == 0) {
                if (c[4] != 0) throw new IllegalStateException("a barrier v0 needs the sampled trap (the problem's trap is harmonic)");
                for (KernelArgs a : new KernelArgs[]{phaseRealArgs, phaseImagArgs})
                    for (int d = 0; d < 4; d++) a.setDouble(PHASE_CX + d, c[d]);
                for (int d = 0; d < 4; d++) reduceXArgs.setDouble(REDUCE_X_CX + d, c[d]);
                return;
            }
            if (trapHost == null) trapHost = new double[(int) n3];   // once: a drive changes the trap every substep
            double[] u = trapHost;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++)
                        u[(i * n + j) * n + k] = io.hartree.api.model.Drive.potential(c, grid.x(i), grid.x(j), grid.x(k));
            // Stream order: the copy follows the kernels already queued that read the old table.
            drv.streamSynchronize(s.stream);
            HostStaging.uploadReal(drv, trap, u, single);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    @Override
    public void scale(double[] factor) {
        // A kick with θ = 0 multiplies by the scale exactly (e^0 = 1).
        kick(0, true, factor, null);
    }

    @Override
    public void realTimeSubstep(double theta, double[] scale, double tau) {
        if (fused == null) {
            SplitStepKernels.super.realTimeSubstep(theta, scale, tau);
            return;
        }
        s.enter();
        try {
            fused.run(theta, scale[0], tau);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    @Override
    public Moments moments(int b, MomentSpec spec) {
        checkState(b);
        checkSpec(spec);
        s.enter();
        try {
            reduceKArgs.setLong(0, psiOf(b));
            if (comps != null) {
                for (int d = 0; d < 4; d++) reduceXArgs.setDouble(REDUCE_X_CX + d, trapCB[b][d]);
                reduceXArgs.setLong(REDUCE_X_U, trapB[b]);
            }
            reduceK.run();
            drv.memcpyDtoDAsync(scratch, psiOf(b), 2L * real * n3, s.stream);
            transform(scratchP, Dft.BACKWARD);
            if (kind == ConvolutionKernel.Kind.SPECTRAL) {
                densityStart.run();  // |N φ|² of the scratch copy into rho (its mass partials are not read)
                convolve();
            }
            reduceX.run();
            finalX.run();
            finalK.run();
            double[] x = download(0, NX + NK);
            // The scratch array holds N·φ (N = n³): sums of |φ|²·f are the kernel's / N², of φ / N, of ρ² and (V*ρ)ρ / N⁴.
            double inv = 1.0 / n3, inv2 = inv * inv, inv4 = inv2 * inv2;
            double rho2 = kind == ConvolutionKernel.Kind.LOCAL ? x[9] * inv4 : 0;
            double mf = kind == ConvolutionKernel.Kind.SPECTRAL ? x[9] * inv4 : 0;
            double five = 0;
            if (reduceFive != null) {
                // Σ|Nφ|⁵ over the scratch copy (still N·φ), after the other sums were downloaded: / N⁵.
                reduceFive.run();
                finalSum1.run();
                five = downloadSum(0) * inv4 * inv;
            }
            return new Moments(x[NX], x[NX + 1], x[NX + 2], x[0] * inv2, x[1] * inv2, x[2] * inv2, x[3] * inv2, x[4] * inv2,
                    x[5] * inv2, x[8] * inv2, x[6] * inv, x[7] * inv, rho2, mf, five);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    /**
     * The spec's edge and cut go into the reductions' argument slots; the overlap function is
     * reduce_x's own e^{−|x|²/2} = g(x)g(y)g(z) with g(x) = e^{−x²/2}, the only one the algorithm
     * uses, so another overlap axis is refused (checked once per spec object).
     */
    private void checkSpec(MomentSpec spec) {
        if (spec == checkedSpec) return;
        double[] g = spec.overlapAxis();
        boolean ok = g.length == n;
        for (int j = 0; ok && j < n; j++) ok = Math.abs(g[j] - Math.exp(-0.5 * grid.x(j) * grid.x(j))) <= 1e-15;
        if (!ok) throw new IllegalArgumentException("overlapAxis: the cuda moments take g(x) = e^{-x^2/2} at the grid's n = " + n + " points");
        reduceXArgs.setDouble(REDUCE_X_EDGE, spec.edge());
        reduceKArgs.setDouble(REDUCE_K_KCUT, spec.cut());
        checkedSpec = spec;
    }

    /** The device address of the 16 reduction results (tests on the fake device, whose memory is the host's, write them). */
    long sumsAddress() { return sums; }

    @Override
    public void close() { res.close(); }

    /**
     * The fused real-time substep (cuFFT LTO callbacks, callbacks/hartree_callbacks.cu): an
     * inverse Z2Z that kicks on load and writes the density on store, a D2Z that multiplies by the
     * kernel table on store, the plain Z2D, and a forward Z2Z that applies the potential phase on
     * load. Its parameters live in one struct in device memory; θ, the scale and τ are set there
     * by a one-thread {@code set_f64} launch when they change (the algorithm's θ changes twice per
     * advance: the first half kick, then the merged whole ones).
     */
    private final class Fused implements AutoCloseable {
        private final DeviceResources own = new DeviceResources(s);
        private final long info;
        private final int inv, d2z, fwd;
        private final KernelArgs setArgs;
        private final Launch set;
        /** What the struct holds now (θ: nothing yet). */
        private double atau = Double.NaN, c = 1.0 / n3, tau = problem.dt();

        Fused() {
            try {
                MemorySegment lto = CudaHartreePropagator.CallbackInfo.lto(s, arena);
                // θ is set by the first substep; the scale 1/n³ and τ = dt of Strang are what the algorithm passes.
                this.info = CudaHartreePropagator.CallbackInfo.upload(own, drv, grid, 0, c, tau,
                        CudaHartreePropagator.trapCoefficients(problem.h().trap()), rho, table, trap);
                long[] work = new long[1];
                this.inv = CudaHartreePropagator.CallbackInfo.plan(own, s, arena, n, Cufft.Z2Z, lto, info,
                        "hartree_cb_kick", Cufft.CB_LD_COMPLEX_DOUBLE, "hartree_cb_density", Cufft.CB_ST_COMPLEX_DOUBLE, work);
                this.d2z = CudaHartreePropagator.CallbackInfo.plan(own, s, arena, n, Cufft.D2Z, lto, info, null, 0, "hartree_cb_table", Cufft.CB_ST_COMPLEX_DOUBLE, work);
                this.fwd = CudaHartreePropagator.CallbackInfo.plan(own, s, arena, n, Cufft.Z2Z, lto, info, "hartree_cb_phase", Cufft.CB_LD_COMPLEX_DOUBLE, null, 0, work);
                this.setArgs = new KernelArgs(arena).ptr(info).f64(0);
                this.set = Launch.of(drv, s.function(Kernels.SET_F64), Kernels.SET_F64, 1, BLOCK, s.stream, setArgs, s.signatures);
            } catch (RuntimeException e) {
                throw own.releaseAfter(e);
            }
        }

        /** info[offset] ← v on the device, in stream order, when it differs from what was set last. */
        private double setIfChanged(int offset, double last, double v) {
            if (Double.doubleToRawLongBits(last) == Double.doubleToRawLongBits(v)) return last;
            setArgs.setLong(0, info + offset);
            setArgs.setDouble(1, v);
            set.run();
            return v;
        }

        void run(double theta, double scale, double stepTau) {
            atau = setIfChanged(CudaHartreePropagator.CallbackInfo.ATAU, atau, theta);
            c = setIfChanged(CudaHartreePropagator.CallbackInfo.C, c, scale);
            tau = setIfChanged(CudaHartreePropagator.CallbackInfo.TAU, tau, stepTau);
            fft.execZ2Z(inv, psiP, psiP, Cufft.CUFFT_INVERSE);
            fft.execD2Z(d2z, rhoP, rhohatP);
            fft.execZ2D(planC2R, rhohatP, vrhoP);
            fft.execZ2Z(fwd, psiP, psiP, Cufft.CUFFT_FORWARD);
        }

        @Override
        public void close() { own.close(); }
    }
}
