package dev.tcpautopsy.model;

/** Patterns that ride along with a verdict ({@code termination.tags}). */
public enum Tag {
    /** A FIN or RST crossed in flight with data the peer had already sent (HTTP keep-alive race). */
    KEEPALIVE_RACE,
    /** The claimed RST sender kept sending after its RST: a sign of injection. */
    DATA_AFTER_RST,
    /** The 4-tuple was reused by a later flow. */
    PORT_REUSE,
    /** Keep-alive probes went unanswered. */
    KEEPALIVE_UNANSWERED,
    /** Exponentially growing retransmission gaps before the end. */
    RETRANSMISSION_BACKOFF,
    /** No handshake seen. */
    MIDSTREAM,
    /** Closed in one direction only. */
    HALF_CLOSED
}
