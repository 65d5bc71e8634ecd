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
}
