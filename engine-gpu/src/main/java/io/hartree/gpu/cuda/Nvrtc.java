package io.hartree.gpu.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static io.hartree.gpu.cuda.CudaStatus.Api.NVRTC;
import static java.lang.foreign.ValueLayout.*;

/** NVRTC, the runtime CUDA C++ compiler (sheet §2). */
public final class Nvrtc {
    public static final List<Fn> TABLE = List.of(
            new Fn("nvrtcGetErrorString", "nvrtcGetErrorString", null, "I", "A"),
            Fn.of("nvrtcVersion", "A, A"),
            Fn.of("nvrtcGetNumSupportedArchs", "A"),
            Fn.of("nvrtcGetSupportedArchs", "A"),
            Fn.of("nvrtcCreateProgram", "A, A, A, I, A, A"),
            Fn.of("nvrtcDestroyProgram", "A"),
            Fn.of("nvrtcCompileProgram", "A, I, A"),
            Fn.of("nvrtcGetPTXSize", "A, A"),
            Fn.of("nvrtcGetPTX", "A, A"),
            Fn.of("nvrtcGetCUBINSize", "A, A"),
            Fn.of("nvrtcGetCUBIN", "A, A"),
            Fn.of("nvrtcGetProgramLogSize", "A, A"),
            Fn.of("nvrtcGetProgramLog", "A, A"));

    /** Bound when exported (docs/cuda-bindings-additions.md, from nvrtc.h of CUDA 13.0): the LTO IR of a -dlto compilation. */
    public static final List<Fn> OPTIONAL = List.of(
            Fn.of("nvrtcGetLTOIRSize", "A, A"),
            Fn.of("nvrtcGetLTOIR", "A, A"));

    private final NativeLibrary lib;
    private final MethodHandle ltoSize, lto;
    private final MethodHandle version, numArchs, archs, create, destroy, compile, ptxSize, ptx, cubinSize, cubin, logSize, log;

    public Nvrtc(NativeLibrary lib) {
        this.lib = lib.bind(TABLE).bindOptional(OPTIONAL);
        ltoSize = lib.bound("nvrtcGetLTOIRSize") ? lib.handle("nvrtcGetLTOIRSize") : null;
        lto = lib.bound("nvrtcGetLTOIR") ? lib.handle("nvrtcGetLTOIR") : null;
        version = lib.handle("nvrtcVersion"); numArchs = lib.handle("nvrtcGetNumSupportedArchs");
        archs = lib.handle("nvrtcGetSupportedArchs"); create = lib.handle("nvrtcCreateProgram");
        destroy = lib.handle("nvrtcDestroyProgram"); compile = lib.handle("nvrtcCompileProgram");
        ptxSize = lib.handle("nvrtcGetPTXSize"); ptx = lib.handle("nvrtcGetPTX");
        cubinSize = lib.handle("nvrtcGetCUBINSize"); cubin = lib.handle("nvrtcGetCUBIN");
        logSize = lib.handle("nvrtcGetProgramLogSize"); log = lib.handle("nvrtcGetProgramLog");
    }

    public NativeLibrary library() { return lib; }

    private static void check(int rc, String call) { CudaStatus.check(NVRTC, rc, call); }

    /** {major, minor}. */
    public int[] version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ma = a.allocate(JAVA_INT), mi = a.allocate(JAVA_INT);
            check((int) version.invokeExact(ma, mi), "nvrtcVersion");
            return new int[]{ma.get(JAVA_INT, 0), mi.get(JAVA_INT, 0)};
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** The sm_XY numbers this NVRTC can target (e.g. 75, 80, 86, 89, 90, 100, 120). */
    public int[] supportedArchs() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            check((int) numArchs.invokeExact(n), "nvrtcGetNumSupportedArchs");
            MemorySegment v = a.allocate(JAVA_INT, Math.max(1, n.get(JAVA_INT, 0)));
            check((int) archs.invokeExact(v), "nvrtcGetSupportedArchs");
            return v.asSlice(0, 4L * n.get(JAVA_INT, 0)).toArray(JAVA_INT);
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** A compiled program: PTX (always) and CUBIN (when compiled for a real sm_XY), and the log. */
    public record Output(byte[] ptx, byte[] cubin, String log) {}

