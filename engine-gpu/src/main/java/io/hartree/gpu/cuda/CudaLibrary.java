package io.hartree.gpu.cuda;

import java.util.List;

/**
 * The shared libraries of the backend with their sonames per CUDA major version (sheet §6:
 * a soname carries the library's own major, e.g. cuFFT 11.x in CUDA 12, 12.x in CUDA 13) and the
 * folders of the pip wheels that ship them (CUDA 12: nvidia/&lt;pkg&gt;/lib; CUDA 13: nvidia/cu13/lib).
 */
public enum CudaLibrary {
    DRIVER("libcuda", "libcuda.so.1", "libcuda.so.1", null),
    NVRTC("libnvrtc", "libnvrtc.so.13", "libnvrtc.so.12", "cuda_nvrtc"),
    CUFFT("libcufft", "libcufft.so.12", "libcufft.so.11", "cufft"),
    CUBLASLT("libcublasLt", "libcublasLt.so.13", "libcublasLt.so.12", "cublas"),
    CUBLAS("libcublas", "libcublas.so.13", "libcublas.so.12", "cublas"),
    NVJITLINK("libnvJitLink", "libnvJitLink.so.13", "libnvJitLink.so.12", "nvjitlink"),
    CUSPARSE("libcusparse", "libcusparse.so.12", "libcusparse.so.12", "cusparse"),
    CUSOLVER("libcusolver", "libcusolver.so.12", "libcusolver.so.11", "cusolver");

    private final String label;
    private final String soname13, soname12;
    private final String wheel12;

    CudaLibrary(String label, String soname13, String soname12, String wheel12) {
        this.label = label;
        this.soname13 = soname13;
        this.soname12 = soname12;
        this.wheel12 = wheel12;
    }

    /** "libcufft": how messages name it. */
    public String label() { return label; }

    /** The soname for CUDA {@code major} (13 or 12). */
    public String soname(int major) {
        if (major == 13) return soname13;
        if (major == 12) return soname12;
        throw new IllegalArgumentException("CUDA major " + major + " is not supported (13, 12)");
    }

    /** Wheel folders relative to site-packages where the CUDA {@code major} build of this library lives. */
    public List<String> wheelDirs(int major) {
        if (this == DRIVER) return List.of();  // the driver never comes in a wheel (sheet §6)
        return major == 13 ? List.of("nvidia/cu13/lib") : List.of("nvidia/" + wheel12 + "/lib");
    }

    /** Libraries to load first, by absolute path, so that glibc resolves NEEDED entries (sheet §6, W13 NEEDED). */
    public List<CudaLibrary> dependencies() {
        return switch (this) {
            case CUBLAS -> List.of(CUBLASLT);
            case CUSOLVER -> List.of(NVJITLINK, CUSPARSE, CUBLASLT, CUBLAS);
            default -> List.of();
        };
    }
}
