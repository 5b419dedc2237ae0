package io.hartree.gpu.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static io.hartree.gpu.cuda.CudaStatus.Api.DRIVER;
import static java.lang.foreign.ValueLayout.*;

/**
 * The CUDA driver API ({@code libcuda.so.1}), bound from the sheet's §1 table. Every method
 * checks its status and throws a {@link CudaException} naming the call; the raw form
 * ({@code initStatus}) exists only where the caller must branch on the code (probe).
 * Device pointers ({@code CUdeviceptr}) are Java {@code long}s.
 */
public final class Driver {
    /** The sheet's §1 rows, in its order: C name, exported symbol, descriptor. */
    public static final List<Fn> TABLE = List.of(
            Fn.of("cuInit", "I"),
            Fn.of("cuDriverGetVersion", "A"),
            Fn.of("cuDeviceGetCount", "A"),
            Fn.of("cuDeviceGet", "A, I"),
            Fn.of("cuDeviceGetName", "A, I, I"),
            Fn.of("cuDeviceGetAttribute", "A, I, I"),
            Fn.versioned("cuDeviceTotalMem", "cuDeviceTotalMem_v2", "A, I"),
            Fn.of("cuDevicePrimaryCtxRetain", "A, I"),
            Fn.versioned("cuDevicePrimaryCtxRelease", "cuDevicePrimaryCtxRelease_v2", "I"),
            Fn.of("cuCtxSetCurrent", "A"),
            Fn.of("cuCtxSynchronize", ""),
            Fn.versioned("cuMemGetInfo", "cuMemGetInfo_v2", "A, A"),
            Fn.versioned("cuMemAlloc", "cuMemAlloc_v2", "A, L"),
            Fn.versioned("cuMemFree", "cuMemFree_v2", "L"),
            Fn.versioned("cuMemcpyHtoD", "cuMemcpyHtoD_v2", "L, A, L"),
            Fn.versioned("cuMemcpyDtoH", "cuMemcpyDtoH_v2", "A, L, L"),
            Fn.versioned("cuMemcpyDtoD", "cuMemcpyDtoD_v2", "L, L, L"),
            Fn.versioned("cuMemcpyHtoDAsync", "cuMemcpyHtoDAsync_v2", "L, A, L, A"),
            Fn.versioned("cuMemcpyDtoHAsync", "cuMemcpyDtoHAsync_v2", "A, L, L, A"),
            Fn.versioned("cuMemcpyDtoDAsync", "cuMemcpyDtoDAsync_v2", "L, L, L, A"),
            Fn.versioned("cuMemsetD8", "cuMemsetD8_v2", "L, B, L"),
            Fn.of("cuMemsetD8Async", "L, B, L, A"),
            Fn.of("cuStreamCreate", "A, I"),
            Fn.of("cuStreamSynchronize", "A"),
            Fn.versioned("cuStreamDestroy", "cuStreamDestroy_v2", "A"),
            Fn.of("cuEventCreate", "A, I"),
            Fn.of("cuEventRecord", "A, A"),
            Fn.of("cuEventSynchronize", "A"),
            new Fn("cuEventElapsedTime", "cuEventElapsedTime_v2", "cuEventElapsedTime", "A, A, A", "I"),
            Fn.versioned("cuEventDestroy", "cuEventDestroy_v2", "A"),
            Fn.of("cuModuleLoadData", "A, A"),
            Fn.of("cuModuleLoadDataEx", "A, A, I, A, A"),
            Fn.of("cuModuleGetFunction", "A, A, A"),
            Fn.of("cuModuleUnload", "A"),
            Fn.of("cuLaunchKernel", "A, I, I, I, I, I, I, I, A, A, A"),
            Fn.of("cuGetErrorString", "I, A"),
            Fn.of("cuGetErrorName", "I, A"));

    // Constants of cuda.h (line numbers in the sheet).
    public static final int CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1;
    public static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    public static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    public static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    public static final int CU_STREAM_NON_BLOCKING = 1;
    public static final int CU_EVENT_DEFAULT = 0;
    public static final int CU_JIT_INFO_LOG_BUFFER = 3;
    public static final int CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
    public static final int CU_JIT_ERROR_LOG_BUFFER = 5;
    public static final int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;

