package dev.tcpautopsy.app;

/**
 * HTTP/2 in clear (RFC 9113): the client's connection preface, then frames of a 9-byte header.
 * Without HPACK state only a header block's first byte is read (a statically indexed {@code :method}
 * or {@code :status}, RFC 7541 appendix A); a HEADERS frame opening a new stream is a request, the
 * first HEADERS frame on a stream from the server its response; GOAWAY (error code, last stream) is a
 * goodbye. gRPC is told by {@code application/grpc} in a header block, in clear or Huffman-coded.
 *
 * <p>Side state: {@code x} frame type, {@code z} its flags, {@code y} its stream; {@code depth} on the
 * client the highest stream it opened, on the server the highest it answered; the framing's fields are
 * {@link FramedDecoder}'s.
 */
final class Http2Decoder extends FramedDecoder {
    static final Http2Decoder INSTANCE = new Http2Decoder();
    static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    private static final int PREFACE_FRAME = -1;
    private static final int HEADERS = 1, GOAWAY = 7, PADDED = 0x8, PRIORITY = 0x20;
    private static final byte[] GRPC = "application/grpc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** "application/grpc" Huffman-coded (RFC 7541 appendix B), its whole bytes only: a prefix of any longer value too. */
    private static final byte[] GRPC_HUFFMAN = {0x1d, 0x75, (byte) 0xd0, 0x62, 0x0d, 0x26, 0x3d, 0x4c, 0x4d, 0x65};
    private static final String[] STATUS = {"200", "204", "206", "304", "400", "404", "500"};

    private Http2Decoder() {
        super(Proto.HTTP2);
    }

    @Override
    void start(AppTracker c, Side s) {
        s.restart();
        if (s.client) {
            s.state = BODY; // the preface, skipped as the body of a frame of no type
            s.x = PREFACE_FRAME;
            s.left = PREFACE.length();
        }
    }

    @Override
    void restart(AppTracker c, Side s) {
        int highest = s.depth;
        s.restart();
        s.depth = highest;
    }

    @Override
    int headerSize(AppTracker c, Side s) {
        return 9;
    }

    @Override
    boolean header(AppTracker c, Side s, byte[] b, int p, int end) {
        byte[] sc = s.scratch;
        s.left = (sc[0] & 0xFF) << 16 | (sc[1] & 0xFF) << 8 | (sc[2] & 0xFF);
        s.x = sc[3] & 0xFF;
        s.z = sc[4] & 0xFF;
        s.y = (int) (PgDecoder.u32(sc, 5) & 0x7FFF_FFFF);
        s.need = (int) Math.min(s.left, s.x == HEADERS ? 16 : s.x == GOAWAY ? 8 : 0);
        if (s.x == HEADERS && c.protocol == Proto.HTTP2 && grpc(b, p, (int) Math.min(end, p + s.left))) {
            c.protocol = Proto.GRPC;
        }
        return true;
    }

    @Override
    void message(AppTracker c, Side s) {
        if (s.x != PREFACE_FRAME) {
            frame(c, s);
        }
    }

    @Override
    boolean startsMessage(Side s, byte[] b, int p, int end) {
        for (int q = p, k = 0; k < 4; k++) {
            if (end - q < 9) {
                return k > 0;
            }
            int len = (b[q] & 0xFF) << 16 | (b[q + 1] & 0xFF) << 8 | (b[q + 2] & 0xFF);
            if ((b[q + 3] & 0xFF) > 9 || len > 1 << 16 || (b[q + 5] & 0x80) != 0) {
                return false;
            }
            q += 9 + len;
            if (q >= end) {
                return true;
            }
        }
        return true;
    }

    private static void frame(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        if (s.x == GOAWAY && s.have == 8) {
            int last = (int) (PgDecoder.u32(sc, 0) & 0x7FFF_FFFF), code = (int) PgDecoder.u32(sc, 4);
            int flags = Msg.GOODBYE | (s.client ? 0 : Msg.RESPONSE | Msg.UNSOLICITED | (code != 0 ? Msg.REFUSAL : 0));
            c.control(s, FactsOf.GOAWAY, code, last, flags);
            return;
        }
        if (s.x != HEADERS || s.y <= s.depth) {
            c.other(s, 0); // another frame, or trailers
            return;
        }
        s.depth = s.y;
        int at = (s.z & PADDED) != 0 ? 1 : 0;
        at += (s.z & PRIORITY) != 0 ? 5 : 0;
        int first = at < s.have ? sc[at] & 0xFF : -1;
        c.report(s, s.client ? Msg.REQUEST : Msg.RESPONSE);
        s.put("HEADERS stream ");
        s.putNum(s.y);
        if (s.client && (first == 0x82 || first == 0x83)) {
            s.put(first == 0x82 ? " (GET)" : " (POST)");
        } else if (!s.client && first >= 0x88 && first <= 0x8e) {
            s.put(" (:status ");
            s.put(STATUS[first - 0x88]);
            s.put(')');
        }
        c.finish(s);
    }

    private static boolean grpc(byte[] b, int p, int end) {
        return indexOf(b, p, end, GRPC) || indexOf(b, p, end, GRPC_HUFFMAN);
    }

    private static boolean indexOf(byte[] b, int p, int end, byte[] what) {
        outer:
        for (int i = p; i + what.length <= end; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
