package io.hartree.gpu;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * Host staging of states for the device copies: an interleaved complex state of 2n³ doubles (heap
 * or off-heap, long-indexed) to and from a staging segment in the device's precision.
 */
final class HostStaging {
    private HostStaging() {}

    /** device[dst] ← values, as doubles or rounded to floats (a kernel table, a sampled trap), through a staging copy. */
    static void uploadReal(io.hartree.gpu.cuda.Driver drv, long dst, double[] values, boolean single) {
        int real = single ? 4 : 8;
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment h = a.allocate((long) real * values.length, 8);
            for (int i = 0; i < values.length; i++)
                if (single) h.setAtIndex(JAVA_FLOAT, i, (float) values[i]); else h.setAtIndex(JAVA_DOUBLE, i, values[i]);
            drv.memcpyHtoD(dst, h, (long) real * values.length);
        }
    }

    /** staging ← state, as doubles or rounded to floats. */
    static void toDevicePrecision(MemorySegment state, MemorySegment staging, boolean single) {
        long values = state.byteSize() / Double.BYTES;
        if (!single) {
            MemorySegment.copy(state, 0, staging, 0, state.byteSize());
            return;
        }
        for (long i = 0; i < values; i++) staging.setAtIndex(JAVA_FLOAT, i, (float) state.getAtIndex(JAVA_DOUBLE_UNALIGNED, i));
    }

    /** state ← scale · staging (doubles, or floats widened). */
    static void fromDevicePrecision(MemorySegment staging, MemorySegment state, boolean single, double scale) {
        long values = state.byteSize() / Double.BYTES;
        for (long i = 0; i < values; i++)
            state.setAtIndex(JAVA_DOUBLE_UNALIGNED, i, (single ? staging.getAtIndex(JAVA_FLOAT, i) : staging.getAtIndex(JAVA_DOUBLE, i)) * scale);
    }
}
