package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.model.DecodeStats;

/** Decodes one frame in isolation: the segment (or null) and what the decoder counted. */
record Decoded(TcpSegment seg, DecodeStats stats, PacketDecoder decoder) {

    static Decoded of(int linkType, byte[] frame) {
        return of(linkType, frame, frame.length);
    }

    /** With a snapshot length: only the first {@code capLen} bytes were captured. */
    static Decoded of(int linkType, byte[] frame, int capLen) {
        PacketRecord rec = new PacketRecord();
        // place the frame at an offset inside a larger buffer, as a reader does
        rec.buf = new byte[capLen + 37];
        System.arraycopy(frame, 0, rec.buf, 17, capLen);
        rec.off = 17;
        rec.capLen = capLen;
        rec.wireLen = frame.length;
        rec.linkType = linkType;
        rec.frame = 7;
        rec.tsNanos = 42;
        PacketDecoder d = new PacketDecoder();
        TcpSegment seg = new TcpSegment();
        boolean ok = d.decode(rec, seg);
        return new Decoded(ok ? seg : null, d.stats(), d);
    }

    long anomaly(String name) {
        return stats.anomalies().getOrDefault(name, 0L);
    }

    long tunnel(String name) {
        return stats.tunnels().getOrDefault(name, 0L);
    }

    long other(String name) {
        return stats.otherProtocols().getOrDefault(name, 0L);
    }

    String src() {
        return Addresses.format(seg.srcHi, seg.srcLo);
    }

    String dst() {
        return Addresses.format(seg.dstHi, seg.dstLo);
    }
}
