package dev.tcpautopsy.compare;

import dev.tcpautopsy.capture.CaptureBuilder;
import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads every record of a capture (Ethernet), and writes records back as a nanosecond pcap. */
final class Rewrite {
    /** One record: 1-based frame number in its file, time, captured bytes, length on the wire. */
    record Rec(long frame, long ts, byte[] data, int wireLen) {
    }

    private Rewrite() {
    }

    static List<Rec> read(Path file) throws IOException {
        List<Rec> out = new ArrayList<>();
        PacketRecord r = new PacketRecord();
        try (CaptureReader reader = Captures.open(file)) {
            while (reader.next(r)) {
                out.add(new Rec(r.frame, r.tsNanos, Arrays.copyOfRange(r.buf, r.off, r.off + r.capLen), r.wireLen));
            }
        }
        return out;
    }

    static void write(List<Rec> recs, Path file) throws IOException {
        CaptureBuilder b = CaptureBuilder.pcap(true, true, 1);
        for (Rec r : recs) {
            b.record(r.ts() / 1_000_000_000L, r.ts() % 1_000_000_000L, r.data(), r.wireLen());
        }
        Files.write(file, b.done());
    }
}
