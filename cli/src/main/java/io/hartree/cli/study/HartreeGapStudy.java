package io.hartree.cli.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Theorem 3.2 / (3.16) on the toy model (4.3)–(4.5): γ^(1)_∞,ν,t = |φ_t^ν⟩⟨φ_t^ν| ⊗ diag(n₁, n₂) with φ_t^ν
 * the Hartree flow (4.4) of φ⁰ under h_ν and V, computed by the engine's 3D split-step propagator;
 * γ^(1)_∞,∞,t = |φ⁰⟩⟨φ⁰| ⊗ diag(n₁, n₂) ((3.17)–(3.18): |Φ|² = |φ⁰|², so κ_j = √n_j e^{−iθ_j}e^{−iEt} and
 * K = diag(n₁, n₂)). Hence Tr|γ_∞,ν,t − γ_∞,∞,t| = 2√(1 − |⟨φ⁰, φ_t^ν⟩|²) (n₁ + n₂ = 1).
 *
 * <p>First-order perturbation theory in V/ν (docs/paper.md): with F = (V*|φ⁰|²)φ⁰ = c Π_d g(x_d),
 * F's weight w_n on the level n of h_1 (n even ≥ 2), s = νt,
 * 1 − |⟨φ⁰, φ_t⟩|² = ν^{−2} S(s) + O(ν^{−3}), S(s) = Σ_n 4 w_n sin²(ns/2)/n², so
 * sup_{t ≤ T} distance = C/ν + O(ν^{−2}), C = 2 sup_s √S(s) (period π in s; T = π/2 covers it for ν ≥ 1
 * since S(π − s) = S(s)).
 */
public final class HartreeGapStudy implements PointedStudy {
    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory JSON = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    /**
     * Pass band of the fitted exponent around the first-order prediction −1: the second order shifts
     * ν·distance by O(λ/ν) (measured −0.9 % at ν = 1, λ = 0.5), which tilts the slope by about 0.003.
     */
    static final double SLOPE_TOL = 0.02;
    /** The bound (3.16): the exponent must be ≤ −1/2 + this. */
    static final double BOUND_SLACK = 0.05;
    /**
     * Two-sided relative tolerance of ν·sup_t distance against C at the largest ν: the second order is
     * O(λ/ν) (−0.9 % at ν = 1, 0.04 % at ν = 16 measured), plus the resolution difference.
     */
    static final double CONSTANT_TOL = 0.01;
    /** Largest relative difference of the two resolutions allowed (convergence in grid and dt). */
    static final double CONVERGENCE_TOL = 0.01;

    /**
     * {@code propagated}: V of the grid flow; {@code predicted}: V of the perturbation theory (equal
     * except in the deliberately wrong test); coarse/fine: grid points and ν·dt of the two resolutions.
     */
    record Setup(Interaction.Gaussian propagated, Interaction.Gaussian predicted, double box, double[] nus, double horizon,
                 int coarseN, double coarseTau, int fineN, double fineTau) {}

    static Setup defaults(boolean full) {
        Interaction.Gaussian v = new Interaction.Gaussian(0.5, 1.0);
        double[] nus = full ? new double[]{1, 2, 4, 8, 16, 32, 64} : new double[]{1, 2, 4, 8, 16};
        return new Setup(v, v, 10.0, nus, Math.PI / 2, 32, 0.1, 40, 0.05);
    }

    public String name() { return "hartree-gap"; }

    public String summary() { return "Theorem 3.2 (3.16): 3D Hartree flow under h_nu vs its nu -> inf limit phi0 e^{-iEt}; exponent in nu vs bound -1/2 and first-order theory"; }

    public StudyResult run(StudyContext ctx) { return run(ctx, defaults(ctx.full())); }

    StudyResult run(StudyContext ctx, Setup s) { return PointedStudy.runSerial(this, ctx, json(s)); }

    public ObjectNode setup(boolean full) { return json(defaults(full)); }

