package dev.tcpautopsy.capture;

import java.io.IOException;

/**
 * A capture that cannot be read on from some byte offset: the records before it were fine.
 * The message is one line: what was found at the offset, and what was expected.
 */
public final class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String detail;

    public CaptureFormatException(long offset, String detail) {
        super("at byte " + offset + ": " + detail);
        this.offset = offset;
        this.detail = detail;
    }

    /** Byte offset in the (decompressed) capture stream where the damage starts. */
    public long offset() {
        return offset;
    }

    /** What was found and what was expected, without the offset. */
    public String detail() {
        return detail;
    }
}
