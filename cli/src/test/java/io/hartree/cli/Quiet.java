package io.hartree.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command in-process with standard output and error captured together (restored afterwards). */
final class Quiet {
    private Quiet() {}

    /** The exit code and what the command printed. */
    record Run(int code, String output) {}

    static Run execute(String... args) {
        PrintStream old = System.out, oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute(args);
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        return new Run(code, buf.toString(StandardCharsets.UTF_8));
    }
}
