package dev.tcpautopsy.app;

/**
 * A query's words as a report shows them: white space runs as one space, and every quoted string
 * literal as {@code '?'}, whatever it held (a customer's address, a password in an ALTER ROLE). Single
 * quotes, with {@code ''} and backslash escapes (MySQL, PostgreSQL's E'...'), PostgreSQL's dollar quotes
 * ({@code $$...$$}, {@code $tag$...$tag$}), and MySQL's double quotes (identifiers in PostgreSQL, kept).
 * An escape read where the server would not read one only masks more.
 */
final class SqlText {
    private static final String MASK = "'?'";

    private SqlText() {
    }

    /**
     * Appends the query {@code b[off, off + len)} to the side's text, at most {@code max} characters
     * ("..." after them when longer, or when {@code cut}: the query goes on past the bytes kept).
     *
     * @param doubleQuotes {@code "..."} is a string (MySQL), not an identifier (PostgreSQL)
     */
    static void put(Side s, byte[] b, int off, int len, int max, boolean cut, boolean doubleQuotes) {
        int end = off + len, n = 0;
        boolean space = true;
        int i = off;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
                if (!space) {
                    if (n == max) {
                        cut = true;
                        break;
                    }
                    s.put(' ');
                    n++;
                    space = true;
                }
                continue;
            }
            space = false;
            int tag = c == '\'' || c == '"' && doubleQuotes ? 1 : c == '$' && !doubleQuotes ? dollarTag(b, off, i, end) : 0;
            if (tag == 0) {
                if (n == max) {
                    cut = true;
                    break;
                }
                s.put(c);
                n++;
                i++;
                continue;
            }
            int after = tag == 1 ? quoted(b, i, end) : dollarQuoted(b, i, tag, end);
            if (n + MASK.length() > max) {
                cut = true;
                break;
            }
            if (after < 0) {
                s.put("'?"); // the literal goes on past the bytes read: not closed here
                cut = true;
                break;
            }
            s.put(MASK);
            n += MASK.length();
            i = after;
        }
        while (s.textLen > 0 && s.text[s.textLen - 1] == ' ') {
            s.textLen--;
        }
        if (cut) {
            s.put("...");
        }
    }

    /** Index after the string that opens at {@code b[i]} with its quote, -1 when it does not close before {@code end}. */
    private static int quoted(byte[] b, int i, int end) {
        byte q = b[i];
        for (int j = i + 1; j < end; j++) {
            if (b[j] == '\\') {
                j++;
            } else if (b[j] == q) {
                if (j + 1 < end && b[j + 1] == q) {
                    j++; // a doubled quote stands for one
                } else {
                    return j + 1;
                }
            }
        }
        return -1;
    }

    /** Length of a dollar quote's tag ({@code $$}, {@code $name$}) opening at {@code b[i]}, 0 when none (a parameter {@code $1}). */
    private static int dollarTag(byte[] b, int from, int i, int end) {
        if (i > from && identifier(b[i - 1])) {
            return 0; // a '$' inside an identifier
        }
        int j = i + 1;
        if (j < end && Ascii.digit(b[j])) {
            return 0;
        }
        while (j < end && j - i < 64 && identifier(b[j])) {
            j++;
        }
        return j < end && b[j] == '$' ? j - i + 1 : 0;
    }

    /** Index after the dollar-quoted string opening at {@code b[i]} with a tag of {@code tag} bytes, -1 when not closed. */
    private static int dollarQuoted(byte[] b, int i, int tag, int end) {
        outer:
        for (int j = i + tag; j + tag <= end; j++) {
            for (int k = 0; k < tag; k++) {
                if (b[j + k] != b[i + k]) {
                    continue outer;
                }
            }
            return j + tag;
        }
        return -1;
    }

    private static boolean identifier(byte v) {
        return Ascii.letter(v) || Ascii.digit(v) || v == '_';
    }
}
