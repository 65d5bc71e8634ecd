package dev.tcpautopsy.cli;

import dev.tcpautopsy.report.formats.ReportFormat;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Where reports go and in which formats ({@code -o}, {@code -f}), and how chatty the command is. */
public final class OutputOptions {
    /** The default report directory, relative to the working directory. */
    public static final String DEFAULT_OUT = "tcpautopsy-report";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = DEFAULT_OUT,
            description = "Directory for the reports, created if missing (default: ${DEFAULT-VALUE}). "
                    + "'-' writes the one selected format to standard output.")
    String out;

    @Option(names = {"-f", "--format"}, paramLabel = "LIST", split = ",", defaultValue = "html,csv,json",
            description = "Comma list of html (index.html), csv (flows.csv), json (report.json), "
                    + "md (summary.md), or all (default: ${DEFAULT-VALUE}).")
    List<String> formats;

    @Option(names = "--no-progress", description = "Never draw the progress line on standard error.")
    boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "Also name the files skipped under directories, and time the rendering.")
    boolean verbose;

    /** The selected formats in canonical order; a usage error for an unknown one. */
    Set<ReportFormat> formats() {
        Set<ReportFormat> set = FormatList.parse(formats, ReportFormat.class, v -> v.equals("markdown") ? "md" : v,
                mixee.commandLine(), "html, csv, json, md, all");
        if (set.isEmpty()) {
            throw new ParameterException(mixee.commandLine(), "--format needs at least one format");
        }
        if (toStdout() && set.size() > 1) {
            throw new ParameterException(mixee.commandLine(),
                    "-o - writes one format to standard output, but " + set.size() + " were selected " + names(set)
                            + "; pick one with -f");
        }
        return set;
    }

    boolean toStdout() {
        return "-".equals(out);
    }

    /**
     * The one-line error when {@code -o} names something that is not a directory (an existing file),
     * else {@code null}: checked before the captures are read, so that nobody waits for an analysis
     * whose reports have nowhere to go.
     */
    static String notADirectory(String out) {
        if (out == null || "-".equals(out)) {
            return null;
        }
        java.nio.file.Path p = java.nio.file.Paths.get(out);
        if (java.nio.file.Files.exists(p) && !java.nio.file.Files.isDirectory(p)) {
            return "tcpautopsy: -o " + out + " is a file, but the reports go into a directory (created if missing): "
                    + "name a directory, or '-o -' for standard output";
        }
        return null;
    }

    private static List<String> names(Set<ReportFormat> set) {
        List<String> names = new ArrayList<>();
        set.forEach(f -> names.add(f.toString()));
        return names;
    }
}
