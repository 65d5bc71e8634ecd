package dev.tcpautopsy.app;

/**
 * One direction of a connection: where its byte stream stands, the message being read, the last one
 * reported and, when a later message followed it (a notice, a goodbye), the last request or answer.
 * Fixed size: a scratch buffer for one message header or line, two text buffers, and a few numbers the
 * direction's decoder interprets.
 */
final class Side {
    /** Bytes of one message header or line kept for decoding; a longer one is read on without being kept. */
    static final int SCRATCH = 96;
    /** Bytes of one message's text, "..." included. */
    static final int TEXT = 112;

    /** What a side's last message was, for the goodbye. */
    static final int LAST_NONE = 0, LAST_TEXT = 1, LAST_CONTROL = 2, LAST_OTHER = 3;
    /** Where the side's last request or answer is ({@link #counted}). */
    static final int COUNTED_NONE = 0, COUNTED_TEXT = 1, COUNTED_KEPT = 2, COUNTED_CONTROL = 3;

    final boolean client;
    /** Made with the side's first payload ({@link #buffers()}), kept when the tracker is reused. */
    byte[] scratch, text, kept;
    /** Nesting of a RESP reply: elements left at each level (made for Redis only). */
    int[] stack;

    /** The decoder of this direction, {@code null} while its protocol is unknown. */
    Decoder dec;
    /** Relative sequence number of the next byte not yet read, -1 before the first payload. */
    long next;
    /** Framing lost (a gap, a cut, a length we cannot know): wait for a segment that starts a message. */
    boolean lost;
    /** The side closed (FIN or RST); {@code spoke}: it sent payload since. */
    boolean closed, spoke;
    /** Segment starts tried for protocol detection. */
    int tries;
    /** Frame of the segment being read, and of the current message's first byte. */
    long frame, msgFrame;

    // decoder state, each decoder documents its use
    int state, have, x, y, z, depth;
    long left, aux, tail;
    /** A nested reader's (TLS handshake messages): bytes wanted in scratch, bytes to skip, bytes left of the message and of one part of it. */
    int need, msgLeft, partLeft;
    long skip;

    // the last reported message (text), and the last control message (alert, GOAWAY: values rendered later)
    int textLen, textFlags;
    long textFrame;
    boolean truncated, open;
    int ctlKind, ctlA, ctlB, ctlFlags;
    long ctlFrame;
    int last;
    /** The last request or answer ({@link Owed#counts}): the last text, the kept one, or a control message (an alert answering a ClientHello). */
    int counted;
    int keptLen, keptFlags, keptKind, keptA, keptB;
    long keptFrame;
    boolean keptCut;

    // the side's own close
    long closeFrame;
    /** What the side's last message was when it closed ({@link #LAST_TEXT}, {@link #LAST_CONTROL} or none). */
    int goodbye;

    Side(boolean client) {
        this.client = client;
        reset();
    }

    void reset() {
        dec = null;
        next = -1;
        lost = false;
        closed = spoke = false;
        tries = 0;
        frame = msgFrame = 0;
        restart();
        textLen = textFlags = 0;
        textFrame = -1;
        truncated = open = false;
        ctlKind = ctlA = ctlB = ctlFlags = 0;
        ctlFrame = -1;
        last = LAST_NONE;
        counted = COUNTED_NONE;
        keptLen = keptFlags = keptKind = keptA = keptB = 0;
        keptFrame = -1;
        keptCut = false;
        closeFrame = -1;
        goodbye = LAST_NONE;
    }

    /** Makes the buffers: a connection without payload never needs them. */
    void buffers() {
        if (scratch == null) {
            scratch = new byte[SCRATCH];
            text = new byte[TEXT];
            kept = new byte[TEXT];
        }
    }

    /** Forgets the message being read: the next byte is read as the start of one. */
    void restart() {
        state = have = x = y = z = depth = 0;
        left = aux = tail = 0;
        need = msgLeft = partLeft = 0;
        skip = 0;
    }

    /** Marks the next byte as the current message's first. */
    void begin() {
        msgFrame = frame;
        have = 0;
    }

    /**
     * Copies bytes into the scratch buffer until it holds {@code want} (at most {@link #SCRATCH}).
     *
     * @return the index after the bytes taken
     */
    int collect(byte[] b, int p, int end, int want) {
        int n = Math.min(want - have, end - p);
        if (n > 0) {
            System.arraycopy(b, p, scratch, have, n);
            have += n;
            p += n;
        }
        return p;
    }

