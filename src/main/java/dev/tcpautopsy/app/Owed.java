package dev.tcpautopsy.app;

/**
 * What a connection's conversation owes: the requests not yet answered, and a FIFO of 2-bit entries
 * saying what each one's answer will be (HTTP: after HEAD or CONNECT; POP3: multi-line, QUIT's).
 */
final class Owed {
    /** Requests owed an answer. */
    int pending;
    /** A request was read. */
    boolean requested;
    /** No request was read in the protocol spoken now (the capture began later, or the protocol switched): a response answers one unseen. */
    boolean unasked;
    /** The last request was {@link Msg#OPAQUE}: whether anything is owed is not known. */
    boolean opaque;
    private long queue;
    private int queued;

    Owed() {
        reset();
    }

    void reset() {
        pending = 0;
        requested = false;
        unasked = true;
        opaque = false;
        queue = 0;
        queued = 0;
    }

    /**
     * Whether a message with {@code flags}, about to be {@link #account accounted}, is a request or an
     * answer: a response counts when a request was owed, or when none was read in this protocol (the
     * capture began after it, or it asked for the protocol switch). A message sent with nothing owed
     * (PostgreSQL's FATAL after an idle time, an error in place of a greeting) may be a goodbye, but it is
     * no one's response.
     */
    boolean counts(int flags) {
        return (flags & Msg.REQUEST) != 0
                || (flags & (Msg.RESPONSE | Msg.UNSOLICITED)) == Msg.RESPONSE && (pending > 0 || unasked);
    }

    /** A message with {@code flags} went by: a request is owed an answer, a response pays one (or all). */
    void account(int flags) {
        if ((flags & Msg.REQUEST) != 0) {
            if (pending < Integer.MAX_VALUE) {
                pending++;
            }
            requested = true;
            unasked = false;
            opaque = (flags & Msg.OPAQUE) != 0;
        } else if ((flags & (Msg.RESPONSE | Msg.UNSOLICITED)) == Msg.RESPONSE) {
            pending = (flags & Msg.ANSWERS_ALL) != 0 || pending == 0 ? 0 : pending - 1;
        }
    }

    /** Appends a 2-bit entry to the FIFO (at most 32 kept; older ones are dropped). */
    void push(int v) {
        if (queued == 32) {
            pop();
        }
        queue |= (long) (v & 3) << (2 * queued);
        queued++;
    }

    /** Takes the oldest FIFO entry, 0 when empty. */
    int pop() {
        if (queued == 0) {
            return 0;
        }
        int v = (int) (queue & 3);
        queue >>>= 2;
        queued--;
        return v;
    }
}
