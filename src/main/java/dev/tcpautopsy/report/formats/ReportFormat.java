package dev.tcpautopsy.report.formats;

import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.csv.CsvRenderer;
import dev.tcpautopsy.report.html.HtmlRenderer;
import dev.tcpautopsy.report.json.JsonRenderer;
import dev.tcpautopsy.report.markdown.MarkdownRenderer;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The report formats, each once: its name (the values of {@code --format}), the file it writes, the
 * media type it is served as, and its renderer. The command and the service both read them here.
 */
public enum ReportFormat {
    HTML(HtmlRenderer.FILE, "text/html; charset=utf-8", HtmlRenderer::new),
    CSV(CsvRenderer.FILE, "text/csv; charset=utf-8", CsvRenderer::new),
    JSON(JsonRenderer.FILE, "application/json", JsonRenderer::new),
    MD(MarkdownRenderer.FILE, "text/markdown; charset=utf-8", MarkdownRenderer::new);

    private final String fileName;
    private final String mediaType;
    private final Supplier<ReportRenderer> factory;

    ReportFormat(String fileName, String mediaType, Supplier<ReportRenderer> factory) {
        this.fileName = fileName;
        this.mediaType = mediaType;
        this.factory = factory;
    }

    public ReportRenderer renderer() {
        return factory.get();
    }

    /** The file it writes into a report directory. */
    public String fileName() {
        return fileName;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format that writes {@code fileName}, or null. */
    public static ReportFormat ofFile(String fileName) {
        for (ReportFormat f : values()) {
            if (f.fileName.equals(fileName)) {
                return f;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
