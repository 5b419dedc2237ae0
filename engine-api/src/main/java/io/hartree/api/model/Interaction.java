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
     * Dipolar interaction of dipoles polarised along {@code axis} (normalised here; any non-zero finite
     * vector): V_dd(r) = (C_dd/4π)(1 − 3cos²θ)/|r|³, θ the angle between r and the axis, with Fourier
     * transform (principal value over spherical shells, Lahaye et al., Rep. Prog. Phys. 72, 126401
     * (2009), eqs. (4)–(5)) V̂(k) = C_dd(cos²α − 1/3) = (C_dd/3)(3cos²α − 1), α the angle between k
     * and the axis. {@code cutoff} R (NaN: not given, the mode's default; see
     * {@link io.hartree.api.hartree.ConvolutionKernel}) truncates V at |r| = R (Ronen, Bortolotti,
     * Bohn, PRA 74, 013623 (2006)): V̂_R(k) = C_dd(cos²α − 1/3)[1 + 3cos(kR)/(kR)² − 3sin(kR)/(kR)³].
     * Anisotropic: {@link #value} and {@link #fourier} (radial) are NaN; use {@link #fourier(double, double, double)}.
     */
    record Dipolar(double cdd, double ax, double ay, double az, double cutoff) implements Interaction {
        public Dipolar {
            ParameterException.require(Double.isFinite(cdd), "interaction cdd", cdd, "finite real");
            double a = Math.sqrt(ax * ax + ay * ay + az * az);
            ParameterException.require(Double.isFinite(a) && a > 0, "interaction axis", ax + "," + ay + "," + az, "a finite non-zero vector X,Y,Z");
            ParameterException.require(Double.isNaN(cutoff) || (cutoff > 0 && Double.isFinite(cutoff)), "interaction cutoff", cutoff, "finite R > 0 (at most L, or L/2 periodic)");
        }
        public Dipolar(double cdd, double ax, double ay, double az) { this(cdd, ax, ay, az, Double.NaN); }
        public boolean hasCutoff() { return !Double.isNaN(cutoff); }
        /**
         * The cutoff R the kernel takes on a box of side L: periodic: the given one (at most L/2, so the
         * L-periodic images of V_R do not overlap) or none (∞); padded and truncated: the given one or L
         * (at most L, the alias-free bound on the (2n)³ grid). Refuses a cutoff beyond the bound.
         */
        public double cutoffIn(double L, ConvolutionMode mode) {
            if (mode == ConvolutionMode.PERIODIC) {
                if (hasCutoff() && cutoff > 0.5 * L)
                    throw new ParameterException("--interaction cutoff", cutoff, "0 < R <= L/2 = " + 0.5 * L + " with --conv periodic (or no cutoff)");
                return hasCutoff() ? cutoff : Double.POSITIVE_INFINITY;
            }
            if (hasCutoff() && cutoff > L)
                throw new ParameterException("--interaction cutoff", cutoff, "0 < R <= L = " + L + " with --conv " + mode.label() + " (alias-free on the (2n)^3 grid)");
            return hasCutoff() ? cutoff : L;
        }
        public String spec() {
            return "dipolar:cdd=" + cdd + ",axis=" + ax + "," + ay + "," + az + (hasCutoff() ? ",cutoff=" + cutoff : "");
        }
        public double value(double r) { return Double.NaN; }
        public double fourier(double k) { return Double.NaN; }
        /** The unit axis. */
        public double[] unitAxis() {
            double a = Math.sqrt(ax * ax + ay * ay + az * az);
            return new double[]{ax / a, ay / a, az / a};
        }
        /** V(r) at the offset (x, y, z) ≠ 0. */
        public double value(double x, double y, double z) {
            double[] u = unitAxis();
            double r2 = x * x + y * y + z * z, c = x * u[0] + y * u[1] + z * u[2];
            return cdd / (4 * Math.PI) * (1 - 3 * c * c / r2) / (r2 * Math.sqrt(r2));
        }
        /** V̂(k) = C_dd(cos²α − 1/3) without cutoff, 0 at k = 0 (its angular average). */
        public double fourier(double kx, double ky, double kz) { return fourier(kx, ky, kz, Double.POSITIVE_INFINITY); }
        /**
         * V̂_R(k) = C_dd(cos²α − 1/3)·f(kR), f(X) = 1 + 3cos X/X² − 3sin X/X³ = 1 − 3j₁(X)/X (R = ∞: f = 1;
         * X < 1: its Taylor series, X²/10 − X⁴/280 + …). 0 at k = 0.
         */
        public double fourier(double kx, double ky, double kz, double R) {
            double k2 = kx * kx + ky * ky + kz * kz;
            if (k2 == 0) return 0;
            double[] u = unitAxis();
            double c = kx * u[0] + ky * u[1] + kz * u[2];
            return cdd * (c * c / k2 - 1.0 / 3) * truncation(Math.sqrt(k2) * R);
        }
        /** f(X) = 1 − 3j₁(X)/X, the factor of the cutoff at R (X = kR; X = ∞: 1). */
        public static double truncation(double X) {
            if (X == Double.POSITIVE_INFINITY) return 1;
            if (X < 1) {
                // f = −3 Σ_{j≥1} (−1)^j (2j+2) X^{2j}/(2j+3)! (the closed form cancels for small X:
                // 2e-9 relative at X = 0.1); ten terms leave < 1e-20 below X = 1.
                double x2 = X * X, term = 1, sum = 0;
                for (int j = 1; j <= 10; j++) {
                    term *= -x2 / ((2 * j + 2) * (2 * j + 3));  // 6·(−1)^j X^{2j}/(2j+3)!
                    sum += (2 * j + 2) * term;
                }
                return -0.5 * sum;  // term starts at 6·X⁰/3! = 1, so the sum is 6× the series
            }
            return 1 + 3 * Math.cos(X) / (X * X) - 3 * Math.sin(X) / (X * X * X);
        }
    }

    /**
     * The Lee–Huang–Yang quantum-fluctuation term: not a two-body potential but a local term of the
     * mean field, W += γ|ψ|³, with energy (2/5)γ∫|ψ|⁵ (its functional derivative is γ|ψ|³ψ). Only as a
     * term of a {@link Sum} or alone; {@link #value} and {@link #fourier} are NaN.
     */
    record Lhy(double gamma) implements Interaction {
        public Lhy {
            ParameterException.require(Double.isFinite(gamma), "interaction gamma", gamma, "finite real");
        }
        public String spec() { return "lhy:gamma=" + gamma; }
        public double value(double r) { return Double.NaN; }
        public double fourier(double k) { return Double.NaN; }
    }

    /**
     * A sum of interactions, V = Σ V_i (spec: the terms' specs joined by '+'): one convolution table,
     * the sum of the terms' tables (contact adds g to every entry, which is gρ exactly); LHY terms add
     * their local γ|ψ|³. At least two terms, none itself a sum.
     */
    record Sum(java.util.List<Interaction> terms) implements Interaction {
        public Sum {
            ParameterException.require(terms != null && terms.size() >= 2, "--interaction", terms, "at least two terms joined by '+'");
            terms = java.util.List.copyOf(terms);
            for (Interaction t : terms)
                ParameterException.require(!(t instanceof Sum), "--interaction", t.spec(), "a single term (a sum is flat)");
        }
        public String spec() {
            StringBuilder b = new StringBuilder();
            for (Interaction t : terms) b.append(b.isEmpty() ? "" : "+").append(t.spec());
            return b.toString();
        }
        public double value(double r) {
            double s = 0;
            for (Interaction t : terms) s += t.value(r);
            return s;
        }
        public double fourier(double k) {
            double s = 0;
            for (Interaction t : terms) s += t.fourier(k);
            return s;
        }
    }

    /**
     * Whether V(x) is even under each coordinate reflection x_d → −x_d (mode-integral parity rules):
     * not for a table (unknown) nor for a dipolar axis off the coordinate axes; a sum when all its terms are.
     */
    static boolean axisParity(Interaction v) {
        return switch (v) {
            case Tabulated t -> false;
            case Dipolar d -> (d.ax() != 0 ? 1 : 0) + (d.ay() != 0 ? 1 : 0) + (d.az() != 0 ? 1 : 0) == 1;
            case Sum s -> s.terms().stream().allMatch(Interaction::axisParity);
            case null -> true;
            default -> true;
        };
    }

    /** The LHY strength γ of {@code v} (its Lhy terms summed; 0 without one). */
    static double lhyGamma(Interaction v) {
        return switch (v) {
            case Lhy l -> l.gamma();
            case Sum s -> s.terms().stream().mapToDouble(Interaction::lhyGamma).sum();
            case null -> 0;
            default -> 0;
        };
    }

    /**
     * Reads a sum of terms joined by '+' (a '+' that starts a term, i.e. is followed by a letter),
     * each one of the forms below.
     */
    static Interaction parse(String spec) {
        if (spec == null || spec.isBlank()) throw new ParameterException("--interaction", "(empty)", ALLOWED);
        String[] parts = spec.trim().split("\\+(?=\\s*[A-Za-z])");
        if (parts.length == 1) return parseTerm(parts[0]);
        java.util.List<Interaction> terms = new java.util.ArrayList<>();
        for (String part : parts) {
            if (part.isBlank()) throw new ParameterException("--interaction", spec, "terms joined by '+', e.g. contact:g=1+dipolar:cdd=0.5,axis=0,0,1");
            terms.add(parseTerm(part));
        }
        return new Sum(terms);
    }

    /**
     * Reads one term: "gaussian:lambda=1,sigma=1", "yukawa:lambda=1,mu=1", "coulomb:lambda=1", "contact:g=1",
     * "dipolar:cdd=1,axis=0,0,1[,cutoff=R]" (axis required), "lhy:gamma=1", "table:FILE.npy" or "none".
     * Missing parameters take the defaults lambda = 1, sigma = 1, mu = 1, g = 1, cdd = 1, gamma = 1.
     */
    private static Interaction parseTerm(String spec) {
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
        double[] axis = null;
        if (!rest.isBlank()) {
            String[] kvs = rest.split(",");
            for (int q = 0; q < kvs.length; q++) {
                String[] t = kvs[q].split("=", 2);
                if (t.length != 2) throw new ParameterException("--interaction", spec, "parameters as name=value, e.g. " + ALLOWED);
                String key = t[0].trim().toLowerCase(Locale.ROOT);
                try {
                    if (key.equals("axis")) {
                        // axis=X,Y,Z: the two values after it have no name.
                        if (q + 2 >= kvs.length || kvs[q + 1].contains("=") || kvs[q + 2].contains("="))
                            throw new ParameterException("--interaction axis", spec, "axis=X,Y,Z (three numbers)");
                        axis = new double[]{Double.parseDouble(t[1].trim()), Double.parseDouble(kvs[q + 1].trim()), Double.parseDouble(kvs[q + 2].trim())};
                        q += 2;
                    } else {
                        p.put(key, Double.parseDouble(t[1].trim()));
                    }
                } catch (NumberFormatException e) {
                    throw new ParameterException("--interaction", spec, "numeric value for " + t[0].trim());
                }
            }
        }
        if (axis != null && !kind.equals("dipolar")) throw new ParameterException("--interaction", spec, "axis only for dipolar; " + ALLOWED);
        Interaction result = switch (kind) {
            case "gaussian" -> new Gaussian(take(p, "lambda", 1), take(p, "sigma", 1));
            case "yukawa" -> new Yukawa(take(p, "lambda", 1), take(p, "mu", 1));
            case "coulomb" -> new Coulomb(take(p, "lambda", 1));
            case "contact" -> new Contact(take(p, "g", 1));
            case "dipolar" -> {
                if (axis == null) throw new ParameterException("--interaction axis", spec, "dipolar:cdd=C,axis=X,Y,Z[,cutoff=R] (axis is required)");
                yield new Dipolar(take(p, "cdd", 1), axis[0], axis[1], axis[2], take(p, "cutoff", Double.NaN));
            }
            case "lhy" -> new Lhy(take(p, "gamma", 1));
            case "none" -> new None();
            default -> throw new ParameterException("--interaction", spec, ALLOWED);
        };
        if (!p.isEmpty()) throw new ParameterException("--interaction", spec, "known parameters of " + kind + " only; unknown: " + p.keySet());
        return result;
    }

    String ALLOWED = "gaussian:lambda=L,sigma=S | yukawa:lambda=L,mu=M | coulomb:lambda=L | contact:g=G | dipolar:cdd=C,axis=X,Y,Z[,cutoff=R]"
            + " | lhy:gamma=G | table:FILE.npy | none, or a sum of terms joined by '+' (e.g. contact:g=1+dipolar:cdd=0.5,axis=0,0,1+lhy:gamma=0.1)";

    private static double take(Map<String, Double> p, String key, double dflt) {
        Double v = p.remove(key);
        return v == null ? dflt : v;
    }
}
