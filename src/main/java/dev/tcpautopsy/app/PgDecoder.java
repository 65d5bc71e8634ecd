package dev.tcpautopsy.app;

/**
 * PostgreSQL's frontend/backend protocol 3 (PostgreSQL docs, "Message Formats"): messages are a type
 * byte and a length, except the client's first (startup, SSLRequest, GSSENCRequest, CancelRequest:
 * length and code) and the server's one-byte answer to SSLRequest or GSSENCRequest. Read: the startup's
 * user and database, a query's first words (simple query and Parse; literals masked), Terminate (the
 * client's goodbye), ErrorResponse and NoticeResponse (severity, SQLSTATE, message), CommandComplete's
 * tag, authentication requests. A query answered by any message is answered: the server's first
 * message after it is the response, by its name when it is none of those ({@code RowDescription (2
 * columns)}, {@code ParseComplete}).
 *
 * <p>Side state: {@code state}; {@code y} client: 0 before its startup message (untyped), 1 after;
 * server: 1 while a one-byte answer is due ({@code aux} 1 for SSL, 2 for GSSAPI); {@code x} the
 * message type (0 a startup message, -1 another untyped one); the framing's fields are {@link FramedDecoder}'s.
 */
final class PgDecoder extends FramedDecoder {
    static final PgDecoder INSTANCE = new PgDecoder();
    static final int QUERY_MAX = 60, MESSAGE_MAX = 96;
    private static final int STARTUP = 196608, SSL_REQUEST = 80877103, GSSENC_REQUEST = 80877104,
            CANCEL_REQUEST = 80877102;
    private static final String CLIENT_TYPES = "QPBEDCSHFXpdcf", SERVER_TYPES = "RENCSAKZTDI123nstGHWcdV";
    /** The names of the server's messages, as SERVER_TYPES orders them (PostgreSQL docs, "Message Formats"). */
    private static final String[] SERVER_NAMES = {"Authentication", "ErrorResponse", "NoticeResponse", "CommandComplete",
        "ParameterStatus", "NotificationResponse", "BackendKeyData", "ReadyForQuery", "RowDescription", "DataRow",
        "EmptyQueryResponse", "ParseComplete", "BindComplete", "CloseComplete", "NoData", "PortalSuspended",
        "ParameterDescription", "CopyInResponse", "CopyOutResponse", "CopyBothResponse", "CopyDone", "CopyData",
        "FunctionCallResponse"};
    /** SQLSTATEs of a FATAL that refuses the client: bad password, no pg_hba entry, shutdown, idle timeout, too many, starting. */
    private static final String[] REFUSALS = {"28P01", "28000", "57P01", "57P05", "53300", "57P03"};
    private static final String[] AUTH = {"ok", null, "Kerberos V5", "cleartext password", null, "MD5 password", "SCM",
        "GSSAPI", "GSSAPI continue", "SSPI", "SASL", "SASL continue", "SASL final"};

    private PgDecoder() {
        super(Proto.POSTGRESQL);
    }

    @Override
    void start(AppTracker c, Side s) {
        s.restart(); // the client's first message is untyped
    }

    @Override
    void restart(AppTracker c, Side s) {
        s.restart();
        s.y = s.client ? 1 : 0;
    }

    @Override
    int before(AppTracker c, Side s, byte[] b, int p, int end) {
        if (s.client || s.y != 1) {
            return p;
        }
        s.y = 0;
        if (b[p] == 'E') {
            return p; // old servers answer SSLRequest with an error
        }
        s.begin();
        answer(c, s, b[p]);
        return p + 1;
    }

    @Override
    int headerSize(AppTracker c, Side s) {
        return s.client && s.y == 0 ? 8 : 5;
    }

    @Override
    boolean header(AppTracker c, Side s, byte[] b, int p, int end) {
        return s.client && s.y == 0 ? startup(c, s) : typed(s);
    }

    @Override
    void message(AppTracker c, Side s) {
        body(c, s);
    }

    @Override
    boolean startsMessage(Side s, byte[] b, int p, int end) {
        String types = s.client ? CLIENT_TYPES : SERVER_TYPES;
        for (int q = p, k = 0; k < 3 && q < end; k++) {
            if (end - q < 5 || types.indexOf(b[q]) < 0) {
                return k > 0 && end - q < 5 && types.indexOf(b[q]) >= 0;
            }
            long len = u32(b, q + 1);
            if (len < 4 || len > 1 << 24) {
                return false;
            }
            q += 1 + (int) len;
        }
        return true;
    }

