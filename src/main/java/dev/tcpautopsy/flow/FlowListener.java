package dev.tcpautopsy.flow;

/** Receives each connection once it is finished, in the order connections finish (not stream order). */
public interface FlowListener {

    /**
     * A connection ended (RST, or both FINs acknowledged, and nothing more for the linger time), its
     * 4-tuple was reused, or the capture ended with it open.
     *
     * @param headers valid only during this call (see {@link PacketHeaders#snapshot})
     */
    void finished(FlowFacts facts, PacketHeaders headers);

    /**
     * A new connection reused the 4-tuple of {@code stream}, which was already handed on: it deserves
     * the {@code PORT_REUSE} tag after the fact.
     */
    default void reusedLater(long stream) {
    }
}
