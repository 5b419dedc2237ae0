package io.hartree.gpu.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.*;
import static org.junit.jupiter.api.Assertions.*;

/** kernelParams packing as cuda.h:17429 describes it: element i points at argument i's bytes. */
class KernelArgsTest {
    @Test
    void eachElementPointsAtItsValueWithTheKernelsSize() {
        try (Arena a = Arena.ofConfined()) {
            KernelArgs k = new KernelArgs(a).ptr(0x7f0000001000L).i32(-5).u64(1L << 40).f64(-0.25).f32(1.5f).ptr(0);
            MemorySegment p = k.build();
            assertEquals(6, k.count());
            assertEquals(6 * ADDRESS.byteSize(), p.byteSize());
            long[] sizes = {8, 4, 8, 8, 4, 8};
            for (int i = 0; i < 6; i++) {
                assertEquals(sizes[i], k.size(i), "argument " + i);
                assertEquals(k.slot(i).address(), p.getAtIndex(ADDRESS, i).address(), "params[" + i + "]");
                assertEquals(0, k.slot(i).address() % 8, "8-byte aligned slot " + i);
            }
            assertEquals(0x7f0000001000L, p.getAtIndex(ADDRESS, 0).reinterpret(8).get(JAVA_LONG, 0));
            assertEquals(-5, p.getAtIndex(ADDRESS, 1).reinterpret(4).get(JAVA_INT, 0));
            assertEquals(1L << 40, p.getAtIndex(ADDRESS, 2).reinterpret(8).get(JAVA_LONG, 0));
            assertEquals(-0.25, p.getAtIndex(ADDRESS, 3).reinterpret(8).get(JAVA_DOUBLE, 0));
            assertEquals(1.5f, p.getAtIndex(ADDRESS, 4).reinterpret(4).get(JAVA_FLOAT, 0));
            assertEquals(0L, p.getAtIndex(ADDRESS, 5).reinterpret(8).get(JAVA_LONG, 0), "NULL device pointer");
            k.setDouble(3, 2.0);
            assertEquals(2.0, p.getAtIndex(ADDRESS, 3).reinterpret(8).get(JAVA_DOUBLE, 0), "slots change in place");
        }
    }

    @Test
    void gridForGridStrideLoops() {
        assertEquals(1, Launch.gridFor(0, 256, 4096));
        assertEquals(1, Launch.gridFor(256, 256, 4096));
        assertEquals(2, Launch.gridFor(257, 256, 4096));
        assertEquals(1024, Launch.gridFor(64L * 64 * 64, 256, 4096), "64³/256");
        assertEquals(4096, Launch.gridFor(512L * 512 * 512, 256, 4096), "capped: the loop strides");
    }
}
