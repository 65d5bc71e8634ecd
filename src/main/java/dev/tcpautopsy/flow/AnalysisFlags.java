package dev.tcpautopsy.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * Bit flags for the per-segment analyses Wireshark names {@code tcp.analysis.*}. A frame carries the
 * flags of its own segment; {@link #names} gives Wireshark's field names.
 */
public final class AnalysisFlags {
    public static final int RETRANSMISSION = 1, FAST_RETRANSMISSION = 1 << 1, SPURIOUS_RETRANSMISSION = 1 << 2,
            OUT_OF_ORDER = 1 << 3, LOST_SEGMENT = 1 << 4, ACKED_UNSEEN = 1 << 5, DUPLICATE_ACK = 1 << 6,
            ZERO_WINDOW = 1 << 7, ZERO_WINDOW_PROBE = 1 << 8, WINDOW_FULL = 1 << 9, KEEP_ALIVE = 1 << 10,
            KEEP_ALIVE_ACK = 1 << 11, WINDOW_UPDATE = 1 << 12, ZERO_WINDOW_PROBE_ACK = 1 << 13,
            REUSED_PORTS = 1 << 14;

    /** Any of the three kinds: what Wireshark's {@code tcp.analysis.retransmission} filter matches. */
    public static final int ANY_RETRANSMISSION = RETRANSMISSION | FAST_RETRANSMISSION | SPURIOUS_RETRANSMISSION;

    private static final String[] NAMES = {"retransmission", "fast_retransmission", "spurious_retransmission",
        "out_of_order", "lost_segment", "ack_lost_segment", "duplicate_ack", "zero_window", "zero_window_probe",
        "window_full", "keep_alive", "keep_alive_ack", "window_update", "zero_window_probe_ack", "reused_ports"};

    /** Number of flags. */
    public static final int COUNT = NAMES.length;

    private AnalysisFlags() {
    }

    /** Wireshark's field names (without {@code tcp.analysis.}) of the flags set in {@code mask}. */
    public static List<String> names(int mask) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < NAMES.length; i++) {
            if ((mask & (1 << i)) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }

    /** The field name of flag bit {@code i}. */
    public static String name(int bit) {
        return NAMES[bit];
    }
}
