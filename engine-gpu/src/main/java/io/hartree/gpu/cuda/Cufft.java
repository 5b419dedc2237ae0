package io.hartree.gpu.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static io.hartree.gpu.cuda.CudaStatus.Api.CUFFT;
import static java.lang.foreign.ValueLayout.*;

/**
 * cuFFT (sheet §3). Transforms are unnormalised (inverse(forward(x)) = N·x), forward sign
 * e^{−2πi kn/N}; {@code plan3d(nx, ny, nz)} is C order (nz contiguous). Device pointers are
 * passed as {@code MemorySegment.ofAddress(dptr)}.
 */
public final class Cufft {
    public static final List<Fn> TABLE = List.of(
            Fn.of("cufftPlan3d", "A, I, I, I, I"),
            Fn.of("cufftPlanMany", "A, I, A, A, I, I, A, I, I, I, I"),
            Fn.of("cufftMakePlanMany", "I, I, A, A, I, I, A, I, I, I, I, A"),
            Fn.of("cufftMakePlanMany64", "I, I, A, A, L, L, A, L, L, I, L, A"),
            Fn.of("cufftCreate", "A"),
            Fn.of("cufftGetSize", "I, A"),
            Fn.of("cufftSetWorkArea", "I, A"),
            Fn.of("cufftSetAutoAllocation", "I, I"),
            Fn.of("cufftExecC2C", "I, A, A, I"),
            Fn.of("cufftExecR2C", "I, A, A"),
            Fn.of("cufftExecC2R", "I, A, A"),
            Fn.of("cufftExecZ2Z", "I, A, A, I"),
            Fn.of("cufftExecD2Z", "I, A, A"),
            Fn.of("cufftExecZ2D", "I, A, A"),
            Fn.of("cufftSetStream", "I, A"),
            Fn.of("cufftDestroy", "I"),
            Fn.of("cufftGetVersion", "A"));

    /**
     * Bound when exported, called only where {@link #jitCallbacks()} says so: LTO callbacks
     * (docs/cuda-bindings-additions.md, from cufftXt.h of CUDA 13.0). CUDA 12's cuFFT 11 exports the
     * same name with the older five-parameter signature (no symbol name), so the version decides,
     * not the symbol.
     */
    public static final List<Fn> OPTIONAL = List.of(
            Fn.of("cufftXtSetJITCallback", "I, A, A, L, I, A"));

    /** cufftXtCallbackType (cufftXt.h): load and store callbacks of double-precision complex data. */
    public static final int CB_LD_COMPLEX_DOUBLE = 0x1, CB_ST_COMPLEX_DOUBLE = 0x5;

    public static final int CUFFT_FORWARD = -1, CUFFT_INVERSE = 1;
    public static final int R2C = 0x2a, C2R = 0x2c, C2C = 0x29, D2Z = 0x6a, Z2D = 0x6c, Z2Z = 0x69;

    private final NativeLibrary lib;
    private final MethodHandle plan3d, planMany, execC2C, execR2C, execC2R, execZ2Z, execD2Z, execZ2D, setStream, destroy, getVersion;

    private final MethodHandle create, makePlanMany, setJitCallback;

    public Cufft(NativeLibrary lib) {
        this.lib = lib.bind(TABLE).bindOptional(OPTIONAL);
        create = lib.handle("cufftCreate"); makePlanMany = lib.handle("cufftMakePlanMany");
        setJitCallback = lib.bound("cufftXtSetJITCallback") ? lib.handle("cufftXtSetJITCallback") : null;
        plan3d = lib.handle("cufftPlan3d"); planMany = lib.handle("cufftPlanMany");
        execC2C = lib.handle("cufftExecC2C"); execR2C = lib.handle("cufftExecR2C"); execC2R = lib.handle("cufftExecC2R");
        execZ2Z = lib.handle("cufftExecZ2Z"); execD2Z = lib.handle("cufftExecD2Z"); execZ2D = lib.handle("cufftExecZ2D");
        setStream = lib.handle("cufftSetStream"); destroy = lib.handle("cufftDestroy"); getVersion = lib.handle("cufftGetVersion");
    }

    public NativeLibrary library() { return lib; }

    private static void check(int rc, String call) { CudaStatus.check(CUFFT, rc, call); }

