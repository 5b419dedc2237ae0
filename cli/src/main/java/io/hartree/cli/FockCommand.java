package io.hartree.cli;

import io.hartree.api.FockKernels;

import io.hartree.api.BackendException;
import io.hartree.api.BackendSession;
import io.hartree.api.Backends;
import io.hartree.api.ParameterException;
import io.hartree.api.SessionOptions;
import io.hartree.api.fock.*;
import io.hartree.api.fragment.PhaseAveragedFlow;
import io.hartree.api.fragment.PhaseQuadrature;
import io.hartree.api.model.Grid3D;
import io.hartree.api.hartree.SplitStepPropagator;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.TrapSpec;
import io.hartree.api.modes.GridIntegrals;
import io.hartree.api.modes.GridModes;
import io.hartree.api.io.AtomicFiles;
import io.hartree.api.io.Npy;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hartree fock}: the exact many-body evolution e^{−itH}Ψ in a Fock-space sector and its
 * one-body marginal over time. The default is the paper's fragmented state (3.8)
 * |N₁ in φ⁰↑, N₂ in φ⁰↓⟩ in 4 oscillator modes ⊗ spin, N = 20, ν = 10, Gaussian V, t ∈ [0, 2].
 * Writes a run folder: config.toml, summary.json, observables.csv, occupations.png (and
 * distance.png when a mean-field reference exists), psi_final.npy. Bad input: exit 2, nothing written.
 * With {@code --trap SPEC} (other than paper) the toy's spatial modes are the lowest grid
 * eigenmodes of that trap's h ({@link GridModes#lowest}, {@link GridIntegrals#compute} on the
 * session's host transforms, on the --mode-grid/--mode-box grid) instead of h_ν's oscillator modes.
 */
@Command(name = "fock", mixinStandardHelpOptions = true,
        description = "Many-body (Fock-space) evolution of N bosons in M modes: natural occupations over time, against the mean field.")
