package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;

/**
 * Who is the client (spec: the sender of the first SYN without ACK). When the handshake is not in the
 * capture, the server is the side whose port looks like a server's: a port seen answering a SYN
 * elsewhere in the capture (listening), else a well-known port (below 1024), else the one outside the
 * ephemeral range (32768 and up), else the lower port.
 */
final class Roles {
    private static final int SYN = TcpSegment.SYN, ACK = TcpSegment.ACK;
    private final long[] listening = new long[1024];

    /** {@code port} answered a SYN (sent a SYN-ACK). */
    void listening(int port) {
        listening[port >>> 6] |= 1L << port;
    }

    private boolean isListening(int port) {
        return (listening[port >>> 6] & (1L << port)) != 0;
    }

    /** Whether the sender of {@code s}, the first segment of its connection, is the client. */
    boolean senderIsClient(TcpSegment s) {
        int f = s.flags & (SYN | ACK);
        if (f == SYN) {
            return true;
        }
        if (f == (SYN | ACK)) {
            return false;
        }
        int sp = s.srcPort, dp = s.dstPort;
        boolean sl = isListening(sp), dl = isListening(dp);
        if (sl != dl) {
            return dl;
        }
        if ((sp < 1024) != (dp < 1024)) {
            return dp < 1024;
        }
        if ((sp >= 32768) != (dp >= 32768)) {
            return sp >= 32768;
        }
        return sp >= dp;
    }
}
