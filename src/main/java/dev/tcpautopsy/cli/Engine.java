package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.AnalysisResult;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;

import java.util.List;

/**
 * Runs an analysis for the commands: the real pipeline, or a fixed model in tests of the CLI alone. The
 * caller closes the result once its reports are written.
 */
@FunctionalInterface
public interface Engine {
    Engine PIPELINE = (options, inputs, progress) -> new Analyzer(options).analyze(inputs, progress);

    AnalysisResult analyze(AnalysisOptions options, List<Input> inputs, ProgressListener progress);
}
