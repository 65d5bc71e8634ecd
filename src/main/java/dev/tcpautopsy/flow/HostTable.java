package dev.tcpautopsy.flow;

import java.util.HashMap;
import java.util.Map;

/**
 * Cross-flow TTL / hop-limit baselines per host and the capture's vantage point, learned from every
 * finished flow (whatever filters apply to the report). Bounded: past {@code maxHosts} distinct
 * addresses, new hosts are not tracked (their flows still count for the vantage point).
 */
public final class HostTable implements HostContext {
    /** A host's TTL is steady when its most common TTL is that of at least 9 of 10 of its packets. */
    private static final int STEADY_SHARE_NUMERATOR = 9, STEADY_SHARE_DENOMINATOR = 10;

    private final int maxHosts;
    private final Map<String, ModeCounter> hosts = new HashMap<>();
    /** Flows whose local-looking ends were: neither, client only, server only, both. */
    private final long[] vantage = new long[4];

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
        }
        return isInitial(ttl);
    }

    static boolean isInitial(int ttl) {
        return HostContext.initialTtl(ttl);
    }

    @Override
    public int ttlBaseline(String ip) {
        ModeCounter m = hosts.get(ip);
        if (m == null) {
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

    @Override
    public boolean isLocal(String ip) {
        return isInitial(ttlBaseline(ip));
    }

    @Override
    public String vantage() {
        long total = vantage[0] + vantage[1] + vantage[2] + vantage[3];
        if (total == 0) {
            return "unknown";
        }
        int best = 0;
        for (int i = 1; i < 4; i++) {
            if (vantage[i] > vantage[best]) {
                best = i;
            }
        }
        switch (best) {
            case 1:
                return "client host";
            case 2:
                return "server host";
            case 3:
                return "next to both ends";
            default:
                return "in the path";
        }
    }
}
