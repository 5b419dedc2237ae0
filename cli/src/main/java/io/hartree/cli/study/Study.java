package io.hartree.cli.study;

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
     * Runs the study; {@code ctx.full()} selects the workstation size instead of the laptop
     * default. Writes into {@code ctx.out()} (created if missing); progress goes to {@code ctx.log()}.
     */
    StudyResult run(StudyContext ctx);

    /**
     * Whether the study takes {@code --trap} (reads {@link StudyContext#trap()}); the others run
     * the paper's h_ν and {@code hartree study} refuses {@code --trap} for them (exit 2).
     */
    default boolean supportsTrap() { return false; }
}
