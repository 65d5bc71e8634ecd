package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.model.AnalysisReport;

import java.util.List;

/** Runs an analysis for the commands: the real pipeline, or a fixed model in tests of the CLI alone. */
@FunctionalInterface
public interface Engine {
    Engine PIPELINE = (options, inputs, progress) -> new Analyzer(options).analyze(inputs, progress);

    AnalysisReport analyze(AnalysisOptions options, List<Input> inputs, ProgressListener progress);
}
