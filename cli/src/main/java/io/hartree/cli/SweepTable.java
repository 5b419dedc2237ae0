package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hartree.api.ParameterException;
import io.hartree.api.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The results table of a sweep: results.csv (one row per point: name, state, exit code, the swept
 * values, then one column per summary.json field, nested objects as "a.b", lists as JSON text),
 * results.json (the same, with the failed points' exit code and the tail of their log), and
 * OBSERVABLE_vs_KEY.png for each swept key with numeric values.
 */
final class SweepTable {
    private SweepTable() {}

    static final String CSV = "results.csv";
    static final String JSON_FILE = "results.json";
    /** Lines of a failed point's log kept in results.json. */
    static final int LOG_TAIL = 20;

    record Result(int points, int done, int failed, int pending, List<String> plots, Path dir, String observable) {
        String line() {
            return String.format(Locale.ROOT, "sweep: %d of %d points done, %d failed, %d not finished; table: %s, %s%s", done, points, failed, pending,
                    dir.resolve(CSV), dir.resolve(JSON_FILE), plots.isEmpty() ? "" : "; plots of " + observable + ": " + String.join(", ", plots));
        }
    }

    /**
     * The state of a point from its folder and its exit file: done (summary.json), interrupted (a
     * checkpoint; or exit 0 recorded without a summary), failed (exit N) (a non-zero exit recorded),
     * running (started: the folder or log exists and no exit was recorded) or pending.
     */
    /**
     * The status table of a sweep or a study sweep: one line per point (name, state, what it is) and a
     * count per state, then the Slurm queue where the sweep was submitted there. Returns 0.
     */
    static int printStatus(Path dir, String title, int points, java.util.function.IntFunction<String> name,
                           java.util.function.IntFunction<String> state, java.util.function.IntFunction<String> what, int width) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String st : List.of("done", "running", "interrupted", "failed", "pending")) counts.put(st, 0);
        for (int i = 0; i < points; i++) {
            String st = state.apply(i);
            counts.merge(st.startsWith("failed") ? "failed" : st, 1, Integer::sum);
            System.out.printf(Locale.ROOT, "%s  %-" + width + "s %s%n", name.apply(i), st, what.apply(i));
        }
        StringBuilder line = new StringBuilder(title + ": " + points + " points:");
        counts.forEach((k, v) -> line.append(" ").append(v).append(" ").append(k).append(","));
        line.setLength(line.length() - 1);
        System.out.println(line);
        SweepSlurm.queueStatus(dir).ifPresent(System.out::println);
        return 0;
    }

    static String state(Path dir, SweepPlan.Point p) {
        Path f = SweepCommand.pointDir(dir, p);
        if (SweepCommand.complete(f)) return "done";
        if (SweepCommand.resumable(f)) return "interrupted";
        Integer code = exitCode(dir, p);
        if (code != null && code != 0) return "failed (exit " + code + ")";
        if (Files.isDirectory(f) || Files.exists(SweepCommand.log(dir, p))) return code == null ? "running" : "interrupted";
        return "pending";
    }

    static Integer exitCode(Path dir, SweepPlan.Point p) {
        try {
            Path e = SweepCommand.exitFile(dir, p);
            return Files.isRegularFile(e) ? Integer.valueOf(Files.readString(e).trim()) : null;
        } catch (IOException | NumberFormatException x) {
            return null;
        }
    }

    static String defaultObservable(String command) {
        return command.equals(RunConfig.GROUND_STATE) ? "energy" : "energy_final";
    }

    static Result gather(Path dir, SweepPlan plan, String observable) {
        String obs = observable != null ? observable : defaultObservable(plan.command());
        List<String> swept = plan.sweptKeys();
        List<Map<String, Object>> fields = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        ObjectNode root = SweepPlan.JSON.createObjectNode();
        root.put("command", plan.command());
        root.set("base", SweepPlan.JSON.valueToTree(plan.base()));
        root.set("swept", SweepPlan.JSON.valueToTree(swept));
        ArrayNode pts = root.putArray("points");
        ArrayNode failedPts = root.putArray("failed");
        int done = 0, failed = 0;
        for (SweepPlan.Point p : plan.points()) {
            String state = state(dir, p);
            Map<String, Object> f = new LinkedHashMap<>();
            JsonNode summary = null;
            if (state.equals("done")) {
                done++;
                try {
                    summary = SweepPlan.JSON.readTree(SweepCommand.pointDir(dir, p).resolve(RunFolder.SUMMARY).toFile());
                } catch (IOException e) {
                    throw new ParameterException("DIR", SweepCommand.pointDir(dir, p).resolve(RunFolder.SUMMARY) + " cannot be read: " + e.getMessage());
                }
                flatten("", summary, f);
                columns.addAll(f.keySet());
            }
            fields.add(f);
            ObjectNode n = pts.addObject();
            n.put("name", p.name());
            n.put("state", state);
            Integer code = exitCode(dir, p);
            if (code != null) n.put("exit_code", code);
            else n.putNull("exit_code");
            n.set("params", SweepPlan.JSON.valueToTree(p.params()));
            n.put("folder", Path.of(SweepCommand.POINTS, p.name()).toString());
            if (summary != null) n.set("summary", summary);
            if (state.startsWith("failed")) {
                failed++;
                ObjectNode fp = failedPts.addObject();
                fp.put("name", p.name());
                fp.put("exit_code", code);
                fp.set("params", SweepPlan.JSON.valueToTree(p.params()));
                fp.put("log", SweepCommand.log(dir, p).toString());
                fp.put("log_tail", tail(SweepCommand.log(dir, p)));
            }
        }
        // results.csv
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("point", "state", "exit_code"));
        header.addAll(swept);
        for (String c : columns) header.add(swept.contains(c) ? "summary." + c : c);
        csv.append(String.join(",", header.stream().map(SweepTable::csvField).toList())).append('\n');
        for (int i = 0; i < plan.points().size(); i++) {
            SweepPlan.Point p = plan.points().get(i);
            List<String> row = new ArrayList<>();
            row.add(p.name());
            row.add(state(dir, p));
            Integer code = exitCode(dir, p);
            row.add(code == null ? "" : code.toString());
            for (String k : swept) row.add(SweepPlan.render(p.params().get(k)));
            for (String c : columns) {
                Object v = fields.get(i).get(c);
                row.add(v == null ? "" : v.toString());
            }
            csv.append(String.join(",", row.stream().map(SweepTable::csvField).toList())).append('\n');
        }
        AtomicFiles.writeString(dir.resolve(CSV), csv.toString());
        try {
            AtomicFiles.writeString(dir.resolve(JSON_FILE), SweepPlan.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + dir.resolve(JSON_FILE) + ": " + e.getMessage(), e);
        }
        List<String> plots = new ArrayList<>();
        Plots.draw("sweep", () -> plots.addAll(plots(dir, plan, fields, obs)))
                .ifPresent(w -> System.out.println("warning: " + w));
        return new Result(plan.points().size(), done, failed, plan.points().size() - done - failed, plots, dir, obs);
    }

    /** Numbers, strings and booleans as they are; objects as "key.sub"; lists as JSON text. */
    private static void flatten(String prefix, JsonNode n, Map<String, Object> out) {
        for (var e : n.properties()) {
            String k = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) flatten(k + ".", v, out);
            else if (v.isArray()) out.put(k, v.toString());
            else if (v.isNull()) out.put(k, "");
            else if (v.isIntegralNumber()) out.put(k, v.asLong());
            else if (v.isNumber()) out.put(k, v.asDouble());
            else if (v.isBoolean()) out.put(k, v.asBoolean());
            else out.put(k, v.asText());
        }
    }

    private static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r"))
            return "\"" + s.replace("\"", "\"\"") + "\"";
        return s;
    }

    static String tail(Path log) {
        if (!Files.isRegularFile(log)) return "";
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * One PNG per swept key with numeric values: the observable of the done points against the key,
     * one line per combination of the other swept values; a log x axis for a log axis.
     */
    private static List<String> plots(Path dir, SweepPlan plan, List<Map<String, Object>> fields, String obs) {
        List<String> written = new ArrayList<>();
        for (SweepPlan.Axis axis : plan.axes())
            for (String key : axis.keys()) {
                Map<String, List<double[]>> series = new LinkedHashMap<>();
                for (int i = 0; i < plan.points().size(); i++) {
                    SweepPlan.Point p = plan.points().get(i);
                    Double x = number(p.params().get(key));
                    Double y = number(fields.get(i).get(obs));
                    if (x == null) { series.clear(); break; }   // a non-numeric axis: no plot
                    if (y == null) continue;
                    StringBuilder label = new StringBuilder();
                    for (SweepPlan.Axis other : plan.axes())
                        if (other != axis)
                            for (String k : other.keys()) label.append(label.isEmpty() ? "" : ", ").append(k).append(" = ").append(SweepPlan.render(p.params().get(k)));
                    series.computeIfAbsent(label.isEmpty() ? obs : label.toString(), l -> new ArrayList<>()).add(new double[]{x, y});
                }
                if (series.isEmpty()) continue;
                XYChart c = new XYChartBuilder().width(900).height(560).title("hartree " + plan.command() + " sweep: " + obs + " against " + key)
                        .xAxisTitle(key).yAxisTitle(obs).build();
                c.getStyler().setChartBackgroundColor(Color.WHITE);
                c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                c.getStyler().setXAxisLogarithmic(axis.log());
                c.getStyler().setLegendVisible(series.size() > 1);
                for (var e : series.entrySet()) {
                    List<double[]> pts = new ArrayList<>(e.getValue());
                    pts.sort((a, b) -> Double.compare(a[0], b[0]));
                    c.addSeries(e.getKey(), pts.stream().mapToDouble(a -> a[0]).toArray(), pts.stream().mapToDouble(a -> a[1]).toArray());
                }
                String name = (obs + "_vs_" + key).replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
                try {
                    byte[] png = BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
                    AtomicFiles.write(dir.resolve(name), o -> o.write(png));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot draw " + dir.resolve(name) + ": " + e.getMessage(), e);
                }
                written.add(name);
            }
        return written;
    }

    private static Double number(Object v) {
        if (v instanceof Number n) return Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
        if (v instanceof String s)
            try {
                double d = Double.parseDouble(s.trim());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        return null;
    }
}
