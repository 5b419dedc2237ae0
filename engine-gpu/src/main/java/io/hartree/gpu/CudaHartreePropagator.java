package io.hartree.gpu;

import io.hartree.api.ParameterException;
import io.hartree.api.Precision;
import io.hartree.api.model.Grid3D;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.Observables;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.model.TrapPotential;
import io.hartree.gpu.cuda.CudaException;
import io.hartree.gpu.cuda.CudaStatus;
import io.hartree.gpu.cuda.Cufft;
import io.hartree.gpu.cuda.Driver;
import io.hartree.gpu.cuda.KernelArgs;
import io.hartree.gpu.cuda.Launch;
import io.hartree.gpu.cuda.OutOfMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.*;

/**
 * Split-step Fourier propagation of i∂tφ = a(−Δ)φ + Uφ + (V*|φ|²)φ on a CUDA device.
 *
 * <p>One Strang step of length τ is e^{−iτT/2} e^{−iτW} e^{−iτT/2} with T = a|k|² and
 * W = U + V*|φ|² (imaginary time: e^{−τ…}, then φ ← φ/‖φ‖). The state stays in Fourier space
 * between the steps of one {@link #advance} call, so the half kicks of consecutive steps merge
 * into one multiply (real time): per step one inverse FFT, one convolution (D2Z, multiply by the
 * kernel table, Z2D), one fused potential-phase kernel and one forward FFT. The unnormalised
 * inverse FFT's 1/N is folded into the kick. The fourth-order scheme is the triple jump
 * S(w₁τ)S(w₀τ)S(w₁τ), w₁ = 1/(2 − 2^{1/3}), w₀ = 1 − 2w₁ (Yoshida 1990, eq. (5.19)), merged the same way.
 *
 * <p>V*ρ is c2r(table · r2c(ρ_pad)) with engine-api's {@link ConvolutionKernel} table (the same
 * numbers the cpu backend uses), on the m³ grid, m = n (periodic) or 2n (padded, truncated: ρ is
 * zero-padded); a contact interaction adds g|φ|² pointwise. Nothing is allocated and nothing crosses to the host inside {@link #advance};
 * all launches, their argument blocks and the pointer segments are prepared here.
 */
public final class CudaHartreePropagator implements HartreePropagator {
    private static final int BLOCK = 256;
    static final int MAX_BLOCKS = 4096;
    static final int NX = 10, NK = 3;

    private final CudaSession s;
    private final Driver drv;
    private final HartreeProblem problem;
    private final Grid3D grid;
    private final boolean single, imaginary, interacting;  // interacting: a SPECTRAL kernel (FFT convolution)
    /** Imaginary-time Strang with an interaction: V*ρ from the normalised density at the start of each step (cpu backend's rule). */
    private final boolean startDensity;
    /** A stored contact density (start-of-step rule with a contact interaction) lives in rho. */
    private final boolean localStored;
    private final ConvolutionKernel kernel;
    private final double contact;
    private final int n, m, real;  // real: bytes per real number
    private final long n3, half;   // half: m·m·(m/2+1) entries of the r2c half grid
    /** Everything this propagator holds (arena, buffers, plans, events, the fused step), released in reverse by close or by a failed construction. */
    private final DeviceResources res;
    private final Arena arena;
    private final Cufft fft;
    private final long psi, scratch, rho, vrho, rhohat, table, trap, partials, sums, scale, dscale;
    private final MemorySegment psiP, scratchP, rhoP, vrhoP, rhohatP;
    private final int planCc, planR2C, planC2R;
    private final double[] weights;
    // The prepared launches, set once by prepareLaunches() in the constructor.
    private Launch density, densityStart, spectrum, reduceX, reduceK, finalX, finalK, normScale, densScaleKick, densScaleRaw,
            kickFirst, kickLast, kickEnd, kickScaled;
    private Launch[] phase, kickMid, kickA, kickB;
    private final MemorySegment hostSums;
    private final MemorySegment evStart, evEnd;
    private final int gridN;
    private final java.util.Map<String, String> warnings = new java.util.LinkedHashMap<>();
    /** The fused real-time Strang step (cuFFT LTO callbacks), or null: not eligible, switched off, or its setup failed (why: {@link #implementation}). */
    private final FusedStep fused;
    private final String implementation;
    private double time;
    private float lastMillis;
    private boolean closed;