    private final NativeLibrary lib;
    private final MethodHandle cuInit, cuDriverGetVersion, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName,
            cuDeviceGetAttribute, cuDeviceTotalMem, cuDevicePrimaryCtxRetain, cuDevicePrimaryCtxRelease,
            cuCtxSetCurrent, cuCtxSynchronize, cuMemGetInfo, cuMemAlloc, cuMemFree, cuMemcpyHtoD, cuMemcpyDtoH,
            cuMemcpyDtoD, cuMemcpyHtoDAsync, cuMemcpyDtoHAsync, cuMemcpyDtoDAsync, cuMemsetD8, cuMemsetD8Async,
            cuStreamCreate, cuStreamSynchronize, cuStreamDestroy, cuEventCreate, cuEventRecord, cuEventSynchronize,
            cuEventElapsedTime, cuEventDestroy, cuModuleLoadData, cuModuleLoadDataEx, cuModuleGetFunction,
            cuModuleUnload, cuLaunchKernel, cuGetErrorString, cuGetErrorName;

    public Driver(NativeLibrary lib) {
        this.lib = lib.bind(TABLE);
        cuInit = h("cuInit"); cuDriverGetVersion = h("cuDriverGetVersion"); cuDeviceGetCount = h("cuDeviceGetCount");
        cuDeviceGet = h("cuDeviceGet"); cuDeviceGetName = h("cuDeviceGetName"); cuDeviceGetAttribute = h("cuDeviceGetAttribute");
        cuDeviceTotalMem = h("cuDeviceTotalMem"); cuDevicePrimaryCtxRetain = h("cuDevicePrimaryCtxRetain");
        cuDevicePrimaryCtxRelease = h("cuDevicePrimaryCtxRelease"); cuCtxSetCurrent = h("cuCtxSetCurrent");
        cuCtxSynchronize = h("cuCtxSynchronize"); cuMemGetInfo = h("cuMemGetInfo"); cuMemAlloc = h("cuMemAlloc");
        cuMemFree = h("cuMemFree"); cuMemcpyHtoD = h("cuMemcpyHtoD"); cuMemcpyDtoH = h("cuMemcpyDtoH");
        cuMemcpyDtoD = h("cuMemcpyDtoD"); cuMemcpyHtoDAsync = h("cuMemcpyHtoDAsync"); cuMemcpyDtoHAsync = h("cuMemcpyDtoHAsync");
        cuMemcpyDtoDAsync = h("cuMemcpyDtoDAsync"); cuMemsetD8 = h("cuMemsetD8"); cuMemsetD8Async = h("cuMemsetD8Async");
        cuStreamCreate = h("cuStreamCreate"); cuStreamSynchronize = h("cuStreamSynchronize"); cuStreamDestroy = h("cuStreamDestroy");
        cuEventCreate = h("cuEventCreate"); cuEventRecord = h("cuEventRecord"); cuEventSynchronize = h("cuEventSynchronize");
        cuEventElapsedTime = h("cuEventElapsedTime"); cuEventDestroy = h("cuEventDestroy");
        cuModuleLoadData = h("cuModuleLoadData"); cuModuleLoadDataEx = h("cuModuleLoadDataEx");
        cuModuleGetFunction = h("cuModuleGetFunction"); cuModuleUnload = h("cuModuleUnload");
        cuLaunchKernel = h("cuLaunchKernel"); cuGetErrorString = h("cuGetErrorString"); cuGetErrorName = h("cuGetErrorName");
    }

    private MethodHandle h(String name) { return lib.handle(name); }

    public NativeLibrary library() { return lib; }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    private static void check(int rc, String call) { CudaStatus.check(DRIVER, rc, call); }

    /** cuInit(0) without checking: the probe branches on 100 (no device) and 34 (stub library). */
    public int initStatus() {
        try { return (int) cuInit.invokeExact(0); } catch (Throwable t) { throw rethrow(t); }
    }

