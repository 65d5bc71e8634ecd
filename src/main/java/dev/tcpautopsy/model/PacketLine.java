package dev.tcpautopsy.model;

import java.time.Instant;
import java.util.List;

/**
 * One of the last packets of a connection, for the ladder diagram. Sequence and acknowledgement
 * numbers are relative to each side's ISN, as Wireshark shows them; {@code window} is scaled
 * when the scale is known. {@code analysis} lists the {@code tcp.analysis} flags of the frame
 * (e.g. {@code retransmission}, {@code zero_window_probe}).
 */
public record PacketLine(long frame, Instant time, boolean fromClient, String flags, long seq, long ack, int len,
                         long window, int ttl, List<String> analysis) {
    public PacketLine {
        analysis = List.copyOf(analysis);
    }

    /**
     * A relative sequence or acknowledgement number as people read it: a number below the sender's ISN
     * (a RST answering a stale ACK, an acknowledgement field of zero) is shown as the 32-bit unsigned
     * value it wraps to, as Wireshark does, never as a negative number.
     */
    public static long unsigned(long relative) {
        return relative < 0 ? relative & 0xFFFF_FFFFL : relative;
    }
}
