package dev.tcpautopsy.analysis;

import dev.tcpautopsy.capture.CaptureBuilder;
import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The header dumps of evidence frames: read again from a plain capture file by where the records are,
 * copied as the packets pass from a compressed one (which cannot be read twice). Either way the same
 * bytes, in pcap, in pcapng (enhanced and obsolete packet blocks) and in a capture merged from pieces.
 */
class EvidenceHeadersTest {
    private static final String[] SAMPLES = {"rst-abort-server.pcap", "refused-no-listener.pcap",
        "middlebox-rst-ips.pcap", "rst-unread-data-server-v6.pcap", "rst-after-close-client-vlan.pcap",
        "handshake-timeout-syn-dropped.pcap"};

    private static Path sample(String name) {
        String s = System.getProperty("tcpautopsy.samples");
        assumeTrue(s != null && Files.isRegularFile(Path.of(s, name)), "sample " + name + " missing");
        return Path.of(s, name);
    }

    private static List<Flow> flows(Path... files) {
        List<Input> inputs = new ArrayList<>();
        for (Path f : files) {
            inputs.add(Input.of(f));
        }
        AnalysisOptions merged = new AnalysisOptions(Duration.ofSeconds(30), files.length > 1, 1, Set.of(), Set.of(),
                Set.of(), false);
        try (Analyzer a = new Analyzer(merged, 1)) {
            CaptureReport c = a.analyze(inputs, ProgressListener.NONE).report().captures().get(0);
            assertEquals(null, c.error(), c.file());
            List<Flow> out = new ArrayList<>();
            c.flows().forEach(out::add);
            return out;
        }
    }

    private static int dumps(List<Flow> flows) {
        int n = 0;
        for (Flow f : flows) {
            for (Evidence e : f.termination().evidence()) {
                n += e.headerDump().isEmpty() ? 0 : 1;
            }
        }
        return n;
    }

    private static Path gzipped(Path f, Path dir) throws IOException {
        Path gz = dir.resolve(f.getFileName() + ".gz");
        Files.write(gz, CaptureBuilder.gzip(Files.readAllBytes(f)));
        return gz;
    }

    /**
     * The capture as pcapng: one interface, nanosecond times; enhanced packet blocks, with every third an obsolete
     * packet block and every fifth a simple one (which has no time: its packet takes the one before's).
     */
    private static Path pcapng(Path f, Path dir) throws IOException {
        CaptureBuilder b = null;
        int n = 0;
        try (CaptureReader r = Captures.open(f)) {
            PacketRecord rec = new PacketRecord();
            while (r.next(rec)) {
                if (b == null) {
                    b = CaptureBuilder.pcapng(false).iface(rec.linkType, 0, 9, 0);
                }
                byte[] data = java.util.Arrays.copyOfRange(rec.buf, rec.off, rec.off + rec.capLen);
                if (n % 5 == 4) {
                    b.spb(data, rec.wireLen);
                } else if (n % 3 == 2) {
                    b.pb(0, rec.tsNanos, data, rec.wireLen);
                } else {
                    b.epb(0, rec.tsNanos, data, rec.wireLen);
                }
                n++;
            }
        }
        Path out = dir.resolve(f.getFileName() + ".pcapng");
        Files.write(out, b.done());
        return out;
    }

    @Test
    void aPlainFileReadAgainGivesTheDumpsThatCopiesGive(@TempDir Path dir) throws IOException {
        int dumped = 0, dumpedNg = 0;
        for (String name : SAMPLES) {
            Path plain = sample(name);
            List<Flow> read = flows(plain);
            assertEquals(flows(gzipped(plain, dir)), read, name);
            Path ng = pcapng(plain, dir);
            List<Flow> readNg = flows(ng);
            assertEquals(flows(gzipped(ng, dir)), readNg, name + " as pcapng");
            dumped += dumps(read);
            dumpedNg += dumps(readNg);
        }
        assertTrue(dumped >= 2 * SAMPLES.length, dumped + " evidence frames with their headers");
        assertTrue(dumpedNg >= 2 * SAMPLES.length, dumpedNg + " evidence frames with their headers in pcapng");
    }

    @Test
    void theDumpsOfAMergedCaptureComeFromTheirPieces(@TempDir Path dir) throws IOException {
        Path[] plain = AnalyzerTest.split(sample("mixed-concurrent.pcap.gz"), dir, 3).toArray(new Path[0]);
        Path[] gz = new Path[plain.length];
        for (int i = 0; i < plain.length; i++) {
            gz[i] = gzipped(plain[i], dir);
        }
        List<Flow> read = flows(plain);
        assertEquals(flows(gz), read);
        assertTrue(dumps(read) > 10, dumps(read) + " evidence frames with their headers");
    }
}