    /** The setup as JSON (each V as {lambda, sigma}). */
    static ObjectNode json(Setup s) {
        ObjectNode j = JSON.objectNode();
        j.putObject("propagated").put("lambda", s.propagated().lambda()).put("sigma", s.propagated().sigma());
        j.putObject("predicted").put("lambda", s.predicted().lambda()).put("sigma", s.predicted().sigma());
        j.put("box", s.box());
        var nus = j.putArray("nus");
        for (double nu : s.nus()) nus.add(nu);
        return j.put("horizon", s.horizon()).put("coarse_n", s.coarseN()).put("coarse_tau", s.coarseTau()).put("fine_n", s.fineN()).put("fine_tau", s.fineTau());
    }

    static Setup setup(JsonNode j) {
        double[] nus = new double[j.get("nus").size()];
        for (int q = 0; q < nus.length; q++) nus[q] = j.get("nus").get(q).asDouble();
        return new Setup(gaussian(j.get("propagated")), gaussian(j.get("predicted")), j.get("box").asDouble(), nus, j.get("horizon").asDouble(),
                j.get("coarse_n").asInt(), j.get("coarse_tau").asDouble(), j.get("fine_n").asInt(), j.get("fine_tau").asDouble());
    }

    private static Interaction.Gaussian gaussian(JsonNode j) { return new Interaction.Gaussian(j.get("lambda").asDouble(), j.get("sigma").asDouble()); }

    /** One point per (ν, resolution): ν's coarse point, then its fine point. */
    public List<ObjectNode> points(JsonNode setup) {
        Setup s = setup(setup);
        List<ObjectNode> ps = new ArrayList<>();
        for (double nu : s.nus()) {
            ps.add(JSON.objectNode().put("nu", nu).put("n", s.coarseN()).put("tau", s.coarseTau()));
            ps.add(JSON.objectNode().put("nu", nu).put("n", s.fineN()).put("tau", s.fineTau()));
        }
        return ps;
    }

    /** sup_t distance of one (ν, grid, ν·dt), its time and the backend. */
    public ObjectNode runPoint(StudyContext ctx, JsonNode setup, JsonNode point) {
        long t0 = System.nanoTime();
        double nu = point.get("nu").asDouble();
        int n = point.get("n").asInt();
        double sup = supDistance(ctx, setup(setup), nu, n, point.get("tau").asDouble());
        ctx.log().printf(Locale.ROOT, "hartree-gap: nu=%g sup distance %.6g (%dc)%n", nu, sup, n);
        return JSON.objectNode().put("sup_distance", sup).put("seconds", (System.nanoTime() - t0) * 1e-9).put("backend", ctx.backendDescription());
    }

