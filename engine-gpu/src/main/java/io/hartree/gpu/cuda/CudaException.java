package io.hartree.gpu.cuda;

import io.hartree.api.BackendException;

/** A failed CUDA call: which library, the raw status, and whether the context is lost. */
public final class CudaException extends BackendException {
    private final CudaStatus.Api api;
    private final int code;

    public CudaException(CudaStatus.Api api, int code, String message, boolean sticky) {
        super(message, sticky, null);
        this.api = api;
        this.code = code;
    }

    public CudaStatus.Api api() { return api; }

    public int code() { return code; }
}
