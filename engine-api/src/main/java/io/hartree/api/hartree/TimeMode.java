package io.hartree.api.hartree;

/** REAL: unitary evolution e^{−iτ…}. IMAGINARY: e^{−τ…} with renormalisation each step. */
public enum TimeMode { REAL, IMAGINARY }