    /**
     * Checks that the arrays fit, then acquires everything through {@link #res} (so that a
     * failure at any step gives back what the earlier steps got): arrays, plans, the tables,
     * the prepared launches, the timing events, and the fused step where it applies.
     */
    CudaHartreePropagator(CudaSession session, HartreeProblem problem) {
        this.s = session;
        this.drv = session.drv;
        this.problem = problem;
        this.grid = problem.grid();
        this.fft = session.rt.cufft;
        this.single = session.options.precision() == Precision.SINGLE;
        this.imaginary = problem.timeMode() == TimeMode.IMAGINARY;
        this.kernel = ConvolutionKernel.build(grid, problem.interaction(), problem.convolution(), session.hostTransforms());
        this.interacting = kernel.kind() == ConvolutionKernel.Kind.SPECTRAL;
        this.contact = kernel.kind() == ConvolutionKernel.Kind.LOCAL ? kernel.contact() : 0;
        this.startDensity = problem.scheme().startOfStepDensity(problem.timeMode(), kernel.kind() != ConvolutionKernel.Kind.NONE);
        this.localStored = startDensity && kernel.kind() == ConvolutionKernel.Kind.LOCAL;
        this.n = grid.n();
        this.m = interacting ? kernel.size() : n;
        this.real = single ? 4 : 8;
        this.n3 = grid.points();
        this.half = (long) m * m * (m / 2 + 1);
        this.weights = problem.scheme().weights();
        this.gridN = Launch.gridFor(n3, BLOCK, MAX_BLOCKS);
        requireDeviceMemory();
        this.res = new DeviceResources(session);
        try {
            this.arena = res.arena();
            this.psi = res.alloc(2L * real * n3, "the state φ (" + n + "³ complex)");
            this.scratch = res.alloc(2L * real * n3, "the observables' scratch copy of φ̂ (" + n + "³ complex)");
            this.rho = interacting ? res.alloc(real * (long) m * m * m, "the density |φ|² (" + m + "³ real)")
                    : localStored ? res.alloc(real * n3, "the start-of-step density |φ|² (" + n + "³ real)") : 0;
            this.vrho = !interacting ? 0 : m == n ? rho : res.alloc(real * (long) m * m * m, "V*|φ|² on the padded grid (" + m + "³ real)");
            this.rhohat = interacting ? res.alloc(2L * real * half, "the density spectrum (" + m + "²·" + (m / 2 + 1) + " complex)") : 0;
            this.table = interacting ? res.alloc(real * half, "the kernel table V̂ (" + m + "²·" + (m / 2 + 1) + " real)") : 0;
            this.partials = res.alloc(8L * (NX + NK) * MAX_BLOCKS, "reduction partials");
            this.sums = res.alloc(8L * 16, "reduction results");
            this.scale = res.alloc(8, "renormalisation factor");
            this.dscale = res.alloc(8, "density normalisation factor");
            this.trap = sampledTrap(problem.h().trap()) ? res.alloc(real * n3, "the trap U(x) (" + n + "³ real)") : 0;
            this.planCc = res.plan3d(n, single ? Cufft.C2C : Cufft.Z2Z, "complex");
            this.planR2C = interacting ? res.plan3d(m, single ? Cufft.R2C : Cufft.D2Z, "real-to-complex") : 0;
            this.planC2R = interacting ? res.plan3d(m, single ? Cufft.C2R : Cufft.Z2D, "complex-to-real") : 0;
            uploadTables();
            this.psiP = MemorySegment.ofAddress(psi);
            this.scratchP = MemorySegment.ofAddress(scratch);
            this.rhoP = MemorySegment.ofAddress(rho);
            this.vrhoP = MemorySegment.ofAddress(vrho);
            this.rhohatP = MemorySegment.ofAddress(rhohat);
            this.hostSums = arena.allocate(8L * 16, 8);
            prepareLaunches();
            this.evStart = res.event();
            this.evEnd = res.event();
            String[] why = new String[1];
            this.fused = fusedStep(why);
            this.implementation = why[0] + "; " + PATH;
        } catch (RuntimeException e) {
            throw res.releaseAfter(e);
        }
    }

    /** Refuses, before anything is allocated, a propagator whose arrays exceed the free device memory. */
    private void requireDeviceMemory() {
        long need = deviceBytes(problem, kernel, single);
        long free = drv.memInfo()[0];
        if (need > free)
            throw new CudaException(CudaStatus.Api.DRIVER, 2, OutOfMemory.message(need, free, "the propagator's arrays at "
                    + n + "³ " + problem.convolution().label() + " (before cuFFT's work areas)"), false);
    }

