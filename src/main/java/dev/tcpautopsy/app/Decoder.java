package dev.tcpautopsy.app;

/**
 * Reads one protocol from one direction's byte stream, message by message, keeping its state in the
 * {@link Side} (decoders are shared and stateless). The tracker hands each decoder the new bytes of
 * the side's stream in order, a segment at a time; a decoder that can no longer tell where the next
 * message starts sets {@link Side#lost} and returns, and the tracker hands it the next segment that
 * {@link #startsMessage starts a message}.
 */
abstract class Decoder {
    final int protocol;

    Decoder(int protocol) {
        this.protocol = protocol;
    }

    /**
     * Reads {@code b[p, end)}, the next bytes of {@code s}'s stream.
     *
     * @param fresh {@code b[p]} is the first byte of a segment (a message may start there after a loss)
     */
    abstract void feed(AppTracker c, Side s, byte[] b, int p, int end, boolean fresh);

    /** Whether a segment whose first bytes are {@code b[p, end)} plausibly starts a message. */
    abstract boolean startsMessage(Side s, byte[] b, int p, int end);

    /** Prepares {@code s} to read the first message of the conversation (a greeting, a startup message). */
    void start(AppTracker c, Side s) {
        restart(c, s);
    }

    /** Prepares {@code s} to read a message from its next byte, in the middle of the conversation (after a loss). */
    void restart(AppTracker c, Side s) {
        s.restart();
    }

    /** The side closed: a message it left unfinished may still be worth its text (a last command without CRLF). */
    void close(AppTracker c, Side s) {
    }

    /** The side's protocol changed inside this segment: the rest of it goes to the new decoder. */
    static void handOn(AppTracker c, Side s, byte[] b, int p, int end) {
        if (s.dec != null && p < end) {
            s.dec.feed(c, s, b, p, end, false);
        }
    }

    /**
     * At a message boundary at the start of a segment: when the bytes are a TLS handshake record, the
     * side has switched to TLS (STARTTLS, PostgreSQL's SSLRequest, MySQL's SSL request, a CONNECT tunnel).
     */
    static boolean switchedToTls(AppTracker c, Side s, byte[] b, int p, int end, boolean fresh) {
        if (fresh && TlsDecoder.isHandshakeRecord(b, p, end)) {
            c.switchTo(s, TlsDecoder.INSTANCE);
            s.dec.feed(c, s, b, p, end, true);
            return true;
        }
        return false;
    }
}
