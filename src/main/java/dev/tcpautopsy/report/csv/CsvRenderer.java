package dev.tcpautopsy.report.csv;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.Texts;
import dev.tcpautopsy.report.Utf8Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

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
            "client_retransmissions", "server_retransmissions", "client_ttl", "server_ttl", "history");

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader(COLUMNS.toArray(String[]::new)).get();

    @Override
    public String fileName() {
        return FILE;
    }

    @Override
    public void render(AnalysisReport report, ReportTarget target) throws IOException {
        try (OutputStream out = target.open(FILE);
             CSVPrinter csv = new CSVPrinter(new Utf8Writer(out, 1 << 16), FORMAT)) {
            for (CaptureReport c : report.captures()) {
                if (c.flows() == null) {
                    continue;
                }
                for (Flow f : c.flows()) {
                    row(csv, c.file(), f);
                    csv.println();
                }
            }
        }
    }

    /** One row, a value at a time (no list of boxed values, no stream per list cell). */
    private static void row(CSVPrinter csv, String file, Flow f) throws IOException {
        Termination t = f.termination();
        csv.print(file);
        csv.print(Long.toString(f.stream()));
        csv.print(f.client().ip());
        csv.print(Integer.toString(f.client().port()));
        csv.print(f.server().ip());
        csv.print(Integer.toString(f.server().port()));
        csv.print(t.cls().name());
        csv.print(t.by().wire());
        csv.print(t.reason());
        csv.print(t.appView() == null ? "" : t.appView().client());
        csv.print(t.appView() == null ? "" : t.appView().server());
        csv.print(tags(t));
        csv.print(t.filter());
        csv.print(frames(t));
        csv.print(Long.toString(f.firstFrame()));
        csv.print(Long.toString(f.lastFrame()));
        csv.print(Texts.instant(f.start()));
        csv.print(Texts.instant(f.end()));
        csv.print(Texts.exactSecondsText(f.start(), f.end(), false));
        csv.print(f.handshakeSeen() ? "true" : "false");
        csv.print(f.halfClosed() ? "true" : "false");
        csv.print(f.handshakeRttMicros() < 0 ? "" : millis(f.handshakeRttMicros()));
        csv.print(f.longestIdle() == null ? "" : Texts.fixed(f.longestIdle().seconds(), 6));
        direction(csv, f.fromClient(), f.fromServer());
        csv.print(f.history());
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

    private static void direction(CSVPrinter csv, DirectionStats c, DirectionStats s) throws IOException {
        csv.print(c == null ? "" : Long.toString(c.packets()));
        csv.print(c == null ? "" : Long.toString(c.payloadBytes()));
        csv.print(s == null ? "" : Long.toString(s.packets()));
        csv.print(s == null ? "" : Long.toString(s.payloadBytes()));
        csv.print(c == null || c.analysis() == null ? "" : Long.toString(c.analysis().retransmissions()));
        csv.print(s == null || s.analysis() == null ? "" : Long.toString(s.analysis().retransmissions()));
        csv.print(c == null || c.ttl() < 0 ? "" : Integer.toString(c.ttl()));
        csv.print(s == null || s.ttl() < 0 ? "" : Integer.toString(s.ttl()));
    }

    /** Whole microseconds as milliseconds with three decimals: the digits are exact, no rounding. */
    static String millis(long micros) {
        long frac = micros % 1000;
        return micros / 1000 + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }


}
