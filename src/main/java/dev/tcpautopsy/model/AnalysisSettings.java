package dev.tcpautopsy.model;

import java.time.Duration;
import java.util.List;

/**
 * The options an analysis ran with, echoed in every report.
 *
 * @param filters the report's filters as people read them ({@code host 198.18.1.2}, {@code only abnormal});
 *                empty when every flow is reported
 */
public record AnalysisSettings(Duration idleThreshold, boolean merged, List<String> inputs, List<String> filters) {
    public AnalysisSettings {
        inputs = List.copyOf(inputs);
        filters = List.copyOf(filters);
    }

    /** Settings of a report without filters. */
    public AnalysisSettings(Duration idleThreshold, boolean merged, List<String> inputs) {
        this(idleThreshold, merged, inputs, List.of());
    }

    public boolean filtered() {
        return !filters.isEmpty();
    }
}
