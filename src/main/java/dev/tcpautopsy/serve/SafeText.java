package dev.tcpautopsy.serve;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Text made safe: from clients, to keep and show (no control characters, bounded length); to
 * clients, without the server's paths.
 */
final class SafeText {
    /** An absolute path of two or more names (not a fraction such as 2/3): group 1 is its last name. */
    private static final Pattern OTHER_PATH = Pattern.compile("(?<![\\w.])/(?:[^\\s/:\"',;]+/)+([^\\s/:\"',;]+)");

    private SafeText() {
    }

    /** The text with control characters dropped and trimmed to {@code max}; {@code fallback} when blank. */
    static String clean(String s, int max, String fallback) {
        if (s == null) {
            return fallback;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        s.codePoints().filter(c -> !Character.isISOControl(c) || c == '\n').forEach(b::appendCodePoint);
        String t = b.toString().strip();
        if (t.isEmpty()) {
            return fallback;
        }
        return t.length() <= max ? t : t.substring(0, max);
    }

    /**
     * An exception's message fit for a client: paths under {@code root} made relative to it, any
     * other absolute path cut to its last name.
     */
    static String withoutPaths(String message, Path root) {
        if (message == null) {
            return null;
        }
        String m = message.replace(root + java.io.File.separator, "").replace(root.toString(), "the data directory");
        return OTHER_PATH.matcher(m).replaceAll("$1");
    }
}
