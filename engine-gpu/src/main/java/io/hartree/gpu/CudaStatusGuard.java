package io.hartree.gpu;

import io.hartree.gpu.cuda.CudaStatus;
import io.hartree.gpu.cuda.Driver;

/** cuInit with its status turned into the session's error. */
final class CudaStatusGuard {
    private CudaStatusGuard() {}

    static void initOrThrow(Driver d) {
        CudaStatus.check(CudaStatus.Api.DRIVER, d.initStatus(), "cuInit");
    }
}
