package io.hartree.gpu.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static io.hartree.gpu.cuda.CudaStatus.Api.CUBLAS;
import static java.lang.foreign.ValueLayout.*;

/**
 * cuBLAS v2 (sheet §4): only the {@code _v2} symbols, never the legacy handle-less plain names
 * the .so also exports. Column-major; complex scalars are 16-byte {re, im} in host memory
 * (HOST pointer mode, set explicitly at create). Vectors are device pointers.
 */
public final class Cublas {
    public static final List<Fn> TABLE = List.of(
            Fn.of("cublasCreate_v2", "A"),
            Fn.of("cublasDestroy_v2", "A"),
            Fn.of("cublasGetVersion_v2", "A, A"),
            Fn.of("cublasSetStream_v2", "A, A"),
            Fn.of("cublasSetPointerMode_v2", "A, I"),
            new Fn("cublasGetStatusName", "cublasGetStatusName", null, "I", "A"),
            Fn.of("cublasDznrm2_v2", "A, I, A, I, A"),
            Fn.of("cublasZdotc_v2", "A, I, A, I, A, I, A"),
            Fn.of("cublasZscal_v2", "A, I, A, A, I"),
            Fn.of("cublasZdscal_v2", "A, I, A, A, I"),
            Fn.of("cublasZaxpy_v2", "A, I, A, A, I, A, I"),
            Fn.of("cublasZcopy_v2", "A, I, A, I, A, I"),
            Fn.of("cublasZgemv_v2", "A, I, I, I, A, A, I, A, I, A, A, I"),
            Fn.of("cublasDgemm_v2", "A, I, I, I, I, I, A, A, I, A, I, A, A, I"),
            Fn.of("cublasZgemm_v2", "A, I, I, I, I, I, A, A, I, A, I, A, A, I"));

    public static final int OP_N = 0, OP_T = 1, OP_C = 2;
    public static final int POINTER_MODE_HOST = 0, POINTER_MODE_DEVICE = 1;

    private final NativeLibrary lib;
    private final MethodHandle create, destroy, getVersion, setStream, setPointerMode, dznrm2, zdotc, zscal, zdscal,
            zaxpy, zcopy, zgemv, zgemm;

    public Cublas(NativeLibrary lib) {
        this.lib = lib.bind(TABLE);
        create = lib.handle("cublasCreate_v2"); destroy = lib.handle("cublasDestroy_v2");
        getVersion = lib.handle("cublasGetVersion_v2"); setStream = lib.handle("cublasSetStream_v2");
        setPointerMode = lib.handle("cublasSetPointerMode_v2"); dznrm2 = lib.handle("cublasDznrm2_v2");
        zdotc = lib.handle("cublasZdotc_v2"); zscal = lib.handle("cublasZscal_v2"); zdscal = lib.handle("cublasZdscal_v2");
        zaxpy = lib.handle("cublasZaxpy_v2"); zcopy = lib.handle("cublasZcopy_v2"); zgemv = lib.handle("cublasZgemv_v2");
        zgemm = lib.handle("cublasZgemm_v2");
    }

    public NativeLibrary library() { return lib; }

    private static void check(int rc, String call) { CudaStatus.check(CUBLAS, rc, call); }

    private static MemorySegment d(long p) { return MemorySegment.ofAddress(p); }

    /** A handle in HOST pointer mode bound to {@code stream}; destroyed again when either setting fails. */
    public MemorySegment create(MemorySegment stream) {
        MemorySegment h;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check((int) create.invokeExact(p), "cublasCreate_v2");
            h = p.get(ADDRESS, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
        try {
            check((int) setPointerMode.invokeExact(h, POINTER_MODE_HOST), "cublasSetPointerMode_v2");
            check((int) setStream.invokeExact(h, stream), "cublasSetStream_v2");
            return h;
        } catch (Throwable t) {
            try { destroy(h); } catch (RuntimeException d) { t.addSuppressed(d); }
            throw Driver.rethrow(t);
        }
    }

    public void destroy(MemorySegment h) {
        try { check((int) destroy.invokeExact(h), "cublasDestroy_v2"); } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    public int version(MemorySegment h) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            check((int) getVersion.invokeExact(h, p), "cublasGetVersion_v2");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** ‖x‖₂ of a complex vector (blocks until the result is on the host). */
    public double dznrm2(MemorySegment h, int n, long x, MemorySegment hostResult) {
        try {
            check((int) dznrm2.invokeExact(h, n, d(x), 1, hostResult), "cublasDznrm2_v2");
            return hostResult.get(JAVA_DOUBLE, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** ⟨x, y⟩ = Σ conj(x_i) y_i into {@code hostResult} (16 bytes, re then im). */
    public void zdotc(MemorySegment h, int n, long x, long y, MemorySegment hostResult) {
        try { check((int) zdotc.invokeExact(h, n, d(x), 1, d(y), 1, hostResult), "cublasZdotc_v2"); }
        catch (Throwable t) { throw Driver.rethrow(t); }
    }

    public void zscal(MemorySegment h, int n, MemorySegment alpha, long x) {
        try { check((int) zscal.invokeExact(h, n, alpha, d(x), 1), "cublasZscal_v2"); } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    public void zdscal(MemorySegment h, int n, MemorySegment alpha, long x) {
        try { check((int) zdscal.invokeExact(h, n, alpha, d(x), 1), "cublasZdscal_v2"); } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** y ← αx + y. */
    public void zaxpy(MemorySegment h, int n, MemorySegment alpha, long x, long y) {
        try { check((int) zaxpy.invokeExact(h, n, alpha, d(x), 1, d(y), 1), "cublasZaxpy_v2"); } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    public void zcopy(MemorySegment h, int n, long x, long y) {
        try { check((int) zcopy.invokeExact(h, n, d(x), 1, d(y), 1), "cublasZcopy_v2"); } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** y ← α op(A) x + β y, A column-major m×n with leading dimension lda. */
    public void zgemv(MemorySegment h, int trans, int m, int n, MemorySegment alpha, long A, int lda, long x,
                      MemorySegment beta, long y) {
        try { check((int) zgemv.invokeExact(h, trans, m, n, alpha, d(A), lda, d(x), 1, beta, d(y), 1), "cublasZgemv_v2"); }
        catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** C ← α op(A) op(B) + β C, column-major. */
    public void zgemm(MemorySegment h, int ta, int tb, int m, int n, int k, MemorySegment alpha, long A, int lda,
                      long B, int ldb, MemorySegment beta, long C, int ldc) {
        try { check((int) zgemm.invokeExact(h, ta, tb, m, n, k, alpha, d(A), lda, d(B), ldb, beta, d(C), ldc), "cublasZgemm_v2"); }
        catch (Throwable t) { throw Driver.rethrow(t); }
    }
}
