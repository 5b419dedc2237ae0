package io.hartree.gpu;

import io.hartree.api.BackendException;
import io.hartree.api.ParameterException;
import io.hartree.api.fock.CsrMatrix;
import io.hartree.api.fock.Expmv;
import io.hartree.api.fock.ExpmvOptions;
import io.hartree.api.fock.ExpmvResult;
import io.hartree.api.fock.FockHamiltonian;
import io.hartree.api.FockKernels;
import io.hartree.api.fock.FockOperator;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.KrylovOps;
import io.hartree.gpu.cuda.Cublas;
import io.hartree.gpu.cuda.Cusolver;
import io.hartree.gpu.cuda.KernelArgs;
import io.hartree.gpu.cuda.Launch;
import io.hartree.gpu.cuda.OutOfMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.*;

/**
 * Fock-space kernels on the device: complex GEMM by cublasZgemm (so engine-api's Padé-13 runs
 * its matrix products on the GPU), Hermitian eigendecomposition by cusolverDnZheevd where
 * cuSOLVER was found (else engine-api's host Jacobi), and Krylov vectors resident on the device
 * with the CSR product as a row-per-thread kernel (64-bit row pointers, no atomics) and the vector
 * operations as cuBLAS calls. The small real symmetric eigenproblems (Lanczos tridiagonals) stay
 * on the host: they are tiny, and a device round trip would cost more than solving them.
 */
public final class CudaFockKernels implements FockKernels {
    private final CudaSession s;
    private final Cublas blas;
    private final MemorySegment handle;
    /** The host scalars and Krylov argument blocks, from the session (closed with these kernels, or with a failed construction). */
    private final Arena arena;
    private final MemorySegment one, zero;

    CudaFockKernels(CudaSession s) {
        this.s = s;
        if (s.rt.cublas == null)
            throw new BackendException("cuda Fock kernels need cuBLAS: " + s.rt.missing("cublas").orElse("libcublas not loaded"));
        this.blas = s.rt.cublas;
        s.enter();
        this.arena = s.openArena();
        try {
            this.handle = blas.create(s.stream);
        } catch (RuntimeException e) {
            s.closeArena(arena);
            throw e;
        }
        this.one = complex(1, 0);
        this.zero = complex(0, 0);
    }

    private MemorySegment complex(double re, double im) {
        MemorySegment z = arena.allocate(16, 16);
        z.set(JAVA_DOUBLE, 0, re);
        z.set(JAVA_DOUBLE, 8, im);
        return z;
    }

    @Override
    public String backend() { return "cuda"; }

    /** cuBLAS version read through the session's handle. */
    int cublasVersion() { s.enter(); return blas.version(handle); }

    private long upload(double[] host, String what) { return upload(MemorySegment.ofArray(host), what); }

    /** A new device buffer holding a copy of the Java array behind {@code heap} (at least 8 bytes, so empty tables get a valid pointer). */
    private long upload(MemorySegment heap, String what) {
        long d = s.alloc(Math.max(8, heap.byteSize()), what);
        if (heap.byteSize() > 0) copyIn(heap, d);
        return d;
    }

