package dev.tcpautopsy.model;

/** What a finding is about ({@code findings[].kind} of the contract). */
public enum FindingKind {
    /** One endpoint and side closes connections idle for one length of time: a timer. */
    IDLE_TIMEOUT_SETTING,
    /** An endpoint closes idle connections sooner than its peers use them again: requests cross its close. */
    KEEPALIVE_RACE,
    /** RSTs that one device between the ends forged, told by their fingerprint (TTL, window, IP ID). */
    INJECTED_RST,
    /** Connections to one endpoint whose packets a path dropped without a word. */
    BLACKHOLE,
    /** One host ended many connections at one instant. */
    HOST_BURST,
    /** A port that refuses connections, by the server host or by a firewall in front of it. */
    REFUSED_SERVICE,
    /** SYNs to one destination unanswered, or answered only after retries. */
    HANDSHAKE_FAILURES,
    /** A reader that stopped reading: its zero window stalled its peers. */
    ZERO_WINDOW_RECEIVER,
    /** An application that turned its clients away with a goodbye message. */
    APP_REJECTIONS
}
