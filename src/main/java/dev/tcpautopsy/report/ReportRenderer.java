package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisReport;

import java.io.IOException;
import java.util.List;

/**
 * One report format. Renderers do no analysis: every number they print is in the model. They never
 * read the flows themselves: {@link #start} returns a {@link ReportVisitor} that a {@link ReportWriter}
 * feeds, so that each flow is decoded once for every format written. A renderer holds no state of one
 * rendering and may start several.
 */
public interface ReportRenderer {

    /** The file this renderer writes into a report directory, e.g. {@code report.json}. */
    String fileName();

    /** Starts writing {@code report} into {@code target}: the visitor that takes its captures and flows. */
    ReportVisitor start(AnalysisReport report, ReportTarget target) throws IOException;

    /**
     * Does beforehand what needs no report (loading classes, parsing templates), so that it can run
     * on an idle core while the captures are read. Optional: rendering works without it, and it writes
     * nothing.
     */
    default void prepare() {
    }

    /** Writes the whole report in this one format. */
    default void render(AnalysisReport report, ReportTarget target) throws IOException {
        ReportWriter.serial(List.of(this)).write(report, target);
    }
}
