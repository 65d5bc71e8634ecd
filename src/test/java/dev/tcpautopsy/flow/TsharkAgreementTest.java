package dev.tcpautopsy.flow;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.tcpautopsy.testing.Needs.need;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our {@code tcp.stream} number and {@code tcp.analysis.*} flags of every TCP frame equal tshark's
 * (4.0, as Debian ships it), on the kernel-made samples and the TCP-heavy files of the corpus.
 * tshark decodes the headers here, so this checks flow tracking alone; decoding has its own tests.
 *
 * <p>Deliberate differences, each with its reason, are listed in {@link #ALLOWED_FLAG_DIFFS}
 * (frames per file). Files where tshark also dissects TCP headers carried inside other payloads
 * (sFlow samples, OpenFlow packet-ins, Aruba 802.11 aggregates) are left out: Wireshark numbers those
 * embedded conversations too, and we analyze only the packets themselves.
 */
class TsharkAgreementTest {
    private static final Pattern CORPUS_PICK = Pattern.compile(
            "zeek/testing/btest/Traces/tcp/.*|suricata-verify/tests/[^/]*(tcp|rst|reset|reuse|window|retrans|keepalive"
                    + "|zero|seq|fin|handshake|3whs|syn)[^/]*/.*|.*/echo-connections\\.pcap\\.gz");

    /** File suffix to the number of frames whose flags differ, and why. */
    static final Map<String, Integer> ALLOWED_FLAG_DIFFS = Map.of(
            // frame 46 has TCP options running past the header: tshark stops at the exception before
            // it prints the frame's analysis, so its reused_ports flag is missing there
            "suricata-verify/tests/bug-76/input.pcap", 1,
            // a SYN retried 13 s after the connection's RST: past our 5 s linger the connection had been
            // handed on, so it is followed as a continuation in the same stream, with fresh analysis
            "suricata-verify/tests/tls/tls-subjectaltname/input.pcap", 4,
            // a fuzzed timestamp 18 hours ahead ends the linger of the connection it belongs to
            "suricata-verify/tests/transform-base64-7296/input.pcap", 1);

    private static Path corpus() {
        String p = System.getProperty("tcpautopsy.corpus");
        return p == null ? null : Path.of(p);
    }

    private static List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        String samples = System.getProperty("tcpautopsy.samples");
        if (samples != null && Files.isDirectory(Path.of(samples))) {
            try (Stream<Path> s = Files.list(Path.of(samples))) {
                s.filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng)(\\.gz)?")).sorted().forEach(out::add);
            }
        }
        Path corpus = corpus();
        if (corpus != null && Files.isRegularFile(corpus.resolve("inventory.tsv"))) {
            for (String line : Files.readAllLines(corpus.resolve("inventory.tsv"))) {
                String[] v = line.split("\t", -1);
                if (v.length > 6 && v[6].matches("[1-9]\\d*") && CORPUS_PICK.matcher(v[0]).matches()) {
                    out.add(corpus.resolve(v[0]));
                }
            }
        }
        return out;
    }

    @Test
    void syntheticScenariosMatchTshark(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        need(TsharkFrames.available(), "tshark");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Segments> e : SeqAnalysisTest.scenarios().entrySet()) {
            Path pcap = dir.resolve(e.getKey() + ".pcap");
            SegmentsPcap.write(e.getValue().all, pcap);
            List<TsharkFrames.Frame> fr = TsharkFrames.read(pcap);
            assertEquals(e.getValue().all.size(), fr.size(), e.getKey() + ": frames tshark decoded");
            TsharkAgreement r = TsharkAgreement.check(fr, FlowSettings.DEFAULT);
            if (!r.streamMismatches.isEmpty() || !r.flagMismatches.isEmpty()) {
                problems.add(e.getKey() + ": " + r.streamMismatches + " " + r.flagMismatches);
            }
            for (TsharkFrames.Frame x : fr) {
                SYNTHETIC_FLAGS[0] |= x.analysis();
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        // every rule but port reuse (checked on the corpus) fired on some scenario, so each was compared
        int all = (1 << AnalysisFlags.COUNT) - 1 & ~AnalysisFlags.REUSED_PORTS;
        assertEquals(AnalysisFlags.names(all), AnalysisFlags.names(SYNTHETIC_FLAGS[0] & all));
    }

    /** Flags tshark set on the synthetic scenarios (each rule is compared there even if no corpus file has it). */
    private static final int[] SYNTHETIC_FLAGS = new int[1];

    @Test
    void streamsAndAnalysisFlagsMatchTshark() throws Exception {
        need(TsharkFrames.available(), "tshark");
        List<Path> files = files();
        need(!files.isEmpty(), "samples and the corpus");
        List<String> problems = new ArrayList<>();
        long frames = 0;
        int checked = 0;
        int[] seen = new int[AnalysisFlags.COUNT];
        for (Path f : files) {
            List<TsharkFrames.Frame> fr = TsharkFrames.read(f);
            if (fr.isEmpty() || fr.stream().anyMatch(TsharkFrames.Frame::nestedTcp)) {
                continue;
            }
            checked++;
            frames += fr.size();
            for (TsharkFrames.Frame x : fr) {
                for (int i = 0; i < AnalysisFlags.COUNT; i++) {
                    seen[i] += (x.analysis() >>> i) & 1;
                }
            }
            TsharkAgreement r = TsharkAgreement.check(fr, FlowSettings.DEFAULT);
            if (!r.streamMismatches.isEmpty()) {
                problems.add(f + ": " + r.streamMismatches.size() + " frames in another stream, e.g. "
                        + r.streamMismatches.get(0));
            }
            String key = relative(f);
            int allowed = ALLOWED_FLAG_DIFFS.getOrDefault(key, 0);
            if (r.flagMismatches.size() != allowed) {
                problems.add(f + ": " + r.flagMismatches.size() + " frames with other flags (allowed " + allowed
                        + "), e.g. " + r.flagMismatches.subList(0, Math.min(3, r.flagMismatches.size())));
            }
        }
        System.out.printf("tshark agreement: %d captures, %d TCP frames%n", checked, frames);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(checked >= 10 || corpus() == null, "too few captures checked: " + checked);
        StringBuilder coverage = new StringBuilder();
        for (int i = 0; i < AnalysisFlags.COUNT; i++) {
            coverage.append(' ').append(AnalysisFlags.name(i)).append('=').append(seen[i]);
        }
        System.out.println("tshark flags in the captures checked:" + coverage);
    }

    private static String relative(Path f) {
        Path corpus = corpus();
        return corpus != null && f.startsWith(corpus) ? corpus.relativize(f).toString() : f.toString();
    }

    /** The flags tshark's retransmission field stands for: any of the three kinds. */
    @Test
    void retransmissionFieldCoversFastAndSpurious() {
        assertEquals(AnalysisFlags.RETRANSMISSION | AnalysisFlags.FAST_RETRANSMISSION,
                TsharkAgreement.comparable(AnalysisFlags.FAST_RETRANSMISSION));
        assertEquals(AnalysisFlags.RETRANSMISSION, TsharkAgreement.comparable(AnalysisFlags.RETRANSMISSION));
    }
}
