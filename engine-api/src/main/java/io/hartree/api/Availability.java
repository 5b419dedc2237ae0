package io.hartree.api;

import java.util.Map;

/**
 * What {@link Backend#probe()} found: whether the backend can run here, and if not the plain
 * reason ("libcuda.so.1 not found, searched: ..."). {@code device} describes the device when
 * available ("NVIDIA H100 80GB HBM3, sm_90, 79.1 GiB free"); {@code libraries} names the native
 * libraries in use and their versions (e.g. "fft" -> "FFTW 3.3.10").
 */
public record Availability(boolean available, String reason, String device, Map<String, String> libraries) {
    public Availability {
        reason = reason == null ? "" : reason;
        device = device == null ? "" : device;
        libraries = libraries == null ? Map.of() : Map.copyOf(libraries);
    }

    public static Availability available(String device, Map<String, String> libraries) {
        return new Availability(true, "", device, libraries);
    }

    public static Availability unavailable(String reason) {
        return new Availability(false, reason, "", Map.of());
    }
}
