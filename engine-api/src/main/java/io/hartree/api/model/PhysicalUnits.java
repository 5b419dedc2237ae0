package io.hartree.api.model;

import io.hartree.api.ParameterException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An experiment's parameters in SI-style units mapped to the engine's dimensionless Gross–Pitaevskii
 * form, and back. The user names the atom ({@code species=rb87} or {@code mass=M} in atomic mass
 * units u), the trap frequencies in Hz, the particle number and the s-wave scattering length in Bohr
 * radii:
 * <pre>
 *   species=rb87,fx=100,fy=100,fz=200,n=1e5,a=100[,fref=F]
 * </pre>
 * With ω_d = 2π f_d and the reference ω = 2π f_ref (default: the geometric mean (f_x f_y f_z)^{1/3}),
 * the units are ħ = m = ω = 1: length ℓ = √(ħ/(mω)), time 1/ω, energy ħω. The GP equation
 * iħ∂_tψ = [−ħ²Δ/(2m) + ½m Σ ω_d² x_d² + g_SI N|ψ|²]ψ, g_SI = 4πħ²a/m, ‖ψ‖ = 1, becomes
 * <pre>
 *   i∂_t φ = [−½Δ + ½Σ w_d² x_d² + g|φ|²]φ,   w_d = f_d / f_ref,   g = 4π N a / ℓ,
 * </pre>
 * which is the engine's {@code harmonic:wx=..,wy=..,wz=..} trap (h = −½Δ + U, unit mass) with the
 * {@code contact:g=..} interaction. Constants: CODATA 2022 (ħ from the exact h; the atomic mass
 * constant and the Bohr radius); isotope masses: AME2020. Both cited in docs/hartree.md.
 */
