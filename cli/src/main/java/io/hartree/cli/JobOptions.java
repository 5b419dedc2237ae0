package io.hartree.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options shared by {@code hartree run} and {@code hartree ground-state}. Every option is
 * {@code null} unless given, so that a {@code --config} file's values are overridden only by
 * options the user actually typed (see {@link RunConfig}).
 */
final class JobOptions {
    @Option(names = "--backend", paramLabel = "auto|cpu|cuda", description = "Backend (default: $HARTREE_BACKEND, else auto: the available backend of highest priority).")
    String backend;

    @Option(names = "--precision", paramLabel = "double|single", description = "Floating-point precision of the device arrays (default double).")
    String precision;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads, 0 = all cores (default 0).")
    Integer threads;

    @Option(names = "--grid", paramLabel = "N", description = "Grid points per axis, even, 4..4096 (default 64).")
    Integer grid;

    @Option(names = "--box", paramLabel = "L", description = "Box side: the periodic box is [-L/2, L/2)^3 (default 16).")
    Double box;

    @Option(names = "--nu", paramLabel = "NU", description = "nu of the paper's h_nu = (nu/2)(-Laplacian + |x|^2 - 3), > 0 (default 10); only with --trap paper.")
    Double nu;

    @Option(names = "--trap", paramLabel = "SPEC", description = {
            "The trap, i.e. the one-body operator h (default paper):",
            "  paper: the paper's h_nu = (nu/2)(-Laplacian + |x|^2 - 3), nu from --nu;",
            "  harmonic:wx=WX,wy=WY,wz=WZ: h = -Laplacian/2 + (wx^2 x^2 + wy^2 y^2 + wz^2 z^2)/2 (ground energy (wx+wy+wz)/2);",
            "  doublewell:wx=WX,wy=WY,wz=WZ,v0=V0,s=S: the harmonic h plus the barrier V0 exp(-x^2/(2 s^2)) along x;",
            "  table:U.npy: h = -Laplacian/2 + U, U a float64 array of shape (n,n,n) on the run's grid (C order, finite).",
            "  w_d > 0 default 1 (w=W sets all three); v0 >= 0 and s > 0 are required. Not paper: --nu is refused."})
    String trap;

    @Option(names = "--interaction", paramLabel = "SPEC", description = io.hartree.api.model.Interaction.ALLOWED + " (default gaussian:lambda=1,sigma=1). dipolar: V = (cdd/4pi)(1 - 3cos^2)/r^3 along the axis;"
            + " the cutoff R is at most L/2 (--conv periodic, default none) or L (padded, truncated; default L). lhy: the local term gamma|psi|^3 of the mean field."
            + " See docs/hartree.md, 'Dipolar interaction, sums and the LHY term'.")
    String interaction;

    @Option(names = "--conv", paramLabel = "MODE", description = "Convolution V*|phi|^2: periodic | padded | truncated (default periodic).")
    String conv;

    @Option(names = "--scheme", paramLabel = "strang|fourth", description = "Splitting scheme (default strang).")
    String scheme;

    @Option(names = "--initial", paramLabel = "SPEC", description = "Initial state: ground (phi0 = pi^(-3/4) exp(-|x|^2/2), the default) | gaussian:x0=X,Y,Z;p0=PX,PY,PZ (displaced, boosted phi0) | npy:FILE.npy (complex128 or float64, shape (n,n,n)) | eigen:J (the J-th grid eigenmode of this run's --trap) | eigen:J1,J2,...;n=N1,N2,...;theta=T1,T2,... (sum of sqrt(n_j/sum n) exp(-i theta_j) phi_Jj) | localised:I,J;sign=1|-1 ((phi_I +- phi_J)/sqrt 2).")
    String initial;

    @Option(names = "--dt", paramLabel = "DT", description = "Time step, > 0 (default 1e-3).")
    Double dt;

    @Option(names = "--observe-every", paramLabel = "STEPS", description = "Record the observables every this many steps; 0 = automatic (the default: about 100 rows per run; ground-state 10).")
    Integer observeEvery;

    @Option(names = "--checkpoint-every", paramLabel = "SECONDS", description = "Wall-clock seconds between checkpoints (default 600).")
    Double checkpointEvery;

