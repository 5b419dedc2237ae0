package io.hartree.gpu;

import io.hartree.api.BackendException;
import io.hartree.api.BackendSession;
import io.hartree.api.SessionOptions;
import io.hartree.api.grid.FftBenchmark;
import io.hartree.api.hartree.HartreeProblem;
import io.hartree.api.hartree.HartreePropagator;
import io.hartree.gpu.cuda.CudaException;
import io.hartree.gpu.cuda.CudaRuntime;
import io.hartree.gpu.cuda.Driver;
import io.hartree.gpu.cuda.KernelImage;
import io.hartree.gpu.cuda.Nvrtc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
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

    void own(AutoCloseable c) { owned.add(c); }

    void disown(AutoCloseable c) { owned.remove(c); }

    int multiprocessors() { return device.multiprocessors(); }

    @Override
    public String backend() { return "cuda"; }

    @Override
    public String device() { return device.describe() + "; kernels: " + kernelOrigin; }

    @Override
    public HartreePropagator hartree(HartreeProblem problem) {
        enter();
        try {
            CudaHartreePropagator p = new CudaHartreePropagator(this, problem);
            own(p);
            return p;
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    private CudaFockKernels fock;

    /** Fock-space kernels on this device (cuBLAS, cuSOLVER where found, the CSR kernel); made once per session. */
    @Override
    public io.hartree.api.fock.FockKernels fock() {
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
        long bytes = 16L * n * n * n;
        long buf = alloc(bytes, "the FFT benchmark's " + n + "³ complex array");
        int plan;
        try {
            drv.memsetD8(buf, (byte) 0, bytes);
            plan = rt.cufft.plan3d(n, n, n, io.hartree.gpu.cuda.Cufft.Z2Z);
            rt.cufft.setStream(plan, stream);
        } catch (RuntimeException e) {
            free(buf);
            throw failed(e);
        }
        MemorySegment p = MemorySegment.ofAddress(buf);
        String what = "cuFFT " + rt.cufft.version() + ", Z2Z double in place, " + device.name();
        FftBenchmark.Transform t = new FftBenchmark.Transform() {
            boolean done;

            @Override
            public void run() {
                enter();
                try {
                    rt.cufft.execZ2Z(plan, p, p, io.hartree.gpu.cuda.Cufft.CUFFT_FORWARD);
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
                rt.cufft.destroy(plan);
                free(buf);
            }
        };
        own(t);
        return t;
    }

    @Override
    public FftBenchmark.Transform realFftPair(int n) {
        enter();
        long real = 8L * n * n * n, half = 16L * n * n * (n / 2 + 1);
        long rho = alloc(real, "the FFT benchmark's " + n + "³ real array");
        long hat;
        try {
            hat = alloc(half, "the FFT benchmark's " + n + "²(" + n + "/2+1) half spectrum");
        } catch (RuntimeException e) {
            free(rho);
            throw e;
        }
        int d2z, z2d;
        try {
            drv.memsetD8(rho, (byte) 0, real);
            d2z = rt.cufft.plan3d(n, n, n, io.hartree.gpu.cuda.Cufft.D2Z);
            z2d = rt.cufft.plan3d(n, n, n, io.hartree.gpu.cuda.Cufft.Z2D);
            rt.cufft.setStream(d2z, stream);
            rt.cufft.setStream(z2d, stream);
        } catch (RuntimeException e) {
            free(hat);
            free(rho);
            throw failed(e);
        }
        MemorySegment r = MemorySegment.ofAddress(rho), h = MemorySegment.ofAddress(hat);
        String what = "cuFFT " + rt.cufft.version() + ", D2Z + Z2D double out of place, " + device.name();
        FftBenchmark.Transform t = new FftBenchmark.Transform() {
            boolean done;

            @Override
            public void run() {
                enter();
                try {
                    rt.cufft.execD2Z(d2z, r, h);
                    rt.cufft.execZ2D(z2d, h, r);
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
                rt.cufft.destroy(d2z);
                rt.cufft.destroy(z2d);
                free(hat);
                free(rho);
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
