package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.AddressCache;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.TerminationClass;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregates at the top of a report ({@link EndingSummary}), added up one flow at a time as
 * flows are reported, in bounded memory: at most {@code maxKeys} hosts are counted (the least
 * abnormal are dropped first when more appear), ports are bounded by nature, and the timeline keeps
 * at most {@code maxBuckets} buckets by coarsening them as the capture grows.
 */
final class SummaryBuilder {
    private static final TerminationClass[] CLASSES = TerminationClass.values();
    private static final By[] BYS = By.values();
    /** Bucket widths in seconds, each a multiple of the one before, so coarsening merges whole buckets. */
    private static final long[] WIDTHS = {1, 2, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400, 604800};
    private static final int TIMELINE_TARGET = 100;

    private final int maxKeys;
    private final int maxBuckets;
    private final int topN;
    private long flows, abnormal;
    private final long[][] byClassAndBy = new long[CLASSES.length][BYS.length];
    private final Map<String, long[]> hosts = new HashMap<>();
    private final AddressCache<long[]> recent = new AddressCache<>();
    /** By server port: an array rather than a map, no boxing, no hashing, for every flow. */
    private final long[][] ports = new long[65536][];
    private final TreeMap<Long, long[]> buckets = new TreeMap<>();
    private int width;
    /** The bucket of the last flow and its counts: flows end in about time order, so mostly the same. */
    private long lastBucket = Long.MIN_VALUE;
    private long[] lastCounts;

    SummaryBuilder(int maxKeys, int maxBuckets, int topN) {
        this.maxKeys = maxKeys;
        this.maxBuckets = maxBuckets;
        this.topN = topN;
    }

    /** Every judged flow, before the report's filters (only counted when filters apply). */
    private long allFlows, allAbnormal;
    private final long[] allByClass = new long[CLASSES.length];
    private boolean filtered;

    /** Counts a judged flow that the report's filters may leave out. */
    void judged(TerminationClass cls) {
        filtered = true;
        allFlows++;
        if (cls.isAbnormal()) {
            allAbnormal++;
        }
        allByClass[cls.ordinal()]++;
    }

    /** A reported flow: its verdict, its ends and when its last segment was seen. */
    void add(TerminationClass cls, By by, String clientIp, String serverIp, int serverPort, long endNanos) {
        int k = cls.ordinal();
        boolean bad = cls.isAbnormal();
        flows++;
        if (bad) {
            abnormal++;
        }
        byClassAndBy[k][by.ordinal()]++;
        count(host(clientIp), k, bad);
        if (!serverIp.equals(clientIp)) {
            count(host(serverIp), k, bad);
        }
        int port = serverPort & 0xFFFF;
        long[] pc = ports[port];
        if (pc == null) {
            pc = new long[CLASSES.length + 2];
            ports[port] = pc;
        }
        count(pc, k, bad);
        if (hosts.size() > maxKeys) {
            prune();
        }
        long second = Math.floorDiv(Math.floorDiv(endNanos, 1_000_000_000L), WIDTHS[width]);
        if (second != lastBucket) {
            lastBucket = second;
            lastCounts = buckets.computeIfAbsent(second, x -> new long[CLASSES.length]);
        }
        lastCounts[k]++;
        while (buckets.size() > maxBuckets && width + 1 < WIDTHS.length) {
            coarsen();
        }
    }

    /**
     * The counts of a host (flows of each class, then total flows, then abnormal flows), the hosts looked up
     * last remembered: a flow's ends come back flow after flow, as the same String.
     */
    private long[] host(String ip) {
        long[] c = recent.get(ip);
        if (c == null) {
            c = hosts.computeIfAbsent(ip, x -> new long[CLASSES.length + 2]);
            recent.put(ip, c);
        }
        return c;
    }

    private static void count(long[] c, int cls, boolean bad) {
        c[cls]++;
        c[CLASSES.length]++;
        if (bad) {
            c[CLASSES.length + 1]++;
        }
    }

    /** Keeps the half of the hosts with the most abnormal endings (then the most flows). */
    private void prune() {
        recent.clear();
        List<Map.Entry<String, long[]>> all = new ArrayList<>(hosts.entrySet());
        all.sort(RANK);
        hosts.clear();
        for (Map.Entry<String, long[]> e : all.subList(0, maxKeys / 2)) {
            hosts.put(e.getKey(), e.getValue());
        }
    }

    private static final Comparator<Map.Entry<?, long[]>> RANK = (a, b) -> {
        int c = Long.compare(b.getValue()[CLASSES.length + 1], a.getValue()[CLASSES.length + 1]);
        return c != 0 ? c : Long.compare(b.getValue()[CLASSES.length], a.getValue()[CLASSES.length]);
    };

