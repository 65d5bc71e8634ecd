package dev.tcpautopsy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tcpautopsy} command: subcommands only. */
@Command(name = "tcpautopsy", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Explains how TCP connections in packet captures ended, and who ended them.",
        subcommands = {CommandLine.HelpCommand.class})
public final class TcpAutopsy implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** The command line, configured; tests call this rather than {@link #main}. */
    public static CommandLine commandLine() {
        return new CommandLine(new TcpAutopsy());
    }

    public static void main(String... args) {
        System.exit(commandLine().execute(args));
    }
}
