package io.hartree.cli.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fragment.FragmentedMarginals;
import io.hartree.api.fragment.SpinToyModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Proposition 2.3 and (4.13): N·Tr|γ_N^(k) − γ̃_N^(k)| → c_k, with c_1 = 0 exactly, and the
 * distance decays as N^{−1}. (4.13) is cross-checked on explicit spin states in (C²)^{⊗N}.
 */
public final class MarginalsStudy implements PointedStudy {
    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory JSON = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    /** Fraction in the first level; N is a multiple of 10 so N₁ = 0.3 N is an integer. */
    static final double N1_FRACTION = 0.3;
    /** Fits use N ≥ this, where the O(N⁻²) remainder is below 1% of the leading term for k ≤ 5. */
    static final long FIT_FROM = 100;
    /** Pass band on the fitted exponent: |b + 1| ≤ 0.01 (the remainder biases b by ~ k²/N_min). */
    static final double SLOPE_TOL = 0.01;

    public String name() { return "marginals"; }

    public String summary() { return "Proposition 2.3 / (4.13): N Tr|gamma_N^(k) - gamma~_N^(k)| -> c_k, k = 1..5, N = 10..1e6"; }

    /** The spin check of (4.13): N spins, N↓ down, k = 1..SPIN_K. */
    static final int SPIN_N = 12, SPIN_DOWN = 8, SPIN_K = 4;

    public StudyResult run(StudyContext ctx) { return PointedStudy.runSerial(this, ctx, setup(ctx.full())); }

    /** {"k_max", "n_max"}: k = 1..8 and N = 10..1e7 for --full, k = 1..5 and N = 10..1e6 by default. */
    public ObjectNode setup(boolean full) {
        return JSON.objectNode().put("k_max", full ? 8 : 5).put("n_max", full ? 10_000_000L : 1_000_000L);
    }

    /** One point per k (all N of the scan), and one for the (4.13) spin check. */
    public List<ObjectNode> points(JsonNode setup) {
        List<ObjectNode> ps = new ArrayList<>();
        for (int k = 1; k <= setup.get("k_max").asInt(); k++) ps.add(JSON.objectNode().put("k", k));
        ps.add(JSON.objectNode().put("spin_n", SPIN_N).put("spin_down", SPIN_DOWN).put("spin_k_max", SPIN_K));
        return ps;
    }

    /** A k point: c_k and, for every N ≥ k of the scan, Tr|γ − γ̃| and N·Tr|γ − γ̃|; the spin point: dense and formula distances. */
    public ObjectNode runPoint(StudyContext ctx, JsonNode setup, JsonNode point) {
        ObjectNode r = JSON.objectNode();
        if (point.has("spin_n")) {
            int nSpin = point.get("spin_n").asInt(), nDown = point.get("spin_down").asInt();
            SpinToyModel toy = new SpinToyModel(nSpin - nDown, nDown);
            var dense = r.putArray("dense");
            var formula = r.putArray("formula");
            for (int k = 1; k <= point.get("spin_k_max").asInt(); k++) {
                dense.add(denseSpinDistance(nSpin, nDown, k, toy));
                formula.add(toy.traceDistance(k));
            }
            return r;
        }
        int k = point.get("k").asInt();
        double ck = FragmentedMarginals.limitConstant(k, N1_FRACTION, 1 - N1_FRACTION);
        r.put("k", k).put("c_k", ck);
        var ns = r.putArray("N");
        var d = r.putArray("distance");
        var nd = r.putArray("n_times_distance");
        for (long n : Output.decades125(setup.get("n_max").asLong())) {
            if (k > n) continue;
            long n1 = Math.round(N1_FRACTION * n);
            FragmentedMarginals m = FragmentedMarginals.of(k, n1, n - n1);
            ns.add(n);
            d.add(m.traceDistance());
            nd.add(m.nTimesTraceDistance());
        }
        ctx.log().printf(Locale.ROOT, "marginals: k=%d done, c_k=%.6g%n", k, ck);
        return r;
    }

