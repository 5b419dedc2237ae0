package io.hartree.cli;

import io.hartree.api.BackendException;
import io.hartree.api.ParameterException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hartree} command. Exit codes: 0 success, 1 a run failed (backend error), 2 bad input
 * (the message names the parameter and the allowed range; nothing is written).
 */
@Command(name = "hartree", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Hartree and Fock-space dynamics of Bose gases on CPU and NVIDIA GPUs.",
        subcommands = {
                BackendsCommand.class,
                RunCommand.class,
                GroundStateCommand.class,
                BenchCommand.class,
                MarginalsCommand.class,
                StudyCommand.class,
                FockCommand.class,
                SweepCommand.class,
                StudySweep.class,
        })
public final class Main implements Runnable {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = execute(args);
        System.exit(code);
    }

    /** Runs the CLI and returns the exit code (used by tests). */
    public static int execute(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable t = ex;
            while (t instanceof java.io.UncheckedIOException || (t.getCause() != null && t instanceof RuntimeException && !(t instanceof ParameterException) && !(t instanceof BackendException) && t.getClass() == RuntimeException.class))
                t = t.getCause();
            if (t instanceof ParameterException pe) {
                cmd.getErr().println("hartree: error: " + pe.getMessage());
                return EXIT_USAGE;
            }
            cmd.getErr().println("hartree: " + (t instanceof BackendException ? "backend error: " : "error: ") + t.getMessage());
            if (System.getenv("HARTREE_DEBUG") != null) t.printStackTrace(cmd.getErr());
            return EXIT_FAILURE;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("hartree: error: " + ex.getMessage());
            cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
            return EXIT_USAGE;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"hartree-engine " + (v == null ? "dev" : v) + ", Java " + Runtime.version()};
        }
    }
}
