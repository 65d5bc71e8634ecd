package dev.tcpautopsy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mistakes a first-time user makes get one line each on standard error, naming what is wrong and
 * what to do instead, with the right exit status; never a Java exception's name, never a report of
 * nothing. Runs the real pipeline on a sample capture.
 */
class NewcomerErrorsTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = TcpAutopsy.commandLine(new Environment(Engine.PIPELINE, new ByteArrayOutputStream(), false));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String sample() {
        return EndToEnd.samples().resolve("fin-orderly-client-first.pcap").toString();
    }

    @Test
    void outAtAnExistingFileIsAUsageErrorBeforeAnyAnalysis() throws Exception {
        Path file = Files.writeString(tmp.resolve("report.txt"), "notes");
        for (String cmd : new String[] {"analyze", "compare"}) {
            Run r = cmd.equals("analyze") ? run("analyze", "-o", file.toString(), sample())
                    : run("compare", "-o", file.toString(), sample(), sample());
            assertEquals(ExitCodes.USAGE, r.exit(), cmd + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("tcpautopsy: -o " + file + " is a file"), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertEquals("notes", Files.readString(file), "the file is left alone");
        }
    }

    @Test
    void aMissingInputWritesNoReport() {
        Path out = tmp.resolve("out");
        Run r = run("analyze", "-o", out.toString(), tmp.resolve("nosuch.pcap").toString());
        assertEquals(ExitCodes.INPUT_UNREADABLE, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("nosuch.pcap: no such file"), r.err());
        assertFalse(Files.exists(out), "no report of nothing");
        assertEquals("", r.out());
    }

    @Test
    void aMissingInputBesideAReadableOneIsNamedInTheReport() throws Exception {
        Path out = tmp.resolve("out");
        Run r = run("analyze", "-f", "json", "-o", out.toString(), tmp.resolve("nosuch.pcap").toString(), sample());
        assertEquals(ExitCodes.INPUT_UNREADABLE, r.exit(), "the contract: some input could not be read");
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(Files.readString(out.resolve("report.json")).contains("no such file"));
    }

    @Test
    void showOnADirectoryOrAMissingFileIsOneLine() {
        Run dir = run("show", tmp.toString(), "--stream", "0");
        assertEquals(ExitCodes.USAGE, dir.exit());
        assertEquals(1, dir.err().lines().count(), dir.err());
        assertTrue(dir.err().contains(tmp + " is a directory"), dir.err());
        Run missing = run("show", tmp.resolve("nosuch.pcap").toString(), "--stream", "0");
        assertEquals(ExitCodes.INPUT_UNREADABLE, missing.exit());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().contains("nosuch.pcap: no such file"), missing.err());
    }
}
