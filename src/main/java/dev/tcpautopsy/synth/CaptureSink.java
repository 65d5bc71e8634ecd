package dev.tcpautopsy.synth;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes capture records into one reused buffer and hands it to the stream when full: the
 * writer's memory stays the buffer's size however long the capture grows. Calling order:
 * {@link #begin()} returns where the frame goes, the caller writes it, {@link #commit} adds the
 * record header; {@link #finish()} flushes at the end.
 */
abstract class CaptureSink {
    static final int BUFFER = 1 << 20;
    /** Record overhead before the frame, and after it (pcapng's padding and trailing length). */
    private final int head;
    private final int tail;
    final byte[] buf = new byte[BUFFER];
    int pos;
    private final OutputStream out;
    private long flushed;
    final boolean nanos;

    CaptureSink(OutputStream out, boolean nanos, int head, int tail) {
        this.out = out;
        this.nanos = nanos;
        this.head = head;
        this.tail = tail;
    }

    static CaptureSink of(SynthParams.Format format, OutputStream out, boolean nanos) {
        return format == SynthParams.Format.PCAPNG ? new Pcapng(out, nanos) : new Pcap(out, nanos);
    }

    /** Offset in {@link #buf} where the next frame (at most {@link FrameBuilder#MAX_FRAME} bytes) goes. */
    final int begin() throws IOException {
        if (BUFFER - pos < head + FrameBuilder.MAX_FRAME + tail) {
            flush();
        }
        return pos + head;
    }

    /** Completes the record whose frame was written at {@link #begin()}. */
    abstract void commit(long tsNanos, int frameLen);

    /** File bytes so far, written or buffered. */
    final long bytes() {
        return flushed + pos;
    }

    final void flush() throws IOException {
        out.write(buf, 0, pos);
        flushed += pos;
        pos = 0;
    }

    final void finish() throws IOException {
        flush();
        out.flush();
    }

    static void le16(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
    }

    static void le32(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) (v >>> 16);
        b[o + 3] = (byte) (v >>> 24);
    }

    /** Classic pcap, little-endian, microsecond or nanosecond magic, link type Ethernet. */
    static final class Pcap extends CaptureSink {
        Pcap(OutputStream out, boolean nanos) {
            super(out, nanos, 16, 0);
            le32(buf, 0, nanos ? 0xA1B23C4D : 0xA1B2C3D4);
            le16(buf, 4, 2);
            le16(buf, 6, 4);
            le32(buf, 8, 0);
            le32(buf, 12, 0);
            le32(buf, 16, 262_144);
            le32(buf, 20, 1);
            pos = 24;
        }

        @Override
        void commit(long tsNanos, int frameLen) {
            le32(buf, pos, (int) Math.floorDiv(tsNanos, 1_000_000_000L));
            long frac = Math.floorMod(tsNanos, 1_000_000_000L);
            le32(buf, pos + 4, (int) (nanos ? frac : frac / 1000));
            le32(buf, pos + 8, frameLen);
            le32(buf, pos + 12, frameLen);
            pos += 16 + frameLen;
        }
    }

    /** pcapng: one section, one Ethernet interface (if_tsresol 6 or 9), enhanced packet blocks. */
    static final class Pcapng extends CaptureSink {
        Pcapng(OutputStream out, boolean nanos) {
            super(out, nanos, 28, 3 + 4);
            // section header block
            le32(buf, 0, 0x0A0D0D0A);
            le32(buf, 4, 28);
            le32(buf, 8, 0x1A2B3C4D);
            le16(buf, 12, 1);
            le16(buf, 14, 0);
            le32(buf, 16, -1);
            le32(buf, 20, -1);
            le32(buf, 24, 28);
            // interface description block with if_tsresol
            le32(buf, 28, 1);
            le32(buf, 32, 32);
            le16(buf, 36, 1);
            le16(buf, 38, 0);
            le32(buf, 40, 262_144);
            le16(buf, 44, 9);
            le16(buf, 46, 1);
            buf[48] = (byte) (nanos ? 9 : 6);
            buf[49] = 0;
            buf[50] = 0;
            buf[51] = 0;
            le32(buf, 52, 0);
            le32(buf, 56, 32);
            pos = 60;
        }

        @Override
        void commit(long tsNanos, int frameLen) {
            int padded = (frameLen + 3) & ~3;
            int total = 32 + padded;
            long units = nanos ? tsNanos : Math.floorDiv(tsNanos, 1000L);
            le32(buf, pos, 6);
            le32(buf, pos + 4, total);
            le32(buf, pos + 8, 0);
            le32(buf, pos + 12, (int) (units >>> 32));
            le32(buf, pos + 16, (int) units);
            le32(buf, pos + 20, frameLen);
            le32(buf, pos + 24, frameLen);
            int end = pos + 28 + frameLen;
            for (int i = end; i < pos + 28 + padded; i++) {
                buf[i] = 0;
            }
            le32(buf, pos + 28 + padded, total);
            pos += total;
        }
    }
}
