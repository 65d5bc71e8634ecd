package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.AnalysisSettings;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingTotals;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.ReportVisitor;
import dev.tcpautopsy.report.Texts;
import dev.tcpautopsy.report.Utf8Writer;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code index.html}: one self-contained file (inline CSS, JS and SVG; nothing fetched) with an
 * overview and a page per capture. Several captures stay in one file, because a report is
 * attached to a ticket as one file and links between attachments break; the pages are sections
 * that the script shows one at a time and that all print.
 *
 * <p>Its size is bounded whatever the capture size: the connections table keeps at most
 * {@link #ROWS_PER_CAPTURE} rows a capture and {@link #ROWS_TOTAL} in all, and the detail cards
 * {@link #DETAILS_PER_CAPTURE} a capture and {@link #DETAILS_TOTAL} in all; the page says so and
 * points to flows.csv.
 */
public final class HtmlRenderer implements ReportRenderer {
    public static final String FILE = "index.html";
    static final int ROWS_PER_CAPTURE = 1000;
    static final int ROWS_TOTAL = 5000;
    static final int DETAILS_PER_CAPTURE = 25;
    /**
     * Captures of a batch with a section of their own: a section is some 5 KB even for a capture with
     * nothing wrong, so a directory of 2,000 captures made an 11 MB page. The others keep their row
     * in the index.
     */
    static final int PAGES_TOTAL = 200;
    static final int DETAILS_TOTAL = 100;

    private final TemplateEngine engine;

    public HtmlRenderer() {
        engine = Templates.engine();
    }

    @Override
    public String fileName() {
        return FILE;
    }

    /**
     * Renders a report of no capture to nowhere: the template engine's classes, its parse of the
     * template (cached) and the expressions outside the per-capture loops are then ready. They cost
     * some 0.3 s on first use, which overlaps the analysis this way.
     */
    @Override
    public void prepare() {
        AnalysisReport none = new AnalysisReport("", Instant.EPOCH, new AnalysisSettings(Duration.ofSeconds(1), false,
                List.of()), List.of());
        try {
            render(none, name -> OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ReportVisitor start(AnalysisReport report, ReportTarget target) {
        return new Writing(report, target);
    }

    /** One index.html being built: a page per capture from its flows, then the template, at the end. */
    private final class Writing implements ReportVisitor {
        private final AnalysisReport report;
        private final ReportTarget target;
        private final Set<Integer> withPage;
        private final List<CapturePage> pages = new ArrayList<>();
        private int rowsLeft = ROWS_TOTAL, detailsLeft = DETAILS_TOTAL;
        private CapturePage.Builder page;

        Writing(AnalysisReport report, ReportTarget target) {
            this.report = report;
            this.target = target;
            this.withPage = withPage(report.captures());
        }

        @Override
        public boolean startCapture(CaptureReport c) {
            int i = pages.size();
            boolean has = withPage.contains(i);
            page = CapturePage.builder(i, c, has ? Math.min(ROWS_PER_CAPTURE, rowsLeft) : 0,
                    has ? Math.min(DETAILS_PER_CAPTURE, detailsLeft) : 0, has);
            return page.wantsFlows();
        }

        @Override
        public boolean flow(FlowRecord f) {
            return page.add(f);
        }

        @Override
        public void endCapture(CaptureReport c) {
            CapturePage p = page.build();
            rowsLeft -= p.rows().size();
            detailsLeft -= p.details().size();
            pages.add(p);
            page = null;
        }

        @Override
        public void end() throws IOException {
            Context ctx = new Context();
            EndingTotals totals = report.totals();
            ctx.setVariable("report", report);
            // to the second: the page is read by people (report.json keeps the full instant)
            ctx.setVariable("generated", report.generated().truncatedTo(ChronoUnit.SECONDS).toString());
            ctx.setVariable("threshold", Units.threshold(report.settings().idleThreshold()));
            ctx.setVariable("totals", totals);
            ctx.setVariable("filterNote", filterNote(report, totals));
            ctx.setVariable("totalChart", Charts.byClassAndWho(totals));
            ctx.setVariable("pages", pages);
            ctx.setVariable("findings", FindingViews.batch(report, withPage));
            ctx.setVariable("noFindings", FindingViews.none(report));
            ctx.setVariable("several", pages.size() > 1);
            ctx.setVariable("pageNote", withPage.size() < pages.size()
                    ? "Pages for the " + withPage.size() + " captures with the most abnormal endings (then the first ones); "
                    + "the other " + Units.count(pages.size() - withPage.size()) + " are in flows.csv and report.json."
                    : null);
            ctx.setVariable("unreadable", pages.stream().filter(p -> !p.complete()).count());
            ctx.setVariable("title", pages.size() == 1 ? pages.get(0).file() : pages.size() + " captures");
            ctx.setVariable("legend", Legend.classes(totals.byClass()));
            ctx.setVariable("tips", Legend.tipsJson());
            ctx.setVariable("css", resource("templates/report.css"));
            ctx.setVariable("js", resource("templates/report.js"));
            try (OutputStream out = target.open(FILE);
                 Writer w = new Utf8Writer(out, 1 << 16)) {
                engine.process("report", ctx, w);
            }
        }
    }

    /** The captures that get a section: the most abnormal endings first, then in the order given. */
    static Set<Integer> withPage(List<CaptureReport> captures) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < captures.size(); k++) {
            order.add(k);
        }
        order.sort(Comparator.comparing(captures::get, CaptureReport.MOST_ABNORMAL_FIRST));
        return new HashSet<>(order.subList(0, Math.min(PAGES_TOTAL, order.size())));
    }

    private static String resource(String name) {
        try (InputStream in = HtmlRenderer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "Filtered report (only abnormal): 12 of 340 connections shown, ..." or null when every flow is shown. */
    static String filterNote(AnalysisReport report, EndingTotals totals) {
        if (!report.settings().filtered()) {
            return null;
        }
        long[] all = EndingTotals.unfiltered(report.captures());
        return "Filtered report (" + String.join(", ", report.settings().filters()) + "): " + Units.count(totals.flows())
                + " of " + Units.count(all[0]) + " connections shown, " + Units.count(totals.abnormal()) + " of "
                + Units.count(all[1]) + " abnormal endings. The totals below count the connections shown.";
    }
}
