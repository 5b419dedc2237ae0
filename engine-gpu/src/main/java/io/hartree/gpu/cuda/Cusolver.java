package io.hartree.gpu.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static io.hartree.gpu.cuda.CudaStatus.Api.CUSOLVER;
import static java.lang.foreign.ValueLayout.*;

/** cuSOLVER dense, only what the Hermitian exponential needs (sheet §5). Optional: absent libraries disable it. */
public final class Cusolver {
    public static final List<Fn> TABLE = List.of(
            Fn.of("cusolverDnCreate", "A"),
            Fn.of("cusolverDnDestroy", "A"),
            Fn.of("cusolverDnSetStream", "A, A"),
            Fn.of("cusolverDnZheevd_bufferSize", "A, I, I, I, A, I, A, A"),
            Fn.of("cusolverDnZheevd", "A, I, I, I, A, I, A, A, I, A"),
            Fn.of("cusolverGetVersion", "A"));

    public static final int EIG_MODE_VECTOR = 1, FILL_LOWER = 0;

    private final NativeLibrary lib;
    private final MethodHandle create, destroy, setStream, bufferSize, zheevd, getVersion;

    public Cusolver(NativeLibrary lib) {
        this.lib = lib.bind(TABLE);
        create = lib.handle("cusolverDnCreate"); destroy = lib.handle("cusolverDnDestroy");
        setStream = lib.handle("cusolverDnSetStream"); bufferSize = lib.handle("cusolverDnZheevd_bufferSize");
        zheevd = lib.handle("cusolverDnZheevd"); getVersion = lib.handle("cusolverGetVersion");
    }

    public NativeLibrary library() { return lib; }

    private static void check(int rc, String call) { CudaStatus.check(CUSOLVER, rc, call); }

    public int version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            check((int) getVersion.invokeExact(p), "cusolverGetVersion");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** A handle bound to {@code stream}; destroyed again when setting the stream fails. */
    public MemorySegment create(MemorySegment stream) {
        MemorySegment h;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check((int) create.invokeExact(p), "cusolverDnCreate");
            h = p.get(ADDRESS, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
        try {
            check((int) setStream.invokeExact(h, stream), "cusolverDnSetStream");
            return h;
        } catch (Throwable t) {
            try { destroy(h); } catch (RuntimeException d) { t.addSuppressed(d); }
            throw Driver.rethrow(t);
        }
    }

    public void destroy(MemorySegment h) {
        try { check((int) destroy.invokeExact(h), "cusolverDnDestroy"); } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** Work size in elements (bytes = 16·lwork) for Zheevd on an n×n matrix. */
    public int zheevdBufferSize(MemorySegment h, int n, long A, int lda, long W) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            check((int) bufferSize.invokeExact(h, EIG_MODE_VECTOR, FILL_LOWER, n, MemorySegment.ofAddress(A), lda,
                    MemorySegment.ofAddress(W), p), "cusolverDnZheevd_bufferSize");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** Eigen-decomposition in place: A (column-major) ← eigenvectors, W ← eigenvalues ascending; info on the device. */
    public void zheevd(MemorySegment h, int n, long A, int lda, long W, long work, int lwork, long info) {
        try {
            check((int) zheevd.invokeExact(h, EIG_MODE_VECTOR, FILL_LOWER, n, MemorySegment.ofAddress(A), lda,
                    MemorySegment.ofAddress(W), MemorySegment.ofAddress(work), lwork, MemorySegment.ofAddress(info)),
                    "cusolverDnZheevd");
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }
}
