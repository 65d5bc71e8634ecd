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
 * idle gap that connections to the same endpoint survived ({@link Survivals}) and the shortest one before a
 * drop.
 */
final class Blackholes {
    static final int MAX_KEYS = 4096;

    private static final class Drops {
        final Group flows = new Group();
        final Set<String> clients = new HashSet<>();
        long afterIdle;
        long minIdle = Long.MAX_VALUE, maxIdle = -1;
    }

    private final Table<Endpoint, Drops> drops = new Table<>(MAX_KEYS, k -> new Drops(), d -> d.flows.count() < 2);
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

    void finish(TimerDefaults defaults, Survivals survivals, List<Finding> out) {
        for (Map.Entry<Endpoint, Drops> e : drops.entries().entrySet()) {
            Endpoint ep = e.getKey();
            Drops d = e.getValue();
            long n = d.flows.count();
            if (n < 2) {
                continue;
            }
            long survived = survivals.survived(ep);
            String clients = d.clients.size() == 1 ? "from " + d.clients.iterator().next()
                    : "from " + Units.count(d.clients.size()) + (d.clients.size() >= 1000 ? "+" : "") + " clients";
            StringBuilder title = new StringBuilder("Connections to ").append(ep).append(' ').append(clients)
                    .append(" were silently dropped");
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
                    matches = defaults.match("middlebox", survived / 1e9, d.minIdle / 1e9, true);
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
            out.add(new Finding(FindingKind.BLACKHOLE, title.toString(), n, d.flows.streams(), ep, "middlebox", seconds,
                    matches, fix, more));
        }
    }
}
