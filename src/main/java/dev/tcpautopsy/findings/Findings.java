package dev.tcpautopsy.findings;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.TimerMatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What went wrong across the connections of one capture: fed every judged flow (before the report's
 * filters) and the host bursts, on the judging thread, into bounded state (a bounded number of keys, each
 * with bounded samples); {@link #finish} ranks the findings by the connections each explains.
 */
public final class Findings {
    /** Findings a capture reports at most. */
    public static final int MAX = 20;
    /** A SYN sent again this long after the first is a retry (stacks wait a second or more); sooner, a copy. */
    static final long SYN_RETRY_NANOS = 500_000_000L;

    private final TimerDefaults defaults;
    private final Timers timers = new Timers();
    private final Devices devices = new Devices();
    private final Blackholes blackholes = new Blackholes();
    private final Survivals survivals = new Survivals();
    private final Events events = new Events();

    public Findings() {
        this(TimerDefaults.BUILT_IN);
    }

    Findings(TimerDefaults defaults) {
        this.defaults = defaults;
    }

    /** One judged flow. */
    public void add(FlowFacts f, Termination t) {
        TerminationClass c = t.cls();
        By by = t.by();
        boolean dropped = false;
        switch (c) {
            case REFUSED -> events.refused(f, by);
            case HANDSHAKE_TIMEOUT -> events.handshake(f, -1);
            case MIDDLEBOX_RST -> devices.add(f, t);
            case MIDDLEBOX_DROP -> dropped = true;
            case ZERO_WINDOW_STALL -> {
                if (by == By.CLIENT || by == By.SERVER) {
                    events.stall(f, by == By.CLIENT);
                }
            }
            case IDLE_TIMEOUT -> {
                if (by == By.MIDDLEBOX) {
                    if (Devices.forgedRst(f, t) != null) {
                        devices.add(f, t);
                    } else {
                        dropped = true;
                    }
                }
            }
            default -> {
            }
        }
        if (dropped) {
            blackholes.drop(f);
        } else if (c != TerminationClass.MIDDLEBOX_RST) {
            survivals.passed(f);
        }
        if (f.handshakeComplete() && f.client().synCount() > 1
                && f.client().lastSynNanos() - f.client().firstSynNanos() >= SYN_RETRY_NANOS) {
            events.handshake(f, f.client().lastSynNanos() - f.client().firstSynNanos());
        }
        timers.add(f, t);
        // a goodbye that came on its own after a quiet time is an idle timer's (PostgreSQL's 57P05), whatever the
        // threshold made of the ending: the timer's finding names those connections, so they are not counted twice
        if (hasTag(t, "APP_REJECTED") && f.quiet().runGap() < Durations.FLOOR_NANOS) {
            events.rejected(f);
        }
    }

    /** A burst of endings by one host (spec HOST_BURST): its connections' streams. */
    public void burst(String host, long[] streams) {
        events.burst(host, streams);
    }

    /** The findings, most connections explained first, at most {@value #MAX}. */
    public List<Finding> finish() {
        List<Finding> out = new ArrayList<>();
        timers.finish(defaults, survivals, out);
        devices.finish(out);
        blackholes.finish(defaults, survivals, out);
        events.finish(out);
        out.sort(Comparator.comparingLong(Finding::count).reversed().thenComparing(Finding::kind)
                .thenComparing(Finding::title));
        return List.copyOf(out.subList(0, Math.min(MAX, out.size())));
    }

    /** The server's endpoint of a flow. */
    static Endpoint server(FlowFacts f) {
        return new Endpoint(f.server().ip(), f.server().port());
    }

    /**
     * Whether the verdict carries a tag of that name: the application context's tags (APP_REJECTED,
     * REQUEST_LOST) are read by name, so that the findings use them wherever they come from.
     */
    static boolean hasTag(Termination t, String name) {
        List<Tag> tags = t.tags();
        // by index: an iterator a flow is garbage the judging thread makes for nothing
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i).name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Seconds to the millisecond, as the JSON gives them. */
    static Double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1e3;
    }

    /** " (the default of nginx keepalive_timeout?)" for the first two matches, "" for none. */
    static String matchNote(List<TimerMatch> matches) {
        if (matches.isEmpty()) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (TimerMatch m : matches.subList(0, Math.min(2, matches.size()))) {
            names.add(m.name());
        }
        return " (the default of " + String.join(" or ", names) + (matches.size() > 2 ? " or others" : "") + "?)";
    }
}
