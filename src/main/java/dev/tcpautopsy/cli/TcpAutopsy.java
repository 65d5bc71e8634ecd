package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.Analyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;

/** The {@code tcpautopsy} command: subcommands only. */
@Command(name = "tcpautopsy", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Explains how TCP connections in packet captures ended, and who ended them.",
        subcommands = {CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  tcpautopsy analyze incident.pcapng -o report/",
                "  tcpautopsy show incident.pcapng --stream 7",
                "  tcpautopsy compare client.pcap server.pcap -o cmp/",
                "  tcpautopsy serve --port 8080",
                "  tcpautopsy help analyze"})
public final class TcpAutopsy implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand (" + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** The command line, configured; tests call this rather than {@link #main}. */
    public static CommandLine commandLine() {
        return commandLine(Environment.system());
    }

    /** The command line with the given surroundings (tests pass a fixed engine and their own streams). */
    public static CommandLine commandLine(Environment env) {
        return commandLine(env, "");
    }

    /**
     * The command line with only the subcommand {@code only} when it is {@code analyze} or {@code show},
     * with every subcommand otherwise. Why: picocli reads each command's annotations when it is added,
     * and the others' cost {@code analyze} some 12 ms before it starts; once the first argument names
     * the subcommand, the others cannot be reached.
     */
    static CommandLine commandLine(Environment env, String only) {
        boolean all = !only.equals("analyze") && !only.equals("show");
        CommandLine cmd = new CommandLine(new TcpAutopsy());
        if (all || only.equals("analyze")) {
            cmd.addSubcommand("analyze", new AnalyzeCommand(env));
            HelpPages.addTo(cmd.getSubcommands().get("analyze"));
        }
        if (all || only.equals("show")) {
            cmd.addSubcommand("show", new ShowCommand(env));
        }
        if (all) {
            cmd.addSubcommand("compare", new CompareCommand(env));
            cmd.addSubcommand("serve", new ServeCommand());
            cmd.addSubcommand("generate", new GenerateCommand());
            cmd.addSubcommand("docs", new DocsCommand());
        }
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        // help as wide as the terminal (80 columns when there is none): the examples and tables are wide
        cmd.setUsageHelpAutoWidth(true);
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("tcpautopsy: " + ex.getMessage());
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parseResult) -> {
            // never a stack trace: one line that says what failed
            c.getErr().println("tcpautopsy: internal error: " + ex);
            return ExitCodes.FAILURE;
        });
        return cmd;
    }

    public static void main(String... args) {
        if (args.length > 0 && (args[0].equals("analyze") || args[0].equals("show"))) {
            // picocli reads its annotations for some 0.1 s on one core: the other gets the analysis ready
            Thread warm = new Thread(Analyzer::warmUp, "tcpautopsy-warm-up");
            warm.setDaemon(true);
            warm.start();
        }
        System.exit(commandLine(Environment.system(), args.length > 0 ? args[0] : "").execute(args));
    }
}