    /** The zero padding of the density (written once), the sampled trap and the kernel table, copied to the device. */
    private void uploadTables() {
        if (interacting && m != n) drv.memsetD8(rho, (byte) 0, real * (long) m * m * m);
        if (trap != 0) HostStaging.uploadReal(drv, trap, problem.h().trap().sample(grid), single);
        if (interacting) HostStaging.uploadReal(drv, table, kernel.table(), single);
    }

    /** Every launch of advance() and observe(), with its argument block packed once and checked against the kernel's signature. */
    private void prepareLaunches() {
        double a = problem.h().kinetic(), dt = problem.dt(), dk = 2 * Math.PI / grid.length(), dx = grid.dx();
        double x0 = -0.5 * grid.length(), invN = 1.0 / n3;
        double[] trapC = trapCoefficients(problem.h().trap());
        int imag = imaginary ? 1 : 0;
        int P = weights.length;

        density = launch(Kernels.typed(Kernels.DENSITY, single), n3, new KernelArgs(arena).ptr(psi).ptr(rho).i32(n).i32(m).ptr(0));
        // Start-of-step density: from the scratch copy of the state, with its raw mass as partials.
        densityStart = launch(Kernels.typed(Kernels.DENSITY, single), n3, new KernelArgs(arena).ptr(scratch).ptr(rho).i32(n).i32(m).ptr(partials));
        spectrum = launch(Kernels.typed(Kernels.SPECTRUM_MULTIPLY, single), half, new KernelArgs(arena).ptr(rhohat).ptr(table).u64(half));
        phase = new Launch[P];
        for (int p = 0; p < P; p++)
            phase[p] = launch(Kernels.typed(Kernels.POTENTIAL_PHASE, single), n3, new KernelArgs(arena).ptr(psi)
                    .ptr(interacting ? vrho : localStored ? rho : 0).f64(localStored ? contact : 1).f64(contact).ptr(imaginary ? dscale : 0)
                    .i32(n).i32(m).f64(x0).f64(dx).f64(weights[p] * dt).i32(imag).f64(trapC[0]).f64(trapC[1]).f64(trapC[2]).f64(trapC[3])
                    .ptr(trap));
        // Real time: merged kicks. Imaginary time: kickA (before the inverse FFT, with 1/N), kickB
        // (after the forward FFT; the last of a step writes the norm partials).
        kickFirst = kick(a * weights[0] / 2 * dt, invN, 0, 0, dk, imag);
        kickLast = kick(a * weights[P - 1] / 2 * dt, invN, 0, 0, dk, imag);
        kickMid = new Launch[P];
        kickA = new Launch[P];
        kickB = new Launch[P];
        for (int p = 0; p < P; p++) {
            kickMid[p] = kick(a * (weights[(p + P - 1) % P] + weights[p]) / 2 * dt, invN, 0, 0, dk, imag);
            kickA[p] = kick(a * weights[p] / 2 * dt, invN, 0, partials, dk, imag);
            kickB[p] = kick(a * weights[p] / 2 * dt, 1, 0, p == P - 1 ? partials : 0, dk, imag);
        }
        kickScaled = kick(a * weights[0] / 2 * dt, invN, scale, partials, dk, imag);
        kickEnd = kick(0, invN, scale, 0, dk, imag);
        // Parseval for the kicked spectrum ψ̂' = e^{−τT/2}FFT(ψ): ‖ψ‖² = dV/N Σ|ψ̂'|².
        normScale = single(Kernels.NORM_SCALE, 1, new KernelArgs(arena).ptr(partials).i32(gridN).f64(grid.dV() / n3).i32(1).ptr(scale));
        // Mid-step density scale (imaginary time without the start rule): the kick's Σ|ψ̂'|² (ψ̂' holds 1/N) is ‖φ‖²/(N dV).
        densScaleKick = single(Kernels.NORM_SCALE, 1, new KernelArgs(arena).ptr(partials).i32(gridN).f64(n3 * grid.dV()).i32(0).ptr(dscale));
        // Start-of-step density scale: 1/(dV Σ|N φ|²) turns |Nφ|² into the normalised density.
        densScaleRaw = single(Kernels.NORM_SCALE, 1, new KernelArgs(arena).ptr(partials).i32(gridN).f64(grid.dV()).i32(0).ptr(dscale));
        reduceX = launch(Kernels.typed(Kernels.REDUCE_X, single), n3, new KernelArgs(arena).ptr(psi).ptr(interacting ? vrho : 0).f64(contact).i32(n).i32(m)
                .f64(x0).f64(dx).f64(grid.length()).f64(trapC[0]).f64(trapC[1]).f64(trapC[2]).f64(trapC[3]).ptr(trap).ptr(partials)
                .f64(0.4 * grid.length()).f64(0.42377720812375763));  // the edge 0.4 L and c0 = π^(−3/4), as before they were arguments
        // Position sums occupy NX·gridN partials from 0, Fourier sums NK·gridN from NX·MAX_BLOCKS: disjoint.
        reduceK = launch(Kernels.typed(Kernels.REDUCE_K, single), n3, new KernelArgs(arena).ptr(scratch).i32(n).f64(dk).f64(2.0 / 3.0 * grid.kMax()).ptr(partials + 8L * NX * MAX_BLOCKS));
        finalX = single(Kernels.FINALIZE_SUMS, NX, new KernelArgs(arena).ptr(partials).i32(gridN).ptr(sums));
        finalK = single(Kernels.FINALIZE_SUMS, NK, new KernelArgs(arena).ptr(partials + 8L * NX * MAX_BLOCKS).i32(gridN).ptr(sums + 8L * NX));
    }

