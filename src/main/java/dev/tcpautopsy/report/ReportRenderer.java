package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisReport;

import java.io.IOException;

/**
 * Writes an {@link AnalysisReport} in one format. Implementations do no analysis: every number
 * they print is in the model. They iterate each capture's {@code FlowSet} at most once and never
 * keep all of its flows (it may live on disk).
 */
public interface ReportRenderer {

    /** The file this renderer writes into a report directory, e.g. {@code report.json}. */
    String fileName();

    /**
     * Renders the report into {@code target}, opening the outputs it needs there and closing
     * them before returning.
     */
    void render(AnalysisReport report, ReportTarget target) throws IOException;

    /**
     * Does beforehand what needs no report (loading classes, parsing templates), so that it can run
     * on an idle core while the captures are read. Optional: {@link #render} works without it, and it
     * writes nothing.
     */
    default void prepare() {
    }

    /**
     * Whether this renderer reads every flow of every capture, to the end, whatever the report holds
     * (not when it stops once it has enough): formats written at once that do share the decoding of the
     * flows ({@link MultiRenderer#concurrent}).
     */
    default boolean readsEveryFlow() {
        return false;
    }
}
