package io.hartree.api.hartree;

import io.hartree.api.ParameterException;
import io.hartree.api.conformance.DipolarConformance;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.Interaction;
import io.hartree.api.testing.JTransformsHost;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dipolar kernel, sums and the LHY term of {@link ConvolutionKernel} against closed forms. */
class DipolarKernelTest {
    static ConvolutionKernel build(Grid3D g, Interaction v, ConvolutionMode mode) {
        return ConvolutionKernel.build(g, v, mode, JTransformsHost.INSTANCE);
    }

    /** ½Σ(V*ρ)ρ dV of the density of {@code psi}. */
    static double energy(ConvolutionKernel k, double[] psi) {
        double[] rho = new double[psi.length / 2];
        for (int i = 0; i < rho.length; i++) rho[i] = psi[2 * i] * psi[2 * i] + psi[2 * i + 1] * psi[2 * i + 1];
        double[] w = k.apply(rho);
        double s = 0;
        for (int i = 0; i < rho.length; i++) s += w[i] * rho[i];
        return 0.5 * s * k.grid().dV();
    }

    /** erfc by its Taylor series of erf (|x| ≤ 3, cancellation ~1e-13) or Laplace's continued fraction (x > 3, 80 terms). */
    static double erfc(double x) {
        if (x < 0) return 2 - erfc(-x);
        if (x <= 3) {
            double term = x, sum = x;
            for (int n = 1; n < 200; n++) {
                term *= -x * x / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-18) break;
            }
            return 1 - 2 / Math.sqrt(Math.PI) * sum;
        }
        double f = x;
        for (int k = 80; k >= 1; k--) f = x + (k / 2.0) / f;
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /**
     * The Gaussian energies of the conformance suite (DipolarConformance.gaussianDipolarEnergy, κ = 2/3, 1, 1.5)
     * through {@link ConvolutionKernel#apply}: padded and truncated (the same cutoff kernel, R = L) reach 1e-6 (measured
     * 4e-11); periodic (no cutoff) is off by O(C_dd/L³), measured and bounded here, so it does not.
     */
    @Test
    void gaussianEnergyPerMode() {
        Grid3D g = new Grid3D(32, 19.2);
        double scale = Math.abs(DipolarConformance.gaussianDipolarEnergy(1, 1, 1, 1.5));
        double[][] widths = {{1, 1.5}, {1.2, 1.2}, {1.5, 1}};
        for (ConvolutionMode mode : ConvolutionMode.values()) {
            ConvolutionKernel k = build(g, new Interaction.Dipolar(1, 0, 0, 1), mode);
            double worst = 0;
            for (double[] w : widths) {
                double exact = DipolarConformance.gaussianDipolarEnergy(1, 1, w[0], w[1]);
                worst = Math.max(worst, Math.abs(energy(k, DipolarConformance.gaussianState(g, w[0], w[1], 2)) - exact) / scale);
            }
            System.out.printf("dipolar Gaussian energy, %s: worst error %.2e of |E(kappa = 2/3)|%n", mode.label(), worst);
            if (mode == ConvolutionMode.PERIODIC) assertTrue(worst > 1e-6 && worst < 1e-2, "periodic: O(C_dd/L^3) error " + worst);
            else assertTrue(worst < 1e-6, mode + ": " + worst);
        }
    }

