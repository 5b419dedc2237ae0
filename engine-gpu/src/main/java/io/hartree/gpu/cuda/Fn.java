package io.hartree.gpu.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * One bound C function, written as in docs/CUDA_API.md (the binding sheet): {@code name} is the
 * C name, {@code symbol} the exported symbol to look up (the versioned one where the header maps
 * the name, e.g. cuMemAlloc → cuMemAlloc_v2), {@code fallback} a symbol tried when the first is
 * absent (only cuEventElapsedTime: _v2 exists from CUDA 13), {@code args} the sheet's descriptor
 * column ("A, I, L": ADDRESS, JAVA_INT, JAVA_LONG, JAVA_BYTE = B), {@code ret} the return layout
 * ("I" for every status-returning call, "A" for the two that return a {@code const char*}).
 */
public record Fn(String name, String symbol, String fallback, String args, String ret) {

    /** A status-returning function whose symbol is its name. */
    public static Fn of(String name, String args) { return new Fn(name, name, null, args, "I"); }

    /** A status-returning function looked up under a versioned symbol. */
    public static Fn versioned(String name, String symbol, String args) { return new Fn(name, symbol, null, args, "I"); }

    /** The descriptor this entry stands for; every argument is spelled out, none inferred. */
    public FunctionDescriptor descriptor() {
        MemoryLayout r = layout(ret);
        List<MemoryLayout> a = new ArrayList<>();
        if (!args.isBlank())
            for (String t : args.split(",")) a.add(layout(t.trim()));
        MemoryLayout[] arr = a.toArray(MemoryLayout[]::new);
        return r == null ? FunctionDescriptor.ofVoid(arr) : FunctionDescriptor.of(r, arr);
    }

    static MemoryLayout layout(String code) {
        return switch (code) {
            case "I" -> ValueLayout.JAVA_INT;
            case "L" -> ValueLayout.JAVA_LONG;
            case "B" -> ValueLayout.JAVA_BYTE;
            case "A" -> ValueLayout.ADDRESS;
            case "V" -> null;
            default -> throw new IllegalArgumentException("unknown layout code '" + code + "' (I, L, B, A)");
        };
    }
}
