package dev.tcpautopsy.model;

import java.time.Instant;
import java.util.List;

/** The one immutable result of an analysis run, rendered by every report format. */
public record AnalysisReport(String toolVersion, Instant generated, AnalysisSettings settings,
                             List<CaptureReport> captures) {
    public AnalysisReport {
        captures = List.copyOf(captures);
    }

    /** The same report with other captures (each, say, with other flows). */
    public AnalysisReport withCaptures(List<CaptureReport> other) {
        return new AnalysisReport(toolVersion, generated, settings, other);
    }

    /** Whether every input was read to its end (exit status 0). */
    public boolean complete() {
        return captures.stream().allMatch(CaptureReport::complete);
    }

    /** The endings of all captures added up, for a batch's headline. */
    public EndingTotals totals() {
        return EndingTotals.of(captures);
    }
}
