package dev.tcpautopsy.flow;

/**
 * Whether a connection outlived its RSTs (the contract's <em>ending</em>): a RST after which both sides
 * went on with new segments that the other acknowledged did not end it. In the handshake that is RFC
 * 793's half-open recovery (the client resets an ACK for a stale connection, then retries its SYN); later
 * it is a RST out of window, answered by a challenge ACK, or forged and too late. Once a RST is outlived
 * the endpoints forget it, so that the RST which did end the connection is the one the classifier reads;
 * the first one outlived is remembered here for the tags and the evidence. Reused with its connection.
 */
final class Survival {
    /** The first RST not yet outlived, 0 when none is pending. */
    private long pendingFrame;
    /** The pending RST came before the server's SYN-ACK: the client reset a stale connection's ACK. */
    private boolean pendingBeforeSynAck;
    /** Per side (a, b): the end of the sequence space sent since the pending RST, and whether the peer acked it. */
    private long endA = -1, endB = -1;
    private boolean ackedA, ackedB;
    /** Per side (a, b): the highest position it acknowledged since the pending RST, -1 when none. */
    private long ackByA = -1, ackByB = -1;

    /** The first RST the connection outlived (0: none), its sender and TTL, and how many RSTs it outlived. */
    long frame, nanos;
    boolean fromClient;
    int ttl = -1;
    int count;
    /** The outlived RST was the client's, in a handshake it then completed by retrying its SYN. */
    boolean halfOpen;

    void clear() {
        pendingFrame = 0;
        pendingBeforeSynAck = false;
        endA = endB = -1;
        ackedA = ackedB = false;
        ackByA = ackByB = -1;
        frame = nanos = 0;
        fromClient = halfOpen = false;
        ttl = -1;
        count = 0;
    }

    /** A RST was sent: the first since the last one outlived starts the watch. */
    void onRst(long rstFrame, boolean beforeSynAck) {
        if (pendingFrame == 0) {
            pendingFrame = rstFrame;
            pendingBeforeSynAck = beforeSynAck;
            endA = endB = -1;
            ackedA = ackedB = false;
            ackByA = ackByB = -1;
        }
    }

    /**
     * A segment other than a RST, after a pending RST: {@code seqEnd} is the end of the sequence space it
     * occupies (-1 when none), {@code ack} the position it acknowledges in the peer's space (-1 when none).
     *
     * @return whether the connection has now outlived the pending RST
     */
    boolean onSegment(boolean fromA, long seqEnd, long ack) {
        if (pendingFrame == 0) {
            return false;
        }
        if (fromA) {
            endA = Math.max(endA, seqEnd);
            ackedB |= ack >= 0 && endB >= 0 && ack >= endB;
            ackByA = Math.max(ackByA, ack);
        } else {
            endB = Math.max(endB, seqEnd);
            ackedA |= ack >= 0 && endA >= 0 && ack >= endA;
            ackByB = Math.max(ackByB, ack);
        }
        return ackedA && ackedB;
    }

    boolean pending() {
        return pendingFrame != 0;
    }

    /** The highest position side a (or b) acknowledged since the pending RST, -1 when none. */
    long ackSince(boolean a) {
        return a ? ackByA : ackByB;
    }

    /** The RST whose outcome is being watched, 0 when none. */
    long pendingFrame() {
        return pendingFrame;
    }

    /** Records the pending RST as outlived (the first one is kept) and stops the watch. */
    void outlived(long rstFrame, long rstNanos, boolean rstFromClient, int rstTtl, int rsts) {
        if (frame == 0) {
            frame = rstFrame;
            nanos = rstNanos;
            fromClient = rstFromClient;
            ttl = rstTtl;
            halfOpen = pendingBeforeSynAck && rstFromClient;
        }
        count += rsts;
        pendingFrame = 0;
    }
}
