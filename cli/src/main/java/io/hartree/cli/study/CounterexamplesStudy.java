package io.hartree.cli.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hartree.api.fragment.FragmentedMarginals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Corollary 2.2 made visible: Ψ_N, its phase-averaged product and the mixture ρ_N have the same
 * one-body marginal Σ_j n_j|φ_j⟩⟨φ_j|, yet for k ≥ 2 their k-marginals have ranks k+1, k+1 and 2;
 * γ_N^(k) and γ̃_N^(k) merge as N → ∞ while ρ_N^(k) stays at distance 2(1 − n₁^k − n₂^k).
 */
public final class CounterexamplesStudy implements PointedStudy {
    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory JSON = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    static final double N1_FRACTION = 0.3;

    public String name() { return "counterexamples"; }

    public String summary() { return "Corollary 2.2: equal one-body marginals, different k-body ranks and distances"; }

    public StudyResult run(StudyContext ctx) { return PointedStudy.runSerial(this, ctx, setup(ctx.full())); }

    /** {"n_fixed", "k_max", "n_max"}: the ranks at N = n_fixed for k = 1..k_max, the k = 2 distances for N = 10..n_max. */
    public ObjectNode setup(boolean full) {
        return JSON.objectNode().put("n_fixed", full ? 10_000_000L : 1000L).put("k_max", full ? 10 : 6).put("n_max", full ? 10_000_000L : 1_000_000L);
    }

    /** One point per k of the rank table (at N = n_fixed), then one for the k = 2 distances against N. */
    public List<ObjectNode> points(JsonNode setup) {
        List<ObjectNode> ps = new ArrayList<>();
        for (int k = 1; k <= setup.get("k_max").asInt(); k++) ps.add(JSON.objectNode().put("k", k));
        ps.add(JSON.objectNode().put("k2_scan", setup.get("n_max").asLong()));
        return ps;
    }

    /** One k at N fixed: the ranks of γ, γ̃, ρ and the distances Tr|γ − γ̃|, Tr|γ − ρ|, Tr|γ̃ − ρ|. */
    record Ranks(int k, int fragmented, int phaseAveraged, int mixture, double fragPhase, double fragMixture, double phaseMixture) {}

    /** The k = 2 distances at each N of the scan. */
    record Scan(long[] n, double[] fragPhase, double[] fragMixture, double[] phaseMixture) {}

    public ObjectNode runPoint(StudyContext ctx, JsonNode setup, JsonNode point) {
        double n1 = N1_FRACTION;
        if (point.has("k")) {
            int k = point.get("k").asInt();
            long nFixed = setup.get("n_fixed").asLong(), nf1 = Math.round(n1 * nFixed);
            FragmentedMarginals m = FragmentedMarginals.of(k, nf1, nFixed - nf1);
            return PointedStudy.tree(new Ranks(k, m.rankFragmented(), m.rankPhaseAveraged(), m.rankMixture(),
                    m.traceDistance(), m.traceDistanceToMixture(), m.traceDistancePhaseAveragedToMixture()));
        }
        List<Long> ns = Output.decades125(point.get("k2_scan").asLong());
        long[] nn = new long[ns.size()];
        double[] gp = new double[nn.length], gr = new double[nn.length], pr = new double[nn.length];
        for (int i = 0; i < nn.length; i++) {
            long n = nn[i] = ns.get(i), a = Math.round(n1 * n);
            FragmentedMarginals m = FragmentedMarginals.of(2, a, n - a);
            gp[i] = m.traceDistance();
            gr[i] = m.traceDistanceToMixture();
            pr[i] = m.traceDistancePhaseAveragedToMixture();
        }
        ctx.log().println("counterexamples: ranks and distances computed");
        return PointedStudy.tree(new Scan(nn, gp, gr, pr));
    }

