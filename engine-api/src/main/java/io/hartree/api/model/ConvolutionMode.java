package io.hartree.api.model;

import io.hartree.api.ParameterException;

/**
 * How V * |φ|² is computed by FFT. PERIODIC: cyclic convolution on the n³ torus with V sampled at
 * minimum-image offsets (cheapest). PADDED: zero padding to (2n)³, an aliasing-free linear
 * convolution of the box. TRUNCATED: the kernel truncated at the box diameter and transformed
 * analytically (Vico–Greengard–Ferrando 2016), exact for singular kernels such as Coulomb.
 */
public enum ConvolutionMode {
    PERIODIC, PADDED, TRUNCATED;

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static ConvolutionMode parse(String s) {
        for (ConvolutionMode m : values()) if (m.label().equalsIgnoreCase(s.trim())) return m;
        throw new ParameterException("--conv", s, "periodic | padded | truncated");
    }
}
