package dev.tcpautopsy.app;

/**
 * HTTP/1.x (RFC 9112): the start line of each message, and of its header section only Host (requests),
 * Connection (responses) and Content-Length. A request's target is shown up to its query string, which
 * is never shown ({@code ?...} in its place). A message starts where the previous one ended: after the
 * header section, plus Content-Length bytes of body when given. A body of unknown length (chunked,
 * or read until close) ends decoding of the direction until a segment starts with a start line, as
 * Wireshark reads HTTP without reassembly. Requests and status lines are told apart by their form,
 * whichever side sends them.
 *
 * <p>A response is a goodbye when it says {@code Connection: close}: the server closes after it
 * (RFC 9112 9.6). A 4xx or 5xx without it leaves the connection open (a proxy's 502 to a client it
 * keeps) and is none; one whose header section was never read to its end (cut by the snapshot length)
 * stays one when its sender closes next, since its words were an error.
 *
 * <p>Side state: {@code state}; {@code x} 1 request, 2 response; {@code y} the status; {@code left} the
 * Content-Length, then the body bytes left; {@code z} bit 1 once Host or Connection was read, bit 2 when a
 * Transfer-Encoding was.
 */
final class HttpDecoder extends Decoder {
    static final HttpDecoder INSTANCE = new HttpDecoder();
    static final int TARGET_MAX = 48, HOST_MAX = 40, REASON_MAX = 32;
    private static final int START = 0, LINE = 1, HEAD = 2, BODY = 3;
    private static final int REQ = 1, RSP = 2;
    /** FIFO entries: what a request's response will lack (RFC 9110 6.4.1: no body after HEAD; a tunnel after CONNECT). */
    private static final int HEAD_REQ = 1, CONNECT_REQ = 2;

    private HttpDecoder() {
        super(Proto.HTTP);
    }

    @Override
    void feed(AppTracker c, Side s, byte[] b, int p, int end, boolean fresh) {
        while (p < end) {
            switch (s.state) {
                case START -> {
                    if (b[p] == '\r' || b[p] == '\n') {
                        p++; // empty lines between messages are allowed (RFC 9112 2.2)
                        continue;
                    }
                    s.begin();
                    s.tail = 0;
                    s.left = -1;
                    s.z = 0;
                    s.state = LINE;
                }
                case LINE -> {
                    p = s.line(b, p, end);
                    if (p < 0) {
                        return;
                    }
                    if (!startLine(c, s)) {
                        s.lost = true;
                        s.state = START;
                        return;
                    }
                    s.have = 0;
                    s.state = HEAD;
                }
                case HEAD -> {
                    p = s.line(b, p, end);
                    if (p < 0) {
                        return;
                    }
                    if (s.lineLen() == 0 && !s.lineCut()) {
                        if (s.x == RSP && (s.z & 1) == 0) {
                            s.textFlags &= ~Msg.GOODBYE; // the whole header section said no Connection: close
                        }
                        c.finish(s);
                        bodyOrNext(c, s);
                        if (s.lost || s.dec != this) {
                            return;
                        }
                    } else {
                        header(s);
                    }
                    s.have = 0;
                }
                default -> {
                    long n = Math.min(s.left, end - p);
                    p += (int) n;
                    s.left -= n;
                    if (s.left == 0) {
                        s.state = START;
                    }
                }
            }
        }
    }

    @Override
    boolean startsMessage(Side s, byte[] b, int p, int end) {
        if (Ascii.startsWith(b, p, end, "HTTP/1.")) {
            return true;
        }
        int i = HttpLines.token(b, p, end);
        return i - p >= 3 && i + 1 < end && b[i] == ' ' && (b[i + 1] == '/' || b[i + 1] == '*' || Ascii.letter(b[i + 1]));
    }

