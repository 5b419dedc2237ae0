package io.hartree.gpu.cuda;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CUDA libraries of this process, loaded once: the driver first (its version decides which
 * majors of the other libraries may be loaded: below 13000 only CUDA 12 sonames, sheet §6), then
 * NVRTC (with its builtins by path), cuFFT, cuBLAS (cuBLASLt first) and, optionally, cuSOLVER.
 * Missing libraries are recorded with the message of where they were looked for, never thrown
 * from here: {@link #require()} throws for the ones the backend cannot run without.
 */
public final class CudaRuntime {
    public final Driver driver;
    public final int driverVersion;
    public final Nvrtc nvrtc;
    public final Cufft cufft;
    public final Cublas cublas;
    public final Cusolver cusolver;
    /** Library → "version (path)" for what was loaded, or the reason it was not. */
    public final Map<String, String> libraries;
    private final Map<String, String> missing;

    private CudaRuntime(Driver driver, int driverVersion, Nvrtc nvrtc, Cufft cufft, Cublas cublas, Cusolver cusolver,
                        Map<String, String> libraries, Map<String, String> missing) {
        this.driver = driver;
        this.driverVersion = driverVersion;
        this.nvrtc = nvrtc;
        this.cufft = cufft;
        this.cublas = cublas;
        this.cusolver = cusolver;
        this.libraries = Map.copyOf(libraries);
        this.missing = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(missing));
    }

    /** The outcome of loading: the runtime, or why the driver itself could not be loaded. */
    public record Loaded(CudaRuntime runtime, String failure) {}

    private static Loaded cached;

    /** Loads with the process's own environment, once per JVM. */
    public static synchronized Loaded system() {
        if (cached == null) cached = load(LibraryLocator.system());
        return cached;
    }

    /** Majors of the toolkit libraries this driver can use, preferred first. */
    public static List<Integer> majorsFor(int driverVersion) {
        return driverVersion >= 13000 ? List.of(13, 12) : List.of(12);
    }

    public static Loaded load(LibraryLocator loc) {
        NativeLibrary cuda;
        try {
            cuda = open(loc, CudaLibrary.DRIVER, List.of(13));
        } catch (LinkageError | IllegalArgumentException e) {
            String where = loc.find(CudaLibrary.DRIVER, List.of(13)).map(f -> f.path().toString()).orElse("libcuda.so.1");
            return new Loaded(null, "libcuda.so.1 at " + where + " could not be loaded: " + e.getMessage());
        }
        if (cuda == null) return new Loaded(null, loc.notFound(CudaLibrary.DRIVER, List.of(13)));
        Driver driver;
        int version;
        try {
            driver = new Driver(cuda);
            version = driver.driverVersion();
        } catch (RuntimeException | LinkageError e) {
            return new Loaded(null, "libcuda.so.1 at " + cuda.where() + " is unusable: " + e.getMessage());
        }
        List<Integer> majors = majorsFor(version);
        Map<String, String> libs = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        libs.put("driver", "CUDA " + version / 1000 + "." + (version % 1000) / 10 + " (cuDriverGetVersion " + version + ", " + cuda.where() + ")");

        Nvrtc nvrtc = null;
        try {
            Optional<LibraryLocator.Found> f = loc.find(CudaLibrary.NVRTC, majors);
            f.flatMap(x -> LibraryLocator.nvrtcBuiltins(x.path(), x.major()))
                    .ifPresent(b -> NativeLibrary.load(b.getFileName().toString(), b));
            NativeLibrary l = open(loc, CudaLibrary.NVRTC, majors);
            if (l == null) missing.put("nvrtc", loc.notFound(CudaLibrary.NVRTC, majors));
            else {
                nvrtc = new Nvrtc(l);
                int[] v = nvrtc.version();
                libs.put("nvrtc", v[0] + "." + v[1] + " (" + l.where() + ")");
            }
        } catch (RuntimeException | LinkageError e) {
            missing.put("nvrtc", "libnvrtc unusable: " + e.getMessage());
        }
        Cufft cufft = null;
        try {
            NativeLibrary l = open(loc, CudaLibrary.CUFFT, majors);
            if (l == null) missing.put("cufft", loc.notFound(CudaLibrary.CUFFT, majors));
            else {
                cufft = new Cufft(l);
                libs.put("cufft", cufft.version() + " (" + l.where() + ")");
            }
        } catch (RuntimeException | LinkageError e) {
            missing.put("cufft", "libcufft unusable: " + e.getMessage());
        }
        Cublas cublas = null;
        try {
            NativeLibrary l = open(loc, CudaLibrary.CUBLAS, majors);
            if (l == null) missing.put("cublas", loc.notFound(CudaLibrary.CUBLAS, majors));
            else {
                cublas = new Cublas(l);
                // cublasGetVersion_v2 needs a handle, hence a context: the probe reads the file's version instead.
                libs.put("cublas", fileVersion(l) + " (" + l.where() + ")");
            }
        } catch (RuntimeException | LinkageError e) {
            missing.put("cublas", "libcublas unusable: " + e.getMessage());
        }
        Cusolver cusolver = null;
        try {
            NativeLibrary l = open(loc, CudaLibrary.CUSOLVER, majors);
            if (l == null) libs.put("cusolver", "absent (dense Hermitian exp(-itH) uses Padé-13 instead): "
                    + loc.notFound(CudaLibrary.CUSOLVER, majors));
            else {
                cusolver = new Cusolver(l);
                libs.put("cusolver", cusolver.version() + " (" + l.where() + ")");
            }
        } catch (RuntimeException | LinkageError e) {
            libs.put("cusolver", "unusable (dense Hermitian exp(-itH) uses Padé-13 instead): " + e.getMessage());
        }
        return new Loaded(new CudaRuntime(driver, version, nvrtc, cufft, cublas, cusolver, libs, missing), null);
    }

    /** Why library {@code key} ("nvrtc", "cufft", "cublas") is not loaded; empty when it is. */
    public Optional<String> missing(String key) {
        return Optional.ofNullable(missing.get(key));
    }

    /**
     * Opens {@code lib}: dependencies by absolute path first (so that glibc resolves NEEDED by
     * soname), then the library itself from where the locator found it, else by bare soname
     * through the system loader. Null when nothing was found.
     */
    static NativeLibrary open(LibraryLocator loc, CudaLibrary lib, List<Integer> majors) {
        Optional<LibraryLocator.Found> f = loc.find(lib, majors);
        if (f.isPresent()) {
            int major = f.get().major();
            for (CudaLibrary dep : lib.dependencies())
                loc.find(dep, List.of(major)).ifPresent(d -> {
                    try { NativeLibrary.load(d.soname(), d.path()); } catch (IllegalArgumentException ignored) {
                        // the main library's own load names what is missing
                    }
                });
            return NativeLibrary.load(f.get().soname(), f.get().path());
        }
        if (!loc.systemLoaderFallback()) return null;
        for (int m : majors) {
            try {
                return NativeLibrary.load(lib.soname(m), null);
            } catch (IllegalArgumentException ignored) {
                // not known to the system loader either: try the next major
            }
        }
        return null;
    }

    /** "13.1.1.3" from the real file name libcublas.so.13.1.1.3 behind the soname link. */
    static String fileVersion(NativeLibrary l) {
        try {
            Path p = Path.of(l.where());
            String n = p.toRealPath().getFileName().toString();
            int i = n.indexOf(".so.");
            return i >= 0 ? n.substring(i + 4) : n;
        } catch (IOException | RuntimeException e) {
            return l.soname();
        }
    }
}
