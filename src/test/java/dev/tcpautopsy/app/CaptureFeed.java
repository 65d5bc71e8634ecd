package dev.tcpautopsy.app;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.decode.PacketDecoder;
import dev.tcpautopsy.decode.TcpSegment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a capture with the project's reader and decoder and feeds an {@link AppTracker} a connection,
 * grouped by 4-tuple here (a SYN with a new ISN on a used 4-tuple starts a new connection), with
 * sequence numbers made relative to each side's ISN: a stand-in for the flow tracker.
 */
final class CaptureFeed {
    /** One message as the tracker reported it. */
    record Message(long frame, boolean fromClient, int flags, String text) {
    }

    /** One connection: its messages in order and its facts. */
    static final class Flow {
        final String key;
        final AppTracker tracker = new AppTracker();
        final List<Message> messages = new ArrayList<>();
        boolean clientKnown;
        long clientHi, clientLo;
        int clientPort, serverPort;
        final long[] isn = {-1, -1}, last = {-1, -1}, wraps = {0, 0};
        long firstFrame;

        Flow(String key) {
            this.key = key;
            tracker.listener = (fromClient, frame, flags, text) -> messages.add(new Message(frame, fromClient, flags, text));
        }

        AppFacts facts() {
            return tracker.facts();
        }
    }

    private CaptureFeed() {
    }

    /** Where each frame carrying payload went: its connection and direction. */
    record Place(Flow flow, boolean fromClient) {
    }

    /** What is done with each segment, its sequence number made relative: fed to the flow's tracker, or recorded. */
    interface Sink {
        void segment(Flow f, boolean fromClient, TcpSegment s, long rel, byte[] buf);
    }

    /** Feeds the connection's tracker. */
    static final Sink TRACKER = (f, fromClient, s, rel, buf) -> {
        if (s.payloadLen > 0) {
            f.tracker.onPayload(fromClient, s.frame, rel, buf, s.payloadOff, s.payloadCapLen, s.payloadLen);
        }
        if (s.has(TcpSegment.FIN) || s.has(TcpSegment.RST)) {
            f.tracker.onClose(fromClient, s.frame, s.has(TcpSegment.RST));
        }
    };

    /** Every connection of the capture that carried a TCP segment, in order of their first frame. */
    static List<Flow> read(Path file) throws IOException {
        return read(file, null, TRACKER);
    }

    /**
     * As {@link #read(Path)}, each segment handed to {@code sink}; {@code places} (when given) gets each
     * payload frame's connection and direction.
     */
    static List<Flow> read(Path file, Map<Long, Place> places, Sink sink) throws IOException {
        Map<String, Flow> open = new HashMap<>();
        List<Flow> all = new ArrayList<>();
        PacketDecoder dec = new PacketDecoder();
        PacketRecord rec = new PacketRecord();
        TcpSegment s = new TcpSegment();
        try (CaptureReader r = Captures.open(file)) {
            while (r.next(rec)) {
                if (!dec.decode(rec, s)) {
                    continue;
                }
                String key = key(s);
                Flow f = open.get(key);
                boolean syn = s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK);
                if (f == null || syn && f.clientKnown && f.isn[0] >= 0 && f.isn[0] != s.seq && isClient(f, s)) {
                    f = new Flow(key);
                    f.firstFrame = rec.frame;
                    open.put(key, f);
                    all.add(f);
                }
                feed(f, s, rec.buf, sink);
                if (places != null && s.payloadLen > 0) {
                    places.putIfAbsent(rec.frame, new Place(f, isClient(f, s)));
                }
            }
        } catch (dev.tcpautopsy.capture.CaptureFormatException e) {
            // a damaged tail: what was read stands
        }
        return all;
    }

    static void feed(Flow f, TcpSegment s, byte[] buf, Sink sink) {
        if (!f.clientKnown) {
            boolean syn = s.has(TcpSegment.SYN);
            boolean synAck = syn && s.has(TcpSegment.ACK);
            // the SYN's sender is the client; without a handshake, the side with the higher port
            boolean srcIsClient = syn ? !synAck : s.srcPort > s.dstPort;
            f.clientHi = srcIsClient ? s.srcHi : s.dstHi;
            f.clientLo = srcIsClient ? s.srcLo : s.dstLo;
            f.clientPort = srcIsClient ? s.srcPort : s.dstPort;
            f.serverPort = srcIsClient ? s.dstPort : s.srcPort;
            f.clientKnown = true;
        }
        boolean fromClient = isClient(f, s);
        int i = fromClient ? 0 : 1;
        if (f.isn[i] < 0) {
            f.isn[i] = s.has(TcpSegment.SYN) ? s.seq : (s.seq - 1) & 0xFFFFFFFFL;
        }
        if (f.last[i] >= 0) {
            long d = (s.seq - f.last[i]) & 0xFFFFFFFFL;
            if (d < 1L << 31 && s.seq < f.last[i]) {
                f.wraps[i]++;
            } else if (d >= 1L << 31 && s.seq > f.last[i]) {
                f.wraps[i]--;
            }
        }
        f.last[i] = s.seq;
        long rel = s.seq + (f.wraps[i] << 32) - f.isn[i] - 1 + (s.has(TcpSegment.SYN) ? 1 : 0);
        sink.segment(f, fromClient, s, rel, buf);
    }

    private static boolean isClient(Flow f, TcpSegment s) {
        return s.srcHi == f.clientHi && s.srcLo == f.clientLo && s.srcPort == f.clientPort;
    }

    private static String key(TcpSegment s) {
        boolean a = s.srcHi < s.dstHi || s.srcHi == s.dstHi && (s.srcLo < s.dstLo || s.srcLo == s.dstLo && s.srcPort <= s.dstPort);
        return a ? s.srcHi + ":" + s.srcLo + ":" + s.srcPort + "-" + s.dstHi + ":" + s.dstLo + ":" + s.dstPort
                : s.dstHi + ":" + s.dstLo + ":" + s.dstPort + "-" + s.srcHi + ":" + s.srcLo + ":" + s.srcPort;
    }
}
