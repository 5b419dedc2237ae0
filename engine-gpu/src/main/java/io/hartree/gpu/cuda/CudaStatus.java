package io.hartree.gpu.cuda;

import io.hartree.api.BackendException;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Status codes of the five libraries, named as in their headers (tables copied from the
 * binding sheet docs/CUDA_API.md §1–5), and the one {@code check} every native call goes through.
 * Sticky driver errors (the context is lost; "the process must be terminated and relaunched",
 * cuda.h) become a {@link BackendException} with {@code sticky = true}: the session must be closed.
 */
public final class CudaStatus {
    private CudaStatus() {}

    /** Which library returned the code: each numbers its statuses on its own. */
    public enum Api { DRIVER, NVRTC, CUFFT, CUBLAS, CUSOLVER }

    static final Map<Integer, String> DRIVER = table(
            0, "CUDA_SUCCESS", 1, "CUDA_ERROR_INVALID_VALUE", 2, "CUDA_ERROR_OUT_OF_MEMORY",
            3, "CUDA_ERROR_NOT_INITIALIZED", 4, "CUDA_ERROR_DEINITIALIZED", 34, "CUDA_ERROR_STUB_LIBRARY",
            36, "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER", 46, "CUDA_ERROR_DEVICE_UNAVAILABLE",
            100, "CUDA_ERROR_NO_DEVICE", 101, "CUDA_ERROR_INVALID_DEVICE", 200, "CUDA_ERROR_INVALID_IMAGE",
            201, "CUDA_ERROR_INVALID_CONTEXT", 209, "CUDA_ERROR_NO_BINARY_FOR_GPU", 218, "CUDA_ERROR_INVALID_PTX",
            221, "CUDA_ERROR_JIT_COMPILER_NOT_FOUND", 222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
            226, "CUDA_ERROR_CONTAINED", 400, "CUDA_ERROR_INVALID_HANDLE", 500, "CUDA_ERROR_NOT_FOUND",
            600, "CUDA_ERROR_NOT_READY", 700, "CUDA_ERROR_ILLEGAL_ADDRESS", 701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES",
            702, "CUDA_ERROR_LAUNCH_TIMEOUT", 714, "CUDA_ERROR_HARDWARE_STACK_ERROR",
            715, "CUDA_ERROR_ILLEGAL_INSTRUCTION", 716, "CUDA_ERROR_MISALIGNED_ADDRESS",
            717, "CUDA_ERROR_INVALID_ADDRESS_SPACE", 718, "CUDA_ERROR_INVALID_PC", 719, "CUDA_ERROR_LAUNCH_FAILED",
            721, "CUDA_ERROR_TENSOR_MEMORY_LEAK", 803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH",
            804, "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE", 911, "CUDA_ERROR_EXTERNAL_DEVICE",
            999, "CUDA_ERROR_UNKNOWN");

    /** Driver codes after which the context is unusable (cuda.h: "any further CUDA work will return the same error"). */
    public static final Set<Integer> STICKY = Set.of(226, 700, 702, 714, 715, 716, 717, 718, 719, 721, 911);

    static final Map<Integer, String> NVRTC = table(
            0, "NVRTC_SUCCESS", 1, "NVRTC_ERROR_OUT_OF_MEMORY", 2, "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
            3, "NVRTC_ERROR_INVALID_INPUT", 4, "NVRTC_ERROR_INVALID_PROGRAM", 5, "NVRTC_ERROR_INVALID_OPTION",
            6, "NVRTC_ERROR_COMPILATION", 7, "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
            8, "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION", 9, "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
            10, "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID", 11, "NVRTC_ERROR_INTERNAL_ERROR",
            12, "NVRTC_ERROR_TIME_FILE_WRITE_FAILED", 13, "NVRTC_ERROR_NO_PCH_CREATE_ATTEMPTED",
            14, "NVRTC_ERROR_PCH_CREATE_HEAP_EXHAUSTED", 15, "NVRTC_ERROR_PCH_CREATE", 16, "NVRTC_ERROR_CANCELLED",
            17, "NVRTC_ERROR_TIME_TRACE_FILE_WRITE_FAILED");

    static final Map<Integer, String> CUFFT = table(
            0, "CUFFT_SUCCESS", 1, "CUFFT_INVALID_PLAN", 2, "CUFFT_ALLOC_FAILED", 3, "CUFFT_INVALID_TYPE",
            4, "CUFFT_INVALID_VALUE", 5, "CUFFT_INTERNAL_ERROR", 6, "CUFFT_EXEC_FAILED", 7, "CUFFT_SETUP_FAILED",
            8, "CUFFT_INVALID_SIZE", 9, "CUFFT_UNALIGNED_DATA", 0xA, "CUFFT_INCOMPLETE_PARAMETER_LIST",
            0xB, "CUFFT_INVALID_DEVICE", 0xC, "CUFFT_PARSE_ERROR", 0xD, "CUFFT_NO_WORKSPACE",
            0xE, "CUFFT_NOT_IMPLEMENTED", 0xF, "CUFFT_LICENSE_ERROR", 0x10, "CUFFT_NOT_SUPPORTED",
            0x11, "CUFFT_MISSING_DEPENDENCY", 0x12, "CUFFT_NVRTC_FAILURE", 0x13, "CUFFT_NVJITLINK_FAILURE",
            0x14, "CUFFT_NVSHMEM_FAILURE");

