package dev.tcpautopsy.decode;

import dev.tcpautopsy.model.DecodeStats;
import dev.tcpautopsy.model.LinkTypeCount;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The decoder's counters as plain fields and arrays; turned into the model only at the end. */
final class Counters {
    /** Keys of {@link #others}: a kind in the high bits, the protocol number in the low 16. */
    static final int ETHERTYPE = 1 << 16, IP_PROTO = 2 << 16, LOOPBACK_AF = 3 << 16, PPP_PROTO = 4 << 16,
            LLC = 5 << 16, SLL_PROTO = 6 << 16, LINK_PROTO = 7 << 16, QUOTED_TCP = 8 << 16;

    /** Names of the ICMP errors that quote a TCP header (Wireshark's {@code tcp} filter matches them). */
    static final String QUOTED_TCP_V4 = "ICMP error quoting TCP", QUOTED_TCP_V6 = "ICMPv6 error quoting TCP";

    long packets;
    long tcp;
    long ipv4;
    long ipv6;
    long fragments;
    final long[] anomalies = new long[Anomaly.values().length];
    final long[] tunnels = new long[Tunnel.values().length];
    final IntCounts others = new IntCounts();
    final IntCounts linkTypes = new IntCounts();
    /** Link types seen that pcap4j decodes (the rest outside the native set: none). */
    final IntCounts viaPcap4j = new IntCounts();

    /** Counts the anomaly; returns {@code false} so callers can {@code return counts.anomaly(..)}. */
    boolean anomaly(Anomaly a) {
        anomalies[a.ordinal()]++;
        return false;
    }

    boolean other(int key) {
        others.add(key);
        return false;
    }

    DecodeStats toStats() {
        TreeMap<String, Long> other = new TreeMap<>();
        for (int k : others.keys()) {
            other.merge(otherName(k), others.get(k), Long::sum);
        }
        TreeMap<String, Long> tun = new TreeMap<>();
        for (Tunnel t : Tunnel.values()) {
            if (tunnels[t.ordinal()] > 0) {
                tun.put(t.label, tunnels[t.ordinal()]);
            }
        }
        TreeMap<String, Long> anom = new TreeMap<>();
        for (Anomaly a : Anomaly.values()) {
            if (anomalies[a.ordinal()] > 0) {
                anom.put(a.name(), anomalies[a.ordinal()]);
            }
        }
        return new DecodeStats(tcp, ipv4, ipv6, fragments, other, tun, anom);
    }

    List<LinkTypeCount> toLinkTypes() {
        List<LinkTypeCount> out = new ArrayList<>();
        for (int lt : linkTypes.keys()) {
            String decoder = LinkTypes.isNative(lt) ? "native" : viaPcap4j.get(lt) > 0 ? "pcap4j" : "none";
            out.add(new LinkTypeCount(lt, LinkTypes.name(lt), linkTypes.get(lt), decoder));
        }
        return out;
    }

    static String otherName(int key) {
        int v = key & 0xFFFF;
        switch (key & ~0xFFFF) {
            case ETHERTYPE: return EtherNames.etherType(v);
            case IP_PROTO: return EtherNames.ipProto(v);
            case LOOPBACK_AF: return "loopback AF " + v;
            case PPP_PROTO: return String.format("PPP protocol 0x%04x", v);
            case LLC: return "802.2 LLC";
            case SLL_PROTO: return String.format("SLL protocol 0x%04x", v);
            case LINK_PROTO: return v == 0x80 ? "802.11 non-data or encrypted" : v == 0x81 ? "802.11 A-MSDU"
                    : String.format("link-layer protocol 0x%02x", v);
            case QUOTED_TCP: return v == 4 ? QUOTED_TCP_V4 : QUOTED_TCP_V6;
            default: return "other " + Integer.toHexString(key);
        }
    }
}
