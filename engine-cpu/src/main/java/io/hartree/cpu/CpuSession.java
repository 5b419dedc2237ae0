package io.hartree.cpu;

import io.hartree.api.BackendSession;
import io.hartree.api.ParameterException;
import io.hartree.api.SessionOptions;
import io.hartree.api.FftBenchmark;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.hartree.SplitStepPropagator;
import io.hartree.api.Capabilities;
import io.hartree.api.Precision;

import java.util.ArrayList;
import java.util.List;

/**
 * An open cpu backend: worker threads for the elementwise loops ({@link Parallel}) and the
 * FFT of choice. Closing it closes every propagator it made and shuts down JTransforms' global
 * worker pool, whose threads are non-daemon and would keep the JVM alive.
 */
public final class CpuSession implements BackendSession, FftBenchmark {
    private final SessionOptions options;
    private final int threads;
    private final boolean fftw;
    private final String fftwFailure;
    private final String planner;
    private final Parallel parallel;
    private final CpuHostTransforms transforms;
    private final List<HartreePropagator> open = new ArrayList<>();
    private boolean closed;

    CpuSession(SessionOptions options) {
        this.options = options;
        this.threads = options.threadsOrCores();
        String reason = null;
        boolean ok = false;
        if (!CpuBackend.forceJTransforms()) {
            try {
                FftwFft3.load();
                ok = true;
            } catch (Throwable t) {
                reason = t.toString();
            }
        } else reason = "disabled by -D" + CpuBackend.FFT_PROPERTY + "=jtransforms";
        this.fftw = ok;
        this.fftwFailure = reason;
        this.planner = CpuBackend.planner();
        this.parallel = new Parallel(threads);
        this.transforms = new CpuHostTransforms(fftw, threads);
        JTransformsPool.useDaemonThreads();
    }

    @Override public String backend() { return "cpu"; }

    @Override public String device() { return CpuBackend.cpuName() + ", " + threads + " threads, FFT: " + fftName(); }

    /** The FFT in use: FFTW (version, threads, planner) or JTransforms with the reason FFTW is not used. */
    public String fftName() {
        return fftw ? FftwFft3.load() + ", " + threads + " threads, " + planner.toUpperCase(java.util.Locale.ROOT) + " plans"
                : "JTransforms 3.1 (FFTW not used: " + fftwFailure + ")";
    }

    @Override
    public HartreePropagator hartree(HartreeProblem problem) { return hartree(problem, 1); }

    /**
     * engine-api's split-step algorithm ({@link SplitStepPropagator}) over this backend's
     * primitives ({@link CpuSplitStepKernels}); a batch shares the plans, the kernel table, the
     * trap and the density scratch, each state has its own array and mean field.
     */
    @Override
    public synchronized HartreePropagator hartree(HartreeProblem problem, int batch) {
        if (closed) throw new IllegalStateException("session is closed");
        ParameterException.require(batch >= 1 && batch <= MAX_BATCH, "batch", batch, "1.." + MAX_BATCH);
        int n = problem.grid().n();
        // Checked before the kernel table, the FFT buffers and their plans are made (they would leak).
        if ((long) n * n * n * 2 > Integer.MAX_VALUE - 16)
            throw new ParameterException("--grid", n, "n with 2n³ < 2³¹ on the cpu backend (n <= 1024)");
        ConvolutionKernel kernel = ConvolutionKernel.build(problem.grid(), problem.interaction(), problem.convolution(), transforms);
        int m = kernel.kind() == ConvolutionKernel.Kind.SPECTRAL ? kernel.size() : 0;
        boolean startDensity = problem.scheme().startOfStepDensity(problem.timeMode(), kernel.kind() != ConvolutionKernel.Kind.NONE);
        Fft3 fft = fftw ? new FftwFft3(n, m, batch, threads, planner, true) : new JTransformsFft3(n, m, batch, true);
        CpuSplitStepKernels kernels;
        try {
            kernels = new CpuSplitStepKernels(problem, kernel, fft, parallel, startDensity);
        } catch (RuntimeException | Error e) {
            fft.close();
            throw e;
        }
        HartreePropagator[] self = new HartreePropagator[1];
        SplitStepPropagator p = new SplitStepPropagator(problem, kernel, kernels, () -> forget(self[0])).hostTransforms(transforms);
        self[0] = p;
        open.add(p);
        return p;
    }

    /** Largest batch: plans are shared, so only memory limits it (the memory plan checks that). */
    static final int MAX_BATCH = 1 << 16;

    @Override
    public Capabilities capabilities() {
        long heap = Runtime.getRuntime().maxMemory();
        long physical = 0;
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            physical = os.getTotalMemorySize();
        return new Capabilities(java.util.Set.of(Precision.DOUBLE), false, true, MAX_BATCH, true, Math.max(0, physical > 0 ? physical : heap));
    }

    @Override
    public FftBenchmark fftBenchmark() { return this; }

    /** FFTW (or JTransforms) on host arrays, for set-up work: kernel tables, mode integrals. */
    @Override
    public io.hartree.api.HostTransforms hostTransforms() { return transforms; }

    private synchronized void forget(HartreePropagator p) { open.remove(p); }

    /** Fock-space kernels: OpenBLAS zgemm/zheevd, ND4J syev, host Krylov vectors. */
    @Override
    public io.hartree.api.FockKernels fock() {
        if (closed) throw new IllegalStateException("session is closed");
        return new io.hartree.cpu.fock.CpuFockKernels();
    }

    @Override
    public FftBenchmark.Transform complexFft(int n) {
        Fft3 fft = fftw ? new FftwFft3(n, 0, threads, planner, false) : new JTransformsFft3(n, 0, false);
        return new FftBenchmark.Transform() {
            public void run() { fft.forward(0); }
            public String describe() { return fft.describe(); }
            public void close() { fft.close(); }
        };
    }

    @Override
    public FftBenchmark.Transform realFftPair(int n) {
        Fft3 fft = fftw ? new FftwFft3(n, n, threads, planner, false) : new JTransformsFft3(n, n, false);
        return new FftBenchmark.Transform() {
            public void run() { fft.rhoForward(); fft.convBackward(0); }
            public String describe() { return fft.describe(); }
            public void close() { fft.close(); }
        };
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (HartreePropagator p : new ArrayList<>(open)) p.close();
        open.clear();
        parallel.close();
        JTransformsPool.shutdown();
    }
}
