package io.hartree.api.hartree;

import io.hartree.api.model.InitialState;

import io.hartree.api.ParameterException;
import io.hartree.api.model.Grid3D;
import io.hartree.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class InitialStateTest {
    /** Riemann sums of resolved Gaussians on dx = 0.5 are exact to ~1e-15; 1e-12 leaves margin. */
    static final double QUADRATURE_TOL = 1e-12;

    static double[] moments(Grid3D g, double[] psi) {
        int n = g.n();
        double norm = 0, mx = 0, px = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            int q = 2 * ((i * n + j) * n + k);
            double r = psi[q] * psi[q] + psi[q + 1] * psi[q + 1];
            norm += r;
            mx += g.x(i) * r;
        }
        // <p_y> from the phase gradient along y: Im(conj(ψ) ∂_y ψ) by central differences is not
        // exact; the phase of ψ at two neighbouring points gives p0 exactly for a plane-wave factor.
        int c = n / 2;
        int a = 2 * ((c * n + c) * n + c), b = 2 * ((c * n + c + 1) * n + c);
        double phA = Math.atan2(psi[a + 1], psi[a]), phB = Math.atan2(psi[b + 1], psi[b]);
        px = (phB - phA) / g.dx();
        return new double[]{norm * g.dV(), mx / norm, px};
    }

    @Test
    void groundAndDisplacedGaussianAreNormalisedAndPlaced() {
        Grid3D g = new Grid3D(32, 16);
        double[] m0 = moments(g, InitialState.parse("ground").sample(g));
        assertEquals(1, m0[0], QUADRATURE_TOL, "norm of phi0");
        InitialState s = InitialState.parse("gaussian:x0=1.5,0,-0.5;p0=0,0.25,0");
        double[] m1 = moments(g, s.sample(g));
        assertEquals(1, m1[0], QUADRATURE_TOL, "norm of the displaced Gaussian");
        assertEquals(1.5, m1[1], QUADRATURE_TOL, "<x> = x0");
        assertEquals(0.25, m1[2], 1e-12, "phase gradient along y = p0_y");
        assertEquals(s, InitialState.parse(s.spec()), "spec round trip");
    }

    @Test
    void badSpecsNameTheParameter() {
        for (String bad : new String[]{"", "sech", "gaussian:x0=1,2", "gaussian:q=1,2,3", "gaussian:x0=a,b,c", "ground:x0=1,0,0", "npy:"}) {
            ParameterException e = assertThrows(ParameterException.class, () -> InitialState.parse(bad), bad);
            assertEquals("--initial", e.parameter(), bad);
        }
    }

    @Test
    void fileStatesAreCheckedAndRenormalised(@TempDir Path dir) {
        Grid3D g = new Grid3D(8, 8);
        double[] psi = InitialState.parse("gaussian:x0=0.5,0,0;p0=0,0,1").sample(g);
        double norm = 0;
        for (double v : psi) norm += v * v;
        norm *= g.dV();
        double[] twice = psi.clone();
        for (int i = 0; i < twice.length; i++) twice[i] *= 2;
        Path f = dir.resolve("psi.npy");
        Npy.writeComplex(f, twice, 8, 8, 8);
        List<String> warnings = new ArrayList<>();
        double[] back = InitialState.parse("npy:" + f).sample(g, warnings::add);
        assertEquals(1, warnings.size(), "one renormalisation warning");
        double[] expect = psi.clone();
        for (int i = 0; i < expect.length; i++) expect[i] /= Math.sqrt(norm);
        for (int i = 0; i < back.length; i++) assertEquals(expect[i], back[i], 1e-15, "renormalised value " + i);
        Path real = dir.resolve("real.npy");
        double[] re = new double[512];
        for (int i = 0; i < 512; i++) re[i] = psi[2 * i] / Math.sqrt(norm);
        Npy.writeReal(real, re, 8, 8, 8);
        warnings.clear();
        double[] r = new InitialState.FromFile(real).sample(g, warnings::add);
        assertEquals(0, r[1], 0, "imaginary part of a float64 state");
        ParameterException e = assertThrows(ParameterException.class, () -> new InitialState.FromFile(real).sample(new Grid3D(16, 8), w -> {}));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }
}
