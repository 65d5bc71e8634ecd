package dev.tcpautopsy.app;

/**
 * TLS, the record layer only (RFC 8446 5.1, RFC 5246 6.2): each record is a message. In clear: the
 * ClientHello's server name and ALPN list (walked field by field across records and segments, only
 * the two extensions kept), the ServerHello, alerts. Nothing is decrypted: an alert after the
 * sender's ChangeCipherSpec is an "encrypted alert", application data records are requests (client)
 * and responses (server) by their size only. TLS 1.3 hides its alerts in application data records.
 *
 * <p>Side state: {@code state}; in the record header, {@code x} its bytes so far and {@code left} the
 * bytes themselves; in the body, {@code x} the record type and {@code left} the bytes left; {@code z}
 * bit 1 once the side sent ChangeCipherSpec; {@code y} the handshake walker's step, with {@code need},
 * {@code skip}, {@code msgLeft} (handshake message) and {@code partLeft} (extensions); {@code tail}
 * collects an alert's two bytes.
 */
final class TlsDecoder extends Decoder {
    static final TlsDecoder INSTANCE = new TlsDecoder();
    private static final int HDR = 0, BODY = 1, ALERT = 2, V2_HDR = 3;
    private static final int CHANGE_CIPHER_SPEC = 20, ALERT_RECORD = 21, HANDSHAKE = 22, APPLICATION_DATA = 23;
    private static final int MAX_RECORD = (1 << 14) + 2048;
    /**
     * The largest client record that may be an encrypted alert under an AEAD cipher (TLS 1.3: 2 bytes, the
     * inner type and a 16-byte tag, 19; TLS 1.2 AES-GCM: 8 more of explicit nonce, 26): such a record after
     * the server's last answer is as likely the client's close_notify as a request, so it owes nothing known.
     */
    private static final int ALERT_SIZE = 26;
    private static final int CCS = 1, SEEN = 2;

    private TlsDecoder() {
        super(Proto.TLS);
    }

    @Override
    void restart(AppTracker c, Side s) {
        int ccs = s.z & CCS;
        s.restart();
        s.z = ccs;
    }

    @Override
    void feed(AppTracker c, Side s, byte[] b, int p, int end, boolean fresh) {
        while (p < end) {
            if (s.state == HDR && s.x == 0) {
                s.msgFrame = s.frame;
                if ((s.z & SEEN) == 0 && (b[p] & 0x80) != 0) {
                    s.state = V2_HDR; // an SSL 2.0 record header: the first of a client that also speaks 2.0
                }
            }
            if (s.state == V2_HDR) {
                while (s.x < 3 && p < end) {
                    s.left = s.left << 8 | (b[p++] & 0xFF);
                    s.x++;
                }
                if (s.x < 3) {
                    return;
                }
                sslv2(c, s, (int) s.left & 0xFF);
                s.left = ((s.left >>> 8) & 0x7FFF) - 1;
                s.x = 0;
                s.state = s.left > 0 ? BODY : HDR;
            } else if (s.state == HDR) {
                while (s.x < 5 && p < end) {
                    s.left = s.left << 8 | (b[p++] & 0xFF);
                    s.x++;
                }
                if (s.x < 5) {
                    return;
                }
                int type = (int) (s.left >>> 32) & 0xFF;
                int len = (int) s.left & 0xFFFF;
                if (!header(type, (int) (s.left >>> 16) & 0xFFFF, len)) {
                    s.lost = true;
                    s.x = 0;
                    s.left = 0;
                    return;
                }
                s.x = type;
                s.left = len;
                s.z |= SEEN;
                s.state = record(c, s, type, len, b, p, end);
            } else {
                int n = (int) Math.min(s.left, end - p);
                if (s.state == ALERT) {
                    for (int i = 0; i < n; i++) {
                        s.tail = s.tail << 8 | (b[p + i] & 0xFF);
                    }
                } else if (s.x == HANDSHAKE) {
                    HelloWalker.walk(c, s, b, p, p + n);
                }
                p += n;
                s.left -= n;
                if (s.left == 0) {
                    if (s.state == ALERT) {
                        alert(c, s, (int) (s.tail >>> 8) & 0xFF, (int) s.tail & 0xFF);
                    }
                    s.state = HDR;
                    s.x = 0;
                }
            }
        }
    }

    @Override
    boolean startsMessage(Side s, byte[] b, int p, int end) {
        if ((s.z & SEEN) == 0 && isHandshakeRecord(b, p, end)) {
            return true;
        }
        // one record header, and where its record ends within the segment, the next one
        for (int q = p, k = 0; k < 4; k++) {
            if (end - q < 5) {
                return k > 0; // the next header goes on in the next segment
            }
            int len = (b[q + 3] & 0xFF) << 8 | (b[q + 4] & 0xFF);
            if (!header(b[q] & 0xFF, (b[q + 1] & 0xFF) << 8 | (b[q + 2] & 0xFF), len)) {
                return false;
            }
            q += 5 + len;
            if (q >= end) {
                return true;
            }
        }
        return true;
    }

