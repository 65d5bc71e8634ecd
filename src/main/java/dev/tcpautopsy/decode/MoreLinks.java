package dev.tcpautopsy.decode;

import static dev.tcpautopsy.capture.Bytes.u16be;
import static dev.tcpautopsy.capture.Bytes.u16le;

/**
 * Link types decoded natively beyond the main set, because their TCP is cheap to reach and
 * pcap4j does not (or not fully) decode them: PPP (9, 50, with MPLS), Cisco HDLC (104), FDDI (10),
 * ARCNET on Linux (129), IP over InfiniBand (242), Juniper Ethernet (178) and Linux NFLOG (239).
 */
final class MoreLinks {
    static final int FDDI = 10, PPP = 9, PPP_HDLC = 50, C_HDLC = 104, ARCNET_LINUX = 129, JUNIPER_ETHER = 178,
            NFLOG = 239, IPOIB = 242;

    private final PacketDecoder d;
    private final Counters c;

    MoreLinks(PacketDecoder d) {
        this.d = d;
        this.c = d.counts;
    }

    static boolean handles(int lt) {
        switch (lt) {
            case FDDI: case PPP: case PPP_HDLC: case C_HDLC: case ARCNET_LINUX: case JUNIPER_ETHER: case NFLOG:
            case IPOIB:
                return true;
            default:
                return false;
        }
    }

    boolean decode(int lt, byte[] b, int p, int end, TcpSegment out) {
        switch (lt) {
            case PPP:
                return d.encaps.ppp(b, p, end, out, 0);
            case PPP_HDLC:
            case C_HDLC:
                if (end - p >= 1 && ((b[p] & 0xFF) == 0x0F || (b[p] & 0xFF) == 0x8F)) {
                    // Cisco HDLC: address, control, then an EtherType
                    if (end - p < 4) {
                        return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
                    }
                    return d.etherType(u16be(b, p + 2), b, p + 4, end, out, 0);
                }
                return d.encaps.ppp(b, p, end, out, 0);
            case FDDI:
                // frame control, destination and source addresses, then 802.2 LLC
                if (end - p < 13) {
                    return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
                }
                return d.encaps.etherTypeSlow(0, b, p + 13, end, out, 0);
            case ARCNET_LINUX:
                return arcnet(b, p, end, out);
            case IPOIB:
                // RFC 4391 6 as libpcap writes it: 40 bytes of addresses, EtherType, 2 reserved bytes
                if (end - p < 44) {
                    return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
                }
                return d.etherType(u16be(b, p + 40), b, p + 44, end, out, 0);
            case JUNIPER_ETHER:
                return juniper(b, p, end, out);
            case NFLOG:
                return nflog(b, p, end, out);
            default:
                return false;
        }
    }

    private boolean arcnet(byte[] b, int p, int end, TcpSegment out) {
        // source, destination, two bytes of offset, then the protocol id
        if (end - p < 5) {
            return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
        }
        int proto = b[p + 4] & 0xFF;
        int q = p + 5;
        if (proto == 0xD4 || proto == 0xD7 || proto == 0xD5) {
            // RFC 1201: split flag and sequence number (and 4 more bytes for an exception packet)
            if (end - q < 3) {
                return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
            }
            q += (b[q] & 0xFF) == 0xFF ? 7 : 3;
        } else if (proto != 0xF0 && proto != 0xF1) { // RFC 1051 IP / ARP
            return c.other(Counters.LINK_PROTO | proto);
        }
        if (proto == 0xD4 || proto == 0xF0) {
            return d.ipv4(b, q, end, out, 0);
        }
        if (proto == 0xD7) {
            return d.ipv6(b, q, end, out, 0);
        }
        return c.other(Counters.LINK_PROTO | proto);
    }

    private boolean juniper(byte[] b, int p, int end, TcpSegment out) {
        // "MGC", flags; with the extension flag a 2-byte length of TLVs follows
        if (end - p < 4 || b[p] != 'M' || b[p + 1] != 'G' || b[p + 2] != 'C') {
            return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
        }
        int flags = b[p + 3] & 0xFF;
        int q = p + 4;
        if ((flags & 0x80) != 0) {
            if (end - q < 2) {
                return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
            }
            q += 2 + u16be(b, q);
        }
        if ((flags & 0x02) != 0) {
            return c.other(Counters.LINK_PROTO | flags); // no layer 2 header: not followed
        }
        return q <= end ? d.ethernet(b, q, end, out, 0) : c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
    }

    private boolean nflog(byte[] b, int p, int end, TcpSegment out) {
        // family, version, resource id, then TLVs in host (little-endian) order; type 9 is the packet
        int q = p + 4;
        while (end - q >= 4) {
            int len = u16le(b, q);
            int type = u16le(b, q + 2);
            if (len < 4) {
                return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
            }
            if (type == 9) {
                int stop = Math.min(end, q + len);
                d.wireEnd = Math.min(d.wireEnd, q + len);
                return d.rawIp(b, q + 4, stop, out, 0);
            }
            q += (len + 3) & ~3;
        }
        return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
    }
}
