package io.hartree.gpu.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded shared library and the downcall handles of its {@link Fn} table. Libraries stay
 * loaded for the life of the JVM (global arena): cuFFT and cuBLAS keep internal state that
 * outlives any one session, and unloading them under live handles would crash.
 */
public final class NativeLibrary {
    static final Linker LINKER = Linker.nativeLinker();

    private final String soname;
    private final Path path;
    private final SymbolLookup lookup;
    private final Map<String, MethodHandle> handles = new LinkedHashMap<>();

    private NativeLibrary(String soname, Path path, SymbolLookup lookup) {
        this.soname = soname;
        this.path = path;
        this.lookup = lookup;
    }

    /** Loads {@code path} (absolute) or, when {@code path} is null, {@code soname} through the system loader. */
    public static NativeLibrary load(String soname, Path path) {
        SymbolLookup l = path != null ? SymbolLookup.libraryLookup(path, Arena.global())
                : SymbolLookup.libraryLookup(soname, Arena.global());
        return new NativeLibrary(soname, path, l);
    }

    /** Binds every entry of {@code table}; throws naming the first symbol that is missing. */
    public NativeLibrary bind(List<Fn> table) {
        for (Fn f : table) {
            Optional<MemorySegment> s = lookup.find(f.symbol());
            if (s.isEmpty() && f.fallback() != null) s = lookup.find(f.fallback());
            if (s.isEmpty())
                throw new UnsatisfiedLinkError(where() + " lacks symbol " + f.symbol()
                        + (f.fallback() != null ? " (and " + f.fallback() + ")" : ""));
            handles.put(f.name(), LINKER.downcallHandle(s.get(), f.descriptor()));
        }
        return this;
    }

    /**
     * Binds the entries of {@code table} whose symbols this library exports and skips the others:
     * functions newer than the oldest library the engine accepts. Callers test {@link #bound}.
     */
    public NativeLibrary bindOptional(List<Fn> table) {
        for (Fn f : table)
            lookup.find(f.symbol()).ifPresent(s -> handles.put(f.name(), LINKER.downcallHandle(s, f.descriptor())));
        return this;
    }

    /** Whether {@code name} has a handle (always, for the required table; for optional entries, when exported). */
    public boolean bound(String name) { return handles.containsKey(name); }

    public boolean has(String symbol) { return lookup.find(symbol).isPresent(); }

    public MethodHandle handle(String name) {
        MethodHandle h = handles.get(name);
        if (h == null) throw new IllegalStateException(name + " is not bound in " + where());
        return h;
    }

    public String soname() { return soname; }

    /** Where it was loaded from: the absolute path, or "soname (system loader)". */
    public String where() { return path != null ? path.toString() : soname + " (system loader)"; }

    public int boundCount() { return handles.size(); }
}
