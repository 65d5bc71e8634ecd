package dev.tcpautopsy.serve;

/** Text from clients made safe to keep and show: no control characters, bounded length. */
final class Texts {
    private Texts() {
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
}
