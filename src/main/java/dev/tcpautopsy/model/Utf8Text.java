package dev.tcpautopsy.model;

import java.nio.charset.StandardCharsets;

/**
 * A string of an encoded flow as its UTF-8 bytes where they lie ({@code bytes()[offset() .. offset() +
 * length())}), or {@code null}: what a {@link FlowRecord} hands to the formats so that they copy bytes into
 * their output rather than make a String. A view, reused for the next flow: read it before moving on.
 */
public final class Utf8Text {
    private byte[] buf;
    private int off, len;
    private int bits;
    private boolean present;

    /** @param textBits {@link FlowEncoder#ASCII}, {@link FlowEncoder#JSON_PLAIN}, {@link FlowEncoder#CSV_PLAIN} */
    Utf8Text set(byte[] b, int offset, int length, int textBits) {
        buf = b;
        off = offset;
        len = length;
        bits = textBits;
        present = true;
        return this;
    }

    Utf8Text setNull() {
        present = false;
        len = 0;
        return this;
    }

    public boolean isNull() {
        return !present;
    }

    /** Null or no bytes. */
    public boolean isEmpty() {
        return len == 0;
    }

    public byte[] bytes() {
        return buf;
    }

    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    /** Whether every byte is ASCII (one byte a character). */
    public boolean ascii() {
        return (bits & FlowEncoder.ASCII) != 0;
    }

    /** Whether JSON writes it as it is, between quotes: no control character, quote or backslash. */
    public boolean jsonPlain() {
        return (bits & FlowEncoder.JSON_PLAIN) != 0;
    }

    /** Whether it holds no comma, quote or line break (a CSV cell may still need quotes for its ends). */
    public boolean csvPlain() {
        return (bits & FlowEncoder.CSV_PLAIN) != 0;
    }

    /** The byte at {@code i} (0 to {@code length() - 1}). */
    public byte byteAt(int i) {
        return buf[off + i];
    }

    /** The string, {@code null} for null. */
    @Override
    public String toString() {
        if (!present) {
            return null;
        }
        return new String(buf, off, len, ascii() ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
}
