package dev.tcpautopsy.synth;

import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator's output, read back by an independent parser: bytes, checksums, flows and truth. */
class GeneratorTest {
    /** Every variant, with loss and reordering turned up so that recovery shows in small files. */
    static final SynthParams MIXED = SynthParams.defaults(Profile.BULK, 1).withTargets(0, 30_000)
            .withEndings(EndingMix.parse(String.join(",", Arrays.stream(Ending.values()).map(e -> e + "=1").toList())))
            .withNetwork(48, 0.02, 0.02, 0.3, true).withSeed(42);

    static Generated mixed;

    record Generated(byte[] pcap, String truth, SynthResult result) {
    }

    static Generated generate(SynthParams p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter truth = new StringWriter();
        SynthResult r = new Generator(p).write(out, truth);
        return new Generated(out.toByteArray(), truth.toString(), r);
    }

    @BeforeAll
    static void setUp() throws IOException {
        mixed = generate(MIXED);
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        Generated again = generate(MIXED);
        assertArrayEquals(mixed.pcap(), again.pcap());
        assertEquals(mixed.truth(), again.truth());
        Generated other = generate(MIXED.withSeed(43));
        assertFalse(Arrays.equals(mixed.pcap(), other.pcap()));
    }

    @Test
    void everyChecksumIsRight() {
        Wire w = Wire.parse(mixed.pcap());
        assertEquals(mixed.result().packets(), w.all.size());
        long v6 = w.all.stream().filter(Wire.Seg::v6).count();
        assertTrue(v6 > 0 && v6 < w.all.size(), "both IPv4 and IPv6: " + v6);
        for (Wire.Seg s : w.all) {
            assertTrue(s.ipSumOk(), "IPv4 header checksum of frame " + s.frame());
            assertTrue(s.tcpSumOk(), "TCP checksum of frame " + s.frame());
        }
    }

    @Test
    void timestampsNeverGoBackwards() {
        Wire w = Wire.parse(mixed.pcap());
        for (int i = 1; i < w.all.size(); i++) {
            assertTrue(w.all.get(i).tNanos() >= w.all.get(i - 1).tNanos(), "frame " + (i + 1));
        }
    }

    @Test
    void truthNamesEveryFlowOnceAndCountsMatch() throws IOException {
        Wire w = Wire.parse(mixed.pcap());
        Map<String, String[]> truth = truthLines(mixed.truth());
        assertEquals(mixed.result().flows(), w.flows.size(), "flows in the capture");
        assertEquals(w.flows.keySet(), truth.keySet(), "the truth's 4-tuples are the capture's");
        Map<TerminationClass, Map<By, Long>> counted = new EnumMap<>(TerminationClass.class);
        Set<String> streams = new HashSet<>();
        for (String[] t : truth.values()) {
            counted.computeIfAbsent(TerminationClass.valueOf(t[4]), k -> new EnumMap<>(By.class))
                    .merge(By.valueOf(t[5].toUpperCase(java.util.Locale.ROOT)), 1L, Long::sum);
            streams.add(t[7].split(";")[0]);
        }
        assertEquals(mixed.result().verdicts(), counted);
        assertEquals(truth.size(), streams.size(), "stream numbers are unique");
        for (Ending e : Ending.values()) {
            assertTrue(mixed.result().endings().getOrDefault(e, 0L) > 0, "some flow ends as " + e);
        }
        StringWriter summary = new StringWriter();
        Synth.writeSummary(summary, MIXED, mixed.result());
        assertTrue(summary.toString().contains("\nFIN_ORDERLY\tclient\t" + mixed.result().count(
                TerminationClass.FIN_ORDERLY, By.CLIENT) + "\n"), summary.toString());
    }

    @Test
    void streamNumbersFollowFirstPackets() throws IOException {
        Wire w = Wire.parse(mixed.pcap());
        Map<String, String[]> truth = truthLines(mixed.truth());
        int i = 0;
        for (String key : w.flows.keySet()) {
            assertEquals("stream " + i, truth.get(key)[7].split(";")[0], key);
            i++;
        }
    }

    @Test
    void endingsLookLikeLinux() throws IOException {
        Wire w = Wire.parse(mixed.pcap());
        Map<String, String[]> truth = truthLines(mixed.truth());
        for (Map.Entry<String, List<Wire.Seg>> f : w.flows.entrySet()) {
            String[] t = truth.get(f.getKey());
            Ending e = Ending.valueOf(t[7].split(";")[1].trim().toUpperCase(java.util.Locale.ROOT));
            LinuxShapes.check(e, f.getValue(), f.getKey() + " (" + e + ")");
        }
    }

    @Test
    void churnFramesAreSmall() throws IOException {
        SynthParams p = SynthParams.defaults(Profile.CHURN, 1).withTargets(0, 50_000);
        SynthResult r = generate(p).result();
        assertTrue(r.averageFrame() < 100, "average frame " + r.averageFrame());
        assertTrue(r.flows() > 5_000, "many short flows: " + r.flows());
    }

    @Test
    void bulkFramesAverageNear770() throws IOException {
        SynthResult r = generate(SynthParams.defaults(Profile.BULK, 24L << 20)).result();
        assertTrue(r.averageFrame() > 700 && r.averageFrame() < 840, "average frame " + r.averageFrame());
        double perFlow = (double) r.packets() / r.flows();
        assertTrue(perFlow > 35 && perFlow < 80, "packets per flow " + perFlow);
    }

    /** Truth lines keyed like {@link Wire#flows}: "client port server port", addresses normalized. */
    static Map<String, String[]> truthLines(String tsv) throws IOException {
        Map<String, String[]> out = new HashMap<>();
        List<String> lines = new ArrayList<>(List.of(tsv.split("\n")));
        assertTrue(lines.get(0).startsWith("# scenario: synthetic seed="), lines.get(0));
        assertEquals("# capture point: client", lines.get(1));
        assertEquals(TruthLog.COLUMNS, lines.get(2));
        for (String line : lines.subList(3, lines.size())) {
            String[] c = line.split("\t", -1);
            assertEquals(8, c.length, line);
            String key = norm(c[0]) + " " + c[1] + " " + norm(c[2]) + " " + c[3];
            assertEquals(null, out.put(key, c), "one line per flow: " + key);
        }
        return out;
    }

    static String norm(String ip) throws IOException {
        String a = InetAddress.getByName(ip).getHostAddress();
        // the independent parser prints IPv6 uncompressed, as InetAddress does, without leading zeros
        return a;
    }
}
