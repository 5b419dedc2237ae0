package io.hartree.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The host reference for the device GEMM tests: C = A·B, n×n, row-major, interleaved complex. */
final class HostGemm {
    private HostGemm() {}

    /** Asserts every entry of {@code c} against the triple loop over {@code a}, {@code b}, within {@code tol}. */
    static void assertProduct(double[] a, double[] b, double[] c, int n, double tol) {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double re = 0, im = 0;
                for (int q = 0; q < n; q++) {
                    double ar = a[2 * (i * n + q)], ai = a[2 * (i * n + q) + 1], br = b[2 * (q * n + j)], bi = b[2 * (q * n + j) + 1];
                    re += ar * br - ai * bi;
                    im += ar * bi + ai * br;
                }
                assertEquals(re, c[2 * (i * n + j)], tol, "row-major C = A·B, Re [" + i + "," + j + "]");
                assertEquals(im, c[2 * (i * n + j) + 1], tol, "row-major C = A·B, Im [" + i + "," + j + "]");
            }
    }
}
