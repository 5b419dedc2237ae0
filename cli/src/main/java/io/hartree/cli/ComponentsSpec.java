package io.hartree.cli;

import io.hartree.api.ParameterException;
import io.hartree.api.model.Components;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.TrapPotential;
import io.hartree.api.model.TrapSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code --components} specification: K coupled components (docs/hartree.md, "Several components").
 * <pre>
 *   k=2;v11=1;v12=0.9;v22=1;rabi=0.5;trap2=harmonic:wx=1.1,wy=1.1,wz=1.1;initial2=gaussian:x0=1,0,0;pop=0.5,0.5
 * </pre>
 * Keys (separated by ';'; a piece that does not start with a key belongs to the value before it, so
 * initial specs keep their own ';'): {@code k} = 2 or 3 (required); {@code vIJ} = the strength of V_ij
 * as a factor of the run's {@code --interaction} (a number, default 1), or an interaction spec of the
 * same kind and shape as {@code --interaction} (e.g. {@code contact:g=0.9}; stored as the factor);
 * {@code rabi} = Ω_R (default 0); {@code trapI} = the trap of component I ({@code --trap}'s syntax,
 * same kinetic coefficient; default {@code --trap}); {@code initialI} = its initial state (default
 * {@code --initial}); {@code pop} = the populations p_i (default equal), the norms of the initial
 * components and, without Rabi, the norms imaginary time keeps. The canonical form (config.toml)
 * lists k, pop, rabi, every v_ij (i ≤ j), then the set traps and initial states.
 *
 * @param initials the initial spec of each component (canonical), null = the run's --initial
 */
record ComponentsSpec(Components components, String[] initials, String[] trapSpecs, String canonical) {
    private static final Pattern KEY = Pattern.compile("(k|rabi|pop|v[1-3][1-3]|trap[1-3]|initial[1-3])=.*");
    private static final String KEYS = "k, pop, rabi, vIJ, trapI, initialI (I, J = 1..k)";

    /** Parses and validates {@code text} for a run with this interaction, trap, ν and grid; blank = null (one component). */
    static ComponentsSpec parse(String text, Interaction v, TrapSpec runTrap, double nu, Grid3D grid) {
        if (text == null || text.isBlank()) return null;
        Map<String, String> kv = new LinkedHashMap<>();
        String last = null;
        for (String piece : text.trim().split(";")) {
            String p = piece.trim();
            if (p.isEmpty()) continue;
            if (KEY.matcher(p).matches()) {
                int eq = p.indexOf('=');
                last = p.substring(0, eq);
                if (kv.containsKey(last)) throw new ParameterException("--components", last, "each key once");
                kv.put(last, p.substring(eq + 1).trim());
            } else if (last != null && (last.startsWith("initial") || last.startsWith("trap"))) {
                kv.put(last, kv.get(last) + ";" + p);
            } else {
                throw new ParameterException("--components", p, "key=value with key one of " + KEYS);
            }
        }
        String ks = kv.get("k");
        if (ks == null) throw new ParameterException("--components", text, "k=2 or k=3 first (the number of components)");
        int k;
        try { k = Integer.parseInt(ks); } catch (NumberFormatException e) { throw new ParameterException("--components", "k=" + ks, "k = 2 or 3"); }
        ParameterException.require(k == 2 || k == 3, "--components", "k=" + ks, "k = 2 or 3");
        for (String key : kv.keySet()) {
            char last1 = key.charAt(key.length() - 1);
            if (Character.isDigit(last1) && (last1 - '0' > k || (key.startsWith("v") && key.charAt(1) - '0' > k)))
                throw new ParameterException("--components", key, "indices 1.." + k + " for k=" + k);
        }
        double[] c = new double[k * k];
        for (int i = 0; i < k; i++)
            for (int j = i; j < k; j++) {
                String a = kv.get("v" + (i + 1) + (j + 1)), b = kv.get("v" + (j + 1) + (i + 1));
                if (a != null && b != null && i != j && !a.equals(b))
                    throw new ParameterException("--components", "v" + (i + 1) + (j + 1) + "=" + a + ", v" + (j + 1) + (i + 1) + "=" + b, "one value for the symmetric pair");
                String s = a != null ? a : b;
                double f = s == null ? 1 : factor("v" + (i + 1) + (j + 1), s, v);
                c[i * k + j] = f;
                c[j * k + i] = f;
            }
        double rabi = number("rabi", kv.getOrDefault("rabi", "0"));
        double[] pop = new double[k];
        if (kv.containsKey("pop")) {
            String[] f = kv.get("pop").split(",");
            if (f.length != k) throw new ParameterException("--components", "pop=" + kv.get("pop"), k + " populations p_i >= 0 summing to 1");
            double sum = 0;
            for (int i = 0; i < k; i++) { pop[i] = number("pop", f[i]); sum += pop[i]; }
            ParameterException.require(Math.abs(sum - 1) <= 1e-9, "--components", "pop=" + kv.get("pop"), k + " populations p_i >= 0 summing to 1");
            for (int i = 0; i < k; i++) pop[i] /= sum;  // exactly 1 after the 1e-9 check
        } else java.util.Arrays.fill(pop, 1.0 / k);
        for (double p : pop) ParameterException.require(p >= 0, "--components", "pop=" + kv.get("pop"), "p_i >= 0 summing to 1");
        TrapPotential[] traps = new TrapPotential[k];
        String[] trapSpecs = new String[k];
        double a0 = runTrap.operator(nu, grid).kinetic();
        for (int i = 0; i < k; i++) {
            String s = kv.get("trap" + (i + 1));
            if (s == null) continue;
            TrapSpec t;
            OneBodyOperator h;
            try {
                t = TrapSpec.parse(s);
                h = t.operator(nu, grid);
            } catch (ParameterException e) {
                throw new ParameterException("--components", "trap" + (i + 1) + "=" + s, "a --trap spec (" + e.getMessage() + ")");
            }
            ParameterException.require(h.kinetic() == a0, "--components", "trap" + (i + 1) + "=" + s,
                    "a trap with the kinetic coefficient of --trap (a = " + a0 + "; this one has " + h.kinetic() + ")");
            traps[i] = h.trap();
            trapSpecs[i] = t.spec();
        }
        String[] initials = new String[k];
        for (int i = 0; i < k; i++) {
            String s = kv.get("initial" + (i + 1));
            if (s == null) continue;
            try {
                initials[i] = InitialState.parse(s).spec();
            } catch (ParameterException e) {
                throw new ParameterException("--components", "initial" + (i + 1) + "=" + s, "an --initial spec (" + e.getMessage() + ")");
            }
        }
        Components comps = new Components(k, c, rabi, traps, pop);
        List<String> out = new ArrayList<>();
        out.add("k=" + k);
        StringBuilder ps = new StringBuilder("pop=");
        for (int i = 0; i < k; i++) ps.append(i == 0 ? "" : ",").append(pop[i]);
        out.add(ps.toString());
        out.add("rabi=" + rabi);
        for (int i = 0; i < k; i++) for (int j = i; j < k; j++) out.add("v" + (i + 1) + (j + 1) + "=" + c[i * k + j]);
        for (int i = 0; i < k; i++) if (trapSpecs[i] != null) out.add("trap" + (i + 1) + "=" + trapSpecs[i]);
        for (int i = 0; i < k; i++) if (initials[i] != null) out.add("initial" + (i + 1) + "=" + initials[i]);
        return new ComponentsSpec(comps, initials, trapSpecs, String.join(";", out));
    }

