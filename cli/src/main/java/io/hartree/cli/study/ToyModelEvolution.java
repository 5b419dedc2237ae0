package io.hartree.cli.study;

import io.hartree.api.FockKernels;
import io.hartree.api.fock.FockBasis;
import io.hartree.api.fock.FockEvolution;
import io.hartree.api.fock.FockHamiltonian;
import io.hartree.api.fock.FockObservables;
import io.hartree.api.fock.FockOperator;
import io.hartree.api.fock.FockSector;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fock.ModeHartree;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.fock.SpinReduction;

/**
 * The toy model (3.2)–(3.8) by its exact spin reduction (4.6)–(4.10) ({@link SpinReduction}): the
 * spatial sector alone, the simple condensate (φ⁰)^{⊗N} = |N, 0, …⟩ evolved by H^spat (4.7) in M_s
 * spatial modes (a full {@link FockBasis} or a number-conserving truncation), and beside it the
 * Hartree flow (4.4) c_t in the same modes (possibly with other integrals: the study's wrong-input
 * test). The spin marginal is static (Prop. 4.1), so
 * <ul>
 *   <li>k = 1: γ^(1)_N = γ^(1)_spat ⊗ diag(n₁, n₂) and γ^(1)_∞ = |φ_t⟩⟨φ_t| ⊗ diag(n₁, n₂) (4.5), with
 *       n_σ = N_σ/N exactly, hence Tr|γ^(1)_N − γ^(1)_∞| = Tr|γ^(1)_spat − |φ_t⟩⟨φ_t|| (computed on the
 *       2M_s modes through {@link SpinReduction#gamma1} all the same);</li>
 *   <li>k = 2: γ^(2)_spin = Σ_j c_{2,j}|e_j⟩⟨e_j| (4.11) and the phase average of (4.5) is
 *       Σ_j c^∞_{2,j}|e_j⟩⟨e_j| (4.14), on the same orthonormal e_0 = ↑↑, e_1 = (↑↓ + ↓↑)/√2, e_2 = ↓↓.
 *       The difference γ^(2)_N − γ^(2)_∞ = Σ_j (c_{2,j} A − c^∞_{2,j} P) ⊗ |e_j⟩⟨e_j| (A = γ^(2)_spat,
 *       P = |φ_t^{⊗2}⟩⟨φ_t^{⊗2}|) is block diagonal, so Tr|γ^(2)_N − γ^(2)_∞| = Σ_j Tr|c_{2,j}A − c^∞_{2,j}P|
 *       exactly; its static part is (4.13) Σ_j |c_{2,j} − c^∞_{2,j}| (A = P) and its dynamical part
 *       Tr|A − P| (4.12).</li>
 * </ul>
 * Trace norms of the M_s²×M_s² two-body matrices by the backend's Hermitian eigensolver.
 */
final class ToyModelEvolution implements AutoCloseable {
    /** Tolerance of exp(−itH)ψ per step and of the Hartree integrator. */
    static final double TOL = 1e-10;
    /** Largest sector stored as CSR (≈ 100 non-zeros per row: ~300 MB at 2·10⁵). */
    static final long CSR_MAX_DIMENSION = 200_000;

    /** The spatial sector (the spin sector is not built: (4.9)). */
    final FockSector sector;
    final SpinReduction reduction;
    final int ms;
    final int up, down;
    final double nUp, nDown;
    private final FockKernels kernels;
    private final FockEvolution evolution;
    private final ModeHartree hartree;
    private final double[] c;
    private double time;
    private double[] gamma1, gamma2;

    /** The full spatial sector of N = up + down bosons, the same integrals on both sides. */
    ToyModelEvolution(FockKernels kernels, ModeIntegrals spatial, int up, int down) {
        this(kernels, new FockBasis(up + down, spatial.modes()), spatial, spatial, up, down, FockEvolution.Method.AUTO);
    }

    /**
     * @param sector the spatial sector (condensate mode 0 = φ⁰ for a truncated one)
     * @param manyBody the spatial integrals of H^spat
     * @param hartreeSide the integrals of the Hartree flow c_t (equal to {@code manyBody} except in a wrong-input test)
     * @param method how e^{−itH} is applied (Krylov for a short time series: no O(d³) set-up)
     */
    ToyModelEvolution(FockKernels kernels, FockSector sector, ModeIntegrals manyBody, ModeIntegrals hartreeSide, int up, int down, FockEvolution.Method method) {
        this.kernels = kernels;
        this.sector = sector;
        this.reduction = new SpinReduction(sector, up, down);
        this.ms = manyBody.modes();
        this.up = up;
        this.down = down;
        FockHamiltonian hamiltonian = reduction.spatialHamiltonian(manyBody);
        // CSR while it fits comfortably (and for the dense path); beyond, the matrix-free action
        FockOperator h = sector.dimension() <= CSR_MAX_DIMENSION ? hamiltonian.toCsr() : hamiltonian.matrixFree();
        this.evolution = new FockEvolution(kernels, h, reduction.initialState(), method, TOL);
        this.hartree = new ModeHartree(hartreeSide);
        this.c = new double[2 * ms];
        c[0] = 1;
        this.nUp = (double) up / (up + down);
        this.nDown = (double) down / (up + down);
    }

