package dev.tcpautopsy.flow;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tcpautopsy.decode.TcpSegment.ACK;
import static dev.tcpautopsy.decode.TcpSegment.PSH;
import static dev.tcpautopsy.decode.TcpSegment.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each {@code tcp.analysis} flag on a minimal synthetic conversation, with the exact set of flags
 * Wireshark's rules give the frame (the same scenarios checked against tshark are in
 * {@link TsharkAgreementTest}).
 */
class SeqAnalysisTest {

    /** Every scenario of this class, for the tshark comparison. */
    static java.util.Map<String, Segments> scenarios() {
        java.util.Map<String, Segments> m = new java.util.LinkedHashMap<>();
        m.put("plain", plain());
        m.put("retransmission", retransmissionScenario());
        m.put("lost-out-of-order", lostThenOutOfOrder());
        m.put("acked-unseen", ackedUnseen());
        m.put("dup-ack-fast-retransmission", dupAcksThenFast());
        m.put("spurious", spurious());
        m.put("zero-window-probe", zeroWindowProbe());
        m.put("window-full", windowFullScenario());
        m.put("keep-alive", keepAlive());
        m.put("window-update", windowUpdateScenario());
        return m;
    }
    private static final long C_ISN = 1_000, S_ISN = 50_000;

    /** Handshake with window scaling (shift 0) known both ways; the first RTT is 2 ms. */
    private static Segments handshake() {
        Segments g = new Segments(C_ISN, S_ISN);
        g.c(0).flags(SYN).wscale(0);
        g.s(1).flags(SYN | ACK).wscale(0);
        g.c(1).flags(ACK);
        g.s(1).flags(ACK); // clears the server's "first ACK" marker, so its window counts for "window full"
        return g;
    }

    /** AnalysisFlags flags of every frame. */
    private static int[] run(Segments g) {
        FlowTracker t = new FlowTracker(FlowSettings.DEFAULT, (f, h) -> { }, new HostTable(10));
        int[] flags = new int[g.all.size()];
        for (int i = 0; i < flags.length; i++) {
            t.accept(g.all.get(i));
            flags[i] = t.lastAnalysis();
        }
        return flags;
    }

    private static int lastFlags(Segments g) {
        int[] f = run(g);
        return f[f.length - 1];
    }

    private static void assertFlags(int expected, int actual) {
        assertEquals(AnalysisFlags.names(expected), AnalysisFlags.names(actual));
    }

