package dev.tcpautopsy.app;

/**
 * SMTP (RFC 5321) and FTP's control connection (RFC 959): the client's command verbs (never their
 * arguments), the server's replies (a multi-line reply is one message: its first line is the text).
 * SMTP's DATA body (after 354) and BDAT chunks, and the lines that answer a 334 challenge, are no
 * commands. The two look alike until the banner or the client's first command tells them apart. A
 * reply of 4xx or 5xx is a goodbye when its sender closes next, and so is 221, the answer to QUIT (both
 * protocols send it only then).
 *
 * <p>Side state: server {@code x} 1 inside a multi-line reply, {@code y} its code; client {@code y} 1
 * when its next line answers a 334 challenge, {@code x} 1 when it asked for TLS. {@code c.mode} the dialect once decided
 * ({@link #SMTP} or {@link #FTP}), kept apart from the connection's name: a CONNECT tunnel to a mail server is still HTTP,
 * and its DATA body is still no command.
 */
final class ReplyDecoder extends LineDecoder {
    static final ReplyDecoder INSTANCE = new ReplyDecoder();
    static final int UNDECIDED = 0, SMTP = 1, FTP = 2;
    private static final String[] SMTP_VERBS = {"EHLO", "HELO", "LHLO", "MAIL", "RCPT", "DATA", "BDAT", "STARTTLS",
        "VRFY", "EXPN"};
    private static final String[] FTP_VERBS = {"USER", "PASS", "ACCT", "CWD", "CDUP", "PWD", "SYST", "FEAT", "PASV",
        "EPSV", "PORT", "EPRT", "TYPE", "RETR", "STOR", "LIST", "NLST", "MLSD", "SIZE", "MDTM", "OPTS", "SITE", "MKD",
        "RMD", "DELE", "REST", "ABOR"};

    private ReplyDecoder() {
        super(Proto.SMTP);
    }

    /** A banner or an unsolicited reply: 220, 421 or 554 (the last two refuse a client before any command). */
    static boolean isGreeting(byte[] b, int p, int end) {
        int code = code(b, p, Math.min(end, p + 4));
        if (code != 220 && code != 421 && code != 554) {
            return false;
        }
        int lf = Ascii.lineEnd(b, p, end);
        return lf >= p + 5 && Ascii.printable(b, p, lf);
    }

    /** A client's first SMTP command, EHLO or HELO, when the server's banner was not captured. */
    static boolean isHello(byte[] b, int p, int end) {
        if (end - p < 6 || !is(b, p, p + 4, "EHLO") && !is(b, p, p + 4, "HELO") || b[p + 4] != ' ') {
            return false;
        }
        int lf = Ascii.lineEnd(b, p, end);
        return lf > p + 5 && Ascii.printable(b, p, lf);
    }

    /** Whether the banner names FTP. */
    static boolean banner(byte[] b, int p, int end, String name) {
        int lf = Ascii.lineEnd(b, p, end);
        for (int i = p; i + name.length() <= lf; i++) {
            if (is(b, i, i + name.length(), name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    void line(AppTracker c, Side s) {
        if (s.client) {
            command(c, s);
        } else {
            reply(c, s);
        }
    }

    @Override
    void dotDone(AppTracker c, Side s) {
        c.other(s, Msg.REQUEST); // the end of the mail: the server's reply says whether it was taken
    }

    @Override
    boolean startsLine(Side s, byte[] b, int p, int lf) {
        if (s.client) {
            int w = word(b, p, lf);
            return w - p >= 3 && w - p <= 8 && letters(b, p, w > 0 && b[w - 1] == '\r' ? w - 1 : w);
        }
        return code(b, p, lf) >= 100;
    }

    private static void command(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        int n = s.lineLen();
        if (s.y == 1) {
            s.y = 0;
            c.other(s, Msg.REQUEST); // an answer to the server's challenge, not a command
            return;
        }
        int w = word(sc, 0, n);
        if (w > 12 || !letters(sc, 0, w)) {
            c.other(s, 0);
            return;
        }
        if (c.mode == 0) {
            decide(c, sc, w);
        }
        begin(c, s, Msg.REQUEST);
        putUpper(s, sc, 0, w, 12);
        c.finish(s);
        // STARTTLS (RFC 3207), or FTP's AUTH TLS (RFC 4217): TLS follows the server's yes
        s.x = is(sc, 0, w, "STARTTLS") || is(sc, 0, w, "AUTH") && n >= w + 4
                && (is(sc, w + 1, w + 4, "TLS") || is(sc, w + 1, w + 4, "SSL")) ? 1 : 0;
        if (smtp(c) && is(sc, 0, w, "BDAT")) {
            long len = 0;
            int i = w + 1;
            while (i < n && Ascii.digit(sc[i]) && len < 1L << 40) {
                len = len * 10 + sc[i++] - '0';
            }
            if (len > 0) {
                s.state = SKIP;
                s.left = len;
            }
        }
    }

    private static void decide(AppTracker c, byte[] sc, int w) {
        for (String v : SMTP_VERBS) {
            if (is(sc, 0, w, v)) {
                decided(c, SMTP);
                return;
            }
        }
        for (String v : FTP_VERBS) {
            if (is(sc, 0, w, v)) {
                decided(c, FTP);
                return;
            }
        }
    }

    /** The dialect is known; it names the connection unless another protocol named it first. */
    static void decided(AppTracker c, int dialect) {
        c.mode = dialect;
        if (c.protocol == Proto.SMTP || c.protocol == Proto.FTP) {
            c.protocol = dialect == FTP ? Proto.FTP : Proto.SMTP;
        }
    }

    /** SMTP is spoken: decided so, or undecided on a connection not named FTP. */
    private static boolean smtp(AppTracker c) {
        return c.mode == SMTP || c.mode == UNDECIDED && c.protocol != Proto.FTP;
    }

    /** Reply codes that only FTP (RFC 959 4.2) or only SMTP (RFC 5321 4.2, RFC 4954) sends tell them apart too. */
    private static void decide(AppTracker c, int code) {
        switch (code) {
            case 150, 215, 226, 227, 229, 230, 257, 331 -> decided(c, FTP);
            case 235, 334, 354 -> decided(c, SMTP);
            default -> {
            }
        }
    }

    private static void reply(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        int n = s.lineLen();
        int code = code(sc, 0, n);
        if (s.x == 1) {
            if (code == s.y && (n == 3 || sc[3] == ' ')) {
                s.x = 0;
                c.finish(s);
            }
            return; // a line of a multi-line reply
        }
        if (code < 0) {
            c.other(s, 0);
            return;
        }
        if (c.mode == 0) {
            decide(c, code);
        }
        boolean tls = c.client.x == 1 && (code == 220 || code == 234);
        c.client.x = 0;
        boolean refusal = code == 421 || code == 554 || code == 530 && !smtp(c);
        begin(c, s, Msg.RESPONSE | (code >= 400 || code == 221 ? Msg.GOODBYE : 0) | (refusal ? Msg.REFUSAL : 0));
        s.put(sc, 0, 3, 3, false, false);
        if (n > 4) {
            s.put(' '); // a multi-line reply's hyphen is framing, not text
            s.put(sc, 4, n - 4, LINE_MAX, s.lineCut(), false);
        }
        if (smtp(c) && code == 354) {
            c.client.state = DOT;
            c.client.z = 0;
        } else if (code == 334) {
            c.client.y = 1;
        }
        if (n > 3 && sc[3] == '-') {
            s.x = 1;
            s.y = code;
        } else {
            c.finish(s);
            if (tls) {
                c.startTls();
            }
        }
    }
}
