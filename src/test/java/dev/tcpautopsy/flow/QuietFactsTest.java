package dev.tcpautopsy.flow;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.tcpautopsy.decode.TcpSegment.ACK;
import static dev.tcpautopsy.decode.TcpSegment.FIN;
import static dev.tcpautopsy.decode.TcpSegment.PSH;
import static dev.tcpautopsy.decode.TcpSegment.RST;
import static dev.tcpautopsy.decode.TcpSegment.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quiet periods tracking records, whatever the idle threshold: what the findings measure timers with. */
class QuietFactsTest {
    private static final long MS = 1_000_000L;

    private static FlowFacts track(Segments g) {
        List<FlowFacts> out = new ArrayList<>();
        FlowTracker t = new FlowTracker(FlowSettings.DEFAULT, new FlowListener() {
            @Override
            public void finished(FlowFacts facts, PacketHeaders headers) {
                out.add(facts);
            }

            @Override
            public void reusedLater(long stream) {
            }
        }, new HostTable(100));
        g.feed(t);
        t.finish(g.now + 1000 * MS);
        assertEquals(1, out.size());
        return out.get(0);
    }

    /** Handshake, then a request and its response, 1 ms apart. */
    private static Segments exchange() {
        Segments g = new Segments(1000, 5000);
        g.c(0).flags(SYN);
        g.s(1).flags(SYN | ACK);
        g.c(1).flags(ACK);
        g.c(1).flags(PSH | ACK).data(40);
        g.s(1).flags(PSH | ACK).data(150);
        g.c(1).flags(ACK);
        return g;
    }

    @Test
    void aServersCloseAfterQuietIsMeasuredFromTheLastDataAtAnyLength() {
        Segments g = exchange();
        g.s(3000).flags(FIN | ACK);
        g.c(1).flags(FIN | ACK);
        g.s(1).flags(ACK);
        QuietFacts q = track(g).quiet();
        assertEquals(7, q.closeFrame());
        assertFalse(q.closeFromClient());
        assertEquals(3001 * MS, q.closeDataIdle(), "from the response (frame 5) to the FIN, below the 30 s threshold");
        assertFalse(q.lastDataFromClient());
    }

    @Test
    void aGoodbyeKeepsThePauseBeforeIt() {
        Segments g = exchange();
        g.s(3000).flags(PSH | ACK).data(90);
        g.s(2).flags(FIN | ACK);
        g.c(1).flags(FIN | ACK);
        QuietFacts q = track(g).quiet();
        assertEquals(2 * MS, q.closeDataIdle(), "the FIN follows the goodbye at once");
        assertFalse(q.lastDataFromClient());
        assertEquals(3001 * MS, q.runGap(), "the pause before the goodbye, since the server's response");
        assertFalse(q.runAfterClient(), "the pause began with the server's own data");
    }

    @Test
    void aRequestThatCrossedTheCloseKeepsThePauseBeforeIt() {
        Segments g = exchange();
        g.c(2960).flags(PSH | ACK).data(40);
        g.s(38).flags(FIN | ACK);
        g.c(1).flags(RST);
        QuietFacts q = track(g).quiet();
        assertFalse(q.closeFromClient());
        assertTrue(q.lastDataFromClient(), "the client's request came last, before the server's FIN");
        assertEquals(38 * MS, q.closeDataIdle());
        assertEquals(2961 * MS, q.runGap());
        assertFalse(q.runAfterClient());
        assertEquals(2961 * MS, q.longestReuse(), "the client used the quiet connection again");
    }

    @Test
    void aMessageInSeveralSegmentsIsOneRun() {
        Segments g = exchange();
        g.s(3000).flags(PSH | ACK).data(1000);
        g.s(1).flags(PSH | ACK).data(1000);
        g.s(1).flags(FIN | ACK);
        QuietFacts q = track(g).quiet();
        assertEquals(3001 * MS, q.runGap(), "the pause before the message's first segment, not its last");
    }

    @Test
    void theIdleGapBeforeAnUnansweredProbeIsTheLastOneNotTheGapsBetweenProbes() {
        Segments g = exchange();
        long ack = g.clientSeq;
        // a keep-alive probe after 60 s of silence: one byte below the next, never answered, then again
        g.c(60_000).seqAt(g.clientSeq - 1).flags(ACK);
        g.nextSeq(true, ack);
        g.c(10_000).seqAt(g.clientSeq - 1).flags(ACK);
        g.nextSeq(true, ack);
        g.c(10_000).seqAt(g.clientSeq - 1).flags(ACK);
        g.nextSeq(true, ack);
        g.c(10_000).flags(RST | ACK);
        QuietFacts q = track(g).quiet();
        assertEquals(60_000 * MS, q.lastIdle(), "ended by the first probe");
        assertEquals(6, q.lastIdleAfter());
        assertEquals(7, q.lastIdleBefore());
        assertEquals(-1, q.longestReuse(), "no data after the first exchange");
    }
}
