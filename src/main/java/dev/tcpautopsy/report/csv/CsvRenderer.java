package dev.tcpautopsy.report.csv;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.AppRecord;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.DirectionRecord;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.FlowChunks;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.ReportVisitor;
import dev.tcpautopsy.report.Utf8Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
    /** The same, for rows formatted apart: the header is written once, by the file's own printer. */
    private static final CSVFormat ROWS = CSVFormat.RFC4180;

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
    private static final class Writing implements ReportVisitor, FlowChunks {
        private final CSVPrinter csv;
        private final Cells cells;
        private final Utf8Writer w;
        private final boolean direct;
        private String file, printed;

        Writing(CSVPrinter csv, Utf8Writer w, boolean direct) {
            this.csv = csv;
            this.cells = new Cells(csv, w, direct);
            this.w = w;
            this.direct = direct;
        }

        @Override
        public boolean chunked() {
            return direct;
        }

        @Override
        public Formatter formatter() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
            Utf8Writer out = new Utf8Writer(bytes, 1 << 16);
            CSVPrinter rows;
            try {
                rows = new CSVPrinter(out, ROWS);
            } catch (IOException e) {
                throw new IllegalStateException("a printer without a header writes nothing yet", e);
            }
            Cells c = new Cells(rows, out, true);
            return new Formatter() {
                @Override
                public void add(FlowRecord r) throws IOException {
                    // the capture's file, set on the writing thread before any chunk of it was handed out
                    row(c, file, printed, r);
                    rows.println();
                }

                @Override
                public byte[] chunk() throws IOException {
                    out.flush();
                    byte[] b = bytes.toByteArray();
                    bytes.reset();
                    return b;
                }
            };
        }

        @Override
        public void write(byte[] chunk, boolean first) throws IOException {
            w.writeUtf8(chunk, 0, chunk.length);
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
        public boolean flow(FlowRecord f) throws IOException {
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
     * A text cell a spreadsheet will not run: one starting with {@code = + - @}, a tab or a carriage
     * return (a file name such as {@code =HYPERLINK(...)}) gets a leading apostrophe, OWASP's rule
     * against CSV injection. Numbers and addresses are written as plain cells and never start so.
     */
    static String inert(String cell) {
        if (cell == null || cell.isEmpty() || !Cells.formula(cell.charAt(0))) {
            return cell;
        }
        return "'" + cell;
    }

    /** One row, a value at a time, from the encoded flow: no String for a number, a time or a stored text. */
    private static void row(Cells csv, String file, String printedFile, FlowRecord f) throws IOException {
        csv.first(file, printedFile);
        csv.plain(f.stream());
        csv.plain(f.clientIp());
        csv.plain(f.clientPort());
        csv.plain(f.serverIp());
        csv.plain(f.serverPort());
        csv.plain(f.cls().name());
        csv.plain(f.by().wire());
        if (f.reasonClause() == null) {
            csv.text(f.reason());
        } else {
            csv.text(f.reason() + f.reasonClause());
        }
        if (f.hasAppView()) {
            csv.text(f.sawClient());
            csv.text(f.sawServer());
        } else {
            csv.text("");
            csv.text("");
        }
        csv.tags(f);
        csv.text(f.filter());
        csv.frames(f);
        csv.plain(f.firstFrame());
        csv.plain(f.lastFrame());
        csv.instant(f.hasStart(), f.startSecond(), f.startNano());
        csv.instant(f.hasEnd(), f.endSecond(), f.endNano());
        csv.seconds(f);
        csv.plain(f.handshakeSeen() ? "true" : "false");
        csv.plain(f.halfClosed() ? "true" : "false");
        csv.millis(f.handshakeRttMicros());
        csv.plain(f.hasLongestIdle() ? Units.fixed(f.idleSeconds(), 6) : "");
        direction(csv, f.fromClient(), f.fromServer());
        csv.text(f.history());
        AppRecord app = f.app();
        csv.text(app.present() ? app.protocol() : null);
        csv.text(app.present() ? message(app.lastRequest()) : null);
        csv.text(app.present() ? message(app.lastResponse()) : null);
        csv.plain(!app.present() || !app.unansweredKnown() ? "" : app.unanswered() ? "true" : "false");
        csv.text(app.present() ? message(app.goodbye()) : null);
    }

    /** {@code frame 1021 client: GET /api/orders HTTP/1.1 (Host: shop.example)}, or null. */
    private static String message(AppRecord.Message m) {
        return !m.present() ? null : "frame " + m.frame() + " " + m.from() + ": " + m.text();
    }

    private static void direction(Cells csv, DirectionRecord c, DirectionRecord s) throws IOException {
        boolean cs = c.present(), ss = s.present();
        boolean ca = cs && c.hasAnalysis(), sa = ss && s.hasAnalysis();
        csv.plain(cs, cs ? c.packets() : 0);
        csv.plain(cs, cs ? c.payloadBytes() : 0);
        csv.plain(ss, ss ? s.packets() : 0);
        csv.plain(ss, ss ? s.payloadBytes() : 0);
        csv.plain(ca, ca ? c.count(0) : 0);
        csv.plain(sa, sa ? s.count(0) : 0);
        csv.plain(cs && c.ttl() >= 0, cs ? c.ttl() : 0);
        csv.plain(ss && s.ttl() >= 0, ss ? s.ttl() : 0);
    }

    /** Whole microseconds as milliseconds with three decimals: the digits are exact, no rounding. */
    static String millis(long micros) {
        long frac = micros % 1000;
        return micros / 1000 + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }
}