    static Segments plain() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.s(1).flags(ACK);
        return g;
    }

    @Test
    void plainConversationHasNoFlags() {
        int[] f = run(plain());
        for (int i = 0; i < f.length; i++) {
            // an ACK repeating the SYN-ACK's ack number and window is a duplicate ACK to Wireshark
            assertFlags(i == 3 ? AnalysisFlags.DUPLICATE_ACK : 0, f[i]);
        }
    }

    static Segments retransmissionScenario() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.c(200).seqAt(C_ISN + 1).flags(PSH | ACK).data(100);
        return g;
    }

    @Test
    void retransmission() {
        assertFlags(AnalysisFlags.RETRANSMISSION, lastFlags(retransmissionScenario()));
    }

    static Segments lostThenOutOfOrder() {
        Segments g = handshake();
        g.c(1).seqAt(C_ISN + 101).flags(PSH | ACK).data(100); // the first 100 bytes are not seen yet
        g.c(1).seqAt(C_ISN + 1).flags(PSH | ACK).data(100); // and arrive 1 ms later, within the first RTT
        return g;
    }

    @Test
    void lostSegmentThenOutOfOrder() {
        int[] f = run(lostThenOutOfOrder());
        assertFlags(AnalysisFlags.LOST_SEGMENT, f[4]);
        assertFlags(AnalysisFlags.OUT_OF_ORDER, f[5]);
    }

    static Segments ackedUnseen() {
        Segments g = handshake();
        g.s(1).flags(ACK).ackAt(C_ISN + 501);
        return g;
    }

    @Test
    void ackedUnseenSegment() {
        assertFlags(AnalysisFlags.ACKED_UNSEEN, lastFlags(ackedUnseen()));
    }

    static Segments dupAcksThenFast() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.c(0).flags(PSH | ACK).data(100);
        g.c(0).flags(PSH | ACK).data(100);
        g.s(1).flags(ACK).ackAt(C_ISN + 101);
        g.s(1).flags(ACK).ackAt(C_ISN + 101);
        g.s(1).flags(ACK).ackAt(C_ISN + 101);
        g.c(5).seqAt(C_ISN + 101).flags(PSH | ACK).data(100);
        return g;
    }

    @Test
    void duplicateAcksThenFastRetransmission() {
        int[] f = run(dupAcksThenFast());
        assertFlags(0, f[7]);
        assertFlags(AnalysisFlags.DUPLICATE_ACK, f[8]);
        assertFlags(AnalysisFlags.DUPLICATE_ACK, f[9]);
        assertFlags(AnalysisFlags.FAST_RETRANSMISSION, f[10]);
    }

    static Segments spurious() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.s(1).flags(ACK);
        g.c(300).seqAt(C_ISN + 1).flags(PSH | ACK).data(100);
        return g;
    }

    @Test
    void spuriousRetransmission() {
        assertFlags(AnalysisFlags.SPURIOUS_RETRANSMISSION, lastFlags(spurious()));
    }

    static Segments zeroWindowProbe() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.s(1).flags(ACK).win(0);
        g.c(200).flags(ACK).data(1);
        g.s(1).flags(ACK).win(0).ackAt(C_ISN + 101);
        return g;
    }

    @Test
    void zeroWindowProbeAndItsAck() {
        int[] f = run(zeroWindowProbe());
        assertFlags(AnalysisFlags.ZERO_WINDOW, f[5]);
        assertFlags(AnalysisFlags.ZERO_WINDOW_PROBE, f[6]);
        assertFlags(AnalysisFlags.ZERO_WINDOW | AnalysisFlags.ZERO_WINDOW_PROBE_ACK, f[7]);
    }

    static Segments windowFullScenario() {
        Segments g = handshake();
        g.s(1).flags(ACK).win(300);
        g.c(1).flags(PSH | ACK).data(100);
        g.c(0).flags(PSH | ACK).data(200); // reaches the edge of the 300-byte window
        return g;
    }

    @Test
    void windowFull() {
        assertFlags(AnalysisFlags.WINDOW_FULL, lastFlags(windowFullScenario()));
    }

    static Segments keepAlive() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.s(1).flags(ACK);
        g.c(30_000).seqAt(C_ISN + 100).flags(ACK);
        g.s(1).flags(ACK);
        return g;
    }

    @Test
    void keepAliveAndItsAck() {
        int[] f = run(keepAlive());
        assertFlags(AnalysisFlags.KEEP_ALIVE, f[6]);
        assertFlags(AnalysisFlags.KEEP_ALIVE_ACK, f[7]);
    }

    static Segments windowUpdateScenario() {
        Segments g = handshake();
        g.s(1).flags(ACK).win(0);
        g.s(100).flags(ACK).win(5000);
        return g;
    }

    @Test
    void windowUpdate() {
        int[] f = run(windowUpdateScenario());
        assertFlags(AnalysisFlags.ZERO_WINDOW, f[4]);
        assertFlags(AnalysisFlags.WINDOW_UPDATE, f[5]);
    }

    @Test
    void flagNamesAreWiresharksFieldNames() {
        assertEquals(List.of("retransmission", "ack_lost_segment"),
                AnalysisFlags.names(AnalysisFlags.RETRANSMISSION | AnalysisFlags.ACKED_UNSEEN));
        for (int i = 0; i < AnalysisFlags.COUNT; i++) {
            assertEquals(TsharkFrames.ANALYSIS_FIELDS[i], AnalysisFlags.name(i));
        }
    }
}
