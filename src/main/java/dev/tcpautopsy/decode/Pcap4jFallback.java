package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.PacketRecord;
import org.pcap4j.packet.IpPacket;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.factory.PacketFactories;
import org.pcap4j.packet.factory.PacketFactory;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.util.Arrays;

/**
 * Link types outside the native set, through pcap4j's pure-Java static packet factories (never
 * libpcap). pcap4j only locates the IP header; our own IP and TCP code decodes from there, so
 * the counters and anomalies mean the same for every link type. pcap4j 1.8 parses 802.11
 * management frames only: when it stops at an 802.11 frame (after a radiotap header, say), the
 * frame's offset is handed back so the native 802.11 data-frame parser can go on. A slow path:
 * it allocates.
 */
final class Pcap4jFallback {
    private final PacketFactory<Packet, DataLinkType> factory =
            PacketFactories.getFactory(Packet.class, DataLinkType.class);
    /** What {@link #locate} found at the offset it returned. */
    boolean foundWlan;
    /** Per link type (index &lt; 65536): 0 not yet asked, 1 pcap4j knows it, 2 it does not. */
    private byte[] known = new byte[0];

    /**
     * @return the offset in {@code rec.buf} of the IP header (or, with {@link #foundWlan}, the
     *         802.11 frame) pcap4j found, or -1 when it found none (the record stays counted under
     *         its link type, with decoder {@code none} when pcap4j does not know it)
     */
    int locate(PacketRecord rec, Counters c) {
        foundWlan = false;
        int lt = rec.linkType;
        if (!knows(lt)) {
            return -1;
        }
        c.viaPcap4j.add(lt);
        try {
            return walk(factory.newInstance(rec.buf, rec.off, rec.capLen, DataLinkType.getInstance(lt)), rec, c);
        } catch (RuntimeException e) {
            return fail(c); // pcap4j on damaged bytes: an anomaly, never an escaping exception
        }
    }

    private int walk(Packet top, PacketRecord rec, Counters c) {
        int lt = rec.linkType;
        int off = 0;
        for (Packet p = top; p != null; p = p.getPayload()) {
            if (p instanceof IpPacket) {
                // trust the layout only when pcap4j's bytes are really at the offset its headers add up to
                byte[] raw = p.getRawData();
                int at = rec.off + off;
                int n = Math.min(raw.length, Math.min(20, rec.capLen - off));
                if (n <= 0 || !Arrays.equals(raw, 0, n, rec.buf, at, at + n)) {
                    return fail(c);
                }
                return at;
            }
            if (p instanceof UnknownPacket) {
                break;
            }
            off += p.getHeader() == null ? 0 : p.getHeader().length();
        }
        if ((lt == LinkTypes.IEEE802_11 || lt == LinkTypes.IEEE802_11_RADIOTAP) && off < rec.capLen) {
            foundWlan = true;
            return rec.off + off;
        }
        return -1;
    }

    private boolean knows(int lt) {
        if (lt < 0 || lt > 0xFFFF) {
            return false;
        }
        if (lt >= known.length) {
            known = Arrays.copyOf(known, Math.max(lt + 1, known.length * 2));
        }
        if (known[lt] == 0) {
            boolean k;
            try {
                k = factory.getTargetClass(DataLinkType.getInstance(lt)) != UnknownPacket.class;
            } catch (RuntimeException e) {
                k = false;
            }
            known[lt] = (byte) (k ? 1 : 2);
        }
        return known[lt] == 1;
    }

    private static int fail(Counters c) {
        c.anomaly(Anomaly.FALLBACK_DECODER_FAILED);
        return -1;
    }
}
