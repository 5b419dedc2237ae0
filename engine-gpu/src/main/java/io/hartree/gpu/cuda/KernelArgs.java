package io.hartree.gpu.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.*;

/**
 * The {@code kernelParams} array of cuLaunchKernel (cuda.h:17429–17436, sheet §1): a
 * {@code void*[N]} whose element i points to memory holding argument i's value: 8 bytes for
 * {@code double}, pointers (a {@code CUdeviceptr} is its 64-bit value) and {@code unsigned long long},
 * 4 for {@code int} and {@code float}. Built once, in the session's arena, so a launch inside
 * the step loop allocates nothing; values are copied by the driver at launch, so a slot may be
 * changed between launches with {@link #setDouble}.
 */
public final class KernelArgs {
    private final Arena arena;
    private final List<MemorySegment> slots = new ArrayList<>();
    private final List<ValueLayout> layouts = new ArrayList<>();
    private final StringBuilder kinds = new StringBuilder();

    public KernelArgs(Arena arena) { this.arena = arena; }

    /** A device pointer (0 stands for a C NULL pointer). */
    public KernelArgs ptr(long devicePointer) { return add('P', JAVA_LONG, s -> s.set(JAVA_LONG, 0, devicePointer)); }

    public KernelArgs i32(int v) { return add('I', JAVA_INT, s -> s.set(JAVA_INT, 0, v)); }

    public KernelArgs u64(long v) { return add('U', JAVA_LONG, s -> s.set(JAVA_LONG, 0, v)); }

    public KernelArgs f64(double v) { return add('D', JAVA_DOUBLE, s -> s.set(JAVA_DOUBLE, 0, v)); }

    public KernelArgs f32(float v) { return add('F', JAVA_FLOAT, s -> s.set(JAVA_FLOAT, 0, v)); }

    /** The argument kinds in order: P pointer, I int, U unsigned long long, D double, F float. */
    public String kinds() { return kinds.toString(); }

    private KernelArgs add(char kind, ValueLayout l, java.util.function.Consumer<MemorySegment> init) {
        kinds.append(kind);
        MemorySegment s = arena.allocate(l.byteSize(), 8);
        init.accept(s);
        slots.add(s);
        layouts.add(l);
        return this;
    }

    /** Overwrites argument {@code index} (a pointer or 64-bit integer) in place. */
    public void setLong(int index, long v) { slots.get(index).set(JAVA_LONG, 0, v); }

    /** Overwrites argument {@code index} (a double) in place. */
    public void setDouble(int index, double v) { slots.get(index).set(JAVA_DOUBLE, 0, v); }

    /** The {@code void*[]} to pass as kernelParams. */
    public MemorySegment build() {
        MemorySegment params = arena.allocate(ADDRESS, Math.max(1, slots.size()));
        for (int i = 0; i < slots.size(); i++) params.setAtIndex(ADDRESS, i, slots.get(i));
        return params;
    }

    public int count() { return slots.size(); }

    /** Byte size of argument i as the kernel reads it. */
    public long size(int i) { return layouts.get(i).byteSize(); }

    public MemorySegment slot(int i) { return slots.get(i); }
}
