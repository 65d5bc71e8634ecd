package dev.tcpautopsy.findings;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.QuietFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.FindingKind;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.TimerMatch;
import dev.tcpautopsy.model.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * IDLE_TIMEOUT_SETTING and KEEPALIVE_RACE: the idle durations before each endpoint's own closes (a server
 * by its address and port; a client by its address and the server it talks to; a middlebox by the server
 * behind it), gathered into timers; and the closes that crossed a peer's request.
 */
final class Timers {
    static final int MAX_KEYS = 2048;
    /** Closes a timer needs. */
    static final int MIN_CLOSES = 3;

    /**
     * Whose timer: {@code side} closes; {@code peer} is the server a client's timer is about. Equality and hash
     * written out as {@link Devices.Fingerprint}'s are.
     */
    record Key(Endpoint endpoint, String side, Endpoint peer) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(endpoint, k.endpoint) && Objects.equals(side, k.side)
                    && Objects.equals(peer, k.peer);
        }

        @Override
        public int hashCode() {
            return (31 * Objects.hashCode(endpoint) + Objects.hashCode(side)) * 31 + Objects.hashCode(peer);
        }

        String who() {
            return switch (side) {
                case "client" -> endpoint.ip() + " closes its connections to " + peer;
                case "middlebox" -> "A device on the path to " + endpoint + " resets connections";
                default -> endpoint + " closes connections";
            };
        }
    }

    /** The crossed closes of one endpoint, the requests they lost, the peers whose requests crossed. */
    private static final class Race {
        final Group flows = new Group();
        final Set<String> peers = new TreeSet<>();
        long lost;
    }

    private final Durations.Budget budget = new Durations.Budget(100_000);
    private final Table<Key, Durations> closes = new Table<>(MAX_KEYS, k -> new Durations(budget),
            d -> d.total() < MIN_CLOSES, Durations::release);
    private final Table<Key, Race> races = new Table<>(MAX_KEYS, k -> new Race(), r -> false);

    /**
     * A judged flow: its first close, by whichever endpoint sent it (the verdict's {@code by} may name the
     * side that closed last, and depends on the idle threshold; the first close does not), unless a middlebox
     * ended the flow; and a middlebox's forged close after quiet.
     */
    void add(FlowFacts f, Termination t) {
        if (t.by() == By.MIDDLEBOX) {
            if (t.cls() == TerminationClass.IDLE_TIMEOUT && Devices.forgedRst(f, t) != null) {
                long idle = f.quiet().lastIdle();
                Durations d = idle < Durations.FLOOR_NANOS ? null
                        : closes.get(new Key(Findings.server(f), "middlebox", null));
                if (d != null) {
                    d.add(f.stream(), idle);
                }
            }
            return;
        }
        QuietFacts q = f.quiet();
        if (!endpointClose(t.cls()) || q.closeFrame() == 0) {
            return;
        }
        boolean crossed = t.tags().contains(Tag.KEEPALIVE_RACE);
        long idle = IdleBefore.close(q, crossed);
        if (idle < Durations.FLOOR_NANOS && !crossed) {
            // most closes answer a message: no timer to look up
            return;
        }
        Key key = key(f, q.closeFromClient());
        if (idle >= Durations.FLOOR_NANOS) {
            Durations d = closes.get(key);
            if (d != null) {
                d.add(f.stream(), idle);
            }
        }
        if (crossed) {
            Race r = races.get(key);
            if (r != null) {
                r.flows.add(f.stream());
                if (r.peers.size() < 16) {
                    r.peers.add(q.closeFromClient() ? f.server().ip() : f.client().ip());
                }
                if (Findings.hasTag(t, "REQUEST_LOST")) {
                    r.lost++;
                }
            }
        }
    }

    static Key key(FlowFacts f, boolean client) {
        return client ? new Key(new Endpoint(f.client().ip(), 0), "client", Findings.server(f))
                : new Key(Findings.server(f), "server", null);
    }

    /**
     * Endings that an endpoint's own close began (a half-close left open at the capture's end too); not a
     * refusal, an unfinished handshake, a middlebox's doing, or a stall (whose close ends a wait for a
     * window, not a quiet time).
     */
    private static boolean endpointClose(TerminationClass c) {
        return c == TerminationClass.IDLE_TIMEOUT || c == TerminationClass.FIN_ORDERLY || c == TerminationClass.RST_ABORT
                || c == TerminationClass.RST_UNREAD_DATA || c == TerminationClass.RST_AFTER_CLOSE
                || c == TerminationClass.OPEN_AT_END;
    }

    /**
     * The timers, then the races, each with its endpoint's timer and how long its peers keep idle
     * connections for reuse (the longest pause after which one used a connection again, to any server: a
     * lower bound of their timer). A middlebox's timer that connections to the same endpoint outlived is none.
     */
    void finish(TimerDefaults defaults, Survivals survivals, List<Finding> out) {
        Map<Key, Durations.Cluster> first = new LinkedHashMap<>();
        for (Map.Entry<Key, Durations> e : closes.entries().entrySet()) {
            Key k = e.getKey();
            for (Durations.Cluster c : e.getValue().clusters(MIN_CLOSES)) {
                if ("middlebox".equals(k.side()) && survivals.survived(k.endpoint()) >= c.minNanos()) {
                    continue;
                }
                first.putIfAbsent(k, c);
                out.add(timer(k, c, e.getValue().total(), defaults));
            }
        }
        for (Map.Entry<Key, Race> e : races.entries().entrySet()) {
            Key k = e.getKey();
            Race r = e.getValue();
            Durations.Cluster timer = first.get(k);
            if (r.flows.count() < (timer == null ? 2 : 1)) {
                continue;
            }
            long reused = -1;
            if ("server".equals(k.side())) {
                for (String peer : r.peers) {
                    reused = Math.max(reused, survivals.clientReusedAfter(peer));
                }
            }
            out.add(race(k, r, timer, reused));
        }
    }

    private static Finding timer(Key k, Durations.Cluster c, long closes, TimerDefaults defaults) {
        double lo = c.minNanos() / 1e9, hi = c.maxNanos() / 1e9;
        // a middlebox that resets after quiet most often forgot the flow first and resets what comes next
        List<TimerMatch> matches = defaults.match(k.side(), lo, hi, "middlebox".equals(k.side()));
        String spread = c.maxNanos() - c.minNanos() >= 10_000_000L
                ? " (" + Units.secs(c.minNanos()) + " to " + Units.secs(c.maxNanos()) + ")" : "";
        String title = k.who() + " idle for " + Units.secs(c.minNanos()) + spread + Findings.matchNote(matches);
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("maxSeconds", Findings.seconds(c.maxNanos()));
        more.put("closes", closes);
        if (k.peer() != null) {
            more.put("peer", k.peer().toString());
        }
        return new Finding(FindingKind.IDLE_TIMEOUT_SETTING, title, c.count(), c.streams().streams(), k.endpoint(),
                k.side(), Findings.seconds(c.minNanos()), matches, null, more);
    }

    private static Finding race(Key k, Race r, Durations.Cluster timer, long reused) {
        long n = r.flows.count();
        String closer = "client".equals(k.side()) ? k.endpoint().ip() + " (its connections to " + k.peer() + ")"
                : k.endpoint().toString();
        String peers = r.peers.size() == 1 ? r.peers.iterator().next() : "its clients";
        String timerText = timer == null ? null : Units.secs(timer.minNanos());
        StringBuilder title = new StringBuilder(closer);
        if (timer != null) {
            title.append(" closes connections idle for ").append(timerText);
            if (reused > timer.minNanos()) {
                title.append(" while ").append(peers).append(" keeps them longer for reuse (used one again after ")
                        .append(Units.secs(reused)).append(" idle)");
            }
            title.append(": requests crossed its close");
        } else {
            title.append(": requests crossed its closes of idle connections");
        }
        if (r.lost > 0) {
            title.append(", ").append(Units.count(r.lost)).append(r.lost == 1 ? " request" : " requests").append(" lost");
        }
        String fix = "The server's keep-alive timeout must be longer than the client's (a proxy's idle timeout for"
                + " its backend connections): raise " + closer + "'s" + (timer == null ? "" : " " + timerText)
                + " above it, or make " + peers + " drop idle connections sooner"
                + (timer == null ? "" : " than " + timerText) + ".";
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("clientSeconds", reused < 0 ? null : Findings.seconds(reused));
        more.put("requestsLost", r.lost > 0 ? r.lost : null);
        more.put("clients", String.join(" ", r.peers));
        if (k.peer() != null) {
            more.put("peer", k.peer().toString());
        }
        return new Finding(FindingKind.KEEPALIVE_RACE, title.toString(), n, r.flows.streams(), k.endpoint(), k.side(),
                timer == null ? null : Findings.seconds(timer.minNanos()), List.of(), fix, more);
    }
}