    public int version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            check((int) getVersion.invokeExact(p), "cufftGetVersion");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** A 3D plan, C order (nx slowest); {@code type} one of the cufftType constants. */
    public int plan3d(int nx, int ny, int nz, int type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            check((int) plan3d.invokeExact(p, nx, ny, nz, type), "cufftPlan3d(" + nx + "," + ny + "," + nz + ", type 0x" + Integer.toHexString(type) + ")");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** Batched plan with default (contiguous) layouts: inembed = onembed = NULL. */
    public int planMany(int[] n, int type, int batch) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            MemorySegment dims = a.allocateFrom(JAVA_INT, n);
            check((int) planMany.invokeExact(p, n.length, dims, MemorySegment.NULL, 1, 0, MemorySegment.NULL, 1, 0, type, batch),
                    "cufftPlanMany");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /**
     * Batched 1D plan with an advanced layout: {@code batch} transforms of length {@code n}, element stride
     * {@code stride} and distance {@code dist} between transforms (the same for input and output: in place).
     */
    public int planManyStrided(int n, int stride, int dist, int batch, int type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            MemorySegment dims = a.allocateFrom(JAVA_INT, n), embed = a.allocateFrom(JAVA_INT, n);
            check((int) planMany.invokeExact(p, 1, dims, embed, stride, dist, embed, stride, dist, type, batch),
                    "cufftPlanMany(n " + n + ", stride " + stride + ", dist " + dist + ", batch " + batch + ")");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /**
     * Whether LTO callbacks can be attached: cufftXtSetJITCallback is exported with CUDA 13's
     * signature, i.e. cuFFT 12 or newer (cufftGetVersion ≥ 12000).
     */
    public boolean jitCallbacks() {
        return setJitCallback != null && version() >= 12000;
    }

    /** An empty plan handle (cufftCreate), to be given callbacks and then made by {@link #makePlan3d}. */
    public int create() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            check((int) create.invokeExact(p), "cufftCreate");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** Makes {@code plan} a 3D n³ transform of {@code type} (cufftMakePlanMany, rank 3, contiguous); returns the work area size in bytes. */
    public long makePlan3d(int plan, int n, int type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment dims = a.allocateFrom(JAVA_INT, n, n, n);
            MemorySegment work = a.allocate(JAVA_LONG);
            check((int) makePlanMany.invokeExact(plan, 3, dims, MemorySegment.NULL, 1, 0, MemorySegment.NULL, 1, 0, type, 1, work),
                    "cufftMakePlanMany(" + n + "³, type 0x" + Integer.toHexString(type) + ")");
            return work.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /**
     * Attaches the LTO callback {@code symbol} (a __device__ function of {@code ltoIr}, compiled by
     * NVRTC with -dlto) as {@code type} to {@code plan}, between {@link #create} and
     * {@link #makePlan3d}. {@code callerInfo} is the device pointer the callback receives. cuFFT
     * keeps the pointers it is given (the name, the IR, the caller-info slot) and reads them when
     * the plan is made, so they are allocated in {@code keep}, which must outlive the plan's making
     * (seen on an H100: with the name and slot freed on return, cufftMakePlanMany failed with 8).
     */
    public void setJitCallback(int plan, String symbol, MemorySegment ltoIr, int type, long callerInfo, Arena keep) {
        if (!jitCallbacks())
            throw new IllegalStateException("cuFFT " + version() + " at " + lib.where() + " has no CUDA 13 cufftXtSetJITCallback (cuFFT 12 needed)");
        MemorySegment info = keep.allocate(ADDRESS);
        info.set(ADDRESS, 0, MemorySegment.ofAddress(callerInfo));
        MemorySegment name = keep.allocateFrom(symbol);
        try {
            check((int) setJitCallback.invokeExact(plan, name, ltoIr, ltoIr.byteSize(), type, info),
                    "cufftXtSetJITCallback(" + symbol + ", type " + type + ")");
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    public void setStream(int plan, MemorySegment stream) {
        try { check((int) setStream.invokeExact(plan, stream), "cufftSetStream"); } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    public void destroy(int plan) {
        try { check((int) destroy.invokeExact(plan), "cufftDestroy"); } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    public void execZ2Z(int plan, MemorySegment in, MemorySegment out, int direction) {
        int rc;
        try { rc = (int) execZ2Z.invokeExact(plan, in, out, direction); } catch (Throwable t) { throw Driver.rethrow(t); }
        if (rc != 0) throw CudaStatus.error(CUFFT, rc, "cufftExecZ2Z");
    }

    public void execC2C(int plan, MemorySegment in, MemorySegment out, int direction) {
        int rc;
        try { rc = (int) execC2C.invokeExact(plan, in, out, direction); } catch (Throwable t) { throw Driver.rethrow(t); }
        if (rc != 0) throw CudaStatus.error(CUFFT, rc, "cufftExecC2C");
    }

    public void execD2Z(int plan, MemorySegment in, MemorySegment out) {
        int rc;
        try { rc = (int) execD2Z.invokeExact(plan, in, out); } catch (Throwable t) { throw Driver.rethrow(t); }
        if (rc != 0) throw CudaStatus.error(CUFFT, rc, "cufftExecD2Z");
    }

    public void execZ2D(int plan, MemorySegment in, MemorySegment out) {
        int rc;
        try { rc = (int) execZ2D.invokeExact(plan, in, out); } catch (Throwable t) { throw Driver.rethrow(t); }
        if (rc != 0) throw CudaStatus.error(CUFFT, rc, "cufftExecZ2D");
    }

    public void execR2C(int plan, MemorySegment in, MemorySegment out) {
        int rc;
        try { rc = (int) execR2C.invokeExact(plan, in, out); } catch (Throwable t) { throw Driver.rethrow(t); }
        if (rc != 0) throw CudaStatus.error(CUFFT, rc, "cufftExecR2C");
    }

    public void execC2R(int plan, MemorySegment in, MemorySegment out) {
        int rc;
        try { rc = (int) execC2R.invokeExact(plan, in, out); } catch (Throwable t) { throw Driver.rethrow(t); }
        if (rc != 0) throw CudaStatus.error(CUFFT, rc, "cufftExecC2R");
    }
}
