package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisReport;

import java.io.IOException;
import java.util.List;

/**
 * Several formats as one renderer: each part writes its own file into the same target, in the
 * order given. Each part reads the flows afresh, so no format holds another's data.
 */
public final class MultiRenderer implements ReportRenderer {
    private final List<ReportRenderer> parts;

    public MultiRenderer(List<ReportRenderer> parts) {
        this.parts = List.copyOf(parts);
    }

    public List<ReportRenderer> parts() {
        return parts;
    }

    @Override
    public String fileName() {
        return String.join(",", parts.stream().map(ReportRenderer::fileName).toList());
    }

    @Override
    public void render(AnalysisReport report, ReportTarget target) throws IOException {
        for (ReportRenderer part : parts) {
            part.render(report, target);
        }
    }
}
