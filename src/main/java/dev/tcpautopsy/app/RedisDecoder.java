package dev.tcpautopsy.app;

/**
 * Redis's RESP 2 and 3 (redis.io, "Redis serialization protocol specification"): a request is an
 * array of bulk strings (or an inline line), a reply any value; aggregates are followed element by
 * element (six levels deep at most) so that pipelined messages in one segment are told apart. Read:
 * a request's command name (never its arguments), a reply's kind, and simple strings and errors in
 * full (bounded). Each reply answers one request; RESP3 push messages answer none. The reply to QUIT
 * is the server's goodbye (it closes next), an error reply before a close too.
 *
 * <p>Side state: {@code state} reading an element's line or skipping a bulk string's {@code left}
 * bytes (its first {@code need} kept when it is the command name); {@code stack}, {@code depth} the
 * elements left at each level; {@code x} 1 while the request's command name is due. {@code c.mode} 1
 * when the client's last command was QUIT.
 */
final class RedisDecoder extends Decoder {
    static final RedisDecoder INSTANCE = new RedisDecoder();
    static final int LINE_MAX = 80, NAME_MAX = 32;
    private static final int LINE = 0, BULK = 1;
    private static final String TYPES = "+-:$*_#,(!=%~>|";

    private RedisDecoder() {
        super(Proto.REDIS);
    }

    @Override
    void restart(AppTracker c, Side s) {
        s.restart();
        if (s.stack == null) {
            s.stack = new int[6]; // once per tracker: it is kept when the tracker is reused
        }
    }

    @Override
    void feed(AppTracker c, Side s, byte[] b, int p, int end, boolean fresh) {
        while (p < end) {
            if (s.state == BULK) {
                if (s.have < s.need) {
                    int before = s.have;
                    p = s.collect(b, p, end, s.need);
                    s.left -= s.have - before;
                    if (s.have < s.need) {
                        return;
                    }
                    int from = s.textLen;
                    s.put(s.scratch, 0, s.have, NAME_MAX, s.left > 2, false);
                    upper(s, from);
                    quit(c, s);
                }
                int k = (int) Math.min(s.left, end - p);
                p += k;
                s.left -= k;
                if (s.left > 0) {
                    return;
                }
                s.state = LINE;
                s.have = s.need = 0;
                done(c, s);
                continue;
            }
            if (s.have == 0 && s.depth == 0) {
                s.begin();
            }
            p = s.line(b, p, end);
            if (p < 0) {
                return;
            }
            if (!element(c, s)) {
                s.lost = true;
                s.depth = 0;
                s.have = 0;
                return;
            }
            if (s.state == LINE) {
                s.have = 0;
            }
        }
    }

    @Override
    boolean startsMessage(Side s, byte[] b, int p, int end) {
        if (end - p < 3 || (s.client ? b[p] != '*' : TYPES.indexOf(b[p]) < 0)) {
            return false;
        }
        int i = p + 1;
        while (i < end && i < p + LINE_MAX && b[i] >= 0x20 && b[i] < 0x7f) {
            i++;
        }
        return i + 1 < end && b[i] == '\r' && b[i + 1] == '\n'
                && ("*$%~>|!=".indexOf(b[p]) < 0 || number(b, p + 1, i) != Long.MIN_VALUE);
    }

    /** Inline commands of Redis alone (QUIT and AUTH are SMTP's, POP3's and FTP's too; PING with an argument IRC's). */
    private static final String[] INLINE = {"PING", "HELLO", "INFO", "ECHO", "SELECT", "MONITOR", "CLIENT", "CONFIG",
        "SUBSCRIBE", "PSUBSCRIBE", "DBSIZE", "FLUSHALL", "FLUSHDB", "KEYS"};

    /** A request as an inline command (a line in clear) whose name is one of Redis's own. */
    static boolean isInline(byte[] b, int p, int end) {
        int w = p;
        while (w < end && w - p < 12 && Ascii.letter(b[w])) {
            w++;
        }
        boolean known = false;
        for (int k = 0; k < INLINE.length && w - p >= 4; k++) {
            String cmd = INLINE[k];
            known |= LineDecoder.is(b, p, w, cmd);
        }
        if (!known || w == end || b[w] != ' ' && b[w] != '\r' || b[w] == ' ' && LineDecoder.is(b, p, w, "PING")) {
            return false;
        }
        int lf = Ascii.lineEnd(b, p, end);
        return lf > p && b[lf - 1] == '\r' && Ascii.printable(b, p, lf);
    }

    /** A reply that is all of the segment and starts with a simple string of one word, an integer or a bulk string. */
    static boolean isReply(byte[] b, int p, int end) {
        if (end - p < 4 || "+:$*".indexOf(b[p]) < 0 || b[end - 1] != '\n' || b[end - 2] != '\r') {
            return false;
        }
        int lf = Ascii.lineEnd(b, p, end);
        if (lf < p + 2 || b[lf - 1] != '\r' || b[end - 1] != '\n' || b[end - 2] != '\r') {
            return false;
        }
        if (b[p] == '+') {
            for (int i = p + 1; i < lf - 1; i++) {
                if (b[i] <= ' ' || b[i] >= 0x7f) {
                    return false;
                }
            }
            return lf - 1 > p + 1;
        }
        return (b[p] == ':' || b[p] == '$' || b[p] == '*') && number(b, p + 1, lf - 1) != Long.MIN_VALUE;
    }

