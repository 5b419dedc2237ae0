package io.hartree.gpu;

import io.hartree.api.Availability;
import io.hartree.api.Backend;
import io.hartree.api.BackendException;
import io.hartree.api.BackendSession;
import io.hartree.api.SessionOptions;
import io.hartree.gpu.cuda.CudaRuntime;
import io.hartree.gpu.cuda.CudaStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Backend "cuda" (priority 100, above cpu): split-step Hartree on NVIDIA GPUs through the CUDA
 * driver API, NVRTC and cuFFT bound with java.lang.foreign. Constructing it loads nothing; the
 * libraries are loaded by the first {@link #probe()} and kept for the JVM's life.
 */
public final class CudaBackend implements Backend {
    private static volatile Availability cachedProbe;

    @Override
    public String name() { return "cuda"; }

    @Override
    public int priority() { return 100; }

    /**
     * Never throws. In order: the driver library ("libcuda.so.1 not found (searched: ...)"), a
     * device (cuInit 100 → "no CUDA device"), cuFFT ("libcufft.so.12 or libcufft.so.11 not found
     * (searched: ...)"). Loaded once; later calls return the same answer.
     */
    @Override
    public Availability probe() {
        Availability a = cachedProbe;
        if (a == null) {
            try {
                a = probe(CudaRuntime.system());
            } catch (RuntimeException | LinkageError e) {
                a = Availability.unavailable("CUDA probe failed: " + e);
            }
            cachedProbe = a;
        }
        return a;
    }

    static Availability probe(CudaRuntime.Loaded loaded) {
        if (loaded.runtime() == null) return Availability.unavailable(loaded.failure());
        CudaRuntime rt = loaded.runtime();
        int init = rt.driver.initStatus();
        if (init != 0) {
            String what = init == 100 ? "no CUDA device" : init == 34 ? "libcuda.so.1 is the toolkit's stub, not the driver's" : "CUDA driver unusable";
            return Availability.unavailable(what + " (cuInit returned " + init + " " + CudaStatus.name(CudaStatus.Api.DRIVER, init) + ")");
        }
        int count = rt.driver.deviceCount();
        if (count == 0) return Availability.unavailable("no CUDA device (cuDeviceGetCount returned 0)");
        if (rt.cufft == null) return Availability.unavailable(rt.missing("cufft").orElse("libcufft not loaded"));
        CudaDevice dev = CudaDevice.query(rt.driver, 0);
        Map<String, String> libs = new LinkedHashMap<>(rt.libraries);
        libs.put("devices", Integer.toString(count));
        if (rt.nvrtc == null) libs.put("kernels", "build-time PTX (NVRTC absent: " + rt.missing("nvrtc").orElse("") + ")");
        if (rt.cublas == null) libs.put("fock", "unavailable on the device: " + rt.missing("cublas").orElse("libcublas not loaded"));
        libs.put("fused step", !CudaHartreePropagator.fusedLibraries(rt)
                ? "separate kernels (cuFFT LTO callbacks need cuFFT 12 and NVRTC's nvrtcGetLTOIR)"
                : CudaHartreePropagator.fusedRequested() ? "cuFFT LTO callbacks (real-time periodic Strang, double)"
                : "separate kernels (cuFFT LTO callbacks switched off: " + CudaHartreePropagator.FUSED_SWITCH + "=0)");
        libs.put("hartree step", CudaSplitStepKernels.selected()
                ? "engine-api SplitStepPropagator over CudaSplitStepKernels (" + CudaSplitStepKernels.SWITCH + "=1)"
                : "CudaHartreePropagator (default; " + CudaSplitStepKernels.SWITCH + "=1 selects engine-api's SplitStepPropagator)");
        return Availability.available(dev.describe(), libs);
    }

    @Override
    public BackendSession open(SessionOptions options) {
        Availability a = probe();
        if (!a.available()) throw new BackendException("backend cuda is unavailable: " + a.reason());
        return new CudaSession(CudaRuntime.system().runtime(), options);
    }
}