    /**
     * The fused step where it applies (real-time periodic Strang in double with an interaction),
     * else null; {@code why[0]} receives the implementation in words. A failure of its setup that
     * does not kill the context falls back to the separate kernels, the fused step having given
     * back what it got.
     */
    private FusedStep fusedStep(String[] why) {
        String separate = "cuFFT transforms and separate fused kernels (kick, density, spectrum multiply, potential phase)";
        why[0] = separate;
        boolean eligible = !imaginary && !single && interacting && m == n && problem.scheme() == Scheme.STRANG;
        if (!eligible) return null;
        if (!fusedRequested()) {
            why[0] = separate + "; cuFFT callbacks switched off (" + FUSED_SWITCH + "=0)";
            return null;
        }
        double a = problem.h().kinetic(), dt = problem.dt();
        try {
            FusedStep f = new FusedStep(a * dt / 2, a * dt, 1.0 / n3, dt, trapCoefficients(problem.h().trap()));
            res.onRelease(f::close);
            why[0] = "cuFFT with LTO callbacks: kick and density in the inverse Z2Z, the kernel table in the D2Z, the potential phase in the forward Z2Z"
                    + String.format(java.util.Locale.ROOT, " (its 3 plans' work areas: %.1f MB)", f.workBytes / 1e6);
            return f;
        } catch (RuntimeException e) {
            if (e instanceof CudaException ce && ce.sticky()) throw s.failed(e);
            why[0] = separate + "; cuFFT callbacks unavailable: " + e.getMessage();
            return null;
        }
    }

    /** Which Hartree path this is, in {@link #implementation}. */
    static final String PATH = "CudaHartreePropagator (the default path; " + CudaSplitStepKernels.SWITCH + "=1 selects engine-api's SplitStepPropagator)";

    /** Environment switch of the fused step: HARTREE_CUDA_FUSED_FFT=0 (or -Dhartree.cuda.fusedFft=false) uses separate kernels. */
    static final String FUSED_SWITCH = "HARTREE_CUDA_FUSED_FFT";

    /** Whether the libraries can make the fused step: cuFFT with LTO callbacks and an NVRTC that emits LTO IR. */
    static boolean fusedLibraries(io.hartree.gpu.cuda.CudaRuntime rt) {
        return rt.cufft != null && rt.cufft.jitCallbacks() && rt.nvrtc != null && rt.nvrtc.lto();
    }

    static boolean fusedRequested() {
        return !"0".equals(System.getenv(FUSED_SWITCH)) && !"false".equals(System.getProperty("hartree.cuda.fusedFft"));
    }

    /** Byte offsets of the callbacks' parameter struct HartreeCallbackInfo (callbacks/hartree_callbacks.cu). */
    static final class CallbackInfo {
        private CallbackInfo() {}

        static final int ATAU = 0, DK = 8, C = 16, TAU = 24, X0 = 32, DX = 40, CX = 48, CY = 56, CZ = 64, OFF = 72,
                RHO = 80, TABLE = 88, U = 96, N = 104, BYTES = 112;

