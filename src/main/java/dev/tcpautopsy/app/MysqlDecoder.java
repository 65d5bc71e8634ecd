package dev.tcpautopsy.app;

/**
 * MySQL and MariaDB's client/server protocol (MySQL internals, "Client/Server Protocol"): packets of a
 * 3-byte little-endian length and a sequence number. Read: the server's greeting (version) or its ERR
 * instead of one (a host not allowed), the login's user, each command (a query's first words), the
 * first packet of each response (OK, ERR with code and message, EOF, a result set's column count), an
 * ERR anywhere, and COM_QUIT (the client's goodbye). Queries are shown with their literals masked. A
 * session that negotiated compression is not read past its login.
 *
 * <p>State: {@code c.mode} the phase (0 greeting due, 1 login due, 2 authenticating, 3 commands);
 * {@code state}; {@code x} on the server side 1 while its next packet starts a response; {@code aux} on
 * the client side its capability flags; {@code y} the packet's sequence number; {@code z} 1 once its first
 * byte was looked at; the framing's fields are {@link FramedDecoder}'s ({@code tail} the packet's length).
 */
final class MysqlDecoder extends FramedDecoder {
    static final MysqlDecoder INSTANCE = new MysqlDecoder();
    private static final int GREETING_DUE = 0, LOGIN_DUE = 1, AUTH = 2, COMMANDS = 3;
    private static final int CLIENT_PROTOCOL_41 = 0x200, CLIENT_SSL = 0x800, CLIENT_COMPRESS = 0x20;
    private static final int CLIENT_QUERY_ATTRIBUTES = 1 << 27;
    private static final int COM_QUIT = 1, COM_QUERY = 3, COM_CHANGE_USER = 17, COM_STMT_PREPARE = 22;
    /** Errors that refuse the client: too many connections, access denied, host blocked or not allowed, idle timeout. */
    private static final int[] REFUSALS = {1040, 1044, 1045, 1129, 1130, 1203, 1251, 4031};

    private MysqlDecoder() {
        super(Proto.MYSQL);
    }

    @Override
    void start(AppTracker c, Side s) {
        s.restart();
        c.mode = GREETING_DUE;
    }

    @Override
    void restart(AppTracker c, Side s) {
        s.restart();
        if (c.mode < COMMANDS) {
            c.mode = COMMANDS;
        }
    }

    @Override
    int headerSize(AppTracker c, Side s) {
        return 4;
    }

    @Override
    boolean header(AppTracker c, Side s, byte[] b, int p, int end) {
        s.left = u24(s.scratch, 0);
        s.y = s.scratch[3] & 0xFF;
        s.z = 0;
        s.need = (int) Math.min(s.left, wanted(c, s));
        return true;
    }

    @Override
    void kept(AppTracker c, Side s) {
        if (s.z == 0 && !s.client && s.need == 1 && (s.scratch[0] & 0xFF) == 0xFF || s.z == 0 && first(c, s)) {
            s.need = (int) Math.min(s.left + s.have, Side.SCRATCH); // worth its text: keep more
        }
        s.z = 1;
    }

    @Override
    void message(AppTracker c, Side s) {
        packet(c, s);
    }

    @Override
    boolean startsMessage(Side s, byte[] b, int p, int end) {
        for (int q = p, k = 0; q < end; k++) {
            if (end - q < 5) {
                return k > 0;
            }
            int len = u24(b, q), seq = b[q + 3] & 0xFF, v = b[q + 4] & 0xFF;
            if (len == 0 || (s.client ? seq != 0 || Names.mysqlCommand(v) == null : seq != k + 1)) {
                return false;
            }
            q += 4 + len;
        }
        return true;
    }

    /** The server's greeting (protocol 10) or the ERR a server sends instead of it. */
    static boolean isGreeting(byte[] b, int p, int end) {
        if (end - p < 10 || b[p + 3] != 0) {
            return false;
        }
        int len = u24(b, p);
        if (4 + len != end - p) {
            return false;
        }
        if ((b[p + 4] & 0xFF) == 0xFF) {
            int code = (b[p + 5] & 0xFF) | (b[p + 6] & 0xFF) << 8;
            return code >= 1000 && Ascii.printable(b, p + 7, Math.min(end, p + 20));
        }
        if (b[p + 4] != 10 || !Ascii.digit(b[p + 5]) || len < 30) {
            return false;
        }
        int i = p + 5;
        while (i < end && i < p + 70 && b[i] != 0) {
            i++;
        }
        return i < end && b[i] == 0 && Ascii.printable(b, p + 5, i);
    }

    /** A query in the middle of a conversation: one command packet, a query in clear. */
    static boolean isQuery(byte[] b, int p, int end) {
        return end - p > 8 && b[p + 3] == 0 && b[p + 4] == 3 && 4 + u24(b, p) == end - p
                && Ascii.printable(b, p + 5, Math.min(end, p + 21));
    }

    /** Body bytes to keep first: all of a packet worth a text, one byte to look at (an ERR anywhere), or none. */
    private static int wanted(AppTracker c, Side s) {
        if (s.client) {
            return c.mode == LOGIN_DUE || c.mode == COMMANDS && s.y == 0 ? Side.SCRATCH : 0;
        }
        return c.mode == GREETING_DUE ? Side.SCRATCH : 1;
    }

    /** Whether the server packet whose first byte was read starts a response (worth its text); each one does while authenticating. */
    private static boolean first(AppTracker c, Side s) {
        return !s.client && (s.x == 1 || c.mode == COMMANDS && s.y == 1 || c.mode == AUTH);
    }

