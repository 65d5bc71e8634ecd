package dev.tcpautopsy.report.compare;

import dev.tcpautopsy.report.formats.ReportFormat;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The formats of {@code compare}, each once: its name (the values of its {@code --format}), the file it
 * writes, the media type it is served as (its analysis counterpart's), and its renderer. The command and
 * the service's pairs both read them here.
 */
public enum CompareFormat {
    HTML(CompareHtml.FILE, ReportFormat.HTML, CompareHtml::new),
    CSV(CompareCsv.FILE, ReportFormat.CSV, CompareCsv::new),
    JSON(CompareJson.FILE, ReportFormat.JSON, () -> new CompareJson(false));

    private final String fileName;
    private final ReportFormat like;
    private final Supplier<CompareRenderer> factory;

    CompareFormat(String fileName, ReportFormat like, Supplier<CompareRenderer> factory) {
        this.fileName = fileName;
        this.like = like;
        this.factory = factory;
    }

    public CompareRenderer renderer() {
        return factory.get();
    }

    public String fileName() {
        return fileName;
    }

    public String mediaType() {
        return like.mediaType();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
