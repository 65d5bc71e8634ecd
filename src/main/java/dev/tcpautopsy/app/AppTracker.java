package dev.tcpautopsy.app;

/**
 * Reads what the applications of one TCP connection said: the protocol, from the bytes (never the
 * port), and of each message its first bytes only, enough for one line of text.
 *
 * <p>Calling order, per connection, in capture order: {@link #onPayload} for every segment that carries
 * payload (retransmissions included: the tracker knows them), {@link #onClose} for each FIN or RST
 * (after the {@code onPayload} of a FIN segment that carries data), then {@link #facts()} when the
 * connection is handed on. {@link #reset()} makes the tracker ready for another connection (trackers are
 * meant to be pooled: one holds a fixed amount, under a kilobyte, whatever the traffic, and allocates
 * nothing per segment).
 *
 * <p>Each direction is read as a byte stream: a segment that brings no new bytes (a retransmission) is
 * skipped, a partly new one is read from its first new byte. After a gap in sequence space, a segment
 * cut by the snapshot length, or a message whose length cannot be known (an HTTP response without
 * Content-Length), the direction stops decoding until a segment starts with something that begins a
 * message of its protocol: it never guesses inside a stream it lost. Segments that arrive out of order
 * are read as a gap followed by a retransmission.
 *
 * <p>One tracker, one thread.
 */
public final class AppTracker {
    /** Segment starts of a direction tried before its protocol is taken as none of those known. */
    static final int DETECT_TRIES = 4;

    final Side client = new Side(true);
    final Side server = new Side(false);
    int protocol;
    /** Both sides gave up detection: nothing more is read. */
    boolean gaveUp;
    /** Requests owed an answer, and what their answers will be. */
    final Owed owed = new Owed();
    long cutFrame;
    /** Connection-wide decoder state: a mode each decoder documents. */
    int mode;
    /** The flow's first alert: its frame (-1 when none), sender, level and description. */
    long alertFrame;
    boolean alertClient;
    int alertLevel, alertDesc;
    /** What the last ClientHello named; kept across {@link #reset()} once made. */
    TlsNames names;
    MessageListener listener;

    public AppTracker() {
        reset();
    }

    /** Forgets the connection: the tracker is as new, its buffers kept. */
    public void reset() {
        client.reset();
        server.reset();
        protocol = Proto.NONE;
        gaveUp = false;
        owed.reset();
        cutFrame = -1;
        mode = 0;
        alertFrame = -1;
        alertClient = false;
        alertLevel = alertDesc = 0;
        if (names != null) {
            names.reset();
        }
    }

    /**
     * Reads one segment's payload.
     *
     * @param fromClient the sender is the client
     * @param frame      the segment's frame number
     * @param relSeq     sequence number of the payload's first byte, relative to the sender's ISN and unwrapped
     * @param buf        the captured bytes, {@code buf[off, off + capLen)}; not kept
     * @param capLen     payload bytes captured
     * @param len        payload bytes on the wire ({@code capLen} is smaller when the snapshot length cut the packet)
     */
    public void onPayload(boolean fromClient, long frame, long relSeq, byte[] buf, int off, int capLen, int len) {
        if (len <= 0 || gaveUp) {
            return;
        }
        Side s = fromClient ? client : server;
        long end = relSeq + len;
        int skip = 0;
        boolean fresh = true;
        if (s.next >= 0) {
            if (end <= s.next) {
                return;
            }
            if (relSeq < s.next) {
                skip = (int) (s.next - relSeq);
                fresh = false;
            } else if (relSeq > s.next) {
                s.lost = true;
            }
        }
        s.next = end;
        s.spoke = true; // new bytes: after a close the side survived (a RST ignored), its next close is judged again
        int got = Math.min(capLen, len);
        if (skip < got) {
            read(s, frame, buf, off + skip, off + got, fresh);
        }
        if (capLen < len) {
            if (cutFrame < 0) {
                cutFrame = frame;
            }
            s.lost = true;
        }
    }

    /**
     * A side's FIN or RST: its last message, when an error or an alert, is its goodbye. A later FIN or RST
     * of the side counts only when the side sent payload after its earlier one (which it then survived).
     *
     * @param rst a RST, not a FIN: the same here (the last words before either are the goodbye)
     */
    public void onClose(boolean fromClient, long frame, boolean rst) {
        Side s = fromClient ? client : server;
        if (s.closed && !s.spoke) {
            return;
        }
        s.spoke = false;
        if (s.dec != null && !s.lost) {
            s.frame = frame;
            s.dec.close(this, s);
        }
        finish(s);
        s.closed = true;
        s.closeFrame = frame;
        s.goodbye = Side.LAST_NONE;
        if (s.last == Side.LAST_TEXT && (s.textFlags & Msg.GOODBYE) != 0) {
            s.goodbye = Side.LAST_TEXT;
        } else if (s.last == Side.LAST_CONTROL && (s.ctlFlags & Msg.GOODBYE) != 0) {
            s.goodbye = Side.LAST_CONTROL;
        }
    }

    /** What the applications said, as far as read; the tracker may go on reading afterwards. */
    public AppFacts facts() {
        finish(client);
        finish(server);
        return FactsOf.of(this);
    }

    /** Whether a later payload could still change the facts: {@code false} once both sides gave up (the caller may stop calling). */
    public boolean reading() {
        return !gaveUp;
    }

