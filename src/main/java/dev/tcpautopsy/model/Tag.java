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
    HALF_CLOSED,
    /**
     * The client reset an ACK for a stale connection in its handshake and completed it by retrying its
     * SYN (RFC 793 half-open recovery): a slow connect, not an ending.
     */
    HALF_OPEN_RECOVERY,
    /** A RST the connection outlived: both sides went on afterwards; its ending came later. */
    IGNORED_RST,
    /** The same host ended three or more connections within 10 ms: one event (a process exit, a restart, a sweep). */
    HOST_BURST,
    /** A request crossed the close: it was sent when the peer had already closed, and never answered. */
    REQUEST_LOST,
    /**
     * A goodbye that refused the client: MySQL 1130/1045, PostgreSQL FATAL 28P01/57P01/57P05, HTTP 4xx/5xx
     * before the close, SMTP 421/554.
     */
    APP_REJECTED
}
