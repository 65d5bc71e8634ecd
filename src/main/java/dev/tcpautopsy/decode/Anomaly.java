package dev.tcpautopsy.decode;

/**
 * Per-packet problems. Each skips the packet (unless noted) and is counted; the run goes on.
 * The names are stable: reports show them.
 */
public enum Anomaly {
    /** The link-layer header (Ethernet, VLAN tag, SLL, loopback AF) is cut short. */
    TRUNCATED_LINK_HEADER,
    /** The IPv4 or IPv6 fixed header is cut short by the snapshot length. */
    TRUNCATED_IP_HEADER,
    /** The version nibble is not the one the link layer announced. */
    BAD_IP_VERSION,
    /** IPv4 header length below 20 bytes. */
    BAD_IPV4_IHL,
    /** IP total/payload length smaller than the headers it must hold. */
    BAD_IP_LENGTH,
    /** IP length larger than the frame on the wire: payload taken from the frame (not skipped). */
    IP_LENGTH_EXCEEDS_FRAME,
    /** An IPv6 extension header is cut short or runs past the packet. */
    TRUNCATED_IPV6_EXTENSION,
    /** The TCP fixed header or its options are cut short by the snapshot length (the ports were captured). */
    TRUNCATED_TCP_HEADER,
    /** The IP header says TCP but fewer than 4 bytes of it, not even the ports, were captured. */
    TCP_PORTS_NOT_CAPTURED,
    /** A first fragment too short to hold the whole TCP header: the rest is in later fragments. */
    TCP_HEADER_SPLIT_BY_FRAGMENTATION,
    /** TCP data offset below 5 words, or beyond the segment the IP header describes. */
    BAD_TCP_DATA_OFFSET,
    /** A TCP option with an impossible length: options after it are ignored (not skipped). */
    BAD_TCP_OPTION,
    /** A tunnel or encapsulation header (GRE, UDP, VXLAN, MPLS, PPPoE, ...) is cut short. */
    TRUNCATED_TUNNEL_HEADER,
    /** More nested encapsulations than the decoder follows. */
    TUNNEL_TOO_DEEP,
    /** The fallback decoder (pcap4j) failed on this packet. */
    FALLBACK_DECODER_FAILED
}
