package io.hartree.cli.study;

import io.hartree.api.BackendSession;
import io.hartree.api.Backends;
import io.hartree.api.SessionOptions;
import io.hartree.api.FockKernels;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What a study runs with: the size ({@code full}), the output folder, the progress stream, the
 * requested backend (null or "auto": the best available, as everywhere in the CLI) and the trap
 * ({@code --trap}, default the paper's h_ν; only studies that {@link Study#supportsTrap()} are
 * given another). The backend session is opened on first use and closed with the context.
 */
public final class StudyContext implements AutoCloseable {
    private final boolean full;
    private final Path out;
    private final PrintStream log;
    private final String backend;
    private final io.hartree.api.model.TrapSpec trap;
    private BackendSession session;
    private String selection;
    private final StudyContext parent;
    /** Values shared by the points of one serial run (see {@link #memo}). */
    private final java.util.Map<String, Object> memo = new java.util.HashMap<>();

    public StudyContext(boolean full, Path out, PrintStream log, String backend) {
        this(full, out, log, backend, new io.hartree.api.model.TrapSpec.Paper());
    }

    /** As {@link #StudyContext(boolean, Path, PrintStream, String)} with the trap {@code trap} (null: the paper's). */
    public StudyContext(boolean full, Path out, PrintStream log, String backend, io.hartree.api.model.TrapSpec trap) {
        this.full = full;
        this.out = out;
        this.log = log;
        this.backend = backend;
        this.trap = trap == null ? new io.hartree.api.model.TrapSpec.Paper() : trap;
        this.parent = null;
    }

    private StudyContext(StudyContext parent, Path out) {
        this.full = parent.full;
        this.out = out;
        this.log = parent.log;
        this.backend = parent.backend;
        this.trap = parent.trap;
        this.parent = parent;
    }

    /** A context writing to {@code out} that shares this one's session (and leaves closing it to this one). */
    public StudyContext sharing(Path out) {
        return new StudyContext(this, out);
    }

    public boolean full() { return full; }

    /**
     * The value made by {@code make} for {@code key}, made once per context (a sharing context uses its
     * parent's): what several points of a study need alike (a basis, a reference trajectory) is computed
     * once when the points run one after another in this process, and by each worker of a sweep alone.
     * {@code make} must be deterministic, so that both give the same numbers.
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, java.util.function.Supplier<T> make) {
        if (parent != null) return parent.memo(key, make);
        Object v = memo.get(key);
        if (v == null) {
            v = make.get();
            memo.put(key, v);
        }
        return (T) v;
    }

    public Path out() { return out; }

    public PrintStream log() { return log; }

    /** The trap of {@code --trap} ({@link io.hartree.api.model.TrapSpec.Paper} unless given). */
    public io.hartree.api.model.TrapSpec trap() { return trap; }

    /** The Fock-space kernels of the selected backend (opens the session on first use). */
    public FockKernels fock() { return session().fock(); }

    /** The selected backend's host transforms, for grid mode integrals (opens the session on first use). */
    public io.hartree.api.HostTransforms transforms() { return session().hostTransforms(); }

    /** A split-step propagator of {@code problem} on the selected backend (opens the session on first use; the caller closes it). */
    public io.hartree.api.HartreePropagator hartree(io.hartree.api.model.HartreeProblem problem) { return session().hartree(problem); }

    /** The backend session itself (opens it on first use; closed with the context), for batched propagation. */
    io.hartree.api.BackendSession session() {
        if (parent != null) return parent.session();
        if (session == null) {
            Backends.Selection s = Backends.select(backend);
            selection = s.explanation();
            log.println("study: " + s.brief());
            session = s.backend().open(SessionOptions.defaults());
        }
        return session;
    }

    /** The backend used, in words (empty when none was opened). */
    public String backendDescription() {
        if (parent != null) return parent.backendDescription();
        return session == null ? "" : session.backend() + " (" + session.device() + ")";
    }

    @Override
    public void close() {
        if (parent != null) return;
        if (session != null) session.close();
        session = null;
    }
}