    private boolean startLine(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        int n = s.lineLen();
        boolean cut = s.lineCut();
        if (n >= 12 && HttpLines.version(sc, 0, n) && sc[8] == ' ' && Ascii.digit(sc[9]) && Ascii.digit(sc[10]) && Ascii.digit(sc[11])
                && (n == 12 || sc[12] == ' ')) {
            int status = (sc[9] - '0') * 100 + (sc[10] - '0') * 10 + (sc[11] - '0');
            // an error is a goodbye until its header section ends without Connection: close
            int flags = Msg.RESPONSE | (status < 200 && status != 101 ? Msg.UNSOLICITED : 0)
                    | (status >= 400 ? Msg.GOODBYE | Msg.REFUSAL : 0);
            c.report(s, flags);
            s.put(sc, 0, 12, 12, false, false);
            if (n > 13) {
                s.put(' ');
                s.put(sc, 13, n - 13, REASON_MAX, cut, false);
            }
            s.x = RSP;
            s.y = status;
            return true;
        }
        int i = HttpLines.token(sc, 0, n);
        if (i < 3 || i < n && sc[i] != ' ' || i == n && !HttpLines.known(sc, 0, i)) {
            return false;
        }
        // as Wireshark reads a request line: the method, the next token is the target, the rest the version
        int t = i + 1;
        while (t < n && sc[t] != ' ') {
            t++;
        }
        boolean inTail = cut && HttpLines.tailVersion(s.tail); // a line longer than the scratch buffer: its version is in the tail
        boolean version = inTail || !cut && t + 9 == n && HttpLines.version(sc, t + 1, n);
        if (!version && !HttpLines.known(sc, 0, i)) {
            return false;
        }
        c.report(s, Msg.REQUEST);
        s.put(sc, 0, i, i, false, false);
        if (i < n) {
            s.put(' ');
            target(s, sc, i + 1, t, cut && t == n);
        }
        if (inTail) {
            s.put(' ');
            for (int k = 7; k >= 0; k--) {
                s.put((int) (s.tail >>> (8 * k)) & 0xFF);
            }
        } else if (!cut && t + 1 < n) {
            s.put(' ');
            s.put(sc, t + 1, n - t - 1, 16, false, false);
        }
        c.owed.push(i == 4 && Ascii.startsWith(sc, 0, n, "HEAD") ? HEAD_REQ : i == 7 && Ascii.startsWith(sc, 0, n, "CONNECT") ? CONNECT_REQ : 0);
        s.x = REQ;
        return true;
    }

    /** The target {@code sc[from, to)} up to its query string, "?..." in place of the query ({@code cut}: the target goes on). */
    private static void target(Side s, byte[] sc, int from, int to, boolean cut) {
        int q = from;
        while (q < to && sc[q] != '?') {
            q++;
        }
        if (q - from > TARGET_MAX || q == to) {
            s.put(sc, from, q - from, TARGET_MAX, cut && q == to, false);
        } else {
            s.put(sc, from, q - from, TARGET_MAX, false, false);
            s.put("?...");
        }
    }

    private static void header(Side s) {
        byte[] sc = s.scratch;
        int n = s.lineLen();
        int v;
        if ((v = value(sc, n, "content-length")) >= 0) {
            long len = 0;
            int i = v;
            while (i < n && Ascii.digit(sc[i]) && len < 1L << 50) {
                len = len * 10 + (sc[i++] - '0');
            }
            if (i > v && s.left < 0) {
                s.left = len;
            }
        } else if (value(sc, n, "transfer-encoding") >= 0) {
            s.z |= 2; // chunked (or another coding): its length is not Content-Length's (RFC 9112 6.3)
        } else if (s.x == REQ && (s.z & 1) == 0 && (v = value(sc, n, "host")) >= 0) {
            s.z |= 1;
            s.put(" (Host: ");
            s.put(sc, v, n - v, HOST_MAX, s.lineCut(), false);
            s.put(')');
        } else if (s.x == RSP && (s.z & 1) == 0 && (v = value(sc, n, "connection")) >= 0 && contains(sc, v, n, "close")) {
            s.z |= 1;
            s.put(" (Connection: close)");
            s.textFlags |= Msg.GOODBYE;
        }
    }

    /** After the header section: skip the body when its length is known, else wait for a segment that starts a message. */
    private static void bodyOrNext(AppTracker c, Side s) {
        s.state = START;
        if ((s.z & 2) != 0) {
            s.left = -1;
            if (s.x == REQ) {
                s.lost = true; // a chunked request body: the next request starts a segment, or is not read
                return;
            }
        }
        if (s.x == REQ) {
            s.left = Math.max(s.left, 0); // a request without Content-Length or chunking has no body (RFC 9112 6.3)
        } else {
            int status = s.y;
            if (status == 101) {
                c.redetect();
                return;
            }
            if (status < 200) {
                return;
            }
            int req = c.owed.pop();
            if (req == CONNECT_REQ && status < 300) {
                c.redetect();
                return;
            }
            if (req == HEAD_REQ || status == 204 || status == 304) {
                s.left = 0;
            } else if (s.left < 0) {
                s.lost = true;
                return;
            }
        }
        if (s.left > 0) {
            s.state = BODY;
        }
    }

    /** Where the value of header {@code name} starts on this line, -1 when the line is another header. */
    private static int value(byte[] sc, int n, String name) {
        int k = name.length();
        if (n <= k || sc[k] != ':') {
            return -1;
        }
        for (int i = 0; i < k; i++) {
            if ((sc[i] | 0x20) != name.charAt(i)) {
                return -1;
            }
        }
        int v = k + 1;
        while (v < n && (sc[v] == ' ' || sc[v] == '\t')) {
            v++;
        }
        return v;
    }

    private static boolean contains(byte[] b, int from, int to, String lower) {
        outer:
        for (int i = from; i + lower.length() <= to; i++) {
            for (int k = 0; k < lower.length(); k++) {
                if ((b[i + k] | 0x20) != lower.charAt(k)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

}
