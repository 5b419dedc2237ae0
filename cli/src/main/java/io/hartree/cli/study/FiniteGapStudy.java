package io.hartree.cli.study;

import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.fock.OscillatorModes;
import io.hartree.api.hartree.Interaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Section 1.7, the finite-gap physics: with a small gap ν the interaction pushes particles out of
 * the degenerate ground space, so γ^(1) of the fragmented toy-model state acquires further
 * natural occupations; with a large gap it keeps two (up to a leak of order (V/ν)²/N). Verdict: the
 * small gap has more occupations above 10⁻⁶ than the large gap, and leaks ≥ 100 times more weight. Reported: the number of natural occupations
 * above 10⁻⁶ and the leaked weight 1 − λ₁ − λ₂ over time, small gap against large gap.
 */
public final class FiniteGapStudy implements Study {
    /** Occupations counted above this (the threshold). */
    static final double THRESHOLD = 1e-6;
    /** The small gap must leak at least this factor more weight than the large gap. */
    static final double CONTRAST = 100;

    record Setup(int spatialModes, Interaction interaction, int particles, double smallNu, double largeNu, double[] times) {}

    static Setup defaults(boolean full) {
        Interaction v = new Interaction.Gaussian(4.0, 1.0);
        double[] t = new double[51];
        double tMax = 10;
        for (int i = 0; i < t.length; i++) t[i] = tMax * i / (t.length - 1);
        return full ? new Setup(3, v, 40, 0.25, 64, t) : new Setup(2, v, 40, 0.25, 64, t);
    }

    public String name() { return "finite-gap"; }

    public String summary() { return "Section 1.7: small gap -> occupations leak (count above 1e-6 over time) vs large gap"; }

    public StudyResult run(StudyContext ctx) {
        return run(ctx, defaults(ctx.full()));
    }

    StudyResult run(StudyContext ctx, Setup s) {
        Output o = new Output(ctx.out());
        var grid = OscillatorModes.defaultGrid();
        double[] times = s.times();
        double[] nus = {s.smallNu(), s.largeNu()};
        double[][] count = new double[2][times.length], leak = new double[2][times.length];
        int m = 2 * s.spatialModes();
        List<double[]> rows = new ArrayList<>();
        int up = (int) Math.round(0.3 * s.particles());
        for (int g = 0; g < 2; g++) {
            ModeIntegrals mi = OscillatorModes.integrals(s.spatialModes(), nus[g], s.interaction(), grid);
            ToyModelEvolution ev = new ToyModelEvolution(ctx.fock(), mi, up, s.particles() - up);
            for (int i = 0; i < times.length; i++) {
                ev.advanceTo(times[i]);
                double[] w = ev.naturalOccupations();
                int c = 0;
                for (double x : w) if (x > THRESHOLD) c++;
                count[g][i] = c;
                leak[g][i] = Math.max(1 - w[0] - w[1], 0);
                double[] row = new double[3 + m];
                row[0] = nus[g];
                row[1] = times[i];
                row[2] = c;
                System.arraycopy(w, 0, row, 3, m);
                rows.add(row);
            }
            ctx.log().printf(Locale.ROOT, "finite-gap: nu=%g done (dim %d)%n", nus[g], ev.sector.dimension());
        }
        double maxLeakSmall = 0, maxLeakLarge = 0;
        int maxCountSmall = 0, maxCountLarge = 0;
        for (int i = 0; i < times.length; i++) {
            maxLeakSmall = Math.max(maxLeakSmall, leak[0][i]);
            maxLeakLarge = Math.max(maxLeakLarge, leak[1][i]);
            maxCountSmall = Math.max(maxCountSmall, (int) count[0][i]);
            maxCountLarge = Math.max(maxCountLarge, (int) count[1][i]);
        }
        List<String> reasons = new ArrayList<>();
        boolean pass = maxCountSmall > maxCountLarge && maxLeakSmall >= CONTRAST * maxLeakLarge;
        reasons.add(String.format(Locale.ROOT, "small gap ν = %s: up to %d occupations above %.0e, leak up to %.3g; large gap ν = %s: up to %d, leak up to %.3g",
                Output.g(s.smallNu()), maxCountSmall, THRESHOLD, maxLeakSmall, Output.g(s.largeNu()), maxCountLarge, maxLeakLarge));
        if (!pass) reasons.add("expected: more occupations above threshold with the small gap than with the large one, and a leak contrast ≥ " + CONTRAST);

        Output.Plot cPlot = new Output.Plot("Natural occupations above 1e-6 (N = " + s.particles() + ")", "t", "count", false, false)
                .measured("nu = " + Output.g(s.smallNu()), times, count[0]).measured("nu = " + Output.g(s.largeNu()), times, count[1]);
        double[][] leakPlot = new double[2][times.length];
        for (int g = 0; g < 2; g++) for (int i = 0; i < times.length; i++) leakPlot[g][i] = Math.max(leak[g][i], 1e-18);
        Output.Plot lPlot = new Output.Plot("Leaked weight 1 - lambda_1 - lambda_2", "t", "1 - lambda_1 - lambda_2", false, true)
                .measured("nu = " + Output.g(s.smallNu()), times, leakPlot[0]).measured("nu = " + Output.g(s.largeNu()), times, leakPlot[1]);
        StringBuilder header = new StringBuilder("nu,t,count_above_1e-6");
        for (int j = 0; j < m; j++) header.append(",lambda_").append(j + 1);
        o.csv("occupations.csv", header.toString(), rows);
        o.png("count.png", cPlot);
        o.png("leak.png", lPlot);
        List<String[]> table = new ArrayList<>();
        for (int i = 0; i < times.length; i += Math.max(1, times.length / 10))
            table.add(new String[]{Output.g(times[i]), Integer.toString((int) count[0][i]), Output.g(leak[0][i]), Integer.toString((int) count[1][i]), Output.g(leak[1][i])});
        String report = "# Study `finite-gap`: Section 1.7\n\n## Statement\n\n"
                + "Fragmentation persists only when the gap of h_ν above its degenerate ground level is large: the large-gap limit (3.17)–(3.19) "
                + "keeps γ^(1) of rank 2. With a small gap the interaction excites particles out of the ground space and further natural "
                + "occupations appear. Toy model, |N↑, N↓⟩ in φ⁰, " + s.spatialModes() + " oscillator modes ⊗ spin, exact evolution.\n\n"
                + "## Command\n\n`hartree study finite-gap" + (ctx.full() ? " --full" : "") + "` (N = " + s.particles() + ", n↑ = 0.3, V = "
                + s.interaction().spec() + ", ν = " + s.smallNu() + " and " + s.largeNu() + ", backend " + ctx.backendDescription() + ")\n\n"
                + "## Measured\n\n" + Output.table(new String[]{"t", "count (ν = " + Output.g(s.smallNu()) + ")", "leak", "count (ν = " + Output.g(s.largeNu()) + ")", "leak"}, table)
                + "\nData: `occupations.csv`. Plots: `count.png`, `leak.png`.\n\n"
                + "## Verdict: " + (pass ? "PASS" : "FAIL") + "\n\n" + String.join("\n", reasons.stream().map(r -> "- " + r).toList()) + "\n";
        o.text("report.md", report);
        return new StudyResult(name(), pass, reasons, o.files());
    }
}
