package dev.tcpautopsy.findings;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.FindingKind;
import dev.tcpautopsy.model.TimerMatch;
import dev.tcpautopsy.model.Units;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BLACKHOLE: connections to one server endpoint whose packets a path stopped passing, without a word. When
 * the silence followed an idle gap, the device forgot idle connections: its timeout lies between the longest
 * idle gap that connections to the same endpoint survived and the shortest one before a drop. The same
 * per-endpoint record keeps how long clients left connections idle before using them again (for the races).
 */
final class Blackholes {
    static final int MAX_KEYS = 4096;
    static final int MAX_ENDPOINTS = 16384;

    private static final class Drops {
        final Group flows = new Group();
        final Set<String> clients = new HashSet<>();
        long afterIdle;
        long minIdle = Long.MAX_VALUE, maxIdle = -1;
    }

    private final Table<Endpoint, Drops> drops = new Table<>(MAX_KEYS, k -> new Drops(), d -> d.flows.count() < 2);
    /** Per server endpoint: the longest idle gap a connection survived, the longest pause before a client's reuse. */
    private final Table<Endpoint, long[]> quiet = new Table<>(MAX_ENDPOINTS, k -> new long[] {-1, -1}, q -> false);

    /** A connection that a path dropped. */
    void drop(FlowFacts f) {
        Drops d = drops.get(Findings.server(f));
        if (d == null) {
            return;
        }
        d.flows.add(f.stream());
        if (d.clients.size() < 1000) {
            d.clients.add(f.client().ip());
        }
        long idle = IdleBefore.drop(f);
        if (idle >= Durations.FLOOR_NANOS) {
            d.afterIdle++;
            d.minIdle = Math.min(d.minIdle, idle);
            d.maxIdle = Math.max(d.maxIdle, idle);
        }
    }

    /** A connection that no path dropped: its idle gaps passed, and its client's reuse. */
    void passed(FlowFacts f) {
        long survived = f.longestIdle() == null ? -1 : f.longestIdle().nanos();
        long reuse = f.quiet().longestReuse();
        if (survived < 0 && reuse < 0) {
            return;
        }
        long[] q = quiet.get(Findings.server(f));
        if (q != null) {
            q[0] = Math.max(q[0], survived);
            q[1] = Math.max(q[1], reuse);
        }
    }

    /** By server endpoint: the longest idle gap its connections survived, the longest pause before a client's reuse. */
    Map<Endpoint, long[]> quiet() {
        return quiet.entries();
    }

    void finish(TimerDefaults defaults, List<Finding> out) {
        for (Map.Entry<Endpoint, Drops> e : drops.entries().entrySet()) {
            Endpoint ep = e.getKey();
            Drops d = e.getValue();
            long n = d.flows.count();
            if (n < 2) {
                continue;
            }
            long[] q = quiet.peek(ep);
            long survived = q == null ? -1 : q[0];
            String clients = d.clients.size() == 1 ? "from " + d.clients.iterator().next()
                    : "from " + Units.count(d.clients.size()) + (d.clients.size() >= 1000 ? "+" : "") + " clients";
            StringBuilder title = new StringBuilder().append(Units.count(n)).append(" connections to ").append(ep)
                    .append(' ').append(clients).append(" were silently dropped");
            Map<String, Object> more = new LinkedHashMap<>();
            List<TimerMatch> matches = List.of();
            Double seconds = null;
            String fix = null;
            boolean idleBound = d.afterIdle * 2 > n;
            if (idleBound) {
                seconds = Findings.seconds(d.minIdle);
                title.append(" after an idle time of ").append(Units.secs(d.minIdle)).append(" or more");
                if (d.afterIdle < n) {
                    title.append(" (").append(Units.count(d.afterIdle)).append(" of them)");
                }
                if (survived >= 0 && survived < d.minIdle) {
                    title.append(", while idle times up to ").append(Units.secs(survived))
                            .append(" passed: a firewall, NAT or conntrack timeout between the two");
                    matches = defaults.match("path", survived / 1e9, d.minIdle / 1e9);
                    title.append(Findings.matchNote(matches));
                }
                fix = "Send keep-alives (TCP or the application's) more often than the path's idle timeout ("
                        + (survived >= 0 && survived < d.minIdle ? "above " + Units.secs(survived) + ", " : "")
                        + "at most " + Units.secs(d.minIdle) + "), or raise that timeout on the device.";
            } else {
                title.append(": their retransmissions were never answered (a path dropping them, or the host gone)");
            }
            more.put("afterIdle", d.afterIdle);
            more.put("survivedSeconds", survived >= 0 ? Findings.seconds(survived) : null);
            more.put("maxIdleSeconds", d.maxIdle >= 0 ? Findings.seconds(d.maxIdle) : null);
            more.put("clients", d.clients.size());
            out.add(new Finding(FindingKind.BLACKHOLE, title.toString(), n, d.flows.streams(), ep, "path", seconds,
                    matches, fix, more));
        }
    }
}