    public StudyResult assemble(StudyContext ctx, JsonNode setup, List<JsonNode> results) {
        Setup s = setup(setup);
        Output o = new Output(ctx.out());
        List<String> reasons = new ArrayList<>();
        Perturbation pt = Perturbation.of(s.predicted());
        double[] nus = s.nus();
        double[] coarse = new double[nus.length], fine = new double[nus.length], predicted = new double[nus.length];
        List<double[]> rows = new ArrayList<>();
        double worstConv = 0, seconds = 0;
        for (JsonNode r : results) seconds += r.get("seconds").asDouble();
        String backend = results.isEmpty() ? "" : results.getFirst().get("backend").asText();
        for (int q = 0; q < nus.length; q++) {
            coarse[q] = results.get(2 * q).get("sup_distance").asDouble();
            fine[q] = results.get(2 * q + 1).get("sup_distance").asDouble();
            // the prediction on the coarse run's sample points s = jτ (the same for every ν since dt = τ/ν)
            predicted[q] = pt.supDistance(nus[q], s.coarseTau(), s.horizon());
            double conv = Math.abs(coarse[q] - fine[q]) / fine[q];
            worstConv = Math.max(worstConv, conv);
            rows.add(new double[]{nus[q], coarse[q], fine[q], conv, predicted[q], nus[q] * fine[q]});
        }
        LogLogFit fit = LogLogFit.fit(nus, fine);
        int last = nus.length - 1;
        double constant = nus[last] * fine[last];
        double constantError = Math.abs(constant - pt.constant()) / pt.constant();
        if (!(worstConv <= CONVERGENCE_TOL))
            reasons.add(String.format(Locale.ROOT, "resolutions differ by %.3g relative (> %.2g): not converged in grid and dt", worstConv, CONVERGENCE_TOL));
        if (!fit.within(-1, SLOPE_TOL))
            reasons.add("exponent in ν " + fit + " outside the first-order −1 ± " + SLOPE_TOL);
        if (!(fit.slope() <= -0.5 + BOUND_SLACK))
            reasons.add("exponent in ν " + fit + " slower than the bound's −1/2");
        if (!(constantError <= CONSTANT_TOL))
            reasons.add(String.format(Locale.ROOT, "ν·sup_t distance at ν = %s is %.6g, first-order constant C = %.6g: relative difference %.3g > %.2g",
                    Output.g(nus[last]), constant, pt.constant(), constantError, CONSTANT_TOL));
        boolean pass = reasons.isEmpty();
        if (pass) reasons.add(String.format(Locale.ROOT, "exponent %s within −1 ± %.2f and ≤ −1/2; ν·distance at ν = %s within %.3g of C = %.6g; resolutions agree to %.2g",
                fit, SLOPE_TOL, Output.g(nus[last]), constantError, pt.constant(), worstConv));
        o.fit("nu_exponent", fit);
        o.figure("nu_times_distance", constant);
        o.figure("first_order_constant", pt.constant());
        o.figure("constant_relative_error", constantError);
        o.figure("resolution_difference", worstConv);
        o.csv("hartree_gap.csv", "nu,sup_dist_coarse,sup_dist_fine,relative_difference,first_order_prediction,nu_times_sup_dist_fine", rows);
        double[] bound = new double[nus.length];
        for (int q = 0; q < nus.length; q++) bound[q] = fine[0] * Math.sqrt(nus[0] / nus[q]);
        o.png("hartree_gap.png", new Output.Plot("Theorem 3.2: sup_t<=T Tr|gamma_inf,nu,t - gamma_inf,inf,t|, T = pi/2", "nu", "trace distance", true, true)
                .measured("grid " + s.coarseN() + "^3, nu dt = " + s.coarseTau(), nus, coarse)
                .measured("grid " + s.fineN() + "^3, nu dt = " + s.fineTau(), nus, fine)
                .predicted("first order C/nu-form", nus, predicted)
                .predicted("bound (3.16) ~ nu^-1/2", nus, bound));
        String body = "# Study `hartree-gap`: Theorem 3.2, bound (3.16), on the toy model\n\n## Statement\n\n"
                + "Toy model (4.3)–(4.5): γ^(1)_∞,ν,t = |φ_t⟩⟨φ_t| ⊗ diag(n₁, n₂), φ_t the Hartree flow (4.4) of φ⁰ under h_ν and V; "
                + "the ν → ∞ limit (3.17)–(3.18) is γ^(1)_∞,∞,t = |φ⁰⟩⟨φ⁰| ⊗ diag(n₁, n₂) (φ_t^∞ = φ⁰e^{−iEt}, E = ⟨φ⁰, (V*|φ⁰|²)φ⁰⟩). "
                + "So Tr|γ_∞,ν,t − γ_∞,∞,t| = 2√(1 − |⟨φ⁰, φ_t⟩|²), for any n₁ + n₂ = 1. (3.16) bounds it by Ae^{At}/√ν; first-order "
                + "perturbation theory in V/ν (docs/paper.md) predicts sup_{t≤T} = C/ν + O(ν^{−2}).\n\n"
                + "## Command\n\n`hartree study hartree-gap" + (ctx.full() ? " --full" : "") + "` (V = " + s.propagated().spec()
                + (s.predicted().equals(s.propagated()) ? "" : ", prediction with V = " + s.predicted().spec())
                + ", box L = " + s.box() + ", padded convolution, fourth-order splitting, real time, T = π/2, backend " + backend + ")\n\n"
                + "## Perturbation theory\n\n"
                + String.format(Locale.ROOT, "E = ⟨φ⁰, F⟩ = %.10g (closed form λ(σ²/(σ² + 1))^{3/2} = %.10g); ‖QF‖² = Σ_n w_n = %.10g (grid Riemann sum on %d³: %.10g); "
                        + "C = 2 sup_s √S(s) = %.10g (sup at s = %.4g, on the samples s = j·%s).%n%n",
                pt.energy(), pt.energyCheck(), pt.excitedWeight(), s.coarseN(), Perturbation.gridExcitedWeight(s.predicted(), new Grid3D(s.coarseN(), s.box())),
                pt.constant(), pt.argmax(), Output.g(s.coarseTau()))
                + Output.table(new String[]{"level n", "w_n"}, pt.levels(8))
                + "\n## Convergence in grid and dt\n\n"
                + String.format(Locale.ROOT, "Coarse: %d³ points, dt = %s/ν; fine: %d³, dt = %s/ν. Largest relative difference of sup_t distance: %.3g (tolerance %.2g). Time %.1f s (the points' sum).%n%n",
                s.coarseN(), Output.g(s.coarseTau()), s.fineN(), Output.g(s.fineTau()), worstConv, CONVERGENCE_TOL, seconds)
                + Output.table(new String[]{"ν", "sup_t dist (coarse)", "sup_t dist (fine)", "relative difference", "first order", "ν · sup_t dist (fine)"},
                rows.stream().map(r -> new String[]{Output.g(r[0]), Output.g(r[1]), Output.g(r[2]), Output.g(r[3]), Output.g(r[4]), Output.g(r[5])}).toList())
                + "\n## Exponent\n\n"
                + "Least squares of log sup_t distance (fine) on log ν, slope ± standard error: " + fit + ". First order predicts −1 (tolerance ± " + SLOPE_TOL
                + ", two-sided); the bound (3.16) requires ≤ −1/2 (one-sided, slack " + BOUND_SLACK + "). Constant: ν·sup_t distance at ν = " + Output.g(nus[last])
                + " is " + Output.g(constant) + " against C = " + Output.g(pt.constant()) + String.format(Locale.ROOT, " (relative %.3g, tolerance %.2g two-sided: the second order is O(λ/ν)).%n%n", constantError, CONSTANT_TOL)
                + "Data: `hartree_gap.csv`. Plot: `hartree_gap.png`.\n\n";
        return o.report(name(), body, pass, reasons);
    }

