package dev.tcpautopsy.serve;

import dev.tcpautopsy.report.compare.CompareFormat;
import dev.tcpautopsy.report.formats.ReportFormat;

import java.util.ArrayList;
import java.util.List;

/**
 * One report file an analysis offers under its permalink {@code /a/ID/}: its name there, the file the
 * worker wrote, its key among the API's links, its media type, and whether it is a page to show (under
 * the report's content policy) rather than a file to save. The formats themselves are {@link ReportFormat}'s,
 * and a pair's {@link PairReports#renderers}.
 *
 * @param key  the entry of {@code links} in the API's answer
 * @param name the last part of its permalink
 * @param file the file in the analysis's report directory
 */
record Download(String key, String name, String file, String mediaType, boolean page) {
    /** The reports of one capture, in {@link ReportFormat}'s order: the order of the links and of the bundle. */
    static final List<Download> ANALYSIS = analysis();

    /** A pair's reports: {@code compare}'s, served as their formats are; the order of the links and of the bundle. */
    static final List<Download> COMPARISON = comparison();

    /** What {@code e} offers. */
    static List<Download> of(IndexEntry e) {
        return e.pair() ? COMPARISON : ANALYSIS;
    }

    private static List<Download> comparison() {
        List<Download> out = new ArrayList<>();
        for (CompareFormat f : CompareFormat.values()) {
            boolean page = f == CompareFormat.HTML;
            out.add(new Download(page ? "report" : f.toString(), f.fileName(), f.fileName(), f.mediaType(), page));
        }
        return List.copyOf(out);
    }

    private static List<Download> analysis() {
        List<Download> out = new ArrayList<>();
        for (ReportFormat f : ReportFormat.values()) {
            boolean page = f == ReportFormat.HTML;
            // the API's link names, older than the format names: "report" for the page, "markdown" spelled out
            String key = page ? "report" : f == ReportFormat.MD ? "markdown" : f.toString();
            out.add(new Download(key, page ? "report.html" : f.fileName(), f.fileName(), f.mediaType(), page));
        }
        return List.copyOf(out);
    }
}
