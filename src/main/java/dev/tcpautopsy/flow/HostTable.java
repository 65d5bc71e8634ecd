package dev.tcpautopsy.flow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-flow TTL / hop-limit baselines per host and the capture's vantage point, learned from every
 * finished flow (whatever filters apply to the report). Bounded: past {@code maxHosts} distinct
 * addresses, new hosts are not tracked (their flows still count for the vantage point).
 */
public final class HostTable implements HostContext {
    /** A host's TTL is steady when its most common TTL is that of at least 9 of 10 of its packets. */
    private static final int STEADY_SHARE_NUMERATOR = 9, STEADY_SHARE_DENOMINATOR = 10;
    /** A spread of one within a flow is a route change on the way; more is a TTL that varies. */
    private static final int STEADY_SPREAD = 1;
    /** Hosts whose TTL varied within a flow: no baseline. */
    private final Set<String> varying = new HashSet<>();

    /** Local hosts named in {@link #vantage}, most flows first. */
    private static final int SHOWN_HOSTS = 3;
    private final int maxHosts;
    private final Map<String, ModeCounter> hosts = new HashMap<>();
    /** Flows whose local-looking ends were: neither, client only, server only, both. */
    private final long[] vantage = new long[4];
    /** Per local-looking host (its packets carry an initial TTL): flows it was client in, and server in. */
    private final Map<String, long[]> local = new HashMap<>();

    public HostTable(int maxHosts) {
        this.maxHosts = maxHosts;
    }

    /** Learns from one finished flow (every flow, in the order they finish). */
    public void observe(FlowFacts f) {
        boolean cl = add(f.client());
        boolean sv = add(f.server());
        if (f.client().packets() > 0 && f.server().packets() > 0) {
            vantage[(cl ? 1 : 0) | (sv ? 2 : 0)]++;
        }
        if (cl) {
            role(f.client().ip())[0]++;
        }
        if (sv) {
            role(f.server().ip())[1]++;
        }
    }

    private boolean add(SideFacts s) {
        int ttl = s.ttl();
        if (ttl < 0) {
            return false;
        }
        ModeCounter m = hosts.get(s.ip());
        if (m == null && hosts.size() < maxHosts) {
            m = new ModeCounter();
            hosts.put(s.ip(), m);
        }
        if (m != null) {
            m.add(ttl, Math.max(1, s.packets() - s.rstCount()));
            if (s.ttlMax() - s.ttlMin() > STEADY_SPREAD && varying.size() < maxHosts) {
                varying.add(s.ip()); // its TTL varies from packet to packet within one flow
            }
        }
        return isInitial(ttl);
    }

    static boolean isInitial(int ttl) {
        return HostContext.initialTtl(ttl);
    }

    @Override
    public int ttlBaseline(String ip) {
        ModeCounter m = hosts.get(ip);
        if (m == null || varying.contains(ip)) {
            return -1;
        }
        // a host whose packets carry several TTLs about equally (a load-balanced address, a randomising
        // stack) has no baseline: its TTLs prove nothing
        return m.modeCount() * STEADY_SHARE_DENOMINATOR < m.total() * STEADY_SHARE_NUMERATOR ? -1 : m.mode();
    }

    @Override
    public long ttlSamples(String ip) {
        ModeCounter m = hosts.get(ip);
        return m == null ? 0 : m.modeCount();
    }

    /**
     * Judged on the host's most common TTL even when it has no steady baseline: a host whose own stack
     * sends an initial TTL is where the capture was taken, whatever a tool on it crafts.
     */
    @Override
    public boolean isLocal(String ip) {
        ModeCounter m = hosts.get(ip);
        return m != null && isInitial(m.mode());
    }

    private long[] role(String ip) {
        long[] r = local.get(ip);
        if (r == null) {
            r = new long[2];
            if (local.size() < maxHosts) {
                local.put(ip, r); // beyond the bound, counted nowhere
            }
        }
        return r;
    }

    /**
     * Where the capture was taken, per host: the hosts whose own packets arrive unreduced and the roles
     * they play (one host may be client in some flows and server in others), or {@code in the path}
     * when no end of any flow is local.
     */
    @Override
    public String vantage() {
        long total = vantage[0] + vantage[1] + vantage[2] + vantage[3];
        if (local.isEmpty()) {
            return total == 0 ? "unknown" : "in the path";
        }
        List<Map.Entry<String, long[]>> hosts = new ArrayList<>(local.entrySet());
        hosts.sort((a, b) -> {
            int c = Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]);
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        StringBuilder out = new StringBuilder("on ");
        for (int i = 0; i < Math.min(SHOWN_HOSTS, hosts.size()); i++) {
            long[] r = hosts.get(i).getValue();
            out.append(i == 0 ? "" : ", ").append(hosts.get(i).getKey()).append(" (");
            if (r[0] > 0) {
                out.append("client in ").append(flows(r[0]));
            }
            if (r[1] > 0) {
                out.append(r[0] > 0 ? ", " : "").append("server in ").append(flows(r[1]));
            }
            out.append(')');
        }
        if (hosts.size() > SHOWN_HOSTS) {
            out.append(" and ").append(hosts.size() - SHOWN_HOSTS).append(" more hosts");
        }
        return out.toString();
    }

    private static String flows(long n) {
        return n == 1 ? "1 flow" : n + " flows";
    }
}
