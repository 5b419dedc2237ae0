package io.hartree.api;

/** Floating-point precision of device arrays. Host arrays are always double. */
public enum Precision {
    DOUBLE, SINGLE;

    public static Precision parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "double", "fp64", "f64" -> DOUBLE;
            case "single", "float", "fp32", "f32" -> SINGLE;
            default -> throw new ParameterException("--precision", s, "double | single");
        };
    }
}
