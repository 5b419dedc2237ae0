package io.hartree.cli;

import io.hartree.api.model.Grid3D;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.TrapSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code --components}: the spec, bad input, a K = 2 run and ground state end to end, resume refused. */
class ComponentsCommandTest {
    @TempDir
    Path tmp;

    /** Figures off (as the sweep tests do): they are not what is tested here and cost seconds per run. */
    @org.junit.jupiter.api.BeforeEach
    void plotsOff() { System.setProperty(Plots.OFF_PROPERTY, "off"); }

    @org.junit.jupiter.api.AfterEach
    void plotsOn() { System.clearProperty(Plots.OFF_PROPERTY); }

    static final List<String> SMALL = List.of("--grid", "16", "--box", "10", "--trap", "harmonic:wx=1,wy=1,wz=1", "--dt", "0.02");

    int exec(List<String> args, StringWriter err) {
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        for (var sub : cl.getSubcommands().values()) {
            sub.setErr(new PrintWriter(err, true));
            if (sub.getCommand() instanceof RunCommand rc) rc.out = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            if (sub.getCommand() instanceof GroundStateCommand gc) gc.out = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        }
        return cl.execute(args.toArray(String[]::new));
    }

    /** Bad specs: exit 2, the message names --components and the key, nothing written. */
    @ParameterizedTest
    @ValueSource(strings = {"k=4", "rabi=1", "k=2;v13=1", "k=2;speed=3", "k=2;pop=0.5,0.6", "k=3;pop=0.5,0.5", "k=2;rabi=NaN",
            "k=2;trap2=paper", "k=2;v12=gaussian:lambda=1,sigma=1", "k=2;v12=0.5;v21=0.6", "k=2;initial2=vortex", "k=2;pop=-0.5,1.5"})
    void badSpecExitsTwoWritesNothing(String spec) {
        Path out = tmp.resolve("bad");
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(SMALL);
        args.addAll(List.of("--interaction", "contact:g=1", "--components", spec, "--out", out.toString()));
        assertEquals(Main.EXIT_USAGE, exec(args, err), spec + ": " + err);
        assertTrue(err.toString().contains("--components"), spec + ": names --components: " + err);
        String key = spec.contains("v13") ? "v13" : spec.contains("speed") ? "speed" : spec.contains("pop") ? "pop" : spec.contains("rabi=N") ? "rabi"
                : spec.contains("trap2") ? "trap2" : spec.contains("v12") ? "v12" : spec.contains("initial2") ? "initial2" : "k";
        assertTrue(err.toString().contains(key), spec + ": names the key " + key + ": " + err);
        assertFalse(Files.exists(out), spec + ": nothing written");
    }

    /** The canonical form round-trips: parsing it gives itself and equal components; a spec of V's kind becomes its factor. */
    @Test
    void canonicalRoundTrips() {
        Grid3D g = new Grid3D(16, 10);
        TrapSpec trap = TrapSpec.parse("harmonic:wx=1,wy=1,wz=1");
        Interaction v = new Interaction.Contact(2);
        ComponentsSpec a = ComponentsSpec.parse("k=2;v12=contact:g=0.5;rabi=0.5;trap2=harmonic:wx=1.1,wy=1,wz=1;initial2=gaussian:x0=1,0,0;p0=0,0.5,0;pop=0.7,0.3",
                v, trap, 1, g);
        assertEquals("k=2;pop=0.7,0.3;rabi=0.5;v11=1.0;v12=0.25;v22=1.0;trap2=harmonic:wx=1.1,wy=1.0,wz=1.0;initial2=gaussian:x0=1.0,0.0,0.0;p0=0.0,0.5,0.0",
                a.canonical());
        ComponentsSpec b = ComponentsSpec.parse(a.canonical(), v, trap, 1, g);
        assertEquals(a.canonical(), b.canonical());
        assertEquals(a.components(), b.components());
        assertEquals(0.25, b.components().coupling(0, 1), 0, "g12/g = 0.5/2");
    }