    @Option(names = "--physical", paramLabel = "SPEC", description = {
            "An experiment in physical units, mapped to the dimensionless GP form (units hbar = m = omega_ref = 1, printed and written",
            "to config.toml and summary.json): species=rb87|na23|k39|k41|li7|rb85|cs133 (or mass=M in u), fx=,fy=,fz= trap frequencies in Hz",
            "(f= for all three), n= particle number, a= s-wave scattering length in Bohr radii[, fref= reference frequency, default the",
            "geometric mean]. Sets --trap harmonic:wx=fx/fref,... and --interaction contact:g=4*pi*N*a/l, and, unless --box is given, a box",
            "that holds the Thomas-Fermi cloud. Example: --physical species=rb87,f=100,n=1e5,a=100."})
    String physical;

    @Option(names = "--rotation", paramLabel = "OMEGA", description = "Rotating frame: h -> h - OMEGA L_z, L_z = -i(x d/dy - y d/dx), about the z axis (default 0: none).")
    Double rotation;

    @Option(names = "--damping", paramLabel = "GAMMA", description = "Phenomenological damping: (i - GAMMA) d/dt phi = (H - mu) phi, GAMMA >= 0 (default 0: none).")
    Double damping;

    @Option(names = "--drive", paramLabel = "SPEC", description = "Time dependence of the one-body terms (trap parameters, barrier height); see docs/hartree.md (default: none).")
    String drive;

    @Option(names = "--components", paramLabel = "SPEC", description = "Several components (K = 2, 3) with their coupling matrix; see docs/hartree.md (default: one component).")
    String components;

    @Option(names = "--snapshot-every", paramLabel = "T", description = {
            "Write the state every T (time units; ground-state: imaginary time) and at the end into fields.h5, with fields.xdmf for ParaView",
            "(re, im, density and phase per snapshot), snapshots/column_NNNNNN.png and column_density.gif; written on a background thread",
            "(n <= 512); T must be a multiple of dt (ground-state: of observe_every*dt). Default: no snapshots."})
    Double snapshotEvery;

    @Option(names = "--config", paramLabel = "FILE.toml", description = "Read the parameters from a config.toml (options given here override it).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder to create (default runs/<command>-YYYYMMDD-HHMMSS).")
    Path out;

    @Option(names = "--force", description = "Write into --out even if it exists (its earlier results are deleted).")
    boolean force;

    @Option(names = "--dry-run", description = "Print the resolved configuration and the memory plan (host and device bytes of each array) and exit; nothing is written.")
    boolean dryRun;

    /**
     * The validated run of {@code command} ("run" or "ground-state"): its defaults, then the
     * {@code --config} file (which must be a {@code command} configuration), then {@code given}
     * (the options typed, see {@link #given}), with its specs in canonical form.
     */
    RunSpec resolve(String command, RunConfig.Overrides given) {
        RunConfig cfg = RunConfig.defaults(command);
        RunConfig.Overrides file = null;
        if (config != null) {
            file = RunConfig.Overrides.read(config);
            String cmd = file.command() != null ? file.command() : command;
            if (!command.equals(cmd))
                throw new io.hartree.api.ParameterException("--config", config + " is a '" + cmd + "' configuration; allowed: command = \"" + command
                        + "\" (use hartree " + cmd + " --config)");
            cfg = cfg.overlay(file);
        }
        RunConfig resolved = cfg.overlay(given).resolveAuto();
        resolved = RunSpec.applyPhysical(resolved, file, given);
        RunSpec.requireNuUsed(resolved, file, given);
        return RunSpec.of(resolved);
    }

    /** The options that were given (null where not), with the command's own: time (run), tol and max_steps (ground-state). */
    RunConfig.Overrides given(String command, Double time, Double tol, Integer maxSteps) {
        return new RunConfig.Overrides(command, backend, precision, threads, grid, box, nu, trap, interaction, conv, scheme, initial, dt, time,
                observeEvery, checkpointEvery, tol, maxSteps, physical, rotation, damping, drive, components);
    }

    /**
     * --dry-run: prints the resolved configuration and the memory plan on the backend that would
     * be taken (opened only to read its free memory) and writes nothing.
     */
    static int dryRun(RunSpec spec, java.io.PrintStream out) {
        io.hartree.api.Backends.Selection sel = io.hartree.api.Backends.select(spec.config().backend());
        try (io.hartree.api.BackendSession s = sel.backend().open(new io.hartree.api.SessionOptions(spec.precision(), spec.config().threads(), 0))) {
            Job.Planned p = Job.plan(spec, s);
            out.print(spec.withBackend(sel.backend().name()).config().toToml());
            out.println();
            out.print(p.plan().describe(p.available()));
            if (p.fits()) out.println("fits: yes (dry run: nothing written)");
            else {
                out.println("fits: NO\n  - " + String.join("\n  - ", p.plan().problems(p.available())));
                out.println("what to change: " + p.plan().advice());
            }
        }
        return 0;
    }
}
