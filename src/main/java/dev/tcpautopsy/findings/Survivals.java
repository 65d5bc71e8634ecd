package dev.tcpautopsy.findings;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.model.Endpoint;

/**
 * What connections that no path dropped came through: by server endpoint, the longest idle gap one survived
 * and the longest pause after which its client used one again; by client host, that longest pause over all
 * the servers it talks to (a lower bound of how long it keeps idle connections for reuse). Quiet times under
 * the timers' floor ({@link Durations#FLOOR_NANOS}) are not kept.
 */
final class Survivals {
    static final int MAX_KEYS = 16384;

    private final Table<Endpoint, long[]> servers = new Table<>(MAX_KEYS, k -> new long[] {-1, -1}, q -> false);
    private final Table<String, long[]> clients = new Table<>(MAX_KEYS, k -> new long[] {-1}, q -> false);

    void passed(FlowFacts f) {
        long survived = f.longestIdle() == null ? -1 : f.longestIdle().nanos();
        long reuse = f.quiet().longestReuse();
        if (survived < Durations.FLOOR_NANOS && reuse < Durations.FLOOR_NANOS) {
            // shorter quiet times bound no timer the findings name
            return;
        }
        long[] s = servers.get(Findings.server(f));
        if (s != null) {
            s[0] = Math.max(s[0], survived);
            s[1] = Math.max(s[1], reuse);
        }
        if (reuse >= 0) {
            long[] c = clients.get(f.client().ip());
            if (c != null) {
                c[0] = Math.max(c[0], reuse);
            }
        }
    }

    /** The longest idle gap that a connection to {@code server} survived, -1 when unknown. */
    long survived(Endpoint server) {
        long[] s = servers.peek(server);
        return s == null ? -1 : s[0];
    }

    /** The longest pause after which a client of {@code server} used a connection again, -1 when unknown. */
    long reusedAfter(Endpoint server) {
        long[] s = servers.peek(server);
        return s == null ? -1 : s[1];
    }

    /** The longest pause after which {@code client} used a connection (to any server) again, -1 when unknown. */
    long clientReusedAfter(String client) {
        long[] c = clients.peek(client);
        return c == null ? -1 : c[0];
    }
}
