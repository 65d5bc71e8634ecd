package dev.tcpautopsy.app;

/** HTTP/1.x start lines as Wireshark tells them (RFC 9112 3, 4): a request line, a status line, their parts. */
final class HttpLines {
    private static final String[] METHODS = {"GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "CONNECT",
        "TRACE", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT", "CHECKOUT",
        "CHECKIN", "UNCHECKOUT", "MERGE", "MKACTIVITY", "MKWORKSPACE", "VERSION-CONTROL", "BASELINE-CONTROL", "UPDATE",
        "LABEL", "ACL", "ORDERPATCH", "POLL", "BCOPY", "BMOVE", "BDELETE", "BPROPFIND", "BPROPPATCH", "NOTIFY",
        "SUBSCRIBE", "UNSUBSCRIBE", "M-SEARCH", "PURGE", "QUERY", "CCM_POST"};

    private HttpLines() {
    }

    /**
     * A request line: a method and a target, with a version at the end unless the method is one Wireshark
     * knows; the line is printable and ends in this segment, or it is a known method and a path.
     */
    static boolean isRequest(byte[] b, int p, int end) {
        int i = token(b, p, end);
        if (i - p < 3) {
            return false;
        }
        boolean known = known(b, p, i);
        if (known && i < end && (b[i] == '\n' || b[i] == '\r' && i + 1 < end && b[i + 1] == '\n')) {
            return true; // a method alone on its line, as Wireshark reads one
        }
        if (i + 1 >= end || b[i] != ' ') {
            return false;
        }
        int lf = i + 1;
        while (lf < end && lf < p + 8192 && b[lf] != '\n') {
            if ((b[lf] < 0x20 || b[lf] == 0x7f) && b[lf] != '\r' && b[lf] != '\t') {
                return false;
            }
            lf++;
        }
        if (lf == end || lf == p + 8192) {
            return known && b[i + 1] == '/';
        }
        int e = b[lf - 1] == '\r' ? lf - 1 : lf;
        return known || e - 9 > i + 1 && b[e - 9] == ' ' && version(b, e - 8, e);
    }

    /** A status line: {@code HTTP/1.x NNN}. */
    static boolean isStatus(byte[] b, int p, int end) {
        return version(b, p, end) && p + 12 < end && b[p + 8] == ' ' && Ascii.digit(b[p + 9]) && Ascii.digit(b[p + 10])
                && Ascii.digit(b[p + 11]) && (b[p + 12] == ' ' || b[p + 12] == '\r' || b[p + 12] == '\n');
    }

    /** A method Wireshark knows (RFC 9110, WebDAV, UPnP and a few more): its request line needs no version. */
    static boolean known(byte[] b, int p, int end) {
        for (String m : METHODS) {
            if (end - p == m.length() && Ascii.startsWith(b, p, end, m)) {
                return true;
            }
        }
        return false;
    }

    /** Index after a method token ({@code [A-Z_-]}, at most 20). */
    static int token(byte[] b, int p, int end) {
        int i = p;
        while (i < end && i - p < 20 && (b[i] >= 'A' && b[i] <= 'Z' || b[i] == '-' || b[i] == '_')) {
            i++;
        }
        return i;
    }

    static boolean version(byte[] b, int p, int end) {
        return p + 8 <= end && Ascii.startsWith(b, p, end, "HTTP/1.") && Ascii.digit(b[p + 7]);
    }

    static boolean tailVersion(long t) {
        return (t >>> 8) == 0x48_54_54_50_2f_31_2eL && Ascii.digit((byte) t);
    }
}
