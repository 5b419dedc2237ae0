package io.hartree.api.fragment;

/**
 * Eigenpairs of a small complex Hermitian matrix by cyclic complex Jacobi rotations: each
 * off-diagonal entry a_pq = r e^{iφ} is first made real by the diagonal unitary that multiplies
 * basis vector q by e^{−iφ}, then removed by a real plane rotation. Accurate to a few ulps of
 * ‖A‖ (the eigenvectors to ulps over the gap), cost O(n³) per sweep. For Gram matrices of phase
 * samples (n ≤ a few hundred); engine-api's {@code HermitianEigen} gives eigenvalues only.
 */
final class HermitianEigenpairs {
    /** Eigenvalues, descending, and eigenvectors: {@code vectors[i]} (interleaved, length 2n) belongs to {@code values[i]}. */
    record Result(double[] values, double[][] vectors) {}

    private HermitianEigenpairs() {}

    /** Of the Hermitian n×n {@code a} (interleaved, row-major; not modified; symmetrised first). */
    static Result of(double[] a, int n) {
        double[][] re = new double[n][n], im = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                re[i][j] = 0.5 * (a[2 * (i * n + j)] + a[2 * (j * n + i)]);
                im[i][j] = 0.5 * (a[2 * (i * n + j) + 1] - a[2 * (j * n + i) + 1]);
            }
        double[][] vr = new double[n][n], vi = new double[n][n];
        for (int i = 0; i < n; i++) vr[i][i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++) {
                diag += re[i][i] * re[i][i];
                for (int j = i + 1; j < n; j++) off += re[i][j] * re[i][j] + im[i][j] * im[i][j];
            }
            if (off <= 1e-32 * Math.max(diag, 1e-300)) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) {
                    double r = Math.hypot(re[p][q], im[p][q]);
                    if (r == 0) continue;
                    // D = diag(.., e^{−iφ} at q, ..): A ← D†AD makes a_pq = r real.
                    double cr = re[p][q] / r, ci = im[p][q] / r; // e^{iφ}
                    for (int k = 0; k < n; k++) {
                        // column q times e^{−iφ}
                        double x = re[k][q], y = im[k][q];
                        re[k][q] = x * cr + y * ci;
                        im[k][q] = y * cr - x * ci;
                        double vx = vr[k][q], vy = vi[k][q];
                        vr[k][q] = vx * cr + vy * ci;
                        vi[k][q] = vy * cr - vx * ci;
                    }
                    for (int k = 0; k < n; k++) {
                        // row q times e^{iφ}
                        double x = re[q][k], y = im[q][k];
                        re[q][k] = x * cr - y * ci;
                        im[q][k] = y * cr + x * ci;
                    }
                    re[p][q] = r; im[p][q] = 0; re[q][p] = r; im[q][p] = 0;
                    double app = re[p][p], aqq = re[q][q];
                    double theta = (aqq - app) / (2 * r);
                    double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) {
                        rotate(re[k], p, q, c, s);
                        rotate(im[k], p, q, c, s);
                        rotate(vr[k], p, q, c, s);
                        rotate(vi[k], p, q, c, s);
                    }
                    for (int k = 0; k < n; k++) {
                        double xp = re[p][k], xq = re[q][k];
                        re[p][k] = c * xp - s * xq;
                        re[q][k] = s * xp + c * xq;
                        double yp = im[p][k], yq = im[q][k];
                        im[p][k] = c * yp - s * yq;
                        im[q][k] = s * yp + c * yq;
                    }
                }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(re[y][y], re[x][x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            int c = order[i];
            values[i] = re[c][c];
            for (int k = 0; k < n; k++) { vectors[i][2 * k] = vr[k][c]; vectors[i][2 * k + 1] = vi[k][c]; }
        }
        return new Result(values, vectors);
    }

    private static void rotate(double[] row, int p, int q, double c, double s) {
        double xp = row[p], xq = row[q];
        row[p] = c * xp - s * xq;
        row[q] = s * xp + c * xq;
    }
}
