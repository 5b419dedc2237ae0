package io.hartree.cli.study;

import io.hartree.api.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writers shared by the studies: Markdown report, CSV, PNG plots (XChart, headless); all atomic. */
final class Output {
    private final Path dir;
    private final List<Path> files = new ArrayList<>();
    /** The figures of results.json, by name, in the order the study computed them. */
    private final java.util.Map<String, Object> figures = new java.util.LinkedHashMap<>();

    Output(Path dir) {
        this.dir = dir;
        System.setProperty("java.awt.headless", "true");
    }

    List<Path> files() { return List.copyOf(files); }

    /**
     * Writes report.md: {@code body}, then the verdict and its reasons; and results.json beside it
     * ({@link #results}); returns the study's result with every file written.
     */
    StudyResult report(String study, String body, boolean pass, List<String> reasons) {
        text("report.md", body + "## Verdict: " + (pass ? "PASS" : "FAIL") + "\n\n" + String.join("\n", reasons.stream().map(r -> "- " + r).toList()) + "\n");
        results(study, pass, reasons);
        return new StudyResult(study, pass, reasons, files());
    }

    /** A figure of results.json (a number, NaN written as null, or an array of numbers). */
    void figure(String name, Object value) {
        if (figures.containsKey(name)) throw new IllegalStateException("results.json figure " + name + " set twice");
        figures.put(name, value instanceof Double d && !Double.isFinite(d) ? null : value);
    }

    /** A log-log fit as {@code name} (the slope), {@code name_err} (its standard error) and {@code name_points}. */
    void fit(String name, LogLogFit fit) {
        figure(name, fit.slope());
        figure(name + "_err", fit.slopeError());
        figure(name + "_points", fit.points());
    }

    /** results.json: {"study", "verdict": PASS|FAIL, "reasons": [...], then every figure by name}. */
    private void results(String study, boolean pass, List<String> reasons) {
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("study", study);
        json.put("verdict", pass ? "PASS" : "FAIL");
        json.put("reasons", List.copyOf(reasons));
        json.putAll(figures);
        try {
            text("results.json", new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("results.json: " + e.getMessage(), e);
        }
    }

    /** 10, 20, 50, 100, 200, 500, … up to {@code nMax}: the particle numbers of a scan in N. */
    static List<Long> decades125(long nMax) {
        List<Long> ns = new ArrayList<>();
        for (long dec = 10; dec <= nMax; dec *= 10)
            for (long m : new long[]{1, 2, 5}) if (dec * m <= nMax) ns.add(dec * m);
        return ns;
    }


    void text(String name, String content) {
        Path p = dir.resolve(name);
        AtomicFiles.writeString(p, content);
        files.add(p);
    }

    /** A CSV file from a header and rows of numbers (written with full precision). */
    void csv(String name, String header, List<double[]> rows) {
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (double[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                if (i > 0) sb.append(',');
                double v = r[i];
                sb.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
            }
            sb.append('\n');
        }
        text(name, sb.toString());
    }

    /** A plot: measured series as markers, predicted series as dashed lines. */
    static final class Plot {
        final XYChart chart;

        Plot(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
            chart = new XYChartBuilder().width(900).height(620).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
            chart.getStyler().setXAxisLogarithmic(logX);
            chart.getStyler().setYAxisLogarithmic(logY);
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
            chart.getStyler().setAntiAlias(true);
        }

        Plot measured(String name, double[] x, double[] y) {
            XYSeries s = chart.addSeries(name, x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.CIRCLE);
            return this;
        }

        Plot predicted(String name, double[] x, double[] y) {
            XYSeries s = chart.addSeries(name, x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
            return this;
        }
    }

    void png(String name, Plot plot) {
        Path p = dir.resolve(name);
        io.hartree.cli.Plots.bestEffort("study " + name, () -> {
            AtomicFiles.write(p, out -> BitmapEncoder.saveBitmap(plot.chart, out, BitmapEncoder.BitmapFormat.PNG));
            files.add(p);
        }).ifPresent(w -> System.out.println("warning: " + w));
    }

    /**
     * A map as a PNG: one cell per (x_i, y_j), coloured by log10 z[i][j] and labelled with it (XChart's
     * heat map; x and y are category labels, so any grid of values shows evenly spaced).
     */
    void heatmap(String name, String title, String xTitle, String yTitle, double[] x, double[] y, double[][] z) {
        var chart = new org.knowm.xchart.HeatMapChartBuilder().width(900).height(620).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        List<String> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (double v : x) xs.add(g(v).replaceAll("\\.?0+$", ""));
        for (double v : y) ys.add(g(v).replaceAll("\\.?0+$", ""));
        List<Number[]> cells = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++)
            for (int j = 0; j < y.length; j++) {
                double v = Math.log10(Math.max(z[i][j], 1e-300));
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                cells.add(new Number[]{i, j, v});
            }
        // the colour scale spans the data (XChart's default range starts at Double.MIN_VALUE, wrong for negative values)
        chart.getStyler().setMin(lo);
        chart.getStyler().setMax(hi > lo ? hi : lo + 1);
        chart.addSeries("log10 z", xs, ys, cells);
        Path p = dir.resolve(name);
        io.hartree.cli.Plots.bestEffort("study " + name, () -> {
            AtomicFiles.write(p, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
            files.add(p);
        }).ifPresent(w -> System.out.println("warning: " + w));
    }

    /** Markdown table from a header and pre-formatted rows. */
    static String table(String[] header, List<String[]> rows) {
        StringBuilder sb = new StringBuilder("|");
        for (String h : header) sb.append(' ').append(h).append(" |");
        sb.append("\n|");
        for (int i = 0; i < header.length; i++) sb.append("---|");
        sb.append('\n');
        for (String[] r : rows) {
            sb.append('|');
            for (String c : r) sb.append(' ').append(c).append(" |");
            sb.append('\n');
        }
        return sb.toString();
    }

    static String g(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