    /** Heap segments cannot go to native code: through a confined native copy. */
    private void copyIn(MemorySegment heap, long d) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(heap.byteSize(), 8);
            h.copyFrom(heap);
            s.drv.memcpyHtoDAsync(d, h, heap.byteSize(), s.stream);
            // Needed: the staging copy h is freed when this block ends, and the copy may still read it.
            s.drv.streamSynchronize(s.stream);
        }
    }

    private void download(long d, double[] host) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(8L * host.length, 8);
            s.drv.memcpyDtoHAsync(h, d, 8L * host.length, s.stream);
            // Needed: the host reads h next, so the copy (and all device work before it on the stream) must be done.
            s.drv.streamSynchronize(s.stream);
            MemorySegment.copy(h, JAVA_DOUBLE, 0, host, 0, host.length);
        }
    }

    /**
     * C = A·B, row-major n×n. cuBLAS is column-major, and a row-major matrix read column-major is
     * its transpose, so Cᵀ = Bᵀ·Aᵀ is computed as gemm(N, N, B, A) (sheet §4).
     */
    @Override
    public void gemm(double[] a, double[] b, double[] c, int n) {
        FockKernels.checkGemm(a, b, c, n);
        s.enter();
        long dA = 0, dB = 0, dC = 0;
        try {
            dA = upload(a, "GEMM A (" + n + "² complex)");
            dB = upload(b, "GEMM B (" + n + "² complex)");
            dC = s.alloc(16L * n * n, "GEMM C (" + n + "² complex)");
            blas.zgemm(handle, Cublas.OP_N, Cublas.OP_N, n, n, n, one, dB, n, dA, n, zero, dC, n);
            download(dC, c);
        } catch (RuntimeException e) {
            throw s.failed(e);
        } finally {
            for (long p : new long[]{dA, dB, dC}) if (p != 0) s.free(p);
        }
    }

    /**
     * Eigenvalues ascending and, when asked, eigenvectors as columns (row-major) of the Hermitian A.
     * The row-major A read column-major is Aᵀ = conj(A); Zheevd gives conj(A)Q = QΛ, hence
     * A·conj(Q) = conj(Q)Λ and the eigenvectors are conj(Q).
     */
    @Override
    public double[] eigh(double[] a, int n, double[] vectors) {
        FockKernels.checkEigh(a, n, vectors);
        Cusolver sol = s.rt.cusolver;
        if (sol == null) return hostEigh(a, n, vectors);
        s.enter();
        long dA = 0, dW = 0, dWork = 0, dInfo = 0;
        MemorySegment h = null;
        try {
            h = sol.create(s.stream);
            dA = upload(a, "Zheevd A (" + n + "² complex)");
            dW = s.alloc(8L * n, "Zheevd eigenvalues");
            dInfo = s.alloc(8, "Zheevd info");
            s.drv.memsetD8Async(dInfo, (byte) 0, 8, s.stream);
            int lwork = sol.zheevdBufferSize(h, n, dA, n, dW);
            dWork = s.alloc(16L * Math.max(1, lwork), "Zheevd work (" + lwork + " complex)");
            sol.zheevd(h, n, dA, n, dW, dWork, lwork, dInfo);
            double[] info = new double[1];
            download(dInfo, info);
            int code = (int) Double.doubleToRawLongBits(info[0]);  // the int in the low 4 bytes (little-endian; the rest zeroed)
            if (code != 0)
                throw new BackendException("cusolverDnZheevd info = " + code + (code < 0 ? " (parameter " + (-code) + " invalid)" : " (no convergence)"));
            double[] w = new double[n];
            download(dW, w);
            if (vectors != null) {
                double[] q = new double[2 * n * n];
                download(dA, q);
                for (int r = 0; r < n; r++)
                    for (int c = 0; c < n; c++) {
                        int src = 2 * (c * n + r), dst = 2 * (r * n + c);
                        vectors[dst] = q[src];
                        vectors[dst + 1] = -q[src + 1];
                    }
            }
            return w;
        } catch (RuntimeException e) {
            throw s.failed(e);
        } finally {
            for (long p : new long[]{dA, dW, dWork, dInfo}) if (p != 0) s.free(p);
            if (h != null) sol.destroy(h);
        }
    }

    /** Without cuSOLVER: eigenvalues on the host (engine-api's Jacobi); eigenvectors need cuSOLVER. */
    private static double[] hostEigh(double[] a, int n, double[] vectors) {
        if (vectors != null)
            throw new BackendException("cuda eigh with eigenvectors needs cuSOLVER (libcusolver not found); use --backend cpu for it");
        return HermitianEigen.eigenvalues(a, n);
    }

    /** exp(−itH): by Zheevd when cuSOLVER is present, else by Padé-13 of −itH on cuBLAS Zgemm (any matrix, no eigenvectors needed). */
    @Override
    public double[] expHermitian(double[] h, int n, double t) {
        if (s.rt.cusolver != null) return FockKernels.super.expHermitian(h, n, t);
        double[] a = new double[2 * n * n];
        for (int i = 0; i < n * n; i++) { a[2 * i] = t * h[2 * i + 1]; a[2 * i + 1] = -t * h[2 * i]; }
        return expm(a, n);
    }

    @Override
    public double[] eighReal(double[] a, int n, double[] vectors) {
        FockKernels.checkEighReal(a, n, vectors);
        return HermitianEigen.symmetricEigenvalues(a, n, vectors);
    }

    /**
     * Krylov primitives on the device. A CSR H runs as {@code csr_spmv_c128}; the matrix-free H
     * of {@link FockHamiltonian#matrixFree()} runs as the hop kernel {@code fock_hop_c128}
     * (tables uploaded once, no matrix stored); any other operator is applied on the host.
     */
    @Override
    public KrylovOps<?> krylov(FockOperator h) {
        s.enter();
        try {
            return new DeviceKrylov(h, h instanceof FockHamiltonian.MatrixFree mf ? mf.hamiltonian() : null);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    /** Device bytes kept free besides the Krylov vectors (cuBLAS workspace, the kernels' local memory, fragmentation). */
    static final long DEVICE_MARGIN = 256L << 20;

    /**
     * exp(−itH)ψ with the Krylov basis on the device, H uploaded once for every call: per call the
     * memory budget of the options is replaced by the free device memory after H is on the device
     * (minus {@link #DEVICE_MARGIN}), so Lanczos's basis dimension m (m + 1 vectors of 16·dim bytes,
     * plus one) is capped by it; fewer than 5 vectors (Chebyshev's 4 and one spare) is an error that
     * names the figures. The call's Krylov vectors are freed when it returns.
     */
    @Override
    public Propagator propagator(FockOperator h) {
        DeviceKrylov ops = (DeviceKrylov) krylov(h);
        return new Propagator() {
            @Override
            public ExpmvResult apply(double[] psi, double t, ExpmvOptions options) {
                try {
                    long free = s.drv.memInfo()[0];
                    long vb = ops.vectorBytes();
                    long budget = Math.max(1, free - DEVICE_MARGIN - vb);
                    long fit = budget / vb;
                    if (fit < 5)
                        throw new BackendException("not enough device memory for exp(−itH)ψ on a sector of " + ops.n + " states: one Krylov vector is "
                                + OutOfMemory.bytes(vb) + ", Lanczos needs m + 2 of them (Chebyshev 4), and " + OutOfMemory.bytes(free)
                                + " are free, so only " + fit + " fit; use a smaller sector or a GPU with more memory");
                    // The vectors live on the device: its free memory is the budget (the options' default
                    // budget is half the free JVM heap, which would cap a 10⁸-state basis at 2 vectors).
                    ExpmvOptions capped = new ExpmvOptions(options.method(), options.tol(), options.maxKrylov(), budget);
                    return Expmv.apply(ops, null, h, psi, t, capped);
                } finally {
                    ops.releaseVectors();
                }
            }

            @Override
            public void close() { ops.close(); }
        };
    }

    /** The result of {@link #expmvResident}: the Krylov run, ‖ψ(t)‖, and ψ(t) at the probed ranks (interleaved). */
    public record Resident(ExpmvResult result, double norm, double[] amplitudes) {}

    /**
     * exp(−itH)|n_r⟩ for the basis state of rank {@code initialRank}, with the state resident on
     * the device from start to end (engine-api's {@link Expmv#lanczosResident}): for sectors whose
     * state does not fit a host array (FockSector.vectorDimension's 2³⁰ − 1), up to what the device
     * memory holds (16 bytes per state per vector, at least 5 vectors). H is applied by the hop
     * kernel from {@code h}'s terms. Returns the norm and the amplitudes at {@code probes}.
     */
    public Resident expmvResident(FockHamiltonian h, long initialRank, double t, double tol, long... probes) {
        s.enter();
        try (DeviceKrylov ops = new DeviceKrylov(null, h)) {
            ParameterException.require(initialRank >= 0 && initialRank < ops.n, "initial rank", initialRank, "0 … " + (ops.n - 1));
            for (long p : probes) ParameterException.require(p >= 0 && p < ops.n, "probe rank", p, "0 … " + (ops.n - 1));
            long free = s.drv.memInfo()[0];
            long k = maxKrylov(ops.n, free);
            if (k < 2)
                throw new BackendException("not enough device memory for exp(−itH)ψ on a sector of " + ops.n + " states: one Krylov vector is "
                        + OutOfMemory.bytes(ops.vectorBytes()) + ", Lanczos needs m + 3 of them with m ≥ 2, and " + OutOfMemory.bytes(free) + " are free");
            DVec w = ops.allocate();
            ops.poke(w, initialRank, 1, 0);
            ExpmvResult r = Expmv.lanczosResident(ops, ops.n, w, t, tol, (int) Math.min(120, k));
            double[] amp = new double[2 * probes.length];
            for (int i = 0; i < probes.length; i++) ops.peek(w, probes[i], amp, 2 * i);
            return new Resident(r, ops.norm(w), amp);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    /** Largest Lanczos basis that fits in {@code freeBytes} for {@code states} states: (free − margin)/(16·states) − 3 vectors (w, v_{m+1}, one spare). */
    static long maxKrylov(long states, long freeBytes) {
        return (freeBytes - DEVICE_MARGIN) / (16L * states) - 3;
    }

    void close() {
        try { s.enter(); blas.destroy(handle); } finally { s.closeArena(arena); }
    }

    /** A device vector of the operator's dimension (interleaved complex double). */
    record DVec(long ptr) {}

    /** cuBLAS takes {@code int n}: vectors longer than this go in chunks (package-private so that a test can shrink it). */
    static int blasChunk = Integer.MAX_VALUE;

    /** Calls {@code op(offset, length)} over [0, n) in chunks of at most {@code chunk} elements, in order. */
    static void chunks(long n, int chunk, ChunkOp op) {
        for (long off = 0; off < n; off += chunk) op.run(off, (int) Math.min(chunk, n - off));
    }

    interface ChunkOp { void run(long offset, int length); }

    /** Krylov primitives with vectors on the device (64-bit lengths, cuBLAS in chunks of ≤ 2³¹ − 1 elements). */
    final class DeviceKrylov implements KrylovOps<DVec> {
        private final FockOperator op;
        final long n;
        private final int chunk = blasChunk;
        private final long[] tables;
        private final KernelArgs kernelArgs;
        private final Launch kernel;
        private final int xArg, yArg;
        private final MemorySegment alpha = arena.allocate(16, 16), result = arena.allocate(16, 16), real = arena.allocate(8, 8);
        private final java.util.List<Long> vectors = new java.util.ArrayList<>();
        /** This evolution's native memory (kernel arguments, the host path's staging copy), freed by close. */
        private final Arena own = Arena.ofShared();
        /** Host-applied H only: x and Hx as Java arrays, and one native copy of a vector reused by every product. */
        private double[] hostX, hostY;
        private MemorySegment staging;

        /** {@code fh} non-null: H by the hop kernel from its terms (op may then be null: a sector beyond host arrays). */
        DeviceKrylov(FockOperator op, FockHamiltonian fh) {
            this.op = op;
            CsrMatrix csr = fh == null && op != null ? op.asCsr().orElse(null) : null;
            if (csr != null) {
                this.n = op.dimension();
                int[] rp = csr.rowPtr();
                long nnz = rp[(int) n];
                long[] rp64 = new long[(int) n + 1];
                for (int i = 0; i <= n; i++) rp64[i] = rp[i];
                long[] c64 = new long[(int) nnz];
                for (int i = 0; i < nnz; i++) c64[i] = csr.col()[i];
                double[] v = new double[(int) (2 * nnz)];
                for (int i = 0; i < nnz; i++) { v[2 * i] = csr.re()[i]; v[2 * i + 1] = csr.im() == null ? 0 : csr.im()[i]; }
                long rowPtr = uploadLongs(rp64, "CSR row pointers (" + (n + 1) + " × 8 bytes)");
                long col = uploadLongs(c64, "CSR columns (" + nnz + " × 8 bytes)");
                long val = CudaFockKernels.this.upload(v, "CSR values (" + nnz + " complex)");
                tables = new long[]{rowPtr, col, val};
                kernelArgs = new KernelArgs(own).ptr(rowPtr).ptr(col).ptr(val).ptr(0).ptr(0).u64(n);
                xArg = 3; yArg = 4;
                kernel = Launch.of(s.drv, s.function(Kernels.CSR_SPMV), Kernels.CSR_SPMV, Launch.gridFor(n, 256, 65535), 256,
                        s.stream, kernelArgs, s.signatures);
            } else if (fh != null) {
                FockTables t = FockTables.of(fh);
                this.n = t.dimension();
                var tm = t.terms();
                String what = " of the matrix-free H (" + t.ones() + " one-body, " + t.twos() + " two-body terms)";
                long binom = uploadLongs(t.binom(), "the binomial table" + what);
                long comp = uploadLongs(t.comp(), "the sector components" + what);
                long diag = uploadDoubles(tm.diag(), "h_ii" + what), self = uploadDoubles(tm.self(), "B_p" + what);
                long pair = uploadInts(tm.pair(), "pairs" + what), pairA = uploadDoubles(tm.pairA(), "A_pq" + what);
                long one = uploadInts(tm.one(), "one-body indices" + what), oneC = uploadDoubles(tm.oneC(), "one-body coefficients" + what);
                long two = uploadInts(tm.two(), "two-body indices" + what), twoC = uploadDoubles(tm.twoC(), "two-body coefficients" + what);
                tables = new long[]{binom, comp, diag, self, pair, pairA, one, oneC, two, twoC};
                kernelArgs = new KernelArgs(own).ptr(binom).i32(t.brows()).i32(t.bcols()).i32(t.ncomp()).ptr(comp).i32(t.modes())
                        .ptr(diag).ptr(self).i32(t.pairs()).ptr(pair).ptr(pairA).i32(t.ones()).ptr(one).ptr(oneC)
                        .i32(t.twos()).ptr(two).ptr(twoC).ptr(0).ptr(0).u64(n);
                xArg = 17; yArg = 18;
                // Grid-stride: enough blocks to fill the device several times over; rows beyond 2³¹ loop.
                kernel = Launch.of(s.drv, s.function(Kernels.FOCK_HOP), Kernels.FOCK_HOP, Launch.gridFor(n, 256, 32 * Math.max(1, s.multiprocessors())), 256,
                        s.stream, kernelArgs, s.signatures);
            } else {
                this.n = op.dimension();
                tables = new long[0];
                kernelArgs = null;
                kernel = null;
                xArg = yArg = -1;
                hostX = new double[2 * (int) n];
                hostY = new double[2 * (int) n];
                staging = own.allocate(vectorBytes(), 8);
            }
        }

        /** v[rank] = re + i·im (one element written from the host). */
        void poke(DVec v, long rank, double re, double im) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment h = a.allocate(16, 8);
                h.set(JAVA_DOUBLE, 0, re);
                h.set(JAVA_DOUBLE, 8, im);
                s.drv.memcpyHtoDAsync(v.ptr() + 16 * rank, h, 16, s.stream);
                s.drv.streamSynchronize(s.stream);  // needed: h is freed when this block ends
            }
        }

        /** out[at], out[at + 1] = v[rank] (one element read back). */
        void peek(DVec v, long rank, double[] out, int at) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment h = a.allocate(16, 8);
                s.drv.memcpyDtoHAsync(h, v.ptr() + 16 * rank, 16, s.stream);
                s.drv.streamSynchronize(s.stream);  // needed: the host reads h next
                out[at] = h.get(JAVA_DOUBLE, 0);
                out[at + 1] = h.get(JAVA_DOUBLE, 8);
            }
        }

        /** Whether H is applied on the device (CSR or hop kernel) rather than on the host. */
        boolean onDevice() { return kernel != null; }

        private long uploadLongs(long[] host, String what) { return CudaFockKernels.this.upload(MemorySegment.ofArray(host), what); }

        private long uploadInts(int[] host, String what) { return CudaFockKernels.this.upload(MemorySegment.ofArray(host), what); }

        private long uploadDoubles(double[] host, String what) { return CudaFockKernels.this.upload(MemorySegment.ofArray(host), what); }

        @Override
        public DVec allocate() {
            s.enter();
            long p = s.alloc(vectorBytes(), "a Krylov vector (" + n + " complex, " + OutOfMemory.bytes(vectorBytes()) + ")");
            s.drv.memsetD8Async(p, (byte) 0, vectorBytes(), s.stream);
            vectors.add(p);
            return new DVec(p);
        }

        @Override
        public void upload(double[] psi, DVec v) {
            s.enter();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment h = a.allocate(vectorBytes(), 8);
                MemorySegment.copy(psi, 0, h, JAVA_DOUBLE, 0, 2 * (int) n);
                s.drv.memcpyHtoDAsync(v.ptr(), h, vectorBytes(), s.stream);
                s.drv.streamSynchronize(s.stream);  // needed: h is freed when this block ends
            }
        }

        @Override
        public void download(DVec v, double[] psi) {
            s.enter();
            CudaFockKernels.this.download(v.ptr(), psi);
        }

        @Override
        public void apply(DVec x, DVec y) {
            s.enter();
            try {
                if (kernel != null) {
                    kernelArgs.setLong(xArg, x.ptr());
                    kernelArgs.setLong(yArg, y.ptr());
                    kernel.run();
                } else {
                    s.drv.memcpyDtoHAsync(staging, x.ptr(), vectorBytes(), s.stream);
                    s.drv.streamSynchronize(s.stream);  // needed: the host reads staging next
                    MemorySegment.copy(staging, JAVA_DOUBLE, 0, hostX, 0, hostX.length);
                    op.apply(hostX, hostY);
                    MemorySegment.copy(hostY, 0, staging, JAVA_DOUBLE, 0, hostY.length);
                    s.drv.memcpyHtoDAsync(y.ptr(), staging, vectorBytes(), s.stream);
                    // Needed: the next product overwrites staging from the host while this copy may still read it.
                    s.drv.streamSynchronize(s.stream);
                }
            } catch (RuntimeException e) {
                throw s.failed(e);
            }
        }

        @Override
        public double[] dot(DVec x, DVec y) {
            s.enter();
            double[] acc = new double[2];
            // No synchronisation: with a host-mode result cuBLAS itself waits until the result is on the host.
            chunks(n, chunk, (off, len) -> {
                blas.zdotc(handle, len, x.ptr() + 16 * off, y.ptr() + 16 * off, result);
                acc[0] += result.get(JAVA_DOUBLE, 0);
                acc[1] += result.get(JAVA_DOUBLE, 8);
            });
            return acc;
        }

        @Override
        public double norm(DVec x) {
            s.enter();
            if (n <= chunk) return blas.dznrm2(handle, (int) n, x.ptr(), real);
            // ‖x‖ = sqrt(Σ ‖x_c‖²) over the chunks; norms of state vectors are O(1), far from overflow.
            double[] sq = new double[1];
            chunks(n, chunk, (off, len) -> { double c = blas.dznrm2(handle, len, x.ptr() + 16 * off, real); sq[0] += c * c; });
            return Math.sqrt(sq[0]);
        }

        @Override
        public void axpy(double ar, double ai, DVec x, DVec y) {
            s.enter();
            alpha.set(JAVA_DOUBLE, 0, ar);
            alpha.set(JAVA_DOUBLE, 8, ai);
            // No synchronisation: in HOST pointer mode cuBLAS reads alpha when the call is made and
            // launches its kernel with the value (cuBLAS guide, cublasSetPointerMode), so alpha may be
            // overwritten as soon as the call returns; the stream orders this update before any later
            // device work on y, and whoever reads y on the host (download, dot, norm) waits for it.
            chunks(n, chunk, (off, len) -> blas.zaxpy(handle, len, alpha, x.ptr() + 16 * off, y.ptr() + 16 * off));
        }

        @Override
        public void scale(double sc, DVec x) {
            s.enter();
            real.set(JAVA_DOUBLE, 0, sc);
            // No synchronisation, as in axpy: the host-mode scalar is read at the call, the stream orders the rest.
            chunks(n, chunk, (off, len) -> blas.zdscal(handle, len, real, x.ptr() + 16 * off));
        }

        @Override
        public void combine(java.util.List<DVec> basis, int count, double[] coef, DVec out) {
            s.enter();
            s.drv.memsetD8Async(out.ptr(), (byte) 0, vectorBytes(), s.stream);
            for (int k = 0; k < count; k++) axpy(coef[2 * k], coef[2 * k + 1], basis.get(k), out);
        }

        @Override
        public long vectorBytes() { return 16L * n; }

        /** Frees the Krylov vectors allocated so far (one exp(−itH)ψ call's); H's tables stay for the next call. */
        void releaseVectors() {
            for (long p : vectors) s.free(p);
            vectors.clear();
        }

        @Override
        public void close() {
            releaseVectors();
            for (long p : tables) if (p != 0) s.free(p);
            own.close();
        }
    }
}
