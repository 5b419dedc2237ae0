package io.hartree.cli.study;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class StudiesTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void fitRecoversAnExactPowerLaw() {
        double[] x = {10, 100, 1000, 1e4}, y = new double[4];
        for (int i = 0; i < 4; i++) y[i] = 3 * Math.pow(x[i], -1.5);
        LogLogFit f = LogLogFit.fit(x, y);
        assertEquals(-1.5, f.slope(), 1e-12, "exact data: slope");
        assertEquals(3, f.prefactor(), 1e-10, "exact data: prefactor");
        assertEquals(0, f.slopeError(), 1e-12, "exact data: no residual");
        // noisy: y = x^-1 · (1 ± 0.1 alternating): SE from the residuals, computed by hand
        double[] yn = {0.11, 0.009, 0.0011, 0.00009};
        LogLogFit g = LogLogFit.fit(x, yn);
        double mx = 0, my = 0;
        for (int i = 0; i < 4; i++) { mx += Math.log(x[i]) / 4; my += Math.log(yn[i]) / 4; }
        double sxx = 0, sxy = 0;
        for (int i = 0; i < 4; i++) { sxx += Math.pow(Math.log(x[i]) - mx, 2); sxy += (Math.log(x[i]) - mx) * (Math.log(yn[i]) - my); }
        double b = sxy / sxx, a = my - b * mx, rss = 0;
        for (int i = 0; i < 4; i++) rss += Math.pow(Math.log(yn[i]) - a - b * Math.log(x[i]), 2);
        assertEquals(b, g.slope(), 1e-12);
        assertEquals(Math.sqrt(rss / 2 / sxx), g.slopeError(), 1e-12);
    }

    @Test
    void marginalsStudyPassesAndWritesItsFiles(@TempDir Path dir) throws Exception {
        StudyResult r = new MarginalsStudy().run(new StudyContext(false, dir, QUIET, null));
        assertTrue(r.pass(), "marginals study: " + r.reasons());
        for (String f : new String[]{"report.md", "marginals.csv", "distance_loglog.png", "n_times_distance.png"})
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        String csv = Files.readString(dir.resolve("marginals.csv"));
        // N = 1e6, k = 2 row: N·d within 2e-6 of c_2 = 4 n1 n2 = 0.84 (the O(1/N) remainder)
        String row = csv.lines().filter(l -> l.startsWith("1000000,2,")).findFirst().orElseThrow();
        assertEquals(0.84, Double.parseDouble(row.split(",")[3]), 2e-6);
    }

    @Test
    void counterexamplesStudyPasses(@TempDir Path dir) throws Exception {
        StudyResult r = new CounterexamplesStudy().run(new StudyContext(false, dir, QUIET, null));
        assertTrue(r.pass(), "counterexamples study: " + r.reasons());
        String ranks = Files.readString(dir.resolve("ranks.csv"));
        assertTrue(ranks.lines().anyMatch(l -> l.startsWith("1000,3,4,4,2,")), "k = 3 ranks 4, 4, 2:\n" + ranks);
    }
}