    static final Map<Integer, String> CUBLAS = table(
            0, "CUBLAS_STATUS_SUCCESS", 1, "CUBLAS_STATUS_NOT_INITIALIZED", 3, "CUBLAS_STATUS_ALLOC_FAILED",
            7, "CUBLAS_STATUS_INVALID_VALUE", 8, "CUBLAS_STATUS_ARCH_MISMATCH", 11, "CUBLAS_STATUS_MAPPING_ERROR",
            13, "CUBLAS_STATUS_EXECUTION_FAILED", 14, "CUBLAS_STATUS_INTERNAL_ERROR", 15, "CUBLAS_STATUS_NOT_SUPPORTED",
            16, "CUBLAS_STATUS_LICENSE_ERROR");

    static final Map<Integer, String> CUSOLVER = table(
            0, "CUSOLVER_STATUS_SUCCESS", 1, "CUSOLVER_STATUS_NOT_INITIALIZED", 2, "CUSOLVER_STATUS_ALLOC_FAILED",
            3, "CUSOLVER_STATUS_INVALID_VALUE", 4, "CUSOLVER_STATUS_ARCH_MISMATCH", 5, "CUSOLVER_STATUS_MAPPING_ERROR",
            6, "CUSOLVER_STATUS_EXECUTION_FAILED", 7, "CUSOLVER_STATUS_INTERNAL_ERROR",
            8, "CUSOLVER_STATUS_MATRIX_TYPE_NOT_SUPPORTED", 9, "CUSOLVER_STATUS_NOT_SUPPORTED",
            10, "CUSOLVER_STATUS_ZERO_PIVOT", 11, "CUSOLVER_STATUS_INVALID_LICENSE");

    /** Header name of {@code code}, or "unrecognised status N" for codes newer than the tables. */
    public static String name(Api api, int code) {
        Map<Integer, String> t = switch (api) {
            case DRIVER -> DRIVER;
            case NVRTC -> NVRTC;
            case CUFFT -> CUFFT;
            case CUBLAS -> CUBLAS;
            case CUSOLVER -> CUSOLVER;
        };
        if (api == Api.CUSOLVER && code >= 12 && code <= 31) return "CUSOLVER_STATUS_IRS_* (" + code + ")";
        String n = t.get(code);
        return n != null ? n : "unrecognised status " + code;
    }

    /** What the code means for the user, where the bare name is not enough. */
    static String meaning(Api api, int code) {
        if (api == Api.DRIVER) return switch (code) {
            case 2 -> "device memory exhausted";
            case 3 -> "cuInit was not called";
            case 34 -> "the toolkit's stub libcuda.so was loaded instead of the driver's libcuda.so.1";
            case 100 -> "no CUDA-capable device is visible to this process";
            case 201 -> "no current context on this thread";
            case 209, 218 -> "the kernel image does not fit this GPU";
            case 222 -> "PTX newer than the driver supports: update the driver or use NVRTC's CUBIN";
            case 500 -> "kernel name not found in the module (is it extern \"C\"?)";
            case 701 -> "too many registers or threads for this launch";
            case 700, 719, 715, 716, 717, 718 -> "a kernel faulted; the context is lost and the session must be closed";
            case 803, 804 -> "the driver and the CUDA libraries do not match";
            default -> "";
        };
        if (api == Api.CUFFT && code == 2) return "cuFFT could not allocate its work area";
        if (api == Api.CUBLAS && code == 3) return "cuBLAS could not allocate device memory";
        if (api == Api.NVRTC && code == 7) return "libnvrtc-builtins could not be loaded";
        return "";
    }

    public static boolean sticky(Api api, int code) { return api == Api.DRIVER && STICKY.contains(code); }

    /** Throws unless {@code code} is success (0 for every library): names the call, the code and its meaning. */
    public static void check(Api api, int code, String call) {
        if (code != 0) throw error(api, code, call);
    }

    public static CudaException error(Api api, int code, String call) {
        String m = meaning(api, code);
        boolean sticky = sticky(api, code);
        return new CudaException(api, code, call + " failed: " + code + " " + name(api, code)
                + (m.isEmpty() ? "" : " (" + m + ")")
                + (sticky ? "; sticky error: the CUDA context is unusable, close the session and restart the process" : ""),
                sticky);
    }

    private static Map<Integer, String> table(Object... kv) {
        Map<Integer, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((Integer) kv[i], (String) kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