        /** The callbacks' LTO IR copied into {@code arena} (cuFFT keeps the pointer until the plans are made). */
        static MemorySegment lto(CudaSession s, Arena arena) {
            byte[] ir = s.hartreeCallbacks();
            MemorySegment lto = arena.allocate(ir.length, 16);
            MemorySegment.copy(ir, 0, lto, JAVA_BYTE, 0, ir.length);
            return lto;
        }

        /**
         * The parameter struct in device memory (released with {@code own}), written once: the kick
         * angle a·τ, the scale c, the step τ, the grid's dk, x₀ = −L/2 and dx, the trap's quadratic
         * coefficients, and the density, table and trap arrays.
         */
        static long upload(DeviceResources own, Driver drv, Grid3D grid, double atau, double c, double tau, double[] trapC,
                           long rho, long table, long trap) {
            long info = own.alloc(BYTES, "the cuFFT callbacks' parameters");
            try (Arena a = Arena.ofConfined()) {
                MemorySegment h = a.allocate(BYTES, 8);
                h.set(JAVA_DOUBLE, ATAU, atau); h.set(JAVA_DOUBLE, DK, 2 * Math.PI / grid.length()); h.set(JAVA_DOUBLE, C, c); h.set(JAVA_DOUBLE, TAU, tau);
                h.set(JAVA_DOUBLE, X0, -0.5 * grid.length()); h.set(JAVA_DOUBLE, DX, grid.dx());
                h.set(JAVA_DOUBLE, CX, trapC[0]); h.set(JAVA_DOUBLE, CY, trapC[1]); h.set(JAVA_DOUBLE, CZ, trapC[2]); h.set(JAVA_DOUBLE, OFF, trapC[3]);
                h.set(JAVA_LONG, RHO, rho); h.set(JAVA_LONG, TABLE, table); h.set(JAVA_LONG, U, trap); h.set(JAVA_LONG, N, grid.n());
                drv.memcpyHtoD(info, h, BYTES);
            }
            return info;
        }

        /**
         * cufftCreate (destroyed with {@code own}), the callbacks (load and/or store; null = none),
         * cufftMakePlanMany of n³, the session's stream; cuFFT's work size is added to {@code work[0]}.
         */
        static int plan(DeviceResources own, CudaSession s, Arena arena, int n, int type, MemorySegment lto, long info,
                        String load, int loadType, String store, int storeType, long[] work) {
            Cufft fft = s.rt.cufft;
            int p = own.plan(fft::create);
            if (load != null) fft.setJitCallback(p, load, lto, loadType, info, arena);
            if (store != null) fft.setJitCallback(p, store, lto, storeType, info, arena);
            work[0] += fft.makePlan3d(p, n, type);
            fft.setStream(p, s.stream);
            return p;
        }
    }

    /**
     * The real-time Strang step with the four elementwise passes moved into cuFFT's transforms as
     * LTO callbacks (callbacks/hartree_callbacks.cu): per step an inverse Z2Z that kicks on load and
     * writes the density on store, a D2Z that multiplies by the kernel table on store, the plain
     * Z2D, and a forward Z2Z that applies the potential phase on load. Three plans of its own (the
     * plain ones stay for observe()), and one callback-parameter struct in device memory whose kick
     * factor a one-thread kernel switches from the half kick to the whole one after the first step.
     */
    private final class FusedStep implements AutoCloseable {
        /** The parameter struct and the three plans, released by close or when the setup fails. */
        private final DeviceResources own = new DeviceResources(s);
        final long info;
        final int inv, d2z, fwd;
        final Launch setFirst, setMid;
        /** cuFFT's work areas of the three callback plans (cufftMakePlanMany's workSize), on top of the propagator's arrays. */
        final long workBytes;

