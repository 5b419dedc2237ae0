package io.hartree.cpu;

import org.bytedeco.fftw.global.fftw3;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.fftw.global.fftw3.*;

/**
 * {@link Fft3} with FFTW 3.3.10 (org.bytedeco:fftw), threaded, on buffers from fftw_malloc (so
 * they have FFTW's SIMD alignment). The planner is not thread-safe: every plan creation and
 * destruction holds {@link #PLANNER}.
 */
final class FftwFft3 implements Fft3 {
    /** Guards FFTW's planner (fftw_plan_*, fftw_destroy_plan, fftw_plan_with_nthreads), which is not thread-safe. */
    static final Object PLANNER = new Object();
    private static volatile String loaded;

    private final int n, m;
    private final int threads;
    private final int flags;
    private final String flagName;
    private final List<Pointer> memory = new ArrayList<>();
    private final MemorySegment psi, rho, rhoHat, conv, work;
    private final fftw_plan fwd, bwd, r2c, c2r, bwdWork;

    /** Loads FFTW and initialises its threads; returns "FFTW 3.3.10" or throws with the reason. */
    static String load() {
        String v = loaded;
        if (v != null) return v;
        synchronized (PLANNER) {
            if (loaded == null) {
                Loader.load(fftw3.class);
                if (fftw_init_threads() == 0) throw new IllegalStateException("fftw_init_threads failed");
                String s = fftw_version().getString();
                // fftw_version is "fftw-3.3.10-sse2-avx"; keep the version and the SIMD it was built with.
                loaded = s.startsWith("fftw-") ? "FFTW " + s.substring(5).replaceFirst("-", " (") + ")" : s;
            }
            return loaded;
        }
    }

    /**
     * @param m edge of the density grid (0: none)
     * @param planner "estimate", "measure" or "patient"
     * @param withWork whether to allocate {@link #work()} and plan {@link #backwardToWork()}
     */
    FftwFft3(int n, int m, int threads, String planner, boolean withWork) {
        load();
        this.n = n;
        this.m = m;
        this.threads = threads;
        this.flagName = planner.toLowerCase(Locale.ROOT);
        this.flags = switch (flagName) {
            case "estimate" -> FFTW_ESTIMATE;
            case "patient" -> FFTW_PATIENT;
            default -> FFTW_MEASURE;
        };
        long n3 = (long) n * n * n;
        DoublePointer p = alloc(2 * n3);
        psi = segment(p, 2 * n3);
        DoublePointer pw = withWork ? alloc(2 * n3) : null;
        work = withWork ? segment(pw, 2 * n3) : MemorySegment.NULL;
        DoublePointer pr = null, ph = null, pc = null;
        if (m > 0) {
            long m3 = (long) m * m * m, mh = (long) m * m * (m / 2 + 1);
            pr = alloc(m3);
            ph = alloc(2 * mh);
            pc = alloc(m3);
            rho = segment(pr, m3);
            rhoHat = segment(ph, 2 * mh);
            conv = segment(pc, m3);
        } else {
            rho = rhoHat = conv = MemorySegment.NULL;
        }
        synchronized (PLANNER) {
            fftw_plan_with_nthreads(threads);
            fwd = check(fftw_plan_dft_3d(n, n, n, p, p, FFTW_FORWARD, flags), "fftw_plan_dft_3d forward");
            bwd = check(fftw_plan_dft_3d(n, n, n, p, p, FFTW_BACKWARD, flags), "fftw_plan_dft_3d backward");
            bwdWork = withWork ? check(fftw_plan_dft_3d(n, n, n, p, pw, FFTW_BACKWARD, flags), "fftw_plan_dft_3d backward out of place") : null;
            if (m > 0) {
                r2c = check(fftw_plan_dft_r2c_3d(m, m, m, pr, ph, flags), "fftw_plan_dft_r2c_3d");
                c2r = check(fftw_plan_dft_c2r_3d(m, m, m, ph, pc, flags), "fftw_plan_dft_c2r_3d");
            } else {
                r2c = c2r = null;
            }
        }
        // Planning with MEASURE/PATIENT overwrites the arrays: clear them (the padding of rho must be zero).
        psi.fill((byte) 0);
        if (withWork) work.fill((byte) 0);
        if (m > 0) { rho.fill((byte) 0); rhoHat.fill((byte) 0); conv.fill((byte) 0); }
    }

    private DoublePointer alloc(long doubles) {
        Pointer raw = fftw_malloc(doubles * Double.BYTES);
        if (raw == null || raw.isNull())
            throw new io.hartree.api.BackendException("fftw_malloc of " + (doubles * Double.BYTES >> 20) + " MiB failed (out of memory); reduce --grid or use --conv periodic");
        memory.add(raw);
        return new DoublePointer(raw);
    }

    private static MemorySegment segment(DoublePointer p, long doubles) {
        return MemorySegment.ofAddress(p.address()).reinterpret(doubles * Double.BYTES);
    }

    private static fftw_plan check(fftw_plan plan, String call) {
        if (plan == null || plan.isNull()) throw new io.hartree.api.BackendException(call + " returned NULL (FFTW could not plan the transform)");
        return plan;
    }

    public MemorySegment psi() { return psi; }
    public MemorySegment rho() { return rho; }
    public MemorySegment rhoHat() { return rhoHat; }
    public MemorySegment conv() { return conv; }

    public MemorySegment work() { return work; }
    public void backwardToWork() { fftw_execute(bwdWork); }
    public void forward() { fftw_execute(fwd); }
    public void backward() { fftw_execute(bwd); }
    public void rhoForward() { fftw_execute(r2c); }
    public void convBackward() { fftw_execute(c2r); }

    public String describe() {
        return load() + ", " + threads + " thread" + (threads == 1 ? "" : "s") + ", " + flagName.toUpperCase(Locale.ROOT) + " plans";
    }

    private boolean closed;

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        synchronized (PLANNER) {
            fftw_destroy_plan(fwd);
            fftw_destroy_plan(bwd);
            if (r2c != null) fftw_destroy_plan(r2c);
            if (bwdWork != null) fftw_destroy_plan(bwdWork);
            if (c2r != null) fftw_destroy_plan(c2r);
        }
        for (Pointer p : memory) fftw_free(p);
        memory.clear();
    }
}
