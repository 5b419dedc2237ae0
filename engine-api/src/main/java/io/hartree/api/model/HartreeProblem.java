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
    }

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
