package dev.tcpautopsy.flow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    /** Local hosts named in {@link #vantage}, most flows first. */
    private static final int SHOWN_HOSTS = 3;
    private final int maxHosts;
    /** What is known of each host: one lookup a host for all of it. */
    private final Map<String, Host> hosts = new HashMap<>();
    /** The hosts looked up last: a flow's ends are looked up several times in a row, and come back. */
    private final AddressCache<Host> recent = new AddressCache<>();
    /** Hosts with TTL counts, hosts whose TTL varied, local-looking hosts: each bounded by {@code maxHosts}. */
    private int counted, varied, locals;
    /** Flows whose local-looking ends were: neither, client only, server only, both. */
    private final long[] vantage = new long[4];

    /**
     * One host: its TTL counts ({@code null} beyond the bound), whether its TTL varied within a flow (then
     * it has no baseline), and for a local-looking host (its packets carry an initial TTL) the flows it was
     * client in and server in.
     */
    private static final class Host {
        ModeCounter ttl;
        boolean varying;
        long[] role;
    }

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

    /** The host of {@code ip}, or null; made when {@code make} (the caller then stores something bounded in it). */
    private Host host(String ip, boolean make) {
        Host h = recent.get(ip);
        if (h == null) {
            h = hosts.get(ip);
            if (h == null) {
                if (!make) {
                    return null;
                }
                h = new Host();
                hosts.put(ip, h);
            }
            recent.put(ip, h);
        }
        return h;
    }

    private boolean add(SideFacts s) {
        int ttl = s.ttl();
        if (ttl < 0) {
            return false;
        }
        Host h = host(s.ip(), counted < maxHosts);
        if (h != null && h.ttl == null && counted < maxHosts) {
            h.ttl = new ModeCounter();
            counted++;
        }
        if (h != null && h.ttl != null) {
            h.ttl.add(ttl, Math.max(1, s.packets() - s.rstCount()));
            if (s.ttlMax() - s.ttlMin() > STEADY_SPREAD && !h.varying && varied < maxHosts) {
                h.varying = true; // its TTL varies from packet to packet within one flow
                varied++;
            }
        }
        return isInitial(ttl);
    }

    static boolean isInitial(int ttl) {
        return HostContext.initialTtl(ttl);
    }

    @Override
    public int ttlBaseline(String ip) {
        Host h = host(ip, false);
        ModeCounter m = h == null ? null : h.ttl;
        if (m == null || h.varying) {
            return -1;
        }
        // a host whose packets carry several TTLs about equally (a load-balanced address, a randomising
        // stack) has no baseline: its TTLs prove nothing
        return m.modeCount() * STEADY_SHARE_DENOMINATOR < m.total() * STEADY_SHARE_NUMERATOR ? -1 : m.mode();
    }

    @Override
    public long ttlSamples(String ip) {
        Host h = host(ip, false);
        return h == null || h.ttl == null ? 0 : h.ttl.modeCount();
    }

    /**
     * Judged on the host's most common TTL even when it has no steady baseline: a host whose own stack
     * sends an initial TTL is where the capture was taken, whatever a tool on it crafts.
     */
    @Override
    public boolean isLocal(String ip) {
        Host h = host(ip, false);
        return h != null && h.ttl != null && isInitial(h.ttl.mode());
    }

    private long[] role(String ip) {
        Host h = host(ip, locals < maxHosts);
        if (h != null && h.role == null && locals < maxHosts) {
            h.role = new long[2];
            locals++;
        }
        // beyond the bound, counted nowhere
        return h != null && h.role != null ? h.role : new long[2];
    }

    /**
     * Where the capture was taken, per host: the hosts whose own packets arrive unreduced and the roles
     * they play (one host may be client in some flows and server in others), or {@code in the path}
     * when no end of any flow is local.
     */
    @Override
    public String vantage() {
        long total = vantage[0] + vantage[1] + vantage[2] + vantage[3];
        List<Map.Entry<String, long[]>> hosts = new ArrayList<>();
        this.hosts.forEach((ip, h) -> {
            if (h.role != null) {
                hosts.add(Map.entry(ip, h.role));
            }
        });
        if (hosts.isEmpty()) {
            return total == 0 ? "unknown" : "in the path";
        }
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
