package dev.tcpautopsy.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A buffered UTF-8 {@link Writer} onto an {@link OutputStream}, for renderers that write many short
 * strings.
 *
 * <p>Why not {@code BufferedWriter} over {@code OutputStreamWriter}: {@link Writer#append(CharSequence,
 * int, int)} makes a new String of the range before writing it, and every char then goes through a
 * {@code CharsetEncoder}; Commons CSV appends each cell that way (bench/results/design-choices.md).
 * This one encodes straight into its byte buffer. The bytes are
 * those of {@code OutputStreamWriter} with UTF-8: a surrogate pair makes one 4-byte sequence, also
 * when it arrives in two calls, and an unpaired surrogate becomes {@code ?}.
 */
public final class Utf8Writer extends Writer {
    private final OutputStream out;
    private final byte[] buf;
    private final char[] chars = new char[512];
    private int n;
    /** A high surrogate whose low half has not been written yet, or 0. */
    private char high;
    private boolean closed;

    public Utf8Writer(OutputStream out, int bufferSize) {
        this.out = out;
        this.buf = new byte[Math.max(bufferSize, 64)];
    }

    @Override
    public void write(int c) throws IOException {
        if (n > buf.length - 4) {
            drain();
        }
        put((char) c);
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        for (int i = off, end = off + len; i < end; i++) {
            if (n > buf.length - 4) {
                drain();
            }
            put(cbuf[i]);
        }
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        if (high == 0 && len > 0 && len <= 256 && !Character.isHighSurrogate(s.charAt(off + len - 1))) {
            // the JDK encodes a whole short string faster than a loop of ours, which runs in the quick
            // compiler only; an unpaired surrogate comes out as '?' there too (a high one at the end may
            // be the first half of a pair that the next call completes: that goes the long way)
            byte[] b = (off == 0 && len == s.length() ? s : s.substring(off, off + len)).getBytes(StandardCharsets.UTF_8);
            writeUtf8(b, 0, b.length);
            return;
        }
        int end = off + len;
        while (off < end) {
            int k = Math.min(chars.length, end - off);
            s.getChars(off, off + k, chars, 0);
            write(chars, 0, k);
            off += k;
        }
    }

    @Override
    public void write(String s) throws IOException {
        write(s, 0, s.length());
    }

    @Override
    public Writer append(CharSequence csq) throws IOException {
        String s = String.valueOf(csq);
        write(s, 0, s.length());
        return this;
    }

    @Override
    public Writer append(CharSequence csq, int start, int end) throws IOException {
        if (csq == null) {
            return append("null", start, end);
        }
        if (start < 0 || end > csq.length() || start > end) {
            throw new IndexOutOfBoundsException("start " + start + ", end " + end + ", length " + csq.length());
        }
        if (csq instanceof String s) {
            write(s, start, end - start);
            return this;
        }
        for (int i = start; i < end; i++) {
            if (n > buf.length - 4) {
                drain();
            }
            put(csq.charAt(i));
        }
        return this;
    }

    @Override
    public Writer append(char c) throws IOException {
        write(c);
        return this;
    }

    /**
     * Appends bytes that are already UTF-8 (those of a whole string, from {@code getBytes(UTF_8)}),
     * for a caller that looked at them first: no second encoding.
     */
    public void writeUtf8(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        // an unpaired high surrogate before them ends as put() would end it
        endHigh();
        if (len > buf.length - n) {
            drain();
            if (len > buf.length) {
                out.write(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, n, len);
        n += len;
    }

    /**
     * Appends a string the caller knows to be ASCII (digits, names, addresses, timestamps), its chars
     * copied as bytes with no encoding and no intermediate array: a report writes millions of them.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII, which is the contract
    public void writeAscii(String s) throws IOException {
        int len = s.length();
        if (high != 0 || len > buf.length - n) {
            if (len > buf.length - 4) {
                write(s);
                return;
            }
            endHigh();
            if (len > buf.length - n) {
                drain();
            }
        }
        s.getBytes(0, len, buf, n);
        n += len;
    }

    /** Appends {@code v} in decimal, its digits written straight into the buffer. */
    public void writeDecimal(long v) throws IOException {
        endHigh();
        if (n > buf.length - Decimal.MAX) {
            drain();
        }
        n = Decimal.put(buf, n, v);
    }

    /** Appends {@link Texts#instant(Instant)}'s text of {@code t} (not null), without a String between. */
    public void writeInstant(Instant t) throws IOException {
        if (!Texts.spellsDirectly(t)) {
            write(Texts.instant(t));
            return;
        }
        endHigh();
        if (n > buf.length - Texts.INSTANT_MAX) {
            drain();
        }
        n = Texts.instant(t, buf, n);
    }

    /** Appends the instant {@code sec} seconds and {@code nanos} after the epoch, as {@link #writeInstant(Instant)}. */
    public void writeInstant(long sec, int nanos) throws IOException {
        if (!Texts.spellsDirectly(sec)) {
            write(Texts.instant(Instant.ofEpochSecond(sec, nanos)));
            return;
        }
        endHigh();
        if (n > buf.length - Texts.INSTANT_MAX) {
            drain();
        }
        n = Texts.instant(sec, nanos, buf, n);
    }

    /** Appends {@link Texts#exactSecondsText} of the span from a to b, without a String between. */
    public void writeExactSeconds(long aSecond, int aNano, long bSecond, int bNano, boolean strip) throws IOException {
        if (!Texts.exactSecondsDirectly(aSecond, bSecond)) {
            write(Texts.exactSecondsText(Instant.ofEpochSecond(aSecond, aNano), Instant.ofEpochSecond(bSecond, bNano), strip));
            return;
        }
        endHigh();
        if (n > buf.length - Texts.EXACT_MAX) {
            drain();
        }
        n = Texts.exactSeconds(aSecond, aNano, bSecond, bNano, strip, buf, n);
    }

    /** An unpaired high surrogate before what comes next ends as {@code put} would end it. */
    private void endHigh() throws IOException {
        if (high != 0) {
            high = 0;
            if (n > buf.length - 4) {
                drain();
            }
            buf[n++] = '?';
        }
    }

    /** Encodes one char; the caller made room for four bytes. */
    private void put(char c) {
        if (high != 0) {
            char h = high;
            high = 0;
            if (Character.isLowSurrogate(c)) {
                int cp = Character.toCodePoint(h, c);
                buf[n++] = (byte) (0xF0 | cp >>> 18);
                buf[n++] = (byte) (0x80 | cp >>> 12 & 0x3F);
                buf[n++] = (byte) (0x80 | cp >>> 6 & 0x3F);
                buf[n++] = (byte) (0x80 | cp & 0x3F);
                return;
            }
            // at most 1 + 3 bytes with what follows: within the room the caller made
            buf[n++] = '?';
        }
        if (c < 0x80) {
            buf[n++] = (byte) c;
        } else if (c < 0x800) {
            buf[n++] = (byte) (0xC0 | c >>> 6);
            buf[n++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isHighSurrogate(c)) {
            high = c;
        } else if (Character.isLowSurrogate(c)) {
            buf[n++] = '?';
        } else {
            buf[n++] = (byte) (0xE0 | c >>> 12);
            buf[n++] = (byte) (0x80 | c >>> 6 & 0x3F);
            buf[n++] = (byte) (0x80 | c & 0x3F);
        }
    }

    private void drain() throws IOException {
        if (n > 0) {
            out.write(buf, 0, n);
            n = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    /** Writes what is buffered (an unpaired high surrogate at the very end as {@code ?}) and closes the stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            endHigh();
            flush();
        } finally {
            out.close();
        }
    }
}
