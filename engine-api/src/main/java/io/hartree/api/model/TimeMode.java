package io.hartree.api.model;

/** REAL: unitary evolution e^{−iτ…}. IMAGINARY: e^{−τ…} with renormalisation each step. */
public enum TimeMode { REAL, IMAGINARY }
