package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hartree.api.SessionOptions;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.Interaction;
import io.hartree.api.Observables;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import io.hartree.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.*;

/**
 * End-to-end runs of {@code hartree run} on small grids: the run folder, summary.json against
 * its key table, the numbers in it against analytic values, psi_final.npy against an independent
 * propagation, reruns from config.toml, and resume after an interruption.
 */
class RunCommandTest {
    /** The backend under test. */
    static final String BACKEND = "cpu";

    /**
     * 32³ on L = 16 (dx = 0.5): the Riemann sums of the Gaussians involved are exact to
     * e^{−π²/dx²} ≈ 1e−17 and φ̂⁰ at the Nyquist wave number is e^{−(2π)²/2} ≈ 3e−9 in
     * amplitude, so grid errors in E(0) stay below 1e−12.
     */
    static final List<String> SMALL = List.of("--backend", BACKEND, "--grid", "32", "--box", "16", "--time", "0.05", "--observe-every", "5");

    /** Real time is unitary: the norm changes only by rounding, ~1e−15 per step; 1e−10 leaves a wide margin. */
    static final double NORM_TOL = 1e-10;

    /** E(0) for φ⁰ and V = λe^{−|x|²/(2σ²)}: h_νφ⁰ = 0, so E(0) = ½∫(V*ρ)ρ = ½λ(σ²/(σ²+1))^{3/2}. */
    static double analyticEnergy0(double lambda, double sigma) {
        return 0.5 * lambda * Math.pow(sigma * sigma / (sigma * sigma + 1), 1.5);
    }

    /** Grid and rounding error of E(0) on the grids used (see SMALL); 1e−10 is the brief's bar. */
    static final double ENERGY0_TOL = 1e-10;

    /**
     * The cpu backend against the reference backend on SMALL: the same Strang step, different FFTs
     * (FFTW vs single-threaded JTransforms), kernel tables and summation orders: rounding only,
     * measured max 2.2e−15 on psi_final and 8.3e−13 on the observables (relative to max(1, |value|)); 1e−11.
     */
    static final double CROSS_TOL = 1e-11;

    /**
     * Strang's deviation from the exact flow on SMALL: the splitting error of the oscillator part is
     * relative O((ν dt)²) = 1e−4 at ν dt = 0.01 (its modified Hamiltonian differs by (ν dt)²/12 terms).
     * Measured: |φ(t) − φ⁰| ≤ 2.0e−6, ⟨|x|²⟩ − 3/2 = −8.6e−6, E(t) − 0 = 1.1e−9 (V = 0); E(t) − E(0) =
     * −7.4e−7 (Gaussian V). A wrong phase or trap constant moves these by ~0.1 or more.
     */
    static final double STRANG_TOL = 1e-4;

    /** Two runs of the same input on one backend differ only by rounding of FFTs and sums: 1e−12. */
    static final double RERUN_TOL = 1e-12;

    @TempDir
    Path tmp;

    /** The key table of summary.json (src/test/resources/summary-run.keys): key and JSON type. */
    static final Map<String, String> summaryKeys = readKeys();

