package io.hartree.cli.study;

import io.hartree.api.fock.ExpmvOptions;
import io.hartree.api.fock.FockHamiltonian;
import io.hartree.api.FockKernels;
import io.hartree.api.fock.FockObservables;
import io.hartree.api.fock.FockOperator;
import io.hartree.api.fock.FockStates;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fock.ModeHartree;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.fock.SpinSector;

/**
 * The toy model (3.2)–(3.8) in M_s oscillator modes ⊗ spin: the fragmented state |N↑, N↓⟩ (all
 * in φ⁰, (3.8)) evolved exactly by e^{−itH_N}, and the limit objects it is compared with.
 *
 * <p>γ_∞,t^(1) (3.15) = Σ_σ n_σ |φ_t⟩⟨φ_t| ⊗ |σ⟩⟨σ| and γ_∞,t^(2) = (2π)^{−2}∫dθ |(φ_t ⊗ u_θ)^{⊗2}⟩⟨·|, whose
 * entries in the mode basis (mode σ·M_s + s) are f_i f_j conj(f_k f_l) averaged over θ:
 * c_{s_i} c_{s_j} conj(c_{s_k} c_{s_l}) · n_{σ_i} n_{σ_j} when the spin multisets {σ_i, σ_j} and
 * {σ_k, σ_l} agree, 0 otherwise; φ_t = Σ_s c_s(t) χ_s is the spatial Hartree solution (4.4) from φ⁰.
 */
final class ToyModelEvolution implements AutoCloseable {
    /** Tolerance of exp(−itH)ψ and of the Hartree integrator. */
    static final double TOL = 1e-10;
    /** Largest sector stored as CSR (≈ 100 non-zeros per row: ~300 MB at 2·10⁵). */
    static final long CSR_MAX_DIMENSION = 200_000;

    final SpinSector sector;
    final int ms;
    final double nUp, nDown;
    private final FockOperator h;
    /** exp(−itH) for this H on the study's backend, set up once for the whole time series. */
    private final FockKernels.Propagator propagator;
    private final ModeHartree hartree;
    private final double[] psi;
    private final double[] c;
    private double time;
    /** γ^(1) of the current state, computed once per time (observables at one time share it). */
    private double[] gamma1;

    ToyModelEvolution(FockKernels kernels, ModeIntegrals spatial, int up, int down) {
        this.ms = spatial.modes();
        this.sector = new SpinSector(ms, up, down);
        FockHamiltonian hamiltonian = FockHamiltonian.of(sector, spatial.withSpin());
        // CSR is fastest while it fits comfortably; beyond, the matrix-free action saves the memory
        this.h = sector.dimension() <= CSR_MAX_DIMENSION ? hamiltonian.toCsr() : hamiltonian.matrixFree();
        this.propagator = kernels.propagator(h);
        this.psi = FockStates.fragment(sector);
        this.hartree = new ModeHartree(spatial);
        this.c = new double[2 * ms];
        c[0] = 1;
        this.nUp = (double) up / (up + down);
        this.nDown = (double) down / (up + down);
    }

    /** Advances both evolutions to time t ≥ current time. */
    void advanceTo(double t) {
        double dt = t - time;
        if (dt > 0) {
            // Chebyshev: its truncation bound is rigorous, so the tolerance is a guarantee
            propagator.apply(psi, dt, ExpmvOptions.of(TOL).withMethod(ExpmvOptions.Method.CHEBYSHEV));
            hartree.evolve(c, dt, TOL);
            gamma1 = null;
        }
        time = t;
    }

    double[] gamma1() {
        if (gamma1 == null) gamma1 = FockObservables.gamma1(sector, psi);
        return gamma1;
    }

    /** Tr|γ^(1)_{N,t} − γ_∞,t^(1)| against (3.15) with the Hartree orbital φ_t. */
    double distance1() {
        return HermitianEigen.traceDistance(gamma1(), FockObservables.phaseAveraged(c, nUp, nDown), 2 * ms);
    }

    /** Tr|γ^(1)_{N,t} − γ_lim^(1)| against the large-gap limit: φ⁰ with K(t) = diag(n↑, n↓) (3.17)–(3.19). */
    double distanceToGroundSpaceLimit(double[] k) {
        int m = 2 * ms;
        double[] lim = new double[2 * m * m];
        int[] modes = {0, ms};
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++) {
                lim[2 * (modes[a] * m + modes[b])] = k[2 * (a * 2 + b)];
                lim[2 * (modes[a] * m + modes[b]) + 1] = k[2 * (a * 2 + b) + 1];
            }
        return HermitianEigen.traceDistance(gamma1(), lim, m);
    }

    /** Tr|γ^(2)_{N,t} − γ_∞,t^(2)|, on the M²-dimensional two-body mode basis. */
    double distance2() {
        int m = 2 * ms, m2 = m * m;
        double[] g2 = FockObservables.gamma2(sector, psi);
        double[] lim = new double[2 * m2 * m2];
        double[] w = {nUp, nDown};
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                for (int k = 0; k < m; k++)
                    for (int l = 0; l < m; l++) {
                        int si = i / ms, sj = j / ms, sk = k / ms, sl = l / ms;
                        boolean same = (si == sk && sj == sl) || (si == sl && sj == sk);
                        if (!same) continue;
                        double weight = w[si] * w[sj];
                        // c_a c_b conj(c_c c_d)
                        double[] ab = mul(c, i % ms, j % ms), cd = mul(c, k % ms, l % ms);
                        int p = 2 * ((i * m + j) * m2 + (k * m + l));
                        lim[p] = weight * (ab[0] * cd[0] + ab[1] * cd[1]);
                        lim[p + 1] = weight * (ab[1] * cd[0] - ab[0] * cd[1]);
                    }
        return HermitianEigen.traceDistance(g2, lim, m2);
    }

    private static double[] mul(double[] c, int a, int b) {
        return new double[]{c[2 * a] * c[2 * b] - c[2 * a + 1] * c[2 * b + 1], c[2 * a] * c[2 * b + 1] + c[2 * a + 1] * c[2 * b]};
    }

    /** Releases the backend's set-up of H (device memory on a GPU). */
    @Override
    public void close() { propagator.close(); }

    /** Natural occupations of γ^(1), descending. */
    double[] naturalOccupations() {
        return FockObservables.naturalOccupations(gamma1(), 2 * ms);
    }
}