    /** 1000·major + 10·minor (cuda.h:5228); needs no device. */
    public int driverVersion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            check((int) cuDriverGetVersion.invokeExact(p), "cuDriverGetVersion");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public int deviceCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            check((int) cuDeviceGetCount.invokeExact(p), "cuDeviceGetCount");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            check((int) cuDeviceGet.invokeExact(p, ordinal), "cuDeviceGet");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public String deviceName(int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(256);
            check((int) cuDeviceGetName.invokeExact(p, 256, dev), "cuDeviceGetName");
            return p.getString(0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public int attribute(int attrib, int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_INT);
            check((int) cuDeviceGetAttribute.invokeExact(p, attrib, dev), "cuDeviceGetAttribute(" + attrib + ")");
            return p.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public long totalMemory(int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            check((int) cuDeviceTotalMem.invokeExact(p, dev), "cuDeviceTotalMem_v2");
            return p.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public MemorySegment primaryCtxRetain(int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check((int) cuDevicePrimaryCtxRetain.invokeExact(p, dev), "cuDevicePrimaryCtxRetain");
            return p.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void primaryCtxRelease(int dev) {
        try { check((int) cuDevicePrimaryCtxRelease.invokeExact(dev), "cuDevicePrimaryCtxRelease_v2"); }
        catch (Throwable t) { throw rethrow(t); }
    }

    public void ctxSetCurrent(MemorySegment ctx) {
        try { check((int) cuCtxSetCurrent.invokeExact(ctx), "cuCtxSetCurrent"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void ctxSynchronize() {
        try { check((int) cuCtxSynchronize.invokeExact(), "cuCtxSynchronize"); } catch (Throwable t) { throw rethrow(t); }
    }

    /** {free, total} bytes of the current context's device. */
    public long[] memInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(JAVA_LONG), tot = a.allocate(JAVA_LONG);
            check((int) cuMemGetInfo.invokeExact(f, tot), "cuMemGetInfo_v2");
            return new long[]{f.get(JAVA_LONG, 0), tot.get(JAVA_LONG, 0)};
        } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * Allocates {@code bytes} of device memory. Out of memory (code 2) becomes an error that says
     * the bytes asked, the bytes free and what to reduce ({@code purpose} names the array).
     */
    public long memAlloc(long bytes, String purpose) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            int rc = (int) cuMemAlloc.invokeExact(p, bytes);
            if (rc == 2) {
                long free = -1;
                try { free = memInfo()[0]; } catch (CudaException ignored) { /* report what we know */ }
                throw new CudaException(DRIVER, rc, OutOfMemory.message(bytes, free, purpose), false);
            }
            check(rc, "cuMemAlloc_v2(" + bytes + " bytes, " + purpose + ")");
            return p.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void memFree(long dptr) {
        try { check((int) cuMemFree.invokeExact(dptr), "cuMemFree_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void memcpyHtoD(long dst, MemorySegment src, long bytes) {
        try { check((int) cuMemcpyHtoD.invokeExact(dst, src, bytes), "cuMemcpyHtoD_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void memcpyDtoH(MemorySegment dst, long src, long bytes) {
        try { check((int) cuMemcpyDtoH.invokeExact(dst, src, bytes), "cuMemcpyDtoH_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void memcpyDtoD(long dst, long src, long bytes) {
        try { check((int) cuMemcpyDtoD.invokeExact(dst, src, bytes), "cuMemcpyDtoD_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void memcpyHtoDAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        try { check((int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyHtoDAsync_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void memcpyDtoHAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        try { check((int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoHAsync_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void memcpyDtoDAsync(long dst, long src, long bytes, MemorySegment stream) {
        try { check((int) cuMemcpyDtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoDAsync_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void memsetD8(long dst, byte value, long count) {
        try { check((int) cuMemsetD8.invokeExact(dst, value, count), "cuMemsetD8_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void memsetD8Async(long dst, byte value, long count, MemorySegment stream) {
        try { check((int) cuMemsetD8Async.invokeExact(dst, value, count, stream), "cuMemsetD8Async"); } catch (Throwable t) { throw rethrow(t); }
    }

    public MemorySegment streamCreate(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check((int) cuStreamCreate.invokeExact(p, flags), "cuStreamCreate");
            return p.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void streamSynchronize(MemorySegment stream) {
        try { check((int) cuStreamSynchronize.invokeExact(stream), "cuStreamSynchronize"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void streamDestroy(MemorySegment stream) {
        try { check((int) cuStreamDestroy.invokeExact(stream), "cuStreamDestroy_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    public MemorySegment eventCreate(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check((int) cuEventCreate.invokeExact(p, flags), "cuEventCreate");
            return p.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void eventRecord(MemorySegment event, MemorySegment stream) {
        try { check((int) cuEventRecord.invokeExact(event, stream), "cuEventRecord"); } catch (Throwable t) { throw rethrow(t); }
    }

    public void eventSynchronize(MemorySegment event) {
        try { check((int) cuEventSynchronize.invokeExact(event), "cuEventSynchronize"); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Milliseconds between two recorded events (the later one must have completed). */
    public float eventElapsed(MemorySegment start, MemorySegment end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_FLOAT);
            check((int) cuEventElapsedTime.invokeExact(p, start, end), "cuEventElapsedTime");
            return p.get(JAVA_FLOAT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void eventDestroy(MemorySegment event) {
        try { check((int) cuEventDestroy.invokeExact(event), "cuEventDestroy_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    public MemorySegment moduleLoadData(MemorySegment image) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check((int) cuModuleLoadData.invokeExact(p, image), "cuModuleLoadData");
            return p.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * Loads a PTX (NUL-terminated) or CUBIN image and returns the module; the JIT's info and error
     * logs are captured and put into the exception on failure (options as in NVIDIA's samples:
     * an int[] of CU_JIT_* keys, values are buffers or sizes cast to pointers).
     */
    public MemorySegment moduleLoadDataEx(MemorySegment image, StringBuilder infoLog) {
        final int logSize = 16384;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = a.allocate(logSize), err = a.allocate(logSize);
            MemorySegment opts = a.allocateFrom(JAVA_INT, CU_JIT_INFO_LOG_BUFFER, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES,
                    CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES);
            MemorySegment vals = a.allocate(ADDRESS, 4);
            vals.setAtIndex(ADDRESS, 0, info);
            vals.setAtIndex(ADDRESS, 1, MemorySegment.ofAddress(logSize));
            vals.setAtIndex(ADDRESS, 2, err);
            vals.setAtIndex(ADDRESS, 3, MemorySegment.ofAddress(logSize));
            MemorySegment p = a.allocate(ADDRESS);
            int rc = (int) cuModuleLoadDataEx.invokeExact(p, image, 4, opts, vals);
            if (infoLog != null) infoLog.append(info.getString(0));
            if (rc != 0) {
                CudaException e = CudaStatus.error(DRIVER, rc, "cuModuleLoadDataEx");
                throw new CudaException(DRIVER, rc, e.getMessage() + "; JIT log: " + err.getString(0), e.sticky());
            }
            return p.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public MemorySegment moduleGetFunction(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check((int) cuModuleGetFunction.invokeExact(p, module, a.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
            return p.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void moduleUnload(MemorySegment module) {
        try { check((int) cuModuleUnload.invokeExact(module), "cuModuleUnload"); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Launches with a prepared {@code void*[]} of argument pointers (see {@link KernelArgs}); allocates nothing. */
    public void launch(MemorySegment function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                       int sharedBytes, MemorySegment stream, MemorySegment params, String name) {
        int rc;
        try {
            rc = (int) cuLaunchKernel.invokeExact(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes,
                    stream, params, MemorySegment.NULL);
        } catch (Throwable t) { throw rethrow(t); }
        if (rc != 0) throw CudaStatus.error(DRIVER, rc, "cuLaunchKernel(" + name + ")");
    }

    /** The driver's own name of a code (e.g. "CUDA_ERROR_NO_DEVICE"), or null if it does not know it. */
    public String errorName(int code) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int rc = (int) cuGetErrorName.invokeExact(code, p);
            MemorySegment s = p.get(ADDRESS, 0);
            return rc != 0 || s.equals(MemorySegment.NULL) ? null : s.reinterpret(256).getString(0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public String errorString(int code) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int rc = (int) cuGetErrorString.invokeExact(code, p);
            MemorySegment s = p.get(ADDRESS, 0);
            return rc != 0 || s.equals(MemorySegment.NULL) ? null : s.reinterpret(1024).getString(0);
        } catch (Throwable t) { throw rethrow(t); }
    }
}
