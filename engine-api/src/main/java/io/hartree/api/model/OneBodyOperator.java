package io.hartree.api.model;

import io.hartree.api.ParameterException;

/**
 * h = a(−Δ) + U(x). The kinetic factor in Fourier space is a|k|². The paper's model (3.3) is
 * {@link #paper(double)}: a = ν/2, U = (ν/2)(|x|² − 3), so inf σ(h_ν) = 0 with gap ν (3.6).
 */
public record OneBodyOperator(double kinetic, TrapPotential trap) {
    public OneBodyOperator {
        ParameterException.require(kinetic >= 0 && Double.isFinite(kinetic), "kinetic coefficient a", kinetic, "finite a >= 0");
        if (trap == null) trap = new TrapPotential.Free();
    }

    /** The paper's h_ν = (ν/2)(−Δ + |x|² − 3). */
    public static OneBodyOperator paper(double nu) {
        ParameterException.require(nu > 0 && Double.isFinite(nu), "--nu", nu, "finite ν > 0");
        double c = 0.5 * nu;
        return new OneBodyOperator(c, new TrapPotential.Harmonic(c, c, c, -3 * c));
    }
}
