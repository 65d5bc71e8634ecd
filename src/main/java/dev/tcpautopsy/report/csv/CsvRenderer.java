package dev.tcpautopsy.report.csv;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.Texts;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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
             CSVPrinter csv = new CSVPrinter(new BufferedWriter(
                     new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16), FORMAT)) {
            List<Object> row = new ArrayList<>(COLUMNS.size());
            for (CaptureReport c : report.captures()) {
                if (c.flows() == null) {
                    continue;
                }
                for (Flow f : c.flows()) {
                    row.clear();
                    fill(c.file(), f, row);
                    csv.printRecord(row);
                }
            }
        }
    }

    private static void fill(String file, Flow f, List<Object> row) {
        Termination t = f.termination();
        row.add(file);
        row.add(f.stream());
        row.add(f.client().ip());
        row.add(f.client().port());
        row.add(f.server().ip());
        row.add(f.server().port());
        row.add(t.cls().name());
        row.add(t.by().wire());
        row.add(t.reason());
        row.add(t.appView() == null ? "" : t.appView().client());
        row.add(t.appView() == null ? "" : t.appView().server());
        row.add(t.tags().stream().map(Tag::name).collect(Collectors.joining(";")));
        row.add(t.filter());
        row.add(t.evidence().stream().map(e -> Long.toString(e.frame())).collect(Collectors.joining(";")));
        row.add(f.firstFrame());
        row.add(f.lastFrame());
        row.add(Texts.instant(f.start()));
        row.add(Texts.instant(f.end()));
        row.add(Texts.exactSeconds(f.start(), f.end()).toPlainString());
        row.add(f.handshakeSeen());
        row.add(f.halfClosed());
        row.add(f.handshakeRttMicros() < 0 ? "" : decimal(f.handshakeRttMicros() / 1000.0, 3));
        row.add(f.longestIdle() == null ? "" : decimal(f.longestIdle().seconds(), 6));
        direction(f.fromClient(), f.fromServer(), row);
        row.add(f.history());
    }

    private static void direction(DirectionStats c, DirectionStats s, List<Object> row) {
        row.add(c == null ? "" : c.packets());
        row.add(c == null ? "" : c.payloadBytes());
        row.add(s == null ? "" : s.packets());
        row.add(s == null ? "" : s.payloadBytes());
        row.add(c == null || c.analysis() == null ? "" : c.analysis().retransmissions());
        row.add(s == null || s.analysis() == null ? "" : s.analysis().retransmissions());
        row.add(c == null || c.ttl() < 0 ? "" : c.ttl());
        row.add(s == null || s.ttl() < 0 ? "" : s.ttl());
    }

    private static String decimal(double v, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", v);
    }

}
