package dev.tcpautopsy.report;

import dev.tcpautopsy.report.csv.CsvRenderer;
import dev.tcpautopsy.report.html.HtmlRenderer;
import dev.tcpautopsy.report.json.JsonRenderer;
import dev.tcpautopsy.report.markdown.MarkdownRenderer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every renderer reads each capture's flows once and keeps none of them: a flow set far larger
 * than the page still yields a bounded index.html, and CSV / JSON grow linearly.
 */
class ReportSizeTest {

    /** Counts bytes written per file, keeping none. */
    static final class CountingTarget implements ReportTarget {
        final Map<String, long[]> sizes = new LinkedHashMap<>();

        @Override
        public OutputStream open(String fileName) {
            long[] n = sizes.computeIfAbsent(fileName, k -> new long[1]);
            return new OutputStream() {
                @Override
                public void write(int b) {
                    n[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    n[0] += len;
                }
            };
        }

        long size(String file) {
            return sizes.get(file)[0];
        }
    }

    @Test
    void htmlStaysSmallAndEachCaptureIsReadOnce() throws IOException {
        int captures = 3;
        SyntheticModel model = new SyntheticModel(captures, 100_000);
        CountingTarget target = new CountingTarget();
        List<ReportRenderer> renderers = List.of(new HtmlRenderer(), new CsvRenderer(), new JsonRenderer(), new MarkdownRenderer());
        long t0 = System.nanoTime();
        ReportWriter.serial(renderers).write(model.report(), target);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("300k flows: html %,d B, csv %,d B, json %,d B, md %,d B in %.1f s%n",
                target.size("index.html"), target.size("flows.csv"), target.size("report.json"),
                target.size("summary.md"), seconds);
        assertEquals(captures, model.iterations.get(), "each capture read once for every format");
        assertTrue(target.size("index.html") < 4_000_000, "index.html bounded: " + target.size("index.html"));
        assertTrue(target.size("flows.csv") > 300_000L * 150, "csv has every flow");
        assertTrue(target.size("report.json") > 300_000L * 1000, "json has every flow");
    }

    @Test
    void htmlOfManyCapturesStaysBounded() throws IOException {
        SyntheticModel model = new SyntheticModel(40, 2_000);
        CountingTarget target = new CountingTarget();
        new HtmlRenderer().render(model.report(), target);
        assertTrue(target.size("index.html") < 6_000_000, "index.html bounded: " + target.size("index.html"));
    }
}
