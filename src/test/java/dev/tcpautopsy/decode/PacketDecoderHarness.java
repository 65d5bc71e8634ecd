package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.PacketRecord;

/** One decoder and one segment reused across frames, as in a real run. */
final class PacketDecoderHarness {
    final PacketDecoder decoder = new PacketDecoder();
    final PacketRecord rec = new PacketRecord();
    final TcpSegment seg = new TcpSegment();

    /** Decodes an Ethernet frame; null when it was not a usable TCP segment. */
    TcpSegment decode(byte[] frame) {
        rec.buf = frame;
        rec.off = 0;
        rec.capLen = frame.length;
        rec.wireLen = frame.length;
        rec.linkType = 1;
        rec.frame++;
        return decoder.decode(rec, seg) ? seg : null;
    }
}