    /** Advances both evolutions to time t ≥ the current time. */
    void advanceTo(double t) {
        double dt = t - time;
        if (dt > 0) {
            evolution.advance(dt);
            hartree.evolve(c, dt, TOL);
            gamma1 = null;
            gamma2 = null;
        }
        time = t;
    }

    double time() { return time; }

    /** The Hartree orbital c_t (live array). */
    double[] orbital() { return c; }

    /** γ^(1)_spat of the current state (M_s×M_s). */
    double[] spatialGamma1() {
        if (gamma1 == null) gamma1 = FockObservables.gamma1(sector, evolution.state());
        return gamma1;
    }

    /** γ^(2)_spat of the current state (M_s²×M_s²). */
    double[] spatialGamma2() {
        if (gamma2 == null) gamma2 = FockObservables.gamma2(sector, evolution.state());
        return gamma2;
    }

    /** Tr|γ^(1)_{N,ν,t} − γ^(1)_{∞,ν,t}| on the 2M_s modes: (4.10) against (4.5) with the Hartree orbital c_t. */
    double distance1() {
        return HermitianEigen.traceDistance(reduction.gamma1(spatialGamma1()), FockObservables.phaseAveraged(c, nUp, nDown), 2 * ms);
    }

    /** Tr|γ^(1)_spat − |φ⁰⟩⟨φ⁰|| = Tr|γ^(1)_{N,ν,t} − γ^(1)_{∞,∞,t}| (3.17) in the toy model, where K(t) = diag(n₁, n₂) and φ_t^∞ = φ⁰e^{−iEt}. */
    double distanceToGroundSpaceLimit() {
        double[] e0 = new double[2 * ms];
        e0[0] = 1;
        return HermitianEigen.traceDistance(spatialGamma1(), FockObservables.projector(e0), ms);
    }

    /** The dynamical part of k = 2, (4.12): Tr|γ^(2)_spat − |φ_t^{⊗2}⟩⟨φ_t^{⊗2}||. */
    double spatialDistance2() {
        return weightedTraceNorm(1, 1);
    }

    /** The static part of k = 2, (4.13): Σ_j |c_{2,j} − c^∞_{2,j}| (exact, time independent). */
    double staticDistance2() {
        double[] cj = spinWeights(), inf = {nUp * nUp, 2 * nUp * nDown, nDown * nDown};
        double s = 0;
        for (int j = 0; j < 3; j++) s += Math.abs(cj[j] - inf[j]);
        return s;
    }

    /** Tr|γ^(2)_{N,ν,t} − γ^(2)_{∞,ν,t}| = Σ_j Tr|c_{2,j}A − c^∞_{2,j}P| (class comment). */
    double distance2() {
        double[] cj = spinWeights(), inf = {nUp * nUp, 2 * nUp * nDown, nDown * nDown};
        double s = 0;
        for (int j = 0; j < 3; j++) s += weightedTraceNorm(cj[j], inf[j]);
        return s;
    }

    /** c_{2,j} = C(N₁, 2−j) C(N₂, j) / C(N, 2), (4.11). */
    double[] spinWeights() {
        double n = up + down, pairs = n * (n - 1) / 2;
        return new double[]{up * (up - 1) / 2.0 / pairs, (double) up * down / pairs, down * (down - 1) / 2.0 / pairs};
    }

    /** Tr|a·γ^(2)_spat − b·|φ_t^{⊗2}⟩⟨φ_t^{⊗2}||. */
    private double weightedTraceNorm(double a, double b) {
        int m2 = ms * ms;
        double[] g = spatialGamma2();
        double[] d = new double[2 * m2 * m2];
        for (int i = 0; i < ms; i++)
            for (int j = 0; j < ms; j++) {
                // c_i c_j
                double pr = c[2 * i] * c[2 * j] - c[2 * i + 1] * c[2 * j + 1], pi = c[2 * i] * c[2 * j + 1] + c[2 * i + 1] * c[2 * j];
                for (int k = 0; k < ms; k++)
                    for (int l = 0; l < ms; l++) {
                        double qr = c[2 * k] * c[2 * l] - c[2 * k + 1] * c[2 * l + 1], qi = c[2 * k] * c[2 * l + 1] + c[2 * k + 1] * c[2 * l];
                        int p = 2 * ((i * ms + j) * m2 + k * ms + l);
                        // P_{(ij),(kl)} = c_i c_j conj(c_k c_l)
                        d[p] = a * g[p] - b * (pr * qr + pi * qi);
                        d[p + 1] = a * g[p + 1] - b * (pi * qr - pr * qi);
                    }
            }
        return traceNorm(kernels, d, m2);
    }

    /** Σ|λ_i| of the Hermitian n×n {@code a} (interleaved) by the backend's eigensolver; {@code a} is not modified. */
    static double traceNorm(FockKernels kernels, double[] a, int n) {
        double s = 0;
        for (double x : kernels.eigh(a.clone(), n, null)) s += Math.abs(x);
        return s;
    }

    /** Natural occupations of γ^(1) on the 2M_s modes, descending. */
    double[] naturalOccupations() {
        return FockObservables.naturalOccupations(reduction.gamma1(spatialGamma1()), 2 * ms);
    }

    /** Releases the backend's set-up of H (device memory on a GPU). */
    @Override
    public void close() { evolution.close(); }
}
