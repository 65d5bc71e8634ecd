package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.HostContext;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.Units;

/**
 * Whether a RST came from the host it claims: the TTL / hop limit of one host's packets is constant
 * along a path, and a device forging packets uses its own initial value. IP ID is no evidence (Linux's
 * own bare RSTs carry ID 0, tcpkill's are random).
 */
final class Forgery {
    /**
     * Two forged RSTs sent as one action arrive within microseconds; a floor keeps timestamp jitter at a
     * capture point close to both ends (a measured RTT of 40 us) from hiding them.
     */
    static final long BOTH_WAYS_FLOOR = 10_000_000L;

    /**
     * A host's own TTLs within one flow may differ by one (a route change on the way); a wider spread
     * means they vary from packet to packet (a load-balanced address, a randomising stack), and prove nothing.
     */
    static final int MAX_STEADY_SPREAD = 1;

    private Forgery() {
    }

    /**
     * Why the first RST in the name of {@code sender} is not that host's own, judged by its TTL against
     * the host's other packets of this flow, or, when it sent none, of the other flows of the capture;
     * {@code null} when the TTL gives no such evidence.
     */
    static String ttl(FlowView v, boolean sender) {
        SideFacts s = v.side(sender);
        if (s.rstCount() == 0 || s.rstTtl() < 0) {
            return null;
        }
        return foreignTtl(v, sender, s.rstTtl());
    }

    /**
     * Why a RST with TTL / hop limit {@code rst} in the name of {@code sender} is not that host's own, or
     * {@code null} when its TTL proves nothing: it matches, or the host has no steady TTL (a host whose
     * TTL varies from packet to packet has no baseline).
     */
    static String foreignTtl(FlowView v, boolean sender, int rst) {
        SideFacts s = v.side(sender);
        if (rst < 0) {
            return null;
        }
        String field = s.ip().indexOf(':') >= 0 ? "hop limit" : "TTL";
        String who = FlowView.name(sender);
        if (s.ttlMax() >= 0) {
            if (rst >= s.ttlMin() && rst <= s.ttlMax() || s.ttlMax() - s.ttlMin() > MAX_STEADY_SPREAD) {
                return null;
            }
            String own = s.ttlMin() == s.ttlMax() ? String.valueOf(s.ttlMin()) : s.ttlMin() + "-" + s.ttlMax();
            return "the RST in the " + who + "'s name carries " + field + " " + rst + " while the " + who
                    + "'s own packets in this flow carry " + own;
        }
        int base = v.hosts.ttlBaseline(s.ip());
        if (base < 0 || base == rst) {
            return null;
        }
        return "the RST in the " + who + "'s name carries " + field + " " + rst + " while " + s.ip()
                + "'s packets in other flows of this capture carry " + base + " (" + v.hosts.ttlSamples(s.ip())
                + " packets)";
    }

    /** Why the RSTs towards both ends are one middlebox's doing, or {@code null} when they are not. */
    static String bothWays(FlowView v) {
        SideFacts c = v.f.client(), s = v.f.server();
        if (c.rstCount() == 0 || s.rstCount() == 0 || c.rstNanos() < 0 || s.rstNanos() < 0) {
            return null;
        }
        // a side that had sent its FIN resets whatever arrives next from a closed socket: its RST is an answer,
        // not half of a forged pair (seen in suricata-verify's tcp-fastopen-11: server RST, client's reply 5 ms later)
        if (c.finFrame() != 0 && c.finFrame() < c.rstFrame() || s.finFrame() != 0 && s.finFrame() < s.rstFrame()) {
            return null;
        }
        // from next to either end, both RSTs cannot be seen going both ways: only a vantage in the path
        // (neither end's packets arrive with an initial TTL) sees a middlebox send towards both
        if (HostContext.initialTtl(c.ttl()) || HostContext.initialTtl(s.ttl())) {
            return null;
        }
        long apart = Math.abs(c.rstNanos() - s.rstNanos());
        long window = Math.max(v.rtt(), BOTH_WAYS_FLOOR);
        if (apart > window) {
            return null;
        }
        String rtt = v.f.handshakeRttNanos() > 0 ? "the RTT is " + Units.secs(v.f.handshakeRttNanos())
                : "no RTT measured, 100 ms assumed";
        return "RSTs went towards both ends " + Units.secs(apart) + " apart (frames " + c.rstFrame() + " and "
                + s.rstFrame() + "; " + rtt + "): no single end sends both";
    }
}
