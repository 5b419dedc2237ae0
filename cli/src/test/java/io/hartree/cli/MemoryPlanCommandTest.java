package io.hartree.cli;

import io.hartree.api.Precision;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.hartree.MemoryPlan;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 11 item 7: the memory plan is made before anything is allocated or written. Grids past
 * the host's int-indexed arrays (2n³ ≥ 2³¹ from n = 1024) are refused on any machine with exit 2
 * and the plan; --dry-run prints the plan and writes nothing.
 */
class MemoryPlanCommandTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        for (var sub : cl.getSubcommands().values()) sub.setErr(new PrintWriter(err, true));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ((RunCommand) cl.getSubcommands().get("run").getCommand()).out = ps;
        ((GroundStateCommand) cl.getSubcommands().get("ground-state").getCommand()).out = ps;
        int code = cl.execute(args);
        return new Result(code, buf.toString(StandardCharsets.UTF_8), err.toString());
    }

    @ParameterizedTest(name = "{0} --grid {1} --conv {2}")
    @CsvSource({"run,1024,periodic", "run,1536,periodic", "run,2048,padded", "run,4096,periodic", "ground-state,1024,truncated", "ground-state,4096,periodic"})
    void largeGridsAreRefusedWithThePlanAndNothingWritten(String command, int n, String conv, @TempDir Path tmp) {
        Path out = tmp.resolve("out");
        Result r = run(command, "--grid", Integer.toString(n), "--conv", conv, "--backend", "cpu", "--out", out.toString());
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--grid: the run does not fit in memory"), r.err());
        // The plan's numbers: the state of 2n³ values and what to change.
        assertTrue(r.err().contains(String.format("%,d", 2L * n * n * n)), r.err());
        assertTrue(r.err().contains("memory plan: backend cpu, " + n + "^3 grid"), r.err());
        assertTrue(r.err().contains("what to change") && r.err().contains("smaller --grid") && r.err().contains("-Xmx"), r.err());
        assertFalse(r.err().contains("OutOfMemoryError") || r.err().contains("NegativeArraySize"), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void dryRunPrintsTheConfigurationAndThePlanAndWritesNothing(@TempDir Path tmp) {
        Path out = tmp.resolve("out");
        Result r = run("run", "--grid", "32", "--conv", "padded", "--backend", "cpu", "--dry-run", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("grid = 32") && r.out().contains("backend = 'cpu'"), r.out());
        // The state: 2·32³ = 65,536 doubles, 512 KiB; the padded density grid 64³.
        assertTrue(r.out().contains("state phi") && r.out().contains("65,536") && r.out().contains("512 KiB"), r.out());
        assertTrue(r.out().contains("density grid 64^3") && r.out().contains("fits: yes"), r.out());
        assertFalse(Files.exists(out), "dry run writes nothing");
        // A refused size under --dry-run: exit 0 with the plan saying why.
        Result big = run("ground-state", "--grid", "2048", "--dry-run", "--out", out.toString());
        assertEquals(0, big.code(), big.err());
        assertTrue(big.out().contains("fits: NO") && big.out().contains("what to change"), big.out());
        assertFalse(Files.exists(out));
    }

    /**
     * 800³ on the cpu: the machine's memory decides. Refused cleanly when the plan says it does not
     * fit (on this 24 GiB machine: off-heap, the state, work array, density, mean field, spectrum and
     * the initial state need 36.9 GB, more than the physical memory less the test JVM's 8 GiB heap);
     * never a raw OutOfMemoryError.
     */
    @Test
    void grid800IsRefusedCleanlyWhenThePlanSaysSo(@TempDir Path tmp) {
        HartreeProblem p = new HartreeProblem(new Grid3D(800, 16), OneBodyOperator.paper(10), new Interaction.Gaussian(1, 1),
                ConvolutionMode.PERIODIC, Scheme.STRANG, TimeMode.REAL, 1e-3);
        MemoryPlan plan = MemoryPlan.of("cpu", p, Precision.DOUBLE, 1, false);
        Assumptions.assumeFalse(plan.fits(MemoryPlan.Available.thisJvm(0)), "this JVM could run 800^3; too long for a test");
        Path out = tmp.resolve("out");
        Result r = run("run", "--grid", "800", "--backend", "cpu", "--out", out.toString());
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("does not fit") && (r.err().contains("JVM heap: needs") || r.err().contains("host, off-heap: needs")), r.err());
        assertFalse(Files.exists(out));
    }
}
