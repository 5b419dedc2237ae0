package io.hartree.gpu.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Finds the CUDA libraries on disk, in this order (DESIGN §5, sheet §6):
 * <ol>
 * <li>{@code HARTREE_CUDA_LIBS} (folders separated by ':'),</li>
 * <li>{@code CUDA_HOME}, then {@code CUDA_PATH}: each lib64, lib, targets/*&#47;lib,</li>
 * <li>{@code LD_LIBRARY_PATH},</li>
 * <li>the folders of /etc/ld.so.conf (and its include files) and the usual system folders
 *     (including /usr/local/cuda/lib64 and WSL's /usr/lib/wsl/lib),</li>
 * <li>the {@code nvidia/cu13/lib} and {@code nvidia/*&#47;lib} folders of CUDA pip wheels in
 *     {@code VIRTUAL_ENV}, {@code CONDA_PREFIX} and, only if still not found, the site-packages of
 *     {@code python3}'s sys.path (asked once, with a 3 s timeout),</li>
 * <li>the bare soname through the system loader (its ld.so.cache), as a last resort.</li>
 * </ol>
 * Folders under a "stubs" directory are skipped: the toolkit's stub libcuda.so fails every call with 34.
 * Pure Java and side-effect free apart from reading directories, so it is unit-tested here.
 */
public final class LibraryLocator {
    /** Where a library was found: its path (null: through the system loader by soname) and major. */
    public record Found(CudaLibrary library, String soname, Path path, int major) {
        public String where() { return path != null ? path.toString() : soname + " (system loader)"; }
    }

    private final Map<String, String> env;
    private final Path ldSoConf;
    private final List<Path> systemDirs;
    private final Supplier<List<String>> pythonSysPath;
    private List<Path> pythonSitePackages;  // lazily asked
    private final boolean systemLoaderFallback;

    public LibraryLocator(Map<String, String> env, Path ldSoConf, List<Path> systemDirs,
                          Supplier<List<String>> pythonSysPath, boolean systemLoaderFallback) {
        this.env = env;
        this.ldSoConf = ldSoConf;
        this.systemDirs = systemDirs;
        this.pythonSysPath = pythonSysPath;
        this.systemLoaderFallback = systemLoaderFallback;
    }

    /** The locator of this process: its environment, /etc/ld.so.conf, python3 on PATH. */
    public static LibraryLocator system() {
        return new LibraryLocator(System.getenv(), Path.of("/etc/ld.so.conf"), DEFAULT_SYSTEM_DIRS,
                LibraryLocator::askPython, true);
    }

    public static final List<Path> DEFAULT_SYSTEM_DIRS = Stream.of(
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
            "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/cuda/lib64", "/usr/local/cuda/lib",
            "/usr/lib/wsl/lib").map(Path::of).toList();

