package dev.tcpautopsy.cli;

import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.csv.CsvRenderer;
import dev.tcpautopsy.report.html.HtmlRenderer;
import dev.tcpautopsy.report.json.JsonRenderer;
import dev.tcpautopsy.report.markdown.MarkdownRenderer;

import java.util.Locale;
import java.util.function.Supplier;

/** The values of {@code --format}: each names one renderer and the file it writes. */
public enum ReportFormat {
    HTML(HtmlRenderer::new),
    CSV(CsvRenderer::new),
    JSON(JsonRenderer::new),
    MD(MarkdownRenderer::new);

    private final Supplier<ReportRenderer> factory;

    ReportFormat(Supplier<ReportRenderer> factory) {
        this.factory = factory;
    }

    public ReportRenderer renderer() {
        return factory.get();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
