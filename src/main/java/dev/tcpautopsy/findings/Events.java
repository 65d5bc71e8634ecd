package dev.tcpautopsy.findings;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.FindingKind;
import dev.tcpautopsy.model.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings that gather connections by one endpoint: REFUSED_SERVICE (by server endpoint; a host refusing
 * on many ports is one finding), HANDSHAKE_FAILURES (SYNs unanswered, or answered after retries, by
 * destination), ZERO_WINDOW_RECEIVER (by the reader that stopped), APP_REJECTIONS (by server endpoint) and
 * HOST_BURST (by host).
 */
final class Events {
    static final int MAX_KEYS = 4096;
    /** Ports a host refuses on, beyond which its refusals are one finding (a scan, or a host that is down). */
    static final int PORTS_AS_HOST = 5;

    private static final class Refused {
        final Group flows = new Group();
        long byFirewall;
    }

    /** A server's goodbyes that refused: the connections, and the words of the first (what they were). */
    private static final class Rejections {
        final Group flows = new Group();
        String words;
    }

    private static final class Handshakes {
        final Group flows = new Group();
        long unanswered, delayed, maxDelay;
    }

    private static final class Bursts {
        final Group flows = new Group();
        long bursts;
        int largest;
    }

    private final Table<Endpoint, Refused> refused = new Table<>(MAX_KEYS, k -> new Refused(), r -> r.flows.count() < 2);
    private final Table<Endpoint, Handshakes> handshakes = new Table<>(MAX_KEYS, k -> new Handshakes(),
            h -> h.flows.count() < 2);
    private final Table<Timers.Key, Group> stalls = new Table<>(MAX_KEYS, k -> new Group(), g -> g.count() < 2);
    private final Table<Endpoint, Rejections> rejections = new Table<>(MAX_KEYS, k -> new Rejections(),
            r -> r.flows.count() < 2);
    private final Table<String, Bursts> bursts = new Table<>(MAX_KEYS, k -> new Bursts(), b -> b.flows.count() < 2);

    void refused(FlowFacts f, By by) {
        Refused r = refused.get(Findings.server(f));
        if (r != null) {
            r.flows.add(f.stream());
            if (by == By.MIDDLEBOX) {
                r.byFirewall++;
            }
        }
    }

    /** A handshake never answered ({@code delayNanos} -1), or answered after SYN retries that cost {@code delayNanos}. */
    void handshake(FlowFacts f, long delayNanos) {
        Handshakes h = handshakes.get(Findings.server(f));
        if (h != null) {
            h.flows.add(f.stream());
            if (delayNanos < 0) {
                h.unanswered++;
            } else {
                h.delayed++;
                h.maxDelay = Math.max(h.maxDelay, delayNanos);
            }
        }
    }

    /** A zero-window stall, by the side that stopped reading. */
    void stall(FlowFacts f, boolean clientStopped) {
        Group g = stalls.get(Timers.key(f, clientStopped));
        if (g != null) {
            g.add(f.stream());
        }
    }

    void rejected(FlowFacts f) {
        Rejections r = rejections.get(Findings.server(f));
        if (r != null) {
            r.flows.add(f.stream());
            if (r.words == null && f.app() != null && f.app().goodbye() != null) {
                r.words = f.app().goodbye().text();
            }
        }
    }

    /** A burst of {@code host}'s endings (spec HOST_BURST), with its connections. */
    void burst(String host, long[] streams) {
        Bursts b = bursts.get(host);
        if (b != null) {
            b.bursts++;
            b.largest = Math.max(b.largest, streams.length);
            for (long s : streams) {
                b.flows.add(s);
            }
        }
    }