    /** A handshake record that starts a ClientHello or a ServerHello: where TLS begins (an SSL 2.0 ClientHello too). */
    static boolean isHandshakeRecord(byte[] b, int p, int end) {
        if (end - p >= 11 && (b[p] & 0x80) != 0 && b[p + 2] == 1) {
            int len = (b[p] & 0x7F) << 8 | (b[p + 1] & 0xFF), version = (b[p + 3] & 0xFF) << 8 | (b[p + 4] & 0xFF);
            int specs = (b[p + 5] & 0xFF) << 8 | (b[p + 6] & 0xFF);
            return (version == 2 || version >= 0x0300 && version <= 0x0303) && specs > 0 && specs % 3 == 0
                    && len >= 9 + specs && len < 1024;
        }
        if (end - p < 11 || b[p] != HANDSHAKE || b[p + 1] != 3 || (b[p + 2] & 0xFF) > 4) {
            return false;
        }
        int len = (b[p + 3] & 0xFF) << 8 | (b[p + 4] & 0xFF);
        int type = b[p + 5];
        int hsLen = (b[p + 6] & 0xFF) << 16 | (b[p + 7] & 0xFF) << 8 | (b[p + 8] & 0xFF);
        return len >= 4 && len <= MAX_RECORD && (type == 1 || type == 2) && hsLen >= 38 && hsLen < 1 << 16
                && b[p + 9] == 3 && (b[p + 10] & 0xFF) <= 4;
    }

    private static boolean header(int type, int version, int len) {
        return type >= CHANGE_CIPHER_SPEC && type <= 24 && version >= 0x0300 && version <= 0x0304 && len <= MAX_RECORD;
    }

    /** An SSL 2.0 record's message type: its ClientHello and ServerHello (RFC 6101 appendix E). */
    private static void sslv2(AppTracker c, Side s, int type) {
        s.z |= SEEN;
        if (type == 1 && s.client) {
            c.report(s, Msg.REQUEST);
            s.put("ClientHello (SSL 2.0 format)");
            c.finish(s);
        } else if (type == 4 && !s.client) {
            c.report(s, Msg.RESPONSE | Msg.ANSWERS_ALL);
            s.put("ServerHello (SSL 2.0)");
            c.finish(s);
        } else {
            c.other(s, s.client ? 0 : Msg.RESPONSE | Msg.ANSWERS_ALL);
        }
    }

    /** A record's header was read: what it is, and the state its body is read in. */
    private static int record(AppTracker c, Side s, int type, int len, byte[] b, int p, int end) {
        int answer = s.client ? 0 : Msg.RESPONSE | Msg.ANSWERS_ALL;
        switch (type) {
            case APPLICATION_DATA -> {
                c.report(s, !s.client ? answer : len <= ALERT_SIZE ? Msg.REQUEST | Msg.OPAQUE : Msg.REQUEST);
                s.put("application data (");
                s.putNum(len);
                s.put(" bytes)");
                c.finish(s);
            }
            case ALERT_RECORD -> {
                if (len == 2 && (s.z & CCS) == 0) {
                    s.tail = 0;
                    return ALERT;
                }
                c.control(s, FactsOf.ALERT, -1, 0, answer | Msg.GOODBYE);
            }
            case HANDSHAKE -> {
                if ((s.z & CCS) != 0 && !clearHello(b, p, end, len)) {
                    c.other(s, answer); // encrypted (Finished): nothing to walk
                    s.x = 0;
                } else if (s.y == HelloWalker.W_HDR && s.have == 0) {
                    s.depth = 1; // its first message starts with the record: the record's frame is its frame
                }
            }
            case CHANGE_CIPHER_SPEC -> {
                s.z |= CCS;
                c.other(s, answer);
            }
            default -> c.other(s, answer);
        }
        return BODY;
    }

    /** After ChangeCipherSpec, a handshake record in clear can only be a TLS 1.3 client's second ClientHello. */
    private static boolean clearHello(byte[] b, int p, int end, int len) {
        return end - p >= 6 && b[p] == 1 && ((b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF)) == len - 4
                && b[p + 4] == 3;
    }

    private static void alert(AppTracker c, Side s, int level, int desc) {
        if (level != 1 && level != 2) {
            s.lost = true; // no alert in clear looks like this: the framing was wrong
            return;
        }
        int flags = Msg.GOODBYE | (s.client ? 0 : Msg.RESPONSE | Msg.ANSWERS_ALL | (level == 2 ? Msg.REFUSAL : 0));
        c.control(s, FactsOf.ALERT, level, desc, flags);
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }
}
