package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.HostContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.tcpautopsy.classify.Ladder.CLIENT_IP;
import static dev.tcpautopsy.classify.Ladder.SERVER_IP;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A verdict waits for the rest of the capture only while the TTL baselines it reads are thin: those of
 * the hosts that verdict reads, and no others.
 */
class WholeCaptureTest {
    private static final long SETTLED = TerminationClassifier.SETTLED_SAMPLES;

    /** Baselines of 63 (a host that is not local) backed by the given numbers of packets. */
    private static HostContext samples(long client, long server) {
        return TruthTableTest.hosts(Map.of(CLIENT_IP, 63, SERVER_IP, 63), Map.of(CLIENT_IP, client, SERVER_IP, server));
    }

    private static boolean waits(Ladder l, long client, long server) {
        FlowFacts f = l.build();
        return TerminationClassifier.needsWholeCapture(f, samples(client, server));
    }

    @Test
    void aRefusedSynWaitsForTheServersBaselineOnly() {
        Ladder refused = new Ladder().at(0).c("S").at(0.01).s("RA");
        assertTrue(waits(refused, SETTLED, SETTLED - 1));
        assertFalse(waits(refused, 0, SETTLED));
    }

    @Test
    void anUnansweredSynWaitsForTheServersBaselineOnly() {
        Ladder unanswered = new Ladder().at(0).c("S").at(1).retx().c("S").at(3).retx().c("S").captureEnd(8);
        assertTrue(waits(unanswered, SETTLED, 0));
        assertFalse(waits(unanswered, 0, SETTLED));
    }

    @Test
    void unackedSynAcksWaitForBothBaselines() {
        Ladder synAcks = new Ladder().at(0).c("S").at(0.01).s("SA").at(1).retx().s("SA").captureEnd(8);
        assertTrue(waits(synAcks, SETTLED - 1, SETTLED));
        assertTrue(waits(synAcks, SETTLED, SETTLED - 1));
        assertFalse(waits(synAcks, SETTLED, SETTLED));
    }

    @Test
    void aLoneRstWaitsForItsSendersBaseline() {
        Ladder loneRst = new Ladder().midstream().at(0).s("PA", 100).at(0.1).c("R");
        assertTrue(waits(loneRst, SETTLED - 1, 0));
        assertFalse(waits(loneRst, SETTLED, 0));
    }

    @Test
    void aCompleteExchangeNeverWaits() {
        Ladder done = TruthTableTest.clientCloses(TruthTableTest.exchange(), 1);
        assertFalse(waits(done, 0, 0));
    }
}
