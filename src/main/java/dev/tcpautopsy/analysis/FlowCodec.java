package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.AnalysisCounts;
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

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact binary form of {@link Flow} for flow sets spilled to disk: fields in declaration order,
 * numbers as fixed-width primitives, strings through the run file's dictionary, absent values as a
 * leading flag.
 * Written and read by the same process only, so there is no versioning.
 */
final class FlowCodec {
    private static final TerminationClass[] CLASSES = TerminationClass.values();
    private static final By[] BYS = By.values();
    private static final Tag[] TAGS = Tag.values();

    private FlowCodec() {
    }

    static void write(RunFile.Writer o, Flow f) throws IOException {
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
        o.writeShort(f.transitions().size());
        for (StateChange s : f.transitions()) {
            o.writeLong(s.frame());
            instant(o, s.time());
            string(o, s.side());
            string(o, s.from());
            string(o, s.to());
        }
        o.writeShort(f.lastPackets().size());
        for (PacketLine p : f.lastPackets()) {
            o.writeLong(p.frame());
            instant(o, p.time());
            o.writeBoolean(p.fromClient());
            string(o, p.flags());
            o.writeLong(p.seq());
            o.writeLong(p.ack());
            o.writeInt(p.len());
            o.writeLong(p.window());
            o.writeShort(p.ttl());
            strings(o, p.analysis());
        }
    }

    static Flow read(RunFile.Reader in) throws IOException {
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
        int n = in.readShort();
        List<StateChange> transitions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            transitions.add(new StateChange(in.readLong(), instant(in), string(in), string(in), string(in)));
        }
        n = in.readShort();
        List<PacketLine> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lines.add(new PacketLine(in.readLong(), instant(in), in.readBoolean(), string(in), in.readLong(),
                    in.readLong(), in.readInt(), in.readLong(), in.readShort(), strings(in)));
        }
        return new Flow(stream, client, server, first, last, start, end, handshake, half, t, fc, fs, rtt, idle, history,
                transitions, lines);
    }

    private static void termination(RunFile.Writer o, Termination t) throws IOException {
        o.writeByte(t.cls().ordinal());
        o.writeByte(t.by().ordinal());
        string(o, t.reason());
        string(o, t.filter());
        o.writeShort(t.evidence().size());
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

    private static Termination termination(RunFile.Reader in) throws IOException {
        TerminationClass cls = CLASSES[in.readByte()];
        By by = BYS[in.readByte()];
        String reason = string(in), filter = string(in);
        int n = in.readShort();
        List<Evidence> evidence = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            evidence.add(new Evidence(in.readLong(), string(in), strings(in)));
        }
        n = in.readByte();
        List<Tag> tags = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tags.add(TAGS[in.readByte()]);
        }
        AppView view = in.readBoolean() ? new AppView(string(in), string(in)) : null;
        return new Termination(cls, by, reason, filter, evidence, tags, view);
    }

    private static void stats(RunFile.Writer o, DirectionStats s) throws IOException {
        o.writeLong(s.packets());
        o.writeLong(s.payloadBytes());
        o.writeLong(s.isn());
        o.writeInt(s.mss());
        o.writeInt(s.windowScale());
        o.writeInt(s.ttl());
        string(o, s.state());
        o.writeLong(s.finFrame());
        o.writeLong(s.rstFrame());
        AnalysisCounts a = s.analysis();
        long[] v = {a.retransmissions(), a.fastRetransmissions(), a.spuriousRetransmissions(), a.outOfOrder(),
            a.lostSegments(), a.ackedUnseen(), a.duplicateAcks(), a.zeroWindows(), a.zeroWindowProbes(), a.windowFull(),
            a.keepAlives(), a.keepAliveAcks(), a.windowUpdates()};
        for (long x : v) {
            o.writeLong(x);
        }
    }

    private static DirectionStats stats(RunFile.Reader in) throws IOException {
        long packets = in.readLong(), bytes = in.readLong(), isn = in.readLong();
        int mss = in.readInt(), ws = in.readInt(), ttl = in.readInt();
        String state = string(in);
        long fin = in.readLong(), rst = in.readLong();
        long[] v = new long[13];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readLong();
        }
        return new DirectionStats(packets, bytes, isn, mss, ws, ttl, state, fin, rst, new AnalysisCounts(v[0], v[1], v[2],
                v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]));
    }

    private static void endpoint(RunFile.Writer o, Endpoint e) throws IOException {
        o.writeString(e.ip());
        o.writeInt(e.port());
    }

    private static Endpoint endpoint(RunFile.Reader in) throws IOException {
        return new Endpoint(in.readString(), in.readInt());
    }

    private static void instant(RunFile.Writer o, Instant t) throws IOException {
        o.writeLong(t.getEpochSecond());
        o.writeInt(t.getNano());
    }

    private static Instant instant(RunFile.Reader in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void string(RunFile.Writer o, String s) throws IOException {
        o.writeString(s);
    }

    private static String string(RunFile.Reader in) throws IOException {
        return in.readString();
    }

    private static void strings(RunFile.Writer o, List<String> list) throws IOException {
        o.writeShort(list.size());
        for (String s : list) {
            string(o, s);
        }
    }

    private static List<String> strings(RunFile.Reader in) throws IOException {
        int n = in.readShort();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(string(in));
        }
        return out;
    }
}
