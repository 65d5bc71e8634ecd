package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.report.csv.CsvRenderer;
import dev.tcpautopsy.report.html.HtmlRenderer;
import dev.tcpautopsy.report.json.JsonRenderer;
import dev.tcpautopsy.report.markdown.MarkdownRenderer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One pass over the flows feeds every format, serially or each on a thread, and a failing format spoils no other. */
class ReportWriterTest {
    private static List<ReportRenderer> all() {
        return List.of(new HtmlRenderer(), new CsvRenderer(), new JsonRenderer(), new MarkdownRenderer());
    }

    @Test
    void everyFormatFromOnePassOverEachCapture() throws IOException {
        SyntheticModel m = new SyntheticModel(3, 20_000);
        MemoryTarget serial = new MemoryTarget();
        ReportWriter.serial(all()).write(m.report(), serial);
        assertEquals(3, m.iterations.get(), "each capture's flows read once for four formats");
        for (ReportRenderer r : all()) {
            MemoryTarget alone = new MemoryTarget();
            r.render(m.report(), alone);
            assertEquals(alone.text(r.fileName()), serial.text(r.fileName()), r.fileName() + " as if written alone");
        }
    }

    @Test
    void formatsOnThreadsOfTheirOwnWriteTheSameBytes() throws IOException {
        SyntheticModel m = new SyntheticModel(2, 50_000);
        MemoryTarget serial = new MemoryTarget(), threads = new ConcurrentTarget();
        ReportWriter.serial(all()).write(m.report(), serial);
        int before = m.iterations.get();
        ReportWriter.concurrent(all()).write(m.report(), threads);
        assertEquals(2, m.iterations.get() - before, "one read of each capture, shared by the threads");
        for (ReportRenderer r : all()) {
            assertEquals(serial.text(r.fileName()), threads.text(r.fileName()), r.fileName());
        }
    }

    /**
     * With formatting threads, report.json and flows.csv are formatted in chunks side by side and written in
     * order: the same bytes, capture after capture (each capture's first chunk starts its flows).
     */
    @Test
    void chunksFormattedOnOtherThreadsWriteTheSameBytes() throws IOException {
        SyntheticModel m = new SyntheticModel(3, 30_000);
        MemoryTarget serial = new MemoryTarget();
        ReportWriter.serial(all()).write(m.report(), serial);
        for (int formatters : new int[] {1, 3, 8}) {
            MemoryTarget chunked = new ConcurrentTarget();
            int before = m.iterations.get();
            ReportWriter.concurrent(all(), formatters).write(m.report(), chunked);
            assertEquals(3, m.iterations.get() - before, "one read of each capture");
            for (ReportRenderer r : all()) {
                assertEquals(serial.text(r.fileName()), chunked.text(r.fileName()), r.fileName() + ", " + formatters);
            }
        }
        MemoryTarget one = new ConcurrentTarget();
        ReportWriter.concurrent(List.of(new JsonRenderer()), 2).write(m.report(), one);
        assertEquals(serial.text("report.json"), one.text("report.json"), "one format, formatted in chunks");
    }

    @Test
    void noFlowIsReadWhenNoFormatWantsThem() throws IOException {
        SyntheticModel m = new SyntheticModel(2, 10_000);
        ReportWriter.serial(List.of(new HtmlRenderer())).write(m.report(), new MemoryTarget());
        // the HTML keeps its first rows and cards: no whole pass
        assertTrue(m.iterations.get() <= 2, "at most one partial read a capture: " + m.iterations.get());
    }

    @Test
    void aFailingFormatSpoilsNoOther() {
        SyntheticModel m = new SyntheticModel(1, 5_000);
        ReportRenderer broken = new ReportRenderer() {
            @Override
            public String fileName() {
                return "broken";
            }

            @Override
            public ReportVisitor start(AnalysisReport report, ReportTarget target) {
                return new ReportVisitor() {
                    private int n;

                    @Override
                    public boolean flow(dev.tcpautopsy.model.FlowRecord f) throws IOException {
                        if (++n == 1_000) {
                            throw new IOException("disk full");
                        }
                        return true;
                    }

                    @Override
                    public void end() {
                    }
                };
            }
        };
        for (boolean threaded : new boolean[] {false, true}) {
            MemoryTarget out = threaded ? new ConcurrentTarget() : new MemoryTarget();
            List<ReportRenderer> parts = List.of(new CsvRenderer(), broken, new JsonRenderer());
            ReportWriter w = threaded ? ReportWriter.concurrent(parts) : ReportWriter.serial(parts);
            IOException e = assertThrows(IOException.class, () -> w.write(m.report(), out));
            assertEquals("disk full", e.getMessage());
            assertEquals(5_001, out.text(CsvRenderer.FILE).lines().count(), "the CSV finished: header and every row");
            assertTrue(out.text(JsonRenderer.FILE).endsWith("]}\n"), "the JSON finished");
        }
    }

    /** A memory target that takes opens from several threads. */
    private static final class ConcurrentTarget extends MemoryTarget {
        @Override
        public synchronized java.io.OutputStream open(String fileName) {
            return super.open(fileName);
        }
    }
}