    /**
     * V_R * n of a uniformly polarised ball with a smoothed edge, n(r) = ½erfc((r − a)/w) − ½erfc((r + a)/w)
     * (the second term, ~e^{−a²/w²}, makes n even in r: without it n has a cusp n'(0)|x| at the origin
     * whose algebraic spectrum cost 3e-7 of max|Φ| near r = 0), against the closed form. With V_dd = −(C_dd/4π)∂_z²(1/r) − (C_dd/3)δ (from ∂_i∂_j r⁻¹ = (3x_ix_j − r²δ_ij)/r⁵ −
     * (4π/3)δ_ijδ), Φ = −∂_z²φ_C − C_dd n/3 with ∇²φ_C = −C_dd n; for a radial n this is
     * Φ(r, θ) = C_dd(3cos²θ − 1)[n(r)/3 − M(r)/(4πr³)] = −C_dd(3cos²θ − 1)S(r)/(3r³), S(r) = ∫_0^r s³g(s)ds,
     * g = −n' = [e^{−(s−a)²/w²} − e^{−(s+a)²/w²}]/(w√π) (M = 4π∫s²n by parts). Inside the sharp sphere
     * (w → 0) Φ = 0; outside Φ = C_dd N(1 − 3cos²θ)/(4πr³), a point dipole of moment
     * N = M(∞) = (4π/3)(a³ + 3aw²/2) — both limits hold 3w away from the edge up to the erfc tail (1e-5,
     * tolerance 1e-4 of max|Φ|). Compared at |x| ≤ L − (a + 6w) (every source point within R = L); the
     * edge is resolved (48³ on L = 10: spectrum e^{−k²w²/4} = e^{−17} at the band edge), so the tolerance
     * of the closed form is 1e-9 of max|Φ| (measured 6e-12 along z, 9e-11 for the oblique axis whose Nyquist-plane
     * entries are averaged; 64³ on L = 12
     * with w = 0.6 gives 5e-13). The box holds the ball to erfc(5) = 2e-12.
     */
    @Test
    void polarisedBallAgainstTheClosedForm() {
        Grid3D g = new Grid3D(48, 10);
        double a = 2, w = 0.55, cdd = 1;
        int n = g.n();
        double[] rho = new double[n * n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            double r = Math.sqrt(g.x(i) * g.x(i) + g.x(j) * g.x(j) + g.x(k) * g.x(k));
            rho[(i * n + j) * n + k] = 0.5 * erfc((r - a) / w) - 0.5 * erfc((r + a) / w);
        }
        for (double[] axis : new double[][]{{0, 0, 1}, {1, -1, 2}}) {
            double[] u = new Interaction.Dipolar(cdd, axis[0], axis[1], axis[2]).unitAxis();
            double[] phi = build(g, new Interaction.Dipolar(cdd, axis[0], axis[1], axis[2]), ConvolutionMode.PADDED).apply(rho);
            double err = 0, max = 0, inside = 0, outside = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
                double x = g.x(i), y = g.x(j), z = g.x(k), r = Math.sqrt(x * x + y * y + z * z);
                if (r > g.length() - (a + 6 * w)) continue;
                double exact = 0;
                if (r > 0) {
                    double c = (x * u[0] + y * u[1] + z * u[2]) / r;
                    exact = -cdd * (3 * c * c - 1) * (fifthMoment(r, a, w) - fifthMoment(r, -a, w)) / (3 * r * r * r);
                }
                double got = phi[(i * n + j) * n + k];
                err = Math.max(err, Math.abs(got - exact));
                max = Math.max(max, Math.abs(exact));
                if (r < a - 3 * w) inside = Math.max(inside, Math.abs(got));
                if (r > a + 3 * w) {
                    double c = (x * u[0] + y * u[1] + z * u[2]) / r, N = 4 * Math.PI / 3 * (a * a * a + 1.5 * a * w * w);
                    outside = Math.max(outside, Math.abs(got - cdd * N * (1 - 3 * c * c) / (4 * Math.PI * r * r * r)));
                }
            }
            System.out.printf("polarised ball, axis %s: max error %.2e of max|Phi| = %.4f; inside |Phi| <= %.2e, outside vs point dipole %.2e%n",
                    java.util.Arrays.toString(axis), err / max, max, inside, outside);
            assertTrue(max > 0.1, "the potential is not trivial: " + max);
            assertEquals(0, err, 1e-9 * max, "Phi against the closed form, axis " + java.util.Arrays.toString(axis));
            assertTrue(inside > 0 && outside > 0, "points inside and outside were compared");
            assertEquals(0, inside, 1e-4 * max, "inside the ball: 0 (up to the erfc tail)");
            assertEquals(0, outside, 1e-4 * max, "outside: the point dipole of moment N");
        }
    }

    /**
     * S(r) = ∫_0^r s³g(s)ds, g = e^{−(s−a)²/w²}/(w√π) (a of either sign): with s = a + wu, (a + wu)³ expanded and
     * ∫u^j e^{−u²}/√π in closed form between U0 = −a/w and U1 = (r − a)/w.
     */
    static double fifthMoment(double r, double a, double w) {
        double u0 = -a / w, u1 = (r - a) / w, e0 = Math.exp(-u0 * u0), e1 = Math.exp(-u1 * u1), sp = Math.sqrt(Math.PI);
        double i0 = 0.5 * (erfc(u0) - erfc(u1));
        double i1 = (e0 - e1) / (2 * sp);
        double i2 = 0.5 * i0 + (u0 * e0 - u1 * e1) / (2 * sp);
        double i3 = ((u0 * u0 + 1) * e0 - (u1 * u1 + 1) * e1) / (2 * sp);
        return a * a * a * i0 + 3 * a * a * w * i1 + 3 * a * w * w * i2 + w * w * w * i3;
    }

    /**
     * The cutoff factor against a direct transform: V̂_R(k) for k along the axis equals
     * ∫_{r<R} V_dd e^{−ik·r} = 2C_dd∫_0^{kR} j₂(x)/x dx (Legendre expansion, P₂ term) = C_dd(2/3)f(kR);
     * the integral by Simpson's rule (2·10⁴ intervals; j₂'s closed form cancels to ~1e-14 near 0.2: 1e-11 absolute). The series branch (X < 1) meets the closed form at 1 and matches a 40-digit value at 0.1.
     */
    @Test
    void cutoffFactorAgainstQuadrature() {
        for (double X : new double[]{0.3, 1, 2.5, 7, 20}) {
            int m = 20000;
            double h = X / m, s = 0;
            for (int q = 0; q <= m; q++) {
                double x = q * h, f = x == 0 ? 0 : j2(x) / x;
                s += (q == 0 || q == m ? 1 : q % 2 == 1 ? 4 : 2) * f;
            }
            s *= h / 3;
            assertEquals(2 * s, 2.0 / 3 * Interaction.Dipolar.truncation(X), 1e-11, "2 int_0^X j2(x)/x dx vs (2/3) f(X), X = " + X);
        }
        double x = 1, direct = 1 + 3 * Math.cos(x) / (x * x) - 3 * Math.sin(x) / (x * x * x);
        assertEquals(direct, Interaction.Dipolar.truncation(Math.nextDown(1.0)), 1e-15, "series meets the closed form at 1");
        double y = 0.0999999999;  // 40-digit value of 1 + 3cos y/y² − 3sin y/y³ (mpmath)
        assertEquals(9.996429212743364e-4, Interaction.Dipolar.truncation(y), 1e-19, "series at 0.1");
        Interaction.Dipolar d = new Interaction.Dipolar(2, 0, 0, 1);
        assertEquals(2 * (1 - 1.0 / 3), d.fourier(0, 0, 3), 1e-15, "V^ along the axis: cdd (1 - 1/3)");
        assertEquals(2 * (-1.0 / 3), d.fourier(3, 0, 0), 1e-15, "V^ across: -cdd/3");
        assertEquals(0, d.fourier(0, 0, 0), 0, "k = 0: 0");
    }

    /** j₂(x); below 0.2 its series x²/15 − x⁴/210 + x⁶/7560 − x⁸/498960 (the closed form cancels there). */
    static double j2(double x) {
        if (x < 0.2) { double y = x * x; return y / 15 - y * y / 210 + y * y * y / 7560 - y * y * y * y / 498960; }
        return (3 / (x * x) - 1) * Math.sin(x) / x - 3 * Math.cos(x) / (x * x);
    }

    /** A sum's mean field is the sum of its parts' (contact + dipolar + Gaussian; periodic, padded, truncated with a Coulomb term). */
    @Test
    void sumMeanFieldIsTheSumOfTheParts() {
        Grid3D g = new Grid3D(12, 9);
        java.util.Random rnd = new java.util.Random(5);
        double[] rho = new double[g.n() * g.n() * g.n()];
        for (int i = 0; i < rho.length; i++) rho[i] = rnd.nextDouble();
        for (ConvolutionMode mode : ConvolutionMode.values()) {
            Interaction third = mode == ConvolutionMode.TRUNCATED ? new Interaction.Coulomb(0.3) : new Interaction.Gaussian(0.5, 0.9);
            Interaction[] parts = {new Interaction.Contact(1.5), new Interaction.Dipolar(0.7, 1, 1, 0, mode == ConvolutionMode.PERIODIC ? 4 : 8), third};
            Interaction sum = new Interaction.Sum(java.util.List.of(parts));
            double[] all = build(g, sum, mode).apply(rho);
            double[] each = new double[rho.length];
            for (Interaction v : parts) {
                double[] w = build(g, v, mode).apply(rho);
                for (int i = 0; i < w.length; i++) each[i] += w[i];
            }
            double err = 0, max = 0;
            for (int i = 0; i < rho.length; i++) { err = Math.max(err, Math.abs(all[i] - each[i])); max = Math.max(max, Math.abs(each[i])); }
            assertTrue(err <= 1e-13 * max, mode + ": sum vs parts " + err / max);
        }
        // Contact alone as a table entry is gρ exactly in every mode (within the sum: with a zero dipolar term).
        for (ConvolutionMode mode : ConvolutionMode.values()) {
            double[] w = build(g, Interaction.parse("contact:g=2.5+dipolar:cdd=0,axis=0,0,1"), mode).apply(rho);
            for (int i = 0; i < rho.length; i++) assertEquals(2.5 * rho[i], w[i], 1e-13, mode + ": contact through the table");
        }
    }

    /** Kinds: a sum of contacts and LHY is local (g and γ summed), with any other term spectral; none + none is none. */
    @Test
    void kindsOfSums() {
        Grid3D g = new Grid3D(8, 6);
        ConvolutionKernel local = build(g, Interaction.parse("contact:g=1+lhy:gamma=0.5+contact:g=2"), ConvolutionMode.PADDED);
        assertEquals(ConvolutionKernel.Kind.LOCAL, local.kind());
        assertEquals(3, local.contact(), 0);
        assertEquals(0.5, local.lhy(), 0);
        ConvolutionKernel lhy = build(g, new Interaction.Lhy(0.25), ConvolutionMode.PERIODIC);
        assertEquals(ConvolutionKernel.Kind.LOCAL, lhy.kind());
        assertEquals(0.25, lhy.lhy(), 0);
        ConvolutionKernel spec = build(g, Interaction.parse("dipolar:cdd=1,axis=0,1,0+lhy:gamma=0.5"), ConvolutionMode.PADDED);
        assertEquals(ConvolutionKernel.Kind.SPECTRAL, spec.kind());
        assertEquals(16, spec.size());
        assertEquals(0.5, spec.lhy(), 0);
        assertEquals(ConvolutionKernel.Kind.NONE, build(g, Interaction.parse("none+none"), ConvolutionMode.PERIODIC).kind());
        ParameterException e = assertThrows(ParameterException.class, () -> spec.apply(new double[512]));
        assertTrue(e.getMessage().contains("LHY"), e.getMessage());
    }

    /** Reflection parity (the mode integrals skip parity-odd integrals only when V has it): an oblique dipolar axis breaks it. */
    @Test
    void axisParityOfDipolarTerms() {
        assertTrue(Interaction.axisParity(Interaction.parse("dipolar:cdd=1,axis=0,0,-2+gaussian:lambda=1,sigma=1")));
        assertTrue(!Interaction.axisParity(Interaction.parse("dipolar:cdd=1,axis=1,1,0")));
        assertTrue(!Interaction.axisParity(Interaction.parse("contact:g=1+dipolar:cdd=1,axis=0,1e-9,1")));
        // Checked against the potential itself: V(−x, y, z) = V(x, y, z) for the z axis, not for (1, 1, 0).
        Interaction.Dipolar z = new Interaction.Dipolar(1, 0, 0, 1), o = new Interaction.Dipolar(1, 1, 1, 0);
        assertEquals(z.value(0.3, 0.5, 0.7), z.value(-0.3, 0.5, 0.7), 1e-15);
        assertTrue(Math.abs(o.value(0.3, 0.5, 0.7) - o.value(-0.3, 0.5, 0.7)) > 0.1, "oblique axis: odd part");
    }

    /** Specs re-parse to themselves, sums included; bad input names the parameter and its range. */
    @Test
    void parseRoundTripAndBadInput() {
        for (String s : new String[]{"dipolar:cdd=0.5,axis=0.0,0.0,1.0", "dipolar:cdd=-1.0,axis=1.0,2.0,3.0,cutoff=4.5",
                "contact:g=1.0+dipolar:cdd=0.5,axis=0.0,0.0,1.0", "lhy:gamma=0.1", "gaussian:lambda=1.0,sigma=2.0+lhy:gamma=3.0+contact:g=-1.0"}) {
            Interaction v = Interaction.parse(s);
            assertEquals(s, v.spec(), "canonical spec");
            assertEquals(v, Interaction.parse(v.spec()), "re-parses to itself");
        }
        Interaction v = Interaction.parse(" contact:g=1 + dipolar:cdd=1e+0,axis=0,0,2 ");
        assertEquals(new Interaction.Sum(java.util.List.of(new Interaction.Contact(1), new Interaction.Dipolar(1, 0, 0, 2))), v, "spaces, 1e+0");
        Grid3D g = new Grid3D(8, 6);
        String[][] bad = {
                {"dipolar:cdd=1,axis=0,0,0", "interaction axis"},
                {"dipolar:cdd=1", "--interaction axis"},
                {"dipolar:cdd=1,axis=0,1", "--interaction axis"},
                {"dipolar:cdd=NaN,axis=0,0,1", "interaction cdd"},
                {"dipolar:cdd=1,axis=0,0,1,cutoff=-1", "interaction cutoff"},
                {"dipolar:cdd=1,axis=0,0,1,rc=2", "--interaction"},
                {"contact:g=1,axis=0,0,1", "--interaction"},
                {"lhy:gamma=Infinity", "interaction gamma"},
                {"contact:g=1+", "--interaction"},
                {"contact:g=1+bogus:x=1", "--interaction"},
        };
        for (String[] b : bad) {
            ParameterException e = assertThrows(ParameterException.class, () -> Interaction.parse(b[0]), b[0]);
            assertEquals(b[1], e.parameter(), b[0] + ": " + e.getMessage());
        }
        // The cutoff against the box: R <= L (padded, truncated), R <= L/2 (periodic).
        ParameterException e = assertThrows(ParameterException.class, () -> build(g, Interaction.parse("dipolar:cdd=1,axis=0,0,1,cutoff=6.5"), ConvolutionMode.PADDED));
        assertEquals("--interaction cutoff", e.parameter());
        assertTrue(e.getMessage().contains("R <= L = 6"), e.getMessage());
        build(g, Interaction.parse("dipolar:cdd=1,axis=0,0,1,cutoff=6"), ConvolutionMode.TRUNCATED);
        e = assertThrows(ParameterException.class, () -> build(g, Interaction.parse("dipolar:cdd=1,axis=0,0,1,cutoff=3.5"), ConvolutionMode.PERIODIC));
        assertTrue(e.getMessage().contains("L/2 = 3"), e.getMessage());
        build(g, Interaction.parse("dipolar:cdd=1,axis=0,0,1,cutoff=3"), ConvolutionMode.PERIODIC);
    }
}