        FusedStep(double atauFirst, double atauMid, double c, double tau, double[] trapC) {
            try {
                MemorySegment lto = CallbackInfo.lto(s, arena);
                this.info = CallbackInfo.upload(own, drv, grid, atauFirst, c, tau, trapC, rho, table, trap);
                long[] ws = new long[1];
                this.inv = CallbackInfo.plan(own, s, arena, n, Cufft.Z2Z, lto, info, "hartree_cb_kick", Cufft.CB_LD_COMPLEX_DOUBLE, "hartree_cb_density", Cufft.CB_ST_COMPLEX_DOUBLE, ws);
                this.d2z = CallbackInfo.plan(own, s, arena, n, Cufft.D2Z, lto, info, null, 0, "hartree_cb_table", Cufft.CB_ST_COMPLEX_DOUBLE, ws);
                this.fwd = CallbackInfo.plan(own, s, arena, n, Cufft.Z2Z, lto, info, "hartree_cb_phase", Cufft.CB_LD_COMPLEX_DOUBLE, null, 0, ws);
                this.workBytes = ws[0];
                MemorySegment set = s.function(Kernels.SET_F64);
                this.setFirst = Launch.of(drv, set, Kernels.SET_F64, 1, BLOCK, s.stream, new KernelArgs(arena).ptr(info + CallbackInfo.ATAU).f64(atauFirst), s.signatures);
                this.setMid = Launch.of(drv, set, Kernels.SET_F64, 1, BLOCK, s.stream, new KernelArgs(arena).ptr(info + CallbackInfo.ATAU).f64(atauMid), s.signatures);
            } catch (RuntimeException e) {
                throw own.releaseAfter(e);
            }
        }

        /** {@code steps} Strang steps from ψ̂ (Fourier space, unkicked) back to ψ̂ before the last half kick. */
        void run(int steps) {
            setFirst.run();
            for (int j = 0; j < steps; j++) {
                fft.execZ2Z(inv, psiP, psiP, Cufft.CUFFT_INVERSE);
                if (j == 0) setMid.run();
                fft.execD2Z(d2z, rhoP, rhohatP);
                fft.execZ2D(planC2R, rhohatP, vrhoP);
                fft.execZ2Z(fwd, psiP, psiP, Cufft.CUFFT_FORWARD);
            }
        }

        @Override
        public void close() { own.close(); }
    }

    /**
     * Device bytes of the propagator's own arrays (cuFFT's work areas come on top, about one more
     * complex n³ array): φ and its scratch copy 2·(2R·n³); with an interaction the density R·m³
     * (twice when padded: the padded input stays zero, so V*ρ needs its own array), the density
     * spectrum 2R·m²(m/2+1) and the kernel table R·m²(m/2+1); a sampled trap R·n³; the reduction
     * partials 8·(NX + NK)·MAX_BLOCKS, their 16 results and the two scale factors (8 bytes each).
     * R = 8 (double) or 4 (single) bytes.
     */
    static long deviceBytes(int n, int m, int real, boolean interacting, boolean trapTable) {
        long n3 = (long) n * n * n, m3 = (long) m * m * m, half = (long) m * m * (m / 2 + 1);
        long b = 2 * (2L * real * n3);
        if (interacting) b += real * m3 * (m == n ? 1 : 2) + 2L * real * half + real * half;
        if (trapTable) b += real * n3;
        return b + 8L * (NX + NK) * MAX_BLOCKS + 8L * 16 + 8 + 8;
    }

    /**
     * Device bytes the constructor allocates for {@code problem} with {@code kernel}: the arrays
     * above, plus the stored start-of-step density R·n³ of imaginary-time Strang with a contact
     * interaction. The fused step's parameter block ({@link CallbackInfo#BYTES}) and cuFFT's work
     * areas come on top.
     */
    static long deviceBytes(HartreeProblem problem, ConvolutionKernel kernel, boolean single) {
        int n = problem.grid().n(), real = single ? 4 : 8;
        boolean interacting = kernel.kind() == ConvolutionKernel.Kind.SPECTRAL;
        boolean localStored = problem.scheme().startOfStepDensity(problem.timeMode(), kernel.kind() != ConvolutionKernel.Kind.NONE)
                && kernel.kind() == ConvolutionKernel.Kind.LOCAL;
        return deviceBytes(n, interacting ? kernel.size() : n, real, interacting, sampledTrap(problem.h().trap()))
                + (localStored ? (long) real * n * n * n : 0);
    }

    /** Whether U is sampled into a device table (a harmonic trap is computed in the kernels, no trap costs nothing). */
    static boolean sampledTrap(TrapPotential tp) {
        return tp.quadraticCoefficients().isEmpty();
    }

    /** {cx, cy, cz, offset} of a harmonic trap, zeros otherwise (a sampled table is used instead). */
    static double[] trapCoefficients(TrapPotential tp) {
        return tp.quadraticCoefficients().orElseGet(() -> new double[4]);
    }

