package dev.tcpautopsy.findings;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.FindingKind;
import dev.tcpautopsy.model.TcpFlags;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * INJECTED_RST: the RSTs a middlebox forged, grouped by the device's fingerprint: the TTL they arrived with
 * (so its distance in hops from the capture point, counted down from the initial value it used) and its IP
 * ID habit (zero or not). The claimed senders' own TTLs say where the device sits between the ends.
 */
final class Devices {
    static final int MAX_KEYS = 256;

    /**
     * A device: the TTL its RSTs arrived with, whether their IP ID was 0. Equality and hash written out, by
     * the record's own formula (so the table keeps its order): the record's are made through method handles
     * the first time, and are a call through them for every flow looked up.
     */
    record Fingerprint(int ttl, boolean ipIdZero) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Fingerprint f && ttl == f.ttl && ipIdZero == f.ipIdZero;
        }

        @Override
        public int hashCode() {
            return 31 * Integer.hashCode(ttl) + Boolean.hashCode(ipIdZero);
        }
    }

    private static final class Device {
        final Group flows = new Group();
        final Set<Endpoint> servers = new HashSet<>();
        long window = -2;
        int claimedTtl = -1;
        boolean claimedVaries;
        int towardsClient, towardsServer;
    }

    private final Table<Fingerprint, Device> devices = new Table<>(MAX_KEYS, k -> new Device(),
            d -> d.flows.count() < 2);

    /** A flow whose ending a middlebox forged. */
    void add(FlowFacts f, Termination t) {
        TailPacket rst = forgedRst(f, t);
        int ttl;
        boolean zero;
        long window;
        boolean fromClient;
        if (rst != null) {
            ttl = rst.ttl();
            zero = rst.ipId() == 0;
            window = rst.window();
            fromClient = rst.fromClient();
        } else {
            SideFacts s = forgedSide(f);
            if (s == null) {
                return;
            }
            ttl = s.rstTtl();
            zero = false;
            window = -1;
            fromClient = s == f.client();
        }
        if (ttl < 0) {
            return;
        }
        Device d = devices.get(new Fingerprint(ttl, zero));
        if (d == null) {
            return;
        }
        d.flows.add(f.stream());
        if (d.servers.size() < 64) {
            d.servers.add(Findings.server(f));
        }
        if (d.window == -2) {
            d.window = window;
        } else if (d.window != window) {
            d.window = -1;
        }
        int claimed = (fromClient ? f.client() : f.server()).ttl();
        if (claimed >= 0) {
            if (d.claimedTtl < 0) {
                d.claimedTtl = claimed;
            } else if (d.claimedTtl != claimed) {
                d.claimedVaries = true;
            }
        }
        if (fromClient) {
            d.towardsServer++;
        } else {
            d.towardsClient++;
        }
    }

    /**
     * The forged RST: a RST of the tail that the verdict's evidence names (for another class than
     * MIDDLEBOX_RST, one whose TTL is not its claimed sender's), {@code null} when none.
     */
    static TailPacket forgedRst(FlowFacts f, Termination t) {
        Set<Long> frames = new HashSet<>();
        for (Evidence e : t.evidence()) {
            frames.add(e.frame());
        }
        for (TailPacket p : f.tail()) {
            if ((p.flags() & TcpFlags.RST) != 0 && frames.contains(p.frame())) {
                SideFacts claimed = p.fromClient() ? f.client() : f.server();
                if (t.cls() == TerminationClass.MIDDLEBOX_RST || claimed.ttl() >= 0 && p.ttl() != claimed.ttl()) {
                    return p;
                }
            }
        }
        return null;
    }

    /** A side whose RST's TTL is not its own, when the tail no longer holds that RST. */
    private static SideFacts forgedSide(FlowFacts f) {
        for (SideFacts s : new SideFacts[] {f.server(), f.client()}) {
            if (s.rstFrame() != 0 && s.rstTtl() >= 0 && s.ttl() >= 0 && s.rstTtl() != s.ttl()) {
                return s;
            }
        }
        return null;
    }

    /** The initial TTL a sender most likely used: the smallest common one at or above what arrived. */
    static int initialTtl(int ttl) {
        return ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
    }

    void finish(List<Finding> out) {
        for (Map.Entry<Fingerprint, Device> e : devices.entries().entrySet()) {
            Fingerprint k = e.getKey();
            Device d = e.getValue();
            long n = d.flows.count();
            int hops = initialTtl(k.ttl()) - k.ttl();
            Endpoint only = d.servers.size() == 1 ? d.servers.iterator().next() : null;
            StringBuilder title = new StringBuilder("One device ").append(hops == 0 ? "next to the capture point"
                    : hops + (hops == 1 ? " hop" : " hops") + " from the capture point").append(" reset connections")
                    .append(only == null ? " to " + d.servers.size() + " servers" : " to " + only)
                    .append(": forged RSTs with TTL ").append(k.ttl()).append(k.ipIdZero() ? ", IP ID 0" : "");
            if (d.window >= 0) {
                title.append(", window ").append(d.window);
            }
            if (d.claimedTtl >= 0 && !d.claimedVaries) {
                int own = initialTtl(d.claimedTtl) - d.claimedTtl;
                title.append(" (the hosts they claim to come from arrive with TTL ").append(d.claimedTtl).append(", ")
                        .append(own).append(own == 1 ? " hop" : " hops").append(")");
            }
            Map<String, Object> more = new LinkedHashMap<>();
            more.put("ttl", k.ttl());
            more.put("hops", hops);
            more.put("ipId", k.ipIdZero() ? "zero" : "nonzero");
            more.put("window", d.window >= 0 ? d.window : null);
            more.put("claimedTtl", d.claimedTtl >= 0 && !d.claimedVaries ? d.claimedTtl : null);
            more.put("towardsClient", d.towardsClient);
            more.put("towardsServer", d.towardsServer);
            more.put("servers", d.servers.size());
            out.add(new Finding(FindingKind.INJECTED_RST, title.toString(), n, d.flows.streams(), only, "middlebox",
                    null, List.of(), null, more));
        }
    }
}
