package io.hartree.cli.fields;

import io.hartree.api.model.Grid3D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Column densities against closed forms, and their figures. The state is φ⁰ displaced by
 * (a, b, c) = (1.5, −0.5, 0) with a phase e^{i p·x}: |ψ|² = π^{−3/2} e^{−|x − x₀|²}, so
 * n_z(x, y) = π^{−1} e^{−(x−a)² − (y−b)²}, n_y(x, z) = π^{−1} e^{−(x−a)² − (z−c)²},
 * n_x(y, z) = π^{−1} e^{−(y−b)² − (z−c)²}, each integrating to 1. Distinct offsets per axis
 * make a swapped axis fail.
 */
class ColumnDensityTest {
    @TempDir
    Path tmp;

    /** 32³ on L = 16 (dx = 0.5): the Riemann sum of a unit Gaussian is exact to ~e^{−π²/dx²} ≈ 1e−17, the tails at the faces e^{−(8−1.5)²} ≈ 5e−19. */
    static final Grid3D G = new Grid3D(32, 16);
    static final double A = 1.5, B = -0.5, C = 0;

    /** Grid error of the sums (above) plus rounding of ~n terms of O(1): 1e−12 (the brief's bar for the norm). */
    static final double TOL = 1e-12;

    static MemorySegment displaced(Grid3D g) {
        MemorySegment psi = Arena.ofAuto().allocate(2 * g.points() * Double.BYTES, 64);
        var D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
        int n = g.n();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) {
                    double x = g.x(i), y = g.x(j), z = g.x(k);
                    double amp = Math.pow(Math.PI, -0.75) * Math.exp(-((x - A) * (x - A) + (y - B) * (y - B) + (z - C) * (z - C)) / 2);
                    double ph = 0.7 * x - 0.3 * z;
                    psi.setAtIndex(D, g.complexIndex(i, j, k), amp * Math.cos(ph));
                    psi.setAtIndex(D, g.complexIndex(i, j, k) + 1, amp * Math.sin(ph));
                }
        return psi;
    }

    static double gauss2(double u, double u0, double v, double v0) {
        return Math.exp(-(u - u0) * (u - u0) - (v - v0) * (v - v0)) / Math.PI;
    }

    @Test
    void columnDensitiesMatchTheClosedFormAndIntegrateToTheNorm() {
        ColumnDensity c = ColumnDensity.of(G, displaced(G));
        int n = G.n();
        double ez = 0, ey = 0, ex = 0;
        for (int r = 0; r < n; r++)
            for (int q = 0; q < n; q++) {
                ez = Math.max(ez, Math.abs(c.alongZ()[r * n + q] - gauss2(G.x(q), A, G.x(r), B)));   // [y][x]
                ey = Math.max(ey, Math.abs(c.alongY()[r * n + q] - gauss2(G.x(q), A, G.x(r), C)));   // [z][x]
                ex = Math.max(ex, Math.abs(c.alongX()[r * n + q] - gauss2(G.x(q), B, G.x(r), C)));   // [z][y]
            }
        assertEquals(0, ez, TOL, "n_z against pi^-1 exp(-(x-a)^2-(y-b)^2)");
        assertEquals(0, ey, TOL, "n_y against pi^-1 exp(-(x-a)^2-(z-c)^2)");
        assertEquals(0, ex, TOL, "n_x against pi^-1 exp(-(y-b)^2-(z-c)^2)");
        assertEquals(1.0, c.normAlongZ(), TOL, "dx^2 sum n_z = norm = 1");
        assertEquals(1.0, c.normAlongY(), TOL);
        assertEquals(1.0, c.normAlongX(), TOL);
    }

    @Test
    void figuresHaveTheirSizeAndShowTheField() throws Exception {
        MemorySegment psi = displaced(G);
        ColumnDensity c = ColumnDensity.of(G, psi);
        Path cols = tmp.resolve("c.png"), sl = tmp.resolve("s.png"), strip = tmp.resolve("strip.png");
        FieldPlots.columns(cols, G, c, "title", "subtitle");
        FieldPlots.slices(sl, G, psi, "title", "subtitle");
        FieldPlots.strip(strip, G, List.of(c.alongZ(), c.alongZ(), c.alongZ()), List.of(0.0, 0.1, 0.2), "title", "subtitle");
        for (Path p : List.of(cols, sl)) {
            BufferedImage img = ImageIO.read(p.toFile());
            assertEquals(FieldPlots.WIDTH, img.getWidth(), p + " width");
            assertEquals(FieldPlots.HEIGHT, img.getHeight(), p + " height");
            // Inside the first panel: the heat map of a Gaussian has several viridis levels (a constant field has one).
            int levels = colours(img, FieldPlots.LEFT, FieldPlots.TOP, FieldPlots.SIDE);
            assertTrue(levels > 5, p + " panel colours: " + levels);
            // The peak of n_z lies at x = 1.5, y = -0.5: the brightest pixel of panel 1 is there (within a cell).
            int[] peak = brightest(img, FieldPlots.LEFT, FieldPlots.TOP, FieldPlots.SIDE);
            double px = -8 - 0.25 + (peak[0] + 0.5) * 16.0 / FieldPlots.SIDE, py = -8 - 0.25 + (FieldPlots.SIDE - peak[1] - 0.5) * 16.0 / FieldPlots.SIDE;
            assertEquals(A, px, 0.5, p + " peak x");
            assertEquals(B, py, 0.5, p + " peak y");
        }
        BufferedImage s = ImageIO.read(strip.toFile());
        assertEquals(3 * (FieldPlots.LEFT + FieldPlots.SIDE) + FieldPlots.GAP + FieldPlots.BAR + FieldPlots.RIGHT, s.getWidth());
        assertEquals(FieldPlots.HEIGHT, s.getHeight());
    }

    @Test
    void theStripSpreadsItsFramesOverTheSeries() {
        assertEquals(List.of(0, 1, 2), FieldPlots.stripFrames(3));
        assertEquals(List.of(0, 3, 6, 9, 11, 14, 17, 20), FieldPlots.stripFrames(21), "first, last and evenly spaced");
    }

    static int colours(BufferedImage img, int x0, int y0, int side) {
        Set<Integer> s = new HashSet<>();
        for (int y = y0 + 1; y < y0 + side; y++) for (int x = x0 + 1; x < x0 + side; x++) s.add(img.getRGB(x, y) & 0xffffff);
        return s.size();
    }

    /** The pixel of largest luminance in the panel (viridis is monotone in luminance), relative to its corner. */
    static int[] brightest(BufferedImage img, int x0, int y0, int side) {
        int[] best = {0, 0};
        double lum = -1;
        for (int y = 1; y < side; y++)
            for (int x = 1; x < side; x++) {
                int rgb = img.getRGB(x0 + x, y0 + y);
                double l = 0.2126 * ((rgb >> 16) & 255) + 0.7152 * ((rgb >> 8) & 255) + 0.0722 * (rgb & 255);
                if (l > lum) { lum = l; best = new int[]{x, y}; }
            }
        return best;
    }
}
