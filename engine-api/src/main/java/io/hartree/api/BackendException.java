package io.hartree.api;

/**
 * A backend failed: a native call returned an error, a device ran out of memory, a library is
 * missing. {@code sticky} marks errors after which the session is unusable and must be closed
 * (CUDA illegal address, launch failure).
 */
public class BackendException extends RuntimeException {
    private final boolean sticky;

    public BackendException(String message) { this(message, false, null); }

    public BackendException(String message, boolean sticky, Throwable cause) {
        super(message, cause);
        this.sticky = sticky;
    }

    public boolean sticky() { return sticky; }
}
