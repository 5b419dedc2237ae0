package io.hartree.cli.study;

import java.nio.file.Path;
import java.util.List;

/** The outcome of a study: pass or fail, why, and the files written. */
public record StudyResult(String name, boolean pass, List<String> reasons, List<Path> files) {
    public String verdict() { return pass ? "PASS" : "FAIL"; }
}
