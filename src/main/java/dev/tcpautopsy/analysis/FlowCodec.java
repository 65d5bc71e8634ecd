package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.AnalysisFlags;
import dev.tcpautopsy.flow.EndpointState;
import dev.tcpautopsy.model.AnalysisCounts;
import dev.tcpautopsy.model.AppContext;
import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.IdleGap;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.StateChange;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compact binary form of {@link Flow}, for the flow sets held in memory and spilled to disk: fields
 * in declaration order, numbers as variable-length integers, strings as UTF-8 (the few that recur in
 * every flow, such as states, sides and errno names, as a code), absent values as a leading flag.
 * A flow without details takes some 300 bytes instead of some 1.3 KB of objects. Written and read by
 * the same process only, so there is no versioning.
 */
final class FlowCodec {
    private static final TerminationClass[] CLASSES = TerminationClass.values();
    private static final By[] BYS = By.values();
    private static final Tag[] TAGS = Tag.values();
    /** Strings written as a code: they recur in every flow. */
    private static final String[] KNOWN = known();
    private static final Map<String, Integer> CODES = codes(KNOWN);

    private FlowCodec() {
    }

    private static String[] known() {
        List<String> k = new ArrayList<>(List.of("", "client", "server", "none", "EOF", "ECONNRESET", "EPIPE",
                "ETIMEDOUT", "ECONNREFUSED", "S", "SA", "A", "PA", "FA", "FPA", "R", "RA", "F"));
        for (EndpointState s : EndpointState.values()) {
            k.add(s.name());
        }
        for (int i = 0; i < AnalysisFlags.COUNT; i++) {
            k.add(AnalysisFlags.name(i));
        }
        return k.toArray(String[]::new);
    }