    /**
     * An error reply that is all of the segment: {@code -}, an upper-case word (ERR, WRONGTYPE, NOAUTH) and
     * a printable line. Only a server that speaks after its client sends one first: POP3's "-ERR" comes
     * after the server's greeting.
     */
    static boolean isError(byte[] b, int p, int end) {
        if (end - p < 6 || b[p] != '-' || b[end - 1] != '\n' || b[end - 2] != '\r') {
            return false;
        }
        int w = p + 1;
        while (w < end && b[w] >= 'A' && b[w] <= 'Z') {
            w++;
        }
        int lf = Ascii.lineEnd(b, p, end);
        return w - p > 2 && (b[w] == ' ' || w == end - 2) && lf == end - 1 && Ascii.printable(b, p, lf);
    }

    /** A request in RESP: an array whose first element is a bulk string. */
    static boolean isRequest(byte[] b, int p, int end) {
        int i = p + 1;
        while (i < end && Ascii.digit(b[i]) && i < p + 8) {
            i++;
        }
        return end - p > 6 && b[p] == '*' && i > p + 1 && i + 3 < end && b[i] == '\r' && b[i + 1] == '\n'
                && b[i + 2] == '$' && Ascii.digit(b[i + 3]);
    }

    /** An element's line was read: a value, or the head of an aggregate or a bulk string. */
    private static boolean element(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        int n = s.lineLen();
        if (n == 0) {
            return s.depth == 0 && s.client; // an empty inline line
        }
        int type = sc[0];
        boolean top = s.depth == 0;
        if (TYPES.indexOf(type) < 0) {
            if (!top || !s.client) {
                return false;
            }
            int w = 0;
            while (w < n && sc[w] != ' ') {
                w++;
            }
            c.report(s, Msg.REQUEST); // an inline command
            s.put(sc, 0, w, NAME_MAX, false, false);
            upper(s, 0);
            quit(c, s);
            c.finish(s);
            return true;
        }
        if ("*%~>|$=!".indexOf(type) >= 0) {
            long v = number(sc, 1, n);
            if (v == Long.MIN_VALUE || v > Integer.MAX_VALUE / 2) {
                return false;
            }
            if (type == '$' || type == '=' || type == '!') {
                if (top) {
                    topText(c, s, type, v);
                }
                if (v < 0) {
                    done(c, s);
                    return true;
                }
                s.state = BULK;
                s.left = v + 2;
                s.have = 0;
                s.need = s.x == 1 ? (int) Math.min(v, NAME_MAX) : 0;
                s.x = 0;
                return true;
            }
            if (top) {
                topText(c, s, type, v);
            }
            s.x = 0;
            long count = type == '%' || type == '|' ? 2 * v : v;
            if (count <= 0) {
                done(c, s);
            } else if (s.depth == s.stack.length) {
                return false;
            } else {
                s.stack[s.depth++] = (int) count;
                s.x = top && s.client ? 1 : 0;
            }
            return true;
        }
        if (top) {
            topText(c, s, type, 0);
        }
        s.x = 0;
        done(c, s);
        return true;
    }

    /** The text of a top-level message, from its first line. */
    private static void topText(AppTracker c, Side s, int type, long v) {
        byte[] sc = s.scratch;
        if (s.client) {
            c.report(s, Msg.REQUEST); // the command name follows
            return;
        }
        boolean bye = type != '>' && c.mode == 1 && c.owed.pending == 1; // the answer to QUIT, the last command owed
        int flags = Msg.RESPONSE | (type == '>' ? Msg.UNSOLICITED : 0) | (bye ? Msg.GOODBYE : 0)
                | (type == '-' || type == '!' ? Msg.GOODBYE | Msg.REFUSAL : 0);
        c.report(s, flags);
        switch (type) {
            case '+', '-', ':', '#', ',', '(' -> s.put(sc, 0, s.lineLen(), LINE_MAX, s.lineCut(), false);
            case '_' -> s.put("null");
            default -> {
                if (v < 0) {
                    s.put("null");
                    return;
                }
                s.put(switch (type) {
                    case '$' -> "bulk string (";
                    case '=' -> "verbatim string (";
                    case '!' -> "blob error (";
                    case '*' -> "array (";
                    case '%' -> "map (";
                    case '~' -> "set (";
                    case '>' -> "push (";
                    default -> "attribute (";
                });
                s.putNum(v);
                s.put(type == '$' || type == '=' || type == '!' ? " bytes)" : type == '%' || type == '|' ? " entries)"
                        : " elements)");
            }
        }
    }

    /** An element is complete: count it in its aggregate, and the message is complete when the outermost is. */
    private static void done(AppTracker c, Side s) {
        while (s.depth > 0) {
            if (--s.stack[s.depth - 1] > 0) {
                return;
            }
            s.depth--;
        }
        if (s.client && s.textLen == 0 && s.open) {
            s.put("(no command name)");
        }
        c.finish(s);
    }

    /** The client's command name is complete: whether it is QUIT, whose answer ends the connection. */
    private static void quit(AppTracker c, Side s) {
        c.mode = s.textLen == 4 && s.text[0] == 'Q' && s.text[1] == 'U' && s.text[2] == 'I' && s.text[3] == 'T' ? 1 : 0;
    }

    private static void upper(Side s, int from) {
        for (int i = Math.max(from, 0); i < s.textLen; i++) {
            if (s.text[i] >= 'a' && s.text[i] <= 'z') {
                s.text[i] -= 32;
            }
        }
    }

    /** A decimal integer in {@code b[from, to)}, {@link Long#MIN_VALUE} when it is none. */
    private static long number(byte[] b, int from, int to) {
        boolean neg = from < to && b[from] == '-';
        int i = neg ? from + 1 : from;
        if (i >= to || to - i > 18) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            if (!Ascii.digit(b[i])) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + b[i] - '0';
        }
        return neg ? -v : v;
    }
}
