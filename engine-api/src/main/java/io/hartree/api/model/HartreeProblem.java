package io.hartree.api.model;

import io.hartree.api.ParameterException;

/**
 * Everything a propagator needs: grid, h, V, convolution mode, scheme, real/imaginary time, dt, and
 * the terms beyond the paper's equation ({@link GpTerms}: rotation, damping, ...; none by default).
 */
public record HartreeProblem(Grid3D grid, OneBodyOperator h, Interaction interaction, ConvolutionMode convolution,
                             Scheme scheme, TimeMode timeMode, double dt, GpTerms terms) {
    public HartreeProblem {
        ParameterException.require(dt > 0 && Double.isFinite(dt), "--dt", dt, "finite dt > 0");
        if (interaction == null) interaction = new Interaction.None();
        if (convolution == null) convolution = ConvolutionMode.PERIODIC;
        if (scheme == null) scheme = Scheme.STRANG;
        if (timeMode == null) timeMode = TimeMode.REAL;
        if (terms == null) terms = GpTerms.NONE;
        // The coupled phase of several components has no LHY term (yet): refused, not ignored.
        ParameterException.require(terms.components() == null || Interaction.lhyGamma(interaction) == 0, "--components", "k=" + terms.componentCount(),
                "one component with an lhy: term in --interaction (several components have no LHY term yet)");
        // A dipolar cutoff is bounded by the box (refused here, before anything is written).
        for (Interaction t : interaction instanceof Interaction.Sum s ? s.terms() : java.util.List.of(interaction))
            if (t instanceof Interaction.Dipolar d) d.cutoffIn(grid.length(), convolution);
        if (timeMode == TimeMode.IMAGINARY && terms.rotation() != 0) {
            // The imaginary-time rotation factors reach e^{τ|Ω|(L/2)k_max} (io.hartree.api.hartree.Rotation).
            double w = 0;
            for (double x : scheme.weights()) w = Math.max(w, Math.abs(x));
            double bound = ROTATION_IMAGINARY_BOUND / (w * Math.abs(terms.rotation()) * 0.5 * grid.length() * grid.kMax());
            ParameterException.require(dt <= bound, "--dt", dt, String.format(java.util.Locale.ROOT,
                    "dt <= %.6g with --rotation %s in imaginary time (dt·max|w|·|Omega|·(L/2)·k_max <= %s, k_max = pi/dx)",
                    bound, terms.rotation(), ROTATION_IMAGINARY_BOUND));
        }
    }

    /** The largest τ|Ω|(L/2)k_max of an imaginary-time rotating step (τ = dt·max|w_q|): the split factors stay below e^1. */
    public static final double ROTATION_IMAGINARY_BOUND = 1.0;

    /** The paper's equation: no term beyond h and V. */
    public HartreeProblem(Grid3D grid, OneBodyOperator h, Interaction interaction, ConvolutionMode convolution,
                          Scheme scheme, TimeMode timeMode, double dt) {
        this(grid, h, interaction, convolution, scheme, timeMode, dt, GpTerms.NONE);
    }

    /** This problem with other terms beyond the paper's equation. */
    public HartreeProblem withTerms(GpTerms t) {
        return new HartreeProblem(grid, h, interaction, convolution, scheme, timeMode, dt, t);
    }
}
