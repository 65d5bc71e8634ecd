package dev.tcpautopsy.app;

/**
 * Recognises a protocol from the first bytes of a segment, never from a port: each test asks for a
 * structure that random bytes match with a probability far below one in a billion (a record header and
 * a handshake header that agree, a whole request line, a startup code, a banner line in clear).
 */
final class Detector {
    /** Bytes enough to tell a protocol from its first message. */
    static final int PROBE = 32;

    private Detector() {
    }

    /**
     * Detection from a segment's first bytes. A first segment too short to tell (a client typing, a
     * split header) is kept in the scratch buffer and tried again with the next ones, up to
     * {@link #PROBE} bytes: only then, or at a gap, is a try spent.
     */
    static void probe(AppTracker c, Side s, byte[] b, int p, int end, boolean fresh) {
        if (s.lost || s.tries >= AppTracker.DETECT_TRIES) {
            s.have = 0; // a probe broken by a gap or a cut
        }
        if (s.tries >= AppTracker.DETECT_TRIES || s.have == 0 && !fresh) {
            s.lost = true;
            return;
        }
        s.lost = false;
        if (s.have == 0) {
            if (detect(c, s, b, p, end)) {
                s.dec.feed(c, s, b, p, end, true);
            } else if (end - p >= PROBE) {
                s.tries++;
                c.triesSpent();
                s.lost = true;
            } else {
                s.msgFrame = s.frame;
                s.collect(b, p, end, end - p);
            }
            return;
        }
        // the probe and this segment together (rare: a copy)
        long frame = s.frame, first = s.msgFrame;
        int kept = s.have;
        byte[] probe = java.util.Arrays.copyOf(s.scratch, kept + end - p);
        System.arraycopy(b, p, probe, kept, end - p);
        if (detect(c, s, probe, 0, probe.length)) {
            s.frame = first;
            s.dec.feed(c, s, probe, 0, kept, true);
            s.frame = frame;
            s.dec.feed(c, s, b, p, end, false);
        } else if (probe.length >= PROBE) {
            s.tries++;
            c.triesSpent();
            s.have = 0;
            s.lost = true;
        } else {
            s.collect(b, p, end, probe.length);
        }
    }

    /** Whether {@code b[p, end)}, a segment's payload from {@code s}, starts a known protocol (then adopted). */
    static boolean detect(AppTracker c, Side s, byte[] b, int p, int end) {
        Decoder d = null;
        boolean atStart = true;
        if (TlsDecoder.isHandshakeRecord(b, p, end)) {
            d = TlsDecoder.INSTANCE;
        } else if (s.client && Ascii.startsWith(b, p, end, Http2Decoder.PREFACE)) {
            d = Http2Decoder.INSTANCE;
        } else if (HttpLines.isRequest(b, p, end) || HttpLines.isStatus(b, p, end)) {
            d = HttpDecoder.INSTANCE;
        } else if (s.client) {
            if (PgDecoder.isStartup(b, p, end)) {
                d = PgDecoder.INSTANCE;
            } else if (RedisDecoder.isRequest(b, p, end) || RedisDecoder.isInline(b, p, end)) {
                d = RedisDecoder.INSTANCE;
            } else if (ReplyDecoder.isHello(b, p, end)) {
                d = ReplyDecoder.INSTANCE;
                atStart = false;
            } else if (MysqlDecoder.isQuery(b, p, end)) {
                d = MysqlDecoder.INSTANCE;
                atStart = false;
            }
        } else if (MysqlDecoder.isGreeting(b, p, end)) {
            d = MysqlDecoder.INSTANCE;
        } else if (ImapDecoder.isGreeting(b, p, end)) {
            d = ImapDecoder.INSTANCE;
        } else if (Pop3Decoder.isGreeting(b, p, end)) {
            d = Pop3Decoder.INSTANCE;
        } else if (ReplyDecoder.isGreeting(b, p, end)) {
            d = ReplyDecoder.INSTANCE;
        } else if (RedisDecoder.isReply(b, p, end) || c.client.next >= 0 && RedisDecoder.isError(b, p, end)) {
            d = RedisDecoder.INSTANCE;
            atStart = false;
        }
        if (d == null) {
            return false;
        }
        boolean first = c.protocol == Proto.NONE;
        c.adopt(s, d, atStart);
        if (d == ReplyDecoder.INSTANCE && !s.client) {
            boolean ftp = ReplyDecoder.banner(b, p, end, "FTP"), smtp = ReplyDecoder.banner(b, p, end, "SMTP");
            if (first) {
                c.protocol = ftp && !smtp ? Proto.FTP : Proto.SMTP;
            }
            c.mode = ReplyDecoder.UNDECIDED;
            if (ftp != smtp) {
                ReplyDecoder.decided(c, ftp ? ReplyDecoder.FTP : ReplyDecoder.SMTP);
            }
        }
        return true;
    }
}
