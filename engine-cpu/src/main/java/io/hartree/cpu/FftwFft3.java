package io.hartree.cpu;

import org.bytedeco.fftw.global.fftw3;
import org.bytedeco.javacpp.BytePointer;
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
    /** System property: "false" plans the padded density transforms as plain 3D r2c/c2r (for comparison). */
    static final String PRUNED_PROPERTY = "hartree.fftw.pruned";
    /**
     * System property: file of FFTW wisdom (plans measured before), read at load and rewritten
     * after MEASURE/PATIENT planning so later runs skip the measuring; "none" disables it.
     * Default $XDG_CACHE_HOME/hartree/fftw3-<threads>.wisdom (else ~/.cache/hartree/…).
     */
    static final String WISDOM_PROPERTY = "hartree.fftw.wisdom";
    private static volatile String loaded;

    private final int threads;
    private final int flags;
    private final String flagName;
    private final int batch;
    private final List<Pointer> memory = new ArrayList<>();
    private long bytes;
    /** Per state: the state and the mean field; shared: the density, its spectrum, the out-of-place work array. */
    private final DoublePointer[] psiP, convP;
    private final MemorySegment[] psi, conv;
    private final DoublePointer rhoHatP, workP;
    private final MemorySegment rho, rhoHat, work;
    private final fftw_plan fwd, bwd, r2c, c2r, bwdWork;
    /** Pruned padded transforms (m = 2n): z r2c, y, x forward; x, y backward, z c2r. Null otherwise. */
    private final fftw_plan[] pruned;
    private final boolean padded;
    private final long rhoPlane, rhoRow, rhoLength;

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

    /** One state; see {@link #FftwFft3(int, int, int, int, String, boolean)}. */
    FftwFft3(int n, int m, int threads, String planner, boolean withWork) {
        this(n, m, 1, threads, planner, withWork);
    }

    /**
     * @param m edge of the density grid (0: none)
     * @param batch number of states (each has its own psi and conv; the plans and the rest are shared)
     * @param planner "estimate", "measure" or "patient"
     * @param withWork whether to allocate {@link #work()} and plan {@link #backwardToWork(int)}
     */
    FftwFft3(int n, int m, int batch, int threads, String planner, boolean withWork) {
        load();
        this.threads = threads;
        this.batch = batch;
        this.flagName = planner.toLowerCase(Locale.ROOT);
        this.flags = switch (flagName) {
            case "estimate" -> FFTW_ESTIMATE;
            case "patient" -> FFTW_PATIENT;
            default -> FFTW_MEASURE;
        };
        long n3 = (long) n * n * n;
        try {
            psiP = new DoublePointer[batch];
            psi = new MemorySegment[batch];
            convP = new DoublePointer[batch];
            conv = new MemorySegment[batch];
            for (int b = 0; b < batch; b++) {
                psiP[b] = alloc(2 * n3);
                psi[b] = segment(psiP[b], 2 * n3);
            }
            DoublePointer pr = null, pa = null, pb = null;
            padded = m == 2 * n && !"false".equalsIgnoreCase(System.getProperty(PRUNED_PROPERTY));
            int M = m, Mh = m / 2 + 1;
            if (m > 0) {
                long mh = (long) M * M * Mh;
                // Padded: rho and conv hold only the n×n lines of length 2n that can be non-zero / are read.
                long real = padded ? (long) n * n * M : (long) M * M * M;
                pr = alloc(real);
                rhoHatP = alloc(2 * mh);
                for (int b = 0; b < batch; b++) {
                    convP[b] = alloc(real);
                    conv[b] = segment(convP[b], real);
                }
                rho = segment(pr, real);
                rhoHat = segment(rhoHatP, 2 * mh);
                if (padded) {
                    pa = alloc(2L * n * M * Mh);
                    pb = alloc(2 * mh);
                }
                rhoPlane = padded ? (long) n * M : (long) M * M;
                rhoRow = M;
                rhoLength = real;
            } else {
                rhoHatP = null;
                rho = rhoHat = MemorySegment.NULL;
                java.util.Arrays.fill(conv, MemorySegment.NULL);
                rhoPlane = rhoRow = rhoLength = 0;
            }
            // The work array last: the state and density buffers keep the addresses (and FFTW's
            // plans and alignment) they had before it existed.
            workP = withWork ? alloc(2 * n3) : null;
            work = withWork ? segment(workP, 2 * n3) : MemorySegment.NULL;
            DoublePointer p = psiP[0];
            synchronized (PLANNER) {
                java.nio.file.Path wisdom = flags == FFTW_ESTIMATE ? null : wisdomFile(threads);
                // FFTW keeps wisdom in memory for the whole process: each file is read once.
                if (wisdom != null && IMPORTED.add(wisdom) && java.nio.file.Files.isRegularFile(wisdom)) fftw_import_wisdom_from_filename(wisdom.toString());
                fftw_plan_with_nthreads(threads);
                fwd = check(fftw_plan_dft_3d(n, n, n, p, p, FFTW_FORWARD, flags), "fftw_plan_dft_3d forward");
                bwd = check(fftw_plan_dft_3d(n, n, n, p, p, FFTW_BACKWARD, flags), "fftw_plan_dft_3d backward");
                bwdWork = withWork ? check(fftw_plan_dft_3d(n, n, n, p, workP, FFTW_BACKWARD, flags), "fftw_plan_dft_3d backward out of place") : null;
                if (m > 0 && !padded) {
                    r2c = check(fftw_plan_dft_r2c_3d(m, m, m, pr, rhoHatP, flags), "fftw_plan_dft_r2c_3d");
                    c2r = check(fftw_plan_dft_c2r_3d(m, m, m, rhoHatP, convP[0], flags), "fftw_plan_dft_c2r_3d");
                    pruned = null;
                } else if (padded) {
                    r2c = c2r = null;
                    pruned = planPruned(n, M, Mh, pr, pa, pb, rhoHatP, convP[0], flags);
                } else {
                    r2c = c2r = null;
                    pruned = null;
                }
                if (wisdom != null) saveWisdom(wisdom);
            }
            // Planning with MEASURE/PATIENT overwrites the arrays: clear them. The pruned transforms rely on
            // zeros that are never written afterwards: rho's k >= n, A's rows j >= n, B's planes i >= n.
            for (MemorySegment q : psi) q.fill((byte) 0);
            if (withWork) work.fill((byte) 0);
            if (m > 0) {
                rho.fill((byte) 0);
                rhoHat.fill((byte) 0);
                for (MemorySegment q : conv) q.fill((byte) 0);
            }
            if (padded) {
                segment(pa, 2L * n * M * Mh).fill((byte) 0);
                segment(pb, 2L * M * M * Mh).fill((byte) 0);
            }
        } catch (RuntimeException | Error e) {
            for (Pointer q : memory) fftw_free(q);
            memory.clear();
            throw e;
        }
    }

    /**
     * The r2c/c2r pair of the zero-padded (2n)³ density as six batches of 1D transforms that skip
     * the lines known to be zero (forward) or not needed (backward): about 58% of the work of the
     * full 3D transforms. Forward: z r2c on the n² non-zero lines rho → A (n, M, Mh); y on the n
     * planes A → B (M, M, Mh); x on all lines B → C (the table's layout). Backward, in place on C:
     * x on all lines, y on the n planes that are read, z c2r on the n² lines that are read → conv.
     * Strides are in doubles for real arrays and in complex elements for complex ones (FFTW guru).
     */
    private static fftw_plan[] planPruned(int n, int M, int Mh, DoublePointer rho, DoublePointer a, DoublePointer b,
                                          DoublePointer c, DoublePointer conv, int flags) {
        int plane = M * Mh;
        fftw_plan zF = check(fftw_plan_guru_dft_r2c(1, dims(M, 1, 1), 2, dims(n, n * M, plane, n, M, Mh), rho, a, flags), "fftw_plan_guru_dft_r2c z");
        fftw_plan yF = check(fftw_plan_guru_dft(1, dims(M, Mh, Mh), 2, dims(n, plane, plane, Mh, 1, 1), a, b, FFTW_FORWARD, flags), "fftw_plan_guru_dft y forward");
        fftw_plan xF = check(fftw_plan_guru_dft(1, dims(M, plane, plane), 1, dims(plane, 1, 1), b, c, FFTW_FORWARD, flags), "fftw_plan_guru_dft x forward");
        fftw_plan xB = check(fftw_plan_guru_dft(1, dims(M, plane, plane), 1, dims(plane, 1, 1), c, c, FFTW_BACKWARD, flags), "fftw_plan_guru_dft x backward");
        fftw_plan yB = check(fftw_plan_guru_dft(1, dims(M, Mh, Mh), 2, dims(n, plane, plane, Mh, 1, 1), c, c, FFTW_BACKWARD, flags), "fftw_plan_guru_dft y backward");
        fftw_plan zB = check(fftw_plan_guru_dft_c2r(1, dims(M, 1, 1), 2, dims(n, plane, n * M, n, Mh, M), c, conv, flags), "fftw_plan_guru_dft_c2r z");
        return new fftw_plan[]{zF, yF, xF, xB, yB, zB};
    }

    /** The wisdom file for this thread count (FFTW's plans depend on it), or null when disabled. */
    private static java.nio.file.Path wisdomFile(int threads) {
        String p = System.getProperty(WISDOM_PROPERTY);
        if ("none".equalsIgnoreCase(p)) return null;
        if (p != null && !p.isBlank()) return java.nio.file.Path.of(p);
        String cache = System.getenv("XDG_CACHE_HOME");
        java.nio.file.Path dir = cache != null && !cache.isBlank() ? java.nio.file.Path.of(cache) : java.nio.file.Path.of(System.getProperty("user.home"), ".cache");
        return dir.resolve("hartree").resolve("fftw3-" + threads + "threads.wisdom");
    }

    /** Wisdom files read by this process (under the PLANNER lock). */
    private static final java.util.Set<java.nio.file.Path> IMPORTED = new java.util.HashSet<>();
    /** The wisdom this process last wrote to each file (under the PLANNER lock): a planning that learnt nothing writes nothing. */
    private static final java.util.Map<java.nio.file.Path, String> EXPORTED = new java.util.HashMap<>();

    /** Writes the accumulated wisdom to {@code file} atomically when it changed. A cache: failures are ignored. */
    private static void saveWisdom(java.nio.file.Path file) {
        try {
            BytePointer w = fftw_export_wisdom_to_string();
            if (w == null || w.isNull()) return;
            String text;
            try {
                text = w.getString();
            } finally {
                fftw_free(w);
            }
            if (text.equals(EXPORTED.get(file))) return;
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            io.hartree.api.io.AtomicFiles.writeString(file, text);
            EXPORTED.put(file, text);
        } catch (java.io.IOException | RuntimeException e) {
            // The wisdom file is only a cache of planning time; an unwritable cache costs nothing but time.
        }
    }

    /** fftw_iodim array from (n, is, os) triples. */
    private static fftw_iodim dims(int... nio) {
        fftw_iodim d = new fftw_iodim(nio.length / 3);
        for (int i = 0; i < nio.length / 3; i++) d.position(i).n(nio[3 * i]).is(nio[3 * i + 1]).os(nio[3 * i + 2]);
        return d.position(0);
    }

    private DoublePointer alloc(long doubles) {
        Pointer raw = fftw_malloc(doubles * Double.BYTES);
        if (raw == null || raw.isNull())
            throw new io.hartree.api.BackendException("fftw_malloc of " + (doubles * Double.BYTES >> 20) + " MiB failed (out of memory); reduce --grid or use --conv periodic");
        memory.add(raw);
        bytes += doubles * Double.BYTES;
        return new DoublePointer(raw);
    }

    private static MemorySegment segment(DoublePointer p, long doubles) {
        return MemorySegment.ofAddress(p.address()).reinterpret(doubles * Double.BYTES);
    }

    private static fftw_plan check(fftw_plan plan, String call) {
        if (plan == null || plan.isNull()) throw new io.hartree.api.BackendException(call + " returned NULL (FFTW could not plan the transform)");
        return plan;
    }

    public int batch() { return batch; }
    public MemorySegment psi(int b) { return psi[b]; }
    public MemorySegment rho() { return rho; }
    public MemorySegment rhoHat() { return rhoHat; }
    public MemorySegment conv(int b) { return conv[b]; }
    public long rhoLength() { return rhoLength; }
    public long bytes() { return bytes; }

    public MemorySegment work() { return work; }
    public void backwardToWork(int b) { fftw_execute_dft(bwdWork, psiP[b], workP); }
    public void forward(int b) { fftw_execute_dft(fwd, psiP[b], psiP[b]); }
    public void backward(int b) { fftw_execute_dft(bwd, psiP[b], psiP[b]); }
    public long rhoPlaneStride() { return rhoPlane; }
    public long rhoRowStride() { return rhoRow; }

    public void rhoForward() {
        if (pruned == null) { fftw_execute(r2c); return; }
        fftw_execute(pruned[0]);
        fftw_execute(pruned[1]);
        fftw_execute(pruned[2]);
    }

    public void convBackward(int b) {
        if (pruned == null) { fftw_execute_dft_c2r(c2r, rhoHatP, convP[b]); return; }
        fftw_execute(pruned[3]);
        fftw_execute(pruned[4]);
        fftw_execute_dft_c2r(pruned[5], rhoHatP, convP[b]);
    }

    /** The 1D plans along x and y (forward, backward), made on first use: only a rotating problem needs them. */
    private final fftw_plan[] axisPlans = new fftw_plan[4];
    public void axis(int b, int axis, boolean forward) {
        int q = 2 * axis + (forward ? 0 : 1);
        if (axisPlans[q] == null) planAxis(q);
        fftw_execute_dft(axisPlans[q], psiP[b], psiP[b]);
    }

    /**
     * Plans the 1D transforms of one axis of an n³ state as one guru plan (n² transforms of length n):
     * x: stride n², the n² lines one after the other; y: stride n, n planes (stride n²) of n lines (stride 1).
     * Planned on the work array (MEASURE overwrites what it plans on), else with ESTIMATE on the state.
     */
    private void planAxis(int q) {
        int n = (int) Math.round(Math.cbrt(psi[0].byteSize() / 16.0));
        DoublePointer on = workP != null ? workP : psiP[0];
        int f = workP != null ? flags : FFTW_ESTIMATE;
        synchronized (PLANNER) {
            fftw_plan_with_nthreads(threads);
            for (int a = 0; a < 2; a++)
                for (int s = 0; s < 2; s++) {
                    int r = 2 * a + s;
                    if (axisPlans[r] != null) continue;
                    int sg = s == 0 ? FFTW_FORWARD : FFTW_BACKWARD;
                    axisPlans[r] = a == 0
                            ? check(fftw_plan_guru_dft(1, dims(n, n * n, n * n), 1, dims(n * n, 1, 1), on, on, sg, f), "fftw_plan_guru_dft x")
                            : check(fftw_plan_guru_dft(1, dims(n, n, n), 2, dims(n, n * n, n * n, n, 1, 1), on, on, sg, f), "fftw_plan_guru_dft y");
                }
        }
    }

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
            if (pruned != null) for (fftw_plan q : pruned) fftw_destroy_plan(q);
            if (c2r != null) fftw_destroy_plan(c2r);
            for (fftw_plan q : axisPlans) if (q != null) fftw_destroy_plan(q);
        }
        for (Pointer p : memory) fftw_free(p);
        memory.clear();
    }
}
