package io.hartree.gpu.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CUDA C sources of the kernels (resources io/hartree/gpu/kernels/*.cu) and the PTX that
 * {@code nvcc --ptx} built from them at build time, when the build machine had nvcc.
 */
public final class KernelImage {
    public static final String DIR = "/io/hartree/gpu/kernels/";
    /** Every kernel source; each compiles on its own. */
    public static final List<String> SOURCES = List.of("hartree.cu", "fock.cu");

    private KernelImage() {}

    public static String source(String file) {
        byte[] b = resource(file);
        if (b == null) throw new IllegalStateException("kernel source " + DIR + file + " is missing from the jar");
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The cuFFT LTO callbacks of the fused Hartree step (resource io/hartree/gpu/callbacks/hartree_callbacks.cu). */
    public static final String CALLBACKS = "/io/hartree/gpu/callbacks/hartree_callbacks.cu";

    public static String callbackSource() {
        try (InputStream in = KernelImage.class.getResourceAsStream(CALLBACKS)) {
            if (in == null) throw new IllegalStateException("callback source " + CALLBACKS + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The build-time PTX of {@code file} (hartree.cu → hartree.ptx), or null when the build had no nvcc. */
    public static byte[] ptx(String file) {
        return resource(file.replaceFirst("\\.cu$", ".ptx"));
    }

    private static byte[] resource(String name) {
        try (InputStream in = KernelImage.class.getResourceAsStream(DIR + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern GLOBAL = Pattern.compile("__global__\\s+(?:void\\s+)?(?:__launch_bounds__\\s*\\([^)]*\\)\\s+)?(?:void\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    /**
     * Names of the {@code __global__} functions inside {@code extern "C" { ... }} blocks or declared
     * {@code extern "C" __global__}: the only ones cuModuleGetFunction can find by plain name.
     */
    public static List<String> externCKernels(String source) {
        String s = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
        List<String> names = new ArrayList<>();
        int i = 0;
        while ((i = s.indexOf("extern \"C\"", i)) >= 0) {
            int j = i + "extern \"C\"".length();
            while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
            if (j < s.length() && s.charAt(j) == '{') {
                int depth = 0, k = j;
                for (; k < s.length(); k++) {
                    if (s.charAt(k) == '{') depth++;
                    else if (s.charAt(k) == '}' && --depth == 0) break;
                }
                Matcher m = GLOBAL.matcher(s.substring(j, k));
                while (m.find()) names.add(m.group(1));
                i = k;
            } else {
                Matcher m = GLOBAL.matcher(s.substring(j));
                if (m.lookingAt()) names.add(m.group(1));
                i = j;
            }
        }
        return names;
    }

    /**
     * Parameter kinds of each extern "C" kernel, as {@link KernelArgs#kinds()} spells them: a
     * pointer is P, {@code int} I, {@code unsigned long long}/{@code u64}/{@code long long} U,
     * {@code double} D, {@code float} F. A launch whose packed arguments differ from its kernel's
     * would read garbage or fault on the device, so launches are checked against this.
     */
    public static java.util.Map<String, String> signatures(String source) {
        String s = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String name : externCKernels(source)) {
            Matcher m = Pattern.compile("__global__\\s+(?:void\\s+)?(?:__launch_bounds__\\s*\\([^)]*\\)\\s+)?(?:void\\s+)?"
                    + Pattern.quote(name) + "\\s*\\(([^)]*)\\)").matcher(s);
            if (!m.find()) throw new IllegalStateException("no parameter list for kernel " + name);
            StringBuilder k = new StringBuilder();
            String params = m.group(1).trim();
            if (!params.isEmpty() && !params.equals("void"))
                for (String p : params.split(",")) k.append(kind(p.trim(), name));
            out.put(name, k.toString());
        }
        return out;
    }

    private static char kind(String param, String kernel) {
        if (param.contains("*")) return 'P';
        String t = param.replaceAll("\\b(const|__restrict__)\\b", "").trim().replaceAll("\\s+\\w+$", "").trim();
        return switch (t) {
            case "int", "unsigned int" -> 'I';
            case "u64", "unsigned long long", "long long", "size_t" -> 'U';
            case "double" -> 'D';
            case "float" -> 'F';
            default -> throw new IllegalStateException("kernel " + kernel + ": parameter type of '" + param + "' not understood");
        };
    }

    /** Names of the {@code .entry} functions of a PTX image. */
    public static List<String> ptxEntries(String ptx) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\.entry\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(").matcher(ptx);
        while (m.find()) names.add(m.group(1));
        return names;
    }
}
