package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.Bytes;

import static dev.tcpautopsy.capture.Bytes.u16be;

/**
 * The less common layers: VLAN stacks, LLC/SNAP, loopback headers, IPv6 extension chains, and
 * the tunnels whose inner TCP Wireshark shows (GRE with TEB, ERSPAN and PPTP, VXLAN, GENEVE,
 * IP-in-IP, IPv6-in-IP, Teredo, GTP-U, MPLS, PPPoE). Inner packets go back to
 * {@link PacketDecoder} one level deeper; the depth is bounded. Anything else is counted by name.
 */
final class Encapsulations {
    private final PacketDecoder d;
    private final Counters c;
    /** Set by {@link #skipExtensions}: the protocol after the IPv6 extension headers. */
    int nextHeader;
    /** Set by {@link #skipExtensions}: a fragment header with offset 0 and more fragments to come. */
    boolean firstFragment;

    Encapsulations(PacketDecoder d) {
        this.d = d;
        this.c = d.counts;
    }

    boolean etherTypeSlow(int type, byte[] b, int p, int end, TcpSegment out, int depth) {
        if (type == 0x86DD) {
            return d.ipv6(b, p, end, out, depth);
        }
        if (isVlan(type)) {
            // 802.1Q, 802.1ad and the pre-standard QinQ tags, stacked any number of times
            c.tunnels[Tunnel.VLAN.ordinal()]++;
            do {
                if (end - p < 4) {
                    return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
                }
                type = u16be(b, p + 2);
                p += 4;
            } while (isVlan(type));
            return d.etherType(type, b, p, end, out, depth);
        }
        if (type <= 1500) {
            // an 802.3 length: LLC, and SNAP with an EtherType (AA AA 03, OUI 0)
            if (end - p >= 8 && (b[p] & 0xFF) == 0xAA && (b[p + 1] & 0xFF) == 0xAA && b[p + 2] == 3
                    && b[p + 3] == 0 && b[p + 4] == 0 && b[p + 5] == 0) {
                return d.etherType(u16be(b, p + 6), b, p + 8, end, out, depth);
            }
            return c.other(Counters.LLC);
        }
        switch (type) {
            case 0x8847:
            case 0x8848:
                return mpls(b, p, end, out, depth);
            case 0x8864:
                return pppoe(b, p, end, out, depth);
            case 0x6558:
                return d.ethernet(b, p, end, out, depth);
            case 0x8926: // Cisco VN-Tag: 4 bytes, then the next EtherType
                if (end - p < 6) {
                    return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
                }
                return d.etherType(u16be(b, p + 4), b, p + 6, end, out, depth);
            case 0x88E7: // 802.1ah backbone service instance tag, then the customer's Ethernet header
                return end - p < 4 ? c.anomaly(Anomaly.TRUNCATED_LINK_HEADER) : d.ethernet(b, p + 4, end, out, depth);
            case 0x8903: // Cisco FabricPath: FTag/TTL, then the inner Ethernet header
                return end - p < 2 ? c.anomaly(Anomaly.TRUNCATED_LINK_HEADER) : d.ethernet(b, p + 2, end, out, depth);
            default:
                return c.other(Counters.ETHERTYPE | type);
        }
    }

    private static boolean isVlan(int type) {
        return type == 0x8100 || type == 0x88A8 || type == 0x9100 || type == 0x9200;
    }

    /** BSD loopback (NULL: host byte order; LOOP: network order) with its 4-byte AF_ value. */
    boolean loopback(int lt, byte[] b, int p, int end, TcpSegment out) {
        if (end - p < 4) {
            return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
        }
        int af = Bytes.i32be(b, p);
        if (lt == LinkTypes.NULL && (af & 0xFFFF_0000) != 0) {
            af = Integer.reverseBytes(af); // written by a little-endian host
        }
        switch (af) {
            case 2:
                return d.ipv4(b, p + 4, end, out, 0);
            case 24: // NetBSD, OpenBSD
            case 28: // FreeBSD
            case 30: // Darwin
                return d.ipv6(b, p + 4, end, out, 0);
            default:
                if (af > 1500 && af <= 0xFFFF) {
                    return d.etherType(af, b, p + 4, end, out, 0); // some writers put an EtherType there
                }
                return c.other(Counters.LOOPBACK_AF | (af & 0xFFFF));
        }
    }

    /**
     * Walks the IPv6 extension headers from {@code b[p]} with next header {@code next}.
     *
     * @return the offset of the upper-layer header ({@link #nextHeader} says which), or -1 when
     *         there is none to decode (a later fragment, ESP, a damaged chain: counted here)
     */
    int skipExtensions(int next, byte[] b, int p, int end) {
        firstFragment = false;
        for (;;) {
            switch (next) {
                case 0: // hop-by-hop
                case 43: // routing
                case 60: // destination options
                case 135: // mobility
                    if (end - p < 8) {
                        return fail(Anomaly.TRUNCATED_IPV6_EXTENSION);
                    }
                    next = b[p] & 0xFF;
                    p += ((b[p + 1] & 0xFF) + 1) * 8;
                    break;
                case 51: // AH: length in 4-byte units, minus 2
                    if (end - p < 8) {
                        return fail(Anomaly.TRUNCATED_IPV6_EXTENSION);
                    }
                    next = b[p] & 0xFF;
                    p += ((b[p + 1] & 0xFF) + 2) * 4;
                    break;
                case 44: // fragment
                    if (end - p < 8) {
                        return fail(Anomaly.TRUNCATED_IPV6_EXTENSION);
                    }
                    int fo = u16be(b, p + 2);
                    c.fragments++;
                    if ((fo & 0xFFF8) != 0) {
                        return -1; // not the first fragment
                    }
                    firstFragment = (fo & 1) != 0;
                    next = b[p] & 0xFF;
                    p += 8;
                    break;
                default:
                    if (p > end) {
                        return fail(Anomaly.TRUNCATED_IPV6_EXTENSION);
                    }
                    nextHeader = next;
                    return p;
            }
        }
    }