    /**
     * Compiles {@code source} with {@code options} (e.g. "--gpu-architecture=sm_90", "--fmad=false").
     * On a compile error the exception carries the full compiler log.
     */
    public Output compile(String source, String name, List<String> options) {
        return withProgram(source, name, options, (a, prog, logText) -> {
            MemorySegment sz = a.allocate(JAVA_LONG);
            check((int) ptxSize.invokeExact(prog, sz), "nvrtcGetPTXSize");
            MemorySegment p = a.allocate(sz.get(JAVA_LONG, 0));
            check((int) ptx.invokeExact(prog, p), "nvrtcGetPTX");
            byte[] ptxBytes = p.toArray(JAVA_BYTE);
            check((int) cubinSize.invokeExact(prog, sz), "nvrtcGetCUBINSize");
            byte[] cubinBytes = null;
            long cs = sz.get(JAVA_LONG, 0);
            if (cs > 0) {
                MemorySegment c = a.allocate(cs);
                check((int) cubin.invokeExact(prog, c), "nvrtcGetCUBIN");
                cubinBytes = c.toArray(JAVA_BYTE);
            }
            return new Output(ptxBytes, cubinBytes, logText);
        });
    }

    /** Whether {@link #compileLto} can run: this NVRTC exports nvrtcGetLTOIRSize and nvrtcGetLTOIR. */
    public boolean lto() { return ltoSize != null && lto != null; }

    /**
     * Compiles {@code source} to LTO IR: {@code options} must include "-dlto" and
     * "--relocatable-device-code=true" and a virtual architecture ("--gpu-architecture=compute_90").
     */
    public byte[] compileLto(String source, String name, List<String> options) {
        if (!lto()) throw new IllegalStateException("this NVRTC (" + lib.where() + ") exports no nvrtcGetLTOIR");
        return withProgram(source, name, options, (a, prog, logText) -> {
            MemorySegment sz = a.allocate(JAVA_LONG);
            check((int) ltoSize.invokeExact(prog, sz), "nvrtcGetLTOIRSize");
            MemorySegment l = a.allocate(Math.max(1, sz.get(JAVA_LONG, 0)));
            check((int) lto.invokeExact(prog, l), "nvrtcGetLTOIR");
            return l.asSlice(0, sz.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
        });
    }

    private interface ProgramResult<T> {
        T read(Arena a, MemorySegment prog, String log) throws Throwable;
    }

    /**
     * Creates the program, compiles it, reads the result and destroys the program exactly once,
     * whatever failed: the compile or read failure is the one reported (a failing destroy rides
     * along as suppressed); after a successful read a failing destroy is reported itself.
     */
    private <T> T withProgram(String source, String name, List<String> options, ProgramResult<T> result) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment progRef = a.allocate(ADDRESS);
            check((int) create.invokeExact(progRef, a.allocateFrom(source), a.allocateFrom(name), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "nvrtcCreateProgram");
            MemorySegment prog = progRef.get(ADDRESS, 0);
            T out;
            try {
                MemorySegment opts = a.allocate(ADDRESS, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) opts.setAtIndex(ADDRESS, i, a.allocateFrom(options.get(i)));
                int rc = (int) compile.invokeExact(prog, options.size(), opts);
                String logText = programLog(a, prog);
                if (rc != 0) {
                    CudaException e = CudaStatus.error(NVRTC, rc, "nvrtcCompileProgram(" + name + ", " + options + ")");
                    throw new CudaException(NVRTC, rc, e.getMessage() + "; log:\n" + logText, false);
                }
                out = result.read(a, prog, logText);
            } catch (Throwable t) {
                try { check((int) destroy.invokeExact(progRef), "nvrtcDestroyProgram"); } catch (Throwable d) { t.addSuppressed(d); }
                throw t;
            }
            check((int) destroy.invokeExact(progRef), "nvrtcDestroyProgram");
            return out;
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    private String programLog(Arena a, MemorySegment prog) throws Throwable {
        MemorySegment sz = a.allocate(JAVA_LONG);
        if ((int) logSize.invokeExact(prog, sz) != 0) return "(no log)";
        long n = sz.get(JAVA_LONG, 0);
        if (n <= 1) return "";
        MemorySegment l = a.allocate(n);
        if ((int) log.invokeExact(prog, l) != 0) return "(no log)";
        return l.getString(0);
    }
}