public record PhysicalUnits(String species, double massU, double fx, double fy, double fz, double particles, double scatteringLengthA0,
                            double referenceHz) {
    public static final String PARAMETER = "--physical";
    public static final String ALLOWED = "species=NAME|mass=M_IN_U, fx=HZ, fy=HZ, fz=HZ (or f=HZ for all three), n=PARTICLES, a=A_IN_BOHR[, fref=HZ]; "
            + "species: " + String.join(" | ", Species.NAMES);

    /** Planck constant h (exact, SI 2019) in J s, and ħ = h/(2π). */
    public static final double PLANCK = 6.62607015e-34;
    public static final double HBAR = PLANCK / (2 * Math.PI);
    /** Atomic mass constant m_u in kg (CODATA 2022). */
    public static final double ATOMIC_MASS_KG = 1.66053906892e-27;
    /** Bohr radius a₀ in m (CODATA 2022). */
    public static final double BOHR_M = 5.29177210544e-11;
    /** Boltzmann constant in J/K (exact, SI 2019). */
    public static final double BOLTZMANN = 1.380649e-23;

    /** Isotope masses in u (AME2020, W.J. Huang et al., Chin. Phys. C 45, 030002 (2021); M. Wang et al., 030003). */
    public enum Species {
        LI7("li7", 7.0160034366), NA23("na23", 22.9897692820), K39("k39", 38.9637064864), K41("k41", 40.9618252579),
        RB85("rb85", 84.9117897379), RB87("rb87", 86.9091805310), CS133("cs133", 132.9054519610);

        final String id;
        final double massU;

        Species(String id, double massU) {
            this.id = id;
            this.massU = massU;
        }

        public double massU() { return massU; }

        public String id() { return id; }

        static final java.util.List<String> NAMES = java.util.Arrays.stream(values()).map(s -> s.id).toList();

        static Species of(String name) {
            for (Species s : values()) if (s.id.equalsIgnoreCase(name.replace("-", ""))) return s;
            throw new ParameterException(PARAMETER, "species=" + name, String.join(" | ", NAMES) + " (or mass=M in u)");
        }
    }

    public PhysicalUnits {
        positive("mass", massU);
        positive("fx", fx);
        positive("fy", fy);
        positive("fz", fz);
        positive("fref", referenceHz);
        if (!(particles >= 1) || !Double.isFinite(particles)) throw new ParameterException(PARAMETER, "n=" + particles, "n >= 1 particles");
        if (!Double.isFinite(scatteringLengthA0)) throw new ParameterException(PARAMETER, "a=" + scatteringLengthA0, "a finite scattering length in Bohr radii");
    }

    private static void positive(String key, double v) {
        if (!(v > 0) || !Double.isFinite(v)) throw new ParameterException(PARAMETER, key + "=" + v, key + " > 0");
    }

    /** Reads the spec in the class comment; keys in any order, each once. */
    public static PhysicalUnits parse(String spec) {
        if (spec == null || spec.isBlank()) throw new ParameterException(PARAMETER, "(empty)", ALLOWED);
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] p = part.split("=", 2);
            if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) throw new ParameterException(PARAMETER, part.trim(), ALLOWED);
            String key = p[0].trim().toLowerCase(Locale.ROOT);
            if (!java.util.Set.of("species", "mass", "fx", "fy", "fz", "f", "n", "a", "fref").contains(key))
                throw new ParameterException(PARAMETER, "unknown key " + key, ALLOWED);
            if (kv.put(key, p[1].trim()) != null) throw new ParameterException(PARAMETER, "key " + key + " given twice", ALLOWED);
        }
        if (kv.containsKey("species") == kv.containsKey("mass")) throw new ParameterException(PARAMETER, spec, "exactly one of species= and mass=; " + ALLOWED);
        String species = kv.containsKey("species") ? Species.of(kv.get("species")).id : "custom";
        double mass = kv.containsKey("species") ? Species.of(kv.get("species")).massU : num(kv, "mass");
        double f = kv.containsKey("f") ? num(kv, "f") : Double.NaN;
        double fx = kv.containsKey("fx") ? num(kv, "fx") : f, fy = kv.containsKey("fy") ? num(kv, "fy") : f, fz = kv.containsKey("fz") ? num(kv, "fz") : f;
        for (String k : new String[]{"fx", "fy", "fz", "n", "a"})
            if (!kv.containsKey(k) && !(k.startsWith("f") && kv.containsKey("f"))) throw new ParameterException(PARAMETER, spec, k + "= is required; " + ALLOWED);
        double fref = kv.containsKey("fref") ? num(kv, "fref") : Math.cbrt(fx * fy * fz);
        return new PhysicalUnits(species, mass, fx, fy, fz, num(kv, "n"), num(kv, "a"), fref);
    }

    private static double num(Map<String, String> kv, String key) {
        try {
            return Double.parseDouble(kv.get(key));
        } catch (NumberFormatException e) {
            throw new ParameterException(PARAMETER, key + "=" + kv.get(key), key + " a number");
        }
    }

    /** Mass in kg. */
    public double massKg() { return massU * ATOMIC_MASS_KG; }

    /** Reference angular frequency ω = 2π f_ref in rad/s: the inverse time unit. */
    public double omega() { return 2 * Math.PI * referenceHz; }

    /** Length unit ℓ = √(ħ/(mω)) in m. */
    public double lengthUnitM() { return Math.sqrt(HBAR / (massKg() * omega())); }

    /** Time unit 1/ω in s. */
    public double timeUnitS() { return 1 / omega(); }

    /** Energy unit ħω in J. */
    public double energyUnitJ() { return HBAR * omega(); }

    /** The energy unit as a temperature ħω/k_B in K. */
    public double energyUnitK() { return energyUnitJ() / BOLTZMANN; }

    /** The dimensionless trap: h = −½Δ + ½Σ w_d² x_d², w_d = f_d/f_ref. */
    public TrapSpec.Harmonic trap() { return new TrapSpec.Harmonic(fx / referenceHz, fy / referenceHz, fz / referenceHz); }

    /** The dimensionless contact coupling g = 4π N a/ℓ (mean-field, ‖φ‖ = 1). */
    public double coupling() { return 4 * Math.PI * particles * scatteringLengthA0 * BOHR_M / lengthUnitM(); }

    public Interaction.Contact interaction() { return new Interaction.Contact(coupling()); }

    /**
     * The Thomas–Fermi radii R_d in units of ℓ: μ = ½(15 g̃)^{2/5} in units of ħω with g̃ = N a/ā
     * (ā the oscillator length of the geometric mean frequency, in units of ℓ: (f_ref/f̄)^{1/2}, f̄ the
     * geometric mean), R_d = √(2μ)/w_d. Zero or negative a gives the oscillator widths instead (no
     * Thomas–Fermi regime): R_d = 1/√w_d.
     */
    public double[] thomasFermiRadii() {
        double[] w = {fx / referenceHz, fy / referenceHz, fz / referenceHz};
        double fbar = Math.cbrt(fx * fy * fz);
        double abar = Math.sqrt(referenceHz / fbar);                       // ā/ℓ
        double naOverAbar = particles * scatteringLengthA0 * BOHR_M / lengthUnitM() / abar;
        double[] r = new double[3];
        if (!(naOverAbar > 0)) {
            for (int d = 0; d < 3; d++) r[d] = 1 / Math.sqrt(w[d]);
            return r;
        }
        double muOverHbarOmegaBar = 0.5 * Math.pow(15 * naOverAbar, 0.4);
        double mu = muOverHbarOmegaBar * (fbar / referenceHz);            // in units of ħω_ref
        for (int d = 0; d < 3; d++) r[d] = Math.sqrt(2 * mu) / w[d];
        return r;
    }

    /**
     * A cubic box that holds the cloud: 2.5 × the largest of the Thomas–Fermi radius and five
     * oscillator widths, per direction, in units of ℓ (a suggestion; the user's {@code --box} wins).
     */
    public double suggestedBox() {
        double[] tf = thomasFermiRadii();
        double[] w = {fx / referenceHz, fy / referenceHz, fz / referenceHz};
        double half = 0;
        for (int d = 0; d < 3; d++) half = Math.max(half, Math.max(tf[d], 5 / Math.sqrt(w[d])));
        return 2.5 * half;
    }

    /** Canonical spec, read back by {@link #parse}. */
    public String spec() {
        String who = species.equals("custom") ? "mass=" + massU : "species=" + species;
        return String.format(Locale.ROOT, "%s,fx=%s,fy=%s,fz=%s,n=%s,a=%s,fref=%s", who, fmt(fx), fmt(fy), fmt(fz), fmt(particles), fmt(scatteringLengthA0), fmt(referenceHz));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The mapping, for summary.json and the console: every unit in SI and the dimensionless parameters. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", spec());
        m.put("species", species);
        m.put("mass_u", massU);
        m.put("mass_kg", massKg());
        m.put("trap_hz", new double[]{fx, fy, fz});
        m.put("reference_hz", referenceHz);
        m.put("particles", particles);
        m.put("scattering_length_bohr", scatteringLengthA0);
        m.put("scattering_length_m", scatteringLengthA0 * BOHR_M);
        m.put("length_unit_m", lengthUnitM());
        m.put("time_unit_s", timeUnitS());
        m.put("energy_unit_j", energyUnitJ());
        m.put("energy_unit_k", energyUnitK());
        m.put("trap", trap().spec());
        m.put("interaction", interaction().spec());
        m.put("thomas_fermi_radii", thomasFermiRadii());
        m.put("constants", "CODATA 2022 (hbar from the exact h, m_u, a_0, k_B exact); isotope masses AME2020");
        return m;
    }

    /** One paragraph for the console. */
    public String summaryLine() {
        return String.format(Locale.ROOT, "physical units: %s, m = %.10g u; length unit %.6g um, time unit %.6g ms, energy unit hbar*omega = %.6g nK (f_ref = %s Hz); "
                        + "trap %s, interaction %s (g = 4 pi N a / l)",
                species, massU, lengthUnitM() * 1e6, timeUnitS() * 1e3, energyUnitK() * 1e9, fmt(referenceHz), trap().spec(), interaction().spec());
    }
}
