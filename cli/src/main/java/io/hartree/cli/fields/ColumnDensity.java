package io.hartree.cli.fields;

import io.hartree.api.model.Grid3D;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The column densities of a state on the grid, the pictures absorption imaging takes:
 * n_z(x, y) = ∫|ψ(x, y, z)|² dz, n_y(x, z) = ∫|ψ|² dy, n_x(y, z) = ∫|ψ|² dx, each the Riemann sum
 * dx·Σ over the integrated axis (the sums of the engine's observables, so dx²·Σ n_d = dx³·Σ|ψ|² =
 * the norm N). Arrays are n² doubles in the z y x order of fields.h5 (the later axis fastest):
 * {@code alongZ[y][x]}, {@code alongY[z][x]}, {@code alongX[z][y]}, flattened row by row.
 *
 * @param n      points per axis
 * @param dx     grid spacing
 * @param alongZ n_z, index j·n + i (y_j, x_i)
 * @param alongY n_y, index k·n + i (z_k, x_i)
 * @param alongX n_x, index k·n + j (z_k, y_j)
 */
public record ColumnDensity(int n, double dx, double[] alongZ, double[] alongY, double[] alongX) {

    /**
     * The column densities of {@code psi} (2n³ interleaved doubles, x slowest, z fastest; long-indexed,
     * so any grid the memory holds). {@code psi} is not modified.
     */
    public static ColumnDensity of(Grid3D g, MemorySegment psi) {
        int n = g.n();
        double dx = g.dx();
        double[] z = new double[n * n], y = new double[n * n], x = new double[n * n];
        var D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
        double[] line = new double[2 * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                MemorySegment.copy(psi, D, g.complexIndex(i, j, 0) * Double.BYTES, line, 0, 2 * n);
                double sz = 0;
                for (int k = 0; k < n; k++) {
                    double re = line[2 * k], im = line[2 * k + 1];
                    double rho = (re * re + im * im) * dx;
                    sz += rho;
                    y[k * n + i] += rho;
                    x[k * n + j] += rho;
                }
                z[j * n + i] = sz;
            }
        return new ColumnDensity(n, dx, z, y, x);
    }

    /** dx²·Σ n_z: the norm ∫|ψ|² as a sum over the column density along z. */
    public double normAlongZ() { return dx * dx * sum(alongZ); }

    public double normAlongY() { return dx * dx * sum(alongY); }

    public double normAlongX() { return dx * dx * sum(alongX); }

    private static double sum(double[] v) {
        double s = 0;
        for (double a : v) s += a;
        return s;
    }
}
