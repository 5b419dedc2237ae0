package io.hartree.gpu;

import io.hartree.api.BackendException;
import io.hartree.api.fock.CsrMatrix;
import io.hartree.api.fock.FockKernels;
import io.hartree.api.fock.FockOperator;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fock.KrylovOps;
import io.hartree.gpu.cuda.Cublas;
import io.hartree.gpu.cuda.Cusolver;
import io.hartree.gpu.cuda.KernelArgs;
import io.hartree.gpu.cuda.Launch;

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
final class CudaFockKernels implements FockKernels {
    private final CudaSession s;
    private final Cublas blas;
    private final MemorySegment handle;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment one, zero;

    CudaFockKernels(CudaSession s) {
        this.s = s;
        if (s.rt.cublas == null)
            throw new BackendException("cuda Fock kernels need cuBLAS: " + s.rt.missing("cublas").orElse("libcublas not loaded"));
        this.blas = s.rt.cublas;
        s.enter();
        this.handle = blas.create(s.stream);
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

    private long upload(double[] host, String what) {
        long d = s.alloc(8L * host.length, what);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(8L * host.length, 8);
            MemorySegment.copy(host, 0, h, JAVA_DOUBLE, 0, host.length);
            s.drv.memcpyHtoDAsync(d, h, 8L * host.length, s.stream);
            s.drv.streamSynchronize(s.stream);
        }
        return d;
    }

    private void download(long d, double[] host) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(8L * host.length, 8);
            s.drv.memcpyDtoHAsync(h, d, 8L * host.length, s.stream);
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
        return HermitianEigen.symmetricEigenvalues(a, n, vectors);
    }

    @Override
    public KrylovOps<?> krylov(FockOperator h) {
        s.enter();
        try {
            return new DeviceKrylov(h);
        } catch (RuntimeException e) {
            throw s.failed(e);
        }
    }

    void close() {
        try { s.enter(); blas.destroy(handle); } finally { arena.close(); }
    }

    /** A device vector of the operator's dimension (interleaved complex double). */
    record DVec(long ptr) {}

    /** Krylov primitives with vectors on the device; H from CSR on the device, or applied on the host when matrix-free. */
    final class DeviceKrylov implements KrylovOps<DVec> {
        private final FockOperator op;
        private final int n;
        private final long rowPtr, col, val;
        private final KernelArgs spmvArgs;
        private final Launch spmv;
        private final MemorySegment alpha = arena.allocate(16, 16), result = arena.allocate(16, 16), real = arena.allocate(8, 8);
        private final java.util.List<Long> vectors = new java.util.ArrayList<>();
        private double[] hostX, hostY;

        DeviceKrylov(FockOperator op) {
            this.op = op;
            this.n = op.dimension();
            if (op instanceof CsrMatrix csr) {
                int[] rp = csr.rowPtr();
                long nnz = rp[n];
                long[] rp64 = new long[n + 1];
                for (int i = 0; i <= n; i++) rp64[i] = rp[i];
                long[] c64 = new long[(int) nnz];
                for (int i = 0; i < nnz; i++) c64[i] = csr.col()[i];
                double[] v = new double[(int) (2 * nnz)];
                for (int i = 0; i < nnz; i++) { v[2 * i] = csr.re()[i]; v[2 * i + 1] = csr.im() == null ? 0 : csr.im()[i]; }
                rowPtr = uploadLongs(rp64, "CSR row pointers (" + (n + 1) + " × 8 bytes)");
                col = uploadLongs(c64, "CSR columns (" + nnz + " × 8 bytes)");
                val = CudaFockKernels.this.upload(v, "CSR values (" + nnz + " complex)");
                spmvArgs = new KernelArgs(arena).ptr(rowPtr).ptr(col).ptr(val).ptr(0).ptr(0).u64(n);
                spmv = Launch.of(s.drv, s.function(Kernels.CSR_SPMV), Kernels.CSR_SPMV, Launch.gridFor(n, 256, 65535), 256,
                        s.stream, spmvArgs, s.signatures);
            } else {
                rowPtr = col = val = 0;
                spmvArgs = null;
                spmv = null;
                hostX = new double[2 * n];
                hostY = new double[2 * n];
            }
        }

        private long uploadLongs(long[] host, String what) {
            long d = s.alloc(8L * host.length, what);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment h = a.allocate(8L * host.length, 8);
                MemorySegment.copy(host, 0, h, JAVA_LONG, 0, host.length);
                s.drv.memcpyHtoDAsync(d, h, 8L * host.length, s.stream);
                s.drv.streamSynchronize(s.stream);
            }
            return d;
        }

        @Override
        public DVec allocate() {
            s.enter();
            long p = s.alloc(vectorBytes(), "a Krylov vector (" + n + " complex)");
            s.drv.memsetD8Async(p, (byte) 0, vectorBytes(), s.stream);
            vectors.add(p);
            return new DVec(p);
        }

        @Override
        public void upload(double[] psi, DVec v) {
            s.enter();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment h = a.allocate(vectorBytes(), 8);
                MemorySegment.copy(psi, 0, h, JAVA_DOUBLE, 0, 2 * n);
                s.drv.memcpyHtoDAsync(v.ptr(), h, vectorBytes(), s.stream);
                s.drv.streamSynchronize(s.stream);
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
                if (spmv != null) {
                    spmvArgs.setLong(3, x.ptr());
                    spmvArgs.setLong(4, y.ptr());
                    spmv.run();
                } else {
                    CudaFockKernels.this.download(x.ptr(), hostX);
                    op.apply(hostX, hostY);
                    upload(hostY, y);
                }
            } catch (RuntimeException e) {
                throw s.failed(e);
            }
        }

        @Override
        public double[] dot(DVec x, DVec y) {
            s.enter();
            blas.zdotc(handle, n, x.ptr(), y.ptr(), result);
            return new double[]{result.get(JAVA_DOUBLE, 0), result.get(JAVA_DOUBLE, 8)};
        }

        @Override
        public double norm(DVec x) {
            s.enter();
            return blas.dznrm2(handle, n, x.ptr(), real);
        }

        @Override
        public void axpy(double ar, double ai, DVec x, DVec y) {
            s.enter();
            alpha.set(JAVA_DOUBLE, 0, ar);
            alpha.set(JAVA_DOUBLE, 8, ai);
            blas.zaxpy(handle, n, alpha, x.ptr(), y.ptr());
            // HOST pointer mode reads alpha at the call, but the product may run later: wait before alpha is reused.
            s.drv.streamSynchronize(s.stream);
        }

        @Override
        public void scale(double sc, DVec x) {
            s.enter();
            real.set(JAVA_DOUBLE, 0, sc);
            blas.zdscal(handle, n, real, x.ptr());
            s.drv.streamSynchronize(s.stream);
        }

        @Override
        public void combine(java.util.List<DVec> basis, int count, double[] coef, DVec out) {
            s.enter();
            s.drv.memsetD8Async(out.ptr(), (byte) 0, vectorBytes(), s.stream);
            for (int k = 0; k < count; k++) axpy(coef[2 * k], coef[2 * k + 1], basis.get(k), out);
        }

        @Override
        public long vectorBytes() { return 16L * n; }

        @Override
        public void close() {
            for (long p : vectors) s.free(p);
            vectors.clear();
            for (long p : new long[]{rowPtr, col, val}) if (p != 0) s.free(p);
        }
    }
}
