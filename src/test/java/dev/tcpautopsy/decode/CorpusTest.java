package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.CaptureFormatException;
import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.model.DecodeStats;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.tcpautopsy.testing.Needs.need;

/**
 * Every file of the public corpus (system property {@code tcpautopsy.corpus}): none throws
 * anything but a CaptureFormatException or hangs, and on the files tshark reads, record counts
 * and TCP frame counts equal inventory.tsv's, except the deliberate differences listed in
 * {@code vectors/corpus-deviations.tsv}.
 */
class CorpusTest {
    private static final long PER_FILE_SECONDS = 20;

    /** What one file gave. */
    record Outcome(long packets, long tcpFrames, String error, DecodeStats stats) {
    }

    @Test
    void everyFileIsReadAndTcpFramesMatchTshark() throws Exception {
        String dir = System.getProperty("tcpautopsy.corpus");
        need(dir != null && Files.isDirectory(Paths.get(dir)), "the corpus");
        Path root = Paths.get(dir);
        Map<String, String[]> inventory = new HashMap<>();
        for (String line : Files.readAllLines(root.resolve("inventory.tsv"))) {
            String[] f = line.split("\t", -1);
            inventory.put(f[0], f);
        }
        Map<String, String[]> deviations = deviations();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        int compared = 0, matched = 0, readable = 0;
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "corpus-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Path file : files) {
                String name = root.relativize(file).toString().replace('\\', '/');
                Future<Outcome> job = pool.submit(() -> analyze(file));
                Outcome o;
                try {
                    o = job.get(PER_FILE_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    job.cancel(true);
                    failures.add(name + ": no result within " + PER_FILE_SECONDS + " s");
                    pool.shutdownNow();
                    pool = Executors.newSingleThreadExecutor();
                    continue;
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(name + ": unexpected " + e.getCause());
                    continue;
                }
                String[] inv = inventory.get(name);
                if (inv == null || inv[2].equals("(unreadable)")) {
                    continue; // not a capture for tshark either: reaching here without a crash is the test
                }
                readable++;
                long wantPackets = Long.parseLong(inv[4]);
                long wantTcp = Long.parseLong(inv[5]);
                if (o.error() != null || o.packets() != wantPackets) {
                    failures.add(name + ": " + o.packets() + " records (tshark " + wantPackets + ")"
                            + (o.error() == null ? "" : ", stopped: " + o.error()));
                    continue;
                }
                compared++;
                String[] dev = deviations.get(name);
                if (dev != null) {
                    if (o.tcpFrames() != Long.parseLong(dev[1]) || o.tcpFrames() == wantTcp) {
                        failures.add(name + ": listed deviation says " + dev[1] + ", we count " + o.tcpFrames()
                                + ", tshark " + wantTcp + " (update corpus-deviations.tsv)");
                    }
                } else if (o.tcpFrames() != wantTcp) {
                    failures.add(name + ": " + o.tcpFrames() + " TCP frames, tshark " + wantTcp + "; "
                            + o.stats());
                } else {
                    matched++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("corpus: %d files, %d tshark-readable, %d compared, %d TCP counts equal, %d listed deviations%n",
                files.size(), readable, compared, matched, deviations.size());
        assertTrue(failures.isEmpty(), failures.size() + " files:\n" + String.join("\n", failures));
        assertTrue(compared > 1900, "the corpus was really read: " + compared);
        assertEquals(deviations.size(), compared - matched, "every deviation is still exercised");
    }

    static Outcome analyze(Path file) throws IOException {
        PacketRecord rec = new PacketRecord();
        TcpSegment seg = new TcpSegment();
        PacketDecoder d = new PacketDecoder();
        long n = 0;
        String error = null;
        try (CaptureReader r = Captures.open(file)) {
            while (r.next(rec)) {
                n++;
                d.decode(rec, seg);
            }
        } catch (CaptureFormatException e) {
            error = e.getMessage();
        }
        DecodeStats s = d.stats();
        return new Outcome(n, tsharkTcpFrames(s), error, s);
    }

    /**
     * What Wireshark's {@code tcp} display filter matches: every frame with a TCP layer, usable
     * or not (a header with at least its ports), and ICMP errors quoting one.
     */
    static long tsharkTcpFrames(DecodeStats s) {
        return s.tcpSegments()
                + s.anomalies().getOrDefault(Anomaly.TRUNCATED_TCP_HEADER.name(), 0L)
                + s.anomalies().getOrDefault(Anomaly.BAD_TCP_DATA_OFFSET.name(), 0L)
                + s.otherProtocols().getOrDefault("ICMP error quoting TCP", 0L)
                + s.otherProtocols().getOrDefault("ICMPv6 error quoting TCP", 0L);
    }

    private static Map<String, String[]> deviations() throws IOException {
        Map<String, String[]> m = new HashMap<>();
        try (InputStream in = CorpusTest.class.getResourceAsStream("/vectors/corpus-deviations.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                assertEquals(3, f.length, "file, count, reason: " + line);
                m.put(f[0], f);
            }
        }
        return m;
    }
}
