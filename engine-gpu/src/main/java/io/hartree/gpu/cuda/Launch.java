package io.hartree.gpu.cuda;

import java.lang.foreign.MemorySegment;

/** A kernel launch prepared once: function, 1D grid and block, stream and packed arguments. */
public record Launch(Driver driver, MemorySegment function, String name, int grid, int block,
                     MemorySegment stream, MemorySegment params) {
    public void run() { driver.launch(function, grid, 1, 1, block, 1, 1, 0, stream, params, name); }

    /** Blocks for a grid-stride loop over {@code count} items: enough to fill the device, never more than needed. */
    public static int gridFor(long count, int block, int maxBlocks) {
        long b = (count + block - 1) / block;
        return (int) Math.max(1, Math.min(b, maxBlocks));
    }
}
