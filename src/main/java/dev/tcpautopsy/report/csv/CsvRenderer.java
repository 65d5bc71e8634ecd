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

import java.io.IOException;
import java.util.List;

/**
 * {@code flows.csv}: one row a flow, every capture, RFC 4180 (comma, CRLF, double quotes only
 * where needed), UTF-8, written by {@link CsvOut}. The columns are a stable interface documented in the README: new ones
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

    @Override
    public String fileName() {
        return FILE;
    }

    @Override
    public void render(AnalysisReport report, ReportTarget target) throws IOException {
        try (CsvOut csv = new CsvOut(target.open(FILE))) {
            for (String column : COLUMNS) {
                csv.value(column);
            }
            csv.endRecord();
            for (CaptureReport c : report.captures()) {
                if (c.flows() == null) {
                    continue;
                }
                for (Flow f : c.flows()) {
                    row(csv, c.file(), f);
                    csv.endRecord();
                }
            }
        }
    }

    /** One row, a value at a time. */
    private static void row(CsvOut csv, String file, Flow f) throws IOException {
        Termination t = f.termination();
        csv.value(file);
        csv.value(f.stream());
        csv.value(f.client().ip());
        csv.value(f.client().port());
        csv.value(f.server().ip());
        csv.value(f.server().port());
        csv.value(t.cls().name());
        csv.value(t.by().wire());
        csv.value(t.reason());
        csv.value(t.appView() == null ? "" : t.appView().client());
        csv.value(t.appView() == null ? "" : t.appView().server());
        csv.value(tags(t));
        csv.value(t.filter());
        csv.value(frames(t));
        csv.value(f.firstFrame());
        csv.value(f.lastFrame());
        csv.value(Texts.instant(f.start()));
        csv.value(Texts.instant(f.end()));
        csv.value(Texts.exactSecondsText(f.start(), f.end(), false));
        csv.value(f.handshakeSeen() ? "true" : "false");
        csv.value(f.halfClosed() ? "true" : "false");
        csv.value(f.handshakeRttMicros() < 0 ? "" : millis(f.handshakeRttMicros()));
        csv.value(f.longestIdle() == null ? "" : Texts.fixed(f.longestIdle().seconds(), 6));
        direction(csv, f.fromClient(), f.fromServer());
        csv.value(f.history());
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

    private static void direction(CsvOut csv, DirectionStats c, DirectionStats s) throws IOException {
        if (c == null) {
            csv.value("");
            csv.value("");
        } else {
            csv.value(c.packets());
            csv.value(c.payloadBytes());
        }
        if (s == null) {
            csv.value("");
            csv.value("");
        } else {
            csv.value(s.packets());
            csv.value(s.payloadBytes());
        }
        retransmissions(csv, c);
        retransmissions(csv, s);
        ttl(csv, c);
        ttl(csv, s);
    }

    private static void retransmissions(CsvOut csv, DirectionStats d) throws IOException {
        if (d == null || d.analysis() == null) {
            csv.value("");
        } else {
            csv.value(d.analysis().retransmissions());
        }
    }

    private static void ttl(CsvOut csv, DirectionStats d) throws IOException {
        if (d == null || d.ttl() < 0) {
            csv.value("");
        } else {
            csv.value(d.ttl());
        }
    }

    /** Whole microseconds as milliseconds with three decimals: the digits are exact, no rounding. */
    static String millis(long micros) {
        long frac = micros % 1000;
        return micros / 1000 + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }


}
