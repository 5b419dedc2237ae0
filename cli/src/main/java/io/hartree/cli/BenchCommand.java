package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hartree.api.BackendSession;
import io.hartree.api.Backends;
import io.hartree.api.ParameterException;
import io.hartree.api.SessionOptions;
import io.hartree.api.FftBenchmark;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code hartree bench}: milliseconds per Hartree step (median of the repeats, after warm-up) per
 * backend, grid and convolution mode, one complex 3D FFT alone, and the NumPy peer
 * (../shared/peers/hartree_numpy.py, same parameters, real density FFTs) in the same run.
 * Results go to stdout and, atomically, to results.csv and results.json in --out.
 *
 * <p>Extending it: a new kind of work adds a method that appends {@link Row}s (kind, variant and
 * the timings) and is called from {@link #call()}; the table, CSV and JSON take any rows.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the Hartree step (and the FFT alone) per backend, grid and convolution, against the NumPy peer.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--backend", split = ",", defaultValue = "cpu", description = "Backends, comma list (cpu,cuda). Default: ${DEFAULT-VALUE}.")
    List<String> backends;

    @Option(names = "--grid", split = ",", defaultValue = "64,128", description = "Grid sizes n (n^3 points), comma list. Default: ${DEFAULT-VALUE}.")
    List<Integer> grids;

    @Option(names = "--conv", split = ",", defaultValue = "periodic,padded", description = "Convolution modes, comma list: periodic, padded, truncated. Default: ${DEFAULT-VALUE}.")
    List<String> convs;

    @Option(names = "--steps", defaultValue = "10", description = "Steps per timed repeat. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats (the median is reported; at least 5 recommended). Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up steps (JIT, caches). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--box", defaultValue = "16", description = "Box length L. Default: ${DEFAULT-VALUE}.")
    double box;

    @Option(names = "--nu", defaultValue = "1", description = "Trap frequency nu of h_nu. Default: ${DEFAULT-VALUE}.")
    double nu;

    @Option(names = "--dt", defaultValue = "1e-3", description = "Time step. Default: ${DEFAULT-VALUE}.")
    double dt;

    @Option(names = "--interaction", defaultValue = "gaussian:lambda=1,sigma=1", description = "Interaction spec (the peer runs only Gaussian). Default: ${DEFAULT-VALUE}.")
    String interaction;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all cores). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Spec
    CommandSpec spec;

    @Option(names = "--batch", defaultValue = "16", description = "States in the batched-step rows (ms per state per step against one state; 1 = no batch rows). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--batch-grid", split = ",", defaultValue = "64", description = "Grid sizes that get a batched-step row, comma list. Default: ${DEFAULT-VALUE}.")
    List<Integer> batchGrids;

    @Option(names = "--components-grid", split = ",", defaultValue = "64,128", description = "Grid sizes that get a K = 2 components row (cpu), comma list; 0 = none. Default: ${DEFAULT-VALUE}.")
    List<Integer> componentGrids;

    @Option(names = "--peer", negatable = true, description = "Run the NumPy peer with the same parameters (default: on when python3 with numpy and scipy is found).")
    Boolean peer;

    @Option(names = "--peer-dir", description = "Folder of hartree_numpy.py (default: ../shared/peers relative to the repository root).")
    Path peerDir;

    @Option(names = "--out", description = "Output folder (default: bench-results/<timestamp>).")
    Path out;

    @Option(names = "--fock", description = "Run the Fock-space benchmark instead (exp(-itH)psi for the 8-site ring N=16 and two modes N=1e5 at tol 1e-10, t=1, against the SciPy peer fock_expm_scipy.py).")
    boolean fock;

    @Option(names = "--fock-method", defaultValue = "auto", description = "Fock benchmark method: auto, lanczos, chebyshev. Default: ${DEFAULT-VALUE}.")
    String fockMethod;

    @Option(names = "--fock-operator", defaultValue = "csr", description = "Fock benchmark operator: csr, or matrix-free (on cuda: the hop kernel fock_hop_c128). Default: ${DEFAULT-VALUE}.")
    String fockOperator;

    @Option(names = "--fock-cases", split = ",", description = "Fock benchmark cases, comma list of ring:M:N or twomode:N (default: ring:8:16,twomode:100000).")
    List<String> fockCases;

    @Option(names = "--fock-peer-timeout", defaultValue = "600", description = "Seconds the SciPy peer may take per case. Default: ${DEFAULT-VALUE}.")
    int fockPeerTimeout;

    @Option(names = "--dipolar", description = "Add the dipolar rows: per grid, in periodic and padded modes, the step with dipolar:cdd=1,axis=0,0,1 and with"
            + " contact+dipolar+lhy, each with its ratio to the Gaussian step of the same mode timed just before.")
    boolean dipolar;

    /** One measured line of the table. Times in milliseconds; NaN where not measured. */
    record Row(String kind, String backend, String device, String library, int n, String variant, int steps, int repeats,
               double msMedian, double msMin, double[] msAll, double peerMs, String note) {
        double ratio() { return peerMs / msMedian; }
    }

    private final List<Row> rows = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ParameterException.require(steps >= 1, "--steps", steps, "integer >= 1");
        ParameterException.require(repeats >= 1, "--repeats", repeats, "integer >= 1 (>= 5 for a meaningful median)");
        ParameterException.require(warmup >= 0, "--warmup", warmup, "integer >= 0");
        ParameterException.require(threads >= 0, "--threads", threads, "integer >= 0");
        ParameterException.require(batch >= 1 && batch <= 4096, "--batch", batch, "integer 1..4096");
        for (int n : grids) new Grid3D(n, box);
        List<ConvolutionMode> modes = convs.stream().map(ConvolutionMode::parse).toList();
        Interaction v = Interaction.parse(interaction);
        OneBodyOperator h = OneBodyOperator.paper(nu);
        new HartreeProblem(new Grid3D(grids.getFirst(), box), h, v, null, null, null, dt);
        Path outDir = out != null ? out : Path.of("bench-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) throw new ParameterException("--out", outDir + " exists and is not a folder");
        System.out.println("bench: results go to " + outDir.toAbsolutePath().normalize() + (out == null ? " (choose the folder with --out)" : ""));
        if (fock) return fockBench(outDir);

        Path peerScript = Peers.find(peerDir, "hartree_numpy.py");
        boolean runPeer = peer == null ? peerScript != null && pythonHasNumpyScipy() : peer;
        if (runPeer && peerScript == null)
            throw new ParameterException("--peer-dir", "hartree_numpy.py not found (looked in " + (peerDir != null ? peerDir : "../shared/peers") + ")");
        if (runPeer && !(v instanceof Interaction.Gaussian)) {
            System.out.println("peer skipped: hartree_numpy.py runs only the Gaussian interaction");
            runPeer = false;
        }

        // Sessions stay open for the whole run, and each (grid, convolution) is measured on every backend
        // and then by the peer right away, so that all of them see the same load on a shared machine.
        List<BackendSession> sessions = new ArrayList<>();
        try {
            for (String name : backends) {
                Backends.Selection sel;
                try {
                    sel = Backends.select(name.trim());
                } catch (ParameterException | io.hartree.api.BackendException e) {
                    // One backend of a list that cannot run here is skipped with its reason, so that
                    // `--backend cpu,cuda` still measures cpu; a single named backend stays an error.
                    if (backends.size() == 1) throw e;
                    System.out.println("bench: skipped " + name.trim() + ": " + e.getMessage());
                    continue;
                }
                System.out.println("bench: " + sel.brief());
                sessions.add(sel.backend().open(new SessionOptions(null, threads, 0)));
            }
            if (sessions.isEmpty()) throw new ParameterException("--backend", String.join(",", backends), "at least one backend that can run here");
            for (int n : grids) {
                for (BackendSession s : sessions) benchFft(s, n);
                for (ConvolutionMode mode : modes) {
                    for (BackendSession s : sessions) {
                        double single = benchHartree(s, n, h, v, mode);
                        if (batch > 1 && batchGrids.contains(n)) benchBatch(s, n, h, v, mode, single);
                        if (n == 64 || (n == 128 && gridGiven())) benchPhaseAverage(s, n, h, v, mode, single);
                        if (componentGrids.contains(n)) benchComponents(s, n, h, v, mode, single);
                        if (n == 64 || n == 128) benchRotation(s, n, h, v, mode, single);
                    }
                    if (runPeer) runPeer(peerScript, (Interaction.Gaussian) v, n, mode);
                }
                if (dipolar) for (BackendSession s : sessions) benchDipolar(s, n, h);
            }
        } finally {
            for (BackendSession s : sessions) s.close();
        }
        if (!runPeer && peer == null)
            System.out.println("peer not run: " + (peerScript == null
                    ? "hartree_numpy.py not found in ../shared/peers beside the repository or above it; give its folder with --peer-dir"
                    : "python3 with numpy and scipy not found"));

        printTable();
        write(outDir);
        System.out.println("results: " + outDir.resolve("results.csv") + ", " + outDir.resolve("results.json"));
        return 0;
    }

    private int fockBench(Path outDir) throws IOException, InterruptedException {
        ParameterException.require(List.of("auto", "lanczos", "chebyshev").contains(fockMethod), "--fock-method", fockMethod, "auto | lanczos | chebyshev");
        ParameterException.require(List.of("csr", "matrix-free").contains(fockOperator), "--fock-operator", fockOperator, "csr | matrix-free");
        List<FockBench.Case> cases = new ArrayList<>();
        if (fockCases == null) cases.addAll(FockBench.DEFAULT_CASES);
        else for (String c : fockCases) {
            String[] p = c.trim().split(":");
            try {
                if (p[0].equals("ring") && p.length == 3) cases.add(new FockBench.Case("ring", Integer.parseInt(p[1]), Integer.parseInt(p[2])));
                else if (p[0].equals("twomode") && p.length == 2) cases.add(new FockBench.Case("twomode", 2, Integer.parseInt(p[1])));
                else throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new ParameterException("--fock-cases", c, "ring:M:N or twomode:N");
            }
        }
        var sel = Backends.select(backends.getFirst().trim());
        System.out.println("bench --fock: " + sel.brief());
        try (BackendSession s = sel.backend().open(new SessionOptions(null, threads, 0))) {
            return FockBench.run(s, cases, 1e-10, 1.0, repeats == 5 ? 3 : repeats, peer == null || peer, peerDir, fockPeerTimeout, fockMethod, fockOperator.equals("matrix-free"), outDir, System.out);
        }
    }

    private void benchFft(BackendSession s, int n) {
        if (!s.capabilities().fftBenchmark()) return;
        FftBenchmark fb = s.fftBenchmark();
        try (FftBenchmark.Transform t = fb.complexFft(n)) {
            timeFft(s, n, t, "complex 3D forward");
        }
        try (FftBenchmark.Transform t = fb.realFftPair(n)) {
            timeFft(s, n, t, "real 3D pair r2c+c2r");
        }
    }

    private void timeFft(BackendSession s, int n, FftBenchmark.Transform t, String variant) {
        for (int i = 0; i < Math.max(2, warmup); i++) t.run();
        int reps = Math.max(repeats, 5);
        int inner = Math.max(1, steps);
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < inner; i++) t.run();
            ms[r] = (System.nanoTime() - t0) / 1e6 / inner;
        }
        add("fft", s, t.describe(), n, variant, inner, ms, "");
    }

    /** Times one state's Strang step; returns the median in ms. */
    private double benchHartree(BackendSession s, int n, OneBodyOperator h, Interaction v, ConvolutionMode mode) {
        HartreeProblem pb = new HartreeProblem(new Grid3D(n, box), h, v, mode, Scheme.STRANG, TimeMode.REAL, dt);
        String[] impl = new String[1];
        double[] norm = new double[1];
        double[] ms = timeStep(s, pb, impl, norm);
        add("hartree-step", s, s.device(), n, mode.label(), steps, ms,
                String.format(Locale.ROOT, "strang, norm-1 after %d steps: %.1e", steps, norm[0] - 1) + (impl[0].isEmpty() ? "" : "; " + impl[0]));
        if (!impl[0].isEmpty()) System.out.println("    step: " + impl[0]);
        return Peers.median(ms);
    }

    /** The interactions of the dipolar rows (docs/hartree.md, "Dipolar interaction, sums and the LHY term"). */
    static final List<String> DIPOLAR_ROWS = List.of("dipolar:cdd=1,axis=0,0,1", "contact:g=1+dipolar:cdd=1,axis=0,0,1+lhy:gamma=0.1");

    /**
     * The dipolar rows: in periodic and padded modes the Gaussian step, then each of {@link #DIPOLAR_ROWS}
     * right after it on the same session (so both see the same load): ms per step and the ratio to the
     * Gaussian step of the same mode. A dipolar table costs what any spectral table of the same grid costs;
     * the LHY term adds a power per point to the phase and, on cuda, the unfused kernels.
     */
    private void benchDipolar(BackendSession s, int n, OneBodyOperator h) {
        for (ConvolutionMode mode : List.of(ConvolutionMode.PERIODIC, ConvolutionMode.PADDED)) {
            double[] gauss = timeStep(s, new HartreeProblem(new Grid3D(n, box), h, new Interaction.Gaussian(1, 1), mode, Scheme.STRANG, TimeMode.REAL, dt), null, null);
            add("hartree-dipolar", s, s.device(), n, mode.label() + " gaussian (reference)", steps, gauss, "the Gaussian step the rows below are compared with");
            for (String spec : DIPOLAR_ROWS) {
                String[] impl = new String[1];
                double[] ms = timeStep(s, new HartreeProblem(new Grid3D(n, box), h, Interaction.parse(spec), mode, Scheme.STRANG, TimeMode.REAL, dt), impl, null);
                add("hartree-dipolar", s, s.device(), n, mode.label() + " " + spec, steps, ms,
                        String.format(Locale.ROOT, "%.2f of the %s Gaussian step", Peers.median(ms) / Peers.median(gauss), mode.label())
                                + (impl[0].isEmpty() ? "" : "; " + impl[0]));
            }
        }
    }

    /**
     * ms per step of {@link #repeats} runs of {@link #steps} Strang steps from φ⁰ after warm-up; {@code impl[0]}
     * (if given) the implementation, {@code norm[0]} (if given) the norm after the last run.
     */
    private double[] timeStep(BackendSession s, HartreeProblem pb, String[] impl, double[] norm) {
        try (HartreePropagator p = s.hartree(pb)) {
            double[] psi0 = new InitialState.Ground().sample(pb.grid());
            p.load(psi0, 0);
            p.advance(Math.max(1, warmup));
            double[] ms = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                p.load(psi0, 0);
                long t0 = System.nanoTime();
                p.advance(steps);
                ms[r] = (System.nanoTime() - t0) / 1e6 / steps;
            }
            if (impl != null) impl[0] = p.implementation();
            if (norm != null) norm[0] = p.observe().norm();
            return ms;
        }
    }

    /** Ω of the rotating-frame rows. */
    static final double BENCH_ROTATION = 0.5;

    /**
     * The rotating frame (--rotation): the same step with Ω = {@value #BENCH_ROTATION}, against the plain step
     * measured just before. Its extra work is one rotation per step, six batches of 1D transforms along x or y
     * (two 3D-FFT equivalents; the plain step has two 3D FFTs plus the density pair) and three pointwise phases.
     */
    private void benchRotation(BackendSession s, int n, OneBodyOperator h, Interaction v, ConvolutionMode mode, double singleMs) {
        HartreeProblem pb = new HartreeProblem(new Grid3D(n, box), h, v, mode, Scheme.STRANG, TimeMode.REAL, dt,
                io.hartree.api.model.GpTerms.NONE.withRotation(BENCH_ROTATION));
        try (HartreePropagator p = s.hartree(pb)) {
            double[] psi0 = new InitialState.Gaussian(new double[]{0.5, 0, 0}, new double[3]).sample(pb.grid());
            double[] ms = timeBatch(p, new double[][]{psi0});
            double med = Peers.median(ms);
            add("hartree-rotation", s, s.device(), n, mode.label() + " Omega=" + BENCH_ROTATION, steps, ms,
                    String.format(Locale.ROOT, "%.2f x the plain step; +6 1D transform passes per step = +2 3D-FFT equivalents (plain: 2 + density pair); norm-1 %.1e",
                            med / singleMs, p.observe().norm() - 1));
        }
    }

    /**
     * Times a batch of {@link #batch} displaced states sharing plans and tables: ms per state per
     * step, with its ratio to one state's step measured just before (below 1: the batch pays).
     */
    private void benchBatch(BackendSession s, int n, OneBodyOperator h, Interaction v, ConvolutionMode mode, double singleMs) {
        if (s.capabilities().maxBatch() < batch) {
            System.out.println("    batch skipped on " + s.backend() + ": it propagates at most " + s.capabilities().maxBatch() + " state(s) at once");
            return;
        }
        HartreeProblem pb = new HartreeProblem(new Grid3D(n, box), h, v, mode, Scheme.STRANG, TimeMode.REAL, dt);
        try (HartreePropagator p = s.hartree(pb, batch)) {
            double[][] psi0 = new double[batch][];
            for (int b = 0; b < batch; b++)
                psi0[b] = new InitialState.Gaussian(new double[]{0.1 * b, 0, 0}, new double[]{0, 0, 0.1 * b}).sample(pb.grid());
            for (int b = 0; b < batch; b++) p.load(b, psi0[b]);
            double[] norm0 = new double[batch];
            for (int b = 0; b < batch; b++) norm0[b] = p.observe(b).norm();
            double[] ms = timeBatch(p, psi0);
            double worst = 0;
            for (int b = 0; b < batch; b++) worst = Math.max(worst, Math.abs(p.observe(b).norm() - norm0[b]));
            double med = Peers.median(ms);
            add("hartree-batch", s, s.device(), n, mode.label() + " x" + batch, steps, ms,
                    String.format(Locale.ROOT, "ms per state per step; %.2f of one state's step; max |norm drift| %.1e", med / singleMs, worst));
        }
    }

    /**
     * Loads {@code psi0} into the batch, warms up, then times {@link #repeats} runs of {@link #steps}
     * steps, each from {@code psi0}: milliseconds per state per step.
     */
    private double[] timeBatch(HartreePropagator p, double[][] psi0) {
        int count = psi0.length;
        for (int b = 0; b < count; b++) p.load(b, psi0[b]);
        p.advance(Math.max(1, warmup));
        double[] ms = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            for (int b = 0; b < count; b++) p.load(b, psi0[b]);
            long t0 = System.nanoTime();
            p.advance(steps);
            ms[r] = (System.nanoTime() - t0) / 1e6 / steps / count;
        }
        return ms;
    }

    /**
     * K = 2 components (--components k=2;v12=0.5;rabi=0.5: coupled mean field and the Rabi step) as one
     * batch: ms per step of the two-component system, and its ratio to twice one state's step measured
     * just before (the cost of the coupling over two independent states). Backends without the
     * component primitives are skipped with their reason.
     */
    private void benchComponents(BackendSession s, int n, OneBodyOperator h, Interaction v, ConvolutionMode mode, double singleMs) {
        var comps = io.hartree.api.model.Components.uniform(2).withCoupling(new double[]{1, 0.5, 0.5, 1}).withRabi(0.5);
        HartreeProblem pb = new HartreeProblem(new Grid3D(n, box), h, v, mode, Scheme.STRANG, TimeMode.REAL, dt)
                .withTerms(io.hartree.api.model.GpTerms.NONE.withComponents(comps));
        HartreePropagator p;
        try {
            p = s.hartree(pb, 2);
        } catch (ParameterException e) {
            System.out.println("    components skipped on " + s.backend() + ": " + e.getMessage());
            return;
        }
        try (p) {
            double[][] psi0 = new double[2][];
            for (int b = 0; b < 2; b++) {
                psi0[b] = new InitialState.Gaussian(new double[]{0.3 * b, 0, 0}, new double[]{0, 0, 0.1 * b}).sample(pb.grid());
                for (int i = 0; i < psi0[b].length; i++) psi0[b][i] *= Math.sqrt(0.5);
            }
            p.setTime(0);
            for (int b = 0; b < 2; b++) p.load(b, psi0[b]);
            double total0 = p.observe(0).norm() + p.observe(1).norm();
            double[] ms = timeBatch(p, psi0);
            for (int r = 0; r < ms.length; r++) ms[r] *= 2;  // per step of the 2-component system
            double total = p.observe(0).norm() + p.observe(1).norm() - total0;
            double med = Peers.median(ms);
            add("components", s, s.device(), n, "components k=2 " + mode.label(), steps, ms,
                    String.format(Locale.ROOT, "ms per step of K = 2 (coupled V, Rabi); %.2f of twice one state's step; |total norm drift| %.1e", med / (2 * singleMs), Math.abs(total)));
        }
    }

    /** Phases of the "phase-average x16" row. */
    static final int PHASES = 16;

    private boolean gridGiven() {
        return spec != null && spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption("--grid");
    }

    /**
     * The phase-averaged flow (3.12)/(3.15) as the engine runs it (PhaseAveragedFlow.grid): the
     * {@value #PHASES} initial states √n₁ φ₁ + √n₂ e^{−iθ} φ₂ (φ₁, φ₂ the two lowest x-states of h_ν,
     * n = (1/2, 1/2), θ on 16 equispaced nodes) in one batch sharing plans and the kernel table;
     * ms per step per phase, and its ratio to one state's step measured just before.
     */
    private void benchPhaseAverage(BackendSession s, int n, OneBodyOperator h, Interaction v, ConvolutionMode mode, double singleMs) {
        if (s.capabilities().maxBatch() < PHASES) {
            System.out.println("    phase-average skipped on " + s.backend() + ": it propagates at most " + s.capabilities().maxBatch() + " state(s) at once");
            return;
        }
        HartreeProblem pb = new HartreeProblem(new Grid3D(n, box), h, v, mode, Scheme.STRANG, TimeMode.REAL, dt);
        double[][] orb = {oscillatorState(pb.grid(), 0), oscillatorState(pb.grid(), 1)};
        double[][] psi0 = io.hartree.api.fragment.PhaseAveragedFlow.initialStates(orb, new double[]{0.5, 0.5}, PHASES);
        try (HartreePropagator p = s.hartree(pb, PHASES)) {
            p.setTime(0);
            double[] ms = timeBatch(p, psi0);
            double worst = 0;
            for (int b = 0; b < PHASES; b++) worst = Math.max(worst, Math.abs(p.observe(b).norm() - 1));
            double med = Peers.median(ms);
            add("phase-average", s, s.device(), n, "phase-average x" + PHASES + " " + mode.label(), steps, ms,
                    String.format(Locale.ROOT, "ms per step per phase; %.2f of one state's step; max |norm-1| %.1e", med / singleMs, worst));
        }
    }

    /** ψ_a(x)ψ_0(y)ψ_0(z) of h_ν's oscillator, normalised on the grid (interleaved complex). */
    private double[] oscillatorState(Grid3D g, int a) {
        int n = g.n();
        double[] f = new double[2 * n * n * n];
        double norm = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            // h_ν = (ν/2)(−Δ + x² − 3): the states are the standard Hermite functions (ν fixes only the energies)
            double val = io.hartree.api.fock.OscillatorModes.hermiteFunction(a, g.x(i)) * io.hartree.api.fock.OscillatorModes.hermiteFunction(0, g.x(j)) * io.hartree.api.fock.OscillatorModes.hermiteFunction(0, g.x(k));
            f[2 * ((i * n + j) * n + k)] = val;
            norm += val * val;
        }
        norm = Math.sqrt(norm * g.dV());
        for (int i = 0; i < f.length; i++) f[i] /= norm;
        return f;
    }

    private void add(String kind, BackendSession s, String library, int n, String variant, int st, double[] ms, String note) {
        double med = Peers.median(ms);
        Row row = new Row(kind, s.backend(), s.device(), library, n, variant, st, ms.length, med, Arrays.stream(ms).min().orElse(Double.NaN), ms, Double.NaN, note);
        rows.add(row);
        System.out.printf(Locale.ROOT, "  %-12s %-5s n=%-4d %-20s %10.3f ms%n", kind, s.backend(), n, variant, med);
    }

    private void runPeer(Path script, Interaction.Gaussian g, int n, ConvolutionMode mode) throws IOException, InterruptedException {
        if (mode == ConvolutionMode.TRUNCATED) return;
        List<String> cmd = List.of("python3", script.toString(), "--n", "" + n, "--steps", "" + steps, "--dt", "" + dt,
                "--nu", "" + nu, "--lam", "" + g.lambda(), "--sigma", "" + g.sigma(), "--L", "" + box,
                "--conv", mode.label(), "--rfft", "--repeats", "" + repeats);
        System.out.println("peer: " + String.join(" ", cmd));
        Peers.Run pr = Peers.run(cmd, TimeUnit.HOURS.toSeconds(1));
        if (!pr.finished()) {
            System.out.println("peer timed out after 1 hour");
            return;
        }
        if (pr.exit() != 0) {
            System.out.println("peer failed (exit " + pr.exit() + "): " + pr.stderr().strip());
            return;
        }
        JsonNode j = pr.json();
        double peerMs = j.path("sec_per_step_median").asDouble(Double.NaN) * 1e3;
        JsonNode all = j.path("sec_per_step_all");
        double[] ms = new double[all.size()];
        for (int i = 0; i < ms.length; i++) ms[i] = all.get(i).asDouble() * 1e3;
        double min = Arrays.stream(ms).min().orElse(Double.NaN);
        rows.add(new Row("peer-step", "numpy", "python3, " + j.path("cpus").asInt() + " cpus", "scipy.fft (pocketfft), real density FFT",
                n, mode.label(), steps, ms.length, peerMs, min, ms, Double.NaN,
                String.format(Locale.ROOT, "E(0) = %.10f", j.path("energy_start").asDouble())));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.kind.equals("hartree-step") && r.n == n && r.variant.equals(mode.label()))
                rows.set(i, new Row(r.kind, r.backend, r.device, r.library, r.n, r.variant, r.steps, r.repeats, r.msMedian, r.msMin, r.msAll, peerMs, r.note));
        }
    }

    private void printTable() {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-12s %-6s %5s %-20s %12s %12s %12s %9s%n", "kind", "backend", "n", "variant", "ms(median)", "ms(min)", "peer ms", "peer/this");
        for (Row r : rows)
            System.out.printf(Locale.ROOT, "%-12s %-6s %5d %-20s %12.3f %12.3f %12s %9s%n", r.kind, r.backend, r.n, r.variant, r.msMedian, r.msMin,
                    Double.isNaN(r.peerMs) ? "-" : String.format(Locale.ROOT, "%.3f", r.peerMs),
                    Double.isNaN(r.peerMs) ? "-" : String.format(Locale.ROOT, "%.2f", r.ratio()));
        rows.stream().map(Row::library).distinct().forEach(l -> System.out.println("  " + l));
    }

    private void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("kind,backend,n,variant,steps,repeats,ms_median,ms_min,peer_ms,peer_over_this,library,note\n");
        for (Row r : rows)
            csv.append(String.join(",", r.kind, r.backend, "" + r.n, quote(r.variant), "" + r.steps, "" + r.repeats,
                    num(r.msMedian), num(r.msMin), num(r.peerMs), num(r.ratio()), quote(r.library), quote(r.note))).append('\n');
        AtomicFiles.writeString(dir.resolve("results.csv"), csv.toString());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("command", "hartree bench");
        doc.put("parameters", Map.of("box", box, "nu", nu, "dt", dt, "interaction", interaction, "steps", steps, "repeats", repeats, "warmup", warmup, "threads", threads));
        doc.put("java", Runtime.version().toString());
        doc.put("cpus", Runtime.getRuntime().availableProcessors());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", r.kind); m.put("backend", r.backend); m.put("device", r.device); m.put("library", r.library);
            m.put("n", r.n); m.put("variant", r.variant); m.put("steps", r.steps); m.put("repeats", r.repeats);
            m.put("ms_median", finite(r.msMedian)); m.put("ms_min", finite(r.msMin)); m.put("ms_all", r.msAll);
            m.put("peer_ms", finite(r.peerMs)); m.put("peer_over_this", finite(r.ratio())); m.put("note", r.note);
            list.add(m);
        }
        doc.put("rows", list);
        String json = Checkpoint.JSON.writeValueAsString(doc);
        AtomicFiles.writeString(dir.resolve("results.json"), json + "\n");
    }

    private static Double finite(double x) { return Double.isFinite(x) ? x : null; }

    private static String num(double x) { return Double.isFinite(x) ? String.format(Locale.ROOT, "%.6g", x) : ""; }

    private static String quote(String s) { return "\"" + s.replace("\"", "\"\"") + "\""; }

    private static boolean pythonHasNumpyScipy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy, scipy.fft").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
