package io.hartree.api.model;

import io.hartree.api.ParameterException;

/**
 * The terms of a Gross–Pitaevskii/Hartree problem beyond the paper's i∂tφ = hφ + (V*|φ|²)φ, each
 * 0 (absent) by default; conventions and units in docs/hartree.md.
 *
 * @param rotation Ω of the rotating frame: h → h − Ω L_z, L_z = −i(x∂_y − y∂_x) (ħ = 1)
 * @param damping  γ ≥ 0 of the phenomenological damping (i − γ)∂tφ = (H − μ)φ, μ(t) keeping the norm (real time)
 * @param drive    time-dependent trap parameters ({@link Drive}, bound to the problem's trap), or null
 */
public record GpTerms(double rotation, double damping, Drive drive) {
    /** No term beyond the paper's equation. */
    public static final GpTerms NONE = new GpTerms(0, 0);

    /** Rotation and damping, no drive. */
    public GpTerms(double rotation, double damping) { this(rotation, damping, null); }

    public GpTerms {
        ParameterException.require(Double.isFinite(rotation), "--rotation", rotation, "finite Ω (0 = no rotation)");
        ParameterException.require(damping >= 0 && Double.isFinite(damping), "--damping", damping, "finite γ >= 0 (0 = no damping)");
        ParameterException.require(drive == null || drive.trap() != null, "--drive", drive == null ? null : drive.spec(), "a drive bound to the trap (Drive.bind)");
    }

    /** Whether every term is absent (the paper's equation). */
    public boolean none() { return equals(NONE); }

    public GpTerms withRotation(double omega) { return new GpTerms(omega, damping, drive); }

    public GpTerms withDamping(double gamma) { return new GpTerms(rotation, gamma, drive); }

    public GpTerms withDrive(Drive d) { return new GpTerms(rotation, damping, d); }
}
