package io.hartree.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code hartree study} follows the run-folder rule: a non-empty --out is refused (exit 2) unless --force. */
class StudyCommandTest {
    @Test
    void nonEmptyOutIsRefusedAndLeftUntouchedUnlessForced(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("s");
        Files.createDirectories(out);
        Files.writeString(out.resolve("mine.txt"), "keep me");
        assertEquals(2, Main.execute("study", "counterexamples", "--out", out.toString()), "existing folder without --force");
        assertEquals("keep me", Files.readString(out.resolve("mine.txt")));
        assertFalse(Files.exists(out.resolve("report.md")), "nothing written");
        assertEquals(0, Main.execute("study", "counterexamples", "--out", out.toString(), "--force"), "--force (the study passes: exit 0)");
        assertTrue(Files.readString(out.resolve("report.md")).contains("## Verdict: PASS"));
    }

    @Test
    void theResumeHintIsOfferedOnlyForAnInterruptedRun(@TempDir Path dir) throws Exception {
        Path finished = dir.resolve("finished");
        Files.createDirectories(finished);
        Files.writeString(finished.resolve("summary.json"), "{}");
        var e = assertThrows(io.hartree.api.ParameterException.class, () -> RunFolder.checkNew(finished, false));
        assertFalse(e.getMessage().contains("--resume"), e.getMessage());
        Path interrupted = dir.resolve("interrupted");
        Files.createDirectories(interrupted);
        Files.writeString(interrupted.resolve("checkpoint.json"), "{}");
        e = assertThrows(io.hartree.api.ParameterException.class, () -> RunFolder.checkNew(interrupted, false));
        assertTrue(e.getMessage().contains("hartree run --resume"), e.getMessage());
    }
}
