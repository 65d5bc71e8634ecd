package dev.tcpautopsy.serve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The part of a file a GET asks for with its {@code Range} and {@code If-Range} headers, as RFC 9110
 * (section 14) has it: one satisfiable range (after joining those that overlap or touch) is a part;
 * several disjoint ones, another unit, or a validator that does not match get the whole file; a
 * bytes range that cannot be read or lies wholly past the end is unsatisfiable (416).
 *
 * @param first first byte, inclusive (0 for the whole file)
 * @param last  last byte, inclusive
 */
record ByteRange(Kind kind, long first, long last) {
    enum Kind { WHOLE, PART, UNSATISFIABLE }

    /** More ranges than this in one request are not worth sorting out: the whole file is sent. */
    private static final int MAX_RANGES = 16;
    private static final ByteRange UNSATISFIABLE = new ByteRange(Kind.UNSATISFIABLE, 0, -1);

    long length() {
        return last - first + 1;
    }

    /**
     * @param etag the file's strong validator, as sent in {@code ETag}; an {@code If-Range} holding
     *             anything else (another tag, a date) means the client's copy is another one
     */
    static ByteRange select(String range, String ifRange, String etag, long length) {
        ByteRange whole = new ByteRange(Kind.WHOLE, 0, length - 1);
        if (range == null || length == 0 || (ifRange != null && !ifRange.trim().equals(etag))) {
            return whole;
        }
        int eq = range.indexOf('=');
        if (eq < 0 || !range.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            return whole;
        }
        String[] specs = range.substring(eq + 1).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return whole;
        }
        List<long[]> wanted = new ArrayList<>();
        for (String spec : specs) {
            String s = spec.trim();
            if (s.isEmpty()) {
                continue;  // an empty list element, which a recipient accepts
            }
            long[] r = parse(s, length);
            if (r == null) {
                return UNSATISFIABLE;  // not a byte range at all
            }
            if (r.length == 2) {
                wanted.add(r);
            }
        }
        if (wanted.isEmpty()) {
            return UNSATISFIABLE;
        }
        wanted.sort(Comparator.comparingLong(r -> r[0]));
        long first = wanted.get(0)[0];
        long last = wanted.get(0)[1];
        for (long[] r : wanted.subList(1, wanted.size())) {
            if (r[0] > last + 1) {
                return whole;  // two parts would need multipart/byteranges: the RFC lets a server send it all
            }
            last = Math.max(last, r[1]);
        }
        return new ByteRange(Kind.PART, first, last);
    }

    /** {first, last} of one range-spec within {@code length}, {} when it lies past the end, null when malformed. */
    private static long[] parse(String spec, long length) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash);
        String b = spec.substring(dash + 1);
        if (a.isEmpty()) {
            if (!digits(b)) {
                return null;
            }
            long suffix = number(b);
            return suffix == 0 ? new long[0] : new long[] {Math.max(0, length - suffix), length - 1};
        }
        if (!digits(a) || !(b.isEmpty() || digits(b))) {
            return null;
        }
        long first = number(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : number(b);
        if (last < first) {
            return null;
        }
        return first >= length ? new long[0] : new long[] {first, Math.min(last, length - 1)};
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The number, or Long.MAX_VALUE when it has more digits than a file size can have. */
    private static long number(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
