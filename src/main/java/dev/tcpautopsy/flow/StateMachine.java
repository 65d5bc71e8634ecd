package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;

/**
 * Side state transitions (after Zeek's {@code UpdateStateMachine}): a switch on the sender's
 * current state, one small method per state. RST and FIN win from any state that has not already
 * reset; the handshake states advance on the sender's own flags or, for SYN_ACK_SENT, on the peer's
 * acknowledgement of the SYN-ACK.
 */
final class StateMachine {
    private static final int SYN = TcpSegment.SYN, ACK = TcpSegment.ACK, FIN = TcpSegment.FIN, RST = TcpSegment.RST;

    private StateMachine() {
    }

    /** The sender's state after sending a segment with {@code flags}. */
    static EndpointState onSend(EndpointState s, int flags) {
        if (s == EndpointState.RESET) {
            return s;
        }
        if ((flags & RST) != 0) {
            return EndpointState.RESET;
        }
        if (s == EndpointState.CLOSED) {
            return s;
        }
        if ((flags & FIN) != 0) {
            return EndpointState.CLOSED;
        }
        switch (s) {
            case INACTIVE:
                return inactive(flags);
            case SYN_SENT:
                return synSent(flags);
            case SYN_ACK_SENT:
                return synAckSent(flags);
            default:
                return s;
        }
    }

    /** The receiver's state after the peer acknowledged its SYN (or SYN-ACK). */
    static EndpointState onPeerAckedSyn(EndpointState s) {
        return s == EndpointState.SYN_ACK_SENT || s == EndpointState.SYN_SENT ? EndpointState.ESTABLISHED : s;
    }

    private static EndpointState inactive(int flags) {
        if ((flags & SYN) != 0) {
            return (flags & ACK) != 0 ? EndpointState.SYN_ACK_SENT : EndpointState.SYN_SENT;
        }
        return EndpointState.PARTIAL;
    }

    private static EndpointState synSent(int flags) {
        if ((flags & SYN) != 0) {
            // simultaneous open: our SYN crossed theirs, now we acknowledge theirs
            return (flags & ACK) != 0 ? EndpointState.SYN_ACK_SENT : EndpointState.SYN_SENT;
        }
        return (flags & ACK) != 0 ? EndpointState.ESTABLISHED : EndpointState.SYN_SENT;
    }

    private static EndpointState synAckSent(int flags) {
        return (flags & (SYN | ACK)) == ACK ? EndpointState.ESTABLISHED : EndpointState.SYN_ACK_SENT;
    }
}
