package io.hartree.api.model;

import io.hartree.api.ParameterException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Two-body potential V(x − y) of the Hartree term (V*|φ|²)φ and of H_N (3.5). Fourier
 * convention V̂(k) = ∫ V(x) e^{−ik·x} dx, so (V*ρ)^ = V̂ ρ̂.
 */
public sealed interface Interaction {
    /** Specification string that {@link #parse} reads back, e.g. "gaussian:lambda=1,sigma=1". */
    String spec();

    /** V(r) at distance r (may be infinite at r = 0 for singular kernels; 0 for contact, which has no pointwise value). */
    double value(double r);

    /** Analytic V̂(|k|) (k ≠ 0 for Coulomb); NaN where no closed form exists. */
    double fourier(double k);

    /** V = λ e^{−|x|²/(2σ²)}, V̂ = λ(2πσ²)^{3/2} e^{−σ²|k|²/2}. */
    record Gaussian(double lambda, double sigma) implements Interaction {
        public Gaussian {
            ParameterException.require(Double.isFinite(lambda), "interaction lambda", lambda, "finite real");
            ParameterException.require(sigma > 0 && Double.isFinite(sigma), "interaction sigma", sigma, "finite σ > 0");
        }
        public String spec() { return "gaussian:lambda=" + lambda + ",sigma=" + sigma; }
        public double value(double r) { return lambda * Math.exp(-r * r / (2 * sigma * sigma)); }
        public double fourier(double k) { return lambda * Math.pow(2 * Math.PI * sigma * sigma, 1.5) * Math.exp(-0.5 * sigma * sigma * k * k); }
    }

    /** V = λ e^{−μ|x|}/|x|, V̂ = 4πλ/(|k|² + μ²). */
    record Yukawa(double lambda, double mu) implements Interaction {
        public Yukawa {
            ParameterException.require(Double.isFinite(lambda), "interaction lambda", lambda, "finite real");
            ParameterException.require(mu > 0 && Double.isFinite(mu), "interaction mu", mu, "finite μ > 0");
        }
        public String spec() { return "yukawa:lambda=" + lambda + ",mu=" + mu; }
        public double value(double r) { return lambda * Math.exp(-mu * r) / r; }
        public double fourier(double k) { return 4 * Math.PI * lambda / (k * k + mu * mu); }
    }

    /** V = λ/|x|, V̂ = 4πλ/|k|² (use {@link ConvolutionMode#TRUNCATED}). */
    record Coulomb(double lambda) implements Interaction {
        public Coulomb {
            ParameterException.require(Double.isFinite(lambda), "interaction lambda", lambda, "finite real");
        }
        public String spec() { return "coulomb:lambda=" + lambda; }
        public double value(double r) { return lambda / r; }
        public double fourier(double k) { return 4 * Math.PI * lambda / (k * k); }
    }

    /** V = g δ(x) (Gross–Pitaevskii), V̂ = g: V*ρ = gρ. */
    record Contact(double g) implements Interaction {
        public Contact {
            ParameterException.require(Double.isFinite(g), "interaction g", g, "finite real");
        }
        public String spec() { return "contact:g=" + g; }
        public double value(double r) { return 0; }
        public double fourier(double k) { return g; }
    }

    /**
     * V tabulated in a float64 NPY file of shape (m, m, m), m = n (periodic) or 2n (padded),
     * sampled at the minimum-image offsets dx·(j if j < m/2 else j − m) of the grid, C order.
     */
    record Tabulated(Path file) implements Interaction {
        public Tabulated {
            ParameterException.require(file != null, "interaction table", file, "path to a .npy file");
        }
        public String spec() { return "table:" + file; }
        public double value(double r) { return Double.NaN; }
        public double fourier(double k) { return Double.NaN; }
    }

    /** V = 0. */
    record None() implements Interaction {
        public String spec() { return "none"; }
        public double value(double r) { return 0; }
        public double fourier(double k) { return 0; }
    }

    /**
     * Reads "gaussian:lambda=1,sigma=1", "yukawa:lambda=1,mu=1", "coulomb:lambda=1", "contact:g=1",
     * "table:FILE.npy" or "none". Missing parameters take the defaults lambda = 1, sigma = 1,
     * mu = 1, g = 1.
     */
    static Interaction parse(String spec) {
        if (spec == null || spec.isBlank()) throw new ParameterException("--interaction", "(empty)", ALLOWED);
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : s.substring(colon + 1);
        if (kind.equals("table")) {
            if (rest.isBlank()) throw new ParameterException("--interaction", spec, "table:FILE.npy");
            return new Tabulated(Path.of(rest));
        }
        Map<String, Double> p = new LinkedHashMap<>();
        if (!rest.isBlank()) {
            for (String kv : rest.split(",")) {
                String[] t = kv.split("=", 2);
                if (t.length != 2) throw new ParameterException("--interaction", spec, "parameters as name=value, e.g. " + ALLOWED);
                try {
                    p.put(t[0].trim().toLowerCase(Locale.ROOT), Double.parseDouble(t[1].trim()));
                } catch (NumberFormatException e) {
                    throw new ParameterException("--interaction", spec, "numeric value for " + t[0].trim());
                }
            }
        }
        Interaction result = switch (kind) {
            case "gaussian" -> new Gaussian(take(p, "lambda", 1), take(p, "sigma", 1));
            case "yukawa" -> new Yukawa(take(p, "lambda", 1), take(p, "mu", 1));
            case "coulomb" -> new Coulomb(take(p, "lambda", 1));
            case "contact" -> new Contact(take(p, "g", 1));
            case "none" -> new None();
            default -> throw new ParameterException("--interaction", spec, ALLOWED);
        };
        if (!p.isEmpty()) throw new ParameterException("--interaction", spec, "known parameters of " + kind + " only; unknown: " + p.keySet());
        return result;
    }

    String ALLOWED = "gaussian:lambda=L,sigma=S | yukawa:lambda=L,mu=M | coulomb:lambda=L | contact:g=G | table:FILE.npy | none";

    private static double take(Map<String, Double> p, String key, double dflt) {
        Double v = p.remove(key);
        return v == null ? dflt : v;
    }
}
