package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.model.DecodeStats;
import dev.tcpautopsy.model.LinkTypeCount;

import java.util.List;

import static dev.tcpautopsy.capture.Bytes.i64be;
import static dev.tcpautopsy.capture.Bytes.u16be;
import static dev.tcpautopsy.capture.Bytes.u32be;

/**
 * Decodes link, IP and TCP headers of one record at a time into a reused {@link TcpSegment}.
 *
 * <p>The hot path is offsets into the reader's buffer: {@code end} is the captured end of the
 * current layer, {@link #wireEnd} its end on the wire (from the frame length, then from each IP
 * length), so payload lengths come from the IP header, never from the snapshot length. Nothing is
 * allocated per packet; counters are plain fields turned into the model by {@link #stats()}.
 * Encapsulations are followed to the TCP that Wireshark would show (see {@link Encapsulations});
 * link types outside the native set go to pcap4j ({@link Pcap4jFallback}), a slow path.
 * Checksums are never checked: captures taken on a host carry offloaded, unfilled checksums.
 *
 * <p>One decoder per capture, one thread. Large by intent (like jackson's parser): the layers call
 * each other for tunnels, and keeping them in one class keeps the hot path inlinable.
 */
public final class PacketDecoder {
    static final int MAX_DEPTH = 8;
    private static final long V4_MAPPED = 0x0000_ffff_0000_0000L;

    final Counters counts = new Counters();
    final Encapsulations encaps = new Encapsulations(this);
    private final MoreLinks moreLinks = new MoreLinks(this);
    private Pcap4jFallback fallback;
    /** End of the current layer on the wire; never below the captured end. */
    int wireEnd;
    /** Whether the current packet's outermost IP header was counted. */
    private boolean sawIp;

