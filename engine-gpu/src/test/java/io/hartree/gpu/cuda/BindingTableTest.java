package io.hartree.gpu.cuda;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every bound function against the binding sheet: cuda-api-sheet.tsv is generated mechanically
 * from the tables of /work/shared/CUDA_API.md (§1–5), so a descriptor typed differently here than
 * there fails. A wrong descriptor crashes the JVM on a GPU machine, so this is the check that
 * runs where no GPU is.
 */
class BindingTableTest {
    /** Rows of the sheet's tables: 37 driver + 13 NVRTC + 17 cuFFT + 15 cuBLAS + 6 cuSOLVER. */
    static final int SHEET_ROWS = 88;

    record Row(int section, String name, String symbol, String args, String ret) {}

    static List<Row> sheet() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (var r = new BufferedReader(new InputStreamReader(BindingTableTest.class.getResourceAsStream("/cuda-api-sheet.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] t = line.split("\t");
                String args = t[3].equals("none") ? "" : t[3].replace("I×7", "I, I, I, I, I, I, I");
                rows.add(new Row(Integer.parseInt(t[0]), t[1], t[2], args, t[4]));
            }
        }
        return rows;
    }

    static final Map<Integer, List<Fn>> TABLES = Map.of(1, Driver.TABLE, 2, Nvrtc.TABLE, 3, Cufft.TABLE, 4, Cublas.TABLE, 5, Cusolver.TABLE);

    @Test
    void everyBoundFunctionMatchesTheSheetAndNoneIsMissing() throws IOException {
        List<Row> rows = sheet();
        assertEquals(SHEET_ROWS, rows.size(), "rows read from the sheet");
        int checked = 0;
        for (var e : TABLES.entrySet()) {
            Map<String, Row> bySheet = new LinkedHashMap<>();
            for (Row r : rows) if (r.section() == e.getKey()) bySheet.put(r.name(), r);
            Map<String, Fn> bound = new LinkedHashMap<>();
            for (Fn f : e.getValue()) assertNull(bound.put(f.name(), f), "bound twice: " + f.name());
            assertEquals(bySheet.keySet(), bound.keySet(), "section " + e.getKey() + ": bound names vs the sheet");
            for (Fn f : e.getValue()) {
                Row r = bySheet.get(f.name());
                assertEquals(r.symbol(), f.symbol(), f.name() + ": symbol");
                FunctionDescriptor want = new Fn(r.name(), r.symbol(), null, r.args(), r.ret()).descriptor();
                assertEquals(want, f.descriptor(), f.name() + ": descriptor");
                checked++;
            }
        }
        assertEquals(SHEET_ROWS, checked, "functions checked");
    }

    /**
     * The optional entries (bound when exported: LTO IR from NVRTC, LTO callbacks of cuFFT 12) are
     * not in the sheet; they are rows of cuda-api-additions.tsv, each with the header line it was
     * read from (CUDA 13.0), and none of them shadows a sheet row.
     */
    @Test
    void optionalFunctionsMatchTheirHeaderPrototypes() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (var r = new BufferedReader(new InputStreamReader(BindingTableTest.class.getResourceAsStream("/cuda-api-additions.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) if (!line.startsWith("#") && !line.isBlank()) rows.add(line.split("\t"));
        }
        Map<Integer, List<Fn>> optional = Map.of(2, Nvrtc.OPTIONAL, 3, Cufft.OPTIONAL);
        int checked = 0;
        for (var e : optional.entrySet())
            for (Fn f : e.getValue()) {
                String[] row = rows.stream().filter(t -> Integer.parseInt(t[0]) == e.getKey() && t[1].equals(f.name())).findFirst()
                        .orElseThrow(() -> new AssertionError(f.name() + " has no row in cuda-api-additions.tsv"));
                assertEquals(row[2], f.symbol(), f.name() + ": symbol");
                assertEquals(new Fn(row[1], row[2], null, row[3], row[4]).descriptor(), f.descriptor(), f.name() + ": descriptor");
                assertTrue(row[5].contains(f.name() + "("), f.name() + ": the source line is its prototype: " + row[5]);
                checked++;
            }
        assertEquals(rows.size(), checked, "every addition is bound");
        for (Row r : sheet()) for (String[] a : rows) assertNotEquals(r.name(), a[1], "an addition shadows a sheet row");
    }

    @Test
    void versionedSymbolsAreTheOnesTheHeadersMapTo() {
        Map<String, String> v = new LinkedHashMap<>();
        for (Fn f : Driver.TABLE) if (!f.symbol().equals(f.name())) v.put(f.name(), f.symbol());
        // cuda.h:89–172 maps these 15 to _v2 (sheet §1); cuEventElapsedTime falls back to the plain name (absent before 13).
        assertEquals(15, v.size(), "versioned driver symbols: " + v);
        v.forEach((name, sym) -> assertEquals(name + "_v2", sym));
        Fn elapsed = Driver.TABLE.stream().filter(f -> f.name().equals("cuEventElapsedTime")).findFirst().orElseThrow();
        assertEquals("cuEventElapsedTime", elapsed.fallback());
        // cuBLAS: only _v2 entry points, never the legacy handle-less names (sheet §4 "Danger").
        for (Fn f : Cublas.TABLE)
            assertTrue(f.symbol().endsWith("_v2") || f.symbol().equals("cublasGetStatusName"), f.symbol());
    }

    /** Each binding class holds one MethodHandle field per table row it wraps: a new row cannot slip in unwrapped. */
    @Test
    void reflectionCountsOneHandlePerRow() {
        Map<Class<?>, Integer> handleFields = new LinkedHashMap<>();
        // Wrapped rows: all but the optional/unused ones named below.
        Map<Class<?>, List<String>> notWrapped = Map.of(
                Driver.class, List.of(),
                Nvrtc.class, List.of("nvrtcGetErrorString"),
                Cufft.class, List.of("cufftMakePlanMany64", "cufftGetSize", "cufftSetWorkArea", "cufftSetAutoAllocation"),
                Cublas.class, List.of("cublasGetStatusName", "cublasDgemm_v2"),
                Cusolver.class, List.of());
        Map<Class<?>, List<Fn>> tables = Map.of(Driver.class, Driver.TABLE, Nvrtc.class, Nvrtc.TABLE, Cufft.class, Cufft.TABLE,
                Cublas.class, Cublas.TABLE, Cusolver.class, Cusolver.TABLE);
        // Optional rows (cuda-api-additions.tsv) are wrapped too, each by one handle field (null when not exported).
        Map<Class<?>, Integer> optional = Map.of(Driver.class, 0, Nvrtc.class, Nvrtc.OPTIONAL.size(), Cufft.class, Cufft.OPTIONAL.size(),
                Cublas.class, 0, Cusolver.class, 0);
        int total = 0;
        for (var e : tables.entrySet()) {
            int n = 0;
            for (Field f : e.getKey().getDeclaredFields())
                if (f.getType() == MethodHandle.class && !Modifier.isStatic(f.getModifiers())) n++;
            handleFields.put(e.getKey(), n);
            assertEquals(e.getValue().size() - notWrapped.get(e.getKey()).size() + optional.get(e.getKey()), n, e.getKey().getSimpleName() + " handle fields");
            for (String s : notWrapped.get(e.getKey()))
                assertTrue(e.getValue().stream().anyMatch(f -> f.name().equals(s)), s + " is in the table (bound, checked at load)");
            total += n;
        }
        assertEquals(37 + (12 + 2) + (13 + 1) + 13 + 6, total, "wrapped functions: " + handleFields);
    }

    @Test
    void descriptorCodesMapToTheirLayouts() {
        FunctionDescriptor d = Fn.of("x", "A, I, L, B").descriptor();
        assertEquals(FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS,
                java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.JAVA_LONG, java.lang.foreign.ValueLayout.JAVA_BYTE), d);
        assertEquals(FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT), Fn.of("cuCtxSynchronize", "").descriptor());
        assertThrows(IllegalArgumentException.class, () -> Fn.of("x", "D").descriptor());
    }
}
