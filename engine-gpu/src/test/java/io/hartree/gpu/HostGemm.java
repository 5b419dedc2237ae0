package io.hartree.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The host reference for the device GEMM tests: C = A·B, n×n, row-major, interleaved complex. */
final class HostGemm {
    private HostGemm() {}

    /** Asserts every entry of {@code c} against the triple loop over {@code a}, {@code b}, within {@code tol}. */
    static void assertProduct(double[] a, double[] b, double[] c, int n, double tol) {
        double[] ref = io.hartree.api.conformance.FockConformance.naiveGemm(a, b, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                assertEquals(ref[2 * (i * n + j)], c[2 * (i * n + j)], tol, "row-major C = A·B, Re [" + i + "," + j + "]");
                assertEquals(ref[2 * (i * n + j) + 1], c[2 * (i * n + j) + 1], tol, "row-major C = A·B, Im [" + i + "," + j + "]");
            }
    }
}
