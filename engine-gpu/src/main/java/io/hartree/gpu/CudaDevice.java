package io.hartree.gpu;

import io.hartree.gpu.cuda.Driver;
import io.hartree.gpu.cuda.OutOfMemory;

import java.util.Locale;

/** What the probe and the session report about a device. */
record CudaDevice(int ordinal, int handle, String name, int ccMajor, int ccMinor, int multiprocessors, long totalBytes) {

    static CudaDevice query(Driver d, int ordinal) {
        int h = d.device(ordinal);
        return new CudaDevice(ordinal, h, d.deviceName(h),
                d.attribute(Driver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, h),
                d.attribute(Driver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, h),
                d.attribute(Driver.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, h),
                d.totalMemory(h));
    }

    /** "sm_90". */
    String arch() { return "sm_" + ccMajor + ccMinor; }

    String describe() {
        return String.format(Locale.ROOT, "%s (device %d), compute capability %d.%d (%s), %d SMs, %.1f GiB",
                name, ordinal, ccMajor, ccMinor, arch(), multiprocessors, totalBytes / (double) (1L << 30));
    }

    String describe(long freeBytes) {
        return describe() + ", " + OutOfMemory.bytes(freeBytes).replaceFirst(" \\(.*", "") + " free";
    }
}
