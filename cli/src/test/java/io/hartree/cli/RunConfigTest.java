package io.hartree.cli;

import io.hartree.api.ParameterException;
import io.hartree.api.Observables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RunConfigTest {
    @TempDir
    Path tmp;

    /** config.toml must reproduce every value bit for bit, or a rerun would not be the same job. */
    @Test
    void tomlRoundTripIsExact() throws Exception {
        RunConfig c = RunConfig.defaults(RunConfig.RUN).with("backend", "cpu").with("dt", 0.1 + 0.2).with("time", 1.0 / 3)
                .with("box", 12.345678901234567).with("initial", "gaussian:x0=1.0,0.0,0.0;p0=0.0,0.5,0.0").resolveAuto();
        Path f = tmp.resolve("config.toml");
        Files.writeString(f, c.toToml());
        RunConfig back = RunConfig.defaults(RunConfig.RUN).with(RunConfig.readToml(f));
        assertEquals(c, back);
        assertEquals(RunConfig.KEYS.size() - 3 - GP_TERMS, RunConfig.readToml(f).size(), "every key of run is written (not tol, max_steps; physical and the GP terms only when given)");
        RunConfig gs = RunConfig.defaults(RunConfig.GROUND_STATE).with("tol", 3e-11).with("max_steps", 777).resolveAuto();
        Files.writeString(f, gs.toToml());
        assertEquals(gs, RunConfig.defaults(RunConfig.GROUND_STATE).with(RunConfig.readToml(f)));
        assertEquals(RunConfig.KEYS.size() - 2 - GP_TERMS, RunConfig.readToml(f).size(), "every key of ground-state is written (not time; physical and the GP terms only when given)");
    }

    /** rotation, damping, drive, components: written only when not default. */
    private static final int GP_TERMS = 4;

    @Test
    void defaultsAreThePapersToyModel() {
        RunConfig c = RunConfig.defaults(RunConfig.RUN).resolveAuto().validate();
        assertEquals(64, c.grid());
        assertEquals(10.0, c.nu());
        assertEquals(1000, c.steps(), "t = 1 at dt = 1e-3");
        assertEquals(10, c.observeEvery(), "about 100 rows: 1000 steps / 100");
        assertEquals("ground", c.initial());
    }

    @Test
    void unknownKeyAndWrongTypeNameTheKey() throws Exception {
        Path f = tmp.resolve("bad.toml");
        Files.writeString(f, "grid = 32\ndtt = 0.1\n");
        var e = assertThrows(ParameterException.class, () -> RunConfig.readToml(f));
        assertTrue(e.getMessage().contains("dtt"), e.getMessage());
        Files.writeString(f, "grid = \"big\"\n");
        e = assertThrows(ParameterException.class, () -> RunConfig.readToml(f));
        assertTrue(e.getMessage().contains("'grid' must be an integer"), e.getMessage());
    }

    /** Without --out a run goes to runs/run-YYYYMMDD-HHMMSS (or ground-state-…), a folder that does not exist yet. */
    @Test
    void defaultFolderName() {
        Path p = RunFolder.newDefault("run");
        assertTrue(p.toString().matches("runs/run-\\d{8}-\\d{6}(-\\d+)?"), p.toString());
        assertFalse(Files.exists(p));
        assertTrue(RunFolder.newDefault("ground-state").getFileName().toString().startsWith("ground-state-"));
    }

    /** 17 significant digits print every double so that it reads back to the same double. */
    @Test
    void csvRoundTripIsExact() {
        Observables o = new Observables(0.1 + 0.2, 1 - 1e-16, 0.17677669529663687, 7.5, -7.5, 0.17677669529663687, 0.35355339059327373,
                1e-300, -2.5e-17, Math.PI, 1.5000000000000002, 0.9999999999999999, 0.0, 4.9e-324);
        Path f = tmp.resolve("o.csv");
        List<ObservablesCsv.Row> rows = List.of(new ObservablesCsv.Row(0, o), new ObservablesCsv.Row(12345678901L, o));
        ObservablesCsv.write(f, rows);
        assertEquals(rows, ObservablesCsv.read(f));
    }
}
