package io.hartree.api.model;

import io.hartree.api.ParameterException;

/** Everything a propagator needs: grid, h, V, convolution mode, scheme, real/imaginary time and dt. */
public record HartreeProblem(Grid3D grid, OneBodyOperator h, Interaction interaction, ConvolutionMode convolution,
                             Scheme scheme, TimeMode timeMode, double dt) {
    public HartreeProblem {
        ParameterException.require(dt > 0 && Double.isFinite(dt), "--dt", dt, "finite dt > 0");
        if (interaction == null) interaction = new Interaction.None();
        if (convolution == null) convolution = ConvolutionMode.PERIODIC;
        if (scheme == null) scheme = Scheme.STRANG;
        if (timeMode == null) timeMode = TimeMode.REAL;
    }
}
