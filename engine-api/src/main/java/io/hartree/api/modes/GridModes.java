package io.hartree.api.modes;

import io.hartree.api.HostTransforms;
import io.hartree.api.ParameterException;
import io.hartree.api.fock.HermitianEigen;
import io.hartree.api.fock.ModeIntegrals;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;

import java.util.Arrays;
import java.util.List;

/**
 * An orthonormal set of grid functions χ_0 … χ_{M−1} on {@code grid} (C order, n³ values each),
 * orthonormal in the grid inner product ⟨f, g⟩ = dx³ Σ_x conj(f(x)) g(x). {@code im} is null for a
 * real set. {@code energies[i]} is ⟨χ_i, hχ_i⟩ for modes made by {@link GridEigensolver} (NaN for a
 * user set), {@code parity[i][d]} the parity of χ_i under x_d → −x_d on the grid (index j → (n − j)
 * mod n): +1, −1, or 0 when χ_i has none (|⟨χ_i, P_dχ_i⟩| below 1 − 1e-8).
 */
public record GridModes(Grid3D grid, double[][] re, double[][] im, double[] energies, int[][] parity, String description) {
    /** How a user-given set is made orthonormal. */
    public enum Orthonormalisation {
        /** Löwdin's symmetric S^{−1/2}: the orthonormal set closest to the input in the least-squares sense, independent of order. */
        LOWDIN,
        /** Classical Gram–Schmidt applied twice ("CGS2", orthonormal to round-off): keeps χ_0 ∝ f_0, order-dependent. */
        GRAM_SCHMIDT
    }

    public GridModes {
        ParameterException.require(grid != null, "grid", grid, "a Grid3D");
        ParameterException.require(re != null && re.length >= 1, "modes", re == null ? null : re.length, "at least one mode");
        int n3 = grid.hostRealLength();
        for (double[] r : re) ParameterException.require(r != null && r.length == n3, "mode length", r == null ? null : r.length, "n³ = " + n3);
        if (im != null) {
            ParameterException.require(im.length == re.length, "imaginary parts", im.length, re.length + " arrays (one per mode)");
            for (double[] r : im) ParameterException.require(r != null && r.length == n3, "mode length", r == null ? null : r.length, "n³ = " + n3);
        }
        ParameterException.require(energies != null && energies.length == re.length, "energies", energies == null ? null : energies.length, re.length + " values");
        ParameterException.require(parity != null && parity.length == re.length, "parity", parity == null ? null : parity.length, re.length + " rows");
    }

    public int count() { return re.length; }

    public boolean isReal() { return im == null; }

    /** The lowest {@code m} eigenfunctions of h on the grid; see {@link GridEigensolver}. */
    public static GridModes lowest(OneBodyOperator h, Grid3D grid, int m, HostTransforms fft) {
        return GridEigensolver.solve(new GridOperator(grid, h, fft), m, GridEigensolver.DEFAULT_TOL).modes();
    }

    /** The first {@code m} modes (a nested, smaller basis). */
    public GridModes first(int m) {
        ParameterException.require(m >= 1 && m <= count(), "modes", m, "1 … " + count());
        return new GridModes(grid, Arrays.copyOf(re, m), im == null ? null : Arrays.copyOf(im, m), Arrays.copyOf(energies, m),
                Arrays.copyOf(parity, m), description + ", first " + m);
    }

    /** h_ij and V_ijkl in these modes; see {@link GridIntegrals}. */
    public ModeIntegrals integrals(OneBodyOperator h, Interaction v, HostTransforms fft) {
        return GridIntegrals.compute(this, h, v, fft, GridIntegrals.DEFAULT_THRESHOLD).integrals();
    }

    /**
     * Any set of grid functions f_0 … f_{M−1} (real when {@code im} is null), made orthonormal by
     * {@code how}. Refused (ParameterException "modes") when they are linearly dependent: the
     * smallest eigenvalue of the overlap S_ij = ⟨f_i, f_j⟩ below 1e-10 of the largest.
     */
    public static GridModes orthonormalised(Grid3D grid, List<double[]> re, List<double[]> im, Orthonormalisation how) {
        ParameterException.require(re != null && !re.isEmpty(), "modes", re == null ? null : re.size(), "at least one grid function");
        int m = re.size();
        double[][] r = new double[m][], i = im == null ? null : new double[m][];
        for (int a = 0; a < m; a++) {
            r[a] = re.get(a).clone();
            if (i != null) i[a] = im.get(a).clone();
        }
        new GridModes(grid, r, i, new double[m], new int[m][3], "check"); // validates lengths
        checkIndependent(grid, r, i);
        if (how == Orthonormalisation.GRAM_SCHMIDT) {
            for (int pass = 0; pass < 2; pass++) gramSchmidt(grid, r, i);
        } else lowdin(grid, r, i);
        double[] e = new double[m];
        Arrays.fill(e, Double.NaN);
        return new GridModes(grid, r, i, e, parities(grid, r, i), m + " grid functions orthonormalised (" + how + ")");
    }

    /** The Gram matrix G_ij = ⟨χ_i, χ_j⟩ (interleaved complex, M×M); the identity for an orthonormal set. */
    public double[] overlap() {
        return gram(grid, re, im);
    }