    private static Map<String, Integer> codes(String[] known) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < known.length; i++) {
            if (known[i].length() > ByteSink.MAX_CODED) {
                throw new IllegalStateException("a coded string is too long: " + known[i]);
            }
            m.put(known[i], i);
        }
        return Map.copyOf(m);
    }

    static void write(ByteSink o, Flow f) {
        o.writeLong(f.stream());
        endpoint(o, f.client());
        endpoint(o, f.server());
        o.writeLong(f.firstFrame());
        o.writeLong(f.lastFrame());
        instant(o, f.start());
        instant(o, f.end());
        o.writeBoolean(f.handshakeSeen());
        o.writeBoolean(f.halfClosed());
        termination(o, f.termination());
        stats(o, f.fromClient());
        stats(o, f.fromServer());
        o.writeLong(f.handshakeRttMicros());
        o.writeBoolean(f.longestIdle() != null);
        if (f.longestIdle() != null) {
            o.writeDouble(f.longestIdle().seconds());
            o.writeLong(f.longestIdle().afterFrame());
            o.writeLong(f.longestIdle().beforeFrame());
        }
        string(o, f.history());
        o.writeLong(f.transitions().size());
        for (StateChange s : f.transitions()) {
            o.writeLong(s.frame());
            instant(o, s.time());
            string(o, s.side());
            string(o, s.from());
            string(o, s.to());
        }
        o.writeLong(f.lastPackets().size());
        for (PacketLine p : f.lastPackets()) {
            o.writeLong(p.frame());
            instant(o, p.time());
            o.writeBoolean(p.fromClient());
            string(o, p.flags());
            o.writeLong(p.seq());
            o.writeLong(p.ack());
            o.writeLong(p.len());
            o.writeLong(p.window());
            o.writeLong(p.ttl());
            strings(o, p.analysis());
        }
        app(o, f.app());
    }

    private static void app(ByteSink o, AppContext a) {
        o.writeBoolean(a != null);
        if (a == null) {
            return;
        }
        string(o, a.protocol());
        message(o, a.lastRequest());
        message(o, a.lastResponse());
        o.writeBoolean(a.unanswered());
        message(o, a.goodbye());
        o.writeBoolean(a.tls() != null);
        if (a.tls() != null) {
            string(o, a.tls().sni());
            string(o, a.tls().alpn());
            message(o, a.tls().alert());
        }
        string(o, a.note());
    }

    private static AppContext app(ByteSource in) {
        if (!in.readBoolean()) {
            return null;
        }
        String protocol = string(in);
        AppContext.AppMessage request = message(in), response = message(in);
        boolean unanswered = in.readBoolean();
        AppContext.AppMessage goodbye = message(in);
        AppContext.Tls tls = in.readBoolean() ? new AppContext.Tls(string(in), string(in), message(in)) : null;
        return new AppContext(protocol, request, response, unanswered, goodbye, tls, string(in));
    }

    private static void message(ByteSink o, AppContext.AppMessage m) {
        o.writeBoolean(m != null);
        if (m != null) {
            o.writeLong(m.frame());
            string(o, m.from());
            string(o, m.text());
        }
    }

    private static AppContext.AppMessage message(ByteSource in) {
        return in.readBoolean() ? new AppContext.AppMessage(in.readLong(), string(in), string(in)) : null;
    }

    static Flow read(ByteSource in) {
        long stream = in.readLong();
        Endpoint client = endpoint(in), server = endpoint(in);
        long first = in.readLong(), last = in.readLong();
        Instant start = instant(in), end = instant(in);
        boolean handshake = in.readBoolean(), half = in.readBoolean();
        Termination t = termination(in);
        DirectionStats fc = stats(in), fs = stats(in);
        long rtt = in.readLong();
        IdleGap idle = in.readBoolean() ? new IdleGap(in.readDouble(), in.readLong(), in.readLong()) : null;
        String history = string(in);
        int n = in.readInt();
        List<StateChange> transitions = n == 0 ? List.of() : new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            transitions.add(new StateChange(in.readLong(), instant(in), string(in), string(in), string(in)));
        }
        n = in.readInt();
        List<PacketLine> lines = n == 0 ? List.of() : new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lines.add(new PacketLine(in.readLong(), instant(in), in.readBoolean(), string(in), in.readLong(),
                    in.readLong(), in.readInt(), in.readLong(), in.readInt(), strings(in)));
        }
        return new Flow(stream, client, server, first, last, start, end, handshake, half, t, fc, fs, rtt, idle, history,
                transitions, lines, app(in));
    }

    private static void termination(ByteSink o, Termination t) {
        o.writeByte(t.cls().ordinal());
        o.writeByte(t.by().ordinal());
        string(o, t.reason());
        string(o, t.filter());
        o.writeLong(t.evidence().size());
        for (Evidence e : t.evidence()) {
            o.writeLong(e.frame());
            string(o, e.note());
            strings(o, e.headerDump());
        }
        o.writeByte(t.tags().size());
        for (Tag tag : t.tags()) {
            o.writeByte(tag.ordinal());
        }
        o.writeBoolean(t.appView() != null);
        if (t.appView() != null) {
            string(o, t.appView().client());
            string(o, t.appView().server());
        }
    }

    private static Termination termination(ByteSource in) {
        TerminationClass cls = CLASSES[in.readByte()];
        By by = BYS[in.readByte()];
        String reason = string(in), filter = string(in);
        int n = in.readInt();
        List<Evidence> evidence = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            evidence.add(new Evidence(in.readLong(), string(in), strings(in)));
        }
        n = in.readByte();
        List<Tag> tags = n == 0 ? List.of() : new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tags.add(TAGS[in.readByte()]);
        }
        AppView view = in.readBoolean() ? new AppView(string(in), string(in)) : null;
        return new Termination(cls, by, reason, filter, evidence, tags, view);
    }

    private static void stats(ByteSink o, DirectionStats s) {
        o.writeBoolean(s != null);
        if (s == null) {
            return;
        }
        o.writeLong(s.packets());
        o.writeLong(s.payloadBytes());
        o.writeLong(s.isn());
        o.writeLong(s.mss());
        o.writeLong(s.windowScale());
        o.writeLong(s.ttl());
        string(o, s.state());
        o.writeLong(s.finFrame());
        o.writeLong(s.rstFrame());
        AnalysisCounts a = s.analysis();
        o.writeBoolean(a != null);
        if (a != null && a != AnalysisCounts.NONE) {
            o.writeBoolean(true);
            o.writeLong(a.retransmissions());
            o.writeLong(a.fastRetransmissions());
            o.writeLong(a.spuriousRetransmissions());
            o.writeLong(a.outOfOrder());
            o.writeLong(a.lostSegments());
            o.writeLong(a.ackedUnseen());
            o.writeLong(a.duplicateAcks());
            o.writeLong(a.zeroWindows());
            o.writeLong(a.zeroWindowProbes());
            o.writeLong(a.windowFull());
            o.writeLong(a.keepAlives());
            o.writeLong(a.keepAliveAcks());
            o.writeLong(a.windowUpdates());
        } else if (a != null) {
            o.writeBoolean(false);
        }
    }

    private static DirectionStats stats(ByteSource in) {
        if (!in.readBoolean()) {
            return null;
        }
        long packets = in.readLong(), bytes = in.readLong(), isn = in.readLong();
        int mss = in.readInt(), ws = in.readInt(), ttl = in.readInt();
        String state = string(in);
        long fin = in.readLong(), rst = in.readLong();
        AnalysisCounts a = null;
        if (in.readBoolean()) {
            a = !in.readBoolean() ? AnalysisCounts.NONE : new AnalysisCounts(in.readLong(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong(), in.readLong());
        }
        return new DirectionStats(packets, bytes, isn, mss, ws, ttl, state, fin, rst, a);
    }

    private static void endpoint(ByteSink o, Endpoint e) {
        string(o, e.ip());
        o.writeLong(e.port());
    }

    private static Endpoint endpoint(ByteSource in) {
        return new Endpoint(string(in), in.readInt());
    }

    private static void instant(ByteSink o, Instant t) {
        o.writeBoolean(t != null);
        if (t != null) {
            o.writeLong(t.getEpochSecond());
            o.writeLong(t.getNano());
        }
    }

    private static Instant instant(ByteSource in) {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readLong()) : null;
    }

    private static void string(ByteSink o, String s) {
        o.writeString(s, CODES);
    }

    private static String string(ByteSource in) {
        return in.readString(KNOWN);
    }

    private static void strings(ByteSink o, List<String> list) {
        o.writeLong(list.size());
        for (String s : list) {
            string(o, s);
        }
    }

    private static List<String> strings(ByteSource in) {
        int n = in.readInt();
        if (n == 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(string(in));
        }
        return out;
    }
}
