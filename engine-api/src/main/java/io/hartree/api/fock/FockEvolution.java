package io.hartree.api.fock;

import io.hartree.api.FockKernels;

import io.hartree.api.ParameterException;

import java.util.Locale;

/**
 * A state ψ(t) = e^{−iHt}ψ(0) advanced in steps, on a backend's {@link FockKernels}: the entry
 * point for callers (the {@code hartree fock} command, the studies). {@link Method#DENSE}
 * diagonalises H once (H = QΛQ^H, real symmetric path for real H) and applies
 * Q e^{−iΛτ}Q^Hψ per step; the Krylov methods run per step, with the tolerance per step, through one
 * {@link FockKernels#propagator} made at the first step (H set up on the backend once), and the
 * error estimates add up in {@link #errorEstimate()}. Close it to release that set-up.
 *
 * <pre>
 *   FockBasis basis = new FockBasis(n, 2);
 *   FockOperator h = FockHamiltonian.of(basis, ModeIntegrals.josephson(1, 1)).toCsr();
 *   try (FockEvolution ev = new FockEvolution(session.fock(), h, FockStates.fock(basis, new int[]{n, 0}), Method.AUTO, 1e-10)) {
 *       ev.advance(0.1);
 *       double[] gamma = FockObservables.gamma1(basis, ev.state());
 *   }
 * </pre>
 */
public final class FockEvolution implements AutoCloseable {
    /** How e^{−iHτ} is applied. */
    public enum Method {
        /** Dense for dimension ≤ {@link #DENSE_AUTO_LIMIT}, else the Krylov AUTO choice. */
        AUTO, DENSE, KRYLOV, LANCZOS, CHEBYSHEV;

        public static Method parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ParameterException("--method", s, "auto | dense | krylov | lanczos | chebyshev");
            }
        }
    }

    /** AUTO picks the dense eigendecomposition up to this dimension (O(d³) once, then O(d²) per step). */
    public static final int DENSE_AUTO_LIMIT = 1500;
    /** DENSE refuses larger dimensions (a d×d complex matrix and its eigenvectors). */
    public static final int DENSE_MAX = 8000;

    private final FockKernels kernels;
    private final FockOperator h;
    private final Method method;
    private final ExpmvOptions options;
    private final Expm.Eigen eigen;
    /** The backend's exp(−itH) for this H, made at the first Krylov step and reused by the others. */
    private FockKernels.Propagator propagator;
    private double[] psi;
    private double time;
    private double errorEstimate;
    private long matvecs;
    private double seconds;
    private String used;

    /** {@code psi0} is copied; {@code tol} is the Krylov tolerance of each step (2-norm, ‖ψ‖ = 1). */
    public FockEvolution(FockKernels kernels, FockOperator h, double[] psi0, Method method, double tol) {
        ParameterException.require(psi0.length == 2 * h.dimension(), "initial state", psi0.length / 2, h.dimension() + " amplitudes");
        this.kernels = kernels;
        this.h = h;
        this.psi = psi0.clone();
        Method m = method;
        if (m == Method.AUTO) m = h.dimension() <= DENSE_AUTO_LIMIT && h.asCsr().isPresent() ? Method.DENSE : Method.KRYLOV;
        if (m == Method.DENSE) {
            ParameterException.require(h.dimension() <= DENSE_MAX, "--method dense", h.dimension(), "dimension ≤ " + DENSE_MAX + " (use krylov)");
            CsrMatrix csr = h.asCsr().orElseThrow(() -> new ParameterException("--method dense", "needs the CSR operator"));
            this.eigen = Expm.Eigen.of(kernels, csr.toDense(), h.dimension());
        } else this.eigen = null;
        this.method = m;
        ExpmvOptions.Method km = switch (m) {
            case LANCZOS -> ExpmvOptions.Method.LANCZOS;
            case CHEBYSHEV -> ExpmvOptions.Method.CHEBYSHEV;
            default -> ExpmvOptions.Method.AUTO;
        };
        this.options = ExpmvOptions.of(tol).withMethod(km);
        this.used = m == Method.DENSE ? "dense (eigendecomposition)" : null;
    }

    /** ψ ← e^{−iHτ}ψ; returns the step's Krylov result (null for dense). */
    public ExpmvResult advance(double tau) {
        long t0 = System.nanoTime();
        ExpmvResult r = null;
        if (eigen != null) psi = eigen.apply(psi, tau);
        else {
            if (propagator == null) propagator = kernels.propagator(h);
            r = propagator.apply(psi, tau, options);
            errorEstimate += r.errorEstimate();
            matvecs += r.matvecs();
            used = r.method();
        }
        seconds += (System.nanoTime() - t0) / 1e9;
        time += tau;
        return r;
    }

    /** Releases the backend's Krylov set-up (device memory on a GPU); the results stay readable. */
    @Override
    public void close() {
        if (propagator != null) propagator.close();
        propagator = null;
    }

    /** The current state (live array: copy it to keep it). */
    public double[] state() { return psi; }

    public double time() { return time; }

    /** The resolved method: dense, lanczos or chebyshev. */
    public String method() { return used == null ? method.name().toLowerCase(Locale.ROOT) : used; }

    /** Sum of the Krylov error estimates so far (0 for dense: exact to round-off). */
    public double errorEstimate() { return errorEstimate; }

    public long matvecs() { return matvecs; }

    /** Seconds spent in the exponential actions alone. */
    public double seconds() { return seconds; }
}
