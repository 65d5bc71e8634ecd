package dev.tcpautopsy.flow;

/** The state of one direction of a connection, in the manner of Zeek's {@code TCP_Endpoint}. */
public enum EndpointState {
    /** Nothing sent yet. */
    INACTIVE,
    /** SYN sent, no ACK of anything yet. */
    SYN_SENT,
    /** SYN-ACK sent, the peer's ACK of it not seen yet. */
    SYN_ACK_SENT,
    /** Sent segments without a SYN having been seen (the capture began mid-stream). */
    PARTIAL,
    /** Handshake done as far as this side is concerned. */
    ESTABLISHED,
    /** FIN sent. */
    CLOSED,
    /** RST sent. */
    RESET;

    private static final EndpointState[] BY_ORDINAL = values();

    /** The state of ordinal {@code n}: for state kept as a number in pooled objects (see {@link Side#state()}). */
    static EndpointState of(int n) {
        return BY_ORDINAL[n];
    }
}
