package dev.tcpautopsy.synth;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.cli.TcpAutopsy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tcpautopsy generate} end to end, read back with the project's own capture reader. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cmd = TcpAutopsy.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static long[] readBack(Path file) throws IOException {
        long packets = 0;
        long last = Long.MIN_VALUE;
        try (CaptureReader r = Captures.open(file)) {
            PacketRecord rec = new PacketRecord();
            while (r.next(rec)) {
                packets++;
                assertEquals(1, rec.linkType);
                assertTrue(rec.tsNanos >= last, "time order at frame " + rec.frame);
                last = rec.tsNanos;
            }
        }
        return new long[] {packets, last};
    }

    @Test
    void writesEveryFormatAndTheTruthBesideIt() throws IOException {
        for (String name : List.of("a.pcap", "b.pcapng", "c.pcap.gz", "d.pcapng.gz")) {
            Path out = dir.resolve(name);
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            String format = name.contains("pcapng") ? "pcapng" : "pcap";
            int exit = run(o, e, "generate", "--packets", "3000", "--seed", "9", "--format", format, "--nanos",
                    out.toString());
            assertEquals(0, exit, e.toString());
            long packets = Long.parseLong(o.toString().split(": ")[1].split(" ")[0]);
            long[] back = readBack(out);
            assertEquals(packets, back[0], name);
            // nanosecond resolution survives: the last packet's time is not a whole microsecond
            List<String> truth = Files.readAllLines(dir.resolve(name + ".truth.tsv"));
            assertTrue(truth.get(0).startsWith("# scenario: synthetic seed=9"), truth.get(0));
            List<String> summary = Files.readAllLines(dir.resolve(name + ".truth-summary.tsv"));
            long flows = summary.stream().filter(l -> !l.startsWith("#") && !l.startsWith("class"))
                    .mapToLong(l -> Long.parseLong(l.split("\t")[2])).sum();
            assertEquals(truth.size() - 3, flows, name + ": summary and per-flow truth agree");
        }
        assertEquals(Files.size(dir.resolve("a.pcap")), gunzipSize(dir.resolve("c.pcap.gz")), "gzip of the same bytes");
    }

    private static long gunzipSize(Path gz) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    @Test
    void noneWritesNeitherTruthFile() throws IOException {
        Path out = dir.resolve("bare.pcap");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertEquals(0, run(o, e, "generate", "--packets", "500", "--flow-truth", "none", "--summary", "none",
                out.toString()), e.toString());
        assertTrue(Files.size(out) > 0);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(out), files.toList(), "only the capture");
        }
        assertTrue(Files.notExists(Path.of("none")), "no file named 'none' in the working directory");
    }

    @Test
    void badOptionsAreUsageErrors() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertEquals(2, run(o, e, "generate", "--size", "lots", dir.resolve("x.pcap").toString()));
        assertTrue(e.toString().contains("size 'lots'"), e.toString());
        e.getBuffer().setLength(0);
        assertEquals(2, run(o, e, "generate", "--endings", "FIN_SOMETIMES=3", dir.resolve("x.pcap").toString()));
        assertTrue(e.toString().contains("unknown ending 'FIN_SOMETIMES'"), e.toString());
    }

    @Test
    void sizesWithUnits() {
        assertEquals(1L << 30, dev.tcpautopsy.cli.GenerateCommandAccess.parseSize("1GiB"));
        assertEquals(500_000_000L, dev.tcpautopsy.cli.GenerateCommandAccess.parseSize("500MB"));
        assertEquals(4096, dev.tcpautopsy.cli.GenerateCommandAccess.parseSize("4096"));
        assertEquals(3L << 19, dev.tcpautopsy.cli.GenerateCommandAccess.parseSize("1.5MiB"));
    }
}
