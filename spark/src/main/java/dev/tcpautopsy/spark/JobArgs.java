package dev.tcpautopsy.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * The job's command line: {@code INPUT... --out DIR [--series auto|none|REGEX] [--master URL]}.
 *
 * @param master Spark's master for a run outside spark-submit; {@code null}: spark-submit's, else
 *               {@code local[*]}
 */
record JobArgs(List<String> inputs, String out, String series, Series.Grouping grouping, String master) {
    static final String USAGE = "usage: tcpautopsy-archive INPUT... --out DIR [--series auto|none|REGEX] [--master URL]";

    /** A command line that cannot be run: the message is the one line printed for it. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** {@code null} when help was asked for. */
    static JobArgs parse(String... args) throws UsageException {
        List<String> inputs = new ArrayList<>();
        String out = null, series = "auto", master = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "-o", "--out" -> out = value(args, ++i, a);
                case "--series" -> series = value(args, ++i, a);
                case "--master" -> master = value(args, ++i, a);
                default -> {
                    if (a.startsWith("-") && a.length() > 1) {
                        throw new UsageException("unknown option " + a);
                    }
                    inputs.add(a);
                }
            }
        }
        if (inputs.isEmpty()) {
            throw new UsageException("no INPUT given (captures, directories or globs)");
        }
        if (out == null) {
            throw new UsageException("--out DIR is required");
        }
        return new JobArgs(List.copyOf(inputs), out, series, grouping(series), master);
    }

    private static Series.Grouping grouping(String series) throws UsageException {
        switch (series) {
            case "auto":
                return Series.AUTO;
            case "none":
                return Series.NONE;
            default:
                try {
                    return Series.removing(series);
                } catch (PatternSyntaxException e) {
                    throw new UsageException("--series " + series + " is neither auto, none nor a regular expression: "
                            + e.getDescription());
                }
        }
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }
}
