package io.hartree.cli;

import io.hartree.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue item 6: bad input exits with code 2, the message names the parameter, and nothing is
 * written (the run folder is not created). Every case fails before a backend is opened, so these
 * run without one.
 */
class BadInputTest {
    @TempDir
    static Path tmp;

    record Case(String name, String expected, List<String> args) {
        @Override public String toString() { return name; }
    }

    static Stream<Case> cases() throws Exception {
        Path wrongShape = tmp.resolve("wrong_shape.npy");
        Npy.writeComplex(wrongShape, new double[2 * 8 * 8 * 4], 8, 8, 4);
        Path notNpy = tmp.resolve("not.npy");
        Files.writeString(notNpy, "hello");
        Path badToml = tmp.resolve("bad.toml");
        Files.writeString(badToml, "grid = 16\nspeed = 3\n");
        Path gsToml = tmp.resolve("gs.toml");
        Files.writeString(gsToml, "command = \"ground-state\"\n");
        return Stream.of(
                new Case("grid zero", "--grid", List.of("run", "--grid", "0")),
                new Case("grid negative", "--grid", List.of("run", "--grid", "-8")),
                new Case("grid odd", "--grid", List.of("run", "--grid", "7")),
                new Case("grid not a number", "--grid", List.of("run", "--grid", "abc")),
                new Case("box zero", "--box", List.of("run", "--box", "0")),
                new Case("dt zero", "--dt", List.of("run", "--dt", "0")),
                new Case("dt negative", "--dt", List.of("run", "--dt", "-1e-3")),
                new Case("dt NaN", "--dt", List.of("run", "--dt", "NaN")),
                new Case("time zero", "--time", List.of("run", "--time", "0")),
                new Case("nu zero", "--nu", List.of("run", "--nu", "0")),
                new Case("unknown interaction", "--interaction", List.of("run", "--interaction", "harmonic:k=1")),
                new Case("interaction bad parameter", "--interaction", List.of("run", "--interaction", "gaussian:lambda=1,width=2")),
                new Case("interaction negative sigma", "sigma", List.of("run", "--interaction", "gaussian:sigma=-1")),
                new Case("unknown convolution", "--conv", List.of("run", "--conv", "circular")),
                new Case("unknown scheme", "--scheme", List.of("run", "--scheme", "euler")),
                new Case("unknown precision", "--precision", List.of("run", "--precision", "half")),
                new Case("threads negative", "--threads", List.of("run", "--threads", "-1")),
                new Case("observe-every negative", "--observe-every", List.of("run", "--observe-every", "-1")),
                new Case("checkpoint-every zero", "--checkpoint-every", List.of("run", "--checkpoint-every", "0")),
                new Case("unknown initial", "--initial", List.of("run", "--initial", "vortex")),
                new Case("initial npy missing", "--initial", List.of("run", "--initial", "npy:" + tmp.resolve("missing.npy"))),
                new Case("initial npy wrong shape", "--initial", List.of("run", "--grid", "8", "--initial", "npy:" + wrongShape)),
                new Case("initial not an npy", "--initial", List.of("run", "--initial", "npy:" + notNpy)),
                new Case("unknown backend", "--backend", List.of("run", "--backend", "tpu")),
                new Case("config missing", "--config", List.of("run", "--config", tmp.resolve("none.toml").toString())),
                new Case("config unknown key", "speed", List.of("run", "--config", badToml.toString())),
                new Case("config of another command", "--config", List.of("run", "--config", gsToml.toString())),
                new Case("resume of a folder without checkpoint", "--resume", List.of("run", "--resume", tmp.toString())),
                new Case("unknown option", "--grdi", List.of("run", "--grdi", "8")),
                new Case("out below a file", "is not a writable folder", List.of("run", "--out", notNpy.resolve("sub").toString())),
                // /proc passes the writable check (root) but refuses a new folder: the creation's own failure is bad input too
                new Case("out the system cannot create", "--out: /proc/hartree-test-nope", List.of("run", "--grid", "8", "--out", "/proc/hartree-test-nope")),
                new Case("physical unknown species", "--physical", List.of("run", "--physical", "species=xx,f=100,n=10,a=1")),
                new Case("physical negative frequency", "--physical", List.of("run", "--physical", "species=rb87,f=-100,n=10,a=1")),
                new Case("ground-state tol zero", "--tol", List.of("ground-state", "--tol", "0")),
                new Case("ground-state max-steps zero", "--max-steps", List.of("ground-state", "--max-steps", "0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitsTwoNamesTheParameterWritesNothing(Case c) {
        Path out = tmp.resolve("out-" + c.name.replace(' ', '_'));
        List<String> args = new ArrayList<>(c.args);
        if (!args.contains("--resume") && !args.contains("--out")) { args.add("--out"); args.add(out.toString()); }
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        for (var sub : cl.getSubcommands().values()) sub.setErr(new PrintWriter(err, true));
        int code = cl.execute(args.toArray(String[]::new));
        assertEquals(Main.EXIT_USAGE, code, c + ": exit code; stderr: " + err);
        assertTrue(err.toString().contains(c.expected), c + ": the message names " + c.expected + ": " + err);
        assertFalse(Files.exists(out), c + ": nothing may be written, but " + out + " exists");
    }

    /** A run folder that exists is refused without --force, and left as it was. */
    @Test
    void existingFolderIsRefusedAndUntouched() throws Exception {
        Path dir = tmp.resolve("existing");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), "{\"keep\": true}\n");
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.getSubcommands().get("run").setErr(new PrintWriter(err, true));
        int code = cl.execute("run", "--grid", "8", "--out", dir.toString());
        assertEquals(Main.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("--out") && err.toString().contains("--force"), err.toString());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "nothing added to the folder");
        }
        assertEquals("{\"keep\": true}\n", Files.readString(dir.resolve("summary.json")));
    }
}
