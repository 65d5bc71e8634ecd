package dev.tcpautopsy.classify;

import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verdicts on real captures from other projects' test suites where judging the first RST, or each
 * connection alone, went wrong; each expectation was read from the packets with tshark (frames cited).
 */
class RealTrafficTest {
    private static final String SUBJECT_ALT_NAME = "suricata-verify/tests/tls/tls-subjectaltname/input.pcap";

    private static Flow only(List<Flow> flows, long stream) {
        List<Flow> in = flows.stream().filter(f -> f.stream() == stream).toList();
        assertEquals(1, in.size(), "one flow in stream " + stream + ": " + in);
        return in.get(0);
    }

    private static Set<Long> frames(Termination t) {
        return t.evidence().stream().map(Evidence::frame).collect(Collectors.toSet());
    }

    /**
     * A Windows client: SYN, the server answers with a bare ACK for a stale connection, the client resets
     * it and retries its SYN 3 s later, and the connection works (frames 10-31, 244-246 of stream 0).
     */
    @Test
    void halfOpenRecoveryIsOneFlowAndNoEnding() {
        List<Flow> flows = CorpusFlows.analyze(CorpusFlows.capture(SUBJECT_ALT_NAME));
        Flow s0 = only(flows, 0);
        Termination t = s0.termination();
        assertEquals(TerminationClass.FIN_ORDERLY, t.cls(), t.reason());
        assertTrue(t.tags().contains(Tag.HALF_OPEN_RECOVERY), t.tags().toString());
        assertTrue(frames(t).containsAll(Set.of(14L, 20L, 244L, 245L)), t.evidence().toString());
        assertTrue(t.reason().contains("3.08 s"), "the connect delay: " + t.reason());
        // streams 3, 12 and 35 were called RST_UNREAD_DATA for bytes that came 3 s after the handshake's RST,
        // streams 1, 8 and 20 RST_ABORT; each recovered and went on
        for (long stream : new long[] {1, 3, 8, 12, 20, 35}) {
            Flow f = only(flows, stream);
            assertTrue(f.termination().tags().contains(Tag.HALF_OPEN_RECOVERY), stream + ": " + f.termination());
            assertNotEquals(TerminationClass.RST_ABORT, f.termination().cls(), stream + ": " + f.termination().reason());
            assertNotEquals(TerminationClass.RST_UNREAD_DATA, f.termination().cls(), stream + ": " + f.termination().reason());
        }
        long streams = flows.stream().mapToLong(Flow::stream).distinct().count();
        assertEquals(streams, flows.size(), "no stream holds two flows");
    }

    /** Stream 7 recovered from its handshake RST (155) and ended, 77 s idle, with the client's RST at frame 3138. */
    @Test
    void theRealEndingIsTheLastRst() {
        Flow s7 = only(CorpusFlows.analyze(CorpusFlows.capture(SUBJECT_ALT_NAME)), 7);
        Termination t = s7.termination();
        assertEquals(TerminationClass.IDLE_TIMEOUT, t.cls(), t.reason());
        assertEquals("client", t.by().wire());
        assertEquals(3138, s7.lastFrame());
        assertTrue(frames(t).contains(3138L), t.evidence().toString());
        assertTrue(t.tags().contains(Tag.HALF_OPEN_RECOVERY));
    }

    /** Nine RSTs from 192.168.100.206 within 0.9 ms (frames 3130-3138): one event, named in every reason. */
    @Test
    void nineResetsAtOneInstantAreOneBurst() {
        List<Flow> burst = CorpusFlows.analyze(CorpusFlows.capture(SUBJECT_ALT_NAME)).stream()
                .filter(f -> f.lastFrame() >= 3130 && f.lastFrame() <= 3138 && f.termination().reason().contains("reset it"))
                .toList();
        assertEquals(9, burst.size(), burst.toString());
        for (Flow f : burst) {
            Termination t = f.termination();
            assertTrue(t.tags().contains(Tag.HOST_BURST), f.stream() + ": " + t.tags());
            assertTrue(t.reason().contains("one of 9 connections that 192.168.100.206 ended")
                    && t.reason().contains("frames 3130-3138"), t.reason());
        }
    }

