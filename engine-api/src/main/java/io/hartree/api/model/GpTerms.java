package io.hartree.api.model;

import io.hartree.api.ParameterException;

/**
 * The terms of a Gross–Pitaevskii/Hartree problem beyond the paper's i∂tφ = hφ + (V*|φ|²)φ, each
 * 0 (absent) by default; conventions and units in docs/hartree.md.
 *
 * @param rotation Ω of the rotating frame: h → h − Ω L_z, L_z = −i(x∂_y − y∂_x) (ħ = 1)
 * @param damping  γ ≥ 0 of the phenomenological damping (i − γ)∂tφ = (H − μ)φ, μ(t) keeping the norm (real time)
 * @param drive    time-dependent trap parameters ({@link Drive}, bound to the problem's trap), or null
 * @param components several coupled components ({@link Components}), or null for one
 */
public record GpTerms(double rotation, double damping, Drive drive, Components components) {
    /** No term beyond the paper's equation. */
    public static final GpTerms NONE = new GpTerms(0, 0);

    /** Rotation and damping, no drive, one component. */
    public GpTerms(double rotation, double damping) { this(rotation, damping, null, null); }

    /** Rotation, damping and a drive, one component. */
    public GpTerms(double rotation, double damping, Drive drive) { this(rotation, damping, drive, null); }

    /** This with K coupled components (null: one component). */
    public GpTerms withComponents(Components c) { return new GpTerms(rotation, damping, drive, c); }

    /** The number of components K (1 without {@link Components}). */
    public int componentCount() { return components == null ? 1 : components.k(); }

    public GpTerms {
        ParameterException.require(Double.isFinite(rotation), "--rotation", rotation, "finite Ω (0 = no rotation)");
        ParameterException.require(damping >= 0 && Double.isFinite(damping), "--damping", damping, "finite γ >= 0 (0 = no damping)");
        // Combinations the one algorithm does not compose yet are refused, not ignored.
        ParameterException.require(rotation == 0 || (damping == 0 && drive == null), "--rotation", rotation,
                "0 with --damping or --drive (the rotating frame is not combined with them yet)");
        ParameterException.require(components == null || (damping == 0 && drive == null), "--components", components == null ? null : "k=" + components.k(),
                "one component with --damping or --drive (several components are not combined with them yet)");
        ParameterException.require(drive == null || drive.trap() != null, "--drive", drive == null ? null : drive.spec(), "a drive bound to the trap (Drive.bind)");
    }

    /** Whether every term is absent (the paper's equation). */
    public boolean none() { return equals(NONE); }

    public GpTerms withRotation(double omega) { return new GpTerms(omega, damping, drive, components); }

    public GpTerms withDamping(double gamma) { return new GpTerms(rotation, gamma, drive, components); }

    public GpTerms withDrive(Drive d) { return new GpTerms(rotation, damping, d, components); }
}
