package dev.tcpautopsy.model;

/**
 * The TCP flags byte (RFC 9293 3.1), as the bits a segment carries: one {@code int} per segment, never an
 * object (Zeek's {@code TCP_Flags}). Every layer names the bits through this class, so that judging and
 * reporting need nothing of the decoder.
 */
public final class TcpFlags {
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40,
            CWR = 0x80;

    /** Each flags byte spelled once, as the ladders and reports show it ("S", "SA", "FPA", "R", ...). */
    private static final String[] TEXT = new String[256];

    static {
        for (int f = 0; f < 256; f++) {
            TEXT[f] = spell(f);
        }
    }

    private TcpFlags() {
    }

    public static boolean has(int flags, int flag) {
        return (flags & flag) != 0;
    }

    /** The flags as letters in the order S F R P A U E C; the empty string for none. */
    public static String text(int flags) {
        return TEXT[flags & 0xFF];
    }

    private static String spell(int f) {
        StringBuilder sb = new StringBuilder(4);
        char[] letters = {'S', 'F', 'R', 'P', 'A', 'U', 'E', 'C'};
        int[] bits = {SYN, FIN, RST, PSH, ACK, URG, ECE, CWR};
        for (int i = 0; i < bits.length; i++) {
            if ((f & bits[i]) != 0) {
                sb.append(letters[i]);
            }
        }
        return sb.toString();
    }
}
