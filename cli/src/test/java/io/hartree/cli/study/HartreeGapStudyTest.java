package io.hartree.cli.study;

import io.hartree.api.HartreePropagator;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class HartreeGapStudyTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final Interaction.Gaussian V = new Interaction.Gaussian(0.5, 1.0);

    /** A test-sized study: ν = 1, 2, 4, grids 24³ (νdt = 0.1) and 32³ (νdt = 0.05). */
    private static HartreeGapStudy.Setup small(Interaction.Gaussian propagated) {
        return new HartreeGapStudy.Setup(propagated, V, 10.0, new double[]{1, 2, 4}, Math.PI / 2, 24, 0.1, 32, 0.05);
    }

    /**
     * The closed form 2√(1 − |⟨φ⁰, φ_t⟩|²) against the trace norm of (|ψ⟩⟨ψ| − |φ⟩⟨φ|) ⊗ diag(0.3, 0.7)
     * computed directly: ψ = aφ + be₂ by Gram–Schmidt on the grid, the 2×2 Hermitian block
     * [[|a|² − 1, a b̄], [ā b, |b|²]] diagonalised in closed form, Σ n_i(|λ₁| + |λ₂|); at ν = 2 after
     * 8 steps of the grid flow (distance ≈ 0.05). 1 − |a|² ≈ 1e−4 cancels four digits of the 24³-term sums (1e−14): 1e−9 relative.
     */
    @Test
    void distanceMatchesDirectTraceNorm(@TempDir Path dir) {
        Grid3D grid = new Grid3D(24, 10.0);
        double nu = 2;
        double[] phi = new InitialState.Ground().sample(grid), psi = new double[phi.length];
        try (StudyContext ctx = new StudyContext(false, dir, QUIET, "cpu");
             HartreePropagator p = ctx.hartree(new HartreeProblem(grid, OneBodyOperator.paper(nu), V, ConvolutionMode.PADDED, Scheme.FOURTH, TimeMode.REAL, 0.05 / nu))) {
            p.load(phi, 0);
            p.advance(8);
            p.store(psi);
        }
        double nphi = 0, npsi = 0, ar = 0, ai = 0;
        for (int i = 0; i < phi.length; i += 2) {
            nphi += phi[i] * phi[i] + phi[i + 1] * phi[i + 1];
            npsi += psi[i] * psi[i] + psi[i + 1] * psi[i + 1];
        }
        // a = ⟨e₁, ψ̂⟩, e₁ = φ/‖φ‖, ψ̂ = ψ/‖ψ‖
        for (int i = 0; i < phi.length; i += 2) {
            ar += (phi[i] * psi[i] + phi[i + 1] * psi[i + 1]) / Math.sqrt(nphi * npsi);
            ai += (phi[i] * psi[i + 1] - phi[i + 1] * psi[i]) / Math.sqrt(nphi * npsi);
        }
        // b = ‖ψ̂ − a e₁‖ (real, e₂ chosen along the remainder)
        double b2 = 0;
        for (int i = 0; i < phi.length; i += 2) {
            double er = phi[i] / Math.sqrt(nphi), ei = phi[i + 1] / Math.sqrt(nphi);
            double rr = psi[i] / Math.sqrt(npsi) - (ar * er - ai * ei), ri = psi[i + 1] / Math.sqrt(npsi) - (ar * ei + ai * er);
            b2 += rr * rr + ri * ri;
        }
        double m11 = ar * ar + ai * ai - 1, m22 = b2, off2 = (ar * ar + ai * ai) * b2;
        double mean = 0.5 * (m11 + m22), rad = Math.sqrt(0.25 * (m11 - m22) * (m11 - m22) + off2);
        double direct = (0.3 + 0.7) * (Math.abs(mean + rad) + Math.abs(mean - rad));
        double formula = HartreeGapStudy.distance(phi, psi);
        assertTrue(direct > 0.01, "a non-trivial distance: " + direct);
        assertEquals(direct, formula, 1e-9 * direct, "2√(1 − |⟨φ, ψ⟩|²) vs the direct trace norm");
    }

    /**
     * The first-order constant's ingredients against independent values: E = ⟨φ⁰, F⟩ against the closed
     * form λ(σ²/(σ² + 1))^{3/2} (1e−14: the same Gaussian integral two ways), and Σ_n w_n of the Hermite
     * series against the grid's Riemann sum of ‖F‖² − |⟨φ⁰, F⟩|² on 32³, L = 10 (spectrally accurate
     * for Gaussians far inside the box: 1e−10 relative).
     */
    @Test
    void perturbationSeriesMatchesGridIntegrals() {
        HartreeGapStudy.Perturbation pt = HartreeGapStudy.Perturbation.of(V);
        assertEquals(0.5 / (2 * Math.sqrt(2)), pt.energy(), 1e-14, "E = λ/(2√2) for σ = 1");
        double grid = HartreeGapStudy.Perturbation.gridExcitedWeight(V, new Grid3D(32, 10.0));
        assertEquals(grid, pt.excitedWeight(), 1e-10 * grid, "‖QF‖²: Hermite series vs grid");
        // every level is even (F is even in each coordinate): odd weights vanish
        for (int n = 1; n < pt.weights().length; n += 2) assertEquals(0.0, pt.weights()[n], 0.0, "w_" + n);
    }

    /**
     * The study at ν = 1, 2, 4: PASS; the fitted exponent of the fine sup_t distances within −1 ± 0.02
     * (first order; the O(λ/ν) second order tilts it by ≈ 0.003), ν·distance at ν = 4 within 1 % of C,
     * and the two resolutions within 1 % of each other (measured 0.1 %).
     */
    @Test
    void exponentAndConstantMatchFirstOrder(@TempDir Path dir) throws Exception {
        StudyResult r;
        try (StudyContext ctx = new StudyContext(false, dir, QUIET, "cpu")) {
            r = new HartreeGapStudy().run(ctx, small(V));
        }
        assertTrue(r.pass(), "verdict: " + r.reasons());
        assertTrue(Files.size(dir.resolve("hartree_gap.png")) > 1000, "plot written");
        List<double[]> rows = StudiesTest.csv(dir.resolve("hartree_gap.csv"), "nu,sup_dist_coarse,sup_dist_fine,relative_difference,first_order_prediction,nu_times_sup_dist_fine");
        assertEquals(3, rows.size());
        double[] nu = new double[3], d = new double[3];
        for (int i = 0; i < 3; i++) {
            nu[i] = rows.get(i)[0];
            d[i] = rows.get(i)[2];
            assertEquals(rows.get(i)[2], rows.get(i)[1], 0.01 * rows.get(i)[2], "coarse vs fine at ν = " + nu[i]);
        }
        assertEquals(-1, LogLogFit.fit(nu, d).slope(), 0.02, "exponent in ν");
        assertEquals(HartreeGapStudy.Perturbation.of(V).constant(), 4 * d[2], 0.01 * 4 * d[2], "ν·sup_t distance at ν = 4 vs C");
        var j = ResultsJson.check(dir, r);
        ResultsJson.assertFit(j, "nu_exponent", nu, d);
        assertEquals(4 * d[2], j.get("nu_times_distance").asDouble(), 1e-12 * 4 * d[2], "results.json nu_times_distance = the CSV's");
        assertEquals(HartreeGapStudy.Perturbation.of(V).constant(), j.get("first_order_constant").asDouble(), 1e-12, "results.json first_order_constant");
    }

    /** V doubled in the flow but not in the prediction: ν·distance ≈ 2C, so the study must FAIL on the constant. */
    @Test
    void doubledInteractionOnOneSideFails(@TempDir Path dir) {
        StudyResult r;
        try (StudyContext ctx = new StudyContext(false, dir, QUIET, "cpu")) {
            r = new HartreeGapStudy().run(ctx, small(new Interaction.Gaussian(2 * V.lambda(), V.sigma())));
        }
        assertFalse(r.pass(), "doubled V on one side must fail");
        assertTrue(r.reasons().stream().anyMatch(s -> s.contains("first-order constant")), "fails on the constant: " + r.reasons());
    }
}
