package dev.tcpautopsy.report.csv;

import java.io.IOException;
import java.io.OutputStream;

/**
 * RFC 4180 output, one value at a time, straight into a byte buffer: UTF-8, comma, CRLF, and a
 * value quoted (its quotes doubled) only where a reader needs it, exactly as Commons CSV's minimal
 * quoting does (CsvOutTest compares the two): a value holding a comma, quote, CR or LF; one starting
 * with a character up to '#' or ending with one up to a space; an empty first value of a record.
 * Numbers are written digit by digit, with no string made for them.
 */
final class CsvOut implements AutoCloseable {
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int len;
    private boolean first = true;

    CsvOut(OutputStream out) {
        this.out = out;
    }

    private void room(int n) throws IOException {
        if (len + n > buf.length) {
            flush();
        }
    }

    private void flush() throws IOException {
        out.write(buf, 0, len);
        len = 0;
    }

    private void separate() throws IOException {
        if (!first) {
            room(1);
            buf[len++] = ',';
        }
    }

    /** A text value; {@code null} is written as nothing, as an empty value. */
    void value(String s) throws IOException {
        separate();
        String v = s == null ? "" : s;
        boolean quote = needsQuotes(v, first);
        first = false;
        if (quote) {
            room(1);
            buf[len++] = '"';
        }
        for (int i = 0, n = v.length(); i < n; i++) {
            char c = v.charAt(i);
            if (c < 0x80) {
                room(2);
                if (c == '"' && quote) {
                    buf[len++] = '"';
                }
                buf[len++] = (byte) c;
            } else {
                i = utf8(v, i);
            }
        }
        if (quote) {
            room(1);
            buf[len++] = '"';
        }
    }

    /** Encodes the non-ASCII character at {@code i} (a surrogate pair takes two); returns the last index used. */
    private int utf8(String v, int i) throws IOException {
        room(4);
        char c = v.charAt(i);
        if (c < 0x800) {
            buf[len++] = (byte) (0xC0 | c >> 6);
            buf[len++] = (byte) (0x80 | c & 0x3F);
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, v.charAt(i + 1));
            buf[len++] = (byte) (0xF0 | cp >> 18);
            buf[len++] = (byte) (0x80 | cp >> 12 & 0x3F);
            buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
            buf[len++] = (byte) (0x80 | cp & 0x3F);
            return i + 1;
        }
        if (Character.isSurrogate(c)) {
            buf[len++] = '?'; // a lone surrogate, as the JDK's encoder replaces it
            return i;
        }
        buf[len++] = (byte) (0xE0 | c >> 12);
        buf[len++] = (byte) (0x80 | c >> 6 & 0x3F);
        buf[len++] = (byte) (0x80 | c & 0x3F);
        return i;
    }

    static boolean needsQuotes(String v, boolean firstInRecord) {
        int n = v.length();
        if (n == 0) {
            return firstInRecord;
        }
        if (v.charAt(0) <= '#') {
            return true;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return v.charAt(n - 1) <= ' ';
    }

    /** A whole number: digits never need quotes, and a leading '-' is above '#'. */
    void value(long v) throws IOException {
        separate();
        first = false;
        room(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                byte[] s = Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                System.arraycopy(s, 0, buf, len, s.length);
                len += s.length;
                return;
            }
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) {
            digits++;
        }
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += digits;
    }

    /** Ends the record (CRLF). */
    void endRecord() throws IOException {
        room(2);
        buf[len++] = '\r';
        buf[len++] = '\n';
        first = true;
    }

    @Override
    public void close() throws IOException {
        flush();
        out.close();
    }
}