    /** sup over the steps t = j·dt ≤ horizon of 2√(1 − |⟨φ⁰, φ_t⟩|²), dt = tau/ν, on an n³ grid. */
    static double supDistance(StudyContext ctx, Setup s, double nu, int n, double tau) {
        Grid3D grid = new Grid3D(n, s.box());
        double dt = tau / nu;
        int steps = (int) Math.ceil(s.horizon() / dt - 1e-9);
        HartreeProblem p = new HartreeProblem(grid, OneBodyOperator.paper(nu), s.propagated(), ConvolutionMode.PADDED, Scheme.FOURTH, TimeMode.REAL, dt);
        double[] phi0 = new InitialState.Ground().sample(grid), psi = new double[phi0.length];
        double sup = 0;
        try (HartreePropagator prop = ctx.hartree(p)) {
            prop.load(phi0, 0);
            for (int j = 0; j < steps; j++) {
                prop.advance(1);
                prop.store(psi);
                sup = Math.max(sup, distance(phi0, psi));
            }
        }
        return sup;
    }

    /**
     * Tr| |ψ⟩⟨ψ| ⊗ diag(n₁, n₂) − |φ⟩⟨φ| ⊗ diag(n₁, n₂) | for n₁ + n₂ = 1 and ψ, φ normalised (here by their
     * grid norms): 2√(1 − |⟨φ, ψ⟩|²) (interleaved complex arrays; the volume element cancels).
     */
    static double distance(double[] phi, double[] psi) {
        double re = 0, im = 0, nf = 0, np = 0;
        for (int i = 0; i < phi.length; i += 2) {
            re += phi[i] * psi[i] + phi[i + 1] * psi[i + 1];
            im += phi[i] * psi[i + 1] - phi[i + 1] * psi[i];
            nf += phi[i] * phi[i] + phi[i + 1] * phi[i + 1];
            np += psi[i] * psi[i] + psi[i + 1] * psi[i + 1];
        }
        return 2 * Math.sqrt(Math.max(0, 1 - (re * re + im * im) / (nf * np)));
    }

