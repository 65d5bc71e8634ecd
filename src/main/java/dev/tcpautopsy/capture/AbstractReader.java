package dev.tcpautopsy.capture;

import java.io.IOException;
import java.util.Arrays;

/** What both readers share: the input, the frame counter, the link types seen, and the errors. */
abstract class AbstractReader implements CaptureReader {
    final ByteInput in;
    final CaptureLimits limits;
    private final boolean compressed;
    /** Records returned so far; the next one gets frame + 1. */
    long frame;
    /** Reads records' bytes again by offset, when the capture is a plain file; else {@code null}. */
    FrameBytes frames;
    private int[] linkTypes = new int[0];

    AbstractReader(ByteInput in, CaptureLimits limits, boolean compressed) {
        this.in = in;
        this.limits = limits;
        this.compressed = compressed;
    }

    /** Reads the next record; {@link #next} adds the explanation of damage in compressed input. */
    abstract boolean read(PacketRecord rec) throws IOException;

    @Override
    public final boolean next(PacketRecord rec) throws IOException {
        try {
            return read(rec);
        } catch (CaptureFormatException e) {
            throw compressed ? explain(e) : e;
        }
    }

    /**
     * Damaged gzip data usually inflates to garbage that the capture format rejects before the
     * member's CRC is reached. Reading on (a bounded amount) finds the root cause to report.
     */
    private CaptureFormatException explain(CaptureFormatException e) {
        if (e.detail().contains("gzip")) {
            return e;
        }
        try {
            in.pos = in.limit;
            in.skip(256L << 20);
        } catch (CaptureFormatException gz) {
            return new CaptureFormatException(e.offset(), gz.detail() + "; inflated data at this offset: " + e.detail());
        } catch (IOException | RuntimeException other) {
            e.addSuppressed(other);
        }
        return e;
    }

    @Override
    public long bytesRead() {
        return in.consumed();
    }

    @Override
    public boolean compressed() {
        return compressed;
    }

    @Override
    public int[] linkTypes() {
        return linkTypes.clone();
    }

    final void sawLinkType(int linkType) {
        for (int lt : linkTypes) {
            if (lt == linkType) {
                return;
            }
        }
        linkTypes = Arrays.copyOf(linkTypes, linkTypes.length + 1);
        linkTypes[linkTypes.length - 1] = linkType;
    }

    /** The stream ended inside a structure of {@code expected} bytes starting at {@code start}. */
    final CaptureFormatException truncated(long start, String what, long expected) {
        return new CaptureFormatException(start, what + " cut short: found " + (in.offset() + in.available() - start)
                + " bytes before the end of the file, expected " + expected);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
