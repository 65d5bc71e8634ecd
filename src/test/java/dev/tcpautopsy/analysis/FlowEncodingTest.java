package dev.tcpautopsy.analysis;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.decode.PacketDecoder;
import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.FlowSettings;
import dev.tcpautopsy.flow.FlowTracker;
import dev.tcpautopsy.flow.HostTable;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.FlowEncoder;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A finished flow's facts and verdict, encoded with no model Flow between, read back as the reports read them. */
class FlowEncodingTest {
    private static final Termination VERDICT = new Termination(TerminationClass.RST_ABORT, By.CLIENT, "why",
            "tcp.stream eq 0", List.of(new Evidence(3, "RST")), List.of(Tag.MIDSTREAM), new AppView("none", "ECONNRESET"));

    /** Every flow of the kernel captures named, as the tracker hands them on. */
    private static List<FlowFacts> facts(String... captures) throws IOException {
        List<FlowFacts> out = new ArrayList<>();
        for (String name : captures) {
            FlowTracker t = new FlowTracker(FlowSettings.DEFAULT, (f, h) -> out.add(f), new HostTable(100));
            PacketRecord rec = new PacketRecord();
            TcpSegment seg = new TcpSegment();
            PacketDecoder d = new PacketDecoder();
            long last = 0;
            try (CaptureReader r = Captures.open(Path.of(System.getProperty("tcpautopsy.samples", "samples"), name))) {
                while (r.next(rec)) {
                    if (d.decode(rec, seg)) {
                        t.accept(seg);
                    }
                    last = rec.tsNanos;
                }
            }
            t.finish(last);
        }
        return out;
    }

    @Test
    void aFlowIsReadBackWithItsFactsAsTheReportsShowThem() throws IOException {
        List<FlowFacts> all = facts("zero-window-client-stall.pcap", "idle-timeout-app-server.pcap", "mixed-concurrent.pcap.gz",
                "midstream.pcap", "handshake-timeout-syn-dropped.pcap", "rst-after-close-server.pcap", "open-at-end.pcap");
        FlowEncoder e = new FlowEncoder();
        FlowRecord r = new FlowRecord();
        boolean halfClosed = false, longTail = false, idle = false, noRtt = false;
        for (FlowFacts f : all) {
            for (boolean detailed : new boolean[] {false, true}) {
                FlowEncoding.encode(e, f, VERDICT, detailed, null);
                r.load(e.bytes(), 0, false, null);
                SideFacts c = f.client(), s = f.server();
                assertEquals(f.stream(), r.stream());
                assertEquals(c.ip(), r.clientIp().toString());
                assertEquals(s.port(), r.serverPort());
                assertEquals(Math.floorDiv(f.endNanos(), 1_000_000_000L), r.endSecond());
                assertEquals(Math.floorMod(f.endNanos(), 1_000_000_000L), r.endNano());
                boolean oneFin = (c.finFrame() != 0) != (s.finFrame() != 0) && c.rstCount() + s.rstCount() == 0;
                assertEquals(oneFin, r.halfClosed());
                halfClosed |= oneFin;
                assertEquals(f.handshakeRttNanos() < 0 ? -1 : f.handshakeRttNanos() / 1000, r.handshakeRttMicros());
                noRtt |= f.handshakeRttNanos() < 0;
                assertEquals(f.longestIdle() != null, r.hasLongestIdle());
                if (f.longestIdle() != null) {
                    assertEquals(f.longestIdle().nanos() / 1e9, r.idleSeconds());
                    assertEquals(f.longestIdle().beforeFrame(), r.idleBeforeFrame());
                    idle = true;
                }
                assertEquals(c.rstFrame(), r.fromClient().rstFrame());
                assertEquals(s.analysis().retransmissions(), r.fromServer().count(0));
                assertEquals(VERDICT, r.flow().termination());
                int ladder = Math.min(FlowEncoding.LADDER, f.tail().size());
                assertEquals(detailed ? ladder : 0, r.lastPacketCount());
                assertEquals(detailed ? f.transitions() : List.of(), r.transitions());
                if (detailed) {
                    List<PacketLine> lines = r.lastPackets();
                    // the last packets of the tail, the classifier's longer list
                    assertEquals(f.tail().get(f.tail().size() - 1).frame(), lines.get(lines.size() - 1).frame());
                    assertEquals(f.tail().get(f.tail().size() - ladder).frame(), lines.get(0).frame());
                    longTail |= f.tail().size() > FlowEncoding.LADDER;
                }
            }
        }
        assertTrue(halfClosed, "a half-closed flow");
        assertTrue(longTail, "a tail longer than the ladder");
        assertTrue(idle, "an idle gap");
        assertTrue(noRtt, "no handshake RTT");
    }
}
