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

    void note(boolean client, int flags, int payloadLen, int window, int analysis) {
        if ((flags & SYN) != 0) {
            add(client, (flags & ACK) != 0 ? 1 : 0);
            if ((flags & (FIN | RST)) != 0) {
                add(client, 9);
            }
        }
        if ((flags & (SYN | FIN | RST | ACK)) == ACK && payloadLen == 0) {
            add(client, 2);
        }
        if (payloadLen > 0) {
            add(client, 3);
        }
        if ((flags & FIN) != 0) {
            add(client, 4);
        }
        if ((flags & RST) != 0) {
            add(client, 5);
            if ((flags & FIN) != 0) {
                add(client, 10);
            }
        }
        if (payloadLen > 0 && (analysis & Analysis.ANY_RETRANSMISSION) != 0) {
            add(client, 6);
        }
        if (window == 0 && (flags & (SYN | RST)) == 0) {
            add(client, 7);
        }
        if ((analysis & Analysis.LOST_SEGMENT) != 0) {
            add(client, 8);
        }
    }

    private void add(boolean client, int letter) {
        int bit = 1 << (letter + (client ? 0 : LETTERS.length()));
        if ((seen & bit) == 0) {
            seen |= bit;
            char c = LETTERS.charAt(letter);
            chars[length++] = client ? c : Character.toLowerCase(c);
        }
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
