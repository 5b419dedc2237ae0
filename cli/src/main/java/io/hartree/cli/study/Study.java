package io.hartree.cli.study;

import java.nio.file.Path;

/**
 * A named reproduction of one statement of the paper: it computes, writes a folder (report.md,
 * CSV data, log–log PNG plots with the predicted line) and returns its verdict.
 */
public interface Study {
    /** The name given to {@code hartree study NAME}. */
    String name();

    /** One line for the listing. */
    String summary();

    /**
     * Runs the study; {@code full} selects the workstation size instead of the laptop default.
     * Writes into {@code out} (created if missing). Progress goes to {@code log}.
     */
    StudyResult run(boolean full, Path out, java.io.PrintStream log);
}
