package dev.tcpautopsy.report.compare;

import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.Texts;
import dev.tcpautopsy.report.Utf8Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;

/**
 * {@code compare.csv}: one row a segment seen at one point only, RFC 4180 as {@code flows.csv}. The
 * columns are documented in the README and only ever appended to. Endpoints are as A sees them, except in
 * the rows of connections seen at B only; a frame or stream the segment has not at a point is empty.
 */
public final class CompareCsv implements CompareRenderer {
    public static final String FILE = "compare.csv";

    public static final List<String> COLUMNS = List.of("kind", "stream_a", "stream_b", "frame_a", "frame_b", "time",
            "direction", "client_ip", "client_port", "server_ip", "server_port", "flags", "seq", "ack", "len", "ttl",
            "what", "category", "class", "by");

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get();

    @Override
    public String fileName() {
        return FILE;
    }

    @Override
    public void render(Comparison c, ReportTarget target) throws IOException {
        try (OutputStream out = target.open(FILE); Writer w = new Utf8Writer(out, 1 << 16);
             CSVPrinter p = new CSVPrinter(w, FORMAT)) {
            for (Comparison.Pair x : c.connections()) {
                Row r = new Row(p, x.a().stream(), x.b().stream(), x.client(), x.server(), x.category(), x.termination());
                r.all("lostAtoB", x.lostAtoB());
                r.all("lostBtoA", x.lostBtoA());
                r.all("appearedAtA", x.appearedAtA());
                r.all("appearedAtB", x.appearedAtB());
            }
            for (Comparison.OneSided x : c.onlyInA()) {
                Row r = new Row(p, x.view().stream(), -1, x.view().client(), x.view().server(), x.category(),
                        x.termination());
                r.all("lostAtoB", x.lost());
                r.all("appearedAtA", x.appeared());
            }
            for (Comparison.OneSided x : c.onlyInB()) {
                Row r = new Row(p, -1, x.view().stream(), x.view().client(), x.view().server(), x.category(),
                        x.termination());
                r.all("lostBtoA", x.lost());
                r.all("appearedAtB", x.appeared());
            }
        }
    }

    /** The cells a connection gives each of its rows. */
    private record Row(CSVPrinter p, long streamA, long streamB, Endpoint client, Endpoint server, String category,
                       Comparison.Verdict verdict) {
        void all(String kind, List<Comparison.Gap> gaps) throws IOException {
            for (Comparison.Gap g : gaps) {
                p.printRecord(kind, cell(streamA), cell(streamB), cell(g.frameA()), cell(g.frameB()),
                        Texts.instant(g.time()), g.direction(), client.ip(), client.port(), server.ip(), server.port(),
                        g.flags(), g.seq(), g.ack(), g.len(), g.ttl(), g.what(), category, verdict.cls().name(),
                        verdict.by().wire());
            }
        }

        private static String cell(long v) {
            return v < 0 ? "" : Long.toString(v);
        }
    }
}
