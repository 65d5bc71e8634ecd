package dev.tcpautopsy.compare;

import dev.tcpautopsy.decode.TcpSegment;

/** How reports name a segment: its flags ({@code RST+ACK}) and what it is ({@code data 1448 bytes}). */
final class Describe {
    private static final int[] BITS = {TcpSegment.SYN, TcpSegment.FIN, TcpSegment.RST, TcpSegment.PSH, TcpSegment.ACK,
            TcpSegment.URG, TcpSegment.ECE, TcpSegment.CWR};
    private static final String[] NAMES = {"SYN", "FIN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

    private Describe() {
    }

    static String flags(int flags) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) != 0) {
                sb.append(sb.length() == 0 ? "" : "+").append(NAMES[i]);
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /** {@code SYN}, {@code SYN-ACK}, {@code RST}, {@code FIN}, {@code data N bytes}, {@code ACK}; then " (retransmission)". */
    static String what(Seg s, boolean retransmission) {
        String w;
        if (s.has(TcpSegment.SYN)) {
            w = s.has(TcpSegment.ACK) ? "SYN-ACK" : "SYN";
        } else if (s.has(TcpSegment.RST)) {
            w = "RST";
        } else if (s.has(TcpSegment.FIN)) {
            w = s.len > 0 ? "FIN with data " + s.len + " bytes" : "FIN";
        } else if (s.len > 0) {
            w = "data " + s.len + (s.len == 1 ? " byte" : " bytes");
        } else {
            w = "ACK";
        }
        return retransmission ? w + " (retransmission)" : w;
    }

    /** {@code client} or {@code server}: who sent a segment of direction {@code dir} (0: client to server). */
    static String sender(int dir) {
        return dir == 0 ? "client" : "server";
    }

    static String receiver(int dir) {
        return dir == 0 ? "server" : "client";
    }

    static String direction(int dir) {
        return dir == 0 ? "client-to-server" : "server-to-client";
    }
}
