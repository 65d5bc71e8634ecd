package dev.tcpautopsy.app;

/**
 * Walks the handshake protocol inside TLS handshake records, field by field, across records and
 * segments: each message's header, and of a ClientHello the server name (RFC 6066 3) and ALPN (RFC
 * 7301 3.1) extensions, the only bytes it keeps; everything else is skipped by count.
 *
 * <p>Side state: {@code y} the step; {@code need} bytes wanted in scratch for it, {@code skip} bytes to
 * pass first; {@code msgLeft} the handshake message's bytes left, {@code partLeft} the extensions';
 * {@code aux} the extension kept, {@code tail} its bytes beyond the scratch buffer; {@code depth} 1 while
 * a handshake record's first message has not begun (its frame is the record's).
 */
final class HelloWalker {
    static final int W_HDR = 0, W_SID = 1, W_CS = 2, W_COMP = 3, W_EXTS = 4, W_EXT = 5, W_VAL = 6, W_REST = 7;
    private static final int EXT_SNI = 0, EXT_ALPN = 16;

    private HelloWalker() {
    }

    /** Reads handshake-protocol bytes {@code b[p, end)} (a record body): message headers, and a ClientHello's fields. */
    static void walk(AppTracker c, Side s, byte[] b, int p, int end) {
        while (p < end) {
            if (s.skip > 0) {
                int k = (int) Math.min(s.skip, end - p);
                p += k;
                s.skip -= k;
                s.msgLeft -= k;
                s.partLeft -= k;
                if (s.skip > 0) {
                    return;
                }
            } else if (s.y == W_HDR) {
                if (s.have == 0 && s.depth == 0) {
                    s.msgFrame = s.frame;
                }
                s.depth = 0;
                p = s.collect(b, p, end, 4);
                if (s.have < 4) {
                    return;
                }
                step(c, s);
            } else if (s.need - s.have > s.msgLeft) {
                next(s, W_REST, 0, Math.max(s.msgLeft, 0)); // a field runs past its message: malformed
            } else {
                int before = s.have;
                p = s.collect(b, p, end, s.need);
                s.msgLeft -= s.have - before;
                s.partLeft -= s.have - before;
                if (s.have < s.need) {
                    return;
                }
                step(c, s);
            }
            if (s.skip == 0 && s.y != W_HDR) {
                if (s.msgLeft <= 0) {
                    endMessage(c, s);
                } else if (s.y == W_EXT && s.partLeft <= 0) {
                    next(s, W_REST, 0, s.msgLeft); // extensions done
                }
            }
        }
    }

    /** One field was collected in scratch: act on it and say what comes next ({@code y}, {@code need}, {@code skip}). */
    private static void step(AppTracker c, Side s) {
        byte[] sc = s.scratch;
        s.have = 0;
        switch (s.y) {
            case W_HDR -> {
                int type = sc[0] & 0xFF;
                s.msgLeft = TlsDecoder.u16(sc, 2) | (sc[1] & 0xFF) << 16;
                int answer = s.client ? 0 : Msg.RESPONSE | Msg.ANSWERS_ALL;
                if (type == 1 && s.client && s.msgLeft >= 38) {
                    c.report(s, Msg.REQUEST);
                    s.put("ClientHello");
                    c.names().reset();
                    next(s, W_SID, 1, 34); // legacy_version, random
                    return;
                }
                if (type == 2 && !s.client) {
                    c.report(s, answer);
                    s.put("ServerHello");
                    c.finish(s);
                } else {
                    c.other(s, answer);
                }
                next(s, W_REST, 0, s.msgLeft);
            }
            case W_SID -> next(s, W_CS, 2, sc[0] & 0xFF);
            case W_CS -> next(s, W_COMP, 1, TlsDecoder.u16(sc, 0));
            case W_COMP -> next(s, W_EXTS, 2, sc[0] & 0xFF);
            case W_EXTS -> {
                s.partLeft = TlsDecoder.u16(sc, 0);
                next(s, W_EXT, 4, 0);
            }
            case W_EXT -> {
                int type = TlsDecoder.u16(sc, 0), len = TlsDecoder.u16(sc, 2);
                if (type == EXT_SNI || type == EXT_ALPN) {
                    s.aux = type;
                    int want = Math.min(len, Side.SCRATCH);
                    next(s, W_VAL, want, 0);
                    s.tail = len - want;
                } else {
                    next(s, W_EXT, 4, len);
                }
            }
            case W_VAL -> {
                value(c, s, (int) s.aux, s.need);
                next(s, W_EXT, 4, s.tail);
            }
            default -> next(s, W_REST, 0, Math.max(s.msgLeft, 0));
        }
    }

    private static void next(Side s, int step, int need, long skip) {
        s.y = step;
        s.need = need;
        s.skip = skip;
    }

    private static void endMessage(AppTracker c, Side s) {
        if (s.open && s.client) {
            TlsNames n = c.names();
            if (n.sniLen > 0 || n.alpnLen > 0) {
                s.put(" (");
                if (n.sniLen > 0) {
                    s.put("SNI: ");
                    s.put(n.sni, 0, n.sniLen, TlsNames.SNI, n.sniCut, false);
                }
                if (n.alpnLen > 0) {
                    s.put(n.sniLen > 0 ? ", ALPN: " : "ALPN: ");
                    s.put(n.alpn, 0, n.alpnLen, TlsNames.ALPN, n.alpnCut, false);
                }
                s.put(')');
            }
            c.finish(s);
        }
        s.y = W_HDR;
        s.need = 0;
        s.skip = 0;
        s.msgLeft = 0;
        s.have = 0;
    }

    /** The server name (RFC 6066 3) or ALPN list (RFC 7301 3.1) extension's first {@code n} bytes. */
    private static void value(AppTracker c, Side s, int type, int n) {
        byte[] sc = s.scratch;
        TlsNames names = c.names();
        if (type == EXT_SNI) {
            if (n >= 5 && sc[2] == 0) {
                int len = TlsDecoder.u16(sc, 3);
                int take = Math.min(Math.min(len, n - 5), TlsNames.SNI);
                System.arraycopy(sc, 5, names.sni, 0, take);
                names.sniLen = take;
                names.sniCut = take < len;
            }
            return;
        }
        int out = 0;
        boolean cut = false;
        for (int i = 2; i < n; ) {
            int len = sc[i] & 0xFF;
            if (i + 1 + len > n) {
                cut = true;
                break;
            }
            if (out > 0 && out < TlsNames.ALPN) {
                names.alpn[out++] = ',';
            }
            int take = Math.min(len, TlsNames.ALPN - out);
            System.arraycopy(sc, i + 1, names.alpn, out, take);
            out += take;
            cut |= take < len;
            i += 1 + len;
        }
        names.alpnLen = out;
        names.alpnCut = cut;
    }

}
