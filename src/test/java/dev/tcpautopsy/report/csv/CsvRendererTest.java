package dev.tcpautopsy.report.csv;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.report.Golden;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.ReportFixture;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class CsvRendererTest {

    private static String render() throws IOException {
        MemoryTarget target = new MemoryTarget();
        new CsvRenderer().render(ReportFixture.report(), target);
        return target.text(CsvRenderer.FILE);
    }

    @Test
    void anAnswerTheWireCannotTellIsAnEmptyCell() throws IOException {
        MemoryTarget target = new MemoryTarget();
        new CsvRenderer().render(ReportFixture.unreadWith(ReportFixture.unknownAnswer()), target);
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(target.text(CsvRenderer.FILE))).getRecords();
        assertEquals("tls", rows.get(0).get("app_protocol"));
        assertEquals("", rows.get(0).get("unanswered_request"));
    }

    @Test
    void fixtureRendersExactlyTheHandWrittenRowsWithCrlf() throws IOException {
        // the golden file is stored with LF; RFC 4180 records end in CRLF
        String expected = Golden.read("fixture-flows.csv").replace("\n", "\r\n");
        assertEquals(expected, render());
    }

    /** Cells written past Commons CSV come out exactly as Commons CSV writes them. */
    @Test
    void cellsWrittenDirectlyAreWhatCommonsCsvWrites() throws IOException {
        for (dev.tcpautopsy.model.AnalysisReport r : List.of(ReportFixture.report(),
                new dev.tcpautopsy.report.SyntheticModel(3, 4000).report())) {
            MemoryTarget direct = new MemoryTarget(), commons = new MemoryTarget();
            new CsvRenderer(true).render(r, direct);
            new CsvRenderer(false).render(r, commons);
            String a = direct.text(CsvRenderer.FILE), b = commons.text(CsvRenderer.FILE);
            assertEquals(b.lines().count(), a.lines().count());
            assertEquals(b, a);
        }
    }

    /**
     * Text cells are quoted exactly where Commons CSV quotes them, and escaped as it escapes them (after the
     * apostrophe that keeps a formula inert).
     */
    @Test
    void textCellsAreQuotedAsCommonsCsvQuotesThem() throws IOException {
        List<String> cells = new java.util.ArrayList<>(List.of("", " ", "a", "#x", "$x", "\"", "!", "\"x\"",
                "say \"hi\", twice", "a,b", "line\nbreak", "cr\r", "trailing ", "trailing\t", " leading",
                "\tleading", "x\"", "\"\"\"", "café, naïve", "日本", "EOF", "ECONNRESET", "ShADdfFa", "tcp.stream eq 7",
                "#", "$", "=1+1", "-", "@x,y", "+\"", "\t=1"));
        java.util.Random r = new java.util.Random(11);
        String alphabet = " !\"#$,;\r\n\tabcXYZ09é日\\'?\uD83D\uDE00\uDC00";
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(8); k > 0; k--) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            cells.add(b.toString());
        }
        dev.tcpautopsy.model.Flow flow = ReportFixture.orderly();
        dev.tcpautopsy.model.Termination t = flow.termination();
        dev.tcpautopsy.model.FlowEncoder encoder = new dev.tcpautopsy.model.FlowEncoder();
        for (String cell : cells) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            // the cell as a stored flow's text too (from its bytes, with the bits stored beside them)
            encoder.encode(flow.withTermination(new dev.tcpautopsy.model.Termination(t.cls(), t.by(), cell, t.filter(),
                    t.evidence(), t.tags(), t.appView())));
            dev.tcpautopsy.model.FlowRecord stored = new dev.tcpautopsy.model.FlowRecord().load(
                    java.util.Arrays.copyOf(encoder.bytes(), encoder.length()), 0, false, null);
            try (dev.tcpautopsy.report.Utf8Writer w = new dev.tcpautopsy.report.Utf8Writer(bytes, 64)) {
                w.write("x");
                new Cells(null, w, true).text(cell);
                w.write("\nx");
                new Cells(null, w, true).text(stored.reason());
            }
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            try (java.io.Writer w = new java.io.OutputStreamWriter(expected, java.nio.charset.StandardCharsets.UTF_8)) {
                String row = CSVFormat.RFC4180.format("x", CsvRenderer.inert(cell));
                w.write(row + "\n" + row);
            }
            assertEquals(expected.toString(java.nio.charset.StandardCharsets.UTF_8),
                    bytes.toString(java.nio.charset.StandardCharsets.UTF_8), "cell [" + cell + "]");
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.toByteArray(), bytes.toByteArray(), cell);
        }
    }

    @Test
    void quotedReasonReadsBackIntact() throws IOException {
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(render())).getRecords();
        assertEquals(3, rows.size(), "one row a flow; the damaged capture has none");
        assertEquals("SYN answered by RST, \"port closed\"", rows.get(2).get("reason"));
        assertEquals(CsvRenderer.COLUMNS.size(), rows.get(2).size());
    }

    @Test
    void headerIsTheDocumentedColumnList() throws IOException {
        assertEquals(String.join(",", CsvRenderer.COLUMNS), render().lines().findFirst().orElseThrow());
    }

    /**
     * A capture named like a formula must not become one when flows.csv is opened in a spreadsheet:
     * a text cell starting with = + - @ tab or CR gets a leading apostrophe (OWASP's rule).
     */
    @Test
    void textCellsThatASpreadsheetWouldTakeForAFormulaAreNeutralised() throws IOException {
        java.nio.file.Path sample = java.nio.file.Path.of(System.getProperty("tcpautopsy.samples", "samples"),
                "rst-abort-client.pcap");
        for (String name : List.of("=HYPERLINK(\"http://evil.example/\",\"open\")", "+1+1", "-2+3", "@SUM(A1:A9)",
                "\t=1+1", "\r=1+1", "incident.pcap", "'quoted already")) {
            AnalysisReport report;
            try (Analyzer a = new Analyzer(new AnalysisOptions(AnalysisOptions.DEFAULT_IDLE_THRESHOLD, false, 1,
                    java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), false))) {
                report = a.analyze(List.of(new Input(name, sample)), ProgressListener.NONE).report();
            }
            for (boolean direct : new boolean[] {true, false}) {
                MemoryTarget target = new MemoryTarget();
                new CsvRenderer(direct).render(report, target);
                List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(new StringReader(target.text(CsvRenderer.FILE))).getRecords();
                assertFalse(rows.isEmpty());
                boolean formula = "=+-@\t\r".indexOf(name.charAt(0)) >= 0;
                for (CSVRecord row : rows) {
                    assertEquals(formula ? "'" + name : name, row.get("file"), "direct " + direct);
                    assertFalse("=+-@\t\r".indexOf(row.get("reason").charAt(0)) >= 0, row.get("reason"));
                }
            }
        }
    }
}
