package dev.tcpautopsy.decode;

import static dev.tcpautopsy.capture.Bytes.u16be;

/** GRE (RFC 2784/2890, PPTP's RFC 2637, ERSPAN) and the UDP tunnels, found by their ports. */
final class Tunnels {
    static final int VXLAN = 4789, GENEVE = 6081, TEREDO = 3544, GTP_U = 2152, GRE_IN_UDP = 4754, AYIYA = 5072;

    private Tunnels() {
    }

    static boolean gre(PacketDecoder d, Counters c, byte[] b, int p, int end, TcpSegment out, int depth) {
        if (end - p < 4) {
            return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
        }
        int flags = u16be(b, p);
        int proto = u16be(b, p + 2);
        int version = flags & 7;
        int q = p + 4;
        if (version == 0) {
            if ((flags & 0x4000) != 0) {
                return c.other(Counters.IP_PROTO | 47); // source routing (RFC 1701): not followed
            }
            q += ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0) + ((flags & 0x1000) != 0 ? 4 : 0);
        } else if (version == 1 && proto == 0x880B) {
            // PPTP's enhanced GRE: key always, then optional sequence and acknowledgement numbers
            q += 4 + ((flags & 0x1000) != 0 ? 4 : 0) + ((flags & 0x0080) != 0 ? 4 : 0);
        } else {
            return c.other(Counters.IP_PROTO | 47);
        }
        if (q > end) {
            return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
        }
        Encapsulations e = encaps(d);
        switch (proto) {
            case 0x6558: // transparent Ethernet bridging
                return e.deeper(Tunnel.GRE_TEB, depth) && d.ethernet(b, q, end, out, depth + 1);
            case 0x88BE: // ERSPAN type II (8-byte header) when sequenced, type I (none) otherwise
                q += (flags & 0x1000) != 0 ? 8 : 0;
                return e.deeper(Tunnel.ERSPAN, depth) && q <= end && d.ethernet(b, q, end, out, depth + 1);
            case 0x22EB: // ERSPAN type III: 12 bytes, plus an 8-byte platform subheader when O is set
                if (end - q < 12) {
                    return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
                }
                q += 12 + ((b[q + 11] & 1) != 0 ? 8 : 0);
                return e.deeper(Tunnel.ERSPAN, depth) && q <= end && d.ethernet(b, q, end, out, depth + 1);
            case 0x880B:
                return e.deeper(Tunnel.PPTP, depth) && e.ppp(b, q, end, out, depth + 1);
            case 0x883E: // WCCP redirection: a 4-byte redirect header unless IPv4 follows at once
                if (end - q < 1) {
                    return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
                }
                q += (b[q] & 0xF0) == 0x40 ? 0 : 4;
                return e.deeper(Tunnel.GRE, depth) && q <= end && d.ipv4(b, q, end, out, depth + 1);
            default:
                if (proto >= 0x8200 && proto <= 0x8300) { // Aruba access points: 802.11 frames in GRE
                    return e.deeper(Tunnel.GRE_WLAN, depth) && wlan(d, c, b, q, end, out, depth + 1);
                }
                return e.deeper(Tunnel.GRE, depth) && d.etherType(proto, b, q, end, out, depth + 1);
        }
    }

    static boolean udp(PacketDecoder d, Counters c, byte[] b, int p, int end, TcpSegment out, int depth) {
        if (end - p < 8) {
            return c.other(Counters.IP_PROTO | 17);
        }
        int sp = u16be(b, p), dp = u16be(b, p + 2);
        int q = p + 8;
        Encapsulations e = encaps(d);
        if (dp == VXLAN || sp == VXLAN) {
            if (end - q < 8) {
                return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
            }
            return e.deeper(Tunnel.VXLAN, depth) && d.ethernet(b, q + 8, end, out, depth + 1);
        }
        if (dp == GENEVE || sp == GENEVE) {
            if (end - q < 8) {
                return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
            }
            int opts = (b[q] & 0x3F) * 4;
            int proto = u16be(b, q + 2);
            q += 8 + opts;
            return e.deeper(Tunnel.GENEVE, depth) && q <= end && d.etherType(proto, b, q, end, out, depth + 1);
        }
        if (dp == TEREDO || sp == TEREDO) {
            return teredo(d, c, e, b, q, end, out, depth);
        }
        if (dp == GTP_U || sp == GTP_U) {
            return gtpu(d, c, e, b, q, end, out, depth);
        }
        if (dp == GRE_IN_UDP || sp == GRE_IN_UDP) {
            return gre(d, c, b, q, end, out, depth); // RFC 8086
        }
        if (dp == AYIYA || sp == AYIYA) {
            return ayiya(d, c, e, b, q, end, out, depth);
        }
        return c.other(Counters.IP_PROTO | 17);
    }

    private static boolean teredo(PacketDecoder d, Counters c, Encapsulations e, byte[] b, int q, int end,
                                  TcpSegment out, int depth) {
        // RFC 4380 5.1.1: optional authentication (0x0001) then origin indication (0x0000) headers
        if (end - q >= 4 && b[q] == 0 && b[q + 1] == 1) {
            q += 4 + (b[q + 2] & 0xFF) + (b[q + 3] & 0xFF) + 9;
        }
        if (end - q >= 8 && b[q] == 0 && b[q + 1] == 0) {
            q += 8;
        }
        if (end - q < 40 || (b[q] & 0xF0) != 0x60) {
            return c.other(Counters.IP_PROTO | 17); // not IPv6 inside: plain UDP on port 3544
        }
        return e.deeper(Tunnel.TEREDO, depth) && d.ipv6(b, q, end, out, depth + 1);
    }

    private static boolean gtpu(PacketDecoder d, Counters c, Encapsulations e, byte[] b, int q, int end,
                                TcpSegment out, int depth) {
        // 3GPP TS 29.281: version 1, message type 255 (G-PDU) carries the user's IP packet
        if (end - q < 8 || (b[q] & 0xE0) != 0x20 || (b[q + 1] & 0xFF) != 0xFF) {
            return c.other(Counters.IP_PROTO | 17);
        }
        int flags = b[q] & 0x07;
        q += 8;
        if (flags != 0) {
            if (end - q < 4) {
                return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
            }
            int ext = (flags & 0x04) != 0 ? b[q + 3] & 0xFF : 0;
            q += 4;
            while (ext != 0) { // extension headers: length in 4-byte units, next type in the last byte
                if (end - q < 4 || b[q] == 0) {
                    return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
                }
                int len = (b[q] & 0xFF) * 4;
                if (end - q < len) {
                    return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
                }
                ext = b[q + len - 1] & 0xFF;
                q += len;
            }
        }
        return e.deeper(Tunnel.GTP_U, depth) && d.rawIp(b, q, end, out, depth + 1);
    }

    /** An 802.11 data frame without FCS (IEEE 802.11-2020 9.3.2.1), then LLC/SNAP. */
    static boolean wlan(PacketDecoder d, Counters c, byte[] b, int q, int end, TcpSegment out, int depth) {
        if (end - q < 24) {
            return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
        }
        int fc0 = b[q] & 0xFF, fc1 = b[q + 1] & 0xFF;
        int type = (fc0 >>> 2) & 3, subtype = fc0 >>> 4;
        if (type != 2 || (subtype & 4) != 0 || (fc1 & 0x40) != 0) {
            return c.other(Counters.LINK_PROTO | 0x80); // management, control, null data or encrypted
        }
        int h = 24 + ((fc1 & 3) == 3 ? 6 : 0);
        if ((subtype & 8) != 0) { // QoS data: QoS control, and HT control when the order bit is set
            if (end - q < h + 2) {
                return c.anomaly(Anomaly.TRUNCATED_TUNNEL_HEADER);
            }
            if ((b[q + h] & 0x80) != 0) {
                return c.other(Counters.LINK_PROTO | 0x81); // A-MSDU: several packets, not followed
            }
            h += 2 + ((fc1 & 0x80) != 0 ? 4 : 0);
        }
        return q + h <= end && d.encaps.etherTypeSlow(0, b, q + h, end, out, depth);
    }

    private static boolean ayiya(PacketDecoder d, Counters c, Encapsulations e, byte[] b, int q, int end,
                                 TcpSegment out, int depth) {
        // Anything In Anything (draft-massar-v6ops-ayiya): identity of 2^n bytes, signature of 4m
        // bytes; opcode 1 forwards a packet whose protocol is the next-header byte
        if (end - q < 8 || (b[q + 2] & 0x0F) != 1) {
            return c.other(Counters.IP_PROTO | 17);
        }
        int next = b[q + 3] & 0xFF;
        q += 8 + (1 << ((b[q] & 0xF0) >>> 4)) + ((b[q + 1] & 0xF0) >>> 4) * 4;
        if (q > end || (next != 41 && next != 4)) {
            return c.other(Counters.IP_PROTO | 17);
        }
        return e.deeper(Tunnel.AYIYA, depth)
                && (next == 41 ? d.ipv6(b, q, end, out, depth + 1) : d.ipv4(b, q, end, out, depth + 1));
    }

    private static Encapsulations encaps(PacketDecoder d) {
        return d.encaps;
    }
}
