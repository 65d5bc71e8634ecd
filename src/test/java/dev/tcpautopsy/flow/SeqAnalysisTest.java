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

    /** Analysis flags of every frame. */
    private static int[] run(Segments g) {
        FlowTracker t = new FlowTracker(FlowSettings.DEFAULT, (f, h) -> { }, new HostTable(10));
        int[] flags = new int[g.all.size()];
        for (int i = 0; i < flags.length; i++) {
            t.accept(g.all.get(i), null);
            flags[i] = t.lastAnalysis();
        }
        return flags;
    }

    private static int lastFlags(Segments g) {
        int[] f = run(g);
        return f[f.length - 1];
    }

    private static void assertFlags(int expected, int actual) {
        assertEquals(Analysis.names(expected), Analysis.names(actual));
    }

    @Test
    void plainConversationHasNoFlags() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.s(1).flags(ACK);
        int[] f = run(g);
        for (int i = 0; i < f.length; i++) {
            // an ACK repeating the SYN-ACK's ack number and window is a duplicate ACK to Wireshark
            assertFlags(i == 3 ? Analysis.DUPLICATE_ACK : 0, f[i]);
        }
    }

    @Test
    void retransmission() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.c(200).seqAt(C_ISN + 1).flags(PSH | ACK).data(100);
        assertFlags(Analysis.RETRANSMISSION, lastFlags(g));
    }

    @Test
    void lostSegmentThenOutOfOrder() {
        Segments g = handshake();
        g.c(1).seqAt(C_ISN + 101).flags(PSH | ACK).data(100); // the first 100 bytes are not seen yet
        g.c(1).seqAt(C_ISN + 1).flags(PSH | ACK).data(100); // and arrive 1 ms later, within the first RTT
        int[] f = run(g);
        assertFlags(Analysis.LOST_SEGMENT, f[4]);
        assertFlags(Analysis.OUT_OF_ORDER, f[5]);
    }

    @Test
    void ackedUnseenSegment() {
        Segments g = handshake();
        g.s(1).flags(ACK).ackAt(C_ISN + 501);
        assertFlags(Analysis.ACKED_UNSEEN, lastFlags(g));
    }

    @Test
    void duplicateAcksThenFastRetransmission() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.c(0).flags(PSH | ACK).data(100);
        g.c(0).flags(PSH | ACK).data(100);
        g.s(1).flags(ACK).ackAt(C_ISN + 101);
        g.s(1).flags(ACK).ackAt(C_ISN + 101);
        g.s(1).flags(ACK).ackAt(C_ISN + 101);
        g.c(5).seqAt(C_ISN + 101).flags(PSH | ACK).data(100);
        int[] f = run(g);
        assertFlags(0, f[7]);
        assertFlags(Analysis.DUPLICATE_ACK, f[8]);
        assertFlags(Analysis.DUPLICATE_ACK, f[9]);
        assertFlags(Analysis.FAST_RETRANSMISSION, f[10]);
    }

    @Test
    void spuriousRetransmission() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.s(1).flags(ACK);
        g.c(300).seqAt(C_ISN + 1).flags(PSH | ACK).data(100);
        assertFlags(Analysis.SPURIOUS_RETRANSMISSION, lastFlags(g));
    }

    @Test
    void zeroWindowProbeAndItsAck() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.s(1).flags(ACK).win(0);
        g.c(200).flags(ACK).data(1);
        g.s(1).flags(ACK).win(0).ackAt(C_ISN + 101);
        int[] f = run(g);
        assertFlags(Analysis.ZERO_WINDOW, f[5]);
        assertFlags(Analysis.ZERO_WINDOW_PROBE, f[6]);
        assertFlags(Analysis.ZERO_WINDOW | Analysis.ZERO_WINDOW_PROBE_ACK, f[7]);
    }

    @Test
    void windowFull() {
        Segments g = handshake();
        g.s(1).flags(ACK).win(300);
        g.c(1).flags(PSH | ACK).data(100);
        g.c(0).flags(PSH | ACK).data(200); // reaches the edge of the 300-byte window
        assertFlags(Analysis.WINDOW_FULL, lastFlags(g));
    }

    @Test
    void keepAliveAndItsAck() {
        Segments g = handshake();
        g.c(1).flags(PSH | ACK).data(100);
        g.s(1).flags(ACK);
        g.c(30_000).seqAt(C_ISN + 100).flags(ACK);
        g.s(1).flags(ACK);
        int[] f = run(g);
        assertFlags(Analysis.KEEP_ALIVE, f[6]);
        assertFlags(Analysis.KEEP_ALIVE_ACK, f[7]);
    }

    @Test
    void windowUpdate() {
        Segments g = handshake();
        g.s(1).flags(ACK).win(0);
        g.s(100).flags(ACK).win(5000);
        int[] f = run(g);
        assertFlags(Analysis.ZERO_WINDOW, f[4]);
        assertFlags(Analysis.WINDOW_UPDATE, f[5]);
    }

    @Test
    void flagNamesAreWiresharksFieldNames() {
        assertEquals(List.of("retransmission", "ack_lost_segment"),
                Analysis.names(Analysis.RETRANSMISSION | Analysis.ACKED_UNSEEN));
        for (int i = 0; i < Analysis.COUNT; i++) {
            assertEquals(TsharkFrames.ANALYSIS_FIELDS[i], Analysis.name(i));
        }
    }
}