    public StudyResult assemble(StudyContext ctx, JsonNode setup, List<JsonNode> results) {
        boolean full = ctx.full();
        Path out = ctx.out();
        int kMax = setup.get("k_max").asInt();
        long nMax = setup.get("n_max").asLong();
        List<Long> ns = Output.decades125(nMax);

        Output o = new Output(out);
        List<double[]> rows = new ArrayList<>();
        List<String[]> table = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        boolean pass = true;
        Output.Plot dPlot = new Output.Plot("Proposition 2.3: Tr|gamma_N^(k) - gamma~_N^(k)| (n1 = 0.3)", "N", "trace distance", true, true);
        Output.Plot nPlot = new Output.Plot("N x distance -> c_k (dashed)", "N", "N x Tr|gamma - gamma~|", true, false);
        StringBuilder fits = new StringBuilder();

        for (int k = 1; k <= kMax; k++) {
            JsonNode res = results.get(k - 1);
            double ck = res.get("c_k").asDouble();
            double[] x = new double[ns.size()], d = new double[ns.size()], nd = new double[ns.size()], pred = new double[ns.size()], cLine = new double[ns.size()];
            List<Double> fx = new ArrayList<>(), fy = new ArrayList<>();
            for (int j = 0; j < res.get("N").size(); j++) {
                long n = res.get("N").get(j).asLong();
                int i = ns.indexOf(n);
                x[i] = n;
                d[i] = res.get("distance").get(j).asDouble();
                nd[i] = res.get("n_times_distance").get(j).asDouble();
                pred[i] = ck / n;
                cLine[i] = ck;
                rows.add(new double[]{n, k, d[i], nd[i], ck, Math.abs(nd[i] - ck)});
                table.add(new String[]{Long.toString(n), Integer.toString(k), Output.g(d[i]), Output.g(nd[i]), Output.g(ck)});
                if (n >= FIT_FROM && d[i] > 0) { fx.add((double) n); fy.add(d[i]); }
                if (k == 1 && d[i] != 0.0) {
                    pass = false;
                    reasons.add("k = 1, N = " + n + ": distance " + d[i] + " is not exactly 0");
                }
            }
            nPlot.measured("k=" + k, x, nd);
            nPlot.predicted("c_" + k, x, cLine);
            if (k >= 2) {
                dPlot.measured("k=" + k, x, d);
                dPlot.predicted("c_" + k + "/N", x, pred);
                LogLogFit fit = LogLogFit.fit(fx.stream().mapToDouble(Double::doubleValue).toArray(), fy.stream().mapToDouble(Double::doubleValue).toArray());
                long nLast = ns.get(ns.size() - 1);
                double relErr = Math.abs(nd[ns.size() - 1] - ck) / ck;
                double bound = Math.pow(k, 4) / nLast;
                boolean ok = fit.within(-1, SLOPE_TOL) && relErr <= bound;
                o.fit("n_exponent_k" + k, fit);
                o.figure("c_" + k, ck);
                o.figure("n_times_distance_k" + k, nd[ns.size() - 1]);
                o.figure("relative_error_k" + k, relErr);
                fits.append(String.format(Locale.ROOT, "| %d | %s | %.6g | %.6g | %.3g (bound k⁴/N = %.3g) | %s |%n",
                        k, fit, ck, nd[ns.size() - 1], relErr, bound, ok ? "PASS" : "FAIL"));
                if (!ok) {
                    pass = false;
                    reasons.add("k = " + k + ": slope " + fit + " or |N d - c_k|/c_k = " + relErr + " outside the band");
                }
            } else {
                fits.append("| 1 | distance exactly 0 at every N | 0 | " + Output.g(nd[ns.size() - 1]) + " | — | " + (pass ? "PASS" : "FAIL") + " |\n");
            }
        }

        // (4.13) on explicit spin states: Tr|γ_spin^(k) − γ_spin,∞^(k)| from a dense partial trace
        int nSpin = SPIN_N, nDown = SPIN_DOWN;
        StringBuilder spin = new StringBuilder("| k | explicit dense (2^k×2^k) | formula Σ|c − c̃| | difference |\n|---|---|---|---|\n");
        JsonNode spinResult = results.get(kMax);
        for (int k = 1; k <= SPIN_K; k++) {
            double dense = spinResult.get("dense").get(k - 1).asDouble();
            double formula = spinResult.get("formula").get(k - 1).asDouble();
            spin.append(String.format(Locale.ROOT, "| %d | %.15g | %.15g | %.2g |%n", k, dense, formula, Math.abs(dense - formula)));
            if (Math.abs(dense - formula) > 1e-12) {
                pass = false;
                reasons.add("(4.13) k = " + k + ": dense " + dense + " vs formula " + formula);
            }
        }

        o.csv("marginals.csv", "N,k,trace_distance,n_times_distance,c_k,abs_n_times_distance_minus_c_k", rows);
        o.png("distance_loglog.png", dPlot);
        o.png("n_times_distance.png", nPlot);
        if (reasons.isEmpty()) reasons.add("all slopes within -1 ± " + SLOPE_TOL + ", N·d within k⁴/N of c_k, c_1 = 0 exactly, (4.13) dense = formula to 1e-12");

        String report = "# Study `marginals`: Proposition 2.3 and (4.13)\n\n"
                + "## Statement\n\n"
                + "For the two-level fragmented state Ψ_N = |N₁, N₂⟩ with n₁ = N₁/N fixed, the k-marginals of Ψ_N and of its "
                + "phase-averaged product satisfy N·Tr|γ_N^(k) − γ̃_N^(k)| → c_k as N → ∞ (Proposition 2.3), with "
                + "c_k = Σ_j c̃_{k,j} |δ_j|, δ_j = k(k−1)/2 − (k−j)(k−j−1)/(2n₁) − j(j−1)/(2n₂) (Lemma 2.4), and c_1 = 0: the one-body "
                + "marginals coincide exactly (2.15). The spin toy model's (4.13) is the same quantity with φ₁ = ↑, φ₂ = ↓.\n\n"
                + "Predicted: Tr|γ_N^(k) − γ̃_N^(k)| = c_k N^{−1} + O(N^{−2}), i.e. log–log slope −1; N·d − c_k = O(1/N).\n\n"
                + "## Command\n\n`hartree study marginals" + (full ? " --full" : "") + "` (n₁ = " + N1_FRACTION + ", N = " + ns.get(0) + ".." + nMax + ", k = 1.." + kMax + ")\n\n"
                + "## Fits (least squares on log d vs log N, N ≥ " + FIT_FROM + ", slope ± standard error)\n\n"
                + "| k | fitted slope | c_k (Lemma 2.4) | N·d at N = " + nMax + " | relative error | verdict |\n|---|---|---|---|---|---|\n"
                + fits + "\n"
                + "## (4.13) on explicit spin states (N = " + nSpin + ", N↓ = " + nDown + ")\n\n"
                + "γ_spin^(k) from the partial trace of the explicit symmetric state in (C²)^{⊗N}; γ_spin,∞^(k) from (4.14)–(4.15) by quadrature; "
                + "trace norm from the eigenvalues of the dense difference.\n\n" + spin + "\n"
                + "## Measured\n\n" + Output.table(new String[]{"N", "k", "Tr|γ − γ̃|", "N × distance", "c_k"}, table) + "\n"
                + "Data: `marginals.csv`. Plots: `distance_loglog.png` (measured markers, predicted c_k/N dashed; k = 1 is exactly 0 and "
                + "cannot be drawn on a log axis), `n_times_distance.png`.\n\n";
        return o.report(name(), report, pass, reasons);
    }

