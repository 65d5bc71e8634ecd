package dev.tcpautopsy.report.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tcpautopsy.model.Utf8Text;
import dev.tcpautopsy.report.Decimal;
import dev.tcpautopsy.report.Texts;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Where {@link FlowFields} writes a flow: either Jackson's generator ({@link #over}, for the pretty
 * report) or UTF-8 bytes straight into a reused buffer ({@link #direct}, for the compact report that
 * users get).
 *
 * <p>Why two: the flows are most of {@code report.json}, and through the generator they took more of
 * one core than anything else after the analysis (bench/results/design-choices.md). The
 * direct writer writes exactly the bytes the compact generator writes (a test compares them, strings
 * with control characters, non-ASCII text and unpaired surrogates included), from one description of
 * a flow's fields.
 */
abstract sealed class JsonOut permits JsonOut.Generator, JsonOut.Direct {

    static JsonOut over(JsonGenerator g) {
        return new Generator(g);
    }

    /** Writes to {@code out} until {@link #flush}; the first value written gets no comma before it. */
    static JsonOut direct(OutputStream out) {
        return new Direct(out);
    }

    abstract void startObject() throws IOException;

    abstract void endObject() throws IOException;

    abstract void startArray() throws IOException;

    abstract void endArray() throws IOException;

    /** Writes a field name; returns this for the value. */
    abstract JsonOut name(JsonName name) throws IOException;

    /** A string, or {@code null}. */
    abstract void string(String s) throws IOException;

    /** A string given as its UTF-8 bytes, or {@code null}: the same text as {@link #string} of its String. */
    abstract void text(Utf8Text t) throws IOException;

    /** {@link #text} followed by {@code tail} in one string; {@code tail} may be null (nothing follows). */
    void text(Utf8Text t, String tail) throws IOException {
        if (tail == null) {
            text(t);
        } else {
            string(t.isNull() ? tail : t + tail);
        }
    }

    /** An instant as {@link Texts#instant(Instant)} spells it, or {@code null}. */
    abstract void instant(Instant t) throws IOException;

    /** The instant {@code sec} seconds and {@code nanos} after the epoch, as {@link #instant(Instant)}. */
    abstract void instant(long sec, int nanos) throws IOException;

    /** The seconds from instant a to instant b, as {@link Texts#exactSecondsText} with trailing zeros stripped. */
    abstract void seconds(long aSecond, int aNano, long bSecond, int bNano) throws IOException;

    abstract void number(long n) throws IOException;

    abstract void number(double d) throws IOException;

    /** A number already written out as text (such as {@code 0.083100}). */
    abstract void numberText(String text) throws IOException;

    abstract void bool(boolean b) throws IOException;

    abstract void nul() throws IOException;

    abstract void flush() throws IOException;

    static final class Generator extends JsonOut {
        private final JsonGenerator g;

        private Generator(JsonGenerator g) {
            this.g = g;
        }

        @Override
        void startObject() throws IOException {
            g.writeStartObject();
        }

        @Override
        void endObject() throws IOException {
            g.writeEndObject();
        }

        @Override
        void startArray() throws IOException {
            g.writeStartArray();
        }

        @Override
        void endArray() throws IOException {
            g.writeEndArray();
        }

        @Override
        JsonOut name(JsonName name) throws IOException {
            g.writeFieldName(name.serialized);
            return this;
        }

        @Override
        void string(String s) throws IOException {
            g.writeString(s);
        }

        @Override
        void text(Utf8Text t) throws IOException {
            g.writeString(t.toString());
        }

        @Override
        void instant(Instant t) throws IOException {
            g.writeString(Texts.instant(t));
        }

        @Override
        void instant(long sec, int nanos) throws IOException {
            g.writeString(Texts.instant(Instant.ofEpochSecond(sec, nanos)));
        }

        @Override
        void seconds(long aSecond, int aNano, long bSecond, int bNano) throws IOException {
            g.writeNumber(Texts.exactSecondsText(Instant.ofEpochSecond(aSecond, aNano), Instant.ofEpochSecond(bSecond, bNano),
                    true));
        }

        @Override
        void number(long n) throws IOException {
            g.writeNumber(n);
        }

        @Override
        void number(double d) throws IOException {
            g.writeNumber(d);
        }

        @Override
        void numberText(String text) throws IOException {
            g.writeNumber(text);
        }

        @Override
        void bool(boolean b) throws IOException {
            g.writeBoolean(b);
        }

        @Override
        void nul() throws IOException {
            g.writeNull();
        }

        @Override
        void flush() throws IOException {
            g.flush();
        }
    }

    /**
     * Compact JSON as Jackson's {@code UTF8JsonGenerator} writes it with its default features: no
     * spaces; in strings {@code "} and {@code \} escaped with a backslash, control characters as
     * {@code \b \t \n \f \r} or a backslash-u escape of four upper-case hex digits, other characters as
     * UTF-8, except surrogates, each written as such an escape (paired or not); doubles as
     * {@link Double#toString}, NaN and the infinities as strings.
     */
    static final class Direct extends JsonOut {
        private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] NULL = {'n', 'u', 'l', 'l'}, TRUE = {'t', 'r', 'u', 'e'},
                FALSE = {'f', 'a', 'l', 's', 'e'};
        /** For each ASCII character: 0 to copy it, the letter of its short escape, or 'u' for a backslash-u escape. */
        private static final byte[] ESCAPE = new byte[128];

        static {
            for (int c = 0; c < 0x20; c++) {
                ESCAPE[c] = 'u';
            }
            ESCAPE['\b'] = 'b';
            ESCAPE['\t'] = 't';
            ESCAPE['\n'] = 'n';
            ESCAPE['\f'] = 'f';
            ESCAPE['\r'] = 'r';
            ESCAPE['"'] = '"';
            ESCAPE['\\'] = '\\';
        }

        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private final char[] chars = new char[1024];
        private int n;
        /** A value was written at this level: the next name or array element needs a comma. */
        private boolean comma;

        private Direct(OutputStream out) {
            this.out = out;
        }

        /** After {@link #flush}: the next value is written as the first of its level again (a new chunk). */
        void restart() {
            comma = false;
        }

        private void room(int len) throws IOException {
            if (n + len > buf.length) {
                drain();
            }
        }

        /** Apart from {@link #room}, which the quick compiler then inlines into every value. */
        private void drain() throws IOException {
            out.write(buf, 0, n);
            n = 0;
        }

        /**
         * Room for {@code len} bytes, and the comma before them when something came before at this
         * level (never right after a name: {@code name} clears {@code comma}).
         */
        private void value(int len) throws IOException {
            room(len + 1);
            if (comma) {
                buf[n++] = ',';
            }
        }

        private void raw(byte[] b) {
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
        }

        @Override
        void startObject() throws IOException {
            value(1);
            buf[n++] = '{';
            comma = false;
        }

        @Override
        void endObject() throws IOException {
            room(1);
            buf[n++] = '}';
            comma = true;
        }

        @Override
        void startArray() throws IOException {
            value(1);
            buf[n++] = '[';
            comma = false;
        }

        @Override
        void endArray() throws IOException {
            room(1);
            buf[n++] = ']';
            comma = true;
        }

        @Override
        JsonOut name(JsonName name) throws IOException {
            value(name.quoted.length);
            raw(name.quoted);
            comma = false;
            return this;
        }

        @Override
        void string(String s) throws IOException {
            if (s == null) {
                nul();
                return;
            }
            int len = s.length();
            if (len <= 512) {
                // the JDK copies a Latin-1 string's bytes as they are (no scan, unlike UTF-8), faster
                // than our loop in the quick compiler; characters above Latin-1 become '?', and plain()
                // sends anything but printable ASCII the long way
                byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                if (plain(b, s)) {
                    value(len + 2);
                    buf[n++] = '"';
                    System.arraycopy(b, 0, buf, n, len);
                    n += len;
                    buf[n++] = '"';
                    comma = true;
                    return;
                }
            }
            // at most 6 bytes per char (an escape), and the quotes
            value(Math.min(len, chars.length) * 6 + 2);
            buf[n++] = '"';
            for (int off = 0; off < len; off += chars.length) {
                int k = Math.min(chars.length, len - off);
                if (off > 0) {
                    room(k * 6 + 1);
                }
                s.getChars(off, off + k, chars, 0);
                segment(k);
            }
            buf[n++] = '"';
            comma = true;
        }

        /**
         * Whether {@code b}, the Latin-1 bytes of {@code s}, are ASCII needing no escape: no byte below a
         * space (the non-ASCII ones are negative), no quote or backslash, and every '?' a real one.
         */
        private static boolean plain(byte[] b, String s) {
            for (int i = 0; i < b.length; i++) {
                byte c = b[i];
                if (c < 0x20 || c == '"' || c == '\\' || c == '?' && s.charAt(i) != '?') {
                    return false;
                }
            }
            return true;
        }

        /** Encodes {@code chars[0..k)}; the buffer has room for 6 bytes a char. */
        private void segment(int k) {
            byte[] b = buf;
            int p = n;
            for (int i = 0; i < k; i++) {
                char c = chars[i];
                if (c < 0x80) {
                    byte e = ESCAPE[c];
                    if (e == 0) {
                        b[p++] = (byte) c;
                    } else {
                        b[p++] = '\\';
                        if (e == 'u') {
                            b[p++] = 'u';
                            b[p++] = '0';
                            b[p++] = '0';
                            b[p++] = HEX[c >> 4];
                            b[p++] = HEX[c & 0xF];
                        } else {
                            b[p++] = e;
                        }
                    }
                } else if (c < 0x800) {
                    b[p++] = (byte) (0xC0 | c >> 6);
                    b[p++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    b[p++] = '\\';
                    b[p++] = 'u';
                    b[p++] = HEX[c >> 12];
                    b[p++] = HEX[c >> 8 & 0xF];
                    b[p++] = HEX[c >> 4 & 0xF];
                    b[p++] = HEX[c & 0xF];
                } else {
                    b[p++] = (byte) (0xE0 | c >> 12);
                    b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                    b[p++] = (byte) (0x80 | c & 0x3F);
                }
            }
            n = p;
        }

        @Override
        void text(Utf8Text t) throws IOException {
            if (t.isNull()) {
                nul();
                return;
            }
            byte[] b = t.bytes();
            int off = t.offset(), len = t.length();
            if (t.ascii() && t.jsonPlain()) {
                // known when it was stored: nothing to look for
                value(len + 2);
                buf[n++] = '"';
                System.arraycopy(b, off, buf, n, len);
                n += len;
                buf[n++] = '"';
                comma = true;
                return;
            }
            value(2);
            buf[n++] = '"';
            for (int at = off, end = off + len; at < end; ) {
                // at most 12 bytes for what one character becomes (a pair of escapes)
                room(12 + 1);
                at = utf8(b, at);
            }
            buf[n++] = '"';
            comma = true;
        }

        /**
         * Writes the character whose UTF-8 bytes start at {@code b[at]} as {@link #segment} writes its
         * chars: ASCII escaped where needed, other characters as their bytes, a character beyond the
         * Basic Multilingual Plane (four bytes) as the escapes of its two surrogates. Returns where the
         * next character starts.
         */
        private int utf8(byte[] b, int at) {
            int c = b[at] & 0xFF;
            if (c < 0x80) {
                byte e = ESCAPE[c];
                if (e == 0) {
                    buf[n++] = (byte) c;
                } else {
                    buf[n++] = '\\';
                    if (e == 'u') {
                        buf[n++] = 'u';
                        buf[n++] = '0';
                        buf[n++] = '0';
                        buf[n++] = HEX[c >> 4];
                        buf[n++] = HEX[c & 0xF];
                    } else {
                        buf[n++] = e;
                    }
                }
                return at + 1;
            }
            if (c < 0xF0) {
                int k = c < 0xE0 ? 2 : 3;
                System.arraycopy(b, at, buf, n, k);
                n += k;
                return at + k;
            }
            int cp = (c & 0x07) << 18 | (b[at + 1] & 0x3F) << 12 | (b[at + 2] & 0x3F) << 6 | (b[at + 3] & 0x3F);
            escape(Character.highSurrogate(cp));
            escape(Character.lowSurrogate(cp));
            return at + 4;
        }

        private void escape(char c) {
            buf[n++] = '\\';
            buf[n++] = 'u';
            buf[n++] = HEX[c >> 12];
            buf[n++] = HEX[c >> 8 & 0xF];
            buf[n++] = HEX[c >> 4 & 0xF];
            buf[n++] = HEX[c & 0xF];
        }

        @Override
        void instant(long sec, int nanos) throws IOException {
            if (!Texts.spellsDirectly(sec)) {
                string(Texts.instant(Instant.ofEpochSecond(sec, nanos)));
                return;
            }
            value(Texts.INSTANT_MAX + 2);
            buf[n++] = '"';
            n = Texts.instant(sec, nanos, buf, n);
            buf[n++] = '"';
            comma = true;
        }

        @Override
        void seconds(long aSecond, int aNano, long bSecond, int bNano) throws IOException {
            if (!Texts.exactSecondsDirectly(aSecond, bSecond)) {
                numberText(Texts.exactSecondsText(Instant.ofEpochSecond(aSecond, aNano),
                        Instant.ofEpochSecond(bSecond, bNano), true));
                return;
            }
            value(Texts.EXACT_MAX);
            n = Texts.exactSeconds(aSecond, aNano, bSecond, bNano, true, buf, n);
            comma = true;
        }

        @Override
        void instant(Instant t) throws IOException {
            if (t == null || !Texts.spellsDirectly(t)) {
                string(Texts.instant(t));
                return;
            }
            // its text is ASCII that needs no escape: straight into the buffer, no String between
            value(Texts.INSTANT_MAX + 2);
            buf[n++] = '"';
            n = Texts.instant(t, buf, n);
            buf[n++] = '"';
            comma = true;
        }

        @Override
        void number(long v) throws IOException {
            value(Decimal.MAX);
            n = Decimal.put(buf, n, v);
            comma = true;
        }

        @Override
        void number(double d) throws IOException {
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                string(Double.toString(d));
                return;
            }
            numberText(Double.toString(d));
        }

        @Override
        void numberText(String text) throws IOException {
            int len = text.length();
            value(len);
            // number text is ASCII: digits, sign, point, exponent
            for (int i = 0; i < len; i++) {
                buf[n++] = (byte) text.charAt(i);
            }
            comma = true;
        }

        @Override
        void bool(boolean b) throws IOException {
            value(5);
            raw(b ? TRUE : FALSE);
            comma = true;
        }

        @Override
        void nul() throws IOException {
            value(4);
            raw(NULL);
            comma = true;
        }

        @Override
        void flush() throws IOException {
            out.write(buf, 0, n);
            n = 0;
            out.flush();
        }
    }
}
