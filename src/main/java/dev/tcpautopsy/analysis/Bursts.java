package dev.tcpautopsy.analysis;

import dev.tcpautopsy.findings.Findings;
import dev.tcpautopsy.flow.AddressCache;
import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Host bursts (spec: {@code HOST_BURST}): one host ending three or more connections, by its own FIN or
 * RST, within 10 ms is one event (a process exit, a restart, a pool shutdown, an idle sweep), and each
 * of those connections' reasons says so. Connections reach the judging step in the order they are
 * handed on, up to some minutes after they ended, so endings are gathered and looked at once no later
 * ending can fall within 10 ms of them: after {@link #SETTLE_NANOS} of capture time, or at the end.
 * Memory follows the endings of those minutes, not of the capture (a burst that straddles one of these
 * looks, some minutes apart, is seen as two); an ending is five numbers in arrays, no object.
 *
 * <p>A host that ends connections all the time (a busy server closing hundreds a second) would make
 * every 10 ms a "burst"; a burst must also stand out from the host's usual rate: at least
 * {@value #ABOVE_USUAL} times the endings its rate over the capture would put in 10 ms.
 */
final class Bursts {
    static final long WINDOW_NANOS = 10_000_000L;
    static final int MIN_SIZE = 3;
    static final int ABOVE_USUAL = 10;
    /**
     * How long an ending may wait for the others of its burst: beyond the longest a connection is held
     * after its ending (5 minutes of silence while one side waits for the other, looked at every quarter).
     */
    static final long SETTLE_NANOS = 7 * 60_000_000_000L;

    /** A burst: its host, size, first and last frames and span. */
    record Burst(String host, int size, long firstFrame, long lastFrame, long spanNanos) {
        String clause() {
            return "one of " + size + " connections that " + host + " ended within " + Units.secs(spanNanos)
                    + " (frames " + firstFrame + "-" + lastFrame + "): one event on that host, such as a process exit,"
                    + " a restart, a pool shutdown or an idle sweep, not unrelated failures";
        }
    }

    private final Amendments amendments;
    /** Told of every burst, with its connections; {@code null} when nobody listens. */
    private final Findings findings;
    /** Hosts by number, and per host: endings, first start and last ending of its connections (its usual rate). */
    private final Map<String, Integer> hostIds = new HashMap<>();
    private final AddressCache<Integer> recent = new AddressCache<>();
    private final List<String> hosts = new ArrayList<>();
    private final List<long[]> usual = new ArrayList<>();
    // the endings not looked at yet, side by side
    private int n;
    private int[] host = new int[256];
    private long[] nanos = new long[256], frame = new long[256], stream = new long[256], firstFrame = new long[256];
    private long oldest = Long.MAX_VALUE, latest = Long.MIN_VALUE;

    Bursts(Amendments amendments) {
        this(amendments, null);
    }

    Bursts(Amendments amendments, Findings findings) {
        this.amendments = amendments;
        this.findings = findings;
    }

    /** A judged flow: its ending counts when one endpoint closed it with its own FIN or RST. */
    void add(FlowFacts f, Termination t) {
        if (!countable(t)) {
            return;
        }
        SideFacts first = null;
        long at = Long.MAX_VALUE, when = 0;
        for (SideFacts s : new SideFacts[] {f.client(), f.server()}) {
            if (s.finFrame() != 0 && s.finFrame() < at) {
                first = s;
                at = s.finFrame();
                when = s.finNanos();
            }
            if (s.rstFrame() != 0 && s.rstFrame() < at) {
                first = s;
                at = s.rstFrame();
                when = s.rstNanos();
            }
        }
        if (first == null) {
            return;
        }
        Integer known = recent.get(first.ip());
        if (known == null) {
            known = hostIds.get(first.ip());
            if (known == null) {
                hosts.add(first.ip());
                usual.add(new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
                known = hosts.size() - 1;
                hostIds.put(first.ip(), known);
            }
            recent.put(first.ip(), known);
        }
        int id = known;
        long[] u = usual.get(id);
        u[0]++;
        u[1] = Math.min(u[1], Math.min(f.startNanos(), when));
        u[2] = Math.max(u[2], when);
        if (n == host.length) {
            grow();
        }
        host[n] = id;
        nanos[n] = when;
        frame[n] = at;
        stream[n] = f.stream();
        firstFrame[n] = f.firstFrame();
        n++;
        oldest = Math.min(oldest, when);
        latest = Math.max(latest, when);
        if (oldest < latest - 2 * SETTLE_NANOS) {
            settle(latest - SETTLE_NANOS);
        }
    }

    /** Looks at every ending left. */
    void finish() {
        settle(Long.MAX_VALUE);
    }

    /** Endings by an endpoint's own close: not refusals, unfinished handshakes, open flows, or a middlebox's doing. */
    private static boolean countable(Termination t) {
        TerminationClass c = t.cls();
        return c != TerminationClass.REFUSED && c != TerminationClass.HANDSHAKE_TIMEOUT && c != TerminationClass.OPEN_AT_END
                && c != TerminationClass.UNCLASSIFIED && c != TerminationClass.MIDDLEBOX_RST
                && c != TerminationClass.MIDDLEBOX_DROP && t.by() != By.MIDDLEBOX;
    }

    private void grow() {
        int m = host.length * 2;
        host = Arrays.copyOf(host, m);
        nanos = Arrays.copyOf(nanos, m);
        frame = Arrays.copyOf(frame, m);
        stream = Arrays.copyOf(stream, m);
        firstFrame = Arrays.copyOf(firstFrame, m);
    }

    /** Looks at the endings up to {@code until}, by host in time order, and keeps the others. */
    private void settle(long until) {
        int[] ready = new int[n];
        int r = 0, kept = 0;
        for (int i = 0; i < n; i++) {
            if (nanos[i] <= until) {
                ready[r++] = i;
            }
        }
        int[] order = byHostInTime(ready, r);
        for (int lo = 0; lo < order.length; ) {
            int hi = lo;
            while (hi < order.length && host[order[hi]] == host[order[lo]]) {
                hi++;
            }
            group(order, lo, hi);
            lo = hi;
        }
        oldest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (nanos[i] > until) {
                host[kept] = host[i];
                nanos[kept] = nanos[i];
                frame[kept] = frame[i];
                stream[kept] = stream[i];
                firstFrame[kept] = firstFrame[i];
                oldest = Math.min(oldest, nanos[i]);
                kept++;
            }
        }
        n = kept;
    }

    /**
     * The first {@code r} of {@code ready} by host, then time, then frame (no two endings are equal: a frame
     * ends one flow): counted out by host, which keeps their order, then each host's endings sorted where they
     * are out of order. They come in the order their connections were handed on, nearly in time order, so
     * most hosts' endings need no sort at all.
     */
    private int[] byHostInTime(int[] ready, int r) {
        int[] end = new int[hosts.size() + 1];
        for (int k = 0; k < r; k++) {
            end[host[ready[k]] + 1]++;
        }
        for (int h = 1; h < end.length; h++) {
            end[h] += end[h - 1];
        }
        int[] order = new int[r];
        for (int k = 0; k < r; k++) {
            order[end[host[ready[k]]]++] = ready[k];
        }
        IndexSort.Before inTime = (a, b) -> nanos[a] != nanos[b] ? nanos[a] < nanos[b] : frame[a] < frame[b];
        int lo = 0;
        for (int h = 0; h < end.length - 1; h++) {
            int hi = end[h];
            for (int k = lo + 1; k < hi; k++) {
                if (inTime.test(order[k], order[k - 1])) {
                    int[] sorted = IndexSort.sort(Arrays.copyOfRange(order, lo, hi), inTime);
                    System.arraycopy(sorted, 0, order, lo, hi - lo);
                    break;
                }
            }
            lo = hi;
        }
        return order;
    }

    /** Greedy clusters of one host's endings {@code e[lo..hi)} in time order: from each ending, all within 10 ms of it. */
    private void group(int[] e, int lo, int hi) {
        int id = host[e[lo]];
        long[] u = usual.get(id);
        double usualIn10ms = u[2] > u[1] ? (double) u[0] * WINDOW_NANOS / (u[2] - u[1]) : 0;
        int i = lo;
        while (i < hi) {
            int j = i;
            while (j + 1 < hi && nanos[e[j + 1]] - nanos[e[i]] <= WINDOW_NANOS) {
                j++;
            }
            int size = j - i + 1;
            if (size >= MIN_SIZE && size >= ABOVE_USUAL * usualIn10ms) {
                long first = Long.MAX_VALUE, last = 0;
                for (int k = i; k <= j; k++) {
                    first = Math.min(first, frame[e[k]]);
                    last = Math.max(last, frame[e[k]]);
                }
                Burst b = new Burst(hosts.get(id), size, first, last, nanos[e[j]] - nanos[e[i]]);
                long[] members = new long[size];
                for (int k = i; k <= j; k++) {
                    amendments.burst(stream[e[k]], firstFrame[e[k]], b);
                    members[k - i] = stream[e[k]];
                }
                if (findings != null) {
                    findings.burst(b.host(), members);
                }
                i = j + 1;
            } else {
                i++;
            }
        }
    }
}