    private static void packet(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        int n = s.have;
        boolean cut = n < s.tail;
        if (s.client) {
            c.server.x = 1;
            if (c.mode == LOGIN_DUE && n >= 32) {
                login(c, s, sc, n);
            } else if (c.mode == COMMANDS && s.y == 0 && n >= 1) {
                command(c, s, sc, n, cut);
            } else {
                c.other(s, c.mode == AUTH ? Msg.REQUEST : 0);
            }
            return;
        }
        int v = n > 0 ? sc[0] & 0xFF : -1;
        boolean starts = first(c, s) || c.mode == GREETING_DUE;
        s.x = 0;
        if (v == 0xFF && n >= 3) {
            error(c, s, sc, n, cut);
            return;
        }
        if (c.mode == GREETING_DUE && v != 10) {
            c.mode = COMMANDS; // no greeting: the conversation began before the capture
        }
        if (c.mode == GREETING_DUE) {
            c.report(s, Msg.RESPONSE | Msg.UNSOLICITED);
            s.put("greeting ");
            int e = 1;
            while (e < n && sc[e] != 0) {
                e++;
            }
            s.put(sc, 1, e - 1, 40, e == n && cut, false);
            c.finish(s);
            c.mode = LOGIN_DUE;
            return;
        }
        if (!starts) {
            c.other(s, 0);
            return;
        }
        c.report(s, Msg.RESPONSE | Msg.ANSWERS_ALL);
        if (v == 0x00) {
            s.put("OK");
        } else if (v == 0xFE && c.mode == AUTH && s.have > 1) {
            s.put("auth switch request");
        } else if (v == 0xFE) {
            s.put("EOF");
        } else if (v == 0x01 && c.mode == AUTH) {
            s.put("auth more data");
        } else if (v == 0xFB) {
            s.put("LOCAL INFILE request");
        } else {
            s.put("result set (");
            s.putNum(v);
            s.put(v == 1 ? " column)" : " columns)");
        }
        c.finish(s);
        if (v == 0x00 && c.mode == AUTH) {
            c.mode = COMMANDS;
            if ((c.client.aux & CLIENT_COMPRESS) != 0) {
                c.stop();
            }
        }
    }

    private static void login(AppTracker c, Side s, byte[] sc, int n) {
        long caps = PgDecoder.u32(sc, 0);
        caps = Long.reverseBytes(caps) >>> 32; // little-endian
        s.aux = caps;
        if ((caps & CLIENT_SSL) != 0 && s.tail == 32) {
            c.report(s, Msg.REQUEST);
            s.put("SSLRequest");
            c.finish(s);
            c.startTls(); // the client's next bytes are its ClientHello, the server's its ServerHello
            return;
        }
        int u = (caps & CLIENT_PROTOCOL_41) != 0 ? 32 : 5;
        int e = u;
        while (e < n && sc[e] != 0) {
            e++;
        }
        c.report(s, Msg.REQUEST);
        s.put("login user=");
        s.put(sc, u, e - u, 32, e == n && n < s.tail, false);
        c.finish(s);
        c.mode = AUTH;
    }

    private static void command(AppTracker c, Side s, byte[] sc, int n, boolean cut) {
        int cmd = sc[0] & 0xFF;
        String name = Names.mysqlCommand(cmd);
        if (name == null) {
            c.other(s, 0);
            return;
        }
        if (cmd == COM_QUIT) {
            c.report(s, Msg.GOODBYE); // answered by the close
            s.put(name);
            c.finish(s);
            return;
        }
        c.report(s, Msg.REQUEST);
        int q = cmd == COM_QUERY && (c.client.aux & CLIENT_QUERY_ATTRIBUTES) != 0 ? MysqlQuery.start(sc, n) : 1;
        if (cmd == COM_QUERY && q > 0 || cmd == COM_STMT_PREPARE) {
            if (cmd == COM_STMT_PREPARE) {
                s.put("prepare ");
            }
            SqlText.put(s, sc, q, n - q, PgDecoder.QUERY_MAX, cut, true);
        } else {
            s.put(name);
            if (cmd == COM_QUERY) {
                s.put(" (query attributes)");
            } else if (cmd == COM_CHANGE_USER) {
                int e = 1;
                while (e < n && sc[e] != 0) {
                    e++;
                }
                s.put(" user=");
                s.put(sc, 1, e - 1, 32, e == n && cut, false);
            }
        }
        c.finish(s);
    }

    /** ERR packet: code, then ({@code #} and a SQLSTATE when the protocol is 4.1) the message. */
    private static void error(AppTracker c, Side s, byte[] sc, int n, boolean cut) {
        int code = (sc[1] & 0xFF) | (sc[2] & 0xFF) << 8;
        boolean refusal = false;
        for (int r : REFUSALS) {
            refusal |= r == code;
        }
        // in place of the greeting it answers nothing: the server refuses the connection itself
        c.report(s, Msg.RESPONSE | (c.mode == GREETING_DUE ? Msg.UNSOLICITED : Msg.ANSWERS_ALL) | Msg.GOODBYE
                | (refusal ? Msg.REFUSAL : 0));
        s.put("ERR ");
        s.putNum(code);
        int m = 3;
        if (n >= 9 && sc[3] == '#') {
            s.put(" (");
            s.put(sc, 4, 5, 5, false, false);
            s.put(')');
            m = 9;
        }
        if (m < n) {
            s.put(' ');
            s.put(sc, m, n - m, PgDecoder.MESSAGE_MAX, cut, false);
        }
        c.finish(s);
    }

    static int u24(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16;
    }
}
