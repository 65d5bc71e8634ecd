package dev.tcpautopsy.model;

/**
 * How a connection ended: the classes of the termination contract, in precedence order
 * (when several fit, the first one wins).
 */
public enum TerminationClass {
    /** The SYN was answered by RST. */
    REFUSED("connection refused"),
    /** SYN (or SYN-ACK) retransmitted and never answered. */
    HANDSHAKE_TIMEOUT("handshake timed out"),
    /** An idle gap at or above the threshold, then the ending. */
    IDLE_TIMEOUT("idle timeout"),
    /** A RST that its claimed sender did not send. */
    MIDDLEBOX_RST("RST injected by a middlebox"),
    /** A working flow that one side stopped hearing from, retransmitting or probing until the end. */
    MIDDLEBOX_DROP("dropped in the path (blackhole)"),
    /** A zero window held until the end while the peer probed it. */
    ZERO_WINDOW_STALL("zero-window stall"),
    /** RST after the sender's own FIN, answering data written after close. */
    RST_AFTER_CLOSE("write after close"),
    /** RST instead of FIN while received data was still unread. */
    RST_UNREAD_DATA("RST with unread data"),
    /** RST without FIN and without unread data: abortive close. */
    RST_ABORT("abortive RST"),
    /** Both directions closed with FIN and all data acknowledged. */
    FIN_ORDERLY("orderly close"),
    /** Still open (or half-closed) when the capture ended. */
    OPEN_AT_END("open at capture end"),
    /** None of the above fits. */
    UNCLASSIFIED("unclassified");

    private final String label;

    TerminationClass(String label) {
        this.label = label;
    }

    /** A short human label for charts and tables. */
    public String label() {
        return label;
    }

    /** Whether an on-call engineer would want to look at this ending. */
    public boolean isAbnormal() {
        return this != FIN_ORDERLY && this != OPEN_AT_END;
    }
}
