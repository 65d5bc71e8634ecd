package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;

/**
 * In-process read + decode throughput, not a test: {@code java -cp target/classes:target/test-classes:DEPS
 * dev.tcpautopsy.decode.Throughput [FILE] [PACKETS]}. Without a file it writes a synthetic pcap of
 * Linux-like segments (Ethernet, IPv4, TCP with timestamps, a mix of ACKs and MSS-sized data) to
 * a temporary file first. Prints packets/s and MB/s for the best of a few passes.
 */
public final class Throughput {
    private Throughput() {
    }

    public static void main(String[] args) throws IOException {
        Path file;
        boolean temp = args.length == 0;
        if (temp) {
            file = Files.createTempFile("throughput", ".pcap");
            long n = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000L;
            write(file, n);
        } else {
            file = Paths.get(args[0]);
        }
        try {
            long size = Files.size(file);
            for (int pass = 0; pass < 5; pass++) {
                long t0 = System.nanoTime();
                long packets = 0, tcp = 0, bytes = 0;
                PacketRecord rec = new PacketRecord();
                TcpSegment seg = new TcpSegment();
                PacketDecoder d = new PacketDecoder();
                try (CaptureReader r = Captures.open(file)) {
                    while (r.next(rec)) {
                        packets++;
                        if (d.decode(rec, seg)) {
                            tcp++;
                            bytes += seg.payloadLen;
                        }
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("pass %d: %,d packets (%,d TCP, %,d payload bytes) in %.2f s: %.2f M packets/s, %.0f MB/s%n",
                        pass, packets, tcp, bytes, s, packets / s / 1e6, size / s / 1e6);
            }
        } finally {
            if (temp) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** A pcap of {@code n} segments over 1000 connections: 2 in 3 bare ACKs, the rest 100..1448 bytes. */
    static void write(Path file, long n) throws IOException {
        Random rnd = new Random(1);
        byte[] hdr = new byte[24];
        le32(hdr, 0, 0xa1b2c3d4);
        le16(hdr, 4, 2);
        le16(hdr, 6, 4);
        le32(hdr, 16, 262144);
        le32(hdr, 20, 1);
        byte[] opts = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            o.write(hdr);
            byte[] rh = new byte[16];
            for (long i = 0; i < n; i++) {
                int payload = rnd.nextInt(3) == 0 ? 100 + rnd.nextInt(1349) : 0;
                int conn = rnd.nextInt(1000);
                byte[] frame = Packets.ether(0x0800, Packets.ipv4(Packets.A4, Packets.B4, 6,
                        Packets.tcp(10000 + conn, 443, i * 1000, i * 7, TcpSegment.ACK, 501, opts, payload)));
                le32(rh, 0, (int) (1_700_000_000L + i / 100_000));
                le32(rh, 4, (int) (i % 1_000_000));
                le32(rh, 8, frame.length);
                le32(rh, 12, frame.length);
                o.write(rh);
                o.write(frame);
            }
        }
    }

    private static void le16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    private static void le32(byte[] b, int off, int v) {
        le16(b, off, v & 0xFFFF);
        le16(b, off + 2, v >>> 16);
    }
}
