package io.hartree.gpu.cuda;

import java.util.Locale;

/** The message of a device out-of-memory error: bytes asked, bytes free, and what to reduce. */
public final class OutOfMemory {
    private OutOfMemory() {}

    public static String message(long asked, long free, String purpose) {
        return String.format(Locale.ROOT,
                "out of device memory: asked %s for %s, %s free; reduce the grid (--grid; memory grows as n³, "
                        + "×8 in padded mode), use --precision single (halves it), or free the GPU from other processes",
                bytes(asked), purpose, free < 0 ? "unknown" : bytes(free));
    }

    /** Human-readable bytes with the exact count: "1.50 GiB (1610612736 bytes)". */
    public static String bytes(long b) {
        String[] u = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = 0;
        while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
        return i == 0 ? b + " B" : String.format(Locale.ROOT, "%.2f %s (%d bytes)", v, u[i], b);
    }
}
