package io.hartree.cli.study;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One quiet cpu study context for a whole test class, closed after its last test:
 * {@code @RegisterExtension static final StudySession SESSION = new StudySession();} then
 * {@code SESSION.ctx(dir)}. One session per class because closing a cpu session shuts down
 * JTransforms' global pool, which the mode integrals of a later test may still need.
 */
final class StudySession implements AfterAllCallback {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private StudyContext shared;

    /** The class's context writing into {@code dir} (the session is opened on first use). */
    StudyContext ctx(Path dir) {
        if (shared == null) shared = new StudyContext(false, dir, QUIET, "cpu");
        return shared.sharing(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (shared != null) shared.close();
        shared = null;
    }
}
