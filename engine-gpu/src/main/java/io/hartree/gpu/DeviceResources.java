package io.hartree.gpu;

import io.hartree.gpu.cuda.CudaException;
import io.hartree.gpu.cuda.CudaStatus;
import io.hartree.gpu.cuda.Driver;
import io.hartree.gpu.cuda.OutOfMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.function.IntSupplier;

/**
 * Native resources of one object (a propagator, the fused step, a benchmark transform), acquired
 * one after another through the session, each with its release pushed on a stack at the moment
 * it is acquired: device buffers, cuFFT plans, CUDA events, a native arena. {@link #close}
 * releases them in reverse order, each in its own try, and throws the first failure after all
 * were tried. It is the one cleanup path for both ends: a constructor that fails part-way calls
 * {@link #releaseAfter} and gives back exactly what it got so far; a finished object releases
 * the same stack in its own close.
 */
final class DeviceResources implements AutoCloseable {
    private final CudaSession s;
    private final ArrayDeque<Runnable> releases = new ArrayDeque<>();
    private Arena arena;

    DeviceResources(CudaSession s) { this.s = s; }

    /** A device buffer of {@code bytes}; {@code purpose} names it in an out-of-memory message. */
    long alloc(long bytes, String purpose) {
        long p = s.alloc(bytes, purpose);
        releases.push(() -> s.free(p));
        return p;
    }

    /** A cuFFT plan made by {@code make} (destroyed on release); the caller binds it to the stream. */
    int plan(IntSupplier make) {
        int p = make.getAsInt();
        releases.push(() -> s.rt.cufft.destroy(p));
        return p;
    }

    /**
     * A size³ cuFFT plan of {@code type} bound to the session's stream (destroyed on release);
     * cuFFT's out-of-memory says what was being made ({@code what}) and what is free.
     */
    int plan3d(int size, int type, String what) {
        try {
            int p = plan(() -> s.rt.cufft.plan3d(size, size, size, type));
            s.rt.cufft.setStream(p, s.stream);
            return p;
        } catch (CudaException e) {
            if (e.api() == CudaStatus.Api.CUFFT && e.code() == 2) {
                long free = s.drv.memInfo()[0];
                throw new CudaException(e.api(), e.code(), e.getMessage() + "; creating the " + size + "³ " + what + " FFT plan with "
                        + OutOfMemory.bytes(free) + " free; reduce the grid (--grid) or use --precision single", false);
            }
            throw e;
        }
    }

    /** A CUDA event with default flags (timing enabled). */
    MemorySegment event() {
        MemorySegment e = s.drv.eventCreate(Driver.CU_EVENT_DEFAULT);
        releases.push(() -> s.drv.eventDestroy(e));
        return e;
    }

    /** This object's native host memory (kernel arguments, host copies), opened by the session on first use and closed on release. */
    Arena arena() {
        if (arena == null) {
            Arena a = s.openArena();
            releases.push(() -> s.closeArena(a));
            arena = a;
        }
        return arena;
    }

    /** Something else to release, after everything acquired later and before everything acquired earlier. */
    void onRelease(Runnable release) { releases.push(release); }

    @Override
    public void close() {
        RuntimeException first = null;
        while (!releases.isEmpty()) {
            try {
                releases.pop().run();
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }

    /** Releases everything after {@code e} (a failed construction), which stays the error reported; returns it for rethrowing. */
    RuntimeException releaseAfter(RuntimeException e) {
        try {
            close();
        } catch (RuntimeException again) {
            if (again != e) e.addSuppressed(again);
        }
        return e;
    }
}