    private int fail(Anomaly a) {
        c.anomaly(a);
        return -1;
    }

    /** What an IP header carries when it is not TCP: tunnels are followed, the rest counted. */
    boolean ipPayload(int proto, byte[] b, int p, int end, TcpSegment out, int depth) {
        switch (proto) {
            case 4:
                return deeper(Tunnel.IPIP, depth) && d.ipv4(b, p, end, out, depth + 1);
            case 41:
                return deeper(Tunnel.IP6IP, depth) && d.ipv6(b, p, end, out, depth + 1);
            case 47:
                return Tunnels.gre(d, c, b, p, end, out, depth);
            case 17:
                return Tunnels.udp(d, c, b, p, end, out, depth);
            case 1:
                return c.other(quotesTcp(b, p, end, false) ? Counters.QUOTED_TCP | 4 : Counters.IP_PROTO | 1);
            case 58:
                return c.other(quotesTcp(b, p, end, true) ? Counters.QUOTED_TCP | 6 : Counters.IP_PROTO | 58);
            default:
                return c.other(Counters.IP_PROTO | proto);
        }
    }

    /**
     * Whether an ICMP error (RFC 792 destination unreachable, source quench, redirect, time
     * exceeded, parameter problem; RFC 4443 types 1 to 4) quotes the start of a TCP segment. It is
     * not a segment of that flow and is not decoded as one, but Wireshark's {@code tcp} filter
     * matches it, so it is counted apart.
     */
    private static boolean quotesTcp(byte[] b, int p, int end, boolean v6) {
        if (end - p < 8) {
            return false;
        }
        int type = b[p] & 0xFF;
        int q = p + 8;
        if (!v6) {
            if (type != 3 && type != 4 && type != 5 && type != 11 && type != 12) {
                return false;
            }
            if (end - q < 20 || (b[q] & 0xF0) != 0x40) {
                return false;
            }
            int ihl = (b[q] & 0x0F) * 4;
            return ihl >= 20 && end - q >= ihl + 4 && b[q + 9] == 6 && (u16be(b, q + 6) & 0x1FFF) == 0;
        }
        return type >= 1 && type <= 4 && end - q >= 44 && (b[q] & 0xF0) == 0x60 && b[q + 6] == 6;
    }

    /** Counts the tunnel; {@code false} (and an anomaly) when nesting is too deep to follow. */
    boolean deeper(Tunnel t, int depth) {
        c.tunnels[t.ordinal()]++;
        return depth < PacketDecoder.MAX_DEPTH || c.anomaly(Anomaly.TUNNEL_TOO_DEEP);
    }

    private boolean mpls(byte[] b, int p, int end, TcpSegment out, int depth) {
        if (!deeper(Tunnel.MPLS, depth)) {
            return false;
        }
        for (;;) {
            if (end - p < 4) {
                return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
            }
            boolean bottom = (b[p + 2] & 1) != 0;
            p += 4;
            if (bottom) {
                break;
            }
        }
        // no protocol field after the label stack: like Wireshark, guess from the first nibble
        if (end - p < 1) {
            return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
        }
        int v = (b[p] & 0xF0) >>> 4;
        if (v == 4 || v == 6) {
            return d.rawIp(b, p, end, out, depth + 1);
        }
        return c.other(Counters.ETHERTYPE | 0x8847);
    }

    private boolean pppoe(byte[] b, int p, int end, TcpSegment out, int depth) {
        if (!deeper(Tunnel.PPPOE, depth)) {
            return false;
        }
        if (end - p < 6) {
            return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
        }
        // RFC 2516: the session header's length bounds the PPP payload; what follows is Ethernet padding,
        // which an inner IP header claiming more must not turn into TCP payload (Wireshark bounds it too)
        int payloadEnd = p + 6 + u16be(b, p + 4);
        if (payloadEnd < d.wireEnd) {
            d.wireEnd = payloadEnd;
        }
        return ppp(b, p + 6, Math.min(end, payloadEnd), out, depth + 1);
    }

    /** A PPP frame, with or without HDLC address/control and with 1- or 2-byte protocol. */
    boolean ppp(byte[] b, int p, int end, TcpSegment out, int depth) {
        if (end - p >= 2 && (b[p] & 0xFF) == 0xFF && b[p + 1] == 0x03) {
            p += 2;
        }
        if (end - p < 1) {
            return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
        }
        int proto = b[p] & 0xFF;
        if ((proto & 1) != 0) {
            p += 1; // protocol field compression (RFC 1661 6.5)
        } else {
            if (end - p < 2) {
                return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
            }
            proto = u16be(b, p);
            p += 2;
        }
        switch (proto) {
            case 0x0021:
                return d.ipv4(b, p, end, out, depth);
            case 0x0057:
                return d.ipv6(b, p, end, out, depth);
            case 0x0281:
                return mpls(b, p, end, out, depth);
            default:
                return c.other(Counters.PPP_PROTO | proto);
        }
    }
}
