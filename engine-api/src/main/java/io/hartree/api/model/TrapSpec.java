package io.hartree.api.model;

import io.hartree.api.ParameterException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The trap of a Hartree run as the user names it ({@code --trap SPEC}, documented in
 * docs/hartree.md), and the one-body operator h = a(−Δ) + U it stands for:
 * <ul>
 *   <li>{@code paper} (the default): the paper's h_ν = (ν/2)(−Δ + |x|² − 3) (3.3), a = ν/2;</li>
 *   <li>{@code harmonic:wx=WX,wy=WY,wz=WZ}: h = −½Δ + ½Σ_d w_d² x_d² (a = ½, unit mass), whose
 *       ground state energy is Σ_d w_d/2 and whose centre of mass oscillates at w_d along axis d;</li>
 *   <li>{@code doublewell:wx=WX,wy=WY,wz=WZ,v0=V0,s=S}: the same plus V₀ e^{−x²/(2s²)};</li>
 *   <li>{@code table:FILE.npy}: h = −½Δ + U with U read from a float64 (n, n, n) array on the run's grid.</li>
 * </ul>
 * A missing w_d is 1 ({@code w=W} sets all three); v0 and s have no default. Only {@code paper}
 * uses ν. The harmonic trap is a {@link TrapPotential.Harmonic} (its coefficients go to the cuda
 * kernels), the double well and the table are sampled ({@link TrapPotential#sample}), so both
 * backends take every trap.
 */
public sealed interface TrapSpec {
    String PARAMETER = "--trap";

    String ALLOWED = "paper | harmonic:wx=WX,wy=WY,wz=WZ | doublewell:wx=WX,wy=WY,wz=WZ,v0=V0,s=S | table:FILE.npy "
            + "(w_d > 0, default 1; w=W sets all three; v0 >= 0 and s > 0 required)";

    /** The kinetic coefficient a of every trap but the paper's: h = −½Δ + U (ħ = 1, unit mass). */
    double HALF = 0.5;

    /** Specification string that {@link #parse} reads back (canonical form). */
    String spec();

    /**
     * The one-body operator of this trap; {@code nu} is used by {@link Paper} alone, {@code grid}
     * by {@link Table} alone (which reads and validates its file here).
     */
    OneBodyOperator operator(double nu, Grid3D grid);

    /**
     * The fastest oscillation frequency of the trap, the time scale a time step must resolve: ν for
     * the paper (h_ν has gap ν), max w_d for the harmonic trap, and for the double well also the
     * barrier's √V₀/s; NaN for a table (no scale known).
     */
    double frequency(double nu);

    /** Whether ν enters the operator (only {@link Paper}). */
    default boolean usesNu() { return false; }

    /** The paper's h_ν = (ν/2)(−Δ + |x|² − 3). */
    record Paper() implements TrapSpec {
        public String spec() { return "paper"; }

        public OneBodyOperator operator(double nu, Grid3D grid) { return OneBodyOperator.paper(nu); }

        public double frequency(double nu) { return nu; }

        @Override public boolean usesNu() { return true; }
    }

    /** h = −½Δ + ½(w_x²x² + w_y²y² + w_z²z²): a {@link TrapPotential.Harmonic} with c_d = w_d²/2, offset 0. */
    record Harmonic(double wx, double wy, double wz) implements TrapSpec {
        public Harmonic {
            requireFrequency("wx", wx);
            requireFrequency("wy", wy);
            requireFrequency("wz", wz);
        }

        public String spec() { return "harmonic:wx=" + wx + ",wy=" + wy + ",wz=" + wz; }

        public OneBodyOperator operator(double nu, Grid3D grid) {
            return new OneBodyOperator(HALF, new TrapPotential.Harmonic(0.5 * wx * wx, 0.5 * wy * wy, 0.5 * wz * wz, 0));
        }

        public double frequency(double nu) { return Math.max(wx, Math.max(wy, wz)); }

        /** The ground state energy Σ_d w_d/2 of −½Δ + ½Σ w_d² x_d². */
        public double groundEnergy() { return 0.5 * (wx + wy + wz); }
    }

    /** h = −½Δ + {@link TrapPotential.DoubleWell}: the harmonic trap plus V₀ e^{−x²/(2s²)}. */
    record DoubleWell(double wx, double wy, double wz, double v0, double s) implements TrapSpec {
        public DoubleWell {
            new TrapPotential.DoubleWell(wx, wy, wz, v0, s);
        }

        public String spec() { return "doublewell:wx=" + wx + ",wy=" + wy + ",wz=" + wz + ",v0=" + v0 + ",s=" + s; }

        public OneBodyOperator operator(double nu, Grid3D grid) {
            return new OneBodyOperator(HALF, new TrapPotential.DoubleWell(wx, wy, wz, v0, s));
        }

        public double frequency(double nu) { return Math.max(Math.max(wx, Math.max(wy, wz)), Math.sqrt(v0) / s); }
    }

    /** h = −½Δ + U with U tabulated in {@code file} (float64, shape (n, n, n), C order, finite). */
    record Table(Path file) implements TrapSpec {
        public Table {
            ParameterException.require(file != null, PARAMETER, file, "table:FILE.npy");
        }

        public String spec() { return "table:" + file; }

        public OneBodyOperator operator(double nu, Grid3D grid) {
            return new OneBodyOperator(HALF, TrapPotential.Table.read(file, grid));
        }

        public double frequency(double nu) { return Double.NaN; }
    }

    /** Reads a specification string; errors name {@code --trap} and list the allowed forms. */
    static TrapSpec parse(String spec) {
        if (spec == null || spec.isBlank()) throw new ParameterException(PARAMETER, "(empty)", ALLOWED);
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : s.substring(colon + 1).trim();
        return switch (kind) {
            case "paper" -> {
                if (!rest.isEmpty()) throw new ParameterException(PARAMETER, spec, "'paper' takes no parameters (its nu is --nu); " + ALLOWED);
                yield new Paper();
            }
            case "harmonic" -> {
                Map<String, Double> p = parameters(spec, rest, Set.of("w", "wx", "wy", "wz"));
                yield new Harmonic(axis(p, "wx"), axis(p, "wy"), axis(p, "wz"));
            }
            case "doublewell" -> {
                Map<String, Double> p = parameters(spec, rest, Set.of("w", "wx", "wy", "wz", "v0", "s"));
                for (String required : new String[]{"v0", "s"})
                    if (!p.containsKey(required))
                        throw new ParameterException(PARAMETER, spec, "doublewell needs " + required + " (doublewell:wx=WX,wy=WY,wz=WZ,v0=V0,s=S)");
                yield new DoubleWell(axis(p, "wx"), axis(p, "wy"), axis(p, "wz"), p.get("v0"), p.get("s"));
            }
            case "table" -> {
                if (rest.isEmpty()) throw new ParameterException(PARAMETER, spec, "table:FILE.npy");
                yield new Table(Path.of(rest));
            }
            default -> throw new ParameterException(PARAMETER, spec, ALLOWED);
        };
    }

    /** Checks a trap frequency w_d (finite, > 0); errors name {@code --trap NAME}. */
    static double requireFrequency(String name, double w) {
        ParameterException.require(w > 0 && Double.isFinite(w), PARAMETER + " " + name, w, "finite frequency > 0");
        return w;
    }

    private static double axis(Map<String, Double> p, String name) {
        return p.getOrDefault(name, p.getOrDefault("w", 1.0));
    }

    private static Map<String, Double> parameters(String spec, String rest, Set<String> allowed) {
        Map<String, Double> p = new LinkedHashMap<>();
        if (rest.isEmpty()) return p;
        for (String kv : rest.split(",")) {
            if (kv.isBlank()) continue;
            String[] t = kv.split("=", 2);
            String name = t[0].trim().toLowerCase(Locale.ROOT);
            if (t.length != 2)
                throw new ParameterException(PARAMETER, spec, "parameters as name=value separated by ','; " + ALLOWED);
            if (!allowed.contains(name))
                throw new ParameterException(PARAMETER, spec, "unknown parameter '" + name + "'; this trap takes " + String.join(", ", allowed.stream().sorted().toList()) + "; " + ALLOWED);
            if (p.containsKey(name)) throw new ParameterException(PARAMETER, spec, "parameter '" + name + "' given twice");
            double v;
            try {
                v = Double.parseDouble(t[1].trim());
            } catch (NumberFormatException e) {
                throw new ParameterException(PARAMETER + " " + name, t[1].trim(), "a number; " + ALLOWED);
            }
            p.put(name, v);
        }
        return p;
    }
}
