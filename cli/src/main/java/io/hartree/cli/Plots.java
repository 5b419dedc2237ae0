package io.hartree.cli;

import io.hartree.api.model.Grid3D;
import io.hartree.api.Observables;
import io.hartree.api.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * PNG figures of a run, drawn headless: the observables over time with XChart, and the density
 * slice |φ(x, y, 0)|² as a heat map drawn directly into an image (XChart's HeatMapChart labels
 * every cell, which is unreadable at 64² and above).
 */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /**
     * {@code -Dhartree.plots=off} skips the figures (with a warning in the summary): a sweep's many
     * small points, where drawing costs more than the run (the sweep passes hartree.* properties on
     * to its workers).
     */
    public static final String OFF_PROPERTY = "hartree.plots";

    /**
     * Draws figures with {@code draw}, best effort: a machine that cannot draw (a server without
     * fonts or fontconfig, a runtime without java.desktop, a broken AWT) gets a warning naming the
     * cause instead of a failed run, since the figures only restate files already written. A failure
     * to write (UncheckedIOException) and the JVM's own errors (out of memory) still propagate.
     *
     * @return the warning, empty when the figures were drawn
     */
    public static java.util.Optional<String> bestEffort(String what, Runnable draw) {
        if ("off".equals(System.getProperty(OFF_PROPERTY)))
            return java.util.Optional.of(what + ": figures not drawn (-D" + OFF_PROPERTY + "=off); the data files are complete");
        return draw(what, draw);
    }

    /** {@link #bestEffort} whatever {@link #OFF_PROPERTY} says (a sweep's own table figures). */
    static java.util.Optional<String> draw(String what, Runnable draw) {
        try {
            draw.run();
            return java.util.Optional.empty();
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            return java.util.Optional.of(skipped(what, e));
        } catch (Error e) {
            // InternalError is a VirtualMachineError too, and what AWT throws without fonts.
            if (e instanceof VirtualMachineError && !(e instanceof InternalError)) throw e;
            return java.util.Optional.of(skipped(what, e));
        }
    }

    private static String skipped(String what, Throwable e) {
        return "figures not drawn (" + what + "): " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + "; the data files are complete (install fonts/fontconfig for the PNGs)";
    }

    /** The files {@link #observables} writes. */
    public static final List<String> OBSERVABLE_FILES = List.of("energy.png", "conservation.png", "position.png", "x2.png");
    public static final String DENSITY_FILE = "density_z0.png";

    /**
     * Writes energy.png (E and its kinetic, trap and interaction parts), conservation.png
     * (|N(t) − N(0)| and |E(t) − E(0)|, log scale), position.png (⟨x⟩, ⟨y⟩, ⟨z⟩) and x2.png
     * (⟨|x|²⟩) into {@code dir}. {@code xLabel} names the time axis (real or imaginary time).
     */
    public static void observables(Path dir, List<ObservablesCsv.Row> rows, String title, String xLabel) {
        if (rows.isEmpty()) return;
        double[] t = column(rows, Observables::time);
        // Two panels: the parts (top) and the total's drift E(t) − E(0) (bottom). Drawn in one panel, E
        // lies on top of the interaction part for states near φ⁰ (kinetic + trap ≈ 0) and hides it.
        XYChart e = chart(title + ": energy parts", xLabel, "energy (units of hbar = 1)");
        add(e, "kinetic", t, column(rows, Observables::kinetic));
        add(e, "trap", t, column(rows, Observables::trap));
        add(e, "interaction", t, column(rows, Observables::interaction));
        double eStart = rows.getFirst().o().energy();
        XYChart d = chart(String.format(java.util.Locale.ROOT, "total energy E = kinetic + trap + interaction, E(0) = %.10g", eStart), xLabel, "E(t) - E(0)");
        add(d, "E(t) - E(0)", t, column(rows, o -> o.energy() - eStart)).setLineColor(Color.BLACK);
        d.getStyler().setLegendVisible(false);
        d.getStyler().setYAxisDecimalPattern("0.##E0");
        saveStacked(dir.resolve("energy.png"), e, d);

        double n0 = rows.getFirst().o().norm();
        double e0 = rows.getFirst().o().energy();
        XYChart c = chart(title + ": conservation", xLabel, "absolute error (log scale)");
        // A log axis cannot show exact zeros (the first row is zero by construction); they are
        // drawn at 1e-17, below double rounding of O(1) quantities.
        add(c, "|N(t) - N(0)|", t, column(rows, o -> Math.max(1e-17, Math.abs(o.norm() - n0))));
        add(c, "|E(t) - E(0)|", t, column(rows, o -> Math.max(1e-17, Math.abs(o.energy() - e0))));
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setYAxisDecimalPattern("0.#E0");
        save(dir.resolve("conservation.png"), c);

        XYChart p = chart(title + ": centre of mass", xLabel, "<x_d>");
        add(p, "<x>", t, column(rows, Observables::meanX));
        add(p, "<y>", t, column(rows, Observables::meanY));
        add(p, "<z>", t, column(rows, Observables::meanZ));
        save(dir.resolve("position.png"), p);

        XYChart w = chart(title + ": width", xLabel, "<|x|^2>");
        add(w, "<|x|^2>", t, column(rows, Observables::x2));
        w.getStyler().setLegendVisible(false);
        save(dir.resolve("x2.png"), w);
    }

    private static double[] column(List<ObservablesCsv.Row> rows, ToDoubleFunction<Observables> f) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) v[i] = f.applyAsDouble(rows.get(i).o());
        return v;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisDecimalPattern("0.####");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        return c;
    }

    private static XYSeries add(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** Two charts stacked vertically in one PNG (top above bottom, same width). */
    private static void saveStacked(Path file, XYChart top, XYChart bottom) {
        java.awt.image.BufferedImage a = BitmapEncoder.getBufferedImage(top);
        java.awt.image.BufferedImage b = BitmapEncoder.getBufferedImage(bottom);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(Math.max(a.getWidth(), b.getWidth()), a.getHeight() + b.getHeight(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        AtomicFiles.write(file, out -> javax.imageio.ImageIO.write(img, "png", out));
    }

    private static void save(Path file, XYChart c) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.write(file, out -> out.write(png));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Heat map of ρ(x, y) = |φ(x, y, z = 0)|² (the plane k = n/2, where z_k = 0) from the
     * interleaved state {@code psi} (C order, z fastest), with axes in units of length and a
     * colour bar. Colours follow the perceptually uniform viridis map, linear in ρ.
     */
    public static void densitySlice(Path file, Grid3D g, java.lang.foreign.MemorySegment psi, String title, String subtitle) {
        int n = g.n();
        int k0 = n / 2;
        double[][] rho = new double[n][n];
        double max = 0;
        var D = java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                long idx = g.complexIndex(i, j, k0);
                double re = psi.getAtIndex(D, idx), im = psi.getAtIndex(D, idx + 1);
                double v = re * re + im * im;
                rho[i][j] = v;
                max = Math.max(max, v);
            }
        int side = 512, left = 80, top = 70, barW = 24, gap = 30, right = 110, bottom = 70;
        int w = left + side + gap + barW + right, h = top + side + bottom;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        gr.setColor(Color.WHITE);
        gr.fillRect(0, 0, w, h);
        // x runs to the right, y upwards; each pixel takes the nearest grid cell.
        for (int py = 0; py < side; py++) {
            int j = Math.min(n - 1, (side - 1 - py) * n / side);
            for (int px = 0; px < side; px++) {
                int i = Math.min(n - 1, px * n / side);
                img.setRGB(left + px, top + py, viridis(max > 0 ? rho[i][j] / max : 0));
            }
        }
        for (int py = 0; py < side; py++)
            for (int px = 0; px < barW; px++)
                img.setRGB(left + side + gap + px, top + py, viridis(1.0 - (double) py / (side - 1)));
        gr.setColor(Color.BLACK);
        gr.setStroke(new BasicStroke(1f));
        gr.drawRect(left, top, side, side);
        gr.drawRect(left + side + gap, top, barW, side);
        gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = gr.getFontMetrics();
        double half = g.length() / 2;
        // Cell i is drawn centred on its coordinate x_i, so the image spans [−L/2 − dx/2, L/2 − dx/2).
        double lo = -half - 0.5 * g.dx();
        for (int m = 0; m <= 4; m++) {
            double value = -half + m * g.length() / 4;
            double frac = (value - lo) / g.length();
            if (frac <= 1) {
                String s = String.format(Locale.ROOT, "%.3g", value);
                int px = left + (int) Math.round(frac * side);
                int py = top + side - (int) Math.round(frac * side);
                gr.drawLine(px, top + side, px, top + side + 5);
                gr.drawString(s, px - fm.stringWidth(s) / 2, top + side + 20);
                gr.drawLine(left - 5, py, left, py);
                gr.drawString(s, left - 8 - fm.stringWidth(s), py + 5);
            }
            int py = top + side - (int) Math.round(m * side / 4.0);
            String b = String.format(Locale.ROOT, "%.3e", max * m / 4.0);
            gr.drawLine(left + side + gap + barW, py, left + side + gap + barW + 5, py);
            gr.drawString(b, left + side + gap + barW + 8, py + 5);
        }
        gr.drawString("x", left + side / 2, top + side + 45);
        var rot = gr.getTransform();
        gr.rotate(-Math.PI / 2);
        gr.drawString("y", -(top + side / 2), left - 55);
        gr.setTransform(rot);
        gr.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        gr.drawString(title, left, top - 42);
        gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        gr.drawString(subtitle, left, top - 22);
        gr.drawString("|phi|^2", left + side + gap - 6, top - 8);
        gr.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + file + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file, out -> bytes.writeTo(out));
    }

    /** Viridis colour at s in [0, 1], interpolated between nine of its reference colours. */
    public static int viridis(double s) {
        s = Math.max(0, Math.min(1, s));
        double f = s * (VIRIDIS.length - 1);
        int a = Math.min(VIRIDIS.length - 2, (int) f);
        double u = f - a;
        int c0 = VIRIDIS[a], c1 = VIRIDIS[a + 1];
        int r = (int) Math.round(((c0 >> 16) & 255) * (1 - u) + ((c1 >> 16) & 255) * u);
        int gg = (int) Math.round(((c0 >> 8) & 255) * (1 - u) + ((c1 >> 8) & 255) * u);
        int b = (int) Math.round((c0 & 255) * (1 - u) + (c1 & 255) * u);
        return (r << 16) | (gg << 8) | b;
    }

    private static final int[] VIRIDIS = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};

    static List<String> allFiles() {
        List<String> all = new ArrayList<>(OBSERVABLE_FILES);
        all.add(DENSITY_FILE);
        return all;
    }
}
