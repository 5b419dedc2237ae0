package io.hartree.api.model;

import io.hartree.api.ParameterException;

/**
 * Splitting scheme. STRANG: e^{−iτT/2} e^{−iτW} e^{−iτT/2}, second order. FOURTH: the
 * Yoshida/Forest–Ruth triple-jump composition of Strang steps with weights w₁ = 1/(2 − 2^{1/3}),
 * w₀ = 1 − 2w₁, fourth order.
 */
public enum Scheme {
    STRANG, FOURTH;

    /** The triple jump's weights (Yoshida 1990, eq. (5.19)): w₁ = 1/(2 − 2^{1/3}), w₀ = 1 − 2w₁. */
    public static final double W1 = 1 / (2 - Math.cbrt(2)), W0 = 1 - 2 * W1;

    /** The Strang substeps of one step, as fractions of dt: {1} or {w₁, w₀, w₁}. */
    public double[] weights() { return this == FOURTH ? new double[]{W1, W0, W1} : new double[]{1}; }

    /**
     * Whether a step of this scheme takes its mean field from the normalised density at the start
     * of the step: imaginary-time Strang with an interaction (both backends; docs/hartree.md,
     * "imaginary time"). {@code interacting}: the convolution kernel is not NONE.
     */
    public boolean startOfStepDensity(TimeMode time, boolean interacting) {
        return time == TimeMode.IMAGINARY && this == STRANG && interacting;
    }

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Scheme parse(String s) {
        for (Scheme m : values()) if (m.label().equalsIgnoreCase(s.trim())) return m;
        throw new ParameterException("--scheme", s, "strang | fourth");
    }
}
