package io.hartree.api;

/**
 * A session's discrete Fourier transforms of host arrays, for set-up work done once per problem
 * (the convolution kernel's table, grid mode integrals, reference convolutions), so that
 * engine-api needs no FFT library of its own. Arrays are interleaved complex, C order; the
 * transforms are unnormalised, in place, with the sign of {@link SplitStepKernels.Dft}
 * (FORWARD: Σ_x e^{−ik·x}f(x); BACKWARD: Σ_k e^{+ik·x}f̂(k); BACKWARD∘FORWARD = size·identity).
 */
public interface HostTransforms {
    /** The 3D DFT of an m0×m1×m2 array (2·m0·m1·m2 doubles). */
    void dft3(double[] data, int m0, int m1, int m2, SplitStepKernels.Dft direction);

    /** {@code count} independent 1D DFTs of length {@code length}, stored one after the other (2·length·count doubles). */
    void dftLines(double[] data, int length, int count, SplitStepKernels.Dft direction);

    /** The library in words ("FFTW 3.3.10", "JTransforms 3.1"). */
    String describe();

    /** Checks the array length of a call; a wrong one would be a native out-of-bounds access. */
    static void checkLength(double[] data, long complexValues, String call) {
        if (data == null || data.length != 2 * complexValues)
            throw new IllegalArgumentException(call + ": array of " + (data == null ? "null" : data.length + " doubles")
                    + ", expected 2·" + complexValues + " (interleaved complex)");
    }
}