    /**
     * Reads the current line up to and including its LF, keeping its first {@link #SCRATCH} bytes and,
     * when it is longer, the last eight bytes before its CR LF ({@link #tail}). {@link #have} counts the
     * line's bytes, up to {@code SCRATCH + 1} (more than that: the line did not fit).
     *
     * @return the index after the LF, or -1 when the bytes ended first (the line goes on in the next segment)
     */
    int line(byte[] b, int p, int end) {
        int h = have;
        byte[] sc = scratch;
        int i = p;
        while (i < end && h < SCRATCH) {
            byte v = b[i++];
            sc[h++] = v;
            if (v == '\n') {
                have = h;
                return i;
            }
        }
        if (i == end) {
            have = h;
            return -1;
        }
        long t = tail;
        if (h == SCRATCH) {
            // the line goes on past the scratch buffer: its last bytes so far start the tail
            t = 0;
            for (int k = SCRATCH - 9; k < SCRATCH; k++) {
                if (sc[k] != '\r') {
                    t = t << 8 | (sc[k] & 0xFF);
                }
            }
            h++;
        }
        for (; i < end; i++) {
            byte v = b[i];
            if (v == '\n') {
                have = h;
                tail = t;
                return i + 1;
            }
            if (v != '\r') {
                t = t << 8 | (v & 0xFF);
            }
        }
        have = h;
        tail = t;
        return -1;
    }

    /** Length of the kept line without its CR LF (the kept part only when the line did not fit). */
    int lineLen() {
        int n = Math.min(have, SCRATCH);
        if (have <= SCRATCH) {
            if (n > 0 && scratch[n - 1] == '\n') {
                n--;
            }
            if (n > 0 && scratch[n - 1] == '\r') {
                n--;
            }
        }
        return n;
    }

    /** Whether the line read did not fit in the scratch buffer. */
    boolean lineCut() {
        return have > SCRATCH;
    }

    // text of the reported message

    /** A new reported message begins; {@code counts}: it is a request, or a response that answered one. */
    void textStart(int flags, boolean counts) {
        if (counted == COUNTED_TEXT && !counts) {
            // the last request or answer is about to be overwritten by a message of another kind: keep it
            byte[] t = kept;
            kept = text;
            text = t;
            keptLen = textLen;
            keptFlags = textFlags;
            keptFrame = textFrame;
            keptCut = truncated;
            counted = COUNTED_KEPT;
        } else if (counts) {
            counted = COUNTED_TEXT;
        }
        textLen = 0;
        truncated = false;
        textFrame = msgFrame;
        textFlags = flags;
        open = true;
        last = LAST_TEXT;
    }

    void put(int c) {
        if (textLen < TEXT - 3) {
            text[textLen++] = (byte) (c < 0x20 || c > 0x7e ? '?' : c);
        } else {
            truncated = true;
        }
    }

    void put(String s) {
        for (int i = 0; i < s.length(); i++) {
            put(s.charAt(i));
        }
    }

    void putNum(long v) {
        if (v < 0) {
            put('-');
            v = -v;
        }
        long div = 1;
        while (v / div >= 10) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            put((int) ('0' + v / div % 10));
        }
    }

    /**
     * Appends {@code b[off, off+len)}, at most {@code max} characters ("..." after them when longer or
     * when {@code cut}: the source was already cut short); {@code words} collapses white space runs to
     * one space and drops leading ones.
     */
    void put(byte[] b, int off, int len, int max, boolean cut, boolean words) {
        int n = 0;
        boolean space = words;
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            if (words && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
                if (space) {
                    continue;
                }
                space = true;
                c = ' ';
            } else {
                space = false;
            }
            if (n == max) {
                cut = true;
                break;
            }
            put(c);
            n++;
        }
        if (words || cut) {
            while (textLen > 0 && text[textLen - 1] == ' ') {
                textLen--;
            }
        }
        if (cut) {
            put('.');
            put('.');
            put('.');
        }
    }

    void control(int kind, int a, int b, int flags, boolean counts) {
        ctlKind = kind;
        ctlA = a;
        ctlB = b;
        ctlFlags = flags;
        ctlFrame = msgFrame;
        last = LAST_CONTROL;
        if (counts) {
            keptKind = kind;
            keptA = a;
            keptB = b;
            keptFlags = flags;
            keptFrame = msgFrame;
            counted = COUNTED_CONTROL;
        }
    }
}
