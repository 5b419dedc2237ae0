package io.hartree.cpu.fock;

import io.hartree.api.ParameterException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Lengths against n are checked before OpenBLAS/LAPACK see the arrays (a wrong n would be a
 * native out-of-bounds access): each wrong argument is a ParameterException naming the array,
 * its length and the expected one. The wrong n's here are all too small or the arrays too short
 * by a little, so that without the check the native call stays inside its buffers or fails in
 * Java, never corrupting the heap.
 */
class FockKernelsLengthTest {
    final CpuFockKernels k = new CpuFockKernels();

    @Test
    void gemmChecksEachArray() {
        int n = 4;
        double[] five = new double[2 * 5 * 5], a = new double[2 * n * n], b = new double[2 * n * n];
        ParameterException e = assertThrows(ParameterException.class, () -> k.gemm(five, b, new double[2 * n * n], n));
        assertEquals("a", e.parameter());
        assertEquals("a: has length 50; expected 2n² = 32 doubles (n = 4)", e.getMessage());
        assertEquals("b", assertThrows(ParameterException.class, () -> k.gemm(a, five, new double[2 * n * n], n)).parameter());
        assertEquals("c", assertThrows(ParameterException.class, () -> k.gemm(a, b, new double[2 * n * n - 2], n)).parameter());
        assertEquals("c", assertThrows(ParameterException.class, () -> k.gemm(a, b, a, n)).parameter(), "c aliasing a");
        assertEquals("n", assertThrows(ParameterException.class, () -> k.gemm(a, b, new double[0], 0)).parameter());
        assertEquals("a", assertThrows(ParameterException.class, () -> k.gemm(null, b, new double[2 * n * n], n)).parameter());
    }

    @Test
    void eigensolversAndSolveCheckEachArray() {
        int n = 4;
        ParameterException e = assertThrows(ParameterException.class, () -> k.eigh(new double[2 * 5 * 5], n, null));
        assertEquals("a", e.parameter());
        assertEquals("vectors", assertThrows(ParameterException.class, () -> k.eigh(new double[2 * n * n], n, new double[n * n])).parameter());
        assertEquals("a", assertThrows(ParameterException.class, () -> k.eighReal(new double[2 * n * n], n, null)).parameter());
        assertEquals("vectors", assertThrows(ParameterException.class, () -> k.eighReal(new double[n * n], n, new double[n * n - 1])).parameter());
        assertEquals("b", assertThrows(ParameterException.class, () -> k.solve(new double[2 * n * n], new double[2 * n], n)).parameter());
        assertEquals("a", assertThrows(ParameterException.class, () -> k.solve(new double[2 * 3 * 3], new double[2 * n * n], n)).parameter());
    }

    /** Right lengths still compute: diag(1, 2, 3, 4)·B = B with rows scaled, exact in double. */
    @Test
    void rightLengthsStillCompute() {
        int n = 4;
        double[] a = new double[2 * n * n], b = new double[2 * n * n], c = new double[2 * n * n];
        for (int i = 0; i < n; i++) a[2 * (i * n + i)] = i + 1;
        for (int i = 0; i < b.length; i++) b[i] = i;
        k.gemm(a, b, c, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 2 * n; j++) assertEquals((i + 1) * b[2 * i * n + j], c[2 * i * n + j], 0.0, "row " + i);
    }
}
