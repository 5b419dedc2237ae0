package io.hartree.cli;

import io.hartree.api.Availability;
import io.hartree.api.Backend;
import io.hartree.api.Backends;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code hartree backends}: each backend found, its availability, device and libraries. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the backends, whether each is available here (and why not), the device and library versions.")
final class BackendsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        var backends = Backends.discover();
        if (backends.isEmpty()) {
            System.out.println("no backends on the class path");
            return Main.EXIT_FAILURE;
        }
        for (Backend b : backends) {
            Availability a = b.probe();
            System.out.printf("%-5s priority %-3d %s%n", b.name(), b.priority(), a.available() ? "available" : "unavailable: " + a.reason());
            if (!a.device().isEmpty()) System.out.println("      device: " + a.device());
            for (Map.Entry<String, String> e : a.libraries().entrySet())
                System.out.println("      " + e.getKey() + ": " + e.getValue());
        }
        try {
            System.out.println("auto selects: " + Backends.select(null).explanation());
        } catch (RuntimeException e) {
            System.out.println("auto selects nothing: " + e.getMessage());
        }
        return 0;
    }
}
