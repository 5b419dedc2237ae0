package io.hartree.api.hartree;

import io.hartree.api.ParameterException;

/**
 * Splitting scheme. STRANG: e^{−iτT/2} e^{−iτW} e^{−iτT/2}, second order. FOURTH: the
 * Yoshida/Forest–Ruth triple-jump composition of Strang steps with weights w₁ = 1/(2 − 2^{1/3}),
 * w₀ = 1 − 2w₁, fourth order.
 */
public enum Scheme {
    STRANG, FOURTH;

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Scheme parse(String s) {
        for (Scheme m : values()) if (m.label().equalsIgnoreCase(s.trim())) return m;
        throw new ParameterException("--scheme", s, "strang | fourth");
    }
}
