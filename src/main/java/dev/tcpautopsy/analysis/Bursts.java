package dev.tcpautopsy.analysis;

import dev.tcpautopsy.classify.Fmt;
import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;

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
 * looks, some minutes apart, is seen as two).
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

    /** One ending: host, time, frame, and the flow it ended (stream and first frame). */
    private record Ending(String host, long nanos, long frame, long stream, long firstFrame) {
    }

    /** A burst: its host, size, first and last frames and span. */
    record Burst(String host, int size, long firstFrame, long lastFrame, long spanNanos) {
        String clause() {
            return "one of " + size + " connections that " + host + " ended within " + Fmt.secs(spanNanos)
                    + " (frames " + firstFrame + "-" + lastFrame + "): one event on that host, such as a process exit,"
                    + " a restart, a pool shutdown or an idle sweep, not unrelated failures";
        }
    }

    private final List<Ending> pending = new ArrayList<>();
    private long latest = Long.MIN_VALUE;
    /** Per host: endings seen, and the first start and last ending of its connections (its usual rate). */
    private final Map<String, long[]> usual = new HashMap<>();
    private final Amendments amendments;

    Bursts(Amendments amendments) {
        this.amendments = amendments;
    }

    /** A judged flow: its ending counts when one endpoint closed it with its own FIN or RST. */
    void add(FlowFacts f, Termination t) {
        Ending e = ending(f, t);
        if (e == null) {
            return;
        }
        long[] u = usual.computeIfAbsent(e.host(), h -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
        u[0]++;
        // the host's usual rate: its endings over the time its connections were seen, from their starts
        u[1] = Math.min(u[1], Math.min(f.startNanos(), e.nanos()));
        u[2] = Math.max(u[2], e.nanos());
        pending.add(e);
        if (e.nanos() > latest) {
            latest = e.nanos();
        }
        if (pending.size() > 1024 && pending.get(0).nanos() < latest - 2 * SETTLE_NANOS) {
            settle(latest - SETTLE_NANOS);
        }
    }

    /** Looks at every ending left. */
    void finish() {
        settle(Long.MAX_VALUE);
    }

    private static Ending ending(FlowFacts f, Termination t) {
        TerminationClass c = t.cls();
        if (c == TerminationClass.REFUSED || c == TerminationClass.HANDSHAKE_TIMEOUT || c == TerminationClass.OPEN_AT_END
                || c == TerminationClass.UNCLASSIFIED || c == TerminationClass.MIDDLEBOX_RST
                || c == TerminationClass.MIDDLEBOX_DROP || t.by() == By.MIDDLEBOX) {
            return null;
        }
        SideFacts first = null;
        long frame = Long.MAX_VALUE, nanos = 0;
        for (SideFacts s : new SideFacts[] {f.client(), f.server()}) {
            if (s.finFrame() != 0 && s.finFrame() < frame) {
                first = s;
                frame = s.finFrame();
                nanos = s.finNanos();
            }
            if (s.rstFrame() != 0 && s.rstFrame() < frame) {
                first = s;
                frame = s.rstFrame();
                nanos = s.rstNanos();
            }
        }
        return first == null ? null : new Ending(first.ip(), nanos, frame, f.stream(), f.firstFrame());
    }

    /** Groups the pending endings up to {@code until} by host, in time order, and records the bursts. */
    private void settle(long until) {
        List<Ending> ready = new ArrayList<>();
        List<Ending> left = new ArrayList<>();
        for (Ending e : pending) {
            (e.nanos() <= until ? ready : left).add(e);
        }
        pending.clear();
        pending.addAll(left);
        Map<String, List<Ending>> byHost = new HashMap<>();
        for (Ending e : ready) {
            byHost.computeIfAbsent(e.host(), h -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<String, List<Ending>> h : byHost.entrySet()) {
            Ending[] sorted = h.getValue().toArray(new Ending[0]);
            Arrays.sort(sorted, (a, b) -> a.nanos() != b.nanos() ? Long.compare(a.nanos(), b.nanos())
                    : Long.compare(a.frame(), b.frame()));
            group(h.getKey(), sorted);
        }
    }

    /** Greedy clusters of one host's endings in time order: from each ending, all within 10 ms of it. */
    private void group(String host, Ending[] e) {
        long[] u = usual.get(host);
        double usualIn10ms = u[2] > u[1] ? (double) u[0] * WINDOW_NANOS / (u[2] - u[1]) : 0;
        int i = 0;
        while (i < e.length) {
            int j = i;
            while (j + 1 < e.length && e[j + 1].nanos() - e[i].nanos() <= WINDOW_NANOS) {
                j++;
            }
            int size = j - i + 1;
            if (size >= MIN_SIZE && size >= ABOVE_USUAL * usualIn10ms) {
                long firstFrame = Long.MAX_VALUE, lastFrame = 0;
                for (int k = i; k <= j; k++) {
                    firstFrame = Math.min(firstFrame, e[k].frame());
                    lastFrame = Math.max(lastFrame, e[k].frame());
                }
                Burst b = new Burst(host, size, firstFrame, lastFrame, e[j].nanos() - e[i].nanos());
                for (int k = i; k <= j; k++) {
                    amendments.burst(e[k].stream(), e[k].firstFrame(), b);
                }
                i = j + 1;
            } else {
                i++;
            }
        }
    }
}