    /**
     * First-order perturbation theory for V Gaussian (λ, σ): W = V*|φ⁰|² = λ(σ²/(σ² + ½))^{3/2} e^{−γ|x|²},
     * γ = 1/(2σ² + 1); F = Wφ⁰ = c Π_d g(x_d), c = λ(σ²/(σ² + ½))^{3/2}, g = π^{−1/4}e^{−(½ + γ)x²}. With the
     * Hermite functions ψ_j, b_j = ⟨ψ_j, g⟩: b_0 = β^{−1/2}, b_{j+2} = b_j q √((j+1)/(j+2)), β = 1 + γ,
     * q = 1/β − 1 (odd j vanish); w_n = c² Σ_{j₁+j₂+j₃=n} b²_{j₁}b²_{j₂}b²_{j₃}.
     */
    record Perturbation(double[] weights, double energy, double energyCheck, double excitedWeight, double constant, double argmax) {
        static final int JMAX = 80;

        static Perturbation of(Interaction.Gaussian v) {
            double s2 = v.sigma() * v.sigma(), gamma = 1 / (2 * s2 + 1), beta = 1 + gamma, q = 1 / beta - 1;
            double c = v.lambda() * Math.pow(s2 / (s2 + 0.5), 1.5);
            double[] b2 = new double[JMAX + 1];
            double b = 1 / Math.sqrt(beta);
            for (int j = 0; j <= JMAX; j += 2) {
                b2[j] = b * b;
                b *= q * Math.sqrt((j + 1.0) / (j + 2.0));
            }
            double[] w = new double[JMAX + 1];
            for (int i = 0; i <= JMAX; i += 2)
                for (int j = 0; i + j <= JMAX; j += 2)
                    for (int k = 0; i + j + k <= JMAX; k += 2) w[i + j + k] += c * c * b2[i] * b2[j] * b2[k];
            double e = c * Math.pow(b2[0], 1.5);
            double excited = 0;
            for (int n = 2; n <= JMAX; n++) excited += w[n];
            // sup over s of S(s) on a fine grid of one period [0, π]
            double best = 0, arg = 0;
            for (int i = 0; i <= 20000; i++) {
                double sv = Math.PI * i / 20000, val = series(w, sv);
                if (val > best) { best = val; arg = sv; }
            }
            // closed form of E = √(2/π)∫r²V(r)e^{−r²/2}dr for the Gaussian: λ(σ²/(σ² + 1))^{3/2}
            double check = v.lambda() * Math.pow(s2 / (s2 + 1), 1.5);
            return new Perturbation(w, e, check, excited, 2 * Math.sqrt(best), arg);
        }

        /** S(s) = Σ_{n ≥ 2} 4 w_n sin²(ns/2)/n². */
        static double series(double[] w, double s) {
            double sum = 0;
            for (int n = 2; n < w.length; n++) if (w[n] != 0) { double sn = Math.sin(0.5 * n * s); sum += 4 * w[n] * sn * sn / ((double) n * n); }
            return sum;
        }

        /** First-order sup over the samples s = j·tau ≤ ν·horizon of 2√S(s)/ν. */
        double supDistance(double nu, double tau, double horizon) {
            int steps = (int) Math.ceil(horizon * nu / tau - 1e-9);
            double best = 0;
            for (int j = 1; j <= steps; j++) best = Math.max(best, series(weights, j * tau));
            return 2 * Math.sqrt(best) / nu;
        }

        List<String[]> levels(int max) {
            List<String[]> r = new ArrayList<>();
            for (int n = 0; n <= 2 * max; n += 2) r.add(new String[]{Integer.toString(n), Output.g(weights[n])});
            return r;
        }

        /** ‖F‖² − |⟨φ⁰, F⟩|² by Riemann sums of the analytic F = (V*|φ⁰|²)φ⁰ on the grid (independent of the Hermite series). */
        static double gridExcitedWeight(Interaction.Gaussian v, Grid3D grid) {
            double s2 = v.sigma() * v.sigma(), gamma = 1 / (2 * s2 + 1);
            double c = v.lambda() * Math.pow(s2 / (s2 + 0.5), 1.5) * Math.pow(Math.PI, -0.75);
            double ff = 0, pf = 0;
            int n = grid.n();
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) {
                        double r2 = grid.x(i) * grid.x(i) + grid.x(j) * grid.x(j) + grid.x(k) * grid.x(k);
                        double phi = Math.pow(Math.PI, -0.75) * Math.exp(-0.5 * r2), f = c * Math.exp(-(0.5 + gamma) * r2);
                        ff += f * f;
                        pf += phi * f;
                    }
            double dv = grid.dV();
            return ff * dv - pf * dv * pf * dv;
        }
    }
}
