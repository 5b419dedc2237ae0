package io.hartree.cli.fields;

import io.hartree.api.io.AtomicFiles;
import io.hartree.api.model.Grid3D;
import io.hartree.cli.Plots;

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
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pictures of a state that are compared with experiment, drawn headless as PNG heat maps
 * (viridis, linear, a colour bar per panel, axes in the run's length unit, ħ = 1 units as the
 * run's config): the column densities n_z(x, y), n_y(x, z), n_x(y, z) ({@link ColumnDensity}),
 * the density slices |ψ|² through the centre in the planes z = 0, y = 0, x = 0, and a strip of
 * n_z over time on one colour scale. A machine without fonts throws here; callers draw through
 * {@link Plots#bestEffort}, which turns that into a warning.
 */
public final class FieldPlots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private FieldPlots() {}

    public static final String COLUMNS_FILE = "column_density.png";
    public static final String SLICES_FILE = "density_slices.png";
    public static final String STRIP_FILE = "column_density_strip.png";
    /** The animation of n_z over time (javax.imageio's GIF writer, looping). */
    public static final String ANIMATION_FILE = "column_density.gif";
    /** The animation shows at most this many snapshots, evenly spread over the series (the first and the last included). */
    public static final int ANIMATION_MAX = 100;
    /** Delay between frames of the animation, in hundredths of a second (GIF's unit). */
    public static final int ANIMATION_DELAY_CS = 20;

    /** Per-snapshot figures go to this subfolder: snapshots/column_NNNNNN.png. */
    public static final String SNAPSHOT_DIR = "snapshots";

    static final int SIDE = 300, LEFT = 70, GAP = 14, BAR = 16, RIGHT = 86, TOP = 84, BOTTOM = 56;
    /** Width of one panel with its colour bar and labels. */
    static final int PANEL_W = LEFT + SIDE + GAP + BAR + RIGHT;
    /** Size of the three-panel figures (columns, slices). */
    public static final int WIDTH = 3 * PANEL_W, HEIGHT = TOP + SIDE + BOTTOM;
    /** The strip shows at most this many snapshots, evenly spread over the series. */
    public static final int STRIP_MAX = 8;
    /** Size of a frame of the animation: one panel with its colour bar. */
    public static final int FRAME_W = PANEL_W, FRAME_H = HEIGHT;

    public static String snapshotFile(int index) {
        return String.format(Locale.ROOT, "%s/column_%06d.png", SNAPSHOT_DIR, index);
    }

    /** column_density.png-style figure: n_z(x, y), n_y(x, z), n_x(y, z), each with its own colour bar. */
    public static void columns(Path file, Grid3D g, ColumnDensity c, String title, String subtitle) {
        BufferedImage img = canvas(WIDTH, HEIGHT);
        Graphics2D gr = graphics(img);
        panel(img, gr, 0, g, c.alongZ(), max(c.alongZ()), "x", "y", "n_z(x, y) = integral |psi|^2 dz", true);
        panel(img, gr, PANEL_W, g, c.alongY(), max(c.alongY()), "x", "z", "n_y(x, z) = integral |psi|^2 dy", true);
        panel(img, gr, 2 * PANEL_W, g, c.alongX(), max(c.alongX()), "y", "z", "n_x(y, z) = integral |psi|^2 dx", true);
        titles(gr, title, subtitle);
        save(file, img, gr);
    }

    /** density_slices.png: |ψ|² in the planes z = 0, y = 0, x = 0 (grid index n/2, where the coordinate is 0). */
    public static void slices(Path file, Grid3D g, MemorySegment psi, String title, String subtitle) {
        int n = g.n(), c = n / 2;
        double[] xy = new double[n * n], xz = new double[n * n], yz = new double[n * n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) {
                xy[b * n + a] = rho(g, psi, a, b, c);   // [y][x]
                xz[b * n + a] = rho(g, psi, a, c, b);   // [z][x]
                yz[b * n + a] = rho(g, psi, c, a, b);   // [z][y]
            }
        BufferedImage img = canvas(WIDTH, HEIGHT);
        Graphics2D gr = graphics(img);
        panel(img, gr, 0, g, xy, max(xy), "x", "y", "|psi(x, y, 0)|^2", true);
        panel(img, gr, PANEL_W, g, xz, max(xz), "x", "z", "|psi(x, 0, z)|^2", true);
        panel(img, gr, 2 * PANEL_W, g, yz, max(yz), "y", "z", "|psi(0, y, z)|^2", true);
        titles(gr, title, subtitle);
        save(file, img, gr);
    }

    /**
     * column_density_strip.png: n_z(x, y) at up to {@link #STRIP_MAX} snapshots (the first, the
     * last and evenly spaced ones between), on one colour scale so that the frames compare.
     */
    public static void strip(Path file, Grid3D g, List<double[]> alongZ, List<Double> times, String title, String subtitle) {
        List<Integer> pick = stripFrames(alongZ.size());
        double max = 0;
        for (int i : pick) max = Math.max(max, max(alongZ.get(i)));
        int frameW = LEFT + SIDE;
        int w = pick.size() * frameW + GAP + BAR + RIGHT;
        BufferedImage img = canvas(w, HEIGHT);
        Graphics2D gr = graphics(img);
        for (int f = 0; f < pick.size(); f++) {
            int i = pick.get(f);
            panel(img, gr, f * frameW, g, alongZ.get(i), max, "x", f == 0 ? "y" : "",
                    String.format(Locale.ROOT, "t = %.6g", times.get(i)), false);
        }
        colourBar(img, gr, pick.size() * frameW + GAP, max, "n_z");
        titles(gr, title, subtitle);
        save(file, img, gr);
    }

    /** Indices of the frames of the strip: all when few, else the first, the last and evenly spaced ones. */
    public static List<Integer> stripFrames(int count) {
        return frames(count, STRIP_MAX);
    }

    /** Indices of {@code count} snapshots shown in at most {@code max} frames: all when few, else the first, the last and evenly spaced ones. */
    public static List<Integer> frames(int count, int max) {
        List<Integer> pick = new ArrayList<>();
        if (count <= max) {
            for (int i = 0; i < count; i++) pick.add(i);
            return pick;
        }
        for (int f = 0; f < max; f++) pick.add((int) Math.round(f * (count - 1) / (double) (max - 1)));
        return pick;
    }

    /**
     * column_density.gif: n_z(x, y) of each snapshot given ({@code alongZ.get(f)} at {@code times.get(f)})
     * as one frame, on one colour scale (the largest value of all frames), {@link #ANIMATION_DELAY_CS}
     * hundredths of a second apart, looping (the NETSCAPE2.0 extension). Written with the JDK's
     * javax.imageio GIF writer, which maps each RGB frame to a 256-colour palette of its own.
     */
    public static void animation(Path file, Grid3D g, List<double[]> alongZ, List<Double> times, String title) {
        if (alongZ.isEmpty()) throw new IllegalArgumentException("no frames");
        double max = 0;
        for (double[] v : alongZ) max = Math.max(max, max(v));
        javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(ios);
            w.prepareWriteSequence(null);
            for (int f = 0; f < alongZ.size(); f++) {
                BufferedImage img = canvas(FRAME_W, FRAME_H);
                Graphics2D gr = graphics(img);
                panel(img, gr, 0, g, alongZ.get(f), max, "x", "y", "n_z(x, y) = integral |psi|^2 dz", true);
                gr.setColor(Color.BLACK);
                gr.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
                gr.drawString(title, 12, 24);
                gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                gr.drawString(String.format(Locale.ROOT, "t = %.6g  (frame %d of %d)", times.get(f), f + 1, alongZ.size()), 12, 46);
                gr.dispose();
                javax.imageio.ImageWriteParam param = w.getDefaultWriteParam();
                javax.imageio.metadata.IIOMetadata meta = w.getDefaultImageMetadata(javax.imageio.ImageTypeSpecifier.createFromRenderedImage(img), param);
                String format = meta.getNativeMetadataFormatName();
                javax.imageio.metadata.IIOMetadataNode root = (javax.imageio.metadata.IIOMetadataNode) meta.getAsTree(format);
                javax.imageio.metadata.IIOMetadataNode gce = child(root, "GraphicControlExtension");
                gce.setAttribute("disposalMethod", "none");
                gce.setAttribute("userInputFlag", "FALSE");
                gce.setAttribute("transparentColorFlag", "FALSE");
                gce.setAttribute("delayTime", Integer.toString(ANIMATION_DELAY_CS));
                gce.setAttribute("transparentColorIndex", "0");
                if (f == 0) {
                    javax.imageio.metadata.IIOMetadataNode apps = child(root, "ApplicationExtensions");
                    javax.imageio.metadata.IIOMetadataNode app = new javax.imageio.metadata.IIOMetadataNode("ApplicationExtension");
                    app.setAttribute("applicationID", "NETSCAPE");
                    app.setAttribute("authenticationCode", "2.0");
                    app.setUserObject(new byte[]{1, 0, 0}); // sub-block 1: loop count 0 = for ever
                    apps.appendChild(app);
                }
                meta.setFromTree(format, root);
                w.writeToSequence(new javax.imageio.IIOImage(img, null, meta), param);
            }
            w.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            w.dispose();
        }
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file, out -> bytes.writeTo(out));
    }

    /** The child {@code name} of a metadata tree, created when absent. */
    private static javax.imageio.metadata.IIOMetadataNode child(javax.imageio.metadata.IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++)
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (javax.imageio.metadata.IIOMetadataNode) root.item(i);
        javax.imageio.metadata.IIOMetadataNode node = new javax.imageio.metadata.IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    private static double rho(Grid3D g, MemorySegment psi, int i, int j, int k) {
        long at = g.complexIndex(i, j, k);
        var D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
        double re = psi.getAtIndex(D, at), im = psi.getAtIndex(D, at + 1);
        return re * re + im * im;
    }

    static double max(double[] v) {
        double m = 0;
        for (double a : v) m = Math.max(m, a);
        return m;
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        gr.setColor(Color.WHITE);
        gr.fillRect(0, 0, w, h);
        gr.dispose();
        return img;
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D gr = img.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return gr;
    }

    /**
     * One heat map at horizontal offset {@code x0}: {@code v[r·n + c]} with c along the horizontal
     * axis (to the right) and r along the vertical one (upwards); cell c drawn centred on its
     * coordinate, as {@link Plots#densitySlice} does. With {@code bar}, its own colour bar to the right.
     */
    private static void panel(BufferedImage img, Graphics2D gr, int x0, Grid3D g, double[] v, double max,
                              String hLabel, String vLabel, String name, boolean bar) {
        int n = g.n();
        int left = x0 + LEFT;
        for (int py = 0; py < SIDE; py++) {
            int r = Math.min(n - 1, (SIDE - 1 - py) * n / SIDE);
            for (int px = 0; px < SIDE; px++) {
                int c = Math.min(n - 1, px * n / SIDE);
                img.setRGB(left + px, TOP + py, Plots.viridis(max > 0 ? v[r * n + c] / max : 0));
            }
        }
        gr.setColor(Color.BLACK);
        gr.setStroke(new BasicStroke(1f));
        gr.drawRect(left, TOP, SIDE, SIDE);
        FontMetrics fm = gr.getFontMetrics();
        double half = g.length() / 2, lo = -half - 0.5 * g.dx();
        for (int m = 0; m <= 4; m++) {
            double value = -half + m * g.length() / 4;
            double frac = (value - lo) / g.length();
            if (frac > 1) continue;
            String s = String.format(Locale.ROOT, "%.3g", value);
            int px = left + (int) Math.round(frac * SIDE), py = TOP + SIDE - (int) Math.round(frac * SIDE);
            gr.drawLine(px, TOP + SIDE, px, TOP + SIDE + 4);
            gr.drawString(s, px - fm.stringWidth(s) / 2, TOP + SIDE + 17);
            gr.drawLine(left - 4, py, left, py);
            gr.drawString(s, left - 7 - fm.stringWidth(s), py + 4);
        }
        gr.drawString(hLabel, left + SIDE / 2, TOP + SIDE + 36);
        if (!vLabel.isEmpty()) gr.drawString(vLabel, left - 50, TOP + SIDE / 2);
        gr.drawString(name, left, TOP - 8);
        if (bar) colourBar(img, gr, left + SIDE + GAP, max, "");
    }

    /** A vertical viridis bar at x = {@code x}, labelled 0 … max in five ticks. */
    private static void colourBar(BufferedImage img, Graphics2D gr, int x, double max, String label) {
        for (int py = 0; py < SIDE; py++)
            for (int px = 0; px < BAR; px++)
                img.setRGB(x + px, TOP + py, Plots.viridis(1.0 - (double) py / (SIDE - 1)));
        gr.setColor(Color.BLACK);
        gr.drawRect(x, TOP, BAR, SIDE);
        for (int m = 0; m <= 4; m++) {
            int py = TOP + SIDE - (int) Math.round(m * SIDE / 4.0);
            gr.drawLine(x + BAR, py, x + BAR + 4, py);
            gr.drawString(String.format(Locale.ROOT, "%.2e", max * m / 4.0), x + BAR + 6, py + 4);
        }
        if (!label.isEmpty()) gr.drawString(label, x, TOP - 24);
    }

    private static void titles(Graphics2D gr, String title, String subtitle) {
        gr.setColor(Color.BLACK);
        gr.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        gr.drawString(title, LEFT, 28);
        gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        gr.drawString(subtitle, LEFT, 50);
    }

    private static void save(Path file, BufferedImage img, Graphics2D gr) {
        gr.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file, out -> bytes.writeTo(out));
    }
}
