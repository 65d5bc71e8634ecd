package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.AnalysisReport;

import java.util.List;

/**
 * Runs the pipeline (capture, decode, flow, classify) over inputs and builds the model.
 * A damaged or unreadable input never throws: its {@code CaptureReport} carries the error and
 * whatever was read before it.
 */
public final class Analyzer {
    private final AnalysisOptions options;

    public Analyzer(AnalysisOptions options) {
        this.options = options;
    }

    public AnalysisOptions options() {
        return options;
    }

    public AnalysisReport analyze(List<Input> inputs, ProgressListener progress) {
        throw new UnsupportedOperationException("pipeline not wired yet");
    }
}
