package dev.tcpautopsy.app;

/**
 * POP3 (RFC 1939, RFC 2449 CAPA, RFC 5034 AUTH): the client's command verbs (never arguments), the
 * server's {@code +OK} and {@code -ERR} lines. The multi-line answers (RETR, TOP, CAPA, LIST and UIDL
 * without argument) are skipped to their "." line; the lines that answer an AUTH challenge
 * ({@code +}) are no commands. The answer to QUIT is the server's goodbye (it closes next), an error
 * before a close too.
 *
 * <p>State: client {@code y} 1 when its next line answers a challenge, {@code x} 1 after STLS; server {@code y} 1 once the
 * greeting was read; {@code c.owed}'s FIFO what each command's answer is: 1 multi-line, 2 QUIT's.
 */
final class Pop3Decoder extends LineDecoder {
    static final Pop3Decoder INSTANCE = new Pop3Decoder();

    private Pop3Decoder() {
        super(Proto.POP3);
    }

    /** The server's greeting: {@code +OK}, a space and a printable line (a bare {@code +OK} is Redis's). */
    static boolean isGreeting(byte[] b, int p, int end) {
        if (!Ascii.startsWith(b, p, end, "+OK ")) {
            return false;
        }
        int lf = Ascii.lineEnd(b, p, end);
        return lf >= p + 5 && Ascii.printable(b, p, lf);
    }

    @Override
    void line(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        int n = s.lineLen();
        int w = word(sc, 0, n);
        if (s.client) {
            if (s.y == 1) {
                s.y = 0;
                c.other(s, 0); // an answer to the server's challenge
            } else if (w > 8 || !letters(sc, 0, w)) {
                c.other(s, 0);
            } else {
                begin(c, s, Msg.REQUEST);
                putUpper(s, sc, 0, w, 8);
                c.finish(s);
                boolean bare = w == n;
                s.x = is(sc, 0, w, "STLS") ? 1 : 0; // RFC 2595 4: TLS follows the server's +OK
                c.owed.push(is(sc, 0, w, "RETR") || is(sc, 0, w, "TOP") || is(sc, 0, w, "CAPA")
                        || bare && (is(sc, 0, w, "LIST") || is(sc, 0, w, "UIDL") || is(sc, 0, w, "AUTH")) ? 1
                        : is(sc, 0, w, "QUIT") ? 2 : 0);
            }
            return;
        }
        boolean ok = is(sc, 0, w, "+OK"), err = is(sc, 0, w, "-ERR");
        if (!ok && !err) {
            if (w == 1 && sc[0] == '+') {
                c.client.y = 1; // a challenge
            }
            c.other(s, Msg.RESPONSE | Msg.UNSOLICITED);
            return;
        }
        // the greeting comes before any command: an +OK after one answers it, though the greeting itself went unread
        // (a line that was not printable, so POP3 was told from the client's command)
        boolean greeting = s.y == 0 && !c.owed.requested;
        s.y = 1;
        int multi = greeting ? 0 : c.owed.pop();
        begin(c, s, Msg.RESPONSE | (greeting ? Msg.UNSOLICITED : 0) | (multi == 2 ? Msg.GOODBYE : 0)
                | (err ? Msg.GOODBYE | Msg.REFUSAL : 0));
        putLine(s);
        c.finish(s);
        if (!greeting && c.client.x == 1) {
            c.client.x = 0;
            if (ok) {
                c.startTls();
                return;
            }
        }
        if (ok && multi == 1) {
            s.state = DOT;
            s.z = 0;
        }
    }

    @Override
    boolean startsLine(Side s, byte[] b, int p, int lf) {
        int w = word(b, p, lf);
        if (s.client) {
            return w - p >= 3 && w - p <= 4 && letters(b, p, w > p && b[w - 1] == '\r' ? w - 1 : w);
        }
        return Ascii.startsWith(b, p, lf, "+OK") || Ascii.startsWith(b, p, lf, "-ERR");
    }
}