    void finish(List<Finding> out) {
        refusals(out);
        for (Map.Entry<Endpoint, Handshakes> e : handshakes.entries().entrySet()) {
            Handshakes h = e.getValue();
            if (h.flows.count() < 2) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            if (h.unanswered > 0) {
                parts.add(Units.count(h.unanswered) + (h.unanswered == 1 ? " connection attempt" : " connection attempts")
                        + " never answered");
            }
            if (h.delayed > 0) {
                parts.add(Units.count(h.delayed) + " connected only after SYN retries (up to " + Units.secs(h.maxDelay)
                        + " late)");
            }
            Map<String, Object> more = new LinkedHashMap<>();
            more.put("unanswered", h.unanswered);
            more.put("delayed", h.delayed);
            out.add(new Finding(FindingKind.HANDSHAKE_FAILURES, e.getKey() + ": " + String.join(", ", parts),
                    h.flows.count(), h.flows.streams(), e.getKey(), "server",
                    h.delayed > 0 ? Findings.seconds(h.maxDelay) : null, List.of(), null, more));
        }
        for (Map.Entry<Timers.Key, Group> e : stalls.entries().entrySet()) {
            Group g = e.getValue();
            if (g.count() < 2) {
                continue;
            }
            Timers.Key k = e.getKey();
            String who = "client".equals(k.side()) ? k.endpoint().ip() + " (as a client of " + k.peer() + ")"
                    : k.endpoint().toString();
            Map<String, Object> more = new LinkedHashMap<>();
            if (k.peer() != null) {
                more.put("peer", k.peer().toString());
            }
            out.add(new Finding(FindingKind.ZERO_WINDOW_RECEIVER, who + " stopped reading: its zero window stalled "
                    + Units.count(g.count()) + " connections until they ended", g.count(), g.streams(), k.endpoint(),
                    k.side(), null, List.of(), null, more));
        }
        for (Map.Entry<Endpoint, Rejections> e : rejections.entries().entrySet()) {
            Group g = e.getValue().flows;
            String words = e.getValue().words;
            if (g.count() >= 2) {
                // the words say what the refusal was: a wrong password and an idle session's end read alike otherwise
                out.add(new Finding(FindingKind.APP_REJECTIONS, e.getKey() + " ended " + Units.count(g.count())
                        + " connections with a goodbye that refused the client" + (words == null ? "" : ", the first: \""
                        + words + "\""), g.count(), g.streams(), e.getKey(), "server", null, List.of(), null,
                        words == null ? Map.of() : Map.of("words", words)));
            }
        }
        for (Map.Entry<String, Bursts> e : bursts.entries().entrySet()) {
            Bursts b = e.getValue();
            Map<String, Object> more = new LinkedHashMap<>();
            more.put("bursts", b.bursts);
            more.put("largest", b.largest);
            String title = e.getKey() + " ended " + Units.count(b.flows.count()) + " connections in "
                    + (b.bursts == 1 ? "one burst" : Units.count(b.bursts) + " bursts (up to " + b.largest + " at once)")
                    + " within 10 ms: one event on that host each (a process exit, a restart, a pool shutdown)";
            out.add(new Finding(FindingKind.HOST_BURST, title, b.flows.count(), b.flows.streams(),
                    new Endpoint(e.getKey(), 0), null, null, List.of(), null, more));
        }
    }

    /** One finding a refusing port, or one a host when it refuses on many. */
    private void refusals(List<Finding> out) {
        Map<String, List<Map.Entry<Endpoint, Refused>>> byHost = new LinkedHashMap<>();
        for (Map.Entry<Endpoint, Refused> e : refused.entries().entrySet()) {
            byHost.computeIfAbsent(e.getKey().ip(), h -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<String, List<Map.Entry<Endpoint, Refused>>> h : byHost.entrySet()) {
            List<Map.Entry<Endpoint, Refused>> ports = h.getValue();
            if (ports.size() >= PORTS_AS_HOST) {
                Group all = new Group();
                long firewall = 0;
                for (Map.Entry<Endpoint, Refused> e : ports) {
                    all.addAll(e.getValue().flows);
                    firewall += e.getValue().byFirewall;
                }
                out.add(refusal(new Endpoint(h.getKey(), 0), all, firewall, h.getKey() + " refused "
                        + Units.count(all.count()) + " connections on " + ports.size() + " ports (a port scan, or nothing"
                        + " listening)", ports.size()));
                continue;
            }
            for (Map.Entry<Endpoint, Refused> e : ports) {
                Refused r = e.getValue();
                if (r.flows.count() < 2) {
                    continue;
                }
                String how = r.byFirewall == r.flows.count() ? ": RSTs that the host did not send (a firewall rejecting)"
                        : r.byFirewall == 0 ? ": nothing listening, or the host itself rejecting"
                        : " (" + Units.count(r.byFirewall) + " of them by a firewall in front of it)";
                out.add(refusal(e.getKey(), r.flows, r.byFirewall, e.getKey() + " refused " + Units.count(r.flows.count())
                        + " connections" + how, 1));
            }
        }
    }

    private static Finding refusal(Endpoint ep, Group flows, long firewall, String title, int ports) {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("byFirewall", firewall);
        more.put("ports", ports);
        return new Finding(FindingKind.REFUSED_SERVICE, title, flows.count(), flows.streams(), ep,
                firewall == flows.count() ? "middlebox" : "server", null, List.of(), null, more);
    }
}
