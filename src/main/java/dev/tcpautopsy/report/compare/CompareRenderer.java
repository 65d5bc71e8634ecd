package dev.tcpautopsy.report.compare;

import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.report.ReportTarget;

import java.io.IOException;

/** Writes a {@link Comparison} in one format; like the analysis renderers, it does no analysis of its own. */
public interface CompareRenderer {

    /** The file it writes, e.g. {@code compare.json}. */
    String fileName();

    void render(Comparison c, ReportTarget target) throws IOException;
}
