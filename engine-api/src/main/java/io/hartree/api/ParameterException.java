package io.hartree.api;

/**
 * Bad input: names the parameter, the value given and the allowed range. The CLI maps it to exit
 * code 2 and writes nothing.
 */
public final class ParameterException extends IllegalArgumentException {
    private final String parameter;
    private final String allowed;

    public ParameterException(String parameter, Object value, String allowed) {
        super(parameter + ": " + value + " is not allowed; allowed: " + allowed);
        this.parameter = parameter;
        this.allowed = allowed;
    }

    /** A message of its own, for cases that are not a single value out of range. */
    public ParameterException(String parameter, String message) {
        super(parameter + ": " + message);
        this.parameter = parameter;
        this.allowed = "";
    }

    public String parameter() { return parameter; }

    public String allowed() { return allowed; }

    /** Checks {@code condition}; throws naming the parameter otherwise. */
    public static void require(boolean condition, String parameter, Object value, String allowed) {
        if (!condition) throw new ParameterException(parameter, value, allowed);
    }
}
