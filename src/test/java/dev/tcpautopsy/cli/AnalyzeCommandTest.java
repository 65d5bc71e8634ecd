package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.report.ReportFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzeCommandTest {
    @TempDir
    Path tmp;

    private static CliHarness cli() {
        return new CliHarness(ReportFixture::report);
    }

    private static CliHarness complete() {
        return new CliHarness(() -> {
            return ReportFixture.report().withCaptures(List.of(ReportFixture.incident()));
        });
    }

    @Test
    void writesTheDefaultFormatsAndExitsOneWhenAnInputWasUnreadable() throws IOException {
        Path capture = Files.write(tmp.resolve("a.pcap"), new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1});
        Path out = tmp.resolve("out/nested");
        CliHarness h = cli().run("analyze", "-o", out.toString(), capture.toString());
        assertEquals(ExitCodes.INPUT_UNREADABLE, h.exit, h.err.toString());
        assertTrue(Files.isRegularFile(out.resolve("index.html")));
        assertTrue(Files.isRegularFile(out.resolve("flows.csv")));
        assertTrue(Files.isRegularFile(out.resolve("report.json")));
        assertFalse(Files.exists(out.resolve("summary.md")), "md is not a default format (contract: html,csv,json)");
        assertEquals("tcpautopsy: damaged.pcap: at byte 24: record length 9999999 (expected: <= 262144)\n",
                h.err.toString(), "the unreadable input is one line on stderr, nothing else");
        assertTrue(h.out.toString().startsWith("2 captures, 3 connections, 2 abnormal endings"), h.out.toString());
    }

    @Test
    void exitsZeroWhenEverythingWasRead() {
        CliHarness h = complete().run("analyze", "-f", "all", "-o", tmp.toString(), "x.pcap");
        assertEquals(ExitCodes.OK, h.exit, h.err.toString());
        assertTrue(h.out.toString().startsWith("1 capture, 3 connections, 2 abnormal endings"), h.out.toString());
        for (String f : List.of("index.html", "flows.csv", "report.json", "summary.md")) {
            assertTrue(Files.isRegularFile(tmp.resolve(f)), f);
        }
    }

    @Test
    void theTopFindingsFollowTheTotalsOrOneLineSaysThereAreNone() {
        CliHarness h = complete().run("analyze", "-o", tmp.resolve("a").toString(), "x.pcap");
        List<String> lines = h.out.toString().lines().toList();
        assertEquals("What went wrong:", lines.get(1));
        assertEquals("  1. 198.18.1.2:8080 closes connections idle for 75.0 s (the default of nginx keepalive_timeout?)"
                + " (1 connection)", lines.get(2));
        assertTrue(lines.indexOf("Reports:") > 2, "then the endings, and the files written");
        assertTrue(lines.get(lines.indexOf("Reports:") + 1).startsWith("  " + tmp.resolve("a")), "then the files written");
        CliHarness none = new CliHarness(() -> ReportFixture.report().withCaptures(List.of(ReportFixture.damaged())))
                .run("analyze", "-o", tmp.resolve("b").toString(), "x.pcap");
        assertEquals("Nothing to find: no TCP connections.", none.out.toString().lines().toList().get(1));
    }

    @Test
    void dashWritesTheSingleFormatToStandardOutput() {
        CliHarness h = complete().run("analyze", "-f", "json", "-o", "-", "x.pcap");
        assertEquals(ExitCodes.OK, h.exit, h.err.toString());
        assertTrue(h.stdout().startsWith("{\"tool\":\"tcpautopsy\""), h.stdout());
        assertTrue(h.stdout().endsWith("}\n"));
    }

    @Test
    void optionsReachTheAnalysis() {
        CliHarness h = complete().run("analyze", "--idle-threshold", "5m", "--merge", "--host", "2001:DB8:0:0::1",
                "--host", "198.18.0.2,198.18.1.2", "--port", "443", "--port", "80,8080", "--class", "refused,RST_ABORT",
                "--only-abnormal", "-j", "3", "-o", tmp.toString(), "a.pcap", "-");
        assertEquals(ExitCodes.OK, h.exit, h.err.toString());
        AnalysisOptions o = h.options.get(0);
        assertEquals(Duration.ofMinutes(5), o.idleThreshold());
        assertTrue(o.merge());
        assertEquals(3, o.threads());
        assertEquals(Set.of("2001:db8::1", "198.18.0.2", "198.18.1.2"), o.hosts());
        assertEquals(Set.of(443, 80, 8080), o.ports());
        assertEquals(Set.of(TerminationClass.REFUSED, TerminationClass.RST_ABORT), o.classes());
        assertTrue(o.onlyAbnormal());
        assertEquals(List.of(new Input("a.pcap", Path.of("a.pcap")), Input.stdin()), h.inputs.get(0));
    }

    @Test
    void defaultsMatchTheContract() {
        CliHarness h = complete().run("analyze", "-o", tmp.toString(), "a.pcap");
        AnalysisOptions o = h.options.get(0);
        assertEquals(Duration.ofSeconds(30), o.idleThreshold());
        assertFalse(o.merge());
        assertFalse(o.onlyAbnormal());
        assertTrue(o.hosts().isEmpty() && o.ports().isEmpty() && o.classes().isEmpty());
    }

    @Test
    void usageErrorsExitTwoWithOneLineAndAHint() {
        String[][] bad = {
                {"analyze"},
                {"analyze", "-f", "pdf", "a.pcap"},
                {"analyze", "-o", "-", "a.pcap"},
                {"analyze", "-o", "-", "-f", "csv,json", "a.pcap"},
                {"analyze", "--idle-threshold", "soon", "a.pcap"},
                {"analyze", "--idle-threshold", "0s", "a.pcap"},
                {"analyze", "--port", "70000", "a.pcap"},
                {"analyze", "--host", "db.example.com", "a.pcap"},
                {"analyze", "--host", "198.18.0.300", "a.pcap"},
                {"analyze", "--class", "EXPLODED", "a.pcap"},
                {"analyze", "-j", "0", "a.pcap"},
                {"analyze", "--bogus", "a.pcap"},
                {"analyze", "-", "-"},
                {},
        };
        for (String[] args : bad) {
            CliHarness h = complete().run(args);
            assertEquals(ExitCodes.USAGE, h.exit, String.join(" ", args) + " -> " + h.err);
            String[] lines = h.err.toString().split("\n");
            assertEquals(2, lines.length, "one error line and one hint: " + h.err);
            assertTrue(lines[0].startsWith("tcpautopsy: "), lines[0]);
            assertTrue(lines[1].startsWith("Try 'tcpautopsy"), lines[1]);
            assertTrue(h.options.isEmpty(), "nothing analyzed on a usage error");
        }
    }

    @Test
    void anInternalFailureIsOneLineNotAStackTrace() {
        CliHarness h = new CliHarness(() -> {
            throw new IllegalStateException("boom");
        }).run("analyze", "-o", tmp.toString(), "a.pcap");
        assertEquals(ExitCodes.FAILURE, h.exit);
        assertEquals("tcpautopsy: internal error: java.lang.IllegalStateException: boom\n", h.err.toString());
    }

    @Test
    void unwritableOutputIsOneLineAndExitThree() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        CliHarness h = complete().run("analyze", "-o", file.resolve("sub").toString(), "a.pcap");
        assertEquals(ExitCodes.FAILURE, h.exit);
        assertEquals(1, h.err.toString().split("\n").length, h.err.toString());
        assertTrue(h.err.toString().startsWith("tcpautopsy: cannot write the report to "));
    }

    @Test
    void helpAndVersion() {
        CliHarness h = cli().run("analyze", "--help");
        assertEquals(0, h.exit);
        assertTrue(h.out.toString().contains("--idle-threshold"));
        assertTrue(h.out.toString().contains("Examples:"));
        assertTrue(h.out.toString().contains("Exit status"));
        CliHarness v = cli().run("--version");
        assertEquals(0, v.exit);
        assertTrue(v.out.toString().startsWith("tcpautopsy "));
    }

    @Test
    void directoriesAreSearchedRecursivelyForCaptures() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("caps/deeper"));
        byte[] pcapng = {0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0};
        Files.write(tmp.resolve("caps/one.bin"), pcapng);                      // magic, odd name
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("two.dat")))) {
            gz.write(new byte[] {(byte) 0xa1, (byte) 0xb2, 0x3c, 0x4d, 0, 0});  // gzip of a nanosecond pcap
        }
        Files.writeString(dir.resolve("damaged.pcap"), "not a capture");       // capture name, bad magic: kept
        Files.writeString(dir.resolve("notes.txt"), "hello");                  // skipped
        ByteArrayOutputStream tgz = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(tgz)) {
            gz.write("tar file".getBytes());
        }
        Files.write(dir.resolve("logs.tar.gz"), tgz.toByteArray());           // gzip of something else: skipped
        CliHarness h = complete().run("analyze", "-o", tmp.resolve("out").toString(), tmp.resolve("caps").toString());
        assertEquals(ExitCodes.OK, h.exit, h.err.toString());
        List<String> names = h.inputs.get(0).stream().map(i -> tmp.relativize(i.path()).toString()).toList();
        assertEquals(List.of("caps/deeper/damaged.pcap", "caps/deeper/two.dat", "caps/one.bin"), names);
    }

    @Test
    void aDirectoryWithoutCapturesIsNamed() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliHarness h = complete().run("analyze", "-o", tmp.resolve("out").toString(), empty.toString());
        assertEquals(ExitCodes.INPUT_UNREADABLE, h.exit);
        assertTrue(h.err.toString().contains("no capture found under " + empty));
        assertTrue(h.options.isEmpty());
    }
}
