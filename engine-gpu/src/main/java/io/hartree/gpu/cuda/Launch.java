package io.hartree.gpu.cuda;

import java.lang.foreign.MemorySegment;

/** A kernel launch prepared once: function, 1D grid and block, stream and packed arguments. */
public record Launch(Driver driver, MemorySegment function, String name, int grid, int block,
                     MemorySegment stream, MemorySegment params) {
    public void run() { driver.launch(function, grid, 1, 1, block, 1, 1, 0, stream, params, name); }

    /**
     * A launch checked against the kernel's parameter list in the source (see
     * {@link KernelImage#signatures}): a mismatch is a programming error caught here, before the
     * device reads the wrong bytes.
     */
    public static Launch of(Driver driver, MemorySegment function, String name, int grid, int block, MemorySegment stream,
                            KernelArgs args, java.util.Map<String, String> signatures) {
        checkSignature(name, args.kinds(), signatures);
        return new Launch(driver, function, name, grid, block, stream, args.build());
    }

    public static void checkSignature(String name, String kinds, java.util.Map<String, String> signatures) {
        String want = signatures.get(name);
        if (want == null) throw new IllegalStateException("kernel " + name + " is not extern \"C\" in the kernel source");
        if (!want.equals(kinds))
            throw new IllegalStateException("kernel " + name + " takes (" + want + ") but the launch packs (" + kinds
                    + ") [P pointer, I int, U u64, D double, F float]");
    }

    /** Blocks for a grid-stride loop over {@code count} items: enough to fill the device, never more than needed. */
    public static int gridFor(long count, int block, int maxBlocks) {
        long b = (count + block - 1) / block;
        return (int) Math.max(1, Math.min(b, maxBlocks));
    }
}
