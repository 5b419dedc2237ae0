package io.hartree.cli.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hartree.api.fock.FockBasis;
import io.hartree.api.fock.FockEvolution;
import io.hartree.api.fock.FockHamiltonian;
import io.hartree.api.fock.FockObservables;
import io.hartree.api.fock.FockStates;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.fragment.GroundSpaceFlow;
import io.hartree.api.fragment.PhaseAveragedFlow;
import io.hartree.api.fragment.PhaseEnsemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Issue 12 item 5, {@code rank-growth} part (i): where fragmentation does evolve. The two-mode
 * Bose–Josephson model H = −J(a_0†a_1 + h.c.) + U/(2N) Σ n_i(n_i − 1) from the Fock state
 * |N₁, N₂⟩ (N_j = n_j N) against its phase-averaged two-mode Hartree flow
 * i κ̇_0 = −J κ_1 + U|κ_0|²κ_0 (and 0 ↔ 1), κ(0) = (√n₁, √n₂ e^{−iθ}), γ_∞,t = avg_θ |κ⟩⟨κ| = K(t)
 * ((3.12)/(3.15) in a mode basis, {@link GroundSpaceFlow}). Unlike the paper's toy model, K(t) is
 * not diagonal (tunnelling) and its eigenvalues move away from (n₁, n₂) (the interaction dephases
 * the phase samples): the fragmentation itself evolves.
 *
 * <p>Measured: Tr|γ^(k)_{N,t} − γ^(k)_{∞,t}| (k = 1, 2) for N over a doubling range at several t;
 * Theorem 3.1 / (3.14) predicts A_k e^{A_k t}/N. Verdicts (all two-sided where a value is predicted):
 * the fitted exponent in N within −1 ± (3·SE + {@link #SLOPE_BIAS}); N·Tr|…| converged at the
 * largest N (relative halving change ≤ {@link #CONSTANT_TOL}); the phase quadrature converged
 * (Tr|γ_Q − γ_{Q/2}| ≤ {@link #QUADRATURE_FRACTION} of the smallest measured distance); K(t)
 * off-diagonal beyond the quadrature error.
 *
 * <p>Part (ii), {@link DoubleWellPart}: the 3D double well, where γ_∞,t acquires infinite rank
 * (§1.7), the weight outside its two leading orbitals falls like gap^−2, and |N₁, N₂⟩ in grid
 * modes meets the phase-averaged flow in the same modes. The default runs both parts; the
 * {@code run(ctx, s, dw)} overload runs either.
 */
public final class RankGrowthStudy implements PointedStudy {
    /** Allowance for the O(N⁻²) remainder's bias of the fitted slope on the fitted range (added to 3 standard errors). */
    static final double SLOPE_BIAS = 0.03;
    /** |c(N_max) − c(N_max/2)| / c(N_max) must stay below this for "N·Tr|…| tends to a constant". */
    static final double CONSTANT_TOL = 0.1;
    /** The phase quadrature's halving difference must be below this fraction of the smallest distance measured. */
    static final double QUADRATURE_FRACTION = 0.01;
    /** Natural occupations of γ_∞,t are counted above these thresholds. */
    static final double[] THRESHOLDS = {1e-4, 1e-5, 1e-6, 1e-7, 1e-8};

    /**
     * @param j         tunnelling J
     * @param u         interaction U of the many-body H
     * @param hartreeU  interaction U of the Hartree flow (= u; differs only to show the study fails)
     * @param n1        fraction n₁ = N₁/N (n₁N must be an integer for every N)
     * @param particles N, increasing, each twice the previous (the constant's halving check)
     * @param times     measurement times, > 0, on the grid tMax·i/steps
     * @param steps     time steps of the fine grid for K(t) and ranks
     * @param phases    Q nodes of the relative phase (even: halving estimate)
     * @param fitFrom   the exponent is fitted on N ≥ fitFrom
     * @param tol       Krylov / DOPRI5 tolerance
     */
    record Setup(double j, double u, double hartreeU, double n1, int[] particles, double[] times, int steps, int phases, int fitFrom, double tol) {}

    static Setup defaults(boolean full) {
        int[] ns = full ? new int[]{20, 40, 80, 160, 320, 640, 1280, 2560, 5120} : new int[]{20, 40, 80, 160, 320, 640};
        return new Setup(1, 2, 2, 0.75, ns, new double[]{0.5, 1, 2, 4}, 40, full ? 512 : 256, 80, 1e-12);
    }

    public String name() { return "rank-growth"; }

    public String summary() { return "Issue 12: (i) Josephson |N1,N2> vs phase-averaged Hartree, N*Tr|g_N - g_inf| -> const; (ii) 3D double well: rank of g_inf grows, weight ~ gap^-2, many-body vs flow"; }

    public StudyResult run(StudyContext ctx) {
        return run(ctx, defaults(ctx.full()), DoubleWellPart.defaults(ctx.full()));
    }

    /** Everything the report states, [time][N] where two indices. */
    record Measured(double[] fineTimes, double[][] kMatrix, double[][] kOccupations, int[][] rank1, int[][] rank2, double[] halving1, double[] halving2,
                    double[][] dist1, double[][] dist2, double[][] mbOccupations) {}

    Measured measure(StudyContext ctx, Setup s) {
        double[] fine = new double[s.steps() + 1];
        double tMax = Arrays.stream(s.times()).max().orElseThrow();
        for (int i = 0; i <= s.steps(); i++) fine[i] = tMax * i / s.steps();
        int[] at = new int[s.times().length];
        for (int b = 0; b < at.length; b++) {
            at[b] = (int) Math.round(s.times()[b] / tMax * s.steps());
            if (Math.abs(fine[at[b]] - s.times()[b]) > 1e-12) throw new IllegalArgumentException("time " + s.times()[b] + " is not on the grid of " + s.steps() + " steps");
        }
        long t0 = System.nanoTime();
        double[] fr = {s.n1(), 1 - s.n1()};
        GroundSpaceFlow flow = new GroundSpaceFlow(ModeIntegrals.josephson(s.j(), s.hartreeU()), s.tol());
        PhaseAveragedFlow.Result res = flow.evolve(fr, s.phases(), fine);
        int nt = fine.length;
        double[][] k = new double[nt][], kOcc = new double[nt][];
        int[][] r1 = new int[nt][THRESHOLDS.length], r2 = new int[nt][THRESHOLDS.length];
        double[] h1 = new double[nt], h2 = new double[nt];
        for (int i = 0; i < nt; i++) {
            PhaseEnsemble e = res.at(i);
            k[i] = e.matrix(1);
            kOcc[i] = GroundSpaceFlow.occupations(k[i], 2);
            // γ^(1) = K (2×2) and γ^(2) (4×4) in the mode basis: their eigenvalues are the natural occupations
            double[] o1 = kOcc[i], o2 = HermitianEigen.eigenvalues(e.matrix(2), 4);
            for (int q = 0; q < THRESHOLDS.length; q++) {
                for (double x : o1) if (x > THRESHOLDS[q]) r1[i][q]++;
                for (double x : o2) if (x > THRESHOLDS[q]) r2[i][q]++;
            }
            h1[i] = res.halvingDifference(1, i);
            h2[i] = res.halvingDifference(2, i);
        }
        ctx.log().printf(Locale.ROOT, "rank-growth: phase-averaged flow, Q = %d, %d times done (%.1f s)%n", s.phases(), nt, (System.nanoTime() - t0) / 1e9);
        int nn = s.particles().length, mt = s.times().length;
        double[][] d1 = new double[mt][nn], d2 = new double[mt][nn], mbOcc = new double[mt][nn];
        ModeIntegrals mb = ModeIntegrals.josephson(s.j(), s.u());
        for (int a = 0; a < nn; a++) {
            int n = s.particles()[a];
            int n1 = (int) Math.round(s.n1() * n);
            if (Math.abs(n1 - s.n1() * n) > 1e-9) throw new IllegalArgumentException("n1·N = " + s.n1() * n + " is not an integer at N = " + n);
            FockBasis basis = new FockBasis(n, 2);
            var h = FockHamiltonian.of(basis, mb).toCsr();
            try (FockEvolution ev = new FockEvolution(ctx.fock(), h, FockStates.fock(basis, new int[]{n1, n - n1}), FockEvolution.Method.AUTO, s.tol())) {
                for (int b = 0; b < mt; b++) {
                    ev.advance(s.times()[b] - ev.time());
                    double[] g1 = FockObservables.gamma1(basis, ev.state()), g2 = FockObservables.gamma2(basis, ev.state());
                    PhaseEnsemble e = res.at(at[b]);
                    d1[b][a] = e.traceDistance(1, g1, null);
                    d2[b][a] = e.traceDistance(2, g2, null);
                    mbOcc[b][a] = FockObservables.naturalOccupations(g1, 2)[1];
                }
                ctx.log().printf(Locale.ROOT, "rank-growth: N=%d (dim %d, %s) done (%.1f s)%n", n, basis.dimension(), ev.method(), (System.nanoTime() - t0) / 1e9);
            }
        }
        return new Measured(fine, k, kOcc, r1, r2, h1, h2, d1, d2, mbOcc);
    }

    /** Part (i) alone (the tests of part (i)). */
    StudyResult run(StudyContext ctx, Setup s) {
        return run(ctx, s, null);
    }

    /**
     * Part (i) with {@code s} and part (ii) ({@link DoubleWellPart}) with {@code dw}; either may be
     * null (that part is skipped), not both. One report, one results.json, one verdict (both parts must pass).
     */
    StudyResult run(StudyContext ctx, Setup s, DoubleWellPart.Setup dw) {
        return PointedStudy.runSerial(this, ctx, json(s, dw));
    }

    /** The setup as JSON: {"josephson": part (i) or null, "double_well": part (ii) or null}. */
    static ObjectNode json(Setup s, DoubleWellPart.Setup dw) {
        if (s == null && dw == null) throw new IllegalArgumentException("rank-growth: no part to run");
        ObjectNode j = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        j.set("josephson", s == null ? j.nullNode() : PointedStudy.tree(s));
        j.set("double_well", dw == null ? j.nullNode() : PointedStudy.tree(dw));
        return j;
    }

    private static Setup partOneSetup(JsonNode setup) {
        JsonNode j = setup.get("josephson");
        return j == null || j.isNull() ? null : PointedStudy.value(j, Setup.class);
    }

    private static DoubleWellPart.Setup partTwoSetup(JsonNode setup) {
        JsonNode j = setup.get("double_well");
        return j == null || j.isNull() ? null : PointedStudy.value(j, DoubleWellPart.Setup.class);
    }

    public ObjectNode setup(boolean full) { return json(defaults(full), DoubleWellPart.defaults(full)); }

    /** Part (i) as one point ({"josephson": true}), then part (ii)'s: one per gap ν (the first with the many-body side), one per rank run. */
    public List<ObjectNode> points(JsonNode setup) {
        List<ObjectNode> ps = new ArrayList<>();
        if (partOneSetup(setup) != null) ps.add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("josephson", true));
        DoubleWellPart.Setup dw = partTwoSetup(setup);
        if (dw != null) ps.addAll(DoubleWellPart.points(dw));
        return ps;
    }

    public ObjectNode runPoint(StudyContext ctx, JsonNode setup, JsonNode point) {
        if (point.has("josephson")) {
            Measured m = measure(ctx, partOneSetup(setup));
            return PointedStudy.tree(m).put("backend", ctx.backendDescription());
        }
        return PointedStudy.tree(DoubleWellPart.point(ctx, partTwoSetup(setup), point));
    }

    public StudyResult assemble(StudyContext ctx, JsonNode setup, List<JsonNode> results) {
        Setup s = partOneSetup(setup);
        DoubleWellPart.Setup dw = partTwoSetup(setup);
        Output o = new Output(ctx.out());
        StringBuilder body = new StringBuilder();
        List<String> reasons = new ArrayList<>();
        boolean pass = true;
        int from = 0;
        if (s != null) {
            JsonNode r = results.getFirst();
            DoubleWellPart.Part one = partOne(r.get("backend").asText(), ctx.full(), s, PointedStudy.value(((ObjectNode) r.deepCopy()).without("backend"), Measured.class), o);
            body.append(one.body());
            reasons.addAll(one.reasons());
            pass &= one.pass();
            from = 1;
        }
        if (dw != null) {
            List<DoubleWellPart.PointResult> two = new ArrayList<>();
            for (JsonNode r : results.subList(from, results.size())) two.add(PointedStudy.value(r, DoubleWellPart.PointResult.class));
            DoubleWellPart.Part part = DoubleWellPart.assemble(ctx, dw, two, o);
            body.append(part.body());
            reasons.addAll(part.reasons());
            pass &= part.pass();
        }
        return o.report(name(), body.toString(), pass, reasons);
    }

    private DoubleWellPart.Part partOne(String backend, boolean full, Setup s, Measured m, Output o) {
        int[] ns = s.particles();
        int nn = ns.length, mt = s.times().length;
        double[] nx = Arrays.stream(ns).asDoubleStream().toArray();
        int from = 0;
        while (from < nn && ns[from] < s.fitFrom()) from++;
        double[] fx = Arrays.copyOfRange(nx, from, nn);
        List<String> reasons = new ArrayList<>();
        boolean pass = true;
        List<double[]> rows = new ArrayList<>();
        List<String[]> table = new ArrayList<>(), fitTable = new ArrayList<>();
        Output.Plot dPlot = new Output.Plot("Tr|gamma^(1)_N,t - gamma^(1)_inf,t| (Josephson, J = " + Output.g(s.j()) + ", U = " + Output.g(s.u()) + ")", "N", "trace distance", true, true);
        Output.Plot cPlot = new Output.Plot("N Tr|gamma^(k)_N,t - gamma^(k)_inf,t|", "N", "N x trace distance", true, false);
        double minDist = Double.POSITIVE_INFINITY;
        for (int b = 0; b < mt; b++) {
            double t = s.times()[b];
            double[] c1 = new double[nn], c2 = new double[nn];
            for (int a = 0; a < nn; a++) {
                c1[a] = ns[a] * m.dist1()[b][a];
                c2[a] = ns[a] * m.dist2()[b][a];
                minDist = Math.min(minDist, Math.min(m.dist1()[b][a], m.dist2()[b][a]));
                rows.add(new double[]{ns[a], t, m.dist1()[b][a], c1[a], m.dist2()[b][a], c2[a], m.mbOccupations()[b][a]});
                table.add(new String[]{Integer.toString(ns[a]), Output.g(t), Output.g(m.dist1()[b][a]), Output.g(c1[a]), Output.g(m.dist2()[b][a]), Output.g(c2[a])});
            }
            for (int k = 1; k <= 2; k++) {
                double[] d = k == 1 ? m.dist1()[b] : m.dist2()[b], c = k == 1 ? c1 : c2;
                LogLogFit fit = LogLogFit.fit(fx, Arrays.copyOfRange(d, from, nn));
                double tol = 3 * fit.slopeError() + SLOPE_BIAS;
                boolean slopeOk = fit.within(-1, tol);
                double change = Math.abs(c[nn - 1] - c[nn - 2]) / c[nn - 1];
                double limit = 2 * c[nn - 1] - c[nn - 2];
                boolean constOk = change <= CONSTANT_TOL;
                pass &= slopeOk && constOk;
                String tag = "k" + k + "_t" + Output.g(t);
                o.fit("n_exponent_" + tag, fit);
                o.figure("n_times_distance_limit_" + tag, limit);
                fitTable.add(new String[]{Output.g(t), Integer.toString(k), fit.toString(), String.format(Locale.ROOT, "−1 ± %.4f", tol), slopeOk ? "yes" : "NO",
                        Output.g(c[nn - 2]), Output.g(c[nn - 1]), Output.g(limit), String.format(Locale.ROOT, "%.3g", change), constOk ? "yes" : "NO"});
                if (!slopeOk) reasons.add(String.format(Locale.ROOT, "k = %d, t = %s: fitted exponent %s outside −1 ± %.4f (3·SE + %.2f)", k, Output.g(t), fit, tol, SLOPE_BIAS));
                if (!constOk) reasons.add(String.format(Locale.ROOT, "k = %d, t = %s: N·Tr|…| changes by %.3g (relative) from N = %d to %d, above %.2g: not tending to a constant",
                        k, Output.g(t), change, ns[nn - 2], ns[nn - 1], CONSTANT_TOL));
            }
            dPlot.measured("t = " + Output.g(t), nx, m.dist1()[b]);
            double[] pred = new double[nn];
            for (int a = 0; a < nn; a++) pred[a] = m.dist1()[b][nn - 1] * ns[nn - 1] / ns[a];
            dPlot.predicted("1/N, t = " + Output.g(t), nx, pred);
            cPlot.measured("k = 1, t = " + Output.g(t), nx, c1).measured("k = 2, t = " + Output.g(t), nx, c2);
        }
        // the phase quadrature and K(t)
        int nt = m.fineTimes().length;
        double maxHalving = 0, minOffDiag = Double.POSITIVE_INFINITY, maxOffDiag = 0, maxShift = 0;
        List<double[]> kRows = new ArrayList<>();
        List<String[]> kTable = new ArrayList<>();
        double[] off = new double[nt], l2 = new double[nt];
        double[][] countsPlot = new double[THRESHOLDS.length][nt];
        for (int i = 0; i < nt; i++) {
            double[] k = m.kMatrix()[i];
            off[i] = Math.hypot(k[2], k[3]);
            l2[i] = m.kOccupations()[i][1];
            maxHalving = Math.max(maxHalving, Math.max(m.halving1()[i], m.halving2()[i]));
            if (m.fineTimes()[i] > 0) minOffDiag = Math.min(minOffDiag, off[i]);
            maxOffDiag = Math.max(maxOffDiag, off[i]);
            maxShift = Math.max(maxShift, Math.abs(l2[i] - (1 - s.n1())));
            double[] row = new double[9 + 2 * THRESHOLDS.length];
            row[0] = m.fineTimes()[i];
            System.arraycopy(k, 0, row, 1, 4);
            row[5] = m.kOccupations()[i][0];
            row[6] = m.kOccupations()[i][1];
            row[7] = m.halving1()[i];
            row[8] = m.halving2()[i];
            for (int q = 0; q < THRESHOLDS.length; q++) {
                row[9 + q] = m.rank1()[i][q];
                row[9 + THRESHOLDS.length + q] = m.rank2()[i][q];
                countsPlot[q][i] = m.rank2()[i][q];
            }
            kRows.add(row);
            if (i % Math.max(1, nt / 10) == 0 || i == nt - 1)
                kTable.add(new String[]{Output.g(m.fineTimes()[i]), Output.g(k[0]), String.format(Locale.ROOT, "%.6g %+.6gi", k[2], k[3]), Output.g(k[6]),
                        Output.g(m.kOccupations()[i][0]), Output.g(m.kOccupations()[i][1]), Integer.toString(m.rank1()[i][0]) + " / " + m.rank1()[i][THRESHOLDS.length - 1],
                        Integer.toString(m.rank2()[i][0]) + " / " + m.rank2()[i][THRESHOLDS.length - 1], String.format(Locale.ROOT, "%.2e", m.halving1()[i]), String.format(Locale.ROOT, "%.2e", m.halving2()[i])});
        }
        boolean quadOk = maxHalving <= QUADRATURE_FRACTION * minDist;
        boolean offOk = minOffDiag > 100 * maxHalving;
        pass &= quadOk && offOk;
        reasons.add(String.format(Locale.ROOT, "phase quadrature Q = %d: max_t Tr|γ_Q − γ_{Q/2}| (k = 1, 2) = %.3g, %s %.2g × the smallest measured distance %.3g",
                s.phases(), maxHalving, quadOk ? "within" : "NOT within", QUADRATURE_FRACTION, minDist));
        reasons.add(String.format(Locale.ROOT, "K(t) off-diagonal: |K_01| from %.3g (smallest, t > 0) to %.3g, %s 100 × the quadrature error %.3g; λ₂(K) moves up to %.3g from n₂ = %s",
                minOffDiag, maxOffDiag, offOk ? "above" : "NOT above", maxHalving, maxShift, Output.g(1 - s.n1())));
        if (pass) reasons.add("every fitted exponent of Tr|γ^(k)_N − γ^(k)_∞| (k = 1, 2) is −1 within 3·SE + " + SLOPE_BIAS + ", and N·Tr|…| has converged to " + CONSTANT_TOL + " relative");

        StringBuilder kHeader = new StringBuilder("t,K00_re,K00_im,K01_re,K01_im,lambda1,lambda2,halving_k1,halving_k2");
        for (double th : THRESHOLDS) kHeader.append(",rank1_above_").append(String.format(Locale.ROOT, "%.0e", th));
        for (double th : THRESHOLDS) kHeader.append(",rank2_above_").append(String.format(Locale.ROOT, "%.0e", th));
        o.csv("distances.csv", "N,t,trace_distance_k1,n_times_k1,trace_distance_k2,n_times_k2,many_body_lambda2", rows);
        o.csv("k_of_t.csv", kHeader.toString(), kRows);
        o.png("distance_loglog.png", dPlot);
        o.png("n_times_distance.png", cPlot);
        double[] offPlot = new double[nt], shiftPlot = new double[nt];
        for (int i = 0; i < nt; i++) { offPlot[i] = off[i]; shiftPlot[i] = Math.abs(l2[i] - (1 - s.n1())); }
        o.png("k_of_t.png", new Output.Plot("K(t): |K_01| and |lambda_2 - n_2|", "t", "value", false, false)
                .measured("|K_01(t)|", m.fineTimes(), offPlot).measured("|lambda_2(K) - n_2|", m.fineTimes(), shiftPlot));
        Output.Plot rPlot = new Output.Plot("Natural occupations of gamma^(2)_inf,t above threshold", "t", "count", false, false);
        for (int q = 0; q < THRESHOLDS.length; q += 2) rPlot.measured(String.format(Locale.ROOT, "> %.0e", THRESHOLDS[q]), m.fineTimes(), countsPlot[q]);
        o.png("ranks.png", rPlot);

        String report = "# Study `rank-growth` (i): the Josephson Fock state against its phase-averaged Hartree flow\n\n## Statement\n\n"
                + "Theorem 3.1 / (3.14) in a setting where fragmentation evolves: two modes, H = −J(a_0†a_1 + h.c.) + U/(2N) Σ n_i(n_i − 1) "
                + "(`ModeIntegrals.josephson`), initial Fock state |N₁, N₂⟩ with N₁ = n₁N, and γ^(k)_{∞,t} = (2π)^{−1}∫dθ |κ_t^θ⊗k⟩⟨κ_t^θ⊗k| "
                + "with i κ̇_i = Σ_j h_ij κ_j + U|κ_i|²κ_i, κ(0) = (√n₁, √n₂ e^{−iθ}) (the phase-averaged Hartree flow (3.12)/(3.15) in the mode basis, "
                + "`GroundSpaceFlow`, DOPRI5 at " + s.tol() + " per step). Prediction: Tr|γ^(k)_{N,t} − γ^(k)_{∞,t}| ≤ A_k e^{A_k t}/N, so the exponent in N is −1 "
                + "and N·Tr|…| tends to a constant. Unlike the paper's toy model, γ^(1)_{∞,t} = K(t) is not diagonal (tunnelling: d/dt K_01 = −iJ(n₁ − n₂) at t = 0) "
                + "and its eigenvalues leave (n₁, n₂) (the interaction dephases the phase samples): the fragmentation itself evolves. "
                + "The many-body side is e^{−iHt} on the N + 1 Fock states by the backend's Fock kernels (`FockEvolution`, dense up to dimension "
                + FockEvolution.DENSE_AUTO_LIMIT + ", Krylov at " + s.tol() + " beyond); γ^(1), γ^(2) by `FockObservables`; trace distances in the 2- and 4-dimensional "
                + "mode spaces (`PhaseEnsemble.traceDistance`).\n\n"
                + "## Command\n\n`hartree study rank-growth" + (full ? " --full" : "") + "` (J = " + Output.g(s.j()) + ", U = " + Output.g(s.u())
                + (s.hartreeU() != s.u() ? ", **Hartree side U = " + Output.g(s.hartreeU()) + "**" : "") + ", n₁ = " + Output.g(s.n1()) + ", N = " + Arrays.toString(ns)
                + ", Q = " + s.phases() + " phases, backend " + backend + ")\n\n"
                + "## Measured distances\n\n" + Output.table(new String[]{"N", "t", "Tr|γ^(1)_N − γ^(1)_∞|", "N·(k = 1)", "Tr|γ^(2)_N − γ^(2)_∞|", "N·(k = 2)"}, table)
                + "\n## Fitted exponent in N and the constant\n\nLeast squares on log–log over N ≥ " + s.fitFrom() + " (± standard error). Pass band: −1 ± (3·SE + " + SLOPE_BIAS
                + "), the " + SLOPE_BIAS + " allowing for the O(N⁻²) remainder's bias of the slope on this range. The constant: c(N) = N·Tr|…| at the two largest N, "
                + "their relative change (must be ≤ " + CONSTANT_TOL + ") and the Richardson limit c_∞ ≈ 2c(N_max) − c(N_max/2) (assuming c(N) = c_∞ + a/N).\n\n"
                + Output.table(new String[]{"t", "k", "exponent", "band", "ok", "c(N_max/2)", "c(N_max)", "c_∞ (Richardson)", "rel. change", "ok"}, fitTable)
                + "\n## K(t), natural occupations and ranks of γ_{∞,t}\n\nK(t) = γ^(1)_{∞,t} in the mode basis; λ₁ ≥ λ₂ its eigenvalues (at t = 0: n₁, n₂). Ranks: the number of "
                + "natural occupations above 10⁻⁴ / 10⁻⁸ (γ^(1): a 2×2 matrix, so at most 2 — in two modes the rank cannot grow beyond 2; its growth "
                + "towards infinite rank is part (ii) below, the 3D double well; γ^(2) lives on the 3-dimensional symmetric two-particle space, "
                + "at most 3). Phase quadrature: the trapezoid rule in θ with Q nodes; its convergence is Tr|γ_Q − γ_{Q/2}| from the same trajectories (halving difference), "
                + "which falls geometrically in Q for this analytic periodic integrand.\n\n"
                + Output.table(new String[]{"t", "K_00", "K_01", "K_11", "λ₁", "λ₂", "rank γ^(1) (10⁻⁴ / 10⁻⁸)", "rank γ^(2) (10⁻⁴ / 10⁻⁸)", "halving k = 1", "halving k = 2"}, kTable)
                + "\nData: `distances.csv`, `k_of_t.csv`. Plots: `distance_loglog.png` (dashed: 1/N through the largest N), `n_times_distance.png`, `k_of_t.png`, `ranks.png`.\n\n";
        return new DoubleWellPart.Part(report, pass, reasons);
    }
}
