package io.hartree.cli.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The check of results.json that every study test runs on its folder: it parses, its verdict and
 * reasons are those of the study's result (and of report.md), and every fit NAME (with NAME_err and
 * NAME_points) is printed in report.md exactly as {@link LogLogFit#toString()} writes it, so the
 * figures are the ones the report shows.
 */
final class ResultsJson {
    private ResultsJson() {}

    static JsonNode check(Path dir, StudyResult r) throws Exception {
        JsonNode j = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        String report = Files.readString(dir.resolve("report.md"));
        assertEquals(r.name(), j.get("study").asText());
        assertEquals(r.verdict(), j.get("verdict").asText());
        assertTrue(report.contains("## Verdict: " + j.get("verdict").asText()), "report.md verdict");
        assertEquals(r.reasons().size(), j.get("reasons").size());
        for (int i = 0; i < r.reasons().size(); i++) {
            assertEquals(r.reasons().get(i), j.get("reasons").get(i).asText());
            assertTrue(report.contains("- " + r.reasons().get(i)), "report.md reason " + i);
        }
        int fits = 0;
        for (Iterator<String> it = j.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!j.has(name + "_err") || !j.has(name + "_points")) continue;
            String shown = new LogLogFit(j.get(name).asDouble(), j.get(name + "_err").asDouble(), 0, j.get(name + "_points").asInt()).toString();
            assertTrue(report.contains(shown), "results.json " + name + " = " + shown + " is not in report.md");
            fits++;
        }
        assertTrue(fits >= 1, "results.json has at least one fit");
        return j;
    }

    /** A fitted exponent of results.json against the same fit recomputed from the study's CSV columns (to round-off, 1e-12). */
    static void assertFit(JsonNode j, String name, double[] x, double[] y) {
        LogLogFit f = LogLogFit.fit(x, y);
        assertEquals(f.slope(), j.get(name).asDouble(), 1e-12, name);
        assertEquals(f.slopeError(), j.get(name + "_err").asDouble(), 1e-12, name + "_err");
        assertEquals(x.length, j.get(name + "_points").asInt(), name + "_points");
        assertNotNull(Locale.ROOT);
    }
}
