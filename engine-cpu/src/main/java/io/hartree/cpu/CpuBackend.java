package io.hartree.cpu;

import io.hartree.api.Availability;
import io.hartree.api.Backend;
import io.hartree.api.BackendSession;
import io.hartree.api.SessionOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Backend "cpu" (priority 10): FFTW 3.3.10 through org.bytedeco:fftw, threaded, with JTransforms
 * as the fallback where FFTW's natives do not load; fused elementwise loops on worker threads.
 * System properties: {@value #FFT_PROPERTY} = fftw | jtransforms (default fftw),
 * {@value #PLANNER_PROPERTY} = estimate | measure | patient (default measure; also the
 * environment variable HARTREE_FFTW_PLANNER).
 */
public final class CpuBackend implements Backend {
    public static final String FFT_PROPERTY = "hartree.fft";
    public static final String PLANNER_PROPERTY = "hartree.fftw.planner";

    @Override public String name() { return "cpu"; }

    @Override public int priority() { return 10; }

    @Override
    public Availability probe() {
        Map<String, String> libs = new LinkedHashMap<>();
        int threads = Runtime.getRuntime().availableProcessors();
        if (forceJTransforms()) {
            libs.put("fft", "JTransforms 3.1 (FFTW disabled by -D" + FFT_PROPERTY + "=jtransforms)");
        } else {
            try {
                libs.put("fft", FftwFft3.load() + ", threads, " + planner().toUpperCase(Locale.ROOT) + " plans");
            } catch (Throwable t) {
                libs.put("fft", "JTransforms 3.1 (fallback: FFTW did not load: " + t + ")");
            }
        }
        libs.put("loops", "Java worker threads (allocation-free fused loops), " + threads + " threads");
        return Availability.available(cpuName() + ", " + threads + " threads", libs);
    }

    @Override
    public BackendSession open(SessionOptions options) {
        return new CpuSession(options == null ? SessionOptions.defaults() : options);
    }

    static boolean forceJTransforms() {
        return "jtransforms".equalsIgnoreCase(System.getProperty(FFT_PROPERTY, "fftw"));
    }

    static String planner() {
        String p = System.getProperty(PLANNER_PROPERTY);
        if (p == null) p = System.getenv("HARTREE_FFTW_PLANNER");
        if (p == null) return "measure";
        p = p.trim().toLowerCase(Locale.ROOT);
        if (!p.equals("estimate") && !p.equals("measure") && !p.equals("patient"))
            throw new io.hartree.api.ParameterException(PLANNER_PROPERTY, p, "estimate | measure | patient");
        return p;
    }

    /** The CPU model from /proc/cpuinfo where there is one, else os.arch. */
    /** The processor's model name, read once per process (device() is asked for every bench row and summary). */
    static String cpuName() { return CpuName.NAME; }

    private static final class CpuName {
        static final String NAME = read();
    }

    private static String read() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (Exception ignored) {
            // Not Linux: fall through to the architecture name.
        }
        return System.getProperty("os.arch");
    }
}
