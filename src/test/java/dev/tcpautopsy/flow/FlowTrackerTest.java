package dev.tcpautopsy.flow;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.tcpautopsy.decode.TcpSegment.ACK;
import static dev.tcpautopsy.decode.TcpSegment.FIN;
import static dev.tcpautopsy.decode.TcpSegment.PSH;
import static dev.tcpautopsy.decode.TcpSegment.RST;
import static dev.tcpautopsy.decode.TcpSegment.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowTrackerTest {
    private final Heard heard = new Heard();
    private final List<FlowFacts> flows = heard.flows();
    private final List<Long> reusedLater = heard.reused();

    private FlowTracker tracker(FlowSettings settings) {
        return new FlowTracker(settings, heard, new HostTable(100));
    }

    /** SYN, SYN-ACK, ACK, request, response, FIN/ACK both ways. */
    static Segments orderly(long clientIsn, long serverIsn) {
        Segments g = new Segments(clientIsn, serverIsn);
        g.c(0).flags(SYN).wscale(7);
        g.s(1).flags(SYN | ACK).wscale(7);
        g.c(1).flags(ACK);
        g.c(1).flags(PSH | ACK).data(100);
        g.s(1).flags(PSH | ACK).data(500);
        g.c(1).flags(FIN | ACK);
        g.s(1).flags(FIN | ACK);
        g.c(1).flags(ACK);
        return g;
    }

    @Test
    void orderlyConnectionIsOneFlowWithBothFinsAcked() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = orderly(1000, 5000);
        long[] streams = g.feed(t);
        assertArrayEquals(new long[8], streams);
        assertEquals(1, t.openConnections(), "still lingering for trailing packets");
        t.finish(g.now);
        assertEquals(1, flows.size());
        FlowFacts f = flows.get(0);
        assertTrue(f.handshakeSeen() && f.handshakeComplete());
        assertEquals("198.18.0.2", f.client().ip());
        assertEquals(8080, f.server().port());
        assertTrue(f.client().finAcked() && f.server().finAcked());
        assertEquals(100, f.client().payloadBytes());
        assertEquals(500, f.server().payloadBytes());
        assertEquals(102, f.client().nextSeq(), "SYN + 100 bytes + FIN, relative to the ISN");
        assertEquals(0, f.client().unackedAtEnd());
        assertEquals("CLOSED", f.client().state());
        assertEquals("ShADdFf", f.history(), "the server never sent a pure ACK");
        assertEquals(7, f.client().windowScale());
        assertEquals(2_000_000, f.handshakeRttNanos(), "SYN to the ACK of the SYN-ACK");
        assertEquals(8, f.tail().size());
    }

    @Test
    void endedConnectionIsHandedOnAfterTheLingerTime() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = orderly(1000, 5000);
        g.feed(t);
        assertEquals(0, flows.size());
        // another connection 6 s later: the first one's linger (5 s) is over
        Segments h = new Segments(7000, 9000);
        h.clientPort = 41001;
        h.now = g.now + 6_000_000_000L;
        h.c(0).flags(SYN);
        t.accept(h.last());
        assertEquals(1, flows.size());
        assertEquals(0, flows.get(0).stream());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1 << 17})
    void newSynWithAnotherIsnStartsANewStreamAndMarksTheOldOneReused(int tombstones) {
        FlowSettings d = FlowSettings.DEFAULT;
        FlowTracker t = tracker(new FlowSettings(d.idleThresholdNanos(), d.lingerNanos(), d.maxLingering(), d.tailSize(),
                d.headerRing(), d.headerBytes(), d.tombstoneNanos(), tombstones, d.maxOpen()));
        Segments g = new Segments(1000, 5000);
        g.c(0).flags(SYN);
        g.s(1).flags(RST | ACK);
        g.feed(t);
        Segments again = new Segments(90_000, 0);
        again.now = g.now + 1_000_000;
        again.frame = g.frame;
        again.c(0).flags(SYN);
        assertEquals(1, t.accept(again.last()));
        assertEquals(AnalysisFlags.REUSED_PORTS, t.lastAnalysis() & AnalysisFlags.REUSED_PORTS);
        assertEquals(1, flows.size(), "the old connection is handed on at once");
        assertTrue(flows.get(0).portReused());
        t.finish(again.now);
        assertEquals(2, t.streams());
    }

    /**
     * RFC 793 half-open recovery as Windows does it: the server answers the SYN with an ACK for a stale
     * connection, the client resets it, and retries the same SYN after its SYN timeout, here 9 s (3 s,
     * then 6 s more), longer than a connection that ended lingers: one connection, which outlived its RST.
     */
    @Test
    void aSynRetriedAfterTheClientsResetIsTheSameFlow() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = new Segments(1000, 5000);
        g.c(0).flags(SYN);
        g.s(20).seqAt(777_000).ackAt(999_999).flags(ACK).nextSeq(false, 5000);
        g.c(0).seqAt(999_999).flags(RST).nextSeq(true, 1000);
        g.c(9000).flags(SYN);
        g.s(20).flags(SYN | ACK);
        g.c(0).flags(ACK);
        g.c(1).flags(PSH | ACK).data(100);
        g.s(20).flags(PSH | ACK).data(300);
        g.c(1).flags(FIN | ACK);
        g.s(1).flags(FIN | ACK);
        g.c(1).flags(ACK);
        long[] streams = g.feed(t);
        assertArrayEquals(new long[11], streams);
        t.finish(g.now);
        assertEquals(1, flows.size(), "one connect(), one flow");
        FlowFacts f = flows.get(0);
        assertNotNull(f.outlived());
        assertTrue(f.outlived().halfOpen() && f.outlived().fromClient());
        assertEquals(3, f.outlived().frame());
        assertEquals(0, f.client().rstCount(), "the RST it outlived is not its ending");
        assertTrue(f.client().finAcked() && f.server().finAcked());
    }

    /** A RST out of the window, answered and ignored: the connection goes on and the RST is remembered as outlived. */
    @Test
    void aRstBothSidesGoOnAfterIsOutlived() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = new Segments(1000, 5000);
        g.c(0).flags(SYN);
        g.s(1).flags(SYN | ACK);
        g.c(1).flags(ACK);
        g.c(1).flags(PSH | ACK).data(100);
        g.s(1).flags(PSH | ACK).data(500);
        g.c(1).flags(ACK);
        long next = g.serverSeq;
        g.s(10).seqAt(next + 90_000).flags(RST).nextSeq(false, next);
        g.c(5).flags(PSH | ACK).data(10);
        g.s(5).flags(PSH | ACK).data(20);
        g.c(5).flags(ACK);
        g.s(30_000).flags(RST | ACK);
        g.feed(t);
        t.finish(g.now);
        assertEquals(1, flows.size());
        FlowFacts f = flows.get(0);
        assertNotNull(f.outlived());
        assertFalse(f.outlived().halfOpen());
        assertEquals(f.lastFrame(), f.server().rstFrame(), "the RST that ended it is the last one");
    }

    /** Two captures merged into one file, two hours apart: the frame before the silence is a capture end. */
    @Test
    void aSilenceOfTheWholeCaptureEndsAPiece() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = new Segments(1000, 5000);
        g.c(0).flags(SYN);
        g.feed(t);
        long synAt = g.now;
        t.pieceEnd(synAt);
        Segments later = new Segments(7000, 9000);
        later.clientPort = 41001;
        later.now = synAt + 2 * 3600_000_000_000L;
        later.c(0).flags(SYN);
        later.feed(t);
        t.finish(later.now);
        FlowFacts lone = flows.stream().filter(x -> x.stream() == 0).findFirst().orElseThrow();
        assertEquals(synAt, lone.captureEndNanos(), "judged at the end of its piece, not two hours later");
    }

    /** The vantage names the host whose packets arrive unreduced (TTL 64) and the role it played. */
    @Test
    void theVantageNamesTheLocalHostAndItsRole() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        orderly(1000, 5000).feed(t);
        Segments second = orderly(7000, 9000);
        second.clientPort = 41001;
        second.feed(t);
        t.finish(second.now);
        assertEquals("on 198.18.0.2 (client in 2 flows)", t.hosts().vantage());

        flows.clear();
        FlowTracker onServer = tracker(FlowSettings.DEFAULT);
        Segments g = orderly(1000, 5000);
        g.all.forEach(x -> x.ttl = x.srcPort == 8080 ? 64 : 61);
        g.feed(onServer);
        onServer.finish(g.now);
        assertEquals("on 198.18.1.2 (server in 1 flow)", onServer.hosts().vantage());
    }

    @Test
    void retransmittedSynStaysInItsStream() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = new Segments(1000, 5000);
        g.c(0).flags(SYN);
        g.c(1000).seqAt(1000).flags(SYN);
        g.c(1000).seqAt(1000).flags(SYN);
        long[] streams = g.feed(t);
        assertArrayEquals(new long[3], streams);
        assertEquals(AnalysisFlags.RETRANSMISSION, t.lastAnalysis());
        t.finish(g.now);
        assertEquals(3, flows.get(0).client().synCount());
        assertEquals(2, flows.get(0).client().analysis().retransmissions());
        assertEquals(2, flows.get(0).client().unansweredTail());
        assertArrayEquals(new long[] {1_000_000_000L}, flows.get(0).client().unansweredGapsNanos());
    }

    @Test
    void sequenceNumbersWrapAround() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = new Segments(0xFFFF_FF00L, 0x7FFF_FFF0L);
        g.c(0).flags(SYN);
        g.s(1).flags(SYN | ACK);
        g.c(1).flags(ACK);
        for (int i = 0; i < 4; i++) {
            g.c(1).flags(ACK).data(100); // crosses 2^32 in the second segment
            g.s(1).flags(ACK);
        }
        g.feed(t);
        assertEquals(0, t.lastAnalysis());
        t.finish(g.now);
        FlowFacts f = flows.get(0);
        assertEquals(401, f.client().nextSeq());
        assertEquals(401, f.server().highestAck());
        assertEquals(0, f.client().unackedAtEnd());
        assertEquals(0, f.client().analysis().lostSegments() + f.server().analysis().ackedUnseen());
        assertEquals(0xFFFF_FF00L, f.client().isn());
        assertEquals(301, f.tail().get(f.tail().size() - 2).seq(), "relative seq of the last data segment");
    }

    @Test
    void latePacketAfterHandOnIsCountedInTheOldStream() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = new Segments(1000, 5000);
        g.c(0).flags(SYN);
        g.s(1).flags(SYN | ACK);
        g.c(1).flags(ACK);
        g.s(1).flags(RST | ACK);
        g.c(10_000).flags(ACK); // a lone ACK long after the RST
        long[] streams = g.feed(t);
        assertArrayEquals(new long[5], streams);
        assertEquals(1, flows.size());
        assertEquals(1, t.strayPackets());
        t.finish(g.now);
        assertEquals(1, flows.size());
        assertEquals(1, t.streams());
    }

    @Test
    void connectionGoingOnAfterHandOnIsFollowedInTheSameStream() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = new Segments(1000, 5000);
        g.c(0).flags(SYN);
        g.s(1).flags(SYN | ACK);
        g.c(1).flags(ACK);
        g.s(1).flags(RST);
        g.c(10_000).flags(PSH | ACK).data(10); // the client never saw the RST and writes on
        long[] streams = g.feed(t);
        assertArrayEquals(new long[5], streams);
        t.finish(g.now);
        assertEquals(2, flows.size());
        assertEquals(0, flows.get(1).stream());
        assertEquals(10, flows.get(1).client().payloadBytes());
        assertEquals(1, t.resumedConnections());
    }

    @Test
    void textCarriedByARstIsNoDataOfItsSender() {
        // suricata-verify bug-6244: the client resets with 13 bytes of diagnostic text in its RST
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = new Segments(1000, 5000);
        g.c(0).flags(SYN);
        g.s(1).flags(SYN | ACK);
        g.c(1).flags(ACK);
        g.s(1).flags(PSH | ACK).data(7);
        g.s(1).flags(PSH | ACK).data(10);
        g.c(1).flags(RST | ACK).data(13);
        g.feed(t);
        t.finish(g.now);

        FlowFacts f = flows.get(0);
        assertEquals(13, f.client().payloadBytes(), "the bytes were on the wire");
        assertEquals(0, f.client().dataSegments());
        assertEquals(0, f.client().lastDataFrame());
        assertEquals(17, f.server().bytesAfterPeerData(), "the RST's text does not mark the server's data as read");
    }

    @Test
    void midstreamServerIsTheWellKnownPort() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments g = new Segments(1000, 5000);
        g.clientPort = 51000;
        g.serverPort = 443;
        g.s(0).flags(PSH | ACK).data(10); // the server speaks first in the capture
        g.c(1).flags(ACK);
        g.feed(t);
        t.finish(g.now);
        FlowFacts f = flows.get(0);
        assertFalse(f.handshakeSeen());
        assertEquals(443, f.server().port());
        assertEquals(51000, f.client().port());
        assertEquals("PARTIAL", f.server().state());
    }

    @Test
    void tableStaysBoundedUnderChurn() {
        FlowSettings small = new FlowSettings(FlowSettings.DEFAULT.idleThresholdNanos(), 1_000_000_000L, 1000, 4, 2, 64,
                Long.MAX_VALUE / 4, 1000, 50_000);
        FlowTracker t = tracker(small);
        long now = 1_700_000_000_000_000_000L;
        int connections = 100_000;
        int maxCapacity = 0;
        for (int i = 0; i < connections; i++) {
            Segments g = orderly(i * 7919L, i * 104729L);
            g.clientPort = 1024 + i % 60000;
            g.now = now;
            g.all.clear();
            g.frame = i * 8L;
            g.c(0).flags(SYN);
            g.s(1).flags(SYN | ACK);
            g.c(1).flags(ACK);
            g.c(1).flags(FIN | ACK);
            g.s(1).flags(FIN | ACK);
            g.c(1).flags(ACK);
            g.feed(t);
            now = g.now + 10_000_000L; // a new connection every ~15 ms
            maxCapacity = Math.max(maxCapacity, t.tableCapacity());
        }
        assertTrue(t.openConnections() < 200, "open or lingering: " + t.openConnections());
        assertTrue(maxCapacity <= 8192, "table capacity grew to " + maxCapacity);
        t.finish(now);
        assertEquals(connections, flows.size());
        assertEquals(connections, t.streams());
    }

    /**
     * Issue 5 (churn-256m: 89 handshake timeouts reported twice): beyond the cap, the connections handed
     * on are the least recently active ones, never one whose SYN is still being retried while older
     * attempts have long fallen silent; handed on, it would go on as a second flow in its stream.
     */
    @Test
    void beyondTheCapTheLeastRecentlyActiveAreHandedOnNotARetryingOne() {
        FlowSettings d = FlowSettings.DEFAULT;
        FlowTracker t = tracker(new FlowSettings(d.idleThresholdNanos(), d.lingerNanos(), d.maxLingering(), d.tailSize(),
                d.headerRing(), d.headerBytes(), d.tombstoneNanos(), d.maxTombstones(), 3200));
        long t0 = 1_700_000_000_000_000_000L;
        // 2,400 attempts (about 150 a partition, below each partition's share of the cap, 200), each SYN
        // retried once 1 s later, then silence
        List<Segments> old = new ArrayList<>();
        for (int i = 0; i < 2400; i++) {
            Segments g = new Segments(1000 + i, 0);
            g.clientPort = 20000 + i;
            g.now = t0 + i * 1_000_000L;
            g.c(0).flags(SYN);
            g.c(1000).seqAt(1000 + i).flags(SYN);
            old.add(g);
        }
        for (int i = 0; i < 2400; i++) {
            t.accept(old.get(i).all.get(0));
        }
        for (int i = 0; i < 2400; i++) {
            t.accept(old.get(i).all.get(1));
        }
        // 60 s later, new attempts cross the cap, each retried 1 s after its first SYN
        List<Segments> fresh = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            Segments g = new Segments(5000 + i, 0);
            g.clientPort = 30000 + i;
            g.now = t0 + 60_000_000_000L + i * 1_000_000L;
            g.c(0).flags(SYN);
            g.c(1000).seqAt(5000 + i).flags(SYN);
            fresh.add(g);
            t.accept(g.all.get(0));
        }
        for (Segments g : fresh) {
            t.accept(g.all.get(1));
        }
        assertTrue(t.evictedConnections() > 0, "the cap was crossed");
        assertEquals(0, t.resumedConnections(), "no retrying connection was handed on");
        for (FlowFacts f : flows) {
            assertTrue(f.stream() < 2400, "handed on early: stream " + f.stream() + ", one of the fresh attempts");
        }
        t.finish(fresh.get(fresh.size() - 1).now);
        assertEquals(3600, flows.size());
        assertEquals(3600, flows.stream().mapToLong(FlowFacts::stream).distinct().count(), "each stream reported once");
    }

    /** A packet on another 4-tuple at {@code at}: the tracker looks at its connections only when packets come. */
    private static void tick(FlowTracker t, long at, int port) {
        Segments other = new Segments(77, 0);
        other.clientPort = port;
        other.now = at;
        other.c(0).flags(SYN);
        t.accept(other.last());
    }

    @Test
    void attemptsAndBlackholedFlowsSilentForFiveMinutesAreHandedOnIdleOnesStay() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        // an attempt: SYN retried for 7 s, never answered
        Segments syn = new Segments(1000, 0);
        syn.c(0).flags(SYN);
        syn.c(1000).seqAt(1000).flags(SYN);
        syn.c(2000).seqAt(1000).flags(SYN);
        syn.c(4000).seqAt(1000).flags(SYN);
        syn.feed(t);
        // a blackholed flow: the client's request is retransmitted and never acked
        Segments hole = orderly(3000, 6000);
        hole.all.clear();
        hole.clientPort = 41001;
        hole.now = syn.now;
        hole.c(0).flags(SYN);
        hole.s(1).flags(SYN | ACK);
        hole.c(1).flags(ACK);
        long req = hole.clientSeq;
        hole.c(1).flags(PSH | ACK).data(100);
        hole.c(200).seqAt(req).flags(PSH | ACK).data(100);
        hole.c(400).seqAt(req).flags(PSH | ACK).data(100);
        hole.feed(t);
        // an idle flow: everything acked, then silence
        Segments idle = orderly(5000, 9000);
        idle.all.clear();
        idle.clientPort = 41002;
        idle.now = hole.now;
        idle.c(0).flags(SYN);
        idle.s(1).flags(SYN | ACK);
        idle.c(1).flags(ACK);
        idle.c(1).flags(PSH | ACK).data(100);
        idle.s(1).flags(PSH | ACK).data(500);
        idle.c(1).flags(ACK);
        idle.feed(t);
        long last = idle.now;

        tick(t, last + 4 * 60_000_000_000L, 42000);
        assertEquals(0, flows.size(), "4 minutes of silence: nobody has given up yet");
        tick(t, last + 7 * 60_000_000_000L, 42001);
        assertEquals(2, t.abandonedConnections());
        assertEquals(List.of(0L, 1L), flows.stream().map(FlowFacts::stream).toList(), "the attempt and the blackholed flow");
        assertEquals(last + 7 * 60_000_000_000L, flows.get(0).captureEndNanos(), "judged as if the capture ended then");
        assertTrue(flows.get(0).handedEarly() && flows.get(1).handedEarly());

        // two hours later the idle flow is closed: one flow, its idle gap whole
        idle.all.clear();
        idle.now = last + 2 * 3600_000_000_000L;
        idle.c(0).flags(FIN | ACK);
        idle.s(1).flags(FIN | ACK);
        idle.c(1).flags(ACK);
        long[] streams = idle.feed(t);
        assertArrayEquals(new long[] {2, 2, 2}, streams);
        t.finish(idle.now);
        FlowFacts f = flows.stream().filter(x -> x.stream() == 2).findFirst().orElseThrow();
        assertTrue(f.client().finAcked() && f.server().finAcked());
        assertEquals(2 * 3600_000_000_000L, f.longestIdle().nanos());
        assertFalse(f.handedEarly());
        assertEquals(0, t.resumedConnections());
        assertEquals(4, t.abandonedConnections(), "the two attempts made by tick() too, by then");
    }

    @Test
    void aFlowHandedOnAsAbandonedThatGoesOnKeepsItsStream() {
        FlowTracker t = tracker(FlowSettings.DEFAULT);
        Segments syn = new Segments(1000, 0);
        syn.c(0).flags(SYN);
        syn.c(1000).seqAt(1000).flags(SYN);
        syn.feed(t);
        tick(t, syn.now + 7 * 60_000_000_000L, 42000);
        assertEquals(1, t.abandonedConnections());
        syn.all.clear();
        syn.now += 8 * 60_000_000_000L;
        syn.c(0).seqAt(1000).flags(SYN);
        assertArrayEquals(new long[] {0}, syn.feed(t), "the tombstone keeps the stream number, as Wireshark numbers it");
        assertEquals(1, t.resumedConnections());
    }
}
