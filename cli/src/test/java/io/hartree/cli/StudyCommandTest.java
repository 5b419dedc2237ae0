package io.hartree.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        assertTrue(Files.readString(out.resolve("report.md")).contains("## Verdict: PASS"), "the report states the verdict of the exit code");
        // What was written is the study's table, checked against closed forms (Corollary 2.2, N = 1000, n₁ = 0.3):
        // ranks (2, 2, 2) at k = 1 and (k+1, k+1, 2) for k ≥ 2; Tr|γ̃ − ρ| = 2(1 − n₁^k − n₂^k) (rounding: 1e−13).
        // The full comparison with exact arithmetic is StudiesTest.counterexamplesStudyMatchesClosedForms.
        List<String> lines = Files.readAllLines(out.resolve("ranks.csv"));
        assertEquals("N,k,rank_fragmented,rank_phase_averaged,rank_mixture,dist_frag_phase,dist_frag_mixture,dist_phase_mixture,predicted_dist_frag_mixture_limit", lines.getFirst());
        assertEquals(7, lines.size(), "k = 1..6");
        for (int k = 1; k <= 6; k++) {
            String[] f = lines.get(k).split(",");
            assertEquals(List.of("1000", Integer.toString(k)), List.of(f[0], f[1]));
            List<String> expected = k == 1 ? List.of("2", "2", "2") : List.of(Integer.toString(k + 1), Integer.toString(k + 1), "2");
            assertEquals(expected, List.of(f[2], f[3], f[4]), "ranks at k = " + k);
            assertEquals(2 * (1 - Math.pow(0.3, k) - Math.pow(0.7, k)), Double.parseDouble(f[7]), 1e-13, "Tr|γ̃ − ρ| at k = " + k);
        }
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
