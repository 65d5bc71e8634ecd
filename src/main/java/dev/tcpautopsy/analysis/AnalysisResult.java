package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.AnalysisReport;

import java.nio.file.Path;
import java.util.List;

/**
 * What an analysis leaves: its report, and the temporary files its flow sets may live in (spilled when
 * too many to hold). Closing it deletes them; the report's flows must not be read afterwards.
 */
public final class AnalysisResult implements AutoCloseable {
    private final AnalysisReport report;
    private final TempFiles temp;

    AnalysisResult(AnalysisReport report, TempFiles temp) {
        this.report = report;
        this.temp = temp;
    }

    /** A report whose flows need no files (built in memory, or made by a test). */
    public static AnalysisResult of(AnalysisReport report) {
        return new AnalysisResult(report, null);
    }

    public AnalysisReport report() {
        return report;
    }

    /** The temporary files made for the flow sets (for tests). */
    List<Path> tempFiles() {
        return temp == null ? List.of() : temp.files();
    }

    @Override
    public void close() {
        if (temp != null) {
            temp.close();
        }
    }
}
