package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes synthetic segments as an Ethernet/IPv4 pcap (nanosecond timestamps), so tshark can judge them too. */
final class SegmentsPcap {
    private SegmentsPcap() {
    }

    static void write(List<TcpSegment> segments, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + segments.size() * (16 + 14 + 20 + 24 + 1500));
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (TcpSegment s : segments) {
            int opts = s.windowScale >= 0 ? 4 : 0; // NOP + window scale
            int len = 14 + 20 + 20 + opts + s.payloadLen;
            b.order(ByteOrder.LITTLE_ENDIAN);
            b.putInt((int) (s.tsNanos / 1_000_000_000L)).putInt((int) (s.tsNanos % 1_000_000_000L)).putInt(len).putInt(len);
            b.order(ByteOrder.BIG_ENDIAN);
            b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
            b.put((byte) 0x45).put((byte) 0).putShort((short) (len - 14)).putShort((short) 0).putShort((short) 0x4000)
                    .put((byte) s.ttl).put((byte) 6).putShort((short) 0).putInt((int) s.srcLo).putInt((int) s.dstLo);
            b.putShort((short) s.srcPort).putShort((short) s.dstPort).putInt((int) s.seq).putInt((int) s.ack)
                    .put((byte) ((5 + opts / 4) << 4)).put((byte) s.flags).putShort((short) s.window).putShort((short) 0)
                    .putShort((short) 0);
            if (opts > 0) {
                b.put((byte) 1).put((byte) 3).put((byte) 3).put((byte) s.windowScale);
            }
            b.put(new byte[s.payloadLen]);
        }
        Files.write(file, java.util.Arrays.copyOf(b.array(), b.position()));
    }
}
