package dev.tcpautopsy.model;

import java.time.Instant;
import java.util.List;

/**
 * The one immutable result of an analysis run, rendered by every report format.
 *
 * @param findings what went wrong across the captures (the same timer or device in several is one finding),
 *                 most connections explained first; empty for a single capture, whose own findings say it
 */
public record AnalysisReport(String toolVersion, Instant generated, AnalysisSettings settings,
                             List<CaptureReport> captures, List<BatchFinding> findings) {
    public AnalysisReport {
        captures = List.copyOf(captures);
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** A report without findings across its captures. */
    public AnalysisReport(String toolVersion, Instant generated, AnalysisSettings settings, List<CaptureReport> captures) {
        this(toolVersion, generated, settings, captures, List.of());
    }

    /** The same report with other captures (each, say, with other flows). */
    public AnalysisReport withCaptures(List<CaptureReport> other) {
        return new AnalysisReport(toolVersion, generated, settings, other, findings);
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
