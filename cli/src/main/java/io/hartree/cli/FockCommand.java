package io.hartree.cli;

import io.hartree.api.BackendException;
import io.hartree.api.BackendSession;
import io.hartree.api.Backends;
import io.hartree.api.ParameterException;
import io.hartree.api.SessionOptions;
import io.hartree.api.fock.*;
import io.hartree.api.grid.Grid3D;
import io.hartree.api.hartree.Interaction;
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

    @Option(names = "--nu", defaultValue = "10", description = "Trap frequency nu of h_nu (toy). Default: ${DEFAULT-VALUE}.")
    double nu;

    @Option(names = "--interaction", defaultValue = "gaussian:lambda=1,sigma=1", description = "Interaction of the toy model: " + Interaction.ALLOWED + ". Default: ${DEFAULT-VALUE}.")
    String interaction;

    @Option(names = "--grid", defaultValue = "48", description = "Grid points per axis for the toy's V_ijkl. Default: ${DEFAULT-VALUE}.")
    int grid;

    @Option(names = "--box", defaultValue = "12", description = "Box length for the toy's V_ijkl. Default: ${DEFAULT-VALUE}.")
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
                 double[] meanField0, double[] fragmentWeights, Map<String, Object> config) {}

    @Override
    public Integer call() throws Exception {
        long b0 = System.nanoTime();
        Setup s;
        // The toy model's mode integrals are computed on the grid with the selected backend's transforms.
        try (BackendSession probe = needsTransforms() ? Backends.select(backend).backend().open(SessionOptions.defaults()) : null) {
            s = setup(probe == null ? null : probe.hostTransforms());
        }
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

        Backends.Selection sel = Backends.select(backend);
        BackendSession session = sel.backend().open(SessionOptions.defaults());
        FockKernels kernels;
        String note = sel.explanation();
        try {
            kernels = session.fock();
        } catch (BackendException e) {
            boolean auto = backend == null || backend.isBlank() || backend.trim().equalsIgnoreCase("auto");
            if (!auto && System.getenv(Backends.ENV) == null) throw e;
            session.close();
            sel = Backends.select("cpu");
            session = sel.backend().open(SessionOptions.defaults());
            kernels = session.fock();
            note = sel.explanation() + " (" + e.getMessage() + ")";
        }
        System.out.println("fock: " + note);
        System.out.printf(Locale.ROOT, "fock: %s, sector %s, dimension %,d, %s%n", s.modelName(), s.sector().describe(), s.sector().dimension(),
                csr ? "CSR with " + h.nonZeros() + " non-zeros" : "matrix-free");
        try (BackendSession ignored = session) {
            return evolve(s, h, kernels, m, dir, session, secondsBuild, note);
        }
    }

    private int evolve(Setup s, FockOperator h, FockKernels kernels, FockEvolution.Method m, Path dir, BackendSession session,
                       double secondsBuild, String note) throws Exception {
        int mm = s.sector().modes();
        int steps = (int) Math.round(time / dt);
        // --tol bounds the whole run: the per-step estimates add up, so each output step gets its share.
        FockEvolution ev = new FockEvolution(kernels, h, s.psi0(), m, tol / steps);
        ModeHartree mf = null;
        double[] c = null;
        if (s.meanField0() != null) {
            mf = new ModeHartree(s.fragmentWeights() != null ? s.spatial() : s.integrals());
            c = s.meanField0().clone();
        }
        double e0 = Double.NaN;  // the energy of the k = 0 pass below (the state there is psi0)
        List<double[]> rows = new ArrayList<>();
        double[] times = new double[steps + 1];
        double[][] occ = new double[mm][steps + 1];
        double[] dist = new double[steps + 1];
        double[] gamma = null, lam = null;
        double energy = Double.NaN;
        try {
            for (int k = 0; k <= steps; k++) {
                if (k > 0) {
                    ev.advance(dt);
                    if (mf != null) mf.evolve(c, dt, 1e-12);
                }
                double[] psi = ev.state();
                gamma = FockObservables.gamma1(s.sector(), psi);
                lam = FockObservables.naturalOccupations(gamma, mm);
                energy = FockObservables.energy(h, psi);
                if (k == 0) e0 = energy;
                double d = Double.NaN;
                if (mf != null) {
                    double[] ref = s.fragmentWeights() != null ? FockObservables.phaseAveraged(c, s.fragmentWeights()[0], s.fragmentWeights()[1]) : FockObservables.projector(c);
                    d = HermitianEigen.traceDistance(gamma, ref, mm);
                }
                double t = k * dt;
                times[k] = t;
                for (int i = 0; i < mm; i++) occ[i][k] = lam[i];
                dist[k] = d;
                double[] row = new double[6 + mm];
                row[0] = t; row[1] = FockObservables.norm(psi); row[2] = energy; row[3] = FockObservables.rank(lam, 1e-8); row[4] = d; row[5] = ev.errorEstimate();
                System.arraycopy(lam, 0, row, 6, mm);
                rows.add(row);
                if (k % Math.max(1, steps / 10) == 0 || k == steps)
                    System.out.printf(Locale.ROOT, "  t = %6.3f  norm-1 = %9.2e  E = %.10f  lambda_1 = %.6f  rank = %d%s%n", t, row[1] - 1, energy, lam[0], (int) row[3],
                            Double.isNaN(d) ? "" : String.format(Locale.ROOT, "  Tr|gamma - ref| = %.3e", d));
            }
        } finally {
            ev.close();  // the backend's set-up of H; the results stay readable
        }
        double[] psi = ev.state();
        double[] lamF = lam, last = rows.get(steps);
        RunFolder.prepare(dir);
        // config.toml: the resolved input, enough to rerun.
        AtomicFiles.writeString(dir.resolve(RunFolder.CONFIG), RunConfig.MAPPER.writeValueAsString(s.config()));
        StringBuilder csv = new StringBuilder("t,norm,energy,rank,trace_distance_reference,error_estimate");
        for (int i = 0; i < mm; i++) csv.append(",lambda_").append(i + 1);
        csv.append('\n');
        for (double[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                if (i > 0) csv.append(',');
                csv.append(Double.isNaN(r[i]) ? "" : i == 3 ? Long.toString((long) r[i]) : Double.toString(r[i]));
            }
            csv.append('\n');
        }
        AtomicFiles.writeString(dir.resolve(RunFolder.OBSERVABLES), csv.toString());
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("command", "hartree fock");
        sum.put("model", s.modelName());
        sum.put("sector", s.sector().describe());
        sum.put("modes", mm);
        sum.put("particles", s.sector().particles());
        sum.put("dimension", s.sector().dimension());
        sum.put("operator", h instanceof CsrMatrix ? "csr" : "matrix-free");
        sum.put("nonzeros", h.nonZeros());
        sum.put("method", ev.method());
        sum.put("backend", session.backend());
        sum.put("device", session.device());
        sum.put("backend_selection", note);
        sum.put("seconds_build", secondsBuild);
        sum.put("seconds_evolve", ev.seconds());
        sum.put("matvecs", ev.matvecs());
        sum.put("error_estimate", ev.errorEstimate());
        sum.put("tol", tol);
        sum.put("tol_per_step", tol / steps);
        sum.put("time", time);
        sum.put("dt", dt);
        sum.put("norm_final", last[1]);
        sum.put("energy_initial", e0);
        sum.put("energy_final", energy);
        sum.put("energy_drift", energy - e0);
        sum.put("natural_occupations_final", lamF);
        sum.put("rank_final", (int) last[3]);
        double[][] re = new double[mm][mm], im = new double[mm][mm];
        for (int i = 0; i < mm; i++) for (int j = 0; j < mm; j++) { re[i][j] = gamma[2 * (i * mm + j)]; im[i][j] = gamma[2 * (i * mm + j) + 1]; }
        sum.put("gamma1_final", Map.of("re", re, "im", im));
        sum.put("gamma1_convention", "gamma_ij = <a_j^+ a_i>/N, trace 1, modes in index order" + (s.sector() instanceof SpinSector ss ? " (mode sigma*" + ss.spatialModes() + " + s, spin up first)" : ""));
        if (mf != null) {
            sum.put("reference", s.fragmentWeights() != null ? "phase-averaged gamma_inf (3.15): sum_sigma n_sigma |c_t><c_t| ⊗ |sigma><sigma|, c_t from the mode-space Hartree equation"
                    : "|c_t><c_t|, c_t from the mode-space Hartree equation");
            sum.put("trace_distance_reference_final", dist[steps]);
        }
        if (gamma2) {
            if (!FockObservables.gamma2Affordable(s.sector()))
                sum.put("gamma2_note", "not computed: dim·M⁴ > 2e9 or M > 32");
            else {
                double[] g2 = FockObservables.gamma2(s.sector(), psi);
                int m2 = mm * mm;
                sum.put("gamma2_occupations_final", FockObservables.naturalOccupations(g2, m2));
                sum.put("gamma2_convention", "gamma2_(ij),(kl) = <a_k^+ a_l^+ a_j a_i>/(N(N-1)), row i*M+j, column k*M+l, trace 1");
                Npy.writeComplex(dir.resolve("gamma2_final.npy"), g2, m2, m2);
            }
        }
        AtomicFiles.writeString(dir.resolve(RunFolder.SUMMARY), Checkpoint.JSON.writeValueAsString(sum) + "\n");
        if (psi.length <= 2L * 20_000_000) Npy.writeComplex(dir.resolve(RunFolder.PSI_FINAL), psi, psi.length / 2);
        boolean withDistance = mf != null;
        Plots.bestEffort("fock", () -> {
            XYChart chart = new XYChartBuilder().width(900).height(600).title("Natural occupations of γ^(1): " + s.modelName())
                    .xAxisTitle("t").yAxisTitle("λ_i(t)").build();
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
            for (int i = 0; i < Math.min(mm, 8); i++) {
                XYSeries se = chart.addSeries("λ_" + (i + 1), times, occ[i]);
                se.setMarker(SeriesMarkers.NONE);
            }
            AtomicFiles.write(dir.resolve("occupations.png"), o -> BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG));
            if (withDistance) {
                XYChart dc = new XYChartBuilder().width(900).height(600).title("Tr|γ^(1)(t) − reference(t)|").xAxisTitle("t").yAxisTitle("trace distance").build();
                dc.addSeries(s.fragmentWeights() != null ? "to γ_∞ (3.15)" : "to |c_t⟩⟨c_t|", times, dist).setMarker(SeriesMarkers.NONE);
                AtomicFiles.write(dir.resolve("distance.png"), o -> BitmapEncoder.saveBitmap(dc, o, BitmapEncoder.BitmapFormat.PNG));
            }
        }).ifPresent(w -> System.out.println("warning: " + w));
        System.out.printf(Locale.ROOT, "fock: %s, %d products, error estimate %.2e, build %.2f s, evolve %.2f s; wrote %s%n",
                ev.method(), ev.matvecs(), ev.errorEstimate(), secondsBuild, ev.seconds(), dir);
        return 0;
    }

    /** Parses and validates every option; throws ParameterException before anything is written. */
    /** Whether {@link #setup} computes grid mode integrals (the toy model). */
    private boolean needsTransforms() {
        String spec = model.trim();
        return (spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec).equalsIgnoreCase("toy");
    }

    Setup setup(io.hartree.api.HostTransforms transforms) {
        ParameterException.require(time > 0 && Double.isFinite(time), "--time", time, "finite T > 0");
        ParameterException.require(dt > 0 && dt <= time, "--dt", dt, "0 < dt ≤ T");
        ParameterException.require(Math.abs(Math.round(time / dt) * dt - time) < 1e-9 * time, "--dt", dt, "a divisor of T = " + time);
        ParameterException.require(tol > 0 && tol < 1, "--tol", tol, "0 < tol < 1");
        FockEvolution.Method.parse(method);
        String spec = model.trim();
        String kind = spec.contains(":") ? spec.substring(0, spec.indexOf(':')).toLowerCase(Locale.ROOT) : spec.toLowerCase(Locale.ROOT);
        String rest = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : "";
        Map<String, Object> cfg = new LinkedHashMap<>();
        ModeIntegrals mi, spatial = null;
        String name;
        boolean toy = false;
        switch (kind) {
            case "toy" -> {
                int ms = modes == null ? 4 : modes;
                ParameterException.require(ms >= 1 && ms <= 20, "--modes", ms, "1 … 20 spatial modes for the toy model");
                Interaction v = Interaction.parse(interaction);
                spatial = OscillatorModes.integrals(ms, nu, v, new Grid3D(grid, box), transforms);
                mi = spatial.withSpin();
                name = "toy: " + ms + " oscillator modes of h_nu ⊗ spin, nu=" + nu + ", " + v.spec();
                toy = true;
                cfg.put("modes", ms);
                cfg.put("nu", nu);
                cfg.put("interaction", v.spec());
                cfg.put("grid", grid);
                cfg.put("box", box);
            }
            case "josephson" -> {
                Map<String, Double> p = params(rest, "--model josephson", List.of("j", "u"));
                mi = ModeIntegrals.josephson(p.getOrDefault("j", 1.0), p.getOrDefault("u", 1.0));
                name = "josephson: J=" + p.getOrDefault("j", 1.0) + ", U=" + p.getOrDefault("u", 1.0);
            }
            case "ring" -> {
                Map<String, Double> p = params(rest, "--model ring", List.of("sites", "j", "u"));
                double sites = p.getOrDefault("sites", 8.0);
                ParameterException.require(sites == Math.rint(sites) && sites >= 2 && sites <= 64, "--model ring sites", sites, "integer 2 … 64");
                mi = ModeIntegrals.ring((int) sites, p.getOrDefault("j", 1.0), p.getOrDefault("u", 1.0));
                name = "ring: sites=" + (int) sites + ", J=" + p.getOrDefault("j", 1.0) + ", U=" + p.getOrDefault("u", 1.0);
            }
            case "integrals" -> {
                ParameterException.require(!rest.isBlank(), "--model integrals", spec, "integrals:DIR with DIR/h.npy and DIR/V.npy");
                mi = ModeIntegrals.read(Path.of(rest));
                name = "integrals: " + rest;
            }
            default -> throw new ParameterException("--model", model, "toy | josephson:J=1,U=1 | ring:sites=8,J=1,U=1 | integrals:DIR");
        }
        if (!toy && modes != null && modes != mi.modes())
            throw new ParameterException("--modes", modes, "the model's " + mi.modes() + " modes (--modes sets the toy model's spatial modes)");
        cfg.put("model", spec);
        int m = mi.modes();
        String init = initial != null ? initial.trim() : null;
        FockSector sector;
        double[] psi0;
        double[] mf0 = null, weights = null;
        if (particles != null) ParameterException.require(particles >= 1, "--particles", particles, "integer N ≥ 1");
        if (init == null) {
            int n = particles == null ? 20 : particles;
            init = toy ? "fragment:" + (n / 2) + "," + (n - n / 2) : "fock:" + (n / 2) + "," + (n - n / 2) + ",0".repeat(Math.max(0, m - 2));
        }
        String ik = init.contains(":") ? init.substring(0, init.indexOf(':')).toLowerCase(Locale.ROOT) : init.toLowerCase(Locale.ROOT);
        String iv = init.contains(":") ? init.substring(init.indexOf(':') + 1) : "";
        switch (ik) {
            case "fragment" -> {
                if (!toy) throw new ParameterException("--initial", init, "fragment:N1,N2 only with --model toy");
                int[] nn = ints(iv, "--initial fragment", 2);
                ParameterException.require(nn[0] >= 0 && nn[1] >= 0 && nn[0] + nn[1] >= 2, "--initial fragment", iv, "N1, N2 ≥ 0 with N1 + N2 ≥ 2");
                if (particles != null) ParameterException.require(particles == nn[0] + nn[1], "--particles", particles, "N1 + N2 = " + (nn[0] + nn[1]));
                SpinSector ss = new SpinSector(m / 2, nn[0], nn[1]);
                sector = ss;
                checkSize(sector);
                psi0 = FockStates.fragment(ss);
                int n = nn[0] + nn[1];
                mf0 = new double[2 * (m / 2)];
                mf0[0] = 1;
                weights = new double[]{(double) nn[0] / n, (double) nn[1] / n};
            }
            case "fock" -> {
                int[] occ = ints(iv, "--initial fock", m);
                int n = 0;
                for (int x : occ) { ParameterException.require(x >= 0, "--initial fock", iv, "non-negative occupations"); n += x; }
                if (particles != null) ParameterException.require(particles == n, "--particles", particles, "the sum of the occupations, " + n);
                ParameterException.require(n >= 1, "--initial fock", iv, "at least one boson");
                if (toy) {
                    int a = 0;
                    for (int i = 0; i < m / 2; i++) a += occ[i];
                    sector = new SpinSector(m / 2, a, n - a);
                } else sector = new FockBasis(n, m);
                checkSize(sector);
                psi0 = FockStates.fock(sector, occ);
            }
            case "coherent" -> {
                int n = particles == null ? 20 : particles;
                ParameterException.require(n >= 1, "--particles", n, "≥ 1");
                double[] c = new double[2 * m];
                if (iv.isBlank()) {
                    int second = toy ? m / 2 : 1;
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
                sector = new FockBasis(n, m);
                checkSize(sector);
                psi0 = FockStates.coherent(sector, c);
                mf0 = c;
            }
            default -> throw new ParameterException("--initial", init, "coherent | coherent:a0,a1,... | fock:n0,n1,... | fragment:N1,N2");
        }
        cfg.put("initial", init);
        cfg.put("particles", sector.particles());
        cfg.put("time", time);
        cfg.put("dt", dt);
        cfg.put("tol", tol);
        cfg.put("method", method);
        cfg.put("operator", operator);
        if (backend != null) cfg.put("backend", backend);
        return new Setup(name, mi, spatial, sector, psi0, mf0, weights, cfg);
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