final class FockCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "toy", description = "toy (oscillator modes of h_nu ⊗ spin) | josephson:J=1,U=1 | ring:sites=8,J=1,U=1 | integrals:DIR (h.npy, V.npy). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--modes", description = "Spatial oscillator modes of the toy model (⊗ spin doubles them). Default: 4.")
    Integer modes;

    @Option(names = "--particles", description = "Number of bosons N. Default: 20 (or N1+N2 of --initial fragment).")
    Integer particles;

    @Option(names = "--initial", description = "coherent | coherent:a0,a1,... | fock:n0,n1,... | fragment:N1,N2 (toy). Default: fragment:N/2,N/2 for toy, fock with N/2 in modes 0 and 1 otherwise.")
    String initial;

    @Option(names = "--nu", description = "Trap frequency nu of h_nu (toy, --trap paper only). Default: 10.")
    Double nu;

    @Option(names = "--trap", paramLabel = "SPEC", description = "The toy model's one-body operator: " + TrapSpec.ALLOWED
            + ". paper (default): the closed-form oscillator modes of h_nu; any other trap: the lowest --modes eigenmodes of its h = -1/2 Laplacian + U, "
            + "computed on the --mode-grid/--mode-box grid with h_ij and V_ijkl by the engine's FFT convolution.")
    String trap;

    @Option(names = "--interaction", defaultValue = "gaussian:lambda=1,sigma=1", description = "Interaction of the toy model: " + Interaction.ALLOWED + ". Default: ${DEFAULT-VALUE}.")
    String interaction;

    @Option(names = {"--mode-grid", "--grid"}, paramLabel = "N", defaultValue = "48", description = "Grid points per axis on which the toy's modes are sampled and h_ij, V_ijkl computed (--trap: also the eigenmodes). Default: ${DEFAULT-VALUE}.")
    int grid;

    @Option(names = {"--mode-box", "--box"}, paramLabel = "L", defaultValue = "12", description = "Box length of that grid (it must hold the modes: their mass near the faces is reported as mode_edge_mass). Default: ${DEFAULT-VALUE}.")
    double box;

    @Option(names = "--time", defaultValue = "2", description = "Final time T. Default: ${DEFAULT-VALUE}.")
    double time;

    @Option(names = "--dt", defaultValue = "0.05", description = "Output interval. Default: ${DEFAULT-VALUE}.")
    double dt;

    @Option(names = "--tol", defaultValue = "1e-10", description = "Tolerance of the whole evolution (2-norm error of the final state); each of the time/dt output steps gets tol*dt/time, so the added error estimates stay within it. Default: ${DEFAULT-VALUE}.")
    double tol;

    @Option(names = "--method", defaultValue = "auto", description = "auto | dense | krylov | lanczos | chebyshev. Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--operator", defaultValue = "auto", description = "auto | csr | matrix-free. Default: ${DEFAULT-VALUE} (CSR while it fits in a quarter of the heap).")
    String operator;

    @Option(names = "--truncate", description = "K: the number-conserving truncated sector, at most K bosons outside the condensate modes (Hamiltonian terms that leave it are dropped: P H P). Default: no truncation.")
    Integer truncate;

    @Option(names = "--condensate-modes", description = "l, the number of condensate modes of --truncate: modes 0 … l−1 (toy: phi0 up, phi0 down, phi1 up, phi1 down, …). Default: 1, or 2 for --initial fragment.")
    Integer condensateModes;

    @Option(names = "--reference", description = "The one-body reference γ^(1)_ref(t) of the distance Tr|γ^(1)_N − γ^(1)_ref|: hartree (the Hartree flow in the same modes; coherent data) | phase-averaged (the phase-averaged flow (3.15) in the same modes; Fock data fock:…, fragment:…) | none. Default: hartree for coherent, phase-averaged for Fock-state data.")
    String reference;

    @Option(names = "--phases", description = "Q, the nodes per relative phase of --reference phase-averaged (even, for the halving estimate; Q^(l-1) trajectories for l occupied modes). Default: the largest even Q ≤ 16 with Q^(l-1) ≤ 4096.")
    Integer phases;

    @Option(names = "--gamma2", description = "Also compute γ^(2) at the final time (M²×M², cost dim·M⁴) and write its eigenvalues and gamma2_final.npy.")
    boolean gamma2;

    @Option(names = "--backend", description = "auto | cpu | cuda (default: $HARTREE_BACKEND or auto).")
    String backend;

    @Option(names = "--out", description = "Run folder, new or empty (default: runs/fock-<timestamp>).")
    Path out;

    @Option(names = "--force", description = "Overwrite the results of an earlier run in --out.")
    boolean force;

    /** Everything resolved from the options before anything is computed or written. */
    record Setup(String modelName, ModeIntegrals integrals, ModeIntegrals spatial, FockSector sector, double[] psi0,
                 Ref ref, Map<String, Object> config, Map<String, Object> modeInfo) {}

    /**
     * The resolved --reference: {@code kind} hartree (start {@code c0}), phase-averaged (occupied
     * mode {@code orbitals} with {@code fractions} N_j/N, {@code phases} nodes per relative angle)
     * or none; the flow runs in the sector's modes ({@code integrals}).
     */
    record Ref(String kind, double[] c0, double[][] orbitals, double[] fractions, int phases) {
        boolean exists() { return !kind.equals("none"); }
    }

    /** The environment; a test replaces it to set {@link Backends#ENV} without a new process. */
    java.util.function.UnaryOperator<String> env = System::getenv;

    @Override
    public Integer call() throws Exception {
        // The session first: the toy model's mode integrals are computed on the grid with its transforms.
        Opened o = openKernels();
        try (BackendSession ignored = o.session()) {
            long b0 = System.nanoTime();
            Setup s = setup(o.session().hostTransforms());
            Path dir = out != null ? out : RunFolder.newDefault("fock");
            RunFolder.checkNew(dir, force);
            FockHamiltonian fh = FockHamiltonian.of(s.sector(), s.integrals());
            String op = operator.trim().toLowerCase(Locale.ROOT);
            ParameterException.require(List.of("auto", "csr", "matrix-free").contains(op), "--operator", operator, "auto | csr | matrix-free");
            FockEvolution.Method m = FockEvolution.Method.parse(method);
            int[] terms = fh.termCounts();
            long estNnz = s.sector().dimension() * (1L + terms[0] + terms[1]);
            boolean csr = op.equals("csr") || m == FockEvolution.Method.DENSE
                    || (op.equals("auto") && estNnz * (fh.isReal() ? 12 : 20) < Runtime.getRuntime().maxMemory() / 4 && estNnz < Integer.MAX_VALUE);
            FockOperator h = csr ? fh.toCsr() : fh.matrixFree();
            double secondsBuild = (System.nanoTime() - b0) / 1e9;
            System.out.println("fock: " + io.hartree.api.Backends.Selection.brief(o.note()));
            System.out.printf(Locale.ROOT, "fock: %s, sector %s, dimension %,d, %s%n", s.modelName(), s.sector().describe(), s.sector().dimension(),
                    csr ? "CSR with " + h.nonZeros() + " non-zeros" : "matrix-free");
            if (s.sector() instanceof TruncatedSector) System.out.println("fock: " + fh.describe());
            return evolve(s, h, o, m, dir, secondsBuild);
        }
    }

    /** An open session with its Fock kernels, and the line that says how the backend was chosen. */
    record Opened(BackendSession session, FockKernels kernels, String note) {}

    /**
     * Opens the requested backend's Fock kernels. The request is --backend, else $HARTREE_BACKEND,
     * else auto. Only an automatic choice falls back to cpu when the backend has no Fock kernels;
     * a backend named by the option or the environment is used or the run fails.
     */
    Opened openKernels() {
        String request = backend != null && !backend.isBlank() ? backend : env.apply(Backends.ENV);
        boolean auto = request == null || request.isBlank() || request.trim().equalsIgnoreCase("auto");
        Backends.Selection sel = Backends.select(auto ? "auto" : request);
        BackendSession session = sel.backend().open(SessionOptions.defaults());
        try {
            return new Opened(session, session.fock(), sel.explanation());
        } catch (BackendException e) {
            session.close();
            if (!auto) throw e;
            Backends.Selection cpu = Backends.select("cpu");
            BackendSession fallback = cpu.backend().open(SessionOptions.defaults());
            try {
                return new Opened(fallback, fallback.fock(), cpu.explanation() + " (" + e.getMessage() + ")");
            } catch (RuntimeException e2) {
                fallback.close();
                throw e2;
            }
        }
    }

    /** The rows of the series and the last values, filled by {@link #integrate}. */
    private static final class Series {
        final List<double[]> rows = new ArrayList<>();
        final double[] times, dist;
        final double[][] occ;
        double[] gamma, lambda, reference;
        PhaseAveragedFlow.Result phaseAveraged;
        double e0 = Double.NaN, energy = Double.NaN;

        Series(int steps, int modes) {
            times = new double[steps + 1];
            dist = new double[steps + 1];
            occ = new double[modes][steps + 1];
        }
    }

    private int evolve(Setup s, FockOperator h, Opened o, FockEvolution.Method m, Path dir, double secondsBuild) throws Exception {
        int steps = (int) Math.round(time / dt);
        // --tol bounds the whole run: the per-step estimates add up, so each output step gets its share.
        FockEvolution ev = new FockEvolution(o.kernels(), h, s.psi0(), m, tol / steps);
        Series series;
        try {
            series = integrate(s, h, ev, steps);
        } finally {
            ev.close();  // the backend's set-up of H; the results stay readable
        }
        RunFolder.prepare(dir);
        // config.toml: the resolved input, enough to rerun.
        AtomicFiles.writeString(dir.resolve(RunFolder.CONFIG), RunConfig.MAPPER.writeValueAsString(s.config()));
        writeObservables(dir, series, s.sector().modes());
        Map<String, Object> sum = summary(s, h, ev, o, secondsBuild, series, steps);
        if (gamma2) gamma2(s, ev.state(), dir, sum);
        AtomicFiles.writeString(dir.resolve(RunFolder.SUMMARY), Checkpoint.JSON.writeValueAsString(sum) + "\n");
        double[] psi = ev.state();
        if (psi.length <= 2L * 20_000_000) Npy.writeComplex(dir.resolve(RunFolder.PSI_FINAL), psi, psi.length / 2);
        plots(s, series, dir, s.ref().exists());
        System.out.printf(Locale.ROOT, "fock: %s, %d products, error estimate %.2e, build %.2f s, evolve %.2f s; wrote %s%n",
                ev.method(), ev.matvecs(), ev.errorEstimate(), secondsBuild, ev.seconds(), dir);
        return 0;
    }

    /** Local tolerance (max-norm per DOPRI5 step) of the reference flows in the modes. */
    static final double REFERENCE_TOL = 1e-12;

    /** Advances to each output time k·dt, k = 0 … steps, recording γ's occupations, the energy and the distance to the reference. */
    private Series integrate(Setup s, FockOperator h, FockEvolution ev, int steps) {
        int mm = s.sector().modes();
        Ref r = s.ref();
        ModeHartree mf = r.kind().equals("hartree") ? new ModeHartree(s.integrals()) : null;
        double[] c = mf != null ? r.c0().clone() : null;
        Series out = new Series(steps, mm);
        if (r.kind().equals("phase-averaged")) {
            double[] times = new double[steps + 1];
            for (int k = 0; k <= steps; k++) times[k] = k * dt;
            out.phaseAveraged = PhaseAveragedFlow.modes(s.integrals(), r.orbitals(), r.fractions(), r.phases(), times, REFERENCE_TOL);
        }
        for (int k = 0; k <= steps; k++) {
            if (k > 0) {
                ev.advance(dt);
                if (mf != null) mf.evolve(c, dt, REFERENCE_TOL);
            }
            double[] psi = ev.state();
            out.gamma = FockObservables.gamma1(s.sector(), psi);
            double[] lam = out.lambda = FockObservables.naturalOccupations(out.gamma, mm);
            double energy = out.energy = FockObservables.energy(h, psi);
            if (k == 0) out.e0 = energy;  // the state here is psi0
            double d = Double.NaN;
            if (r.exists()) {
                double[] ref = mf != null ? FockObservables.projector(c) : out.phaseAveraged.at(k).matrix(1);
                d = HermitianEigen.traceDistance(out.gamma, ref, mm);
                out.reference = ref;
            }
            double t = k * dt;
            out.times[k] = t;
            for (int i = 0; i < mm; i++) out.occ[i][k] = lam[i];
            out.dist[k] = d;
            double[] row = new double[6 + mm];
            row[0] = t; row[1] = FockObservables.norm(psi); row[2] = energy; row[3] = FockObservables.rank(lam, 1e-8); row[4] = d; row[5] = ev.errorEstimate();
            System.arraycopy(lam, 0, row, 6, mm);
            out.rows.add(row);
            if (k % Math.max(1, steps / 10) == 0 || k == steps)
                System.out.printf(Locale.ROOT, "  t = %6.3f  norm-1 = %9.2e  E = %.10f  lambda_1 = %.6f  rank = %d%s%n", t, row[1] - 1, energy, lam[0], (int) row[3],
                        Double.isNaN(d) ? "" : String.format(Locale.ROOT, "  Tr|gamma - ref| = %.3e", d));
        }
        return out;
    }

    /** observables.csv: one row per output time (empty cells for NaN, the rank as an integer). */
    private static void writeObservables(Path dir, Series series, int mm) {
        StringBuilder csv = new StringBuilder("t,norm,energy,rank,distance_to_reference,error_estimate");
        for (int i = 0; i < mm; i++) csv.append(",lambda_").append(i + 1);
        csv.append('\n');
        for (double[] r : series.rows) {
            for (int i = 0; i < r.length; i++) {
                if (i > 0) csv.append(',');
                csv.append(Double.isNaN(r[i]) ? "" : i == 3 ? Long.toString((long) r[i]) : Double.toString(r[i]));
            }
            csv.append('\n');
        }
        AtomicFiles.writeString(dir.resolve(RunFolder.OBSERVABLES), csv.toString());
    }

    /** The keys of summary.json (without γ^(2), which {@link #gamma2} adds). */
    private Map<String, Object> summary(Setup s, FockOperator h, FockEvolution ev, Opened o, double secondsBuild, Series series,
                                        int steps) {
        int mm = s.sector().modes();
        double[] last = series.rows.get(steps);
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("command", "hartree fock");
        sum.put("model", s.modelName());
        if (s.modeInfo() != null) sum.putAll(s.modeInfo());
        sum.put("sector", s.sector().describe());
        sum.put("modes", mm);
        sum.put("particles", s.sector().particles());
        sum.put("dimension", s.sector().dimension());
        sum.put("operator", h.asCsr().isPresent() ? "csr" : "matrix-free");
        sum.put("nonzeros", h.nonZeros());
        sum.put("method", ev.method());
        sum.put("backend", o.session().backend());
        sum.put("device", o.session().device());
        sum.put("backend_selection", o.note());
        sum.put("seconds_build", secondsBuild);
        sum.put("seconds_evolve", ev.seconds());
        sum.put("matvecs", ev.matvecs());
        sum.put("error_estimate", ev.errorEstimate());
        sum.put("tol", tol);
        sum.put("tol_per_step", tol / steps);
        sum.put("time", time);
        sum.put("dt", dt);
        sum.put("norm_final", last[1]);
        sum.put("energy_initial", series.e0);
        sum.put("energy_final", series.energy);
        sum.put("energy_drift", series.energy - series.e0);
        sum.put("natural_occupations_final", series.lambda);
        sum.put("rank_final", (int) last[3]);
        sum.put("gamma1_final", matrixJson(series.gamma, mm));
        sum.put("gamma1_convention", "gamma_ij = <a_j^+ a_i>/N, trace 1, modes in index order" + (s.sector() instanceof SpinSector ss ? " (mode sigma*" + ss.spatialModes() + " + s, spin up first)" : ""));
        Ref r = s.ref();
        sum.put("reference", r.kind());
        switch (r.kind()) {
            case "hartree" -> sum.put("reference_description", "|c_t><c_t|, c_t from the Hartree equation in the same modes (ModeHartree, DOPRI5, local tol " + REFERENCE_TOL + ")");
            case "phase-averaged" -> {
                PhaseAveragedFlow.Result pa = series.phaseAveraged;
                sum.put("reference_description", "phase-averaged gamma_inf (3.15): sum over Q^(l-1) phases theta of |phi_t^theta><phi_t^theta|, phi_0^theta = sum_j sqrt(N_j/N) e^(-i theta_j) e_j over the l occupied modes, Hartree flow in the same modes (ModeHartree, DOPRI5, local tol " + REFERENCE_TOL + ")");
                sum.put("reference_phases", r.phases());
                sum.put("reference_trajectories", pa.quadrature().size());
                // Convergence in the number of phases: Tr|γ_Q − γ_{Q/2}| at the final time, from the same trajectories.
                sum.put("reference_halving_difference", pa.halvingDifference(1, steps));
            }
            default -> sum.put("reference_description", "none");
        }
        if (r.exists()) {
            sum.put("distance_to_reference", series.dist[steps]);
            sum.put("gamma1_reference", matrixJson(series.reference, mm));
            sum.put("natural_occupations_reference", FockObservables.naturalOccupations(series.reference, mm));
        }
        return sum;
    }

    /** An M×M interleaved complex matrix as {"re": [[…]], "im": [[…]]}. */
    private static Map<String, Object> matrixJson(double[] g, int mm) {
        double[][] re = new double[mm][mm], im = new double[mm][mm];
        for (int i = 0; i < mm; i++) for (int j = 0; j < mm; j++) { re[i][j] = g[2 * (i * mm + j)]; im[i][j] = g[2 * (i * mm + j) + 1]; }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("re", re);
        out.put("im", im);
        return out;
    }

    /** --gamma2: γ^(2)'s occupations into the summary and gamma2_final.npy, or a note why not. */
    private static void gamma2(Setup s, double[] psi, Path dir, Map<String, Object> sum) {
        if (!FockObservables.gamma2Affordable(s.sector())) {
            sum.put("gamma2_note", "not computed: dim·M⁴ > 2e9 or M > 32");
            return;
        }
        int mm = s.sector().modes();
        double[] g2 = FockObservables.gamma2(s.sector(), psi);
        int m2 = mm * mm;
        sum.put("gamma2_occupations_final", FockObservables.naturalOccupations(g2, m2));
        sum.put("gamma2_convention", "gamma2_(ij),(kl) = <a_k^+ a_l^+ a_j a_i>/(N(N-1)), row i*M+j, column k*M+l, trace 1");
        Npy.writeComplex(dir.resolve("gamma2_final.npy"), g2, m2, m2);
    }

    /** occupations.png and, with a mean-field reference, distance.png (best effort: a failure is a warning). */
    private static void plots(Setup s, Series series, Path dir, boolean withDistance) {
        int mm = s.sector().modes();
        Plots.bestEffort("fock", () -> {
            XYChart chart = new XYChartBuilder().width(900).height(600).title("Natural occupations of γ^(1): " + s.modelName())
                    .xAxisTitle("t").yAxisTitle("λ_i(t)").build();
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
            for (int i = 0; i < Math.min(mm, 8); i++) {
                XYSeries se = chart.addSeries("λ_" + (i + 1), series.times, series.occ[i]);
                se.setMarker(SeriesMarkers.NONE);
            }
            AtomicFiles.write(dir.resolve("occupations.png"), o -> BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG));
            if (withDistance) {
                XYChart dc = new XYChartBuilder().width(900).height(600).title("Tr|γ^(1)(t) − reference(t)|").xAxisTitle("t").yAxisTitle("trace distance").build();
                dc.addSeries(s.ref().kind().equals("phase-averaged") ? "to γ_∞ (3.15)" : "to |c_t⟩⟨c_t|", series.times, series.dist).setMarker(SeriesMarkers.NONE);
                AtomicFiles.write(dir.resolve("distance.png"), o -> BitmapEncoder.saveBitmap(dc, o, BitmapEncoder.BitmapFormat.PNG));
            }
        }).ifPresent(w -> System.out.println("warning: " + w));
    }

    /** The model: its mode integrals (toy: with spin, and the spatial ones), its name and its config keys. */
    private record Model(String name, ModeIntegrals integrals, ModeIntegrals spatial, boolean toy, Map<String, Object> modeInfo) {
        Model(String name, ModeIntegrals integrals, ModeIntegrals spatial, boolean toy) { this(name, integrals, spatial, toy, null); }
    }

    /** The initial state in its sector, with the mean-field start and fragment weights where they exist. */
    private record Start(FockSector sector, double[] psi0, double[] meanField0, int[] occupations) {}

    /**
     * Parses and validates every option; throws ParameterException before anything is written.
     * {@code transforms}: the backend's host transforms for the toy model's grid mode integrals (else unused).
     */
    Setup setup(io.hartree.api.HostTransforms transforms) {
        ParameterException.require(time > 0 && Double.isFinite(time), "--time", time, "finite T > 0");
        ParameterException.require(dt > 0 && dt <= time, "--dt", dt, "0 < dt ≤ T");
        ParameterException.require(Math.abs(Math.round(time / dt) * dt - time) < 1e-9 * time, "--dt", dt, "a divisor of T = " + time);
        ParameterException.require(tol > 0 && tol < 1, "--tol", tol, "0 < tol < 1");
        FockEvolution.Method.parse(method);
        String spec = model.trim();
        Map<String, Object> cfg = new LinkedHashMap<>();
        Model md = model(spec, cfg, transforms);
        if (!md.toy() && modes != null && modes != md.integrals().modes())
            throw new ParameterException("--modes", modes, "the model's " + md.integrals().modes() + " modes (--modes sets the toy model's spatial modes)");
        cfg.put("model", spec);
        if (!md.toy()) {
            if (trap != null) throw new ParameterException("--trap", trap, "only with --model toy (the other models have no spatial modes)");
            if (nu != null) throw new ParameterException("--nu", nu, "only with --model toy");
        }
        if (particles != null) ParameterException.require(particles >= 1, "--particles", particles, "integer N ≥ 1");
        String init = initialSpec(md);
        Start st = start(init, md);
        if (truncate != null) {
            cfg.put("truncate", truncate);
            cfg.put("condensate_modes", ((TruncatedSector) st.sector()).condensateCount());
        } else if (condensateModes != null) throw new ParameterException("--condensate-modes", condensateModes, "only together with --truncate K");
        cfg.put("initial", init);
        cfg.put("particles", st.sector().particles());
        cfg.put("time", time);
        cfg.put("dt", dt);
        cfg.put("tol", tol);
        cfg.put("method", method);
        cfg.put("operator", operator);
        if (backend != null) cfg.put("backend", backend);
        Ref ref = reference(init, st);
        cfg.put("reference", ref.kind());
        if (ref.kind().equals("phase-averaged")) cfg.put("phases", ref.phases());
        return new Setup(md.name(), md.integrals(), md.spatial(), st.sector(), st.psi0(), ref, cfg, md.modeInfo());
    }

    /**
     * --reference and --phases for the initial state: coherent data allow hartree (default) | none,
     * Fock-state data |N₁, …, N_ℓ⟩ (fock:…, fragment:…) phase-averaged (default) | none.
     */
    private Ref reference(String init, Start st) {
        boolean coherent = st.occupations() == null;
        String allowed = coherent ? "hartree | none (coherent --initial " + init + ")" : "phase-averaged | none (Fock-state --initial " + init + ")";
        String kind = reference == null ? (coherent ? "hartree" : "phase-averaged") : reference.trim().toLowerCase(Locale.ROOT);
        ParameterException.require(coherent ? kind.equals("hartree") || kind.equals("none") : kind.equals("phase-averaged") || kind.equals("none"),
                "--reference", reference, allowed);
        if (!kind.equals("phase-averaged")) {
            if (phases != null) throw new ParameterException("--phases", phases, "only with --reference phase-averaged");
            return new Ref(kind, kind.equals("hartree") ? st.meanField0() : null, null, null, 0);
        }
        int[] occ = st.occupations();
        int m = occ.length, n = 0, ell = 0;
        for (int x : occ) { n += x; if (x > 0) ell++; }
        double[][] orb = new double[ell][];
        double[] frac = new double[ell];
        for (int i = 0, j = 0; i < m; i++)
            if (occ[i] > 0) {
                orb[j] = new double[2 * m];
                orb[j][2 * i] = 1;
                frac[j++] = (double) occ[i] / n;
            }
        int q;
        if (phases != null) {
            q = phases;
            ParameterException.require(q >= 2 && q % 2 == 0 && Math.pow(q, ell - 1) <= PhaseQuadrature.MAX_SAMPLES, "--phases", q,
                    "even Q ≥ 2 with Q^(l-1) ≤ " + PhaseQuadrature.MAX_SAMPLES + " (l = " + ell + " occupied modes)");
        } else {
            q = 16;
            while (q > 2 && Math.pow(q, ell - 1) > 4096) q -= 2;
        }
        return new Ref(kind, null, orb, frac, q);
    }

    /** --model: toy (oscillator modes ⊗ spin, whose parameters go into {@code cfg}), josephson, ring or integrals. */
    private Model model(String spec, Map<String, Object> cfg, io.hartree.api.HostTransforms transforms) {
        String kind = spec.contains(":") ? spec.substring(0, spec.indexOf(':')).toLowerCase(Locale.ROOT) : spec.toLowerCase(Locale.ROOT);
        String rest = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : "";
        switch (kind) {
            case "toy" -> {
                int ms = modes == null ? 4 : modes;
                ParameterException.require(ms >= 1 && ms <= 20, "--modes", ms, "1 … 20 spatial modes for the toy model");
                Interaction v = Interaction.parse(interaction);
                TrapSpec ts = TrapSpec.parse(absoluteTable(trap == null ? "paper" : trap));
                double nuValue = nu == null ? 10 : nu;
                if (!ts.usesNu() && nu != null)
                    throw new ParameterException("--nu", nu, "--nu only with --trap paper (the trap is " + ts.spec() + ", h = -1/2 Laplacian + U, which has no nu)");
                Grid3D g = new Grid3D(grid, box);
                cfg.put("modes", ms);
                cfg.put("trap", ts.spec());
                if (ts.usesNu()) cfg.put("nu", nuValue);
                cfg.put("interaction", v.spec());
                cfg.put("mode_grid", grid);
                cfg.put("mode_box", box);
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("trap", ts.spec());
                ModeIntegrals spatial;
                String name;
                if (ts.usesNu()) {
                    // The paper's h_ν: closed-form Hermite modes, h_ij = ν n_i δ_ij exactly (unchanged behaviour).
                    spatial = OscillatorModes.integrals(ms, nuValue, v, g, transforms);
                    name = "toy: " + ms + " oscillator modes of h_nu ⊗ spin, nu=" + nuValue + ", " + v.spec();
                    info.put("mode_basis", "the lowest " + ms + " Hermite products of h_nu (closed form, OscillatorModes); V_ijkl on the mode grid");
                    double[] e = new double[ms];
                    for (int i = 0; i < ms; i++) e[i] = spatial.h()[spatial.hIndex(i, i)];
                    info.put("mode_energies", e);
                    info.put("mode_integrals", integralsInfo(spatial, null));
                } else {
                    OneBodyOperator h = ts.operator(nuValue, g);
                    GridModes gm = GridModes.lowest(h, g, ms, transforms);
                    GridIntegrals.Result r = GridIntegrals.compute(gm, h, v, transforms, GridIntegrals.DEFAULT_THRESHOLD);
                    spatial = r.integrals();
                    name = "toy: " + ms + " grid eigenmodes of " + ts.spec() + " ⊗ spin, " + v.spec();
                    info.put("mode_basis", gm.description());
                    info.put("mode_energies", gm.energies());
                    info.put("mode_integrals", integralsInfo(spatial, r));
                    double edge = edgeMass(gm);
                    info.put("mode_edge_mass", edge);
                    if (edge > EDGE_WARN)
                        System.out.printf(Locale.ROOT, "warning: a grid mode has mass %.2e where |x_d| > %.2g L: enlarge --mode-box%n", edge, SplitStepPropagator.EDGE_AT);
                }
                info.put("mode_grid", grid);
                info.put("mode_box", box);
                return new Model(name, spatial.withSpin(), spatial, true, info);
            }
            case "josephson" -> {
                Map<String, Double> p = params(rest, "--model josephson", List.of("j", "u"));
                return new Model("josephson: J=" + p.getOrDefault("j", 1.0) + ", U=" + p.getOrDefault("u", 1.0),
                        ModeIntegrals.josephson(p.getOrDefault("j", 1.0), p.getOrDefault("u", 1.0)), null, false);
            }
            case "ring" -> {
                Map<String, Double> p = params(rest, "--model ring", List.of("sites", "j", "u"));
                double sites = p.getOrDefault("sites", 8.0);
                ParameterException.require(sites == Math.rint(sites) && sites >= 2 && sites <= 64, "--model ring sites", sites, "integer 2 … 64");
                return new Model("ring: sites=" + (int) sites + ", J=" + p.getOrDefault("j", 1.0) + ", U=" + p.getOrDefault("u", 1.0),
                        ModeIntegrals.ring((int) sites, p.getOrDefault("j", 1.0), p.getOrDefault("u", 1.0)), null, false);
            }
            case "integrals" -> {
                ParameterException.require(!rest.isBlank(), "--model integrals", spec, "integrals:DIR with DIR/h.npy and DIR/V.npy");
                return new Model("integrals: " + rest, ModeIntegrals.read(Path.of(rest)), null, false);
            }
            default -> throw new ParameterException("--model", model, "toy | josephson:J=1,U=1 | ring:sites=8,J=1,U=1 | integrals:DIR");
        }
    }

    /** A table trap's file made absolute, so config.toml names it from anywhere. */
    private static String absoluteTable(String spec) {
        String t = spec.trim();
        if (!t.toLowerCase(Locale.ROOT).startsWith("table:") || t.length() == 6) return spec;
        return "table:" + Path.of(t.substring(6).trim()).toAbsolutePath().normalize();
    }

    /**
     * How the integrals were made: for grid modes the threshold and the counts of {@link GridIntegrals.Result}
     * (elements kept, zero by parity, dropped below the threshold), max |V| and the kernel; for the
     * closed-form modes the number of non-zero elements.
     */
    private static Map<String, Object> integralsInfo(ModeIntegrals mi, GridIntegrals.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        long nonzero = 0;
        double[] v = mi.v();
        for (int a = 0; a < v.length; a += 2) if (v[a] != 0 || v[a + 1] != 0) nonzero++;
        long total = (long) mi.modes() * mi.modes() * mi.modes() * mi.modes();
        m.put("elements", total);
        m.put("nonzero", nonzero);
        if (r != null) {
            m.put("threshold", r.threshold());
            m.put("kept", r.kept());
            m.put("zero_by_parity", r.zeroByParity());
            m.put("dropped", r.dropped());
            m.put("max_abs_v", r.maxAbsV());
            m.put("kernel", r.kernel());
        } else m.put("threshold", 0.0);
        return m;
    }

    /**
     * The largest mass of a grid mode where some |x_d| > {@link SplitStepPropagator#EDGE_AT}·L (the
     * outer tenth of the box on each side, the run's edge-mass rule): the check that --mode-box
     * holds the modes; a warning above {@value #EDGE_WARN}.
     */
    private static double edgeMass(GridModes gm) {
        Grid3D g = gm.grid();
        int n = g.n();
        double cut = SplitStepPropagator.EDGE_AT * g.length(), worst = 0;
        for (double[] f : gm.re()) {
            double m = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++)
                        if (Math.abs(g.x(i)) > cut || Math.abs(g.x(j)) > cut || Math.abs(g.x(k)) > cut) {
                            double v = f[(i * n + j) * n + k];
                            m += v * v;
                        }
            worst = Math.max(worst, m * g.dV());
        }
        return worst;
    }

    /** Edge mass of a grid mode above which the box is said to be too small. */
    static final double EDGE_WARN = 1e-8;

    /** --initial, or its default: fragment:N/2,N/2 for the toy, N/2 bosons in modes 0 and 1 otherwise. */
    private String initialSpec(Model md) {
        if (initial != null) return initial.trim();
        int n = particles == null ? 20 : particles;
        int m = md.integrals().modes();
        return md.toy() ? "fragment:" + (n / 2) + "," + (n - n / 2) : "fock:" + (n / 2) + "," + (n - n / 2) + ",0".repeat(Math.max(0, m - 2));
    }

    private Start start(String init, Model md) {
        String ik = init.contains(":") ? init.substring(0, init.indexOf(':')).toLowerCase(Locale.ROOT) : init.toLowerCase(Locale.ROOT);
        String iv = init.contains(":") ? init.substring(init.indexOf(':') + 1) : "";
        return switch (ik) {
            case "fragment" -> fragment(init, iv, md);
            case "fock" -> fockState(iv, md);
            case "coherent" -> coherent(init, iv, md);
            default -> throw new ParameterException("--initial", init, "coherent | coherent:a0,a1,... | fock:n0,n1,... | fragment:N1,N2");
        };
    }

    /** The paper's fragmented state (3.8): N1 bosons in φ⁰↑, N2 in φ⁰↓. */
    private Start fragment(String init, String iv, Model md) {
        if (!md.toy()) throw new ParameterException("--initial", init, "fragment:N1,N2 only with --model toy");
        int m = md.integrals().modes();
        int[] nn = ints(iv, "--initial fragment", 2);
        ParameterException.require(nn[0] >= 0 && nn[1] >= 0 && nn[0] + nn[1] >= 2, "--initial fragment", iv, "N1, N2 ≥ 0 with N1 + N2 ≥ 2");
        if (particles != null) ParameterException.require(particles == nn[0] + nn[1], "--particles", particles, "N1 + N2 = " + (nn[0] + nn[1]));
        int n = nn[0] + nn[1];
        int[] occ = new int[m];
        occ[0] = nn[0];
        occ[m / 2] = nn[1];
        if (truncate != null) {
            TruncatedSector ts = truncatedSector(n, md, 2);
            return new Start(ts, fockIn(ts, occ), null, occ);
        }
        SpinSector ss = new SpinSector(m / 2, nn[0], nn[1]);
        checkSize(ss);
        return new Start(ss, FockStates.fragment(ss), null, occ);
    }

    /** A Fock state |n0, n1, …⟩ (toy: in the spin sector its occupations fix). */
    private Start fockState(String iv, Model md) {
        int m = md.integrals().modes();
        int[] occ = ints(iv, "--initial fock", m);
        int n = 0;
        for (int x : occ) { ParameterException.require(x >= 0, "--initial fock", iv, "non-negative occupations"); n += x; }
        if (particles != null) ParameterException.require(particles == n, "--particles", particles, "the sum of the occupations, " + n);
        ParameterException.require(n >= 1, "--initial fock", iv, "at least one boson");
        if (truncate != null) {
            TruncatedSector ts = truncatedSector(n, md, 1);
            return new Start(ts, fockIn(ts, occ), null, occ);
        }
        FockSector sector;
        if (md.toy()) {
            int a = 0;
            for (int i = 0; i < m / 2; i++) a += occ[i];
            sector = new SpinSector(m / 2, a, n - a);
        } else sector = new FockBasis(n, m);
        checkSize(sector);
        return new Start(sector, FockStates.fock(sector, occ), null, occ);
    }

    /** A coherent (condensate) state of N bosons in the normalised orbital c; its mean field starts at c. */
    private Start coherent(String init, String iv, Model md) {
        int m = md.integrals().modes();
        int n = particles == null ? 20 : particles;
        ParameterException.require(n >= 1, "--particles", n, "≥ 1");
        double[] c = new double[2 * m];
        if (iv.isBlank()) {
            int second = md.toy() ? m / 2 : 1;
            ParameterException.require(m >= 2, "--initial coherent", init, "at least 2 modes");
            c[0] = Math.sqrt(0.5);
            c[2 * second] = Math.sqrt(0.5);
        } else {
            String[] t = iv.split(",");
            ParameterException.require(t.length == m, "--initial coherent", iv, m + " real amplitudes");
            for (int i = 0; i < m; i++) c[2 * i] = num(t[i], "--initial coherent");
        }
        double nn = 0;
        for (double x : c) nn += x * x;
        ParameterException.require(nn > 0, "--initial coherent", iv, "a non-zero amplitude vector");
        for (int i = 0; i < c.length; i++) c[i] /= Math.sqrt(nn);
        // Truncated: the projection of the condensate onto the truncated sector, renormalised.
        FockSector sector = truncate != null ? truncatedSector(n, md, 1) : new FockBasis(n, m);
        checkSize(sector);
        return new Start(sector, FockStates.coherent(sector, c), c, null);
    }

    /**
     * --truncate K, --condensate-modes ℓ (default {@code defaultEll}): the truncated sector of N
     * bosons in the model's modes, condensate modes 0 … ℓ − 1, for the toy model φ⁰↑, φ⁰↓, φ¹↑, …
     * (mode (i/2) + (i mod 2)·M_s). Its dimension is checked before it is built.
     */
    private TruncatedSector truncatedSector(int n, Model md, int defaultEll) {
        int m = md.integrals().modes();
        int ell = condensateModes != null ? condensateModes : defaultEll;
        ParameterException.require(truncate >= 0, "--truncate", truncate, "K ≥ 0 bosons outside the condensate modes");
        ParameterException.require(ell >= 1 && ell <= m - 1, "--condensate-modes", ell, "1 ≤ l ≤ M − 1 = " + (m - 1));
        int[] cond = new int[ell];
        for (int i = 0; i < ell; i++) cond[i] = md.toy() ? i / 2 + (i % 2) * (m / 2) : i;
        long dim = TruncatedSector.dimension(n, m, ell, truncate);
        if (dim > (1L << 30) - 1)
            throw new ParameterException("--truncate", truncate, "a sector of at most 2^30 - 1 states (this one has " + (dim == Long.MAX_VALUE ? "more than 2^63" : dim) + "); reduce K, N or M");
        return new TruncatedSector(n, m, cond, truncate);
    }

    /** The Fock state |occ⟩ on the truncated sector, or a ParameterException naming --truncate when it lies outside. */
    private static double[] fockIn(TruncatedSector ts, int[] occ) {
        if (!ts.contains(occ))
            throw new ParameterException("--truncate", ts.maxExcited(), "a K that keeps the initial Fock state " + java.util.Arrays.toString(occ) + " (" + ts.describe() + ")");
        return FockStates.fock(ts, occ);
    }

    private static void checkSize(FockSector s) {
        if (s.dimension() > (1L << 30) - 1)
            throw new ParameterException("sector dimension", s.dimension(), "at most 2^30 - 1 states (" + s.describe() + "); reduce N or M");
    }

    private static Map<String, Double> params(String rest, String parameter, List<String> allowed) {
        Map<String, Double> p = new LinkedHashMap<>();
        if (rest.isBlank()) return p;
        for (String kv : rest.split(",")) {
            String[] t = kv.split("=", 2);
            String key = t[0].trim().toLowerCase(Locale.ROOT);
            if (t.length != 2 || !allowed.contains(key)) throw new ParameterException(parameter, rest, "name=value with names " + allowed);
            p.put(key, num(t[1], parameter + " " + key));
        }
        return p;
    }

    private static double num(String s, String parameter) {
        try {
            double v = Double.parseDouble(s.trim());
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new ParameterException(parameter, s, "a finite number");
        }
    }

    private static int[] ints(String s, String parameter, int count) {
        String[] t = s.split(",");
        if (t.length != count) throw new ParameterException(parameter, s, count + " comma-separated integers");
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            try {
                out[i] = Integer.parseInt(t[i].trim());
            } catch (NumberFormatException e) {
                throw new ParameterException(parameter, s, "integers");
            }
        }
        return out;
    }
}
