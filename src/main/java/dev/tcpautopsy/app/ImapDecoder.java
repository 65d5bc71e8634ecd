package dev.tcpautopsy.app;

/**
 * IMAP4 (RFC 9051): the client's tagged commands (tag and command name, never arguments), the server's
 * status responses ({@code * OK}, {@code * BYE}, {@code a1 NO ...}: their line, bounded); untagged data
 * ({@code * 3 FETCH ...}) is read but not reported. Literals ({@code {123}} at a line's end, RFC 9051
 * 4.3) are skipped by count, so that no message text is ever read as a command or a response. A
 * {@code BYE}, and the answer to LOGOUT, are the server's goodbye; a BYE no LOGOUT asked for refuses
 * the client.
 *
 * <p>Side state: {@code x} 1 when the line goes on after a literal (same message); client {@code y} 1
 * when its next line answers an AUTHENTICATE challenge, {@code z} bit 4 while AUTHENTICATE runs, bit 8
 * while STARTTLS waits for its answer, bit 16 while LOGOUT does.
 */
final class ImapDecoder extends LineDecoder {
    static final ImapDecoder INSTANCE = new ImapDecoder();
    private static final int TAG_MAX = 20, AUTHENTICATING = 4, STARTTLS = 8, LOGOUT = 16;
    private static final String[] STATUS = {"OK", "NO", "BAD", "BYE", "PREAUTH"};

    private ImapDecoder() {
        super(Proto.IMAP);
    }

    /** The server's greeting: {@code * OK}, {@code * PREAUTH} or {@code * BYE}. */
    static boolean isGreeting(byte[] b, int p, int end) {
        if (!Ascii.startsWith(b, p, end, "* OK") && !Ascii.startsWith(b, p, end, "* PREAUTH")
                && !Ascii.startsWith(b, p, end, "* BYE")) {
            return false;
        }
        int lf = Ascii.lineEnd(b, p, end);
        return lf > p && Ascii.printable(b, p, lf);
    }

    @Override
    void line(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        int n = s.lineLen();
        boolean continued = s.x == 1;
        s.x = 0;
        if (!continued) {
            if (s.client) {
                command(c, s, sc, n);
            } else {
                response(c, s, sc, n);
            }
        }
        literal(s, sc, n);
    }

    @Override
    boolean startsLine(Side s, byte[] b, int p, int lf) {
        int t = word(b, p, lf);
        if (s.client) {
            return t > p && t - p <= TAG_MAX && b[p] != '*' && b[p] != '+' && t < lf
                    && letters(b, t + 1, word(b, t + 1, lf > t + 1 && b[lf - 1] == '\r' ? lf - 1 : lf));
        }
        return t > p && (b[p] == '*' || b[p] == '+' || t < lf && status(b, t + 1, lf) != null);
    }

    private static void command(AppTracker c, Side s, byte[] sc, int n) {
        if (s.y == 1) {
            s.y = 0;
            c.other(s, 0); // an answer to the server's challenge
            return;
        }
        int t = word(sc, 0, n);
        int cmd = t + 1, e = word(sc, cmd, n);
        if (t == 0 || t > TAG_MAX || sc[0] == '*' || sc[0] == '+' || !letters(sc, cmd, e)) {
            c.other(s, 0); // IDLE's DONE, or something else
            return;
        }
        begin(c, s, Msg.REQUEST);
        s.put(sc, 0, t, TAG_MAX, false, false);
        s.put(' ');
        putUpper(s, sc, cmd, e, 16);
        if (is(sc, cmd, e, "UID") && e < n) {
            s.put(' ');
            putUpper(s, sc, e + 1, word(sc, e + 1, n), 16);
        }
        c.finish(s);
        s.z = is(sc, cmd, e, "AUTHENTICATE") ? AUTHENTICATING : is(sc, cmd, e, "STARTTLS") ? STARTTLS
                : is(sc, cmd, e, "LOGOUT") ? LOGOUT : 0;
    }

    private static void response(AppTracker c, Side s, byte[] sc, int n) {
        int t = word(sc, 0, n);
        if (t == 1 && sc[0] == '+') {
            c.other(s, Msg.RESPONSE | Msg.UNSOLICITED);
            if ((c.client.z & AUTHENTICATING) != 0) {
                c.client.y = 1;
            }
            return;
        }
        String st = t < n ? status(sc, t + 1, n) : null;
        if (st == null || st.isEmpty()) {
            c.other(s, Msg.RESPONSE | Msg.UNSOLICITED); // untagged data
            return;
        }
        boolean untagged = t == 1 && sc[0] == '*';
        boolean bye = st.equals("BYE"), logout = (c.client.z & LOGOUT) != 0;
        int flags = Msg.RESPONSE | (untagged ? Msg.UNSOLICITED : 0) | (bye || logout || st.equals("NO") || st.equals("BAD")
                ? Msg.GOODBYE : 0) | (bye && !logout ? Msg.REFUSAL : 0);
        begin(c, s, flags);
        putLine(s);
        c.finish(s);
        if (!untagged) {
            boolean tls = st.equals("OK") && (c.client.z & STARTTLS) != 0;
            c.client.z = 0;
            c.client.y = 0;
            if (tls) {
                c.startTls(); // RFC 9051 6.2.1: the TLS negotiation begins right after the tagged OK
            }
        }
    }

    /** The status word after a tag: OK, NO, BAD, BYE or PREAUTH; "" for another word, null for none. */
    private static String status(byte[] b, int from, int n) {
        int e = word(b, from, n);
        for (String w : STATUS) {
            if (is(b, from, e, w)) {
                return w;
            }
        }
        return e > from ? "" : null;
    }

    /** A literal at the line's end: its bytes are skipped and the line goes on after them. */
    private static void literal(Side s, byte[] sc, int n) {
        if (n < 3 || s.lineCut() || sc[n - 1] != '}') {
            return;
        }
        int i = n - 2;
        if (sc[i] == '+' || sc[i] == '-') {
            i--; // LITERAL+ and LITERAL- (RFC 7888)
        }
        long len = 0, mul = 1;
        int digits = 0;
        for (; i >= 0 && Ascii.digit(sc[i]) && digits < 12; i--, digits++) {
            len += (sc[i] - '0') * mul;
            mul *= 10;
        }
        if (digits == 0 || i < 0 || sc[i] != '{') {
            return;
        }
        s.x = 1;
        if (len > 0) {
            s.state = SKIP;
            s.left = len;
        }
    }
}
