package io.hartree.gpu;

import io.hartree.api.model.Grid3D;
import io.hartree.api.Observables;
import io.hartree.api.model.Scheme;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The host half of the device observables: sums in the order the reduce_x / reduce_k kernels write
 * them, computed here by a plain loop over φ⁰ = π^{-3/4}e^{−|x|²/2} (its 3D DFT is the product of
 * three 1D DFTs, done directly), turned into observables by the same code the propagator uses, and
 * compared with the analytic values of φ⁰ for h_ν = (ν/2)(−Δ + |x|² − 3).
 */
class PropagatorArithmeticTest {
    /** n = 32, L = 16: φ⁰ is resolved to ~1e-13 and decays to e^{−32} at the faces; the Riemann sums converge spectrally. */
    static final double TOL = 1e-10;

    @Test
    void groundStateObservablesFromDeviceOrderedSums() {
        int n = 32;
        Grid3D g = new Grid3D(n, 16);
        double nu = 2, a = nu / 2, c = nu / 2, off = -3 * c;
        double[] f = new double[n];
        for (int j = 0; j < n; j++) f[j] = Math.pow(Math.PI, -0.25) * Math.exp(-0.5 * g.x(j) * g.x(j));
        // e^{−(0.4L)²} = e^{−41} per axis: the edge mass is ~1e-18.
        // 1D DFT F_k = Σ_j f_j e^{−2πi jk/n}: |F|² only is needed.
        double[] F2 = new double[n];
        for (int k = 0; k < n; k++) {
            double re = 0, im = 0;
            for (int j = 0; j < n; j++) { double t = -2 * Math.PI * j * k / n; re += f[j] * Math.cos(t); im += f[j] * Math.sin(t); }
            F2[k] = re * re + im * im;
        }
        double[] s = new double[CudaHartreePropagator.NX + CudaHartreePropagator.NK];
        double kcut = 2.0 / 3.0 * g.kMax();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            double x = g.x(i), y = g.x(j), z = g.x(k), r2 = x * x + y * y + z * z;
            double phi = f[i] * f[j] * f[k], p = phi * phi;
            s[0] += p;
            s[1] += (c * r2 + off) * p;
            s[2] += x * p; s[3] += y * p; s[4] += z * p; s[5] += r2 * p;
            s[6] += Math.pow(Math.PI, -0.75) * Math.exp(-0.5 * r2) * phi;
            if (Math.abs(x) > 0.4 * g.length() || Math.abs(y) > 0.4 * g.length() || Math.abs(z) > 0.4 * g.length()) s[8] += p;
            double kx = g.k(i), ky = g.k(j), kz = g.k(k), P = F2[i] * F2[j] * F2[k];
            s[10] += P;
            s[11] += (kx * kx + ky * ky + kz * kz) * P;
            if (Math.max(Math.abs(kx), Math.max(Math.abs(ky), Math.abs(kz))) > kcut) s[12] += P;
        }
        Observables o = CudaHartreePropagator.observables(s, g, a, 0.5);
        assertEquals(0.5, o.time());
        assertEquals(1, o.norm(), TOL, "‖φ⁰‖²");
        assertEquals(a * 1.5, o.kinetic(), TOL, "a⟨−Δ⟩ = a·3/2");
        assertEquals(c * 1.5 + off, o.trap(), TOL, "⟨U⟩ = c·3/2 − 3c");
        assertEquals(0, o.energy(), TOL, "inf σ(h_ν) = 0 (3.6)");
        assertEquals(0, o.chemicalPotential(), TOL);
        assertEquals(0, o.meanX(), TOL);
        assertEquals(1.5, o.x2(), TOL, "⟨|x|²⟩ = 3/2");
        assertEquals(1, o.overlap0(), TOL);
        assertEquals(0, o.interaction());
        assertTrue(o.edgeMass() < 1e-15, "edge mass " + o.edgeMass());
        // |φ̂⁰(k)|² ∝ e^{−|k|²} is a product over axes, so the tail is 1 − q³ with q the fraction of
        // Σ_j e^{−k_j²} over the grid's wave numbers with |k_j| ≤ 2/3 k_max (DFT = sampled FT up to e^{−π²/dx²} aliasing).
        double in = 0, all = 0;
        for (int j = 0; j < n; j++) { double w = Math.exp(-g.k(j) * g.k(j)); all += w; if (Math.abs(g.k(j)) <= kcut) in += w; }
        double q = in / all;
        assertEquals(1 - q * q * q, o.spectralTail(), 1e-6 * o.spectralTail(), "spectral tail");
    }

    @Test
    void interactionIsHalfTheSumOfVrhoRho() {
        Grid3D g = new Grid3D(8, 4);
        double[] s = new double[13];
        s[0] = 1 / g.dV();
        s[9] = 3 / g.dV();
        s[10] = 1;
        Observables o = CudaHartreePropagator.observables(s, g, 0, 0);
        assertEquals(1.5, o.interaction(), 1e-15);
        assertEquals(1.5, o.energy(), 1e-15);
        assertEquals(3, o.chemicalPotential(), 1e-15, "μ = kin + trap + 2·int");
    }

    /** The reduce_x and reduce_k partials share one buffer; with the largest grid of blocks their regions must not overlap. */
    @Test
    void reductionPartialsDoNotOverlap() {
        int g = io.hartree.gpu.cuda.Launch.gridFor(512L * 512 * 512, 256, CudaHartreePropagator.MAX_BLOCKS);
        long xEnd = (long) CudaHartreePropagator.NX * g, kStart = (long) CudaHartreePropagator.NX * CudaHartreePropagator.MAX_BLOCKS;
        long kEnd = kStart + (long) CudaHartreePropagator.NK * g, size = (long) (CudaHartreePropagator.NX + CudaHartreePropagator.NK) * CudaHartreePropagator.MAX_BLOCKS;
        assertEquals(4096, g);
        assertTrue(xEnd <= kStart && kEnd <= size, "x [0," + xEnd + "), k [" + kStart + "," + kEnd + ") in " + size);
    }

    @Test
    void fourthOrderWeightsSumToOne() {
        assertEquals(1, 2 * Scheme.W1 + Scheme.W0, 1e-15);
        // Yoshida's condition for order 4: 2w₁³ + w₀³ = 0.
        assertEquals(0, 2 * Math.pow(Scheme.W1, 3) + Math.pow(Scheme.W0, 3), 1e-14);
    }
}
