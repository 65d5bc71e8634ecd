package dev.tcpautopsy.model;

import java.time.Duration;
import java.util.List;

/** The options an analysis ran with, echoed in every report. */
public record AnalysisSettings(Duration idleThreshold, boolean merged, List<String> inputs) {
    public AnalysisSettings {
        inputs = List.copyOf(inputs);
    }
}
