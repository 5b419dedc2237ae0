package io.hartree.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The peer scripts of ../shared/peers for the benchmarks: where they are, how they run, and the median of timings. */
final class Peers {
    private Peers() {}

    /**
     * {@code peerDir/script} when --peer-dir is given, else {@code shared/peers/script} beside the
     * repository root (the nearest folder above the working directory with mvnw) or beside any
     * folder above it (a git worktree may sit deeper than the main checkout); null when absent.
     */
    static Path find(Path peerDir, String script) {
        List<Path> candidates = new ArrayList<>();
        if (peerDir != null) candidates.add(peerDir.resolve(script));
        else {
            Path cwd = Path.of("").toAbsolutePath(), root = null;
            for (Path q = cwd; q != null; q = q.getParent()) if (Files.isRegularFile(q.resolve("mvnw"))) { root = q; break; }
            for (Path q = root == null ? cwd : root; q != null; q = q.getParent())
                candidates.add(q.resolveSibling("shared").resolve("peers").resolve(script));
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    /** A finished (or timed-out) peer process: its exit code and its whole stdout and stderr. */
    record Run(boolean finished, int exit, String stdout, String stderr) {
        /** The last line of stdout that starts with '{', parsed: the peers print one JSON object last. */
        com.fasterxml.jackson.databind.JsonNode json() throws IOException {
            return Checkpoint.JSON.readTree(stdout.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}"));
        }
    }

    /**
     * Runs {@code cmd}, reading stdout and stderr concurrently (so a chatty stream cannot block the
     * process) and waiting at most {@code timeoutSeconds}; a process still running then is killed.
     */
    static Run run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder(cmd).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(pr.getErrorStream()));
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(pr.getInputStream()));
        if (!pr.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            pr.destroyForcibly();
            return new Run(false, -1, "", "");
        }
        return new Run(true, pr.exitValue(), out.join(), err.join());
    }

    private static String drain(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