    /** Called when a side spends its last detection try. */
    void triesSpent() {
        gaveUp = client.dec == null && client.tries >= DETECT_TRIES && server.dec == null && server.tries >= DETECT_TRIES;
    }

    private void read(Side s, long frame, byte[] b, int p, int end, boolean fresh) {
        s.frame = frame;
        if (s.scratch == null) {
            s.buffers();
        }
        if (s.dec == null) {
            Detector.probe(this, s, b, p, end, fresh);
        } else if (s.lost) {
            if (!fresh || !s.dec.startsMessage(s, b, p, end)) {
                return;
            }
            s.lost = false;
            s.dec.restart(this, s);
            s.dec.feed(this, s, b, p, end, true);
        } else {
            s.dec.feed(this, s, b, p, end, fresh);
        }
    }

    // called by the detector and the decoders

    Side other(Side s) {
        return s == client ? server : client;
    }

    /**
     * The protocol of {@code s} is {@code d}: at the conversation's start ({@code atStart}: a greeting, a
     * startup message, a preface) or in its middle. The other side, when its protocol is not known (the first
     * detection, or after an upgrade), reads the same: from its start when it has sent nothing yet, from the
     * bytes it sent that were too few to tell the protocol by (a short inline command the server's reply
     * names), else from its next segment that starts a message.
     */
    void adopt(Side s, Decoder d, boolean atStart) {
        boolean first = protocol == Proto.NONE;
        if (first || protocol == Proto.HTTP && d.protocol == Proto.HTTP2) {
            protocol = d.protocol; // the first protocol names the connection, and h2c names an upgraded one
        }
        s.dec = d;
        s.lost = false;
        s.restart(); // nothing of another decoder's state carries over
        if (atStart) {
            d.start(this, s);
        } else {
            d.restart(this, s);
        }
        Side o = other(s);
        if (o.dec == null) {
            // a probe held for more bytes (rare: a copy), its first byte's frame
            byte[] held = o.have > 0 && !o.lost && o.tries < DETECT_TRIES ? java.util.Arrays.copyOf(o.scratch, o.have) : null;
            long heldFrame = o.msgFrame, frame = o.frame;
            o.dec = d;
            o.restart();
            if (first && atStart && o.next < 0) {
                d.start(this, o);
            } else if (held != null) {
                if (first && atStart && o.tries == 0) {
                    d.start(this, o);
                } else {
                    d.restart(this, o);
                }
                o.frame = heldFrame;
                d.feed(this, o, held, 0, held.length, true);
                o.frame = frame;
            } else {
                o.lost = true; // it reads the same from its next segment that starts a message
            }
        }
    }

    /** {@code s} speaks {@code d} from its next byte on (an upgrade to TLS). */
    void switchTo(Side s, Decoder d) {
        finish(s);
        s.dec = d;
        s.lost = false;
        s.restart();
        d.start(this, s);
    }

    /** Both sides speak TLS from their next byte: an accepted STARTTLS, SSLRequest or AUTH TLS. */
    void startTls() {
        switchTo(client, TlsDecoder.INSTANCE);
        switchTo(server, TlsDecoder.INSTANCE);
    }

    /** The protocol changes (HTTP 101, a CONNECT tunnel): both sides are detected anew from their next segment. */
    void redetect() {
        redetect(client, 0);
        redetect(server, 0);
        owed.unasked = true; // an h2c server's first HEADERS answers the request that asked for the upgrade
    }

    private void redetect(Side s, int tries) {
        finish(s);
        s.dec = null;
        s.tries = tries;
        s.lost = true;
    }

    /** Nothing more can be read (a compressed MySQL session): both sides stop. */
    void stop() {
        redetect(client, DETECT_TRIES);
        redetect(server, DETECT_TRIES);
        gaveUp = true;
    }

    /** A reported message begins at {@code s.msgFrame}; its text follows ({@code s.put}), open until {@link #finish}. */
    void report(Side s, int flags) {
        finish(s);
        boolean counts = owed.counts(flags);
        owed.account(flags);
        s.textStart(flags, counts);
    }

    /** A message that is not reported (a data row, a body record): it only counts as the side's last. */
    void other(Side s, int flags) {
        finish(s);
        owed.account(flags);
        s.last = Side.LAST_OTHER;
    }

    /** A control message whose text is made from two numbers when asked ({@link FactsOf#control}). */
    void control(Side s, int kind, int a, int b, int flags) {
        finish(s);
        boolean counts = owed.counts(flags);
        owed.account(flags);
        s.control(kind, a, b, flags, counts);
        if (kind == FactsOf.ALERT && alertFrame < 0) {
            alertFrame = s.msgFrame;
            alertClient = s.client;
            alertLevel = a;
            alertDesc = b;
        }
        if (listener != null) {
            listener.message(s.client, s.msgFrame, flags, FactsOf.control(kind, a, b));
        }
    }

    /** The reported message of {@code s} is complete: its text no longer changes. */
    void finish(Side s) {
        if (s.open) {
            s.open = false;
            if (listener != null) {
                listener.message(s.client, s.textFrame, s.textFlags, FactsOf.text(s.text, s.textLen, s.truncated));
            }
        }
    }

    TlsNames names() {
        if (names == null) {
            names = new TlsNames();
        }
        return names;
    }
}