    private static double number(String key, String s) {
        try {
            double d = Double.parseDouble(s.trim());
            ParameterException.require(Double.isFinite(d), "--components", key + "=" + s, "a finite number");
            return d;
        } catch (NumberFormatException e) {
            throw new ParameterException("--components", key + "=" + s, "a finite number");
        }
    }

    /** V_ij as a factor of V: a number, or a spec of V's kind with V's shape (the strengths' ratio). */
    static double factor(String key, String s, Interaction v) {
        try {
            double d = Double.parseDouble(s.trim());
            ParameterException.require(Double.isFinite(d), "--components", key + "=" + s, "a finite factor of --interaction");
            return d;
        } catch (NumberFormatException e) {
            // an interaction spec, below
        }
        String need = "a number (factor of --interaction " + v.spec() + ") or " + v.spec().split(":")[0] + ":... with the shape of --interaction";
        Interaction w;
        try {
            w = Interaction.parse(s.trim());
        } catch (ParameterException e) {
            throw new ParameterException("--components", key + "=" + s, need);
        }
        Double f = switch (v) {
            case Interaction.Contact a when w instanceof Interaction.Contact b && a.g() != 0 -> b.g() / a.g();
            case Interaction.Gaussian a when w instanceof Interaction.Gaussian b && a.sigma() == b.sigma() && a.lambda() != 0 -> b.lambda() / a.lambda();
            case Interaction.Yukawa a when w instanceof Interaction.Yukawa b && a.mu() == b.mu() && a.lambda() != 0 -> b.lambda() / a.lambda();
            case Interaction.Coulomb a when w instanceof Interaction.Coulomb b && a.lambda() != 0 -> b.lambda() / a.lambda();
            default -> null;
        };
        if (f == null) throw new ParameterException("--components", key + "=" + s, need);
        return f;
    }

    @Override
    public String toString() { return canonical; }

    static String fmt(double d) { return String.format(Locale.ROOT, "%s", d); }
}