    /**
     * V = 0, Ω_R = 2, ψ_2(0) = 0: norm_1 in observables.csv follows cos²(Ω_R t/2) to 1e-12 (the Rabi
     * term commutes with h: exact up to rounding); the totals stay 1; psi_final.npy is (2, n, n, n)
     * with the component norms of the last row; config.toml reruns with the same canonical spec;
     * --resume is refused (exit 2).
     */
    @Test
    void rabiRunEndToEnd() throws Exception {
        Path out = tmp.resolve("r");
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(SMALL);
        args.addAll(List.of("--time", "0.4", "--observe-every", "5", "--interaction", "none", "--components", "k=2;rabi=2;pop=1,0", "--out", out.toString()));
        assertEquals(0, exec(args, err), err.toString());
        List<String> lines = Files.readAllLines(out.resolve(RunFolder.OBSERVABLES));
        assertTrue(lines.get(0).endsWith(",norm_1,energy_1,norm_2,energy_2"), lines.get(0));
        int c0 = List.of(lines.get(0).split(",")).indexOf("norm_1");  // the component columns follow the standard ones
        int rows = 0;
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            double t = Double.parseDouble(f[1]);
            assertEquals(1, Double.parseDouble(f[2]), 1e-12, "total norm at t = " + t);
            assertEquals(Math.pow(Math.cos(t), 2), Double.parseDouble(f[c0]), 1e-12, "norm_1 = cos²(Ω t/2) at t = " + t);
            assertEquals(Math.pow(Math.sin(t), 2), Double.parseDouble(f[c0 + 2]), 1e-12, "norm_2 at t = " + t);
            assertEquals(Double.parseDouble(f[3]), Double.parseDouble(f[c0 + 1]) + Double.parseDouble(f[c0 + 3]), 1e-12, "E = E_1 + E_2");
            rows++;
        }
        assertEquals(5, rows, "observations at steps 0, 5, 10, 15, 20");
        byte[] npy = Files.readAllBytes(out.resolve(RunFolder.PSI_FINAL));
        String header = new String(npy, 10, 100, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("(2, 16, 16, 16)"), header);
        String toml = Files.readString(out.resolve(RunFolder.CONFIG));
        assertTrue(toml.contains("components = 'k=2;pop=1.0,0.0;rabi=2.0;v11=1.0;v12=1.0;v22=1.0'")
                || toml.contains("components = \"k=2;pop=1.0,0.0;rabi=2.0;v11=1.0;v12=1.0;v22=1.0\""), toml);
        Path again = tmp.resolve("again");
        assertEquals(0, exec(List.of("run", "--config", out.resolve(RunFolder.CONFIG).toString(), "--out", again.toString()), err), err.toString());
        assertEquals(Files.readAllLines(out.resolve(RunFolder.OBSERVABLES)).get(4), Files.readAllLines(again.resolve(RunFolder.OBSERVABLES)).get(4),
                "the config.toml rerun gives the same last row");
        Path stopped = tmp.resolve("stopped");
        List<String> stop = new ArrayList<>(args.subList(0, args.size() - 1));
        stop.addAll(List.of(stopped.toString(), "--stop-after-steps", "3"));
        assertEquals(0, exec(stop, err), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(Main.EXIT_USAGE, exec(List.of("run", "--resume", stopped.toString()), err2), err2.toString());
        assertTrue(err2.toString().contains("--resume") && err2.toString().contains("--components"), err2.toString());
    }

    /** Imaginary time without Rabi keeps each component at its population: norm_i = p_i to 1e-12 in the last row. */
    @Test
    void groundStateKeepsPopulations() throws Exception {
        Path out = tmp.resolve("g");
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("ground-state"));
        args.addAll(SMALL);
        args.addAll(List.of("--max-steps", "40", "--interaction", "contact:g=2", "--components", "k=3;v12=0.5;pop=0.5,0.3,0.2", "--out", out.toString()));
        assertEquals(0, exec(args, err), err.toString());
        List<String> lines = Files.readAllLines(out.resolve(RunFolder.OBSERVABLES));
        String[] f = lines.getLast().split(",");
        int c0 = List.of(lines.get(0).split(",")).indexOf("norm_1");
        assertEquals(0.5, Double.parseDouble(f[c0]), 1e-12, "norm_1");
        assertEquals(0.3, Double.parseDouble(f[c0 + 2]), 1e-12, "norm_2");
        assertEquals(0.2, Double.parseDouble(f[c0 + 4]), 1e-12, "norm_3");
        assertEquals(1, Double.parseDouble(f[2]), 1e-12, "total");
    }
}
