package dev.tcpautopsy.app;

/**
 * A protocol of CRLF-terminated lines (SMTP, FTP, IMAP, POP3): each line is handed to {@link #line}
 * with its first {@link Side#SCRATCH} bytes; a subclass may ask to skip a counted number of bytes (an
 * IMAP literal, an SMTP BDAT chunk) or a dot-terminated body (SMTP DATA, a POP3 multi-line answer:
 * RFC 5321 4.5.2, RFC 1939 3), which are never kept.
 *
 * <p>Side state: {@code state}; {@code aux} the frame of the current line's first byte; {@code left}
 * bytes to skip; {@code z} the dot-terminated body's position in its current line; {@code x} and
 * {@code y} are the subclass's.
 */
abstract class LineDecoder extends Decoder {
    static final int LINE_MAX = 80;
    static final int LINE = 0, DOT = 1, SKIP = 2;

    LineDecoder(int protocol) {
        super(protocol);
    }

    /** A whole line was read ({@link Side#lineLen()} bytes kept in scratch; its first byte came in frame {@code s.aux}). */
    abstract void line(AppTracker c, Side s);

    /** A dot-terminated body ended. */
    void dotDone(AppTracker c, Side s) {
    }

    @Override
    void feed(AppTracker c, Side s, byte[] b, int p, int end, boolean fresh) {
        int first = p;
        while (p < end) {
            if (s.state == SKIP) {
                int k = (int) Math.min(s.left, end - p);
                p += k;
                s.left -= k;
                if (s.left == 0) {
                    s.state = LINE;
                }
            } else if (s.state == DOT) {
                p = dot(s, b, p, end);
                if (p < 0) {
                    return;
                }
                s.state = LINE;
                dotDone(c, s);
            } else {
                if (s.have == 0) {
                    if (switchedToTls(c, s, b, p, end, fresh && p == first)) {
                        return;
                    }
                    s.aux = s.frame;
                    s.tail = 0;
                }
                p = s.line(b, p, end);
                if (p < 0) {
                    return;
                }
                line(c, s);
                s.have = 0;
                if (s.dec != this) {
                    handOn(c, s, b, p, end);
                    return;
                }
            }
        }
    }

    @Override
    void close(AppTracker c, Side s) {
        if (s.state == LINE && s.have > 0) {
            line(c, s); // the last line, sent without its CRLF
            s.have = 0;
        }
    }

    @Override
    boolean startsMessage(Side s, byte[] b, int p, int end) {
        int i = p;
        while (i < end && i < p + 512 && b[i] != '\n' && (b[i] >= 0x20 && b[i] < 0x7f || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i < end && b[i] == '\n' && i > p && startsLine(s, b, p, i);
    }

    /** Whether the printable line {@code b[p, lf)} begins a message of this protocol from this side. */
    abstract boolean startsLine(Side s, byte[] b, int p, int lf);

    /** Starts the message this line begins. */
    static void begin(AppTracker c, Side s, int flags) {
        s.msgFrame = s.aux;
        c.report(s, flags);
    }

    /** Puts the line as the message's text, bounded. */
    static void putLine(Side s) {
        s.put(s.scratch, 0, s.lineLen(), LINE_MAX, s.lineCut(), false);
    }

    /** Skips to the end of a dot-terminated body; returns the index after its "." line, -1 when not there yet. */
    private static int dot(Side s, byte[] b, int p, int end) {
        int z = s.z;
        for (int i = p; i < end; i++) {
            byte v = b[i];
            if (v == '\n') {
                if (z == 1 || z == 2) {
                    s.z = 0;
                    return i + 1;
                }
                z = 0;
            } else if (z == 0) {
                z = v == '.' ? 1 : 3;
            } else if (z == 1) {
                z = v == '\r' ? 2 : 3;
            } else if (z == 2) {
                z = 3;
            }
        }
        s.z = z;
        return -1;
    }

    /** Index after the first token of the line (bytes other than space), from {@code from}. */
    static int word(byte[] b, int from, int n) {
        int i = from;
        while (i < n && b[i] != ' ') {
            i++;
        }
        return i;
    }

    static boolean letters(byte[] b, int from, int to) {
        if (to <= from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if ((b[i] | 0x20) < 'a' || (b[i] | 0x20) > 'z') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[from, to)} is {@code upper}, ignoring the case of letters. */
    static boolean is(byte[] b, int from, int to, String upper) {
        if (to - from != upper.length()) {
            return false;
        }
        for (int i = 0; i < upper.length(); i++) {
            char u = upper.charAt(i);
            if (b[from + i] != u && (u < 'A' || u > 'Z' || (b[from + i] & 0xDF) != u)) {
                return false;
            }
        }
        return true;
    }

    /** Puts {@code b[from, to)} upper-cased. */
    static void putUpper(Side s, byte[] b, int from, int to, int max) {
        int start = s.textLen;
        s.put(b, from, to - from, max, false, false);
        for (int i = start; i < s.textLen; i++) {
            if (s.text[i] >= 'a' && s.text[i] <= 'z') {
                s.text[i] -= 32;
            }
        }
    }

    /** A reply code at {@code b[p]} in a line ending at {@code to}: three digits, then a space, a hyphen or the line's end; -1 when none. */
    static int code(byte[] b, int p, int to) {
        if (to - p < 3 || !Ascii.digit(b[p]) || !Ascii.digit(b[p + 1]) || !Ascii.digit(b[p + 2])
                || to - p > 3 && b[p + 3] != ' ' && b[p + 3] != '-' && b[p + 3] != '\r') {
            return -1;
        }
        return (b[p] - '0') * 100 + (b[p + 1] - '0') * 10 + (b[p + 2] - '0');
    }
}
