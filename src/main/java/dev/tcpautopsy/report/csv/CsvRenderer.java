package dev.tcpautopsy.report.csv;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.AppContext;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.ReportVisitor;
import dev.tcpautopsy.report.Texts;
import dev.tcpautopsy.report.Utf8Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * {@code flows.csv}: one row a flow, every capture, RFC 4180 (comma, CRLF, double quotes only
 * where needed), UTF-8. The columns are a stable interface documented in the README: new ones
 * are only ever appended. Unknown values are empty cells; lists are joined with {@code ;}.
 */
public final class CsvRenderer implements ReportRenderer {
    public static final String FILE = "flows.csv";

    /** The header, in order. */
    public static final List<String> COLUMNS = List.of(
            "file", "stream", "client_ip", "client_port", "server_ip", "server_port",
            "class", "by", "reason", "app_client", "app_server", "tags", "filter", "evidence_frames",
            "first_frame", "last_frame", "start", "end", "duration_s", "handshake_seen", "half_closed",
            "handshake_rtt_ms", "longest_idle_s",
            "client_packets", "client_bytes", "server_packets", "server_bytes",
            "client_retransmissions", "server_retransmissions", "client_ttl", "server_ttl", "history",
            "app_protocol", "last_request", "last_response", "unanswered_request", "goodbye");

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader(COLUMNS.toArray(String[]::new)).get();

    @Override
    public String fileName() {
        return FILE;
    }

    /**
     * Whether cells are written past Commons CSV, as it would write them: through it, each cell went
     * through a synchronized call and its per-character check, most of the rendering's time
     * (bench/results/design-choices.md); {@code false} sends every cell through Commons CSV, which a test
     * compares with, byte for byte.
     */
    private final boolean direct;

    public CsvRenderer() {
        this(true);
    }

    CsvRenderer(boolean direct) {
        this.direct = direct;
    }

