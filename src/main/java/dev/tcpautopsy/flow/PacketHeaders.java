package dev.tcpautopsy.flow;

/**
 * The raw header bytes (link layer through TCP header, cut at a fixed length) that flow tracking kept
 * for the packets of a finished connection that can serve as evidence. An instance handed to a
 * {@link FlowListener} is valid only during the call; {@link #snapshot} makes a lasting copy.
 */
public interface PacketHeaders {
    PacketHeaders NONE = new PacketHeaders() {
        @Override
        public byte[] headerBytes(long frame) {
            return null;
        }

        @Override
        public int linkType(long frame) {
            return -1;
        }

        @Override
        public PacketHeaders snapshot() {
            return this;
        }
    };

    /** A copy of the kept header bytes of {@code frame}, or {@code null} when they were not kept. */
    byte[] headerBytes(long frame);

    /** The LINKTYPE_ of {@code frame}'s record, -1 when its headers were not kept. */
    int linkType(long frame);

    /** A copy that stays valid after the listener call returns. */
    PacketHeaders snapshot();
}