    static Map<String, String> readKeys() {
        Map<String, String> summaryKeys = new java.util.LinkedHashMap<>();
        try (var r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(RunCommandTest.class.getResourceAsStream("/summary-run.keys")), StandardCharsets.UTF_8))) {
            r.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(l -> {
                String[] f = l.split("\\s+");
                summaryKeys.put(f[0], f[1]);
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return summaryKeys;
    }

    static int run(List<String> args, StringBuilder stdout) {
        var cl = Main.commandLine();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunCommand rc = cl.getSubcommands().get("run").getCommand();
        rc.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = cl.execute(args.toArray(String[]::new));
        if (stdout != null) stdout.append(bytes.toString(StandardCharsets.UTF_8));
        return code;
    }

    static List<String> args(List<String> base, String... more) {
        List<String> a = new ArrayList<>();
        a.add("run");
        a.addAll(base);
        a.addAll(List.of(more));
        return a;
    }

    static JsonNode summary(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    /** Every key of the table is present with its type; the numbers are finite where they must be. */
    static void checkSchema(JsonNode s) {
        for (var e : summaryKeys.entrySet()) {
            String key = e.getKey();
            assertTrue(s.has(key), "summary.json lacks " + key);
            JsonNode v = s.get(key);
            boolean ok = switch (e.getValue()) {
                case "string" -> v.isTextual() && !v.asText().isEmpty();
                case "integer" -> v.isIntegralNumber();
                case "number" -> v.isNumber() && Double.isFinite(v.asDouble());
                case "array" -> v.isArray();
                case "object" -> v.isObject();
                case "null" -> true; // null or a value: resumed_from_step is null for a straight run
                default -> throw new IllegalStateException("unknown type " + e.getValue());
            };
            assertTrue(ok, "summary.json " + key + " should be " + e.getValue() + " but is " + v);
        }
        for (String t : List.of("setup_s", "propagate_s", "observe_s", "output_s", "total_s"))
            assertTrue(s.get("timings").get(t).isNumber(), "timings." + t);
        assertEquals(3, s.get("mean_x_final").size());
    }

    /**
     * The run folder of SMALL (cpu) against an independent computation: the test-scope
     * {@link ReferenceBackend} (single-threaded JTransforms, sampled kernel, the Strang step and the
     * observables written from the formulas) propagates the same problem, built here from the stated
     * physics (not from the CLI's config), from φ⁰ sampled here; every row of observables.csv, the
     * summary's numbers and psi_final.npy are compared with it, and the t = 0 row with closed forms.
     */
    @Test
    void smallRunWritesAConsistentFolder() throws Exception {
        Path dir = tmp.resolve("a");
        StringBuilder out = new StringBuilder();
        assertEquals(0, run(args(SMALL, "--nu", "10", "--interaction", "gaussian:lambda=1,sigma=1", "--conv", "periodic", "--scheme", "strang",
                "--dt", "1e-3", "--initial", "ground", "--out", dir.toString()), out), out.toString());
        for (String f : List.of("config.toml", "summary.json", "observables.csv", "psi_final.npy", "energy.png", "conservation.png", "position.png", "x2.png", "density_z0.png"))
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        assertFalse(Files.exists(dir.resolve("checkpoint.npy")), "the checkpoint is removed after success");
        JsonNode s = summary(dir);
        checkSchema(s);
        assertEquals(BACKEND, s.get("backend").asText());
        assertEquals(50, s.get("steps").asInt(), "t = 0.05 at dt = 1e-3");
        assertEquals(0.05, s.get("time_final").asDouble(), 1e-12);

        // Closed forms at t = 0 (φ⁰, h_νφ⁰ = 0): norm 1, E(0) = ½λ(σ²/(σ²+1))^{3/2}, ⟨|x|²⟩ = 3/2, |⟨φ⁰,φ⟩|² = 1, ⟨x⟩ = 0.
        List<Map<String, Double>> rows = csv(dir.resolve("observables.csv"));
        assertEquals(11, rows.size(), "steps 0, 5, ..., 50");
        Map<String, Double> first = rows.getFirst();
        assertEquals(1.0, first.get("norm"), NORM_TOL);
        assertEquals(analyticEnergy0(1, 1), first.get("energy"), ENERGY0_TOL, "E(0) = 0.1767766953");
        assertEquals(1.5, first.get("x2"), 1e-12);
        assertEquals(1.0, first.get("overlap0"), 1e-12);
        assertEquals(0.0, first.get("mean_x"), 1e-14);
        assertEquals(analyticEnergy0(1, 1), s.get("energy_initial").asDouble(), ENERGY0_TOL);
        assertEquals(1.5, s.get("x2_initial").asDouble(), 1e-12);

        // The reference propagation of the same problem, observed at the same steps.
        Grid3D g = new Grid3D(32, 16);
        HartreeProblem problem = new HartreeProblem(g, OneBodyOperator.paper(10), new Interaction.Gaussian(1, 1),
                ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-3);
        double[] expected = new double[2 * 32 * 32 * 32];
        List<Observables> ref = new ArrayList<>();
        try (HartreePropagator p = new ReferenceBackend().open(SessionOptions.defaults()).hartree(problem)) {
            p.load(phi0(g), 0);
            ref.add(p.observe());
            for (int step = 5; step <= 50; step += 5) {
                p.advance(5);
                ref.add(p.observe());
            }
            p.store(expected);
        }
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Double> r = rows.get(i);
            Observables o = ref.get(i);
            assertEquals(5 * i, r.get("step"), 0.0, "row " + i);
            double[][] pairs = {{r.get("time"), o.time()}, {r.get("norm"), o.norm()}, {r.get("energy"), o.energy()}, {r.get("kinetic"), o.kinetic()},
                    {r.get("trap"), o.trap()}, {r.get("interaction"), o.interaction()}, {r.get("chemical_potential"), o.chemicalPotential()},
                    {r.get("mean_x"), o.meanX()}, {r.get("mean_y"), o.meanY()}, {r.get("mean_z"), o.meanZ()}, {r.get("x2"), o.x2()},
                    {r.get("overlap0"), o.overlap0()}, {r.get("edge_mass"), o.edgeMass()}, {r.get("spectral_tail"), o.spectralTail()}};
            String[] names = {"time", "norm", "energy", "kinetic", "trap", "interaction", "chemical_potential", "mean_x", "mean_y", "mean_z", "x2", "overlap0", "edge_mass", "spectral_tail"};
            for (int c = 0; c < pairs.length; c++)
                assertEquals(pairs[c][1], pairs[c][0], CROSS_TOL * Math.max(1, Math.abs(pairs[c][1])), "row " + i + " (step " + 5 * i + ") " + names[c] + " vs the reference backend");
        }
        Observables last = ref.getLast();
        assertEquals(last.norm(), s.get("norm_final").asDouble(), CROSS_TOL);
        assertEquals(last.energy(), s.get("energy_final").asDouble(), CROSS_TOL);
        assertEquals(last.x2(), s.get("x2_final").asDouble(), CROSS_TOL);
        assertEquals(last.kinetic(), s.get("kinetic_final").asDouble(), CROSS_TOL);
        assertEquals(last.chemicalPotential(), s.get("chemical_potential_final").asDouble(), CROSS_TOL);
        assertEquals(last.overlap0(), s.get("overlap0_final").asDouble(), CROSS_TOL);
        // Real time conserves the norm and, up to the Strang error O(dt²), the energy; the state stays centred.
        assertEquals(1.0, s.get("norm_final").asDouble(), NORM_TOL);
        assertEquals(analyticEnergy0(1, 1), s.get("energy_final").asDouble(), STRANG_TOL, "E(t) = E(0)");
        for (JsonNode m : s.get("mean_x_final")) assertEquals(0, m.asDouble(), 1e-14, "⟨x⟩ of an even state");
        // The V*ρ self-interaction makes φ⁰ move: the state must differ from φ⁰ (so the comparison is not of two unchanged inputs).
        assertTrue(1 - last.overlap0() > 1e-7, "1 − |⟨φ⁰,φ(t)⟩|² = " + (1 - last.overlap0()));

        Npy.Array a = Npy.read(dir.resolve("psi_final.npy"), "test");
        assertArrayEquals(new long[]{32, 32, 32}, a.shape());
        assertTrue(a.complex());
        assertEquals(0, maxDiff(expected, a.data()), CROSS_TOL, "psi_final.npy vs the reference backend");
    }

    /** φ⁰(x) = π^{−3/4}e^{−|x|²/2} sampled on the grid, interleaved complex. */
    static double[] phi0(Grid3D g) {
        int n = g.n();
        double[] a = new double[2 * n * n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++)
                    a[2 * ((i * n + j) * n + k)] = Math.pow(Math.PI, -0.75) * Math.exp(-0.5 * (g.x(i) * g.x(i) + g.x(j) * g.x(j) + g.x(k) * g.x(k)));
        return a;
    }

    /** observables.csv read by its header names (independently of ObservablesCsv). */
    static List<Map<String, Double>> csv(Path file) throws java.io.IOException {
        List<String> lines = Files.readAllLines(file);
        String[] head = lines.getFirst().split(",");
        List<Map<String, Double>> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            assertEquals(head.length, f.length, l);
            Map<String, Double> m = new java.util.HashMap<>();
            for (int c = 0; c < head.length; c++) m.put(head[c], Double.parseDouble(f[c]));
            rows.add(m);
        }
        return rows;
    }

    @Test
    void configTomlRerunsTheSameJob() throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        assertEquals(0, run(args(SMALL, "--interaction", "gaussian:lambda=2,sigma=0.7", "--out", a.toString()), null));
        assertEquals(0, run(List.of("run", "--config", a.resolve("config.toml").toString(), "--out", b.toString()), null));
        assertEquals(Files.readString(a.resolve("config.toml")), Files.readString(b.resolve("config.toml")), "the rerun resolves to the same config");
        assertSameNumbers(summary(a), summary(b));
        assertEquals(analyticEnergy0(2, 0.7), summary(b).get("energy_initial").asDouble(), ENERGY0_TOL);
    }

    @Test
    void resumedRunEqualsAStraightRun() throws Exception {
        Path straight = tmp.resolve("straight"), cut = tmp.resolve("cut");
        assertEquals(0, run(args(SMALL, "--out", straight.toString()), null));
        StringBuilder out = new StringBuilder();
        // Stop at step 23, between observations (every 5), as an interruption would.
        assertEquals(0, run(args(SMALL, "--out", cut.toString(), "--stop-after-steps", "23"), out), out.toString());
        assertTrue(Files.exists(cut.resolve("checkpoint.npy")) && Files.exists(cut.resolve("checkpoint.json")));
        assertFalse(Files.exists(cut.resolve("summary.json")), "an interrupted run has no summary");
        assertFalse(Files.exists(cut.resolve("psi_final.npy")), "an interrupted run has no final state");
        out.setLength(0);
        assertEquals(0, run(List.of("run", "--resume", cut.toString()), out), out.toString());
        assertTrue(out.toString().contains("from step 23"), out.toString());

        double[] x = Npy.read(straight.resolve("psi_final.npy"), "t").data(), y = Npy.read(cut.resolve("psi_final.npy"), "t").data();
        assertEquals(0, maxDiff(x, y), RERUN_TOL, "resumed psi_final vs straight");
        List<ObservablesCsv.Row> rx = ObservablesCsv.read(straight.resolve("observables.csv")), ry = ObservablesCsv.read(cut.resolve("observables.csv"));
        assertEquals(rx.stream().map(ObservablesCsv.Row::step).toList(), ry.stream().map(ObservablesCsv.Row::step).toList(), "same observation steps");
        for (int i = 0; i < rx.size(); i++) {
            assertEquals(rx.get(i).o().time(), ry.get(i).o().time(), RERUN_TOL, "row " + i + " time");
            assertEquals(rx.get(i).o().energy(), ry.get(i).o().energy(), RERUN_TOL, "row " + i + " energy");
            assertEquals(rx.get(i).o().x2(), ry.get(i).o().x2(), RERUN_TOL, "row " + i + " x2");
        }
        JsonNode s = summary(cut);
        checkSchema(s);
        assertEquals(23, s.get("resumed_from_step").asInt());
        assertSameNumbers(summary(straight), s);
        assertFalse(Files.exists(cut.resolve("checkpoint.npy")));

        // A finished run cannot be resumed again.
        assertEquals(Main.EXIT_USAGE, run(List.of("run", "--resume", cut.toString()), null));
        // Physics options cannot be changed on resume.
        assertEquals(Main.EXIT_USAGE, run(List.of("run", "--resume", cut.toString(), "--dt", "0.002"), null));
    }

    /**
     * A backend that fails mid-run (after step 30's checkpoint, inside the advance to step 35):
     * exit 1, no summary, final state or plots; the checkpoint and the series up to it remain, and
     * --resume on a working backend finishes the run with the result of an uninterrupted one.
     */
    @Test
    void backendFailureLeavesNoResultsAndResumes() throws Exception {
        List<String> base = new ArrayList<>(SMALL);
        base.set(1, "reference");
        Path straight = tmp.resolve("straight"), failed = tmp.resolve("failed");
        assertEquals(0, run(args(base, "--out", straight.toString()), null));
        List<String> failing = new ArrayList<>(SMALL);
        failing.set(1, "failing");
        var cl = Main.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.getSubcommands().get("run").setErr(new java.io.PrintWriter(err, true));
        ((RunCommand) cl.getSubcommands().get("run").getCommand()).out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        // Checkpoint at every observation, so the last one is at step 30.
        int code = cl.execute(args(failing, "--checkpoint-every", "1e-9", "--out", failed.toString()).toArray(String[]::new));
        assertEquals(Main.EXIT_FAILURE, code);
        assertTrue(err.toString().contains("simulated device failure"), err.toString());
        for (String f : List.of("summary.json", "psi_final.npy", "energy.png", "density_z0.png"))
            assertFalse(Files.exists(failed.resolve(f)), f + " must not exist after a failure");
        assertEquals(30, new ObjectMapper().readTree(failed.resolve("checkpoint.json").toFile()).get("step").asInt());
        assertEquals(30, ObservablesCsv.read(failed.resolve("observables.csv")).getLast().step());

        assertEquals(0, run(List.of("run", "--resume", failed.toString(), "--backend", "reference"), null));
        double[] x = Npy.read(straight.resolve("psi_final.npy"), "t").data(), y = Npy.read(failed.resolve("psi_final.npy"), "t").data();
        assertEquals(0, maxDiff(x, y), RERUN_TOL, "resumed after failure vs straight");
        assertSameNumbers(summary(straight), summary(failed));
    }

    /**
     * A hand-written config with a few keys (integers where floats are meant): the rest are the
     * defaults, options given on the command line win, and config.toml records the canonical,
     * fully resolved values.
     */
    @Test
    void partialConfigAndOverrides() throws Exception {
        Path cfg = tmp.resolve("mine.toml"), dir = tmp.resolve("p");
        Files.writeString(cfg, "# mine\ngrid = 16\nbox = 16\nnu = 5\ntime = 0.01\ninteraction = \"GAUSSIAN:sigma=2\"\n");
        assertEquals(0, run(List.of("run", "--backend", BACKEND, "--config", cfg.toString(), "--nu", "2", "--out", dir.toString()), null));
        RunConfig c = RunConfig.defaults(RunConfig.RUN).with(RunConfig.readToml(dir.resolve("config.toml")));
        assertEquals(16, c.grid());
        assertEquals(2.0, c.nu(), "the option overrides the file");
        assertEquals(0.01, c.time());
        assertEquals(1e-3, c.dt(), "default");
        assertEquals("gaussian:lambda=1.0,sigma=2.0", c.interaction(), "canonical form, default lambda filled in");
        assertEquals(10, c.steps());
    }

    /** Warnings reach summary.json: a coarse step (ν·dt = 0.5) and a final time that is not a multiple of dt. */
    @Test
    void warningsAreReported() throws Exception {
        Path dir = tmp.resolve("w");
        assertEquals(0, run(List.of("run", "--backend", BACKEND, "--grid", "16", "--dt", "0.05", "--time", "0.125", "--out", dir.toString()), null));
        JsonNode s = summary(dir);
        assertEquals(3, s.get("steps").asInt(), "round(0.125/0.05) = round(2.5) = 3");
        assertEquals(0.15, s.get("time_final").asDouble(), 1e-12);
        String w = s.get("warnings").toString();
        assertTrue(w.contains("coarse time step") && w.contains("not a multiple of dt"), w);
    }

    @Test
    void forceOverwritesAnEarlierRun() throws Exception {
        Path dir = tmp.resolve("f");
        assertEquals(0, run(args(SMALL, "--out", dir.toString()), null));
        assertEquals(Main.EXIT_USAGE, run(args(SMALL, "--out", dir.toString()), null));
        assertEquals(0, run(args(SMALL, "--out", dir.toString(), "--force", "--interaction", "none"), null));
        // V = 0: E(0) = ⟨φ⁰, h_ν φ⁰⟩ = 0 up to grid error.
        JsonNode s = summary(dir);
        assertEquals(0.0, s.get("energy_initial").asDouble(), ENERGY0_TOL);
        // h_νφ⁰ = 0 (the −3 of h_ν cancels the zero-point energy): the exact flow leaves φ⁰ unchanged, phase
        // included (e^{−i·0·t}); Strang perturbs it by O((ν dt)²) (STRANG_TOL). A missing −3 would give the
        // phase e^{−i(3ν/2)t}, |1 − e^{−0.75i}|·max φ⁰ ≈ 0.31 at t = 0.05, ν = 10.
        double[] psi = Npy.read(dir.resolve("psi_final.npy"), "test").data();
        assertEquals(0, maxDiff(phi0(new Grid3D(32, 16)), psi), STRANG_TOL, "psi_final vs φ⁰ (phase 1)");
        assertEquals(1.0, s.get("norm_final").asDouble(), NORM_TOL);
        assertEquals(0.0, s.get("energy_final").asDouble(), STRANG_TOL, "E = ⟨φ⁰, h_νφ⁰⟩ = 0");
        assertEquals(1.0, s.get("overlap0_final").asDouble(), STRANG_TOL);
        assertEquals(1.5, s.get("x2_final").asDouble(), STRANG_TOL);
    }

    /** Numeric keys that depend on the input only (not on timing, host or session) are equal to RERUN_TOL. */
    static void assertSameNumbers(JsonNode a, JsonNode b) {
        List<String> skip = List.of("timings", "seconds_per_step", "finished", "resumed_from_step", "steps_this_session");
        int compared = 0;
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (skip.contains(k)) continue;
            JsonNode x = a.get(k), y = b.get(k);
            assertNotNull(y, k);
            if (x.isNumber()) {
                assertEquals(x.asDouble(), y.asDouble(), RERUN_TOL * Math.max(1, Math.abs(x.asDouble())), k);
                compared++;
            } else if (x.isTextual() && !k.equals("version") && !k.equals("device") && !k.equals("backend_selection")) {
                assertEquals(x.asText(), y.asText(), k);
            }
        }
        assertTrue(compared >= 20, "compared " + compared + " numbers");
    }

    static double maxDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