    @Override
    public ReportVisitor start(AnalysisReport report, ReportTarget target) throws IOException {
        OutputStream out = target.open(FILE);
        try {
            Utf8Writer w = new Utf8Writer(out, 1 << 16);
            return new Writing(new CSVPrinter(w, FORMAT), w, direct);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** One flows.csv being written. */
    private static final class Writing implements ReportVisitor {
        private final CSVPrinter csv;
        private final Cells cells;
        private String file, printed;

        Writing(CSVPrinter csv, Utf8Writer w, boolean direct) {
            this.csv = csv;
            this.cells = new Cells(csv, w, direct);
        }

        @Override
        public boolean startCapture(CaptureReport c) {
            // a file name may need quotes: Commons CSV writes it once, as a row's first cell
            String shown = inert(c.file());
            StringBuilder first = new StringBuilder();
            try {
                FORMAT.print(shown, first, true);
            } catch (IOException e) {
                throw new IllegalStateException("a StringBuilder does not fail", e);
            }
            file = shown;
            printed = first.toString();
            return true;
        }

        @Override
        public boolean flow(Flow f) throws IOException {
            row(cells, file, printed, f);
            csv.println();
            return true;
        }

        @Override
        public void end() throws IOException {
            csv.flush();
        }

        @Override
        public void close() throws IOException {
            csv.close();
        }
    }

    /**
     * The cells of one row. {@link #text} may need quoting, {@link #plain} cannot (digits, enum names,
     * addresses, timestamps: no delimiter, quote or line break, nothing at either end that Commons CSV
     * quotes). Directly written cells go into the writer Commons CSV prints into; it then only ends
     * the rows.
     */
    private record Cells(CSVPrinter csv, Utf8Writer w, boolean direct) {
        /** The row's first cell, as {@code FORMAT.print(file, out, true)} wrote it. */
        void first(String file, String printed) throws IOException {
            if (direct) {
                w.write(printed);
            } else {
                csv.print(file);
            }
        }

        void text(String cell) throws IOException {
            String s = inert(cell);
            if (!direct) {
                csv.print(s);
                return;
            }
            w.write(',');
            if (s != null) {
                quoted(s, w);
            }
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

        void plain(long n) throws IOException {
            if (!direct) {
                csv.print(Long.toString(n));
                return;
            }
            w.write(',');
            w.writeDecimal(n);
        }

        void instant(Instant t) throws IOException {
            if (!direct || t == null) {
                plain(Texts.instant(t));
                return;
            }
            w.write(',');
            w.writeInstant(t);
        }

        /** {@code n}, or an empty cell when {@code known} is false. */
        void plain(boolean known, long n) throws IOException {
            if (known) {
                plain(n);
            } else {
                plain("");
            }
        }
    }

    /**
     * A text cell a spreadsheet will not run: one starting with {@code = + - @}, a tab or a carriage
     * return (a file name such as {@code =HYPERLINK(...)}) gets a leading apostrophe, OWASP's rule
     * against CSV injection. Numbers and addresses are written as plain cells and never start so.
     */
    static String inert(String cell) {
        if (cell == null || cell.isEmpty() || "=+-@\t\r".indexOf(cell.charAt(0)) < 0) {
            return cell;
        }
        return "'" + cell;
    }

    /**
     * A cell other than a row's first as Commons CSV's RFC 4180 format writes it (its minimal quote
     * mode): in quotes, with each quote doubled, when it starts with a character up to {@code #},
     * ends with one up to a space, or holds a comma, quote or line break; as it is otherwise.
     */
    static void quoted(String s, Utf8Writer w) throws IOException {
        if (s.isEmpty()) {
            return;
        }
        // one pass over the UTF-8 bytes, which are then written as they are: the characters Commons
        // CSV looks for are ASCII, and a non-ASCII character's bytes are all above them (an unpaired
        // surrogate becomes '?' both here and in the writer)
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int last = b.length - 1;
        boolean quote = (b[0] & 0xFF) <= '#' || (b[last] & 0xFF) <= ' ';
        for (int i = 0; i <= last && !quote; i++) {
            byte c = b[i];
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            w.writeUtf8(b, 0, b.length);
            return;
        }
        w.write('"');
        int start = 0;
        for (int i = 0; i <= last; i++) {
            if (b[i] == '"') {
                w.writeUtf8(b, start, i + 1 - start);
                w.write('"');
                start = i + 1;
            }
        }
        w.writeUtf8(b, start, b.length - start);
        w.write('"');
    }

    /** One row, a value at a time (no list of boxed values, no stream per list cell). */
    private static void row(Cells csv, String file, String printedFile, Flow f) throws IOException {
        Termination t = f.termination();
        csv.first(file, printedFile);
        csv.plain(f.stream());
        csv.plain(f.client().ip());
        csv.plain(f.client().port());
        csv.plain(f.server().ip());
        csv.plain(f.server().port());
        csv.plain(t.cls().name());
        csv.plain(t.by().wire());
        csv.text(t.reason());
        csv.text(t.appView() == null ? "" : t.appView().client());
        csv.text(t.appView() == null ? "" : t.appView().server());
        csv.plain(tags(t));
        csv.text(t.filter());
        csv.plain(frames(t));
        csv.plain(f.firstFrame());
        csv.plain(f.lastFrame());
        csv.instant(f.start());
        csv.instant(f.end());
        csv.plain(Texts.exactSecondsText(f.start(), f.end(), false));
        csv.plain(f.handshakeSeen() ? "true" : "false");
        csv.plain(f.halfClosed() ? "true" : "false");
        csv.plain(f.handshakeRttMicros() < 0 ? "" : millis(f.handshakeRttMicros()));
        csv.plain(f.longestIdle() == null ? "" : Units.fixed(f.longestIdle().seconds(), 6));
        direction(csv, f.fromClient(), f.fromServer());
        csv.text(f.history());
        AppContext app = f.app();
        csv.text(app == null ? null : app.protocol());
        csv.text(app == null ? null : message(app.lastRequest()));
        csv.text(app == null ? null : message(app.lastResponse()));
        csv.plain(app == null ? "" : app.unanswered() ? "true" : "false");
        csv.text(app == null ? null : message(app.goodbye()));
    }

    /** {@code frame 1021 client: GET /api/orders HTTP/1.1 (Host: shop.example)}, or null. */
    private static String message(AppContext.AppMessage m) {
        return m == null ? null : "frame " + m.frame() + " " + m.from() + ": " + m.text();
    }

    private static String tags(Termination t) {
        List<Tag> tags = t.tags();
        if (tags.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Tag tag : tags) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(tag.name());
        }
        return sb.toString();
    }

    private static String frames(Termination t) {
        StringBuilder sb = new StringBuilder();
        for (Evidence e : t.evidence()) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(e.frame());
        }
        return sb.toString();
    }

    private static void direction(Cells csv, DirectionStats c, DirectionStats s) throws IOException {
        boolean cs = c != null, ss = s != null;
        boolean ca = cs && c.analysis() != null, sa = ss && s.analysis() != null;
        csv.plain(cs, cs ? c.packets() : 0);
        csv.plain(cs, cs ? c.payloadBytes() : 0);
        csv.plain(ss, ss ? s.packets() : 0);
        csv.plain(ss, ss ? s.payloadBytes() : 0);
        csv.plain(ca, ca ? c.analysis().retransmissions() : 0);
        csv.plain(sa, sa ? s.analysis().retransmissions() : 0);
        csv.plain(cs && c.ttl() >= 0, cs ? c.ttl() : 0);
        csv.plain(ss && s.ttl() >= 0, ss ? s.ttl() : 0);
    }

    /** Whole microseconds as milliseconds with three decimals: the digits are exact, no rounding. */
    static String millis(long micros) {
        long frac = micros % 1000;
        return micros / 1000 + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }


}
