package io.hartree.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Discovery and selection of backends. The request comes from {@code --backend} or, when that
 * is absent, the environment variable {@code HARTREE_BACKEND}; the default is {@code auto}.
 */
public final class Backends {
    public static final String ENV = "HARTREE_BACKEND";

    private Backends() {}

    /** Every backend on the class path, highest priority first. */
    public static List<Backend> discover() {
        List<Backend> all = new ArrayList<>();
        ServiceLoader.load(Backend.class).forEach(all::add);
        all.sort(Comparator.comparingInt(Backend::priority).reversed());
        return all;
    }

    /** The outcome of a selection, with the reasons why other backends were skipped. */
    public record Selection(Backend backend, Availability availability, List<String> skipped) {
        /** One line for the user: which backend was taken and why the others were not. */
        public String explanation() {
            String s = "backend " + backend.name() + (availability.device().isEmpty() ? "" : " (" + availability.device() + ")");
            return skipped.isEmpty() ? s : s + "; skipped: " + String.join("; ", skipped);
        }

        /** {@link #explanation()} without the library search lists: the console line (summary.json and {@code hartree backends} keep them). */
        public String brief() { return brief(explanation()); }

        /** Drops the " (searched: …)" library lists from a backend message. */
        public static String brief(String message) { return message.replaceAll(" \\(searched:[^)]*\\)", ""); }
    }

    /** Resolves the request: {@code null} or blank reads {@link #ENV}, then defaults to auto. */
    public static Selection select(String request) {
        return select(request, discover());
    }

    static Selection select(String request, List<Backend> candidates) {
        if (request == null || request.isBlank()) request = System.getenv(ENV);
        if (request == null || request.isBlank()) request = "auto";
        String want = request.trim().toLowerCase(Locale.ROOT);
        List<String> names = candidates.stream().map(Backend::name).toList();
        if (want.equals("auto")) {
            List<String> skipped = new ArrayList<>();
            for (Backend b : candidates) {
                Availability a = b.probe();
                if (a.available()) return new Selection(b, a, skipped);
                skipped.add(b.name() + ": " + a.reason());
            }
            throw new BackendException("no backend is available (" + String.join("; ", skipped) + ")");
        }
        for (Backend b : candidates) {
            if (b.name().equals(want)) {
                Availability a = b.probe();
                if (!a.available()) {
                    // The user named a backend this machine cannot run: bad input here (exit 2), with the reason
                    // and the choices that would work.
                    List<String> usable = new ArrayList<>(List.of("auto"));
                    for (Backend o : candidates) if (o != b && o.probe().available()) usable.add(o.name());
                    throw new ParameterException("--backend", want + " is unavailable on this machine: " + a.reason()
                            + "; usable here: " + String.join(" | ", usable));
                }
                return new Selection(b, a, List.of());
            }
        }
        throw new ParameterException("--backend", request, "auto | " + String.join(" | ", names));
    }
}
