package dev.tcpautopsy.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One capture to analyze: a file, or the pieces of one rotated capture, which are analyzed together
 * as {@code tcpautopsy analyze --merge} analyzes them (packets merged by time, one stream numbering),
 * so that a connection that spans two pieces gets one verdict.
 *
 * @param index  the series' place in the archive's listing (the reports' order)
 * @param name   how the reports name it: its file, or its pieces' names joined by {@code ", "} as
 *               {@code --merge} joins them
 */
record Series(int index, String name, List<Piece> pieces, long bytes) implements Serializable {

    /** A file of the archive: its name in the reports, its location, its size (-1 when unknown). */
    record Piece(String name, String uri, long bytes) implements Serializable {
    }

    /** How files are grouped into series. */
    interface Grouping extends Serializable {
        /** The series a file belongs to: files with the same key are pieces of one capture. */
        String key(String name);
    }

    /** Every file its own capture. */
    static final Grouping NONE = name -> name;

    /**
     * The names tcpdump gives the pieces of one capture: a counter after the whole name ({@code -C}:
     * {@code trace.pcap}, {@code trace.pcap1}, ...; with {@code -W}: {@code trace.pcap00}, ...), and a
     * date and time in it ({@code -G} with a strftime name: {@code trace-20261124-1738.pcap},
     * {@code trace-2026-11-24_17:38:58.pcap.gz}, or seconds since 1970). Only the file name counts,
     * so captures of other directories or other hosts ({@code node1}, {@code node2}) stay apart.
     */
    static final Grouping AUTO = name -> {
        int slash = name.lastIndexOf('/') + 1;
        String file = name.substring(slash);
        String key = Rotation.COUNTER.matcher(file).replaceFirst("$1$2");
        key = Rotation.TIME.matcher(key).replaceAll("*");
        return name.substring(0, slash) + key;
    };

    /** A grouping given as a pattern: what it matches in a file name is removed to make the key. */
    static Grouping removing(String regex) {
        Pattern p = Pattern.compile(regex);
        return name -> {
            int slash = name.lastIndexOf('/') + 1;
            return name.substring(0, slash) + p.matcher(name.substring(slash)).replaceAll("");
        };
    }

    /**
     * The series of the files, in the order of each series' first file; the pieces of a series in the
     * order of their names, numbers compared as numbers ({@code trace.pcap2} before {@code trace.pcap10}).
     */
    static List<Series> group(List<Piece> files, Grouping grouping) {
        Map<String, List<Piece>> byKey = new LinkedHashMap<>();
        for (Piece f : files) {
            byKey.computeIfAbsent(grouping.key(f.name()), k -> new ArrayList<>()).add(f);
        }
        List<Series> out = new ArrayList<>();
        for (List<Piece> pieces : byKey.values()) {
            pieces.sort((a, b) -> NaturalOrder.compare(a.name(), b.name()));
            long bytes = pieces.stream().mapToLong(p -> Math.max(0, p.bytes())).sum();
            String name = String.join(", ", pieces.stream().map(Piece::name).toList());
            out.add(new Series(out.size(), name, List.copyOf(pieces), bytes));
        }
        return out;
    }

    private static final class Rotation {
        /** A counter after the capture's extension, before an optional {@code .gz}. */
        static final Pattern COUNTER = Pattern.compile("(\\.(?:pcapng|pcap|cap))\\d+((?:\\.gz)?)$");
        /** A date with an optional time of day, or seconds since 1970 (2001 to 2286). */
        static final Pattern TIME = Pattern.compile("(?<!\\d)(?:(?:19|20)\\d\\d-?[01]\\d-?[0-3]\\d"
                + "(?:[T_-]?[0-2]\\d[:.-]?[0-5]\\d(?:[:.-]?[0-5]\\d)?)?|1\\d{9})(?!\\d)");
    }

    private static final class NaturalOrder {
        static int compare(String a, String b) {
            int i = 0, j = 0;
            while (i < a.length() && j < b.length()) {
                char x = a.charAt(i), y = b.charAt(j);
                if (Character.isDigit(x) && Character.isDigit(y)) {
                    int i0 = i, j0 = j;
                    while (i < a.length() && Character.isDigit(a.charAt(i))) {
                        i++;
                    }
                    while (j < b.length() && Character.isDigit(b.charAt(j))) {
                        j++;
                    }
                    int c = new java.math.BigInteger(a.substring(i0, i)).compareTo(new java.math.BigInteger(b.substring(j0, j)));
                    if (c != 0) {
                        return c;
                    }
                } else {
                    if (x != y) {
                        return Character.compare(x, y);
                    }
                    i++;
                    j++;
                }
            }
            return Integer.compare(a.length() - i, b.length() - j);
        }
    }
}