    static double[] gram(Grid3D grid, double[][] re, double[][] im) {
        int m = re.length;
        double dv = grid.dV();
        double[] s = new double[2 * m * m];
        for (int a = 0; a < m; a++)
            for (int b = a; b < m; b++) {
                double sr = 0, si = 0;
                double[] ar = re[a], br = re[b];
                for (int x = 0; x < ar.length; x++) sr += ar[x] * br[x];
                if (im != null) {
                    double[] ai = im[a], bi = im[b];
                    for (int x = 0; x < ar.length; x++) {
                        sr += ai[x] * bi[x];
                        si += ar[x] * bi[x] - ai[x] * br[x];
                    }
                }
                s[2 * (a * m + b)] = sr * dv;
                s[2 * (a * m + b) + 1] = si * dv;
                s[2 * (b * m + a)] = sr * dv;
                s[2 * (b * m + a) + 1] = -si * dv;
            }
        return s;
    }

    private static void checkIndependent(Grid3D grid, double[][] r, double[][] i) {
        int m = r.length;
        double[] ev = HermitianEigen.eigenvalues(gram(grid, r, i), m);
        if (!(ev[0] > 1e-10 * ev[m - 1]))
            throw new ParameterException("modes", "the " + m + " grid functions are linearly dependent (overlap eigenvalues "
                    + ev[0] + " … " + ev[m - 1] + ", need the smallest above 1e-10 of the largest)");
    }

    private static void gramSchmidt(Grid3D grid, double[][] r, double[][] im) {
        double dv = grid.dV();
        int n3 = r[0].length;
        for (int a = 0; a < r.length; a++) {
            for (int b = 0; b < a; b++) {
                // c = ⟨χ_b, f_a⟩; f_a −= c χ_b
                double cr = 0, ci = 0;
                for (int x = 0; x < n3; x++) cr += r[b][x] * r[a][x];
                if (im != null) for (int x = 0; x < n3; x++) {
                    cr += im[b][x] * im[a][x];
                    ci += r[b][x] * im[a][x] - im[b][x] * r[a][x];
                }
                cr *= dv;
                ci *= dv;
                for (int x = 0; x < n3; x++) r[a][x] -= cr * r[b][x] - (im == null ? 0 : ci * im[b][x]);
                if (im != null) for (int x = 0; x < n3; x++) im[a][x] -= cr * im[b][x] + ci * r[b][x];
            }
            double nn = 0;
            for (int x = 0; x < n3; x++) nn += r[a][x] * r[a][x] + (im == null ? 0 : im[a][x] * im[a][x]);
            double f = 1 / Math.sqrt(nn * dv);
            for (int x = 0; x < n3; x++) r[a][x] *= f;
            if (im != null) for (int x = 0; x < n3; x++) im[a][x] *= f;
        }
    }

    /**
     * χ_a = Σ_b f_b (S^{−1/2})_ba. For complex sets S = B + iC is embedded as the real symmetric
     * [[B, −C], [C, B]], of which S^{−1/2} is the embedding of S^{−1/2}.
     */
    private static void lowdin(Grid3D grid, double[][] r, double[][] im) {
        int m = r.length, m2 = 2 * m;
        double[] s = gram(grid, r, im);
        double[] e = new double[m2 * m2];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++) {
                double re = s[2 * (a * m + b)], ii = s[2 * (a * m + b) + 1];
                e[a * m2 + b] = re; e[(a + m) * m2 + b + m] = re;
                e[(a + m) * m2 + b] = ii; e[a * m2 + b + m] = -ii;
            }
        double[] vec = new double[m2 * m2];
        double[] w = HermitianEigen.symmetricEigenvalues(e, m2, vec);
        double[] f = new double[m2 * m2];
        for (int a = 0; a < m2; a++)
            for (int b = 0; b < m2; b++) {
                double acc = 0;
                for (int c = 0; c < m2; c++) acc += vec[a * m2 + c] * vec[b * m2 + c] / Math.sqrt(w[c]);
                f[a * m2 + b] = acc;
            }
        // T = S^{−1/2} = X + iY with X = f[0..m, 0..m], Y = f[m.., 0..m]; χ_a = Σ_b f_b T_ba.
        int n3 = r[0].length;
        double[][] nr = new double[m][n3], ni = im == null ? null : new double[m][n3];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++) {
                double tr = f[b * m2 + a], ti = f[(b + m) * m2 + a];
                for (int x = 0; x < n3; x++) nr[a][x] += tr * r[b][x] - (im == null ? 0 : ti * im[b][x]);
                if (im != null) for (int x = 0; x < n3; x++) ni[a][x] += tr * im[b][x] + ti * r[b][x];
            }
        for (int a = 0; a < m; a++) {
            r[a] = nr[a];
            if (im != null) im[a] = ni[a];
        }
    }

    /** parity[i][d] ∈ {+1, −1, 0}: see the record's description. */
    static int[][] parities(Grid3D grid, double[][] re, double[][] im) {
        int m = re.length;
        int[][] p = new int[m][3];
        double dv = grid.dV();
        for (int a = 0; a < m; a++)
            for (int d = 0; d < 3; d++) {
                double v = dot(reflect(grid, re[a], d), re[a]);
                if (im != null) v += dot(reflect(grid, im[a], d), im[a]);
                v *= dv;
                p[a][d] = Math.abs(v - 1) < 1e-8 ? 1 : Math.abs(v + 1) < 1e-8 ? -1 : 0;
            }
        return p;
    }

    /** (P_d f)(x) = f(x with x_d → −x_d), on the grid index j → (n − j) mod n along axis d. */
    static double[] reflect(Grid3D grid, double[] f, int axis) {
        int n = grid.n();
        double[] out = new double[f.length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) {
                    int ri = axis == 0 ? (n - i) % n : i, rj = axis == 1 ? (n - j) % n : j, rk = axis == 2 ? (n - k) % n : k;
                    out[(i * n + j) * n + k] = f[(ri * n + rj) * n + rk];
                }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int x = 0; x < a.length; x++) s += a[x] * b[x];
        return s;
    }
}
