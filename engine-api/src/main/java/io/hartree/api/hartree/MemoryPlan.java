package io.hartree.api.hartree;

import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.TrapPotential;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.InitialState;

import io.hartree.api.Precision;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory a Hartree run will hold, made before anything is allocated: every array by name,
 * where it lives (JVM heap, off-heap host memory, device), how long it lives and its size, with
 * the peak of each pool, a check against what is available ({@link #problems}) and a table for the
 * user ({@link #describe}). All arithmetic is in {@code long}: 2·4096³ values overflow {@code int}.
 *
 * <p>The per-backend array lists are in one place, {@link #cpuArrays} and {@link #cudaArrays};
 * update them when a backend's buffers change. References: cpu — {@code CpuSplitStepKernels}
 * (trap, start-of-step density), {@code FftwFft3} (state, work, ρ, V*ρ, ρ̂, the pruned
 * stages of the padded transform); cuda — {@code CudaHartreePropagator.deviceBytes} and the
 * {@code alloc} calls of its constructor ({@link #cudaArrays}), or with the split-step switch
 * {@code CudaSplitStepKernels.deviceBytes} ({@link #cudaArrays} with splitStep), {@code load}/{@code store} (host staging). The host
 * side of both: the kernel table and its construction in {@link ConvolutionKernel}, the initial
 * state ({@link InitialState}) and the CLI's host copy of φ for checkpoints and psi_final.npy.
 *
 * <p>The states on the host (the initial state, the copy for checkpoints and psi_final.npy, the
 * cpu backend's FFT buffers) are long-indexed off-heap segments. What is still a Java
 * {@code double[]} (the sampled trap, the kernel table and its construction) may hold at most
 * {@link #MAX_HOST_ARRAY} values; the plan refuses larger ones whatever the memory, naming the array.
 */
public final class MemoryPlan {
    /** Largest length of a Java array (the VM reserves a few header words below 2³¹ − 1). */
    public static final long MAX_HOST_ARRAY = Integer.MAX_VALUE - 8;

    /** Where an array lives. */
    public enum Pool {
        HEAP("JVM heap"), NATIVE("host, off-heap"), DEVICE("device");
        final String label;
        Pool(String label) { this.label = label; }
        public String label() { return label; }
    }

    /**
     * How long an array lives: the whole run, only during setup (freed before the first step), or
     * only while output is written (allocated after setup's arrays are freed). A pool's peak is
     * RUN + max(SETUP, OUTPUT).
     */
    public enum Lifetime { RUN, SETUP, OUTPUT }

    /** One array: its role, pool, lifetime, number of values and bytes per value. */
    public record Array(String name, Pool pool, Lifetime lifetime, long values, int bytesPerValue) {
        public long bytes() { return Math.multiplyExact(values, (long) bytesPerValue); }

        /** Whether this is a host array indexed by int (heap {@code double[]}) too long for Java. */
        public boolean overIntIndex() { return pool == Pool.HEAP && values > MAX_HOST_ARRAY; }
    }

    /**
     * Memory available to the run, in bytes per pool; 0 = unknown (that pool is not checked).
     *
     * @param heap   the JVM's max heap less what is in use
     * @param host   physical memory for off-heap arrays: total less the JVM's max heap
     * @param device free device memory (the session's {@code capabilities().memoryBytes()})
     */
    public record Available(long heap, long host, long device) {
        /** This JVM: Runtime.maxMemory for the heap, com.sun.management's total physical memory for off-heap. */
        public static Available thisJvm(long device) {
            Runtime rt = Runtime.getRuntime();
            long heap = rt.maxMemory() == Long.MAX_VALUE ? 0 : rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            long physical = 0;
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
                physical = os.getTotalMemorySize();
            long host = physical == 0 ? 0 : Math.max(1, physical - (rt.maxMemory() == Long.MAX_VALUE ? 0 : rt.maxMemory()));
            return new Available(heap, host, device);
        }

        long of(Pool p) { return switch (p) { case HEAP -> heap; case NATIVE -> host; case DEVICE -> device; }; }
    }

    private final String backend;
    private final HartreeProblem problem;
    private final Precision precision;
    private final int batch;
    private final int m;
    private final List<Array> arrays;

    private MemoryPlan(String backend, HartreeProblem problem, Precision precision, int batch, int m, List<Array> arrays) {
        this.backend = backend;
        this.problem = problem;
        this.precision = precision;
        this.batch = batch;
        this.m = m;
        this.arrays = List.copyOf(arrays);
    }

    /**
     * The plan of {@code problem} on {@code backend} ("cuda": device arrays; any other name: the
     * cpu backend's host arrays) for {@code batch} states in {@code precision}.
     *
     * @param groundState whether the initial state stays referenced for the whole run (the
     *                    ground-state solver holds it); otherwise it is freed after loading
     */
    public static MemoryPlan of(String backend, HartreeProblem problem, Precision precision, int batch, boolean groundState) {
        return of(backend, problem, precision, batch, groundState, false);
    }

    /**
     * As {@link #of(String, HartreeProblem, Precision, int, boolean)}; with {@code cudaSplitStep} the
     * cuda arrays are those of engine-gpu's split-step primitives ({@code CudaSplitStepKernels}, the
     * path HARTREE_CUDA_SPLITSTEP=1 selects) instead of the default {@code CudaHartreePropagator}'s.
     */
    public static MemoryPlan of(String backend, HartreeProblem problem, Precision precision, int batch, boolean groundState, boolean cudaSplitStep) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1: " + batch);
        Kind kind = Kind.of(problem.interaction());
        int n = problem.grid().n();
        int m = kind == Kind.SPECTRAL && problem.convolution() != ConvolutionMode.PERIODIC ? 2 * n : n;
        List<Array> a = new ArrayList<>();
        boolean cuda = "cuda".equals(backend);
        // Several components run only on the split-step path on cuda.
        if (cuda) cudaArrays(a, problem, kind, n, m, precision == Precision.SINGLE ? 4 : 8, batch, cudaSplitStep || problem.terms().components() != null);
        else cpuArrays(a, problem, kind, n, m, batch);
        hostArrays(a, problem, kind, n, m, batch, groundState, cuda);
        return new MemoryPlan(cuda ? "cuda" : backend, problem, precision, batch, kind == Kind.SPECTRAL ? m : 0, a);
    }

    /** The interaction as the propagators see it: none, local (contact) or a spectral kernel table. */
    enum Kind {
        NONE, LOCAL, SPECTRAL;

        static Kind of(Interaction v) {
            if (v == null || v instanceof Interaction.None) return NONE;
            if (v instanceof Interaction.Sum s) {
                Kind k = NONE;
                for (Interaction t : s.terms()) k = of(t).ordinal() > k.ordinal() ? of(t) : k;
                return k;
            }
            return v instanceof Interaction.Contact || v instanceof Interaction.Lhy ? LOCAL : SPECTRAL;
        }
    }

    private static long cube(long x) { return Math.multiplyExact(Math.multiplyExact(x, x), x); }

    /** m·m·(m/2 + 1): the r2c half grid. */
    private static long half(long m) { return Math.multiplyExact(m * m, m / 2 + 1); }

    /**
     * cpu (FFTW, {@code FftwFft3} and {@code CpuSplitStepKernels}): per state the state φ and, with a
     * spectral interaction, its mean field V*ρ, off-heap; shared by the batch the out-of-place work
     * array (store, observables, start-of-step density), the density and its spectrum and the pruned
     * padded stages, off-heap; the trap and stored contact densities on the heap. A test measures
     * these against the buffers the backend allocates.
     */
    static void cpuArrays(List<Array> a, HartreeProblem p, Kind kind, int n, int m, int batch) {
        long n3 = cube(n), b = batch;
        boolean startDensity = p.scheme().startOfStepDensity(p.timeMode(), kind != Kind.NONE);
        a.add(new Array("state phi (FFT buffer, complex n^3 per state)", Pool.NATIVE, Lifetime.RUN, 2 * n3 * b, 8));
        a.add(new Array("work: out-of-place phi, shared (complex n^3)", Pool.NATIVE, Lifetime.RUN, 2 * n3, 8));
        if (kind == Kind.SPECTRAL) {
            boolean padded = m == 2 * n;  // FFTW's pruned padded transform keeps n*n lines of length m
            long real = padded ? (long) n * n * m : cube(m);
            a.add(new Array("density rho = |phi|^2 (real)", Pool.NATIVE, Lifetime.RUN, real, 8));
            a.add(new Array("density spectrum rho^ (complex half grid m*m*(m/2+1))", Pool.NATIVE, Lifetime.RUN, 2 * half(m), 8));
            a.add(new Array("V*rho (real, per state)", Pool.NATIVE, Lifetime.RUN, real * b, 8));
            if (padded) {
                a.add(new Array("padded transform stage A (complex n*m*(m/2+1))", Pool.NATIVE, Lifetime.RUN, 2L * n * m * (m / 2 + 1), 8));
                a.add(new Array("padded transform stage B (complex m*m*(m/2+1))", Pool.NATIVE, Lifetime.RUN, 2 * half(m), 8));
            }
        }
        a.add(new Array("trap U(x) sampled (real n^3)", Pool.HEAP, Lifetime.RUN, n3, 8));
        if (startDensity && (kind == Kind.LOCAL || Interaction.lhyGamma(p.interaction()) != 0))
            a.add(new Array("start-of-step density (contact or LHY, real n^3 per state)", Pool.HEAP, Lifetime.RUN, n3 * b, 8));
    }

    /**
     * cuda, both paths: the arrays counted by {@code CudaHartreePropagator.deviceBytes} (default) or
     * {@code CudaSplitStepKernels.deviceBytes} ({@code splitStep}, one state: its scratch copy of ψ̂
     * serves store, the start-of-step density and the observables, and it has no device scale
     * factors, the per-state scalars going to the kernels by value), and the host staging of
     * load/store.
     */
    static void cudaArrays(List<Array> a, HartreeProblem p, Kind kind, int n, int m, int real, int batch, boolean splitStep) {
        long n3 = cube(n), b = batch;
        TrapPotential trap = p.h().trap();
        boolean trapTable = trap.quadraticCoefficients().isEmpty();
        io.hartree.api.model.Components comps = p.terms().components();
        boolean localStored = kind == Kind.LOCAL && p.scheme().startOfStepDensity(p.timeMode(), true) && comps == null;
        if (splitStep) {
            a.add(new Array("state phi^ (complex n^3 per state)", Pool.DEVICE, Lifetime.RUN, 2 * n3 * b, real));
            a.add(new Array("scratch copy of phi^ (store, start-of-step density, observables; complex n^3)", Pool.DEVICE, Lifetime.RUN, 2 * n3, real));
        } else {
            a.add(new Array("state phi (complex n^3 per state)", Pool.DEVICE, Lifetime.RUN, 2 * n3 * b, real));
            a.add(new Array("observables' scratch copy of phi^ (complex n^3 per state)", Pool.DEVICE, Lifetime.RUN, 2 * n3 * b, real));
        }
        if (kind == Kind.SPECTRAL) {
            a.add(new Array("density rho = |phi|^2 (real m^3)", Pool.DEVICE, Lifetime.RUN, cube(m), real));
            if (m != n) a.add(new Array("V*rho on the padded grid (real m^3)", Pool.DEVICE, Lifetime.RUN, cube(m), real));
            a.add(new Array("density spectrum rho^ (complex m*m*(m/2+1))", Pool.DEVICE, Lifetime.RUN, 2 * half(m), real));
            a.add(new Array("kernel table V^ (real m*m*(m/2+1))", Pool.DEVICE, Lifetime.RUN, half(m), real));
        } else if (localStored) {
            a.add(new Array("start-of-step density (contact, real n^3)", Pool.DEVICE, Lifetime.RUN, n3, real));
        }
        if (splitStep && kind == Kind.SPECTRAL && Interaction.lhyGamma(p.interaction()) != 0 && p.scheme().startOfStepDensity(p.timeMode(), true))
            a.add(new Array("start-of-step density of the LHY term (real n^3)", Pool.DEVICE, Lifetime.RUN, n3, real));
        if (trapTable) a.add(new Array("trap U(x) table (real n^3)", Pool.DEVICE, Lifetime.RUN, n3, real));
        if (splitStep && comps != null) {
            // CudaSplitStepKernels.componentBytes: one mean field per component, a table per component trap of its own that is sampled.
            if (kind == Kind.SPECTRAL) a.add(new Array("V*rho_b per component (real m^3 each)", Pool.DEVICE, Lifetime.RUN, cube(m) * comps.k(), real));
            else if (kind == Kind.LOCAL) a.add(new Array("contact density rho_b per component (real n^3 each)", Pool.DEVICE, Lifetime.RUN, n3 * comps.k(), real));
            long own = 0;
            for (TrapPotential t : comps.traps()) if (t != null && t.quadraticCoefficients().isEmpty()) own++;
            if (own > 0) a.add(new Array("trap U_b tables of the components (real n^3 each)", Pool.DEVICE, Lifetime.RUN, n3 * own, real));
        }
        // 8·(NX + NK)·MAX_BLOCKS partials with NX = 10, NK = 3, MAX_BLOCKS = 4096, 16 sums; the default path also the scale and density-scale factors.
        if (splitStep) a.add(new Array("reductions (partials, sums)", Pool.DEVICE, Lifetime.RUN, 13L * 4096 + 16, 8));
        else a.add(new Array("reductions (partials, sums, scale, density scale)", Pool.DEVICE, Lifetime.RUN, 13L * 4096 + 16 + 2, 8));
        a.add(new Array("host staging of load/store (complex n^3)", Pool.NATIVE, Lifetime.OUTPUT, 2 * n3, real));
        if (trapTable) a.add(new Array("trap U(x) sampled for upload (real n^3)", Pool.HEAP, Lifetime.SETUP, n3, 8));
    }

    /** The host side of every backend: the kernel table and its construction, the initial state and the output copy. */
    static void hostArrays(List<Array> a, HartreeProblem p, Kind kind, int n, int m, int batch, boolean groundState, boolean cuda) {
        long n3 = cube(n);
        if (kind == Kind.SPECTRAL) {
            a.add(new Array("kernel table V^ (host, real m*m*(m/2+1))", Pool.HEAP, Lifetime.RUN, half(m), 8));
            kernelConstruction(a, p, n, m);
        }
        // Off-heap and long-indexed (the CLI's Job arena): no Java array bounds them.
        a.add(new Array("initial state phi(0) (complex n^3 per state)", Pool.NATIVE, groundState ? Lifetime.RUN : Lifetime.SETUP, 2 * n3 * batch, 8));
        a.add(new Array("host copy of phi (checkpoints, psi_final.npy)", Pool.NATIVE, Lifetime.OUTPUT, 2 * n3, 8));
    }

    /**
     * The temporaries of {@link ConvolutionKernel#build}: sampled kernels transform (m/2+1)³ values
     * in three passes (two arrays live at a time, plus the samples); a tabulated one reads m³ values
     * and transforms 2m³; the truncated kernel samples (2n+1)³ values of a 4× oversampled spectrum
     * and reduces it to (n+1)³ in passes of (2n+1)²(n+1) and (2n+1)(n+1)².
     */
    static void kernelConstruction(List<Array> a, HartreeProblem p, int n, int m) {
        Interaction v = p.interaction();
        if (v instanceof Interaction.Tabulated) {
            a.add(new Array("kernel construction: table read (real m^3)", Pool.HEAP, Lifetime.SETUP, cube(m), 8));
            a.add(new Array("kernel construction: complex transform (complex m^3)", Pool.HEAP, Lifetime.SETUP, 2 * cube(m), 8));
        } else if (p.convolution() == ConvolutionMode.TRUNCATED) {
            long big = 2L * n + 1, small = n + 1L;
            a.add(new Array("kernel construction: oversampled spectrum ((2n+1)^3)", Pool.HEAP, Lifetime.SETUP, cube(big), 8));
            a.add(new Array("kernel construction: first pass ((2n+1)^2 (n+1))", Pool.HEAP, Lifetime.SETUP, Math.multiplyExact(big * big, small), 8));
        } else if (v instanceof Interaction.Gaussian) {
            long h = m / 2 + 1L;
            a.add(new Array("kernel construction: samples and two passes (3 x (m/2+1)^3)", Pool.HEAP, Lifetime.SETUP, 3 * cube(h), 8));
        }
    }

    public List<Array> arrays() { return arrays; }

    /** Edge of the density grid (n periodic, 2n padded or truncated); 0 without a kernel table. */
    public int densityGrid() { return m; }

    /** Peak bytes of {@code pool}: arrays of the whole run plus the larger of setup's and output's. */
    public long peak(Pool pool) {
        long run = 0, setup = 0, output = 0;
        for (Array x : arrays) {
            if (x.pool() != pool) continue;
            switch (x.lifetime()) {
                case RUN -> run = Math.addExact(run, x.bytes());
                case SETUP -> setup = Math.addExact(setup, x.bytes());
                case OUTPUT -> output = Math.addExact(output, x.bytes());
            }
        }
        return Math.addExact(run, Math.max(setup, output));
    }

    /** The reasons the plan cannot run with {@code available}; empty when it fits. */
    public List<String> problems(Available available) {
        List<String> out = new ArrayList<>();
        for (Array x : arrays)
            if (x.overIntIndex())
                out.add(String.format(Locale.ROOT, "the host array '%s' has %,d values, more than a Java array holds (2^31 - 9 = %,d); "
                        + "this array is still an int-indexed double[], so --grid %d cannot run on any machine",
                        x.name(), x.values(), MAX_HOST_ARRAY, problem.grid().n()));
        for (Pool pool : Pool.values()) {
            long have = available.of(pool), need = peak(pool);
            if (have > 0 && need > have)
                out.add(String.format(Locale.ROOT, "%s: needs %s, has %s", pool.label(), bytes(need), bytes(have)));
        }
        return out;
    }

    public boolean fits(Available available) { return problems(available).isEmpty(); }

    /** What to change when the plan does not fit. */
    public String advice() {
        List<String> s = new ArrayList<>();
        int n = problem.grid().n();
        if ("cuda".equals(backend) && precision == Precision.DOUBLE) s.add("--precision single (halves the device arrays)");
        s.add("a smaller --grid (memory grows as n^3" + (n > 256 ? ", e.g. --grid " + Math.max(4, (n / 2) & ~1) : "") + ")");
        if (m == 2 * n) s.add("--conv periodic instead of " + problem.convolution().label() + " (the density grid is n^3 instead of (2n)^3)");
        s.add("a bigger JVM heap: HARTREE_JAVA_OPTS=-Xmx<size> ./hartree ... (the launcher passes HARTREE_JAVA_OPTS to java), or java -Xmx<size> -jar");
        return String.join("; ", s);
    }

    /** The plan as a table: one line per array, then each pool's peak against what is available. */
    public String describe(Available available) {
        StringBuilder b = new StringBuilder();
        int n = problem.grid().n();
        b.append(String.format(Locale.ROOT, "memory plan: backend %s, %d^3 grid, %s convolution%s, %s, %s time, %s precision, batch %d%n",
                backend, n, problem.convolution().label(), m > 0 ? " (density grid " + m + "^3)" : "", problem.scheme().name().toLowerCase(Locale.ROOT),
                problem.timeMode().name().toLowerCase(Locale.ROOT), precision.name().toLowerCase(Locale.ROOT), batch));
        b.append(String.format(Locale.ROOT, "  %-62s %-15s %-7s %20s %12s%n", "array", "where", "when", "values", "bytes"));
        for (Array x : arrays)
            b.append(String.format(Locale.ROOT, "  %-62s %-15s %-7s %,20d %12s%s%n", x.name(), x.pool().label(), x.lifetime().name().toLowerCase(Locale.ROOT),
                    x.values(), bytes(x.bytes()), x.overIntIndex() ? "  > 2^31 values" : ""));
        Map<Pool, Long> have = new EnumMap<>(Pool.class);
        for (Pool p : Pool.values()) have.put(p, available.of(p));
        for (Pool p : Pool.values()) {
            if (arrays.stream().noneMatch(x -> x.pool() == p)) continue;
            long need = peak(p), a = have.get(p);
            b.append(String.format(Locale.ROOT, "  peak %-15s %12s of %s%s%n", p.label(), bytes(need), a == 0 ? "unknown" : bytes(a),
                    a == 0 ? "" : need <= a ? "  ok" : "  TOO MUCH"));
        }
        if ("cuda".equals(backend)) b.append("  (cuFFT's work areas come on top; the device check is skipped when free memory is unknown)\n");
        return b.toString();
    }

    /** Bytes in binary units with three significant digits ("16.0 GiB"). */
    public static String bytes(long b) {
        if (b < 1024) return b + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, u[i]);
    }
}
