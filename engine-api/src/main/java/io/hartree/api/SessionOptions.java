package io.hartree.api;

/**
 * Options for {@link Backend#open}: precision of device arrays, number of CPU threads (0 = all
 * cores), device ordinal for GPU backends.
 */
public record SessionOptions(Precision precision, int threads, int device) {
    public SessionOptions {
        if (precision == null) precision = Precision.DOUBLE;
        ParameterException.require(threads >= 0, "--threads", threads, "integer >= 0 (0 = all cores)");
        ParameterException.require(device >= 0, "--device", device, "integer >= 0");
    }

    public static SessionOptions defaults() {
        return new SessionOptions(Precision.DOUBLE, 0, 0);
    }

    public int threadsOrCores() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
