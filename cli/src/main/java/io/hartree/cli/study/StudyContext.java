package io.hartree.cli.study;

import io.hartree.api.BackendSession;
import io.hartree.api.Backends;
import io.hartree.api.SessionOptions;
import io.hartree.api.fock.FockKernels;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What a study runs with: the size ({@code full}), the output folder, the progress stream and the
 * requested backend (null or "auto": the best available, as everywhere in the CLI). The backend
 * session is opened on first use and closed with the context.
 */
public final class StudyContext implements AutoCloseable {
    private final boolean full;
    private final Path out;
    private final PrintStream log;
    private final String backend;
    private BackendSession session;
    private String selection;

    public StudyContext(boolean full, Path out, PrintStream log, String backend) {
        this.full = full;
        this.out = out;
        this.log = log;
        this.backend = backend;
    }

    public boolean full() { return full; }

    public Path out() { return out; }

    public PrintStream log() { return log; }

    /** The Fock-space kernels of the selected backend (opens the session on first use). */
    public FockKernels fock() {
        if (session == null) {
            Backends.Selection s = Backends.select(backend);
            selection = s.explanation();
            log.println("study: " + selection);
            session = s.backend().open(SessionOptions.defaults());
        }
        return session.fock();
    }

    /** The backend used, in words (empty when none was opened). */
    public String backendDescription() {
        return session == null ? "" : session.backend() + " (" + session.device() + ")";
    }

    @Override
    public void close() {
        if (session != null) session.close();
        session = null;
    }
}
