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
    private int[] linkTypes = new int[0];

    AbstractReader(ByteInput in, CaptureLimits limits, boolean compressed) {
        this.in = in;
        this.limits = limits;
        this.compressed = compressed;
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
