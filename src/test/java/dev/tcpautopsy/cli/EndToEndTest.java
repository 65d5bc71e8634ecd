package dev.tcpautopsy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command line with the real pipeline, in-process, on samples/ and on a damaged batch. */
class EndToEndTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = TcpAutopsy.commandLine(new Environment(Engine.PIPELINE, new ByteArrayOutputStream(), false));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void samplesGiveEveryFormatAndExitZero() throws IOException {
        Path out = tmp.resolve("out");
        Run r = run("analyze", "-f", "all", "-o", out.toString(), EndToEnd.samples().toString());
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals("", r.err());
        EndToEnd.checkSamples(out);
    }

    @Test
    void damagedBatchIsReportedAndExitsOne() throws IOException {
        Path out = tmp.resolve("out");
        Run r = run("analyze", "-f", "all", "-o", out.toString(), EndToEnd.damagedDirectory(tmp).toString());
        assertEquals(ExitCodes.INPUT_UNREADABLE, r.exit(), r.err());
        EndToEnd.checkDamaged(out, r.err());
    }
}