    private Launch launch(String name, long count, KernelArgs args) {
        return Launch.of(drv, s.function(name), name, Launch.gridFor(count, BLOCK, MAX_BLOCKS), BLOCK, s.stream, args, s.signatures);
    }

    private Launch kick(double atau, double c, long scalePtr, long partialsPtr, double dk, int imag) {
        return Launch.of(drv, s.function(Kernels.typed(Kernels.KICK, single)), Kernels.typed(Kernels.KICK, single), gridN, BLOCK, s.stream,
                new KernelArgs(arena).ptr(psi).i32(n).f64(dk).f64(atau).f64(c).ptr(scalePtr).i32(imag).ptr(partialsPtr), s.signatures);
    }

    /** A one-block launch of {@code name} with {@code grid} blocks (the reductions' finishing kernels). */
    private Launch single(String name, int grid, KernelArgs args) {
        return Launch.of(drv, s.function(name), name, grid, BLOCK, s.stream, args, s.signatures);
    }

    /** An size³ plan of {@code type} on the session's stream; cuFFT's out-of-memory says what was being made and what is free. */


    @Override
    public HartreeProblem problem() { return problem; }

    @Override
    public void load(double[] psiHost, double t) {
        if (psiHost.length != 2 * n3)
            throw new ParameterException("initial state", psiHost.length, "interleaved complex array of length 2n³ = " + 2 * n3);
        load(MemorySegment.ofArray(psiHost), t);
    }

