package io.hartree.api.model;

import io.hartree.api.ParameterException;

/**
 * The terms of a Gross–Pitaevskii/Hartree problem beyond the paper's i∂tφ = hφ + (V*|φ|²)φ, each
 * 0 (absent) by default; conventions and units in docs/hartree.md.
 *
 * @param rotation Ω of the rotating frame: h → h − Ω L_z, L_z = −i(x∂_y − y∂_x) (ħ = 1)
 * @param damping  γ ≥ 0 of the phenomenological damping (i − γ)∂tφ = (H − μ)φ
 * @param components several coupled components ({@link Components}), or null for one
 */
public record GpTerms(double rotation, double damping, Components components) {
    /** No term beyond the paper's equation. */
    public static final GpTerms NONE = new GpTerms(0, 0);

    /** Rotation and damping, one component. */
    public GpTerms(double rotation, double damping) { this(rotation, damping, null); }

    /** This with K coupled components (null: one component). */
    public GpTerms withComponents(Components c) { return new GpTerms(rotation, damping, c); }

    /** The number of components K (1 without {@link Components}). */
    public int componentCount() { return components == null ? 1 : components.k(); }

    public GpTerms {
        ParameterException.require(Double.isFinite(rotation), "--rotation", rotation, "finite Ω (0 = no rotation)");
        ParameterException.require(damping >= 0 && Double.isFinite(damping), "--damping", damping, "finite γ >= 0 (0 = no damping)");
    }

    /** Whether every term is absent (the paper's equation). */
    public boolean none() { return equals(NONE); }

    public GpTerms withRotation(double omega) { return new GpTerms(omega, damping, components); }

    public GpTerms withDamping(double gamma) { return new GpTerms(rotation, gamma, components); }
}
