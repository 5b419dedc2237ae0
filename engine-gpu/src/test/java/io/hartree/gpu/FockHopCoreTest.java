package io.hartree.gpu;

import io.hartree.api.fock.FockBasis;
import io.hartree.api.fock.FockHamiltonian;
import io.hartree.api.fock.FockOperator;
import io.hartree.api.fock.FockSector;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.fock.SpinSector;
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
 * The hop kernel's core without a GPU: fock.cu's {@code __host__ __device__ fock_row} (the code
 * each device thread runs for its row: unrank, prefix sums, hop ranks, matrix elements) compiled
 * by g++ into a shared library and called through FFM for every row of small sectors, against
 * engine-api's matrix-free product ({@link FockHamiltonian#matrixFree()}) on the same vector.
 * This checks the ranking and hop logic the GPU runs; it does not check the CUDA compilation
 * (nvcc does that at build time) or the launch (FakeDeviceTest, CudaDeviceTest).
 */
class FockHopCoreTest {
    static final Path SOURCE = Path.of("src/main/resources/io/hartree/gpu/kernels/fock.cu");
    /**
     * Same terms, same summation order, correctly rounded sqrt on both sides: the only
     * differences are FMA contraction by g++, far below 1e-12 of the largest |y_r|.
     */
    static final double TOL = 1e-12;

    static Path dir;
    static MethodHandle hop;

