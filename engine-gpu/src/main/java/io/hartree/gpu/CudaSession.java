package io.hartree.gpu;

import io.hartree.api.BackendException;
import io.hartree.api.BackendSession;
import io.hartree.api.Capabilities;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.FftBenchmark;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.hartree.SplitStepPropagator;
import io.hartree.gpu.cuda.CudaException;
import io.hartree.gpu.cuda.CudaRuntime;
import io.hartree.gpu.cuda.Driver;
import io.hartree.gpu.cuda.KernelImage;
import io.hartree.gpu.cuda.Nvrtc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An open CUDA device: the primary context (the one cuFFT and cuBLAS use), one non-blocking
 * stream, the kernel module compiled for this device, and every device allocation made through
 * it (freed at {@link #close()}). The context is made current on the calling thread at the start
 * of every operation, since CUDA's current context is per host thread. A sticky error (illegal
 * address, launch failure) marks the session dead: later calls fail fast with the first error.
 */
public final class CudaSession implements BackendSession, FftBenchmark {
    final CudaRuntime rt;
    final Driver drv;
    final SessionOptions options;
    final CudaDevice device;
    final Arena arena = Arena.ofShared();
    private final MemorySegment context;
    final MemorySegment stream;
    private final MemorySegment module;
    private final Map<String, MemorySegment> functions = new HashMap<>();
    /** Parameter kinds of every kernel, parsed from the source: each launch is checked against them. */
    final Map<String, String> signatures = allSignatures();
    /** The source file that defines each kernel: its module is loaded on the first launch of one of its kernels. */
    private final Map<String, String> kernelFile = kernelFiles();
    /** Modules of the sources after the first (fock.cu), loaded when first needed: a Hartree-only session never compiles them. */
    private final Map<String, MemorySegment> extraModules = new HashMap<>();
    /** How the kernels were built: "NVRTC 13.0, sm_90 CUBIN" or "build-time PTX (...)". */
    final String kernelOrigin;
    private final List<Long> allocations = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final java.util.Set<Arena> arenas = new java.util.HashSet<>();
    private volatile CudaException dead;
    private boolean closed;

    CudaSession(CudaRuntime rt, SessionOptions options) {
        this.rt = rt;
        this.drv = rt.driver;
        this.options = options;
        CudaStatusGuard.initOrThrow(drv);
        int count = drv.deviceCount();
        if (options.device() >= count)
            throw new io.hartree.api.ParameterException("--device", options.device(), "0.." + (count - 1) + " (" + count + " CUDA devices)");
        this.device = CudaDevice.query(drv, options.device());
        this.context = drv.primaryCtxRetain(device.handle());
        try {
            drv.ctxSetCurrent(context);
            this.stream = drv.streamCreate(Driver.CU_STREAM_NON_BLOCKING);
            StringBuilder origin = new StringBuilder();
            this.module = loadModule(origin);
            this.kernelOrigin = origin.toString();
        } catch (RuntimeException e) {
            drv.primaryCtxRelease(device.handle());
            throw e;
        }
    }

    private static Map<String, String> allSignatures() {
        Map<String, String> m = new HashMap<>();
        for (String f : KernelImage.SOURCES) m.putAll(KernelImage.signatures(KernelImage.source(f)));
        return Map.copyOf(m);
    }

    private static Map<String, String> kernelFiles() {
        Map<String, String> m = new HashMap<>();
        for (String f : KernelImage.SOURCES) for (String k : KernelImage.externCKernels(KernelImage.source(f))) m.put(k, f);
        return Map.copyOf(m);
    }

    private MemorySegment loadModule(StringBuilder origin) {
        return loadModule(KernelImage.SOURCES.getFirst(), origin);
    }

    /** Compiles {@code file} by NVRTC for this device (CUBIN), else loads its build-time PTX. */
    private MemorySegment loadModule(String file, StringBuilder origin) {
        String nvrtcFailure = rt.missing("nvrtc").orElse("");
        if (rt.nvrtc != null) {
            try {
                String target = targetArch(rt.nvrtc.supportedArchs(), device.ccMajor() * 10 + device.ccMinor());
                Nvrtc.Output out = rt.nvrtc.compile(KernelImage.source(file), file,
                        List.of("--gpu-architecture=" + target, "--std=c++17"));
                boolean cubin = out.cubin() != null && out.cubin().length > 0;
                byte[] image = cubin ? out.cubin() : nulTerminated(out.ptx());
                MemorySegment m = drv.moduleLoadDataEx(arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, image), null);
                int[] v = rt.nvrtc.version();
                origin.append("NVRTC ").append(v[0]).append('.').append(v[1]).append(", ").append(target).append(cubin ? " CUBIN" : " PTX");
                return m;
            } catch (CudaException e) {
                if (e.sticky()) throw e;
                nvrtcFailure = e.getMessage();
            }
        }
        byte[] ptx = KernelImage.ptx(file);
        if (ptx == null)
            throw new BackendException("no kernel image for the device: NVRTC failed or is absent (" + nvrtcFailure
                    + ") and this build has no nvcc PTX (it was built without nvcc on PATH)");
        MemorySegment m = drv.moduleLoadDataEx(arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, nulTerminated(ptx)), null);
        origin.append("build-time PTX (nvcc)").append(nvrtcFailure.isEmpty() ? "" : "; NVRTC: " + nvrtcFailure);
        return m;
    }

    private byte[] callbacksLto;
    private String callbacksFailure;

    private synchronized String callbacksFailure() { return callbacksFailure; }

    /**
     * The cuFFT LTO callbacks of the fused Hartree step (callbacks/hartree_callbacks.cu), compiled by
     * NVRTC to LTO IR for this device's architecture once per session. Throws, naming what is
     * missing, where they cannot be: no NVRTC, an NVRTC without nvrtcGetLTOIR, or a cuFFT older than
     * 12 (CUDA 13's cufftXtSetJITCallback).
     */
    synchronized byte[] hartreeCallbacks() {
        if (callbacksFailure != null) throw new BackendException(callbacksFailure);
        if (callbacksLto == null) try {
            if (!rt.cufft.jitCallbacks())
                throw new BackendException("cuFFT " + rt.cufft.version() + " has no CUDA 13 LTO callbacks (cufftXtSetJITCallback of cuFFT 12)");
            if (rt.nvrtc == null) throw new BackendException("NVRTC is absent (" + rt.missing("nvrtc").orElse("") + ")");
            if (!rt.nvrtc.lto()) throw new BackendException("NVRTC " + rt.nvrtc.library().where() + " exports no nvrtcGetLTOIR");
            String target = targetArch(rt.nvrtc.supportedArchs(), device.ccMajor() * 10 + device.ccMinor()).replace("sm_", "compute_");
            callbacksLto = rt.nvrtc.compileLto(KernelImage.callbackSource(), "hartree_callbacks.cu",
                    List.of("--gpu-architecture=" + target, "--relocatable-device-code=true", "-dlto", "--std=c++17"));
        } catch (RuntimeException e) {
            if (e instanceof CudaException ce && ce.sticky()) throw e;
            callbacksFailure = e.getMessage();  // once per session: every propagator would fail the same way
            throw e;
        }
        return callbacksLto;
    }

    /**
     * The NVRTC target: sm_XY of the device when NVRTC supports it (gives a CUBIN, no JIT), else
     * compute_XY of the newest supported arch below it (PTX, JIT-compiled by the driver).
     */
    static String targetArch(int[] supported, int cc) {
        if (Arrays.stream(supported).anyMatch(a -> a == cc)) return "sm_" + cc;
        int best = Arrays.stream(supported).filter(a -> a < cc).max()
                .orElseThrow(() -> new BackendException("NVRTC supports no architecture at or below sm_" + cc + " (supports " + Arrays.toString(supported) + ")"));
        return "compute_" + best;
    }

    static byte[] nulTerminated(byte[] b) {
        if (b.length > 0 && b[b.length - 1] == 0) return b;
        byte[] c = Arrays.copyOf(b, b.length + 1);
        return c;
    }

    /** Makes the context current on this thread and fails fast when a sticky error killed it. */
    void enter() {
        if (closed) throw new BackendException("cuda session is closed");
        if (dead != null) throw new BackendException("cuda session is dead after a sticky error: " + dead.getMessage(), true, dead);
        drv.ctxSetCurrent(context);
    }

    /** Records a sticky error so that the session refuses further work; returns it for rethrowing. */
    RuntimeException failed(RuntimeException e) {
        if (e instanceof CudaException ce && ce.sticky()) dead = ce;
        return e;
    }

    MemorySegment function(String name) {
        return functions.computeIfAbsent(name, n -> {
            String file = kernelFile.get(n);
            MemorySegment mod = file == null || file.equals(KernelImage.SOURCES.getFirst()) ? module
                    : extraModules.computeIfAbsent(file, f -> loadModule(f, new StringBuilder()));
            return drv.moduleGetFunction(mod, n);
        });
    }

    /** Device allocation owned by the session; the message of an out-of-memory error names {@code purpose}. */
    long alloc(long bytes, String purpose) {
        long p = drv.memAlloc(bytes, purpose);
        allocations.add(p);
        return p;
    }

    void free(long p) {
        if (allocations.remove(Long.valueOf(p))) drv.memFree(p);
    }

    /** A shared native arena owned by the session until {@link #closeArena} (or the session's close, for one left open). */
    synchronized Arena openArena() {
        Arena a = Arena.ofShared();
        arenas.add(a);
        return a;
    }

    synchronized void closeArena(Arena a) {
        if (arenas.remove(a)) a.close();
    }

    /** Arenas handed out by {@link #openArena} and not closed yet. */
    synchronized int openArenas() { return arenas.size(); }

    void own(AutoCloseable c) { owned.add(c); }

    void disown(AutoCloseable c) { owned.remove(c); }

    int multiprocessors() { return device.multiprocessors(); }

    @Override
    public String backend() { return "cuda"; }

    /**
     * Double and single precision; the fused step where the libraries can make it (cuFFT LTO
     * callbacks, NVRTC with LTO IR), it is not switched off, and compiling the callbacks has not
     * failed in this session, as {@code hartree backends} reports it (it applies to real-time
     * periodic Strang in double, on both paths: the default propagator and, with
     * {@link CudaSplitStepKernels#SWITCH}=1, the split-step primitives' realTimeSubstep); matrix-free Fock products where cuBLAS was found (the Fock kernels
     * need it); one state per propagator; the FFT benchmark; the device memory free now.
     */
    @Override
    public Capabilities capabilities() {
        enter();
        long free = drv.memInfo()[0];
        boolean fused = CudaHartreePropagator.fusedLibraries(rt) && CudaHartreePropagator.fusedRequested() && callbacksFailure() == null;
        return new Capabilities(EnumSet.of(Precision.DOUBLE, Precision.SINGLE), fused, rt.cublas != null, 1, true, free);
    }

    /** The session itself: its transforms run on its stream and device. */
    @Override
    public FftBenchmark fftBenchmark() {
        enter();
        return this;
    }

    @Override
    public String device() { return device.describe() + "; kernels: " + kernelOrigin; }

    /** JTransforms on the host (set-up work: the kernel table, mode integrals). */
    @Override
    public io.hartree.api.HostTransforms hostTransforms() { return hostTransforms; }

    private final io.hartree.api.HostTransforms hostTransforms = new JTransformsHostTransforms();

    /**
     * The default path, {@link CudaHartreePropagator} (verified on H100/H200), or with
     * {@link CudaSplitStepKernels#SWITCH}=1 engine-api's one algorithm over this device's
     * primitives ({@link #hartree(HartreeProblem, int)}).
     */
    @Override
    public HartreePropagator hartree(HartreeProblem problem) {
        if (CudaSplitStepKernels.selected(problem))
            return hartree(problem, problem.terms().components() == null ? 1 : problem.terms().components().k());
        enter();
        try {
            CudaHartreePropagator p = new CudaHartreePropagator(this, problem);
            own(p);
            return p;
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    /**
     * With {@link CudaSplitStepKernels#SWITCH}=1 (or -Dhartree.cuda.splitstep=true): engine-api's
     * {@link SplitStepPropagator} over {@link CudaSplitStepKernels}, one state (batch 1). Without
     * the switch: the default path ({@link CudaHartreePropagator}, batch 1).
     */
    @Override
    public HartreePropagator hartree(HartreeProblem problem, int batch) {
        if (!CudaSplitStepKernels.selected(problem)) return BackendSession.super.hartree(problem, batch);
        // Several components: one batch of the K component states (SplitStepPropagator requires batch == K).
        int states = problem.terms().components() == null ? 1 : problem.terms().components().k();
        io.hartree.api.ParameterException.require(batch == states, "batch", batch,
                states == 1 ? "1..1 on backend cuda" : states + " (one state per component of --components) on backend cuda");
        enter();
        try {
            ConvolutionKernel kernel = ConvolutionKernel.build(problem.grid(), problem.interaction(), problem.convolution(), hostTransforms());
            CudaSplitStepKernels k = new CudaSplitStepKernels(this, problem, kernel);
            SplitStepPropagator[] self = new SplitStepPropagator[1];
            try {
                self[0] = new SplitStepPropagator(problem, kernel, k, () -> disown(self[0])).hostTransforms(hostTransforms());
            } catch (RuntimeException e) {
                k.close();
                throw e;
            }
            own(self[0]);
            return self[0];
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    private CudaFockKernels fock;

    /** Fock-space kernels on this device (cuBLAS, cuSOLVER where found, the CSR kernel); made once per session. */
    @Override
    public io.hartree.api.FockKernels fock() {
        enter();
        if (fock == null) {
            try {
                fock = new CudaFockKernels(this);
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }
        return fock;
    }

    /** One in-place forward Z2Z of n³ on the session's stream; {@code run()} waits for it. */
    @Override
    public FftBenchmark.Transform complexFft(int n) {
        enter();
        DeviceResources res = new DeviceResources(this);
        try {
            MemorySegment p = MemorySegment.ofAddress(zeroed(res, 16L * n * n * n, "the FFT benchmark's " + n + "³ complex array"));
            int plan = res.plan3d(n, io.hartree.gpu.cuda.Cufft.Z2Z, "benchmark complex");
            return benchTransform("Z2Z double in place", res, () -> rt.cufft.execZ2Z(plan, p, p, io.hartree.gpu.cuda.Cufft.CUFFT_FORWARD));
        } catch (RuntimeException e) {
            throw failed(res.releaseAfter(e));
        }
    }

    /** The D2Z of a real n³ array into its half spectrum and the Z2D back, out of place; {@code run()} waits for both. */
    @Override
    public FftBenchmark.Transform realFftPair(int n) {
        enter();
        DeviceResources res = new DeviceResources(this);
        try {
            MemorySegment r = MemorySegment.ofAddress(zeroed(res, 8L * n * n * n, "the FFT benchmark's " + n + "³ real array"));
            MemorySegment h = MemorySegment.ofAddress(zeroed(res, 16L * n * n * (n / 2 + 1), "the FFT benchmark's " + n + "²(" + n + "/2+1) half spectrum"));
            int d2z = res.plan3d(n, io.hartree.gpu.cuda.Cufft.D2Z, "benchmark real-to-complex"), z2d = res.plan3d(n, io.hartree.gpu.cuda.Cufft.Z2D, "benchmark complex-to-real");
            return benchTransform("D2Z + Z2D double out of place", res, () -> {
                rt.cufft.execD2Z(d2z, r, h);
                rt.cufft.execZ2D(z2d, h, r);
            });
        } catch (RuntimeException e) {
            throw failed(res.releaseAfter(e));
        }
    }

    private long zeroed(DeviceResources res, long bytes, String purpose) {
        long p = res.alloc(bytes, purpose);
        drv.memsetD8(p, (byte) 0, bytes);
        return p;
    }


    private FftBenchmark.Transform benchTransform(String kind, DeviceResources res, Runnable exec) {
        String what = "cuFFT " + rt.cufft.version() + ", " + kind + ", " + device.name();
        FftBenchmark.Transform t = new FftBenchmark.Transform() {
            boolean done;

            @Override
            public void run() {
                enter();
                try {
                    exec.run();
                    drv.streamSynchronize(stream);
                } catch (RuntimeException e) {
                    throw failed(e);
                }
            }

            @Override
            public String describe() { return what; }

            @Override
            public void close() {
                if (done) return;
                done = true;
                disown(this);
                res.close();
            }
        };
        own(t);
        return t;
    }

    @Override
    public void close() {
        if (closed) return;
        RuntimeException first = null;
        try {
            if (dead == null) drv.ctxSetCurrent(context);
            if (fock != null) try { fock.close(); } catch (RuntimeException e) { first = e; }
            for (AutoCloseable c : List.copyOf(owned)) {
                try { c.close(); } catch (Exception e) { if (first == null) first = new BackendException("closing " + c + ": " + e.getMessage(), false, e); }
            }
            for (long p : List.copyOf(allocations)) {
                try { drv.memFree(p); } catch (RuntimeException e) { if (first == null) first = e; }
            }
            allocations.clear();
            for (Arena a : List.copyOf(arenas)) closeArena(a);
            try { drv.moduleUnload(module); } catch (RuntimeException e) { if (first == null) first = e; }
            for (MemorySegment m : extraModules.values())
                try { drv.moduleUnload(m); } catch (RuntimeException e) { if (first == null) first = e; }
            try { drv.streamDestroy(stream); } catch (RuntimeException e) { if (first == null) first = e; }
        } finally {
            closed = true;
            try { drv.primaryCtxRelease(device.handle()); } catch (RuntimeException e) { if (first == null) first = e; }
            arena.close();
        }
        // After a sticky error the frees above fail with the same error: that is expected, not news.
        if (first != null && dead == null) throw first;
    }
}
