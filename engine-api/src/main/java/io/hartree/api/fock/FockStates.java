package io.hartree.api.fock;

import io.hartree.api.ParameterException;

import java.util.stream.IntStream;

/** Initial states on a sector, as interleaved complex vectors of length 2·dim. */
public final class FockStates {
    private FockStates() {}

    /** The occupation-number state |n_0, …, n_{M−1}⟩. */
    public static double[] fock(FockSector sector, int[] occ) {
        if (!sector.contains(occ))
            throw new ParameterException("--initial", java.util.Arrays.toString(occ), "M = " + sector.modes() + " non-negative occupations in the sector " + sector.describe());
        double[] psi = new double[2 * sector.vectorDimension()];
        psi[2 * (int) sector.rank(occ)] = 1;
        return psi;
    }

    /**
     * The fragmented state (3.8) |N₁ in φ⁰↑, N₂ in φ⁰↓⟩ of a {@link SpinSector}: N↑ bosons in
     * spatial mode 0 with spin ↑ and N↓ in spatial mode 0 with spin ↓.
     */
    public static double[] fragment(SpinSector sector) {
        int[] occ = new int[sector.modes()];
        occ[0] = sector.particlesUp();
        occ[sector.spatialModes()] = sector.particlesDown();
        return fock(sector, occ);
    }

    /**
     * The condensate (Σ_i c_i a_i†)^N |0⟩ / √N! with ‖c‖ = 1 (c interleaved, length 2M):
     * ψ(n) = √(N!/Π n_i!) Π c_i^{n_i}, evaluated in log space (no overflow at large N). On a
     * sector smaller than the N-boson space (a {@link SpinSector}) this is the projection,
     * renormalised.
     */
    public static double[] coherent(FockSector sector, double[] c) {
        int m = sector.modes(), n = sector.particles();
        ParameterException.require(c.length == 2 * m, "--initial coherent", c.length / 2, m + " amplitudes");
        double norm = 0;
        for (double x : c) norm += x * x;
        ParameterException.require(norm > 0, "--initial coherent", "0", "a non-zero amplitude vector");
        double[] logAbs = new double[m], arg = new double[m];
        for (int i = 0; i < m; i++) {
            double r = Math.hypot(c[2 * i], c[2 * i + 1]) / Math.sqrt(norm);
            logAbs[i] = r == 0 ? Double.NEGATIVE_INFINITY : Math.log(r);
            arg[i] = Math.atan2(c[2 * i + 1], c[2 * i]);
        }
        double[] logFact = new double[n + 1];
        for (int k = 1; k <= n; k++) logFact[k] = logFact[k - 1] + Math.log(k);
        int dim = sector.vectorDimension();
        double[] psi = new double[2 * dim];
        int blocks = Math.max(1, Math.min(64, dim / 4096));
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int r0 = (int) ((long) dim * b / blocks), r1 = (int) ((long) dim * (b + 1) / blocks);
            FockSector.Cursor cur = sector.cursor(r0);
            for (int r = r0; r < r1; r++) {
                int[] occ = cur.occupations();
                double la = 0.5 * logFact[n], ph = 0;
                boolean zero = false;
                for (int i = 0; i < m; i++) {
                    if (occ[i] == 0) continue;
                    if (logAbs[i] == Double.NEGATIVE_INFINITY) { zero = true; break; }
                    la += occ[i] * logAbs[i] - 0.5 * logFact[occ[i]];
                    ph += occ[i] * arg[i];
                }
                if (!zero) {
                    double a = Math.exp(la);
                    psi[2 * r] = a * Math.cos(ph);
                    psi[2 * r + 1] = a * Math.sin(ph);
                }
                if (r + 1 < r1) cur.next();
            }
        });
        double s = FockObservables.norm(psi);
        if (s == 0) throw new ParameterException("--initial coherent", "the condensate has no weight in the sector " + sector.describe());
        for (int i = 0; i < psi.length; i++) psi[i] /= s;
        return psi;
    }
}
