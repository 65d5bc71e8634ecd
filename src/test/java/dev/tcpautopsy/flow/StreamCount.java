package dev.tcpautopsy.flow;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.decode.PacketDecoder;
import dev.tcpautopsy.decode.TcpSegment;

import java.io.IOException;
import java.nio.file.Path;

/** Our own pipeline's view of a capture: TCP frames and streams, as counted for the corpus inventory. */
final class StreamCount {
    long tcpFrames;
    long streams;
    String error;

    static StreamCount of(Path file) {
        StreamCount c = new StreamCount();
        FlowTracker t = new FlowTracker(FlowSettings.DEFAULT, (f, h) -> { }, new HostTable(16));
        PacketDecoder d = new PacketDecoder();
        PacketRecord rec = new PacketRecord();
        TcpSegment seg = new TcpSegment();
        try (CaptureReader r = Captures.open(file)) {
            while (r.next(rec)) {
                if (d.decode(rec, seg)) {
                    c.tcpFrames++;
                    t.accept(seg);
                }
            }
        } catch (IOException | RuntimeException e) {
            c.error = e.toString();
        }
        t.finish(0);
        c.streams = t.streams();
        return c;
    }
}
