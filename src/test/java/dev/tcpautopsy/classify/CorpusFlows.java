package dev.tcpautopsy.classify;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.tcpautopsy.testing.Needs.need;

/** Captures of the public corpus ({@code ../shared/corpus}, or {@code -Dtcpautopsy.corpus}), analyzed whole. */
final class CorpusFlows {
    private CorpusFlows() {
    }

    static Path corpus() {
        return Paths.get(System.getProperty("tcpautopsy.corpus", "../shared/corpus"));
    }

    /** The capture at {@code relative} in the corpus; skips the test (fails it under CI) when absent. */
    static Path capture(String relative) {
        Path p = corpus().resolve(relative);
        need(Files.isRegularFile(p), relative + " in the corpus " + corpus());
        return p;
    }

    static List<Flow> analyze(Path trace) {
        return analyze(trace, AnalysisOptions.DEFAULT_IDLE_THRESHOLD);
    }

    /** Every flow of the capture, in stream order, judged with the default options and {@code idle}. */
    static List<Flow> analyze(Path trace, Duration idle) {
        AnalysisOptions o = new AnalysisOptions(idle, false, 1, Set.of(), Set.of(), Set.of(), false);
        List<Flow> out = new ArrayList<>();
        try (Analyzer a = new Analyzer(o)) {
            CaptureReport c = a.analyze(List.of(Input.of(trace)), null).report().captures().get(0);
            c.flows().forEach(out::add);
        }
        return out;
    }
}