    /**
     * Decodes {@code rec}; on {@code true}, {@code out} holds a TCP segment (its payload offset
     * points into {@code rec.buf}). On {@code false} the record was not TCP, or was damaged (and
     * counted as an anomaly); {@code out} is then undefined.
     */
    public boolean decode(PacketRecord rec, TcpSegment out) {
        Counters c = counts;
        c.packets++;
        int lt = rec.linkType;
        c.linkTypes.add(lt);
        byte[] b = rec.buf;
        int off = rec.off;
        int end = off + rec.capLen;
        long we = (long) off + rec.wireLen;
        wireEnd = we < end ? end : we > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) we;
        sawIp = false;
        out.frame = rec.frame;
        out.tsNanos = rec.tsNanos;
        out.wireLen = rec.wireLen;
        out.buf = b;
        out.hdrOff = off;
        out.linkType = lt;
        out.dataAt = rec.dataAt;
        out.frames = rec.frames;
        if (!link(rec, lt, b, off, end, out)) {
            return false;
        }
        out.hdrLen = Math.min(out.payloadOff - off, rec.capLen);
        return true;
    }

    private boolean link(PacketRecord rec, int lt, byte[] b, int off, int end, TcpSegment out) {
        Counters c = counts;
        switch (lt) {
            case LinkTypes.ETHERNET:
                return ethernet(b, off, end, out, 0);
            case LinkTypes.LINUX_SLL:
                if (end - off < 16) {
                    return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
                }
                return etherType(u16be(b, off + 14), b, off + 16, end, out, 0);
            case LinkTypes.LINUX_SLL2:
                if (end - off < 20) {
                    return c.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
                }
                return etherType(u16be(b, off), b, off + 20, end, out, 0);
            case LinkTypes.RAW:
            case LinkTypes.RAW_12:
            case LinkTypes.RAW_14:
                return rawIp(b, off, end, out, 0);
            case LinkTypes.IPV4:
                return ipv4(b, off, end, out, 0);
            case LinkTypes.IPV6:
                return ipv6(b, off, end, out, 0);
            case LinkTypes.NULL:
            case LinkTypes.LOOP:
                return encaps.loopback(lt, b, off, end, out);
            default:
                return other(rec, out);
        }
    }

    boolean ethernet(byte[] b, int off, int end, TcpSegment out, int depth) {
        if (end - off < 14) {
            return counts.anomaly(Anomaly.TRUNCATED_LINK_HEADER);
        }
        int type = u16be(b, off + 12);
        int p = off + 14;
        if (type == 0x0800) {
            return ipv4(b, p, end, out, depth);
        }
        return encaps.etherTypeSlow(type, b, p, end, out, depth);
    }

    /** Dispatches on an EtherType (also used by SLL, GRE, GENEVE). */
    boolean etherType(int type, byte[] b, int p, int end, TcpSegment out, int depth) {
        if (type == 0x0800) {
            return ipv4(b, p, end, out, depth);
        }
        if (type == 0x86DD) {
            return ipv6(b, p, end, out, depth);
        }
        return encaps.etherTypeSlow(type, b, p, end, out, depth);
    }

    /** IP without a link header: the version nibble tells which. */
    boolean rawIp(byte[] b, int p, int end, TcpSegment out, int depth) {
        if (end - p < 1) {
            return counts.anomaly(Anomaly.TRUNCATED_IP_HEADER);
        }
        int v = (b[p] & 0xF0) >>> 4;
        if (v == 4) {
            return ipv4(b, p, end, out, depth);
        }
        if (v == 6) {
            return ipv6(b, p, end, out, depth);
        }
        return counts.anomaly(Anomaly.BAD_IP_VERSION);
    }

    boolean ipv4(byte[] b, int off, int end, TcpSegment out, int depth) {
        Counters c = counts;
        if (end - off < 20) {
            return c.anomaly(Anomaly.TRUNCATED_IP_HEADER);
        }
        int vihl = b[off] & 0xFF;
        if (vihl >>> 4 != 4) {
            return c.anomaly(Anomaly.BAD_IP_VERSION);
        }
        int ihl = (vihl & 0x0F) << 2;
        if (ihl < 20) {
            return c.anomaly(Anomaly.BAD_IPV4_IHL);
        }
        if (end - off < ihl) {
            return c.anomaly(Anomaly.TRUNCATED_IP_HEADER);
        }
        if (!sawIp) {
            sawIp = true;
            c.ipv4++;
        }
        int totalLen = u16be(b, off + 2);
        int wireLeft = wireEnd - off;
        if (totalLen == 0) {
            // segmentation offload: the stack left the length 0; Wireshark takes the frame's
            totalLen = wireLeft;
        } else if (totalLen > wireLeft) {
            c.anomalies[Anomaly.IP_LENGTH_EXCEEDS_FRAME.ordinal()]++;
            totalLen = wireLeft;
        }
        if (totalLen < ihl) {
            return c.anomaly(Anomaly.BAD_IP_LENGTH);
        }
        int ipEnd = off + totalLen;
        wireEnd = ipEnd;
        if (end > ipEnd) {
            end = ipEnd; // link-layer padding or trailer
        }
        int frag = u16be(b, off + 6);
        if ((frag & 0x3FFF) != 0) {
            c.fragments++;
            if ((frag & 0x1FFF) != 0) {
                return false; // not the first fragment: no transport header here
            }
        }
        int proto = b[off + 9] & 0xFF;
        if (proto == 6) {
            if ((frag & 0x2000) != 0 && !wholeTcpHeader(b, off + ihl, totalLen - ihl)) {
                return c.anomaly(Anomaly.TCP_HEADER_SPLIT_BY_FRAGMENTATION);
            }
            out.ipVersion = 4;
            out.ttl = b[off + 8] & 0xFF;
            out.ipId = u16be(b, off + 4);
            out.srcHi = 0;
            out.srcLo = V4_MAPPED | u32be(b, off + 12);
            out.dstHi = 0;
            out.dstLo = V4_MAPPED | u32be(b, off + 16);
            return tcp(b, off + ihl, end, totalLen - ihl, out);
        }
        return encaps.ipPayload(proto, b, off + ihl, end, out, depth);
    }

    boolean ipv6(byte[] b, int off, int end, TcpSegment out, int depth) {
        Counters c = counts;
        if (end - off < 40) {
            return c.anomaly(Anomaly.TRUNCATED_IP_HEADER);
        }
        if ((b[off] & 0xF0) != 0x60) {
            return c.anomaly(Anomaly.BAD_IP_VERSION);
        }
        if (!sawIp) {
            sawIp = true;
            c.ipv6++;
        }
        int plen = u16be(b, off + 4);
        int wireLeft = wireEnd - off - 40;
        if (plen == 0) {
            plen = wireLeft; // jumbogram or segmentation offload: the frame gives the length
        } else if (plen > wireLeft) {
            c.anomalies[Anomaly.IP_LENGTH_EXCEEDS_FRAME.ordinal()]++;
            plen = wireLeft;
        }
        int ipEnd = off + 40 + plen;
        wireEnd = ipEnd;
        if (end > ipEnd) {
            end = ipEnd;
        }
        int next = b[off + 6] & 0xFF;
        int p = off + 40;
        if (next != 6) {
            p = encaps.skipExtensions(next, b, p, end);
            if (p < 0) {
                return false; // a fragment that is not the first, ESP, or a damaged chain (counted)
            }
            next = encaps.nextHeader;
            if (next != 6) {
                return encaps.ipPayload(next, b, p, end, out, depth);
            }
        }
        if (encaps.firstFragment && !wholeTcpHeader(b, p, ipEnd - p)) {
            return c.anomaly(Anomaly.TCP_HEADER_SPLIT_BY_FRAGMENTATION);
        }
        out.ipVersion = 6;
        out.ttl = b[off + 7] & 0xFF;
        out.ipId = -1;
        out.srcHi = i64be(b, off + 8);
        out.srcLo = i64be(b, off + 16);
        out.dstHi = i64be(b, off + 24);
        out.dstLo = i64be(b, off + 32);
        return tcp(b, p, end, ipEnd - p, out);
    }

    /**
     * @param end    captured end of the segment
     * @param segLen the segment's length according to the IP header
     */
    private boolean tcp(byte[] b, int off, int end, int segLen, TcpSegment out) {
        Counters c = counts;
        if (end - off < 20) {
            return c.anomaly(end - off < 4 ? Anomaly.TCP_PORTS_NOT_CAPTURED : Anomaly.TRUNCATED_TCP_HEADER);
        }
        int doff = (b[off + 12] & 0xF0) >>> 2;
        if (doff < 20 || doff > segLen) {
            return c.anomaly(Anomaly.BAD_TCP_DATA_OFFSET);
        }
        if (end - off < doff) {
            return c.anomaly(Anomaly.TRUNCATED_TCP_HEADER);
        }
        out.srcPort = u16be(b, off);
        out.dstPort = u16be(b, off + 2);
        out.seq = u32be(b, off + 4);
        out.ack = u32be(b, off + 8);
        out.flags = b[off + 13] & 0xFF;
        out.window = u16be(b, off + 14);
        int payOff = off + doff;
        int payLen = segLen - doff;
        int payCap = end - payOff;
        out.payloadOff = payOff;
        out.payloadLen = payLen;
        out.payloadCapLen = payCap < payLen ? payCap : payLen;
        out.clearOptions();
        if (doff > 20 && !TcpOptions.parse(b, off + 20, payOff, out)) {
            c.anomalies[Anomaly.BAD_TCP_OPTION.ordinal()]++;
        }
        c.tcp++;
        return true;
    }

    /** Whether a first fragment's bytes hold the whole TCP header, options included. */
    private static boolean wholeTcpHeader(byte[] b, int off, int fragLen) {
        return fragLen >= 20 && ((b[off + 12] & 0xF0) >>> 2) <= fragLen;
    }

    /** A rarer link type: natively when cheap, else pcap4j finds the IP header, or it is only counted. */
    private boolean other(PacketRecord rec, TcpSegment out) {
        if (MoreLinks.handles(rec.linkType)) {
            return moreLinks.decode(rec.linkType, rec.buf, rec.off, rec.off + rec.capLen, out);
        }
        if (fallback == null) {
            fallback = new Pcap4jFallback();
        }
        int at = fallback.locate(rec, counts);
        if (at < 0) {
            return false;
        }
        int end = rec.off + rec.capLen;
        return fallback.foundWlan ? Tunnels.wlan(this, counts, rec.buf, at, end, out, 0) : rawIp(rec.buf, at, end, out, 0);
    }

    /** Decoding statistics so far. */
    public DecodeStats stats() {
        return counts.toStats();
    }

    /** Records per link type, with the decoder that handled each. */
    public List<LinkTypeCount> linkTypes() {
        return counts.toLinkTypes();
    }

    /** Records seen by {@link #decode}. */
    public long packets() {
        return counts.packets;
    }
}