    /** Tr|γ_spin^(k) − γ_spin,∞^(k)| from the explicit N-spin symmetric state (bit = 1: spin down). */
    static double denseSpinDistance(int n, int nDown, int k, SpinToyModel toy) {
        int dimN = 1 << n;
        double[] psi = new double[dimN];
        int count = 0;
        for (int s = 0; s < dimN; s++) if (Integer.bitCount(s) == nDown) count++;
        for (int s = 0; s < dimN; s++) if (Integer.bitCount(s) == nDown) psi[s] = 1 / Math.sqrt(count);
        int dimK = 1 << k, dimRest = 1 << (n - k);
        double[] lim = toy.limitMatrix(k);
        double[] diff = new double[2 * dimK * dimK];
        for (int a = 0; a < dimK; a++)
            for (int b = 0; b < dimK; b++) {
                double sum = 0;
                for (int r = 0; r < dimRest; r++) sum += psi[a | (r << k)] * psi[b | (r << k)];
                diff[2 * (a * dimK + b)] = sum - lim[2 * (a * dimK + b)];
                diff[2 * (a * dimK + b) + 1] = -lim[2 * (a * dimK + b) + 1];
            }
        double norm = 0;
        for (double e : HermitianEigen.eigenvalues(diff, dimK)) norm += Math.abs(e);
        return norm;
    }
}