    @BeforeAll
    static void build() throws Exception {
        dir = Files.createTempDirectory("fockcore");
        Path lib = dir.resolve("libfockcore.so");
        Process p;
        try {
            p = new ProcessBuilder("g++", "-x", "c++", "-std=c++17", "-O2", "-Wall", "-Werror", "-shared", "-fPIC", "-DFOCK_HOST_ENTRY",
                    "-o", lib.toString(), SOURCE.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no g++ to compile fock.cu's core on the host: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "g++ fock.cu: " + out);
        hop = Linker.nativeLinker().downcallHandle(SymbolLookup.libraryLookup(lib, Arena.global()).find("fock_hop_host").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS,
                        JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    @AfterAll
    static void clean() throws Exception {
        if (dir != null) try (var s = Files.list(dir)) { for (Path q : s.toList()) Files.deleteIfExists(q); Files.deleteIfExists(dir); }
    }

    /** y = H x by the C++ core, rows [0, dim). */
    static double[] core(FockHamiltonian h, double[] x) throws Throwable {
        FockTables t = FockTables.of(h);
        var tm = t.terms();
        double[] y = new double[x.length];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ys = a.allocate(8L * y.length, 8);
            hop.invokeExact(a.allocateFrom(JAVA_LONG, t.binom()), t.brows(), t.bcols(), t.ncomp(), a.allocateFrom(JAVA_LONG, t.comp()), t.modes(),
                    seg(a, tm.diag()), seg(a, tm.self()), t.pairs(), seg(a, tm.pair()), seg(a, tm.pairA()),
                    t.ones(), seg(a, tm.one()), seg(a, tm.oneC()), t.twos(), seg(a, tm.two()), seg(a, tm.twoC()),
                    seg(a, x), ys, 0L, t.dimension());
            MemorySegment.copy(ys, JAVA_DOUBLE, 0, y, 0, y.length);
        }
        return y;
    }

    static MemorySegment seg(Arena a, double[] v) { return v.length == 0 ? a.allocate(8) : a.allocateFrom(JAVA_DOUBLE, v); }

    static MemorySegment seg(Arena a, int[] v) { return v.length == 0 ? a.allocate(8) : a.allocateFrom(JAVA_INT, v); }

    static void compare(FockSector sector, ModeIntegrals mi, long seed, String what) throws Throwable {
        FockHamiltonian h = FockHamiltonian.of(sector, mi);
        FockOperator ref = h.matrixFree();
        Random r = new Random(seed);
        double[] x = new double[2 * ref.dimension()];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        double[] want = new double[x.length];
        ref.apply(x, want);
        double[] got = core(h, x);
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 1, what + ": a non-trivial product");
        for (int i = 0; i < x.length; i++)
            assertEquals(want[i], got[i], TOL * scale, what + ": (Hx)[" + (i / 2) + "] " + (i % 2 == 0 ? "re" : "im"));
    }

    /**
     * Random complex Hermitian h and a sparse random V with V_ijkl = V_jilk = conj(V_klij):
     * V = (W_ijkl + W_jilk + conj(W_klij) + conj(W_lkji))/4 has both symmetries for any W.
     */
    static ModeIntegrals random(int m, long seed, double density) {
        Random r = new Random(seed);
        double[] h = new double[2 * m * m], w = new double[2 * m * m * m * m], v = new double[w.length];
        ModeIntegrals idx = ModeIntegrals.zero(m);
        for (int i = 0; i < m; i++)
            for (int j = 0; j <= i; j++) {
                double a = r.nextGaussian(), b = i == j ? 0 : r.nextGaussian();
                h[idx.hIndex(i, j)] = a; h[idx.hIndex(i, j) + 1] = b;
                h[idx.hIndex(j, i)] = a; h[idx.hIndex(j, i) + 1] = -b;
            }
        for (int q = 0; q < w.length; q += 2)
            if (r.nextDouble() < density) { w[q] = r.nextGaussian(); w[q + 1] = r.nextGaussian(); }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                for (int k = 0; k < m; k++)
                    for (int l = 0; l < m; l++) {
                        int o = idx.vIndex(i, j, k, l), s = idx.vIndex(j, i, l, k), c1 = idx.vIndex(k, l, i, j), c2 = idx.vIndex(l, k, j, i);
                        v[o] = (w[o] + w[s] + w[c1] + w[c2]) / 4;
                        v[o + 1] = (w[o + 1] + w[s + 1] - w[c1 + 1] - w[c2 + 1]) / 4;
                    }
        return new ModeIntegrals(m, h, v);
    }

    @Test
    void randomComplexHamiltonianOnEveryRowOfM4N6() throws Throwable {
        compare(new FockBasis(6, 4), random(4, 1, 1.0), 2, "M=4 N=6, dense random V");
        compare(new FockBasis(6, 4), random(4, 3, 0.2), 4, "M=4 N=6, sparse random V");
    }

    @Test
    void braidedHopsOfTheRingM8N5() throws Throwable {
        compare(new FockBasis(5, 8), ModeIntegrals.ring(8, 1, 1), 5, "ring M=8 N=5");
        compare(new FockBasis(5, 8), random(8, 6, 0.05), 7, "M=8 N=5, sparse random complex V");
    }

    /** Two components (modes ⊗ spin, rank r↑·dim↓ + r↓): every hop keeps N↑ and N↓, cross-spin two-body terms included. */
    @Test
    void spinSectorWithRandomSpinIndependentIntegrals() throws Throwable {
        compare(new SpinSector(3, 2, 3), random(3, 8, 1.0).withSpin(), 9, "3 spatial modes ⊗ spin, N↑=2 N↓=3");
        compare(new SpinSector(4, 4, 0), random(4, 10, 0.5).withSpin(), 11, "4 spatial modes ⊗ spin, N↑=4 N↓=0");
    }

    /** Edge cases of the unrank: one mode, two modes with many bosons (binary search over N). */
    @Test
    void oneAndTwoModes() throws Throwable {
        compare(new FockBasis(7, 1), random(1, 12, 1.0), 13, "M=1 N=7");
        compare(new FockBasis(3000, 2), random(2, 14, 1.0), 15, "M=2 N=3000");
    }

    /**
     * Ranks beyond 2³¹ and 2³²: for sampled rows of a sector of C(51, 11) ≈ 7·10¹⁰ states (no
     * vector can be held), the core's entries of the row (fock_row_host: the kernel's own
     * enumeration) against FockBasis's cursor: the same column ranks from {@code hop}/{@code hop2}
     * and the same values conj(c)·√(amplitudes), diagonal included.
     */
    @Test
    void ranksBeyond32Bits() throws Throwable {
        FockBasis b = new FockBasis(40, 12);
        assertTrue(b.dimension() > (1L << 35), "dimension " + b.dimension());
        FockHamiltonian h = FockHamiltonian.of(b, random(12, 21, 0.002));
        FockTables t = FockTables.of(h);
        var tm = t.terms();
        assertTrue(t.twos() > 5 && t.ones() > 50, "terms " + t.ones() + ", " + t.twos());
        MethodHandle rowHost = Linker.nativeLinker().downcallHandle(SymbolLookup.libraryLookup(dir.resolve("libfockcore.so"), Arena.global())
                        .find("fock_row_host").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS,
                        JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        Random r = new Random(22);
        long[] rows = {0, (1L << 31) - 1, 1L << 31, (1L << 32) + 12345, b.dimension() / 2, b.dimension() - 1,
                r.nextLong(b.dimension()), r.nextLong(b.dimension()), r.nextLong(b.dimension())};
        int cap = t.ones() + t.twos();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment binom = a.allocateFrom(JAVA_LONG, t.binom()), comp = a.allocateFrom(JAVA_LONG, t.comp());
            MemorySegment cols = a.allocate(8L * cap, 8), vals = a.allocate(16L * cap, 8), dg = a.allocate(8, 8);
            for (long row : rows) {
                int count = (int) rowHost.invokeExact(binom, t.brows(), t.bcols(), t.ncomp(), comp, t.modes(),
                        seg(a, tm.diag()), seg(a, tm.self()), t.pairs(), seg(a, tm.pair()), seg(a, tm.pairA()),
                        t.ones(), seg(a, tm.one()), seg(a, tm.oneC()), t.twos(), seg(a, tm.two()), seg(a, tm.twoC()),
                        row, cols, vals, cap, dg);
                var cur = b.cursor(row);
                int[] n = cur.occupations().clone();
                double d = 0;
                for (int i = 0; i < n.length; i++) d += (tm.diag()[i] + tm.self()[i] * (n[i] - 1)) * n[i];
                for (int q = 0; q < t.pairs(); q++) d += tm.pairA()[q] * n[tm.pair()[2 * q]] * n[tm.pair()[2 * q + 1]];
                assertEquals(d, dg.get(JAVA_DOUBLE, 0), 1e-12 * Math.max(1, Math.abs(d)), "diagonal of row " + row);
                int e = 0;
                for (int q = 0; q < t.ones(); q++) {
                    int to = tm.one()[2 * q], from = tm.one()[2 * q + 1];
                    if (n[from] == 0) continue;
                    double amp = Math.sqrt(n[from]) * Math.sqrt(n[to] + 1);
                    check(row, e++, cur.hop(to, from), tm.oneC()[2 * q] * amp, -tm.oneC()[2 * q + 1] * amp, cols, vals);
                }
                for (int q = 0; q < t.twos(); q++) {
                    int p = tm.two()[4 * q], qq = tm.two()[4 * q + 1], rr = tm.two()[4 * q + 2], ss = tm.two()[4 * q + 3];
                    int ns = n[ss], nr = n[rr] - (rr == ss ? 1 : 0);
                    if (ns == 0 || nr <= 0) continue;
                    int nq = n[qq] - (qq == ss ? 1 : 0) - (qq == rr ? 1 : 0) + 1;
                    int np = n[p] - (p == ss ? 1 : 0) - (p == rr ? 1 : 0) + (p == qq ? 1 : 0) + 1;
                    double amp = Math.sqrt(ns) * Math.sqrt(nr) * Math.sqrt(nq) * Math.sqrt(np);
                    check(row, e++, cur.hop2(p, qq, rr, ss), tm.twoC()[2 * q] * amp, -tm.twoC()[2 * q + 1] * amp, cols, vals);
                }
                assertEquals(e, count, "entries of row " + row);
            }
        }
    }

    private static void check(long row, int e, long col, double re, double im, MemorySegment cols, MemorySegment vals) {
        assertTrue(col >= 0, "FockBasis hop stays in the sector");
        assertEquals(col, cols.getAtIndex(JAVA_LONG, e), "column rank of entry " + e + " of row " + row);
        assertEquals(re, vals.getAtIndex(JAVA_DOUBLE, 2 * e), 1e-12 * Math.max(1, Math.abs(re)), "Re of entry " + e + " of row " + row);
        assertEquals(im, vals.getAtIndex(JAVA_DOUBLE, 2 * e + 1), 1e-12 * Math.max(1, Math.abs(im)), "Im of entry " + e + " of row " + row);
    }
}
