package io.hartree.api;

/**
 * A compute backend, found at run time with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.hartree.api.Backend}). Constructing one must be free: native
 * libraries are loaded lazily by {@link #probe()} or {@link #open}, so a missing CUDA costs
 * nothing.
 */
public interface Backend {
    /** Short name used on the command line: "cpu", "cuda". */
    String name();

    /** Higher wins in {@code auto} selection (cuda above cpu). */
    int priority();

    /** Whether the backend can run here and, if not, why. Cheap, never throws. */
    Availability probe();

    /**
     * Opens a session that owns the backend's resources (threads, FFT plans, device context,
     * streams, handles). Throws {@link BackendException} when the backend is unavailable.
     */
    BackendSession open(SessionOptions options);
}