    /** A startup-family message: length and code, the client's first message. */
    static boolean isStartup(byte[] b, int p, int end) {
        if (end - p < 8) {
            return false;
        }
        long len = u32(b, p), code = u32(b, p + 4);
        return code == SSL_REQUEST && len == 8 || code == GSSENC_REQUEST && len == 8 || code == CANCEL_REQUEST && len == 16
                || code >>> 16 == 3 && len > 8 && len < 10_000 && end - p > 8
                && (b[p + 8] >= 'a' && b[p + 8] <= 'z' || b[p + 8] == '_') && (len > end - p || b[p + (int) len - 1] == 0);
    }

    private static boolean startup(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        long len = u32(sc, 0);
        int code = (int) u32(sc, 4);
        if (len < 8 || len > 10_000) {
            return false;
        }
        s.x = code >>> 16 == 3 ? 0 : -1;
        s.left = len - 8;
        s.need = code == STARTUP ? (int) Math.min(s.left, Side.SCRATCH) : 0;
        if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
            c.report(s, Msg.REQUEST);
            s.put(code == SSL_REQUEST ? "SSLRequest" : "GSSENCRequest");
            c.finish(s);
            c.server.y = 1;
            c.server.aux = code == SSL_REQUEST ? 1 : 2;
        } else if (code == CANCEL_REQUEST) {
            c.report(s, 0); // sent on a connection of its own, which the server closes without a word
            s.put("CancelRequest");
            c.finish(s);
        } else if (code >>> 16 == 3) {
            s.y = 1;
        } else {
            return false;
        }
        return true;
    }

    private static boolean typed(Side s) {
        byte[] sc = s.scratch;
        long len = u32(sc, 1);
        if ((s.client ? CLIENT_TYPES : SERVER_TYPES).indexOf(sc[0]) < 0 || len < 4 || len > 1 << 30) {
            return false;
        }
        s.x = sc[0];
        s.left = len - 4;
        int keep = s.client ? (s.x == 'Q' || s.x == 'P' ? Side.SCRATCH : 0)
                : s.x == 'E' || s.x == 'N' ? Side.SCRATCH : s.x == 'C' ? 64 : s.x == 'R' ? 4 : s.x == 'T' ? 2 : 0;
        s.need = (int) Math.min(s.left, keep);
        return true;
    }

    /** The server's one-byte answer to SSLRequest ('S' or 'N') or GSSENCRequest ('G' or 'N'). */
    private static void answer(AppTracker c, Side s, byte v) {
        boolean ssl = s.aux == 1;
        s.y = 0;
        c.report(s, Msg.RESPONSE);
        s.put(ssl ? "SSL " : "GSSAPI encryption ");
        s.put(v == 'N' ? "refused" : "accepted");
        c.finish(s);
        if (v == 'S') {
            c.startTls();
        } else if (v == 'G') {
            c.stop(); // GSSAPI-encrypted from here on
        }
    }

    /** The message's kept bytes ({@code need} of them) are in scratch. */
    private static void body(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        int n = s.need;
        boolean cut = n < s.tail;
        int answer = Msg.RESPONSE | Msg.ANSWERS_ALL;
        if (s.x < 0) {
            return; // SSLRequest, GSSENCRequest, CancelRequest: reported with their header
        }
        switch (s.client ? s.x | 0x100 : s.x) {
            case 0x100 -> startupText(c, s, sc, n);
            case 'Q' | 0x100 -> query(c, s, sc, 0, n, cut);
            case 'P' | 0x100 -> {
                int q = 0;
                while (q < n && sc[q] != 0) {
                    q++; // the statement's name
                }
                query(c, s, sc, q + 1, n, cut);
            }
            case 'p' | 0x100, 'F' | 0x100 -> {
                c.report(s, Msg.REQUEST);
                s.put(s.x == 'p' ? "password message" : "function call");
                c.finish(s);
            }
            case 'S' | 0x100, 'H' | 0x100 -> c.other(s, Msg.REQUEST);
            case 'X' | 0x100 -> {
                c.report(s, Msg.GOODBYE); // asks for no answer: the server closes
                s.put("Terminate");
                c.finish(s);
            }
            case 'E', 'N' -> error(c, s, sc, n, cut);
            case 'C' -> {
                c.report(s, answer);
                s.put(sc, 0, end(sc, 0, n), 40, cut && end(sc, 0, n) == n, false);
                c.finish(s);
            }
            case 'R' -> {
                int t = n == 4 ? (int) u32(sc, 0) : -1;
                c.report(s, answer);
                s.put("authentication ");
                if (t >= 0 && t < AUTH.length && AUTH[t] != null) {
                    s.put(AUTH[t]);
                } else {
                    s.putNum(t);
                }
                c.finish(s);
            }
            case 'S', 'A' -> c.other(s, Msg.RESPONSE | Msg.UNSOLICITED);
            default -> {
                if (s.client || c.owed.pending == 0) {
                    c.other(s, s.client ? 0 : answer);
                } else {
                    named(c, s, sc, n); // the first message of an answer
                }
            }
        }
    }

    /** A server message reported by its name: the one that began an answer. */
    private static void named(AppTracker c, Side s, byte[] sc, int n) {
        c.report(s, Msg.RESPONSE | Msg.ANSWERS_ALL);
        s.put(SERVER_NAMES[SERVER_TYPES.indexOf(s.x)]);
        if (s.x == 'T' && n == 2) {
            int fields = (sc[0] & 0xFF) << 8 | (sc[1] & 0xFF);
            s.put(" (");
            s.putNum(fields);
            s.put(fields == 1 ? " column)" : " columns)");
        }
        c.finish(s);
    }

    private static void startupText(AppTracker c, Side s, byte[] sc, int n) {
        c.report(s, Msg.REQUEST);
        s.put("startup");
        for (int i = 0; i < n && sc[i] != 0; ) {
            int k = end(sc, i, n);
            int v = k + 1, ve = end(sc, v, n);
            if (ve == n && n < s.tail || k == n) {
                break; // cut before the value ended
            }
            if (is(sc, i, k, "user") || is(sc, i, k, "database")) {
                s.put(' ');
                s.put(sc, i, k - i, 8, false, false);
                s.put('=');
                s.put(sc, v, ve - v, 32, false, false);
            }
            i = ve + 1;
        }
        c.finish(s);
    }

    private static void query(AppTracker c, Side s, byte[] sc, int from, int n, boolean cut) {
        int e = end(sc, Math.min(from, n), n);
        c.report(s, Msg.REQUEST);
        SqlText.put(s, sc, Math.min(from, n), e - Math.min(from, n), QUERY_MAX, cut && e == n, false);
        c.finish(s);
    }

    /** ErrorResponse or NoticeResponse: fields of a type byte and a string; the text is severity, SQLSTATE and message. */
    private static void error(AppTracker c, Side s, byte[] sc, int n, boolean cut) {
        int sev = -1, sevLocal = -1, code = -1, msg = -1;
        for (int i = 0; i < n && sc[i] != 0; ) {
            switch (sc[i]) {
                case 'V' -> sev = i + 1;
                case 'S' -> sevLocal = i + 1;
                case 'C' -> code = i + 1;
                case 'M' -> msg = i + 1;
                default -> {
                }
            }
            i = end(sc, i + 1, n) + 1;
        }
        sev = sev >= 0 && end(sc, sev, n) < n ? sev : sevLocal;
        boolean refusal = code >= 0 && end(sc, code, n) - code == 5 && refusal(sc, code);
        int flags = s.x == 'N' ? Msg.RESPONSE | Msg.UNSOLICITED
                : Msg.RESPONSE | Msg.ANSWERS_ALL | Msg.GOODBYE | (refusal ? Msg.REFUSAL : 0);
        c.report(s, flags);
        if (sev >= 0) {
            s.put(sc, sev, end(sc, sev, n) - sev, 16, false, false);
        }
        if (code >= 0) {
            s.put(' ');
            s.put(sc, code, end(sc, code, n) - code, 5, false, false);
        }
        if (msg >= 0) {
            s.put(' ');
            int e = end(sc, msg, n);
            s.put(sc, msg, e - msg, MESSAGE_MAX, cut && e == n, false);
        }
        c.finish(s);
    }

    private static boolean refusal(byte[] sc, int code) {
        for (String r : REFUSALS) {
            if (is(sc, code, code + 5, r)) {
                return true;
            }
        }
        return false;
    }

    /** Index of the NUL that ends the string at {@code i}, or {@code n}. */
    private static int end(byte[] b, int i, int n) {
        while (i < n && b[i] != 0) {
            i++;
        }
        return Math.min(i, n);
    }

    private static boolean is(byte[] b, int from, int to, String s) {
        return to - from == s.length() && Ascii.startsWith(b, from, to, s);
    }

    static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }
}
