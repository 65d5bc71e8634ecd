package dev.tcpautopsy.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpAutopsyTest {

    @Test
    void withoutASubcommandItIsAUsageErrorNamingEveryCommand() {
        StringWriter err = new StringWriter();
        CommandLine cmd = TcpAutopsy.commandLine();
        cmd.setErr(new PrintWriter(err, true));

        assertEquals(ExitCodes.USAGE, cmd.execute());
        String first = err.toString().lines().findFirst().orElse("");
        for (String name : new String[] {"analyze", "show", "serve", "generate"}) {
            assertTrue(first.contains(name), first);
        }
    }

    /**
     * main builds only the subcommand it was asked for (analyze, show): what those print, their help and
     * their usage errors, is what the full command line prints.
     */
    @Test
    void theNarrowCommandLineAnswersAsTheFullOne() {
        String[][] runs = {{"analyze", "--help"}, {"analyze", "--bogus"}, {"analyze", "-f", "xml", "x.pcap"},
                {"analyze"}, {"show", "--help"}, {"show", "x.pcap", "--stream", "nope"}};
        for (String[] args : runs) {
            CommandLine narrow = TcpAutopsy.commandLine(Environment.system(), args[0]);
            assertEquals(java.util.Set.of(args[0], "help"), narrow.getSubcommands().keySet());
            assertEquals(answer(TcpAutopsy.commandLine(), args), answer(narrow, args), String.join(" ", args));
        }
        assertEquals(TcpAutopsy.commandLine().getSubcommands().keySet(),
                TcpAutopsy.commandLine(Environment.system(), "serve").getSubcommands().keySet());
    }

    private static String answer(CommandLine cmd, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return code + "\n" + out + "\n" + err;
    }
}
