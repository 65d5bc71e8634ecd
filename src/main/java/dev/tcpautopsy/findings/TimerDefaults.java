package dev.tcpautopsy.findings;

import dev.tcpautopsy.model.TimerMatch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Well-known timer defaults, each with the page that documents it: the table the project keeps in
 * {@value #RESOURCE} (tab-separated, a header row, columns {@code product setting seconds closes side
 * behaviour source quote}; lines starting with {@code #} are comments). An inferred timer matches the
 * entries whose seconds lie within its spread, give or take 2 % (at least 50 ms), whose side fits, and whose
 * way of closing ({@code closes}: FIN, RST, or drop) is the one seen. A seconds of 0 is a timer off by default.
 */
public final class TimerDefaults {
    static final String RESOURCE = "dev/tcpautopsy/timers/defaults.tsv";
    private static final String[] HEADER = {"product", "setting", "seconds", "closes", "side", "behaviour", "source",
            "quote"};
    static final TimerDefaults NONE = new TimerDefaults(List.of());
    /** The project's table; none when it is not on the class path. */
    public static final TimerDefaults BUILT_IN = load(RESOURCE);

    /** One row: {@code side} is who closes (server, client, middlebox, ...), as the table spells it. */
    record Entry(String product, String setting, double seconds, String closes, String side, String behaviour,
                 String source, String quote) {
    }

    private final List<Entry> entries;

    TimerDefaults(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** The table in a class-path resource; none when there is no such resource. */
    static TimerDefaults load(String resource) {
        try (InputStream in = TimerDefaults.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? NONE : parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
                    resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TimerDefaults parse(BufferedReader r, String name) throws IOException {
        List<Entry> out = new ArrayList<>();
        String line;
        int n = 0;
        int[] col = null;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (col == null) {
                col = columns(f, name, n);
                continue;
            }
            if (f.length < col.length) {
                throw new IllegalStateException(name + " line " + n + ": " + f.length + " columns (expected: "
                        + col.length + ")");
            }
            double seconds;
            try {
                seconds = Double.parseDouble(f[col[2]].trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException(name + " line " + n + ": seconds '" + f[col[2]] + "' is no number");
            }
            out.add(new Entry(f[col[0]].trim(), f[col[1]].trim(), seconds, f[col[3]].trim(), f[col[4]].trim(),
                    f[col[5]].trim(), f[col[6]].trim(), f[col[7]].trim()));
        }
        return new TimerDefaults(out);
    }

    /** Where each named column is: the table may gain columns, in any place. */
    private static int[] columns(String[] header, String name, int line) {
        int[] col = new int[HEADER.length];
        for (int k = 0; k < HEADER.length; k++) {
            col[k] = -1;
            for (int i = 0; i < header.length; i++) {
                if (header[i].trim().equalsIgnoreCase(HEADER[k])) {
                    col[k] = i;
                }
            }
            if (col[k] < 0) {
                throw new IllegalStateException(name + " line " + line + ": no column '" + HEADER[k] + "' in the header");
            }
        }
        return col;
    }

    /**
     * The entries a timer of {@code side} between {@code loSeconds} and {@code hiSeconds} matches, closest first:
     * an endpoint's close (FIN or RST) matches the timers that close, a path's silent drop those that drop.
     */
    public List<TimerMatch> match(String side, double loSeconds, double hiSeconds, boolean drop) {
        double lo = loSeconds - Math.max(0.05, loSeconds * 0.02);
        double hi = hiSeconds + Math.max(0.05, hiSeconds * 0.02);
        double mid = (loSeconds + hiSeconds) / 2;
        List<Entry> hits = new ArrayList<>();
        for (Entry e : entries) {
            if (e.seconds() > 0 && e.seconds() >= lo && e.seconds() <= hi && fits(e.side(), side)
                    && drop == e.closes().equalsIgnoreCase("drop")) {
                hits.add(e);
            }
        }
        hits.sort((a, b) -> Double.compare(Math.abs(a.seconds() - mid), Math.abs(b.seconds() - mid)));
        List<TimerMatch> out = new ArrayList<>();
        for (Entry e : hits) {
            out.add(new TimerMatch(e.product(), e.setting(), e.seconds(), e.source()));
        }
        return out;
    }

    /**
     * Whether an entry's side (as the table spells it) fits a finding's: the same word, a middlebox's for a
     * path, or an entry for either side.
     */
    static boolean fits(String entrySide, String side) {
        String e = entrySide.toLowerCase(Locale.ROOT);
        if (e.isEmpty() || e.contains("either") || e.contains("both") || e.contains("any")) {
            return true;
        }
        if ("path".equals(side) || "middlebox".equals(side)) {
            return e.contains("middlebox") || e.contains("path") || e.contains("proxy") || e.contains("load balancer")
                    || e.contains("nat") || e.contains("firewall");
        }
        return e.contains(side);
    }
}
