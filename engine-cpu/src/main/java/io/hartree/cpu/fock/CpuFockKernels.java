package io.hartree.cpu.fock;

import io.hartree.api.BackendException;
import io.hartree.api.FockKernels;
import io.hartree.api.fock.FockOperator;
import io.hartree.api.KrylovOps;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CPU backend's Fock kernels: complex GEMM by {@code cblas_zgemm} and the complex Hermitian
 * eigensolver {@code LAPACKE_zheevd} (divide and conquer) of OpenBLAS (org.bytedeco.openblas),
 * real symmetric eigenproblems (the common case: ring, Josephson, oscillator modes) by ND4J's
 * {@code syev}, the linear solve of Padé by {@code LAPACKE_zgesv}, and host Krylov vectors
 * ({@link CpuKrylovOps}). Every LAPACK status is checked.
 */
public final class CpuFockKernels implements FockKernels {
    private static final int ROW_MAJOR = 101; // LAPACK_ROW_MAJOR

    @Override public String backend() { return "cpu"; }

    @Override
    public void gemm(double[] a, double[] b, double[] c, int n) {
        FockKernels.checkGemm(a, b, c, n);
        try (DoublePointer pa = new DoublePointer(a); DoublePointer pb = new DoublePointer(b);
             DoublePointer pc = new DoublePointer(2L * n * n);
             DoublePointer one = new DoublePointer(1.0, 0.0); DoublePointer zero = new DoublePointer(0.0, 0.0)) {
            openblas.cblas_zgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, n, n,
                    one, pa, n, pb, n, zero, pc, n);
            pc.get(c, 0, 2 * n * n);
        }
    }

    @Override
    public double[] eigh(double[] a, int n, double[] vectors) {
        FockKernels.checkEigh(a, n, vectors);
        double[] w = new double[n];
        int info = openblas.LAPACKE_zheevd(ROW_MAJOR, (byte) (vectors == null ? 'N' : 'V'), (byte) 'U', n, a, n, w);
        check(info, "LAPACKE_zheevd");
        if (vectors != null) System.arraycopy(a, 0, vectors, 0, 2 * n * n);
        return w;
    }

    @Override
    public double[] eighReal(double[] a, int n, double[] vectors) {
        FockKernels.checkEighReal(a, n, vectors);
        INDArray m = Nd4j.create(a, new long[]{n, n}, DataType.DOUBLE);
        INDArray w = Eigen.symmetricGeneralizedEigenvalues(m, vectors != null);
        if (vectors != null) {
            // ND4J writes the eigenvectors into m as columns.
            double[] v = m.dup('c').data().asDouble();
            System.arraycopy(v, 0, vectors, 0, n * n);
        }
        return w.data().asDouble().clone();
    }

    @Override
    public void solve(double[] a, double[] b, int n) {
        FockKernels.checkSolve(a, b, n);
        int[] ipiv = new int[n];
        check(openblas.LAPACKE_zgesv(ROW_MAJOR, n, n, a, n, ipiv, b, n), "LAPACKE_zgesv");
    }

    @Override
    public KrylovOps<?> krylov(FockOperator h) {
        return new CpuKrylovOps(h);
    }

    /** Real Krylov vectors for a real CSR matrix (half the work when ψ is real); empty otherwise. */
    @Override
    public java.util.Optional<KrylovOps<?>> krylovReal(FockOperator h) {
        return h.asCsr().filter(io.hartree.api.fock.CsrMatrix::isReal).map(CpuRealKrylovOps::new);
    }

    private static void check(int info, String call) {
        if (info != 0)
            throw new BackendException(call + " returned info = " + info + (info < 0 ? " (argument " + (-info) + " is invalid)" : " (no convergence / singular)"));
    }
}
