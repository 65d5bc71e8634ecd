package dev.tcpautopsy.app;

/** Tests on bytes read as ASCII text, shared by the decoders of text protocols. */
final class Ascii {
    private Ascii() {
    }

    /** Whether {@code b[p, end)} starts with {@code s}. */
    static boolean startsWith(byte[] b, int p, int end, String s) {
        if (end - p < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[p + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean digit(byte v) {
        return v >= '0' && v <= '9';
    }

    static boolean letter(byte v) {
        return (v | 0x20) >= 'a' && (v | 0x20) <= 'z';
    }

    /** Whether {@code b[from, to)} is text: printable ASCII, tabs and line ends. */
    static boolean printable(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((b[i] < 0x20 || b[i] == 0x7f) && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Index of the LF that ends the line at {@code p} (within 1 KiB), -1 when none. */
    static int lineEnd(byte[] b, int p, int end) {
        for (int i = p; i < end && i < p + 1024; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
