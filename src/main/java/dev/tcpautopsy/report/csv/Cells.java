package dev.tcpautopsy.report.csv;

import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.Utf8Text;
import dev.tcpautopsy.report.Texts;
import dev.tcpautopsy.report.Utf8Writer;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The cells of one row of flows.csv. {@link #text} may need quoting, {@link #plain} cannot (digits, enum
 * names, addresses, timestamps: no delimiter, quote or line break, nothing at either end that Commons CSV
 * quotes). Directly written cells go into the writer Commons CSV prints into, as it would write them; it
 * then only ends the rows. Not direct, every cell goes through Commons CSV (a test compares the two).
 */
record Cells(CSVPrinter csv, Utf8Writer w, boolean direct) {
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);

    /** Whether a text cell starting with {@code c} would be taken for a formula ({@link CsvRenderer#inert}). */
    static boolean formula(int c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /** The row's first cell, as {@code FORMAT.print(file, out, true)} wrote it. */
    void first(String file, String printed) throws IOException {
        if (direct) {
            w.write(printed);
        } else {
            csv.print(file);
        }
    }

    void text(String cell) throws IOException {
        String s = CsvRenderer.inert(cell);
        if (!direct) {
            csv.print(s);
            return;
        }
        w.write(',');
        if (s != null && !s.isEmpty()) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            quoted(b, 0, b.length, false, false, false);
        }
    }

    /** A text cell from its UTF-8 bytes; null is an empty cell. */
    void text(Utf8Text t) throws IOException {
        if (!direct) {
            csv.print(t == null ? null : CsvRenderer.inert(t.toString()));
            return;
        }
        w.write(',');
        if (t != null && !t.isEmpty()) {
            quoted(t.bytes(), t.offset(), t.length(), formula(t.byteAt(0)), t.csvPlain(), t.jsonPlain());
        }
    }

    /**
     * Writes {@code b[off, off+len)} (not empty), after an apostrophe when {@code inert}, as Commons CSV's RFC
     * 4180 format writes a cell other than a row's first (its minimal quote mode): in quotes, with each quote
     * doubled, when it starts with a character up to {@code #}, ends with one up to a space, or holds a
     * comma, quote or line break ({@code plain}: it is known to hold none; {@code noQuote}: no quote); as it
     * is otherwise. The characters it looks for are ASCII, and a non-ASCII character's bytes are all above them.
     */
    private void quoted(byte[] b, int off, int len, boolean inert, boolean plain, boolean noQuote) throws IOException {
        int last = off + len - 1;
        boolean quote = !inert && (b[off] & 0xFF) <= '#' || (b[last] & 0xFF) <= ' ';
        for (int i = off; i <= last && !quote && !plain; i++) {
            byte c = b[i];
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (quote) {
            w.write('"');
        }
        if (inert) {
            w.write('\'');
        }
        if (!quote || noQuote) {
            w.writeUtf8(b, off, len);
            if (quote) {
                w.write('"');
            }
            return;
        }
        int start = off;
        for (int i = off; i <= last; i++) {
            if (b[i] == '"') {
                w.writeUtf8(b, start, i + 1 - start);
                w.write('"');
                start = i + 1;
            }
        }
        w.writeUtf8(b, start, last + 1 - start);
        w.write('"');
    }

    /** A cell of ASCII characters that need no quotes (the direct path copies them as they are). */
    void plain(String s) throws IOException {
        if (!direct) {
            csv.print(s);
            return;
        }
        w.write(',');
        if (s != null) {
            w.writeAscii(s);
        }
    }

    /** An address: ASCII that needs no quotes. */
    void plain(Utf8Text t) throws IOException {
        if (!direct) {
            csv.print(t.toString());
            return;
        }
        w.write(',');
        w.writeUtf8(t.bytes(), t.offset(), t.length());
    }

    void plain(long n) throws IOException {
        if (!direct) {
            csv.print(Long.toString(n));
            return;
        }
        w.write(',');
        w.writeDecimal(n);
    }

    /** {@code n}, or an empty cell when {@code known} is false. */
    void plain(boolean known, long n) throws IOException {
        if (known) {
            plain(n);
        } else {
            plain("");
        }
    }

    /** An instant, or an empty cell when unknown. */
    void instant(boolean known, long sec, int nanos) throws IOException {
        if (!direct || !known) {
            plain(known ? Texts.instant(Instant.ofEpochSecond(sec, nanos)) : null);
            return;
        }
        w.write(',');
        w.writeInstant(sec, nanos);
    }

    /** Seconds from the first to the last frame, exact; empty when either time is unknown. */
    void seconds(FlowRecord f) throws IOException {
        if (!f.hasStart() || !f.hasEnd()) {
            plain("");
        } else if (!direct) {
            plain(Texts.exactSecondsText(Instant.ofEpochSecond(f.startSecond(), f.startNano()),
                    Instant.ofEpochSecond(f.endSecond(), f.endNano()), false));
        } else {
            w.write(',');
            w.writeExactSeconds(f.startSecond(), f.startNano(), f.endSecond(), f.endNano(), false);
        }
    }

    /** Whole microseconds as milliseconds with three decimals (exact digits); empty when unknown (negative). */
    void millis(long micros) throws IOException {
        if (micros < 0 || !direct) {
            plain(micros < 0 ? "" : CsvRenderer.millis(micros));
            return;
        }
        w.write(',');
        w.writeDecimal(micros / 1000);
        long frac = micros % 1000;
        w.write('.');
        w.write((char) ('0' + frac / 100));
        w.write((char) ('0' + frac / 10 % 10));
        w.write((char) ('0' + frac % 10));
    }

    /** The tags joined with {@code ;}. */
    void tags(FlowRecord f) throws IOException {
        if (!direct) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < f.tagCount(); i++) {
                sb.append(i == 0 ? "" : ";").append(f.tag(i).name());
            }
            plain(sb.toString());
            return;
        }
        w.write(',');
        for (int i = 0; i < f.tagCount(); i++) {
            if (i > 0) {
                w.write(';');
            }
            w.writeAscii(f.tag(i).name());
        }
    }

    /** The evidence frames joined with {@code ;}. */
    void frames(FlowRecord f) throws IOException {
        if (!direct) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < f.evidenceCount(); i++) {
                sb.append(i == 0 ? "" : ";").append(f.evidenceFrame(i));
            }
            plain(sb.toString());
            return;
        }
        w.write(',');
        for (int i = 0; i < f.evidenceCount(); i++) {
            if (i > 0) {
                w.write(';');
            }
            w.writeDecimal(f.evidenceFrame(i));
        }
    }
}