    public StudyResult assemble(StudyContext ctx, JsonNode setup, List<JsonNode> results) {
        boolean full = ctx.full();
        Path out = ctx.out();
        long nFixed = setup.get("n_fixed").asLong();
        int kMax = setup.get("k_max").asInt();
        long nMax = setup.get("n_max").asLong();
        double n1 = N1_FRACTION, n2 = 1 - n1;
        Output o = new Output(out);
        List<String> reasons = new ArrayList<>();
        boolean pass = true;

        List<double[]> rankRows = new ArrayList<>();
        List<String[]> rankTable = new ArrayList<>();
        for (int k = 1; k <= kMax; k++) {
            Ranks m = PointedStudy.value(results.get(k - 1), Ranks.class);
            int rf = m.fragmented(), rp = m.phaseAveraged(), rm = m.mixture();
            double dgp = m.fragPhase(), dgr = m.fragMixture(), dpr = m.phaseMixture();
            double limitGR = 2 * (1 - Math.pow(n1, k) - Math.pow(n2, k));
            rankRows.add(new double[]{nFixed, k, rf, rp, rm, dgp, dgr, dpr, limitGR});
            rankTable.add(new String[]{Integer.toString(k), Integer.toString(rf), Integer.toString(rp), Integer.toString(rm),
                    Output.g(dgp), Output.g(dgr), Output.g(dpr), Output.g(limitGR)});
            boolean ok = k == 1 ? (rf == 2 && rp == 2 && rm == 2 && dgp == 0 && dgr <= 1e-15 && dpr <= 1e-15)
                    : (rf == k + 1 && rp == k + 1 && rm == 2 && Math.abs(dgr - limitGR) <= 10.0 * k * k / nFixed);
            if (!ok) {
                pass = false;
                reasons.add("k = " + k + ": ranks (" + rf + ", " + rp + ", " + rm + ") or distances (" + dgp + ", " + dgr + ", " + dpr + ") off the prediction");
            }
        }

        Scan scan = PointedStudy.value(results.get(kMax), Scan.class);
        List<Long> ns = Output.decades125(nMax);
        double[] x = new double[ns.size()], gp = new double[ns.size()], gr = new double[ns.size()], pr = new double[ns.size()], lim = new double[ns.size()], c2 = new double[ns.size()];
        List<double[]> nRows = new ArrayList<>();
        double ck2 = FragmentedMarginals.limitConstant(2, n1, n2);
        for (int i = 0; i < ns.size(); i++) {
            long n = ns.get(i);
            if (scan.n()[i] != n) throw new IllegalStateException("counterexamples: the k = 2 scan holds N = " + scan.n()[i] + " where " + n + " is expected");
            x[i] = n;
            gp[i] = scan.fragPhase()[i];
            gr[i] = scan.fragMixture()[i];
            pr[i] = scan.phaseMixture()[i];
            lim[i] = 2 * (1 - n1 * n1 - n2 * n2);
            c2[i] = ck2 / n;
            nRows.add(new double[]{n, gp[i], gr[i], pr[i]});
        }
        double[] xs = ns.stream().filter(n -> n >= 100).mapToDouble(Long::doubleValue).toArray();
        double[] ys = new double[xs.length];
        for (int i = 0, j = 0; i < ns.size(); i++) if (ns.get(i) >= 100) ys[j++] = gp[i];
        LogLogFit fit = LogLogFit.fit(xs, ys);
        o.fit("n_exponent_dist_frag_phase_k2", fit);
        if (!fit.within(-1, 0.01)) {
            pass = false;
            reasons.add("Tr|γ^(2) − γ̃^(2)| slope " + fit + " not −1 ± 0.01");
        }

        Output.Plot plot = new Output.Plot("Corollary 2.2, k = 2: distances between the three states (n1 = 0.3)", "N", "trace distance", true, true)
                .measured("Tr|gamma - gamma~|", x, gp).predicted("c_2/N", x, c2)
                .measured("Tr|gamma - rho|", x, gr).measured("Tr|gamma~ - rho|", x, pr).predicted("2(1 - n1^2 - n2^2)", x, lim);
        o.png("distances_k2.png", plot);
        o.csv("ranks.csv", "N,k,rank_fragmented,rank_phase_averaged,rank_mixture,dist_frag_phase,dist_frag_mixture,dist_phase_mixture,predicted_dist_frag_mixture_limit", rankRows);
        o.csv("distances_k2.csv", "N,dist_frag_phase,dist_frag_mixture,dist_phase_mixture", nRows);
        if (reasons.isEmpty()) reasons.add("k = 1: all three one-body marginals equal (distances 0); k ≥ 2: ranks k+1, k+1, 2; "
                + "Tr|γ − ρ| = 2(1 − n₁^k − n₂^k) + O(k²/N); Tr|γ^(2) − γ̃^(2)| slope " + fit);

        String report = "# Study `counterexamples`: Corollary 2.2\n\n## Statement\n\n"
                + "The fragmented state Ψ_N (2.4), the phase-averaged product (2.9) and the mixture ρ_N = n₁|φ₁^{⊗N}⟩⟨·| + n₂|φ₂^{⊗N}⟩⟨·| (2.10) "
                + "have the same one-body marginal n₁|φ₁⟩⟨φ₁| + n₂|φ₂⟩⟨φ₂|, so the one-body marginal alone does not characterise "
                + "fragmentation. For k ≥ 2 the ranks are k+1 (2.12), k+1 (2.13) and 2 (2.14); γ_N^(k) and γ̃_N^(k) merge at rate 1/N "
                + "while ρ_N^(k) stays at trace distance 2(1 − n₁^k − n₂^k) from both in the limit.\n\n"
                + "## Command\n\n`hartree study counterexamples" + (full ? " --full" : "") + "` (n₁ = " + n1 + ")\n\n"
                + "## Ranks and distances at N = " + nFixed + "\n\n"
                + Output.table(new String[]{"k", "rank γ", "rank γ̃", "rank ρ", "Tr|γ − γ̃|", "Tr|γ − ρ|", "Tr|γ̃ − ρ|", "predicted lim Tr|γ − ρ|"}, rankTable)
                + "\n## k = 2 against N\n\nFitted slope of Tr|γ^(2) − γ̃^(2)| (N ≥ 100, least squares, ± standard error): " + fit
                + "; predicted −1. Tr|γ^(2) − ρ^(2)| at N = " + nMax + ": " + Output.g(gr[gr.length - 1]) + " (predicted limit " + Output.g(lim[0]) + ").\n\n"
                + "Data: `ranks.csv`, `distances_k2.csv`. Plot: `distances_k2.png` (predicted lines dashed).\n\n";
        return o.report(name(), report, pass, reasons);
    }
}