    /** Long-indexed: 2n³ doubles from a heap or off-heap segment, staged in the device's precision. */
    @Override
    public void load(MemorySegment psiHost, double t) {
        if (psiHost.byteSize() != 2 * n3 * Double.BYTES)
            throw new ParameterException("initial state", psiHost.byteSize() / Double.BYTES, "interleaved complex array of length 2n³ = " + 2 * n3);
        s.enter();
        try (Arena a = Arena.ofConfined()) {
            drv.streamSynchronize(s.stream);
            MemorySegment h = a.allocate(2L * real * n3, 8);
            HostStaging.toDevicePrecision(psiHost, h, single);
            drv.memcpyHtoDAsync(psi, h, 2L * real * n3, s.stream);
            drv.streamSynchronize(s.stream);
            time = t;
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    @Override
    public void store(double[] psiHost) {
        if (psiHost.length != 2 * n3)
            throw new ParameterException("state buffer", psiHost.length, "interleaved complex array of length 2n³ = " + 2 * n3);
        store(MemorySegment.ofArray(psiHost));
    }

    /** Long-indexed: 2n³ doubles into a heap or off-heap segment. */
    @Override
    public void store(MemorySegment psiHost) {
        if (psiHost.byteSize() != 2 * n3 * Double.BYTES)
            throw new ParameterException("state buffer", psiHost.byteSize() / Double.BYTES, "interleaved complex array of length 2n³ = " + 2 * n3);
        s.enter();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(2L * real * n3, 8);
            drv.memcpyDtoHAsync(h, psi, 2L * real * n3, s.stream);
            drv.streamSynchronize(s.stream);
            HostStaging.fromDevicePrecision(h, psiHost, single, 1);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    private void forward(MemorySegment p) {
        if (single) fft.execC2C(planCc, p, p, Cufft.CUFFT_FORWARD); else fft.execZ2Z(planCc, p, p, Cufft.CUFFT_FORWARD);
    }

    private void inverse(MemorySegment p) {
        if (single) fft.execC2C(planCc, p, p, Cufft.CUFFT_INVERSE); else fft.execZ2Z(planCc, p, p, Cufft.CUFFT_INVERSE);
    }

    /** vrho ← IFFT(table · FFT(|ψ|²)) on the m³ grid. */
    private void convolve() {
        density.run();
        convolveDensity();
    }

    /** vrho ← IFFT(table · FFT(rho)) for the density already in rho. */
    private void convolveDensity() {
        if (single) fft.execR2C(planR2C, rhoP, rhohatP); else fft.execD2Z(planR2C, rhoP, rhohatP);
        spectrum.run();
        if (single) fft.execC2R(planC2R, rhohatP, vrhoP); else fft.execZ2D(planC2R, rhohatP, vrhoP);
    }

    /** ψ ← e^{−iτ_p W}ψ in position space (W from the current density). */
    private void potentialStep(int p) {
        if (interacting) convolve();
        phase[p].run();
    }

    @Override
    public void advance(int steps) {
        if (steps < 0) throw new ParameterException("steps", steps, "integer >= 0");
        if (steps == 0) return;
        s.enter();
        try {
            drv.eventRecord(evStart, s.stream);
            int P = weights.length;
            forward(psiP);
            if (fused != null) {
                fused.run(steps);
                kickLast.run();
                inverse(psiP);
            } else if (!imaginary) {
                long total = (long) steps * P;
                for (long j = 0; j < total; j++) {
                    int p = (int) (j % P);
                    (j == 0 ? kickFirst : kickMid[p]).run();
                    inverse(psiP);
                    potentialStep(p);
                    forward(psiP);
                }
                kickLast.run();
                inverse(psiP);
            } else {
                // The imaginary-time rules of engine-api's SplitStepPropagator: with Strang and an
                // interaction, W from the normalised density of the state at the start of the step;
                // otherwise from the mid-step density normalised by the kick's own sum.
                for (int st = 0; st < steps; st++) {
                    for (int p = 0; p < P; p++) {
                        if (startDensity) {
                            drv.memcpyDtoDAsync(scratch, psi, 2L * real * n3, s.stream);
                            inverse(scratchP);
                            densityStart.run();
                            densScaleRaw.run();
                            if (interacting) convolveDensity();
                        }
                        (p == 0 && st > 0 ? kickScaled : kickA[p]).run();
                        if (!startDensity) densScaleKick.run();
                        inverse(psiP);
                        if (!startDensity && interacting) convolve();
                        phase[p].run();
                        forward(psiP);
                        kickB[p].run();
                    }
                    normScale.run();
                }
                kickEnd.run();
                inverse(psiP);
            }
            drv.eventRecord(evEnd, s.stream);
            drv.eventSynchronize(evEnd);
            lastMillis = drv.eventElapsed(evStart, evEnd);
            time += steps * problem.dt();
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    @Override
    public java.util.List<String> warnings() { return java.util.List.copyOf(warnings.values()); }

    @Override
    public String implementation() { return implementation; }


    /** Device time of the last {@link #advance} call in milliseconds, measured with CUDA events. */
    public float lastAdvanceMillis() { return lastMillis; }

    @Override
    public double time() { return time; }

    @Override
    public Observables observe() {
        s.enter();
        try {
            drv.memcpyDtoDAsync(scratch, psi, 2L * real * n3, s.stream);
            forward(scratchP);
            reduceK.run();
            if (interacting) convolve();
            reduceX.run();
            finalX.run();
            finalK.run();
            drv.memcpyDtoHAsync(hostSums, sums, 8L * (NX + NK), s.stream);
            drv.streamSynchronize(s.stream);
            double[] x = new double[NX + NK];
            for (int i = 0; i < x.length; i++) x[i] = hostSums.getAtIndex(JAVA_DOUBLE, i);
            Observables o = observables(x, grid, problem.h().kinetic(), time);
            for (String w : o.warnings()) warnings.putIfAbsent(w.substring(0, w.indexOf(':')), w);
            return o;
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    /**
     * Observables from the device sums (order of the reduce_x and reduce_k kernels): Riemann sums
     * with dV; kinetic by Parseval, a·dV/N·Σ|k|²|FFT φ|²; interaction ½dV Σ(V*ρ)ρ (contact: ½g dV Σρ²);
     * μ = (kin + trap + 2·int)/norm; ⟨x⟩, ⟨|x|²⟩ and the edge mass per unit norm; overlap0 = |dV Σ φ⁰φ|²;
     * spectral tail Σ_tail/Σ. The same definitions as the cpu backend's observe().
     */
    static Observables observables(double[] x, Grid3D g, double a, double t) {
        double dV = g.dV(), N = g.points();
        double norm = dV * x[0];
        double trap = dV * x[1];
        double kin = a * dV / N * x[NX + 1];
        double inter = 0.5 * dV * x[9];
        double ovRe = dV * x[6], ovIm = dV * x[7];
        double tail = x[NX] > 0 ? x[NX + 2] / x[NX] : 0;
        return new Observables(t, norm, kin + trap + inter, kin, trap, inter, (kin + trap + 2 * inter) / norm,
                dV * x[2] / norm, dV * x[3] / norm, dV * x[4] / norm, dV * x[5] / norm, ovRe * ovRe + ovIm * ovIm,
                dV * x[8] / norm, tail);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        s.disown(this);
        res.close();
    }
}
