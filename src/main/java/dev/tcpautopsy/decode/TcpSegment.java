package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.FrameBytes;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.model.TcpFlags;

/**
 * The decoded headers of one TCP segment: everything flow tracking needs, and nothing copied.
 *
 * <p>A flyweight: the decoder fills one instance per packet and the caller must take what it
 * needs before the next packet. Addresses are 128-bit values in two longs; an IPv4 address is
 * stored IPv4-mapped ({@code ::ffff:a.b.c.d}, hi = 0, lo = 0x0000_ffff_xxxx_xxxxL) so that one
 * comparison covers both families. See {@link Addresses} to format them.
 */
public final class TcpSegment {
    public static final int FIN = TcpFlags.FIN, SYN = TcpFlags.SYN, RST = TcpFlags.RST, PSH = TcpFlags.PSH,
            ACK = TcpFlags.ACK, URG = TcpFlags.URG, ECE = TcpFlags.ECE, CWR = TcpFlags.CWR;

    // addresses and ports
    public long srcHi, srcLo, dstHi, dstLo;
    public int srcPort, dstPort;
    /** 4 or 6: the IP version of the header that carried this segment (the innermost one). */
    public int ipVersion;
    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl;
    /** IPv4 identification field; -1 for IPv6. */
    public int ipId;

    // TCP header
    /** Sequence and acknowledgement numbers as unsigned 32-bit values. */
    public long seq, ack;
    /** The flags byte (FIN .. CWR). */
    public int flags;
    /** Raw window field, before any scaling. */
    public int window;
    /** Payload length from the IP total length (not the captured length). */
    public int payloadLen;
    /** Payload bytes actually captured (&lt;= payloadLen); the payload starts at {@link #payloadOff}. */
    public int payloadCapLen;
    public int payloadOff;

    // TCP options; -1 when absent
    public int mss;
    public int windowScale;
    public boolean sackPermitted;
    /** Timestamp option value and echo reply; tsVal = -1 when absent. */
    public long tsVal, tsEcr;
    /** Number of SACK blocks (0..4) and their edges: sackLeft[i], sackRight[i]. */
    public int sackCount;
    public final long[] sackLeft = new long[4];
    public final long[] sackRight = new long[4];

    // where it came from
    public long frame;
    public long tsNanos;
    public int wireLen;
    /**
     * The packet's bytes from the start of its link-layer header up to its payload, for evidence:
     * {@code hdrLen} of them at {@code buf[hdrOff]} (the reader's reused buffer, or a copy of them), and
     * the link type that tells how to read them. Valid as long as the segment's other fields.
     */
    public byte[] buf;
    public int hdrOff, hdrLen;
    public int linkType;
    /**
     * Where those bytes can be read again, and what reads them ({@link PacketRecord#dataAt}): -1 and
     * {@code null} when they cannot, and tracking copies them instead.
     */
    public long dataAt = -1;
    public FrameBytes frames;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Sequence space the segment occupies: payload plus one each for SYN and FIN. */
    public int seqLen() {
        return payloadLen + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
    }

    /** Resets the option fields; the decoder calls this before parsing options. */
    public void clearOptions() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        tsVal = -1;
        tsEcr = -1;
        sackCount = 0;
    }
}
