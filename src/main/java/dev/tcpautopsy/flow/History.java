package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;

/**
 * Zeek-style connection history: each event is recorded once per direction as one letter, upper case
 * for the client and lower case for the server ({@code AddHistory}): S SYN, H SYN-ACK, A pure ACK,
 * D data, F FIN, R RST, T retransmitted data, W zero window, G gap (a segment was not captured),
 * Q SYN together with FIN or RST, I FIN together with RST.
 */
final class History {
    private static final String LETTERS = "SHADFRTWGQI";
    private static final int SYN = TcpSegment.SYN, ACK = TcpSegment.ACK, FIN = TcpSegment.FIN, RST = TcpSegment.RST;

    private final char[] chars = new char[2 * LETTERS.length()];
    private int length;
    private int seen;

    void clear() {
        length = 0;
        seen = 0;
    }

    /** The letters a segment stands for, as bits (client letters low, server letters shifted). */
    static int letters(boolean client, int flags, int payloadLen, int window, int analysis) {
        int m = 0;
        if ((flags & SYN) != 0) {
            m |= (flags & ACK) != 0 ? 1 << 1 : 1;
            if ((flags & (FIN | RST)) != 0) {
                m |= 1 << 9;
            }
        }
        if ((flags & (SYN | FIN | RST | ACK)) == ACK && payloadLen == 0) {
            m |= 1 << 2;
        }
        if (payloadLen > 0) {
            m |= 1 << 3;
            if ((analysis & AnalysisFlags.ANY_RETRANSMISSION) != 0) {
                m |= 1 << 6;
            }
        }
        if ((flags & FIN) != 0) {
            m |= 1 << 4;
        }
        if ((flags & RST) != 0) {
            m |= (flags & FIN) != 0 ? 1 << 5 | 1 << 10 : 1 << 5;
        }
        if (window == 0 && (flags & (SYN | RST)) == 0) {
            m |= 1 << 7;
        }
        if ((analysis & AnalysisFlags.LOST_SEGMENT) != 0) {
            m |= 1 << 8;
        }
        return client ? m : m << LETTERS.length();
    }

    /** Records the letters of {@code mask} not seen before, in letter order; returns the letters seen so far. */
    int note(int mask) {
        int fresh = mask & ~seen;
        for (int bit = 0; fresh != 0; bit++, fresh >>>= 1) {
            if ((fresh & 1) != 0) {
                add(bit);
            }
        }
        return seen;
    }

    private void add(int bit) {
        seen |= 1 << bit;
        int n = LETTERS.length();
        char c = LETTERS.charAt(bit % n);
        chars[length++] = bit < n ? c : Character.toLowerCase(c);
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
