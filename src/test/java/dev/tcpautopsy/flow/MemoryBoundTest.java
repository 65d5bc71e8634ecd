package dev.tcpautopsy.flow;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.decode.PacketDecoder;
import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.synth.Profile;
import dev.tcpautopsy.synth.Synth;
import dev.tcpautopsy.synth.SynthParams;
import dev.tcpautopsy.synth.SynthResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flow tracking holds what is open at once, not what the capture contains: a generated churn
 * capture (tens of thousands of short connections, a few hundred at a time) never has the tracker
 * hold more than its cap (connections that fall silent without FIN or RST are handed on, least
 * recently active first), and the table stops growing once tombstones reach their cap.
 */
class MemoryBoundTest {

    @Test
    void trackedConnectionsFollowConcurrencyNotCaptureSize(@TempDir Path dir) throws Exception {
        int concurrency = 200;
        SynthParams p = SynthParams.defaults(Profile.CHURN, 1).withTargets(0, 400_000)
                .withNetwork(concurrency, 0, 0, 0.1, true);
        Path capture = dir.resolve("churn.pcap");
        SynthResult truth = Synth.generate(p, capture, null, null);
        // small caps, so that the test sees them bind
        FlowSettings d = FlowSettings.DEFAULT;
        FlowSettings s = new FlowSettings(d.idleThresholdNanos(), d.lingerNanos(), 1000, d.tailSize(), d.headerRing(),
                d.headerBytes(), d.tombstoneNanos(), 5000, 2000);
        long[] handed = new long[1];
        FlowTracker t = new FlowTracker(s, (f, h) -> handed[0]++, new HostTable(1000));
        PacketDecoder dec = new PacketDecoder();
        PacketRecord rec = new PacketRecord();
        TcpSegment seg = new TcpSegment();
        long maxOpen = 0;
        int maxCapacity = 0;
        long last = 0;
        try (CaptureReader r = Captures.open(capture)) {
            while (r.next(rec)) {
                last = rec.tsNanos;
                if (dec.decode(rec, seg)) {
                    t.accept(seg);
                    maxOpen = Math.max(maxOpen, t.openConnections());
                    maxCapacity = Math.max(maxCapacity, t.tableCapacity());
                }
            }
        }
        t.finish(last);
        assertTrue(truth.flows() > 20 * (concurrency + 1000L), "capture too small to tell: " + truth.flows());
        // the cap, plus the connection opened by the packet that crossed it (handed on at the next one)
        assertTrue(maxOpen <= 2001, "held " + maxOpen + " connections at once");
        assertTrue(t.evictedConnections() > 0, "the cap was reached: connections that fell silent were handed on");
        // tombstones (5000) plus open connections, at most half full
        assertTrue(maxCapacity <= 16_384, "table grew to " + maxCapacity);
        assertEquals(t.streams() + t.resumedConnections(), handed[0], "every connection handed on once, resumed ones twice");
        assertEquals(truth.flows(), t.streams(), "one stream per generated connection");
    }
}