    /** An injected RST (frame 2, TTL 46 against the server's 49) that the connection outlived; it ended with the server's RST at 7. */
    @Test
    void anIgnoredInjectedRstIsNotTheEnding() {
        Flow f = only(CorpusFlows.analyze(CorpusFlows.capture("zeek/testing/btest/Traces/tcp/rst-inject-rae.pcap")), 0);
        Termination t = f.termination();
        assertTrue(t.tags().contains(Tag.IGNORED_RST), t.tags().toString());
        assertEquals("server", t.by().wire(), t.reason());
        assertTrue(t.cls() == TerminationClass.RST_UNREAD_DATA || t.cls() == TerminationClass.RST_ABORT, t.reason());
        assertTrue(frames(t).containsAll(Set.of(2L, 7L)), t.evidence().toString());
        assertTrue(t.reason().contains("TTL 46") && t.reason().contains("forged"), t.reason());
    }

    /**
     * The client read the reply (it connects to the port it carried 3 ms later, stream 1): "unread" is a
     * likelihood, never a fact, and the reason says what else looks the same.
     */
    @Test
    void unreadIsHedged() {
        Flow f = only(CorpusFlows.analyze(CorpusFlows.capture("suricata-verify/tests/bug-5162/input.pcap")), 0);
        String reason = f.termination().reason();
        assertTrue(reason.contains("most likely") && reason.contains("looks the same"), reason);
        assertFalse(reason.contains("and were unread:"), reason);
    }

    /**
     * Every packet captured twice (a span port): the evidence names the originals (21, 24), not the
     * copies (22, 25), and the reason mentions the server's FIN, which came with its last data.
     */
    @Test
    void evidenceNamesOriginalsAndEveryEarlierClose() {
        List<Flow> flows = CorpusFlows.analyze(CorpusFlows.capture(
                "zeek/testing/btest/Traces/http/vnd.ms-cab-compressed-multi-conn.pcap"));
        assertEquals(5, flows.size());
        Termination t = only(flows, 0).termination();
        assertTrue(frames(t).containsAll(Set.of(21L, 24L)), t.evidence().toString());
        assertFalse(frames(t).contains(22L) || frames(t).contains(25L), t.evidence().toString());
        for (Flow f : flows) {
            String reason = f.termination().reason();
            assertTrue(reason.contains("FIN"), f.stream() + ": " + reason);
            assertTrue(reason.contains("most likely"), f.stream() + ": " + reason);
            assertEquals("none", f.termination().appView().server(), "the server had closed: " + reason);
        }
    }

    /** The client's FIN (frame 696) came before the server's RST (698): said, and the client saw nothing of it. */
    @Test
    void aResetAfterThePeersFinSaysSo() {
        Flow f = only(CorpusFlows.analyze(CorpusFlows.capture("suricata-verify/tests/dcerpc/zerologon/input.pcap")), 42);
        Termination t = f.termination();
        assertEquals(TerminationClass.RST_ABORT, t.cls(), t.reason());
        assertTrue(t.reason().contains("FIN (frame 696)"), t.reason());
        assertEquals("none", t.appView().client());
        assertFalse(t.reason().contains("nothing unread") && t.reason().contains("cannot"), t.reason());
    }

    /** The server's data and FIN rode in one segment (frame 126): it had closed, so it saw no EPIPE. */
    @Test
    void aWriterThatHadClosedSeesNoBrokenPipe() {
        Flow f = only(CorpusFlows.analyze(CorpusFlows.capture("suricata-verify/tests/output-eve-ftp-data/input.pcap")), 3);
        Termination t = f.termination();
        assertEquals(TerminationClass.RST_AFTER_CLOSE, t.cls(), t.reason());
        assertNotEquals("EPIPE", t.appView().server(), t.reason());
        assertTrue(t.reason().contains("frame 126"), t.reason());
        assertTrue(t.reason().contains("at the FIN's seq"), "the RST answering data that crossed the FIN: " + t.reason());
        assertFalse(t.tags().contains(Tag.KEEPALIVE_RACE), "the server's data answered the client's request: " + t.tags());
    }

    /**
     * A lone SYN (frame 1), then six months without a packet before the rest of the capture: the silence
     * ends a piece of a merged capture, so the SYN came right before a capture end.
     */
    @Test
    void aSilenceOfMonthsIsACaptureEnd() {
        Flow f = only(CorpusFlows.analyze(CorpusFlows.capture("zeek/testing/btest/Traces/conn-size.pcap")), 0);
        assertEquals(TerminationClass.OPEN_AT_END, f.termination().cls(), f.termination().reason());
    }
}
