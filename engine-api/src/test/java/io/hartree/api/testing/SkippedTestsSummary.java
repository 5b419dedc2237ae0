package io.hartree.api.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints one console line per test class whose tests were skipped (a failed assumption, such as
 * "cuda unavailable: libcuda.so.1 not found", or a disabled test), with the first reason and the
 * count, so a run without a GPU says what it did not check without opening Surefire's XML.
 * Registered through META-INF/services in the engine-api test-jar, which every module tests with.
 */
public final class SkippedTestsSummary implements TestExecutionListener {
    private record Skips(int count, String reason) {}

    private final Map<String, Skips> byClass = new LinkedHashMap<>();

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        record(id, reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED)
            record(id, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
    }

    private synchronized void record(TestIdentifier id, String reason) {
        String cls = id.getSource().map(s -> s instanceof MethodSource m ? m.getClassName() : s instanceof ClassSource c ? c.getClassName() : null).orElse(null);
        if (cls == null) return;
        String name = cls.substring(cls.lastIndexOf('.') + 1);
        String why = reason == null ? "" : io.hartree.api.Backends.Selection.brief(reason.replace("Assumption failed: ", "")).replaceAll("\\s+", " ").trim();
        byClass.merge(name, new Skips(1, why), (a, b) -> new Skips(a.count() + 1, a.reason()));
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        byClass.forEach((cls, s) -> System.out.printf("[skipped] %s: %d test%s, %s%n", cls, s.count(), s.count() == 1 ? "" : "s",
                s.reason().length() > 200 ? s.reason().substring(0, 200) + "…" : s.reason()));
    }
}
