package dev.tcpautopsy.app;

/**
 * A protocol of length-prefixed messages (PostgreSQL, MySQL, HTTP/2): a fixed-size header read into
 * scratch, then the body, of which only the first bytes are kept and the rest is skipped by count;
 * the message is handed on once its last byte went by.
 *
 * <p>Side state: {@code state}; {@code left} the body bytes to come; {@code need} the body bytes to
 * keep in scratch; {@code tail} the body's length. The other fields are the subclass's.
 */
abstract class FramedDecoder extends Decoder {
    static final int HEADER = 0, BODY = 1;

    FramedDecoder(int protocol) {
        super(protocol);
    }

    /** Bytes of the header of the message starting now. */
    abstract int headerSize(AppTracker c, Side s);

    /**
     * The header is in scratch: sets {@code s.left} and {@code s.need} ({@code b[p, end)} are the bytes
     * after it in this segment, for a look ahead).
     *
     * @return {@code false} when no message of this protocol starts here
     */
    abstract boolean header(AppTracker c, Side s, byte[] b, int p, int end);

    /** The body's first {@code s.need} bytes are in scratch: a subclass may raise {@code need} once to keep more. */
    void kept(AppTracker c, Side s) {
    }

    /** The whole message went by: its header was read, its body's first bytes are in scratch. */
    abstract void message(AppTracker c, Side s);

    /** Before a header, at {@code b[p]}: returns the index after the bytes taken (PostgreSQL's one-byte answers), {@code p} when none. */
    int before(AppTracker c, Side s, byte[] b, int p, int end) {
        return p;
    }

    @Override
    void feed(AppTracker c, Side s, byte[] b, int p, int end, boolean fresh) {
        int first = p;
        while (true) {
            if (s.state == HEADER) {
                if (p >= end) {
                    return;
                }
                if (s.have == 0) {
                    if (switchedToTls(c, s, b, p, end, fresh && p == first)) {
                        return;
                    }
                    int q = before(c, s, b, p, end);
                    if (q != p) {
                        if (s.dec != this) {
                            handOn(c, s, b, q, end);
                            return;
                        }
                        p = q;
                        continue;
                    }
                    s.begin();
                }
                int size = headerSize(c, s);
                p = s.collect(b, p, end, size);
                if (s.have < size) {
                    return;
                }
                s.have = 0;
                if (!header(c, s, b, p, end)) {
                    s.lost = true;
                    return;
                }
                s.tail = s.left;
                s.state = BODY;
            }
            while (s.have < s.need) {
                int before = s.have;
                p = s.collect(b, p, end, s.need);
                s.left -= s.have - before;
                if (s.have < s.need) {
                    return;
                }
                kept(c, s);
            }
            int k = (int) Math.min(s.left, end - p);
            p += k;
            s.left -= k;
            if (s.left > 0) {
                return;
            }
            message(c, s);
            if (s.dec != this) {
                handOn(c, s, b, p, end);
                return;
            }
            s.state = HEADER;
            s.have = s.need = 0;
        }
    }
}
