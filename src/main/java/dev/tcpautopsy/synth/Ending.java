package dev.tcpautopsy.synth;

import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.TerminationClass;

import java.util.List;

/**
 * The ways a synthetic connection can end: each one a Linux-shaped script whose class, {@code by}
 * and tags per the termination contract are known before a packet is written. Several variants
 * may share a class (who closed, how the middlebox acted).
 */
public enum Ending {
    /** Client closes first with FIN; server answers with its own FIN. */
    FIN_CLIENT(TerminationClass.FIN_ORDERLY, By.CLIENT),
    /** Server closes first with FIN (e.g. HTTP/1.0 after the response). */
    FIN_SERVER(TerminationClass.FIN_ORDERLY, By.SERVER),
    /** Client sends a last message, gets it acked, then aborts (SO_LINGER 0): RST|ACK at snd_nxt. */
    RST_ABORT_CLIENT(TerminationClass.RST_ABORT, By.CLIENT),
    /** Server aborts after its response, with nothing unread. */
    RST_ABORT_SERVER(TerminationClass.RST_ABORT, By.SERVER),
    /** Client closes while the response is still unread: RST|ACK instead of FIN. */
    RST_UNREAD_CLIENT(TerminationClass.RST_UNREAD_DATA, By.CLIENT),
    /** Server closes with a pipelined request unread. */
    RST_UNREAD_SERVER(TerminationClass.RST_UNREAD_DATA, By.SERVER),
    /** Client closed (FIN); the server writes late; the client kernel answers with a bare RST at FIN+1. */
    RST_AFTER_CLOSE_CLIENT(TerminationClass.RST_AFTER_CLOSE, By.CLIENT),
    /** Server closed an idle keep-alive connection; the client writes into it and is reset. */
    RST_AFTER_CLOSE_SERVER(TerminationClass.RST_AFTER_CLOSE, By.SERVER),
    /** Nothing listens: the SYN is answered by RST|ACK with seq 0. */
    REFUSED_SERVER(TerminationClass.REFUSED, By.SERVER),
    /** A firewall REJECTs the SYN with a RST carrying its own TTL. */
    REFUSED_FIREWALL(TerminationClass.REFUSED, By.MIDDLEBOX),
    /** The SYN is dropped: retransmitted 1 s apart four times, then with doubling gaps, then silence. */
    SYN_DROPPED(TerminationClass.HANDSHAKE_TIMEOUT, By.UNKNOWN),
    /** After an idle gap the client's application closes with FIN. */
    IDLE_FIN_CLIENT(TerminationClass.IDLE_TIMEOUT, By.CLIENT),
    /** After an idle gap the server's application closes with FIN. */
    IDLE_FIN_SERVER(TerminationClass.IDLE_TIMEOUT, By.SERVER),
    /** After an idle gap a NAT / load balancer that forgot the flow resets the client's next request. */
    IDLE_RST_MIDDLEBOX(TerminationClass.IDLE_TIMEOUT, By.MIDDLEBOX),
    /** After an idle gap the client's next request is dropped: retransmissions with backoff, then silence. */
    IDLE_DROP(TerminationClass.IDLE_TIMEOUT, By.MIDDLEBOX, Tag.RETRANSMISSION_BACKOFF),
    /** An IPS injects a RST|ACK "from the server" with its own TTL; both ends fall silent. */
    INJECTED_RST(TerminationClass.MIDDLEBOX_RST, By.MIDDLEBOX),
    /** Injected RST towards the client only: the server's response keeps coming and the client resets it. */
    INJECTED_RST_LATE_DATA(TerminationClass.MIDDLEBOX_RST, By.MIDDLEBOX, Tag.DATA_AFTER_RST),
    /** A working flow is blackholed: the client retransmits with exponential backoff, then gives up silently. */
    BLACKHOLE(TerminationClass.MIDDLEBOX_DROP, By.MIDDLEBOX, Tag.RETRANSMISSION_BACKOFF),
    /** The client stops reading a download: its window closes, the server probes, then aborts with RST. */
    ZERO_WINDOW_CLIENT(TerminationClass.ZERO_WINDOW_STALL, By.CLIENT),
    /** Still exchanging requests when the capture ends. */
    OPEN_EXCHANGING(TerminationClass.OPEN_AT_END, By.UNKNOWN),
    /** The client half-closed (FIN) and the server is still streaming when the capture ends. */
    OPEN_HALF_CLOSED(TerminationClass.OPEN_AT_END, By.CLIENT, Tag.HALF_CLOSED);

    private final TerminationClass cls;
    private final By by;
    private final List<Tag> tags;

    Ending(TerminationClass cls, By by, Tag... tags) {
        this.cls = cls;
        this.by = by;
        this.tags = List.of(tags);
    }

    public TerminationClass terminationClass() {
        return cls;
    }

    public By by() {
        return by;
    }

    public List<Tag> tags() {
        return tags;
    }

    /** Whether the flow lasts until the capture is cut rather than ending by itself. */
    boolean openEnded() {
        return cls == TerminationClass.OPEN_AT_END;
    }

    /** Whether the flow starts with a completed handshake and exchanges data before its ending. */
    boolean exchanges() {
        return this != REFUSED_SERVER && this != REFUSED_FIREWALL && this != SYN_DROPPED;
    }
}
