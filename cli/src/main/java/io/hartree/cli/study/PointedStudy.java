package io.hartree.cli.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A study whose work splits into independent points, so that {@code hartree study NAME --executor
 * local|slurm} can run them as a sweep (docs/sweep.md, "Studies as sweeps"). Everything a point and
 * the assembly need is JSON: the setup (the study's sizes, {@link #setup(boolean)}), each point (a
 * small spec) and each point's result. The serial {@code run} is {@link #runSerial}: the assembly of
 * the points run one after another in this process, the same code path as the sweep, whose workers
 * run {@link #runPoint} and whose last step is {@link #assemble} over the results read back (JSON
 * numbers are written as the shortest decimal that reads back to the same double, so the assembled
 * report is the serial one to the last digit).
 */
public interface PointedStudy extends Study {
    /** The setup of the default ({@code full} false) or the {@code --full} size, as JSON. */
    ObjectNode setup(boolean full);

    /** The independent points of {@code setup}, in the order {@link #assemble} expects their results. */
    List<ObjectNode> points(JsonNode setup);

    /** Computes one point (all the physics of the study is here); its result as JSON. */
    ObjectNode runPoint(StudyContext ctx, JsonNode setup, JsonNode point);

    /**
     * Writes report.md, results.json, CSVs and plots into {@code ctx.out()} from the results of every
     * point (in the order of {@link #points}) and returns the verdict; no point is computed here.
     */
    StudyResult assemble(StudyContext ctx, JsonNode setup, List<JsonNode> results);

    /** Jackson for the point results: a record (numbers, arrays, nested records) to a JSON tree and back (other fields, e.g. a time, are ignored on the way back). */
    ObjectMapper MAPPER = new ObjectMapper().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** {@code value} (a record of numbers, arrays and records) as JSON; doubles are written so that they read back exactly. */
    static ObjectNode tree(Object value) { return MAPPER.valueToTree(value); }

    /** The record of type {@code type} that {@link #tree} wrote. */
    static <T> T value(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a point result that is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The serial run: every point in this process, then the assembly. */
    static StudyResult runSerial(PointedStudy s, StudyContext ctx, JsonNode setup) {
        List<JsonNode> results = new ArrayList<>();
        for (JsonNode p : s.points(setup)) results.add(s.runPoint(ctx, setup, p));
        return s.assemble(ctx, setup, results);
    }
}