    /** Folders searched before the wheels, in order, without duplicates. */
    public List<Path> directories() {
        Set<Path> dirs = new LinkedHashSet<>();
        pathList(env.get("HARTREE_CUDA_LIBS")).forEach(dirs::add);
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.get(var);
            if (home == null || home.isBlank()) continue;
            Path h = Path.of(home);
            dirs.add(h.resolve("lib64"));
            dirs.add(h.resolve("lib"));
            dirs.addAll(children(h.resolve("targets"), "lib"));
        }
        pathList(env.get("LD_LIBRARY_PATH")).forEach(dirs::add);
        if (ldSoConf != null) dirs.addAll(ldSoConfDirs(ldSoConf, 0));
        dirs.addAll(systemDirs);
        dirs.removeIf(p -> p.toString().contains("/stubs"));
        return List.copyOf(dirs);
    }

    /** site-packages folders of the active Python environments (VIRTUAL_ENV, CONDA_PREFIX), without asking python. */
    public List<Path> envSitePackages() {
        List<Path> out = new ArrayList<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String p = env.get(var);
            if (p == null || p.isBlank()) continue;
            for (Path lib : List.of(Path.of(p, "lib"), Path.of(p, "lib64")))
                for (Path py : children(lib, null))
                    if (py.getFileName().toString().startsWith("python")) out.add(py.resolve("site-packages"));
        }
        return out;
    }

    private List<Path> pythonSitePackages() {
        if (pythonSitePackages == null) {
            List<Path> l = new ArrayList<>();
            for (String s : pythonSysPath.get())
                if (s.endsWith("site-packages") || s.endsWith("dist-packages")) l.add(Path.of(s));
            pythonSitePackages = l;
        }
        return pythonSitePackages;
    }

    /** Locates {@code lib} for the first major of {@code majors} (e.g. [13, 12]) that is present. */
    public Optional<Found> find(CudaLibrary lib, List<Integer> majors) {
        for (int major : majors) {
            String so = lib.soname(major);
            for (Path d : directories()) if (Files.isRegularFile(d.resolve(so))) return Optional.of(new Found(lib, so, d.resolve(so), major));
        }
        if (majors.stream().allMatch(m -> lib.wheelDirs(m).isEmpty())) return Optional.empty();  // the driver: no wheel, no python
        for (Supplier<List<Path>> source : List.<Supplier<List<Path>>>of(this::envSitePackages, this::pythonSitePackages)) {
            List<Path> sites = source.get();  // python is asked only when the environments did not have it
            for (int major : majors)
                for (Path site : sites)
                    for (String w : lib.wheelDirs(major)) {
                        Path f = site.resolve(w).resolve(lib.soname(major));
                        if (Files.isRegularFile(f)) return Optional.of(new Found(lib, lib.soname(major), f, major));
                    }
        }
        return Optional.empty();
    }

    /** The message of a library that was not found: what was looked for and where. */
    public String notFound(CudaLibrary lib, List<Integer> majors) {
        List<String> names = majors.stream().map(lib::soname).distinct().toList();
        List<String> where = new ArrayList<>(directories().stream().map(Path::toString).toList());
        for (Path s : envSitePackages()) for (int m : majors) for (String w : lib.wheelDirs(m)) where.add(s.resolve(w).toString());
        if (pythonSitePackages != null)
            for (Path s : pythonSitePackages) for (int m : majors) for (String w : lib.wheelDirs(m)) where.add(s.resolve(w).toString());
        return String.join(" or ", names) + " not found (searched: " + String.join(", ", where)
                + (systemLoaderFallback ? "; and the system loader" : "")
                + "; set HARTREE_CUDA_LIBS to the folder that holds it)";
    }

    public boolean systemLoaderFallback() { return systemLoaderFallback; }

    /**
     * libnvrtc-builtins beside {@code nvrtc}: libnvrtc.so.13 dlopens "libnvrtc-builtins.so.13.0" by
     * bare name, which fails unless it is loaded by path first (sheet §2). Skips ".alt" variants.
     */
    public static Optional<Path> nvrtcBuiltins(Path nvrtc, int major) {
        if (nvrtc == null || nvrtc.getParent() == null) return Optional.empty();
        String prefix = "libnvrtc-builtins.so." + major + ".";
        try (Stream<Path> s = Files.list(nvrtc.getParent())) {
            return s.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith(prefix) && !n.endsWith(".alt") && !n.contains(".alt.");
                    }).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static List<Path> pathList(String s) {
        List<Path> l = new ArrayList<>();
        if (s == null) return l;
        for (String p : s.split(":")) if (!p.isBlank()) l.add(Path.of(p.trim()));
        return l;
    }

    /** Subfolders of {@code dir} (sorted), each resolved against {@code sub} when not null. */
    static List<Path> children(Path dir, String sub) {
        List<Path> l = new ArrayList<>();
        if (!Files.isDirectory(dir)) return l;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) if (Files.isDirectory(p)) l.add(sub == null ? p : p.resolve(sub));
        } catch (IOException ignored) {
            // unreadable folder: nothing to search there
        }
        l.sort(null);
        return l;
    }

    /** Folders named in an ld.so.conf, following "include GLOB" lines (depth-limited against cycles). */
    static List<Path> ldSoConfDirs(Path conf, int depth) {
        List<Path> out = new ArrayList<>();
        if (depth > 4 || !Files.isRegularFile(conf)) return out;
        List<String> lines;
        try { lines = Files.readAllLines(conf); } catch (IOException e) { return out; }
        for (String raw : lines) {
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.isEmpty()) continue;
            if (line.startsWith("include")) {
                String glob = line.substring("include".length()).trim();
                Path g = glob.startsWith("/") ? Path.of(glob) : conf.getParent().resolve(glob);
                Path dir = g.getParent();
                if (dir == null || !Files.isDirectory(dir)) continue;
                var matcher = dir.getFileSystem().getPathMatcher("glob:" + g.getFileName());
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path f : s.filter(p -> matcher.matches(p.getFileName())).sorted().toList())
                        out.addAll(ldSoConfDirs(f, depth + 1));
                } catch (IOException ignored) {
                    // unreadable include folder: skip
                }
            } else if (line.startsWith("/")) {
                out.add(Path.of(line));
            }
        }
        return out;
    }

    /** sys.path of python3 on PATH, or empty when there is none or it takes more than 3 s. */
    static List<String> askPython() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys;print('\\n'.join(sys.path))")
                    .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            return new String(p.getInputStream().readAllBytes()).lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
