package dev.tcpautopsy.app;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A conversation fed to a tracker segment by segment, each in a frame of its own (numbered from 1 in
 * order), with each side's sequence numbers kept: what a test writes instead of a capture.
 */
final class Talk {
    final AppTracker t;
    /** Every message reported, as "frame c|s text". */
    final List<String> said = new ArrayList<>();
    long frame;
    private final long[] seq = new long[2];

    Talk() {
        this(new AppTracker());
    }

    Talk(AppTracker t) {
        this.t = t;
        t.listener = (fromClient, f, flags, text) -> said.add(f + (fromClient ? " c " : " s ") + text);
    }

    Talk client(Object... segments) {
        return send(true, segments);
    }

    Talk server(Object... segments) {
        return send(false, segments);
    }

    /** Each of {@code segments} (a String, as ISO-8859-1, or a byte[]) in a segment of its own. */
    Talk send(boolean fromClient, Object... segments) {
        for (Object o : segments) {
            byte[] b = bytes(o);
            at(fromClient, seq[fromClient ? 0 : 1], b, b.length);
        }
        return this;
    }

    /** {@code message} cut into segments of {@code size} bytes. */
    Talk split(boolean fromClient, Object message, int size) {
        byte[] b = bytes(message);
        for (int i = 0; i < b.length; i += size) {
            send(fromClient, Arrays.copyOfRange(b, i, Math.min(b.length, i + size)));
        }
        return this;
    }

    /** A segment at sequence number {@code rel} (a retransmission below the next one, a gap above it). */
    Talk at(boolean fromClient, long rel, Object segment, int wireLen) {
        byte[] b = bytes(segment);
        frame++;
        // the payload sits at an offset in a larger buffer, as in a capture record
        byte[] record = new byte[b.length + 20];
        System.arraycopy(b, 0, record, 13, b.length);
        t.onPayload(fromClient, frame, rel, record, 13, b.length, wireLen);
        int i = fromClient ? 0 : 1;
        seq[i] = Math.max(seq[i], rel + wireLen);
        return this;
    }

    /** A segment whose payload the snapshot length cut to its first {@code captured} bytes. */
    Talk cut(boolean fromClient, Object segment, int captured) {
        byte[] b = bytes(segment);
        return at(fromClient, seq[fromClient ? 0 : 1], Arrays.copyOf(b, captured), b.length);
    }

    long next(boolean fromClient) {
        return seq[fromClient ? 0 : 1];
    }

    Talk fin(boolean fromClient) {
        t.onClose(fromClient, ++frame, false);
        return this;
    }

    Talk rst(boolean fromClient) {
        t.onClose(fromClient, ++frame, true);
        return this;
    }

    AppFacts facts() {
        return t.facts();
    }

    static byte[] bytes(Object o) {
        return o instanceof byte[] b ? b : ((String) o).getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] cat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(bytes(p));
        }
        return out.toByteArray();
    }

    static byte[] hex(String h) {
        return java.util.HexFormat.of().parseHex(h.replace(" ", ""));
    }
}
