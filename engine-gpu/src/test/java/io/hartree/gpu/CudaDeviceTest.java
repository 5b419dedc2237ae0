package io.hartree.gpu;

import io.hartree.api.Availability;
import io.hartree.api.BackendSession;
import io.hartree.api.Precision;
import io.hartree.api.SessionOptions;
import io.hartree.api.fock.CsrMatrix;
import io.hartree.api.fock.ExpmvOptions;
import io.hartree.api.fock.FockKernels;
import io.hartree.api.grid.Grid3D;
import io.hartree.api.hartree.ConvolutionMode;
import io.hartree.api.hartree.HartreeProblem;
import io.hartree.api.hartree.HartreePropagator;
import io.hartree.api.hartree.InitialState;
import io.hartree.api.hartree.Interaction;
import io.hartree.api.hartree.Observables;
import io.hartree.api.hartree.OneBodyOperator;
import io.hartree.api.hartree.Scheme;
import io.hartree.api.hartree.TimeMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Device tests of what the cross-backend suite does not cover: single precision, Fock kernels. */
@Tag("gpu")
class CudaDeviceTest {
    static BackendSession open(Precision p) {
        Availability a = new CudaBackend().probe();
        assumeTrue(a.available(), "cuda unavailable: " + a.reason());
        return new CudaBackend().open(new SessionOptions(p, 0, 0));
    }

    /** Single precision: E_int(0) = 2^{-5/2} to float round-off over 32³ sums (~1e-6), norm kept to 1e-5 over 200 steps. */
    @Test
    void singlePrecisionPropagates() {
        try (BackendSession s = open(Precision.SINGLE)) {
            HartreeProblem pb = new HartreeProblem(new Grid3D(32, 16), OneBodyOperator.paper(1), new Interaction.Gaussian(1, 1),
                    ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-3);
            try (HartreePropagator p = s.hartree(pb)) {
                p.load(new InitialState.Ground().sample(pb.grid()), 0);
                assertEquals(Math.pow(2, -2.5), p.observe().interaction(), 1e-5, "single: E_int(0)");
                p.advance(200);
                assertEquals(1, p.observe().norm(), 1e-5, "single: norm after 200 steps");
            }
        }
    }

    /** Zgemm against the host triple loop; exp(−itH)ψ by device Lanczos against the dense exponential. */
    @Test
    void fockKernelsOnTheDevice() {
        try (BackendSession s = open(Precision.DOUBLE)) {
            FockKernels k = s.fock();
            int n = 24;
            Random r = new Random(5);
            double[] a = new double[2 * n * n], b = new double[2 * n * n], c = new double[2 * n * n];
            for (int i = 0; i < a.length; i++) { a[i] = r.nextGaussian(); b[i] = r.nextGaussian(); }
            k.gemm(a, b, c, n);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double re = 0, im = 0;
                    for (int q = 0; q < n; q++) {
                        double ar = a[2 * (i * n + q)], ai = a[2 * (i * n + q) + 1], br = b[2 * (q * n + j)], bi = b[2 * (q * n + j) + 1];
                        re += ar * br - ai * bi; im += ar * bi + ai * br;
                    }
                    assertEquals(re, c[2 * (i * n + j)], 1e-12 * n, "Re C[" + i + "," + j + "]");
                    assertEquals(im, c[2 * (i * n + j) + 1], 1e-12 * n, "Im C[" + i + "," + j + "]");
                }
            // A real symmetric tridiagonal H (1D hopping chain): CSR on the device vs dense exp.
            int m = 40;
            int[] rp = new int[m + 1];
            int[] col = new int[3 * m];
            double[] val = new double[3 * m];
            int p = 0;
            double[] dense = new double[2 * m * m];
            for (int i = 0; i < m; i++) {
                rp[i] = p;
                for (int j = Math.max(0, i - 1); j <= Math.min(m - 1, i + 1); j++) {
                    double v = i == j ? 0.1 * i : -1;
                    col[p] = j; val[p++] = v;
                    dense[2 * (i * m + j)] = v;
                }
            }
            rp[m] = p;
            CsrMatrix h = new CsrMatrix(m, rp, java.util.Arrays.copyOf(col, p), java.util.Arrays.copyOf(val, p), null);
            double t = 0.7;
            double[] u = k.expHermitian(dense, m, t);
            double[] psi = new double[2 * m];
            psi[2 * (m / 2)] = 1;
            double[] want = new double[2 * m];
            for (int i = 0; i < m; i++) { want[2 * i] = u[2 * (i * m + m / 2)]; want[2 * i + 1] = u[2 * (i * m + m / 2) + 1]; }
            k.expmv(h, psi, t, ExpmvOptions.of(1e-12));
            for (int i = 0; i < 2 * m; i++) assertEquals(want[i], psi[i], 1e-9, "exp(-itH)ψ component " + i);
        }
    }
}