    private void coarsen() {
        long factor = WIDTHS[width + 1] / WIDTHS[width];
        width++;
        lastBucket = Long.MIN_VALUE;
        TreeMap<Long, long[]> old = new TreeMap<>(buckets);
        buckets.clear();
        old.forEach((b, counts) -> {
            long[] into = buckets.computeIfAbsent(Math.floorDiv(b, factor), x -> new long[CLASSES.length]);
            for (int i = 0; i < counts.length; i++) {
                into[i] += counts[i];
            }
        });
    }

    EndingSummary build() {
        Map<TerminationClass, Long> byClass = new EnumMap<>(TerminationClass.class);
        Map<TerminationClass, Map<By, Long>> byBy = new EnumMap<>(TerminationClass.class);
        for (TerminationClass c : CLASSES) {
            long n = 0;
            Map<By, Long> m = new EnumMap<>(By.class);
            for (By b : BYS) {
                long v = byClassAndBy[c.ordinal()][b.ordinal()];
                n += v;
                if (v > 0) {
                    m.put(b, v);
                }
            }
            if (n > 0) {
                byClass.put(c, n);
                byBy.put(c, Collections.unmodifiableMap(m));
            }
        }
        EndingSummary.Unfiltered all = null;
        if (filtered) {
            Map<TerminationClass, Long> allClasses = new EnumMap<>(TerminationClass.class);
            for (TerminationClass c : CLASSES) {
                if (allByClass[c.ordinal()] > 0) {
                    allClasses.put(c, allByClass[c.ordinal()]);
                }
            }
            all = new EndingSummary.Unfiltered(allFlows, allAbnormal, Collections.unmodifiableMap(allClasses));
        }
        return new EndingSummary(flows, abnormal, Collections.unmodifiableMap(byClass),
                Collections.unmodifiableMap(byBy), ranked(hosts), ranked(portMap()), timeline(), all);
    }

    private Map<Integer, long[]> portMap() {
        Map<Integer, long[]> m = new HashMap<>();
        for (int p = 0; p < ports.length; p++) {
            if (ports[p] != null) {
                m.put(p, ports[p]);
            }
        }
        return m;
    }

    private <K> List<EndingSummary.Ranked> ranked(Map<K, long[]> m) {
        List<Map.Entry<K, long[]>> all = new ArrayList<>(m.entrySet());
        all.removeIf(e -> e.getValue()[CLASSES.length + 1] == 0);
        all.sort((a, b) -> {
            int c = RANK.compare(a, b);
            return c != 0 ? c : String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey()));
        });
        List<EndingSummary.Ranked> out = new ArrayList<>();
        for (Map.Entry<K, long[]> e : all.subList(0, Math.min(topN, all.size()))) {
            long[] c = e.getValue();
            out.add(new EndingSummary.Ranked(String.valueOf(e.getKey()), c[CLASSES.length], c[CLASSES.length + 1],
                    classes(c)));
        }
        return List.copyOf(out);
    }

    private static Map<TerminationClass, Long> classes(long[] c) {
        Map<TerminationClass, Long> m = new EnumMap<>(TerminationClass.class);
        for (TerminationClass k : CLASSES) {
            if (c[k.ordinal()] > 0) {
                m.put(k, c[k.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** About {@value #TIMELINE_TARGET} buckets of the widest width needed, from the first ending to the last. */
    private EndingSummary.Timeline timeline() {
        if (buckets.isEmpty()) {
            return new EndingSummary.Timeline(null, 0, List.of());
        }
        int w = width;
        long first = buckets.firstKey() * WIDTHS[width], last = buckets.lastKey() * WIDTHS[width];
        while (w + 1 < WIDTHS.length && (last - first) / WIDTHS[w] + 1 > TIMELINE_TARGET) {
            w++;
        }
        long size = WIDTHS[w];
        long start = Math.floorDiv(first, size);
        int n = (int) (Math.floorDiv(last, size) - start + 1);
        List<long[]> counts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            counts.add(new long[CLASSES.length]);
        }
        buckets.forEach((b, c) -> {
            long[] into = counts.get((int) (Math.floorDiv(b * WIDTHS[width], size) - start));
            for (int i = 0; i < c.length; i++) {
                into[i] += c[i];
            }
        });
        List<Map<TerminationClass, Long>> out = new ArrayList<>(n);
        for (long[] c : counts) {
            out.add(classes(c));
        }
        return new EndingSummary.Timeline(Instant.ofEpochSecond(start * size), size * 1000, List.copyOf(out));
    }
}
