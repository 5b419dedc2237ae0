package io.hartree.gpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static java.lang.foreign.ValueLayout.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The several-components kernels of hartree.cu (coupled_phase, rabi, reduce_cross, double precision)
 * without a GPU: the unmodified source compiled by g++ with a prelude (src/test/c/hostkernels.cpp) that
 * runs each block as BLOCK std::threads (a std::barrier for __syncthreads, so block_sum runs as on the
 * device), called through FFM, against the formulas evaluated here in Java. It checks the kernels'
 * arithmetic, indexing (the padded m-layout corner, the grid-stride loops over several blocks, the state
 * stride of rabi) and partial layout; not the CUDA compilation (KernelSourceTest/nvcc) or the launch
 * (FakeDeviceComponentsTest).
 */
class ComponentsKernelsHostTest {
    static final Path SOURCE = Path.of("src/test/c/hostkernels.cpp");
    static Path dir;
    static MethodHandle phase, rabi, cross;

    @BeforeAll
    static void build() throws Exception {
        dir = Files.createTempDirectory("hostkernels");
        Path lib = dir.resolve("libhostkernels.so");
        Process p;
        try {
            p = new ProcessBuilder("g++", "-std=c++20", "-O1", "-shared", "-fPIC", "-o", lib.toString(), SOURCE.toString(), "-lpthread")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no g++ to compile hartree.cu's kernels on the host: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "g++ hostkernels.cpp: " + out);
        SymbolLookup l = SymbolLookup.libraryLookup(lib, Arena.global());
        Linker k = Linker.nativeLinker();
        phase = k.downcallHandle(l.find("host_coupled_phase_f64").orElseThrow(), FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS, JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE, JAVA_INT,
                JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE, ADDRESS));
        rabi = k.downcallHandle(l.find("host_rabi_f64").orElseThrow(), FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG,
                JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE));
        cross = k.downcallHandle(l.find("host_reduce_cross_f64").orElseThrow(), FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                JAVA_INT, JAVA_INT, ADDRESS));
    }

    @AfterAll
    static void clean() throws Exception {
        if (dir != null) try (var s = Files.list(dir)) { for (Path q : s.toList()) Files.deleteIfExists(q); Files.deleteIfExists(dir); }
    }

    static double[] random(Random r, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) x[i] = r.nextGaussian();
        return x;
    }

    /**
     * ψ_b ← αψ_b + βΣ_jψ_j for K = 3 states of 4³ points (stride n³), two blocks, α, β of the real-time
     * Rabi factor at θ = 0.3 (as SplitStepPropagator forms them), against the same complex arithmetic here:
     * 1e-14 absolute on O(1) values (the same terms; g++ may contract to FMA). The factor is unitary, so the
     * total Σ|ψ_b|² at each point is also kept (1e-13: e^{−iθM} with M Hermitian).
     */
    @Test
    void rabiMixesEveryStateAtOnce() throws Throwable {
        int k = 3, n3 = 64;
        double th = 0.3, ar = Math.cos(th), ai = Math.sin(th);
        double br = (Math.cos(th * (k - 1)) - ar) / k, bi = (-Math.sin(th * (k - 1)) - ai) / k;
        double[] psi = random(new Random(3), 2 * k * n3), out;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = a.allocateFrom(JAVA_DOUBLE, psi);
            rabi.invokeExact(2, d, k, (long) n3, ar, ai, br, bi);
            out = d.toArray(JAVA_DOUBLE);
        }
        for (int i = 0; i < n3; i++) {
            double sr = 0, si = 0, before = 0, after = 0;
            for (int b = 0; b < k; b++) { sr += psi[2 * (b * n3 + i)]; si += psi[2 * (b * n3 + i) + 1]; }
            for (int b = 0; b < k; b++) {
                int q = 2 * (b * n3 + i);
                double re = psi[q], im = psi[q + 1];
                assertEquals(ar * re - ai * im + br * sr - bi * si, out[q], 1e-14, "Re psi_" + b + " at " + i);
                assertEquals(ar * im + ai * re + br * si + bi * sr, out[q + 1], 1e-14, "Im psi_" + b + " at " + i);
                before += re * re + im * im;
                after += out[q] * out[q] + out[q + 1] * out[q + 1];
            }
            assertEquals(before, after, 1e-13, "unitary at " + i);
        }
    }

    /**
     * φ ← e^{−iτW}φ and e^{−τW}φ, W = U + Σ_j f_j w_j[corner], on n = 4 with mean fields on the padded m = 8 grid
     * (read at the corner (ix·m + iy)·m + iz), harmonic U (coefficients) and a sampled table U, three sources and
     * two (w2 null), three blocks; against the formula here: 1e-13 absolute (W = O(10), τ = 0.05: the phase
     * arguments agree to rounding, sin/cos of glibc on both sides).
     */
    @Test
    void coupledPhaseReadsEverySourceAtTheCorner() throws Throwable {
        int n = 4, m = 8, n3 = n * n * n;
        Random r = new Random(5);
        double[][] w = {random(r, m * m * m), random(r, m * m * m), random(r, m * m * m)};
        double[] f = {0.7, -0.4, 1.3}, table = random(r, n3), c = {0.5, 0.25, 0.125, 0.1};
        double x0 = -2, dx = 1, tau = 0.05;
        for (int imag = 0; imag < 2; imag++)
            for (int sources = 2; sources <= 3; sources++)
                for (boolean sampled : new boolean[]{false, true}) {
                    double[] psi = random(r, 2 * n3), out;
                    try (Arena a = Arena.ofConfined()) {
                        MemorySegment d = a.allocateFrom(JAVA_DOUBLE, psi);
                        MemorySegment u = sampled ? a.allocateFrom(JAVA_DOUBLE, table) : MemorySegment.NULL;
                        MemorySegment w2 = sources == 3 ? a.allocateFrom(JAVA_DOUBLE, w[2]) : MemorySegment.NULL;
                        phase.invokeExact(3, d, n, m, a.allocateFrom(JAVA_DOUBLE, w[0]), a.allocateFrom(JAVA_DOUBLE, w[1]), w2,
                                f[0], f[1], f[2], x0, dx, tau, imag, c[0], c[1], c[2], c[3], u);
                        out = d.toArray(JAVA_DOUBLE);
                    }
                    for (int ix = 0; ix < n; ix++)
                        for (int iy = 0; iy < n; iy++)
                            for (int iz = 0; iz < n; iz++) {
                                int i = (ix * n + iy) * n + iz, corner = (ix * m + iy) * m + iz;
                                double x = x0 + ix * dx, y = x0 + iy * dx, z = x0 + iz * dx;
                                double u = sampled ? table[i] : c[0] * x * x + c[1] * y * y + c[2] * z * z + c[3];
                                for (int j = 0; j < sources; j++) u += f[j] * w[j][corner];
                                double re = psi[2 * i], im = psi[2 * i + 1], er, ei;
                                if (imag == 1) { double e = Math.exp(-tau * u); er = re * e; ei = im * e; }
                                else { double cs = Math.cos(tau * u), sn = Math.sin(tau * u); er = re * cs + im * sn; ei = im * cs - re * sn; }
                                String what = "imag " + imag + ", " + sources + " sources, sampled " + sampled + " at " + i;
                                assertEquals(er, out[2 * i], 1e-13 * Math.max(1, Math.abs(er)), what);
                                assertEquals(ei, out[2 * i + 1], 1e-13 * Math.max(1, Math.abs(ei)), what);
                            }
                }
    }

    /**
     * The three partials per block (Re, Im Σ conj(a)b; Σ w[corner]|a|²), three blocks of the partial layout
     * q·blocks + block, summed here, against the sums here: 1e-12 relative (block-tree order against a loop).
     * b or w null gives 0 for its quantities.
     */
    @Test
    void crossSumsPerBlock() throws Throwable {
        int n = 4, m = 8, n3 = n * n * n, blocks = 3;
        Random r = new Random(9);
        double[] av = random(r, 2 * n3), bv = random(r, 2 * n3), w = random(r, m * m * m);
        double re = 0, im = 0, mf = 0;
        for (int ix = 0; ix < n; ix++)
            for (int iy = 0; iy < n; iy++)
                for (int iz = 0; iz < n; iz++) {
                    int i = (ix * n + iy) * n + iz;
                    double ar = av[2 * i], ai = av[2 * i + 1], br = bv[2 * i], bi = bv[2 * i + 1];
                    re += ar * br + ai * bi;
                    im += ar * bi - ai * br;
                    mf += w[(ix * m + iy) * m + iz] * (ar * ar + ai * ai);
                }
        for (int variant = 0; variant < 3; variant++) {
            double[] q = new double[3];
            try (Arena a = Arena.ofConfined()) {
                MemorySegment partials = a.allocate(8L * 3 * blocks, 8);
                MemorySegment bs = variant == 2 ? MemorySegment.NULL : a.allocateFrom(JAVA_DOUBLE, bv);
                MemorySegment ws = variant == 1 ? MemorySegment.NULL : a.allocateFrom(JAVA_DOUBLE, w);
                cross.invokeExact(blocks, a.allocateFrom(JAVA_DOUBLE, av), bs, ws, n, m, partials);
                for (int k = 0; k < 3; k++) for (int b = 0; b < blocks; b++) q[k] += partials.getAtIndex(JAVA_DOUBLE, (long) k * blocks + b);
            }
            assertEquals(variant == 2 ? 0 : re, q[0], 1e-12 * Math.abs(re), "Re overlap, variant " + variant);
            assertEquals(variant == 2 ? 0 : im, q[1], 1e-12 * Math.abs(im), "Im overlap, variant " + variant);
            assertEquals(variant == 1 ? 0 : mf, q[2], 1e-12 * Math.abs(mf), "(V*rho_j) rho_i, variant " + variant);
        }
    }
}
