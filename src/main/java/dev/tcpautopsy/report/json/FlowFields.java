package dev.tcpautopsy.report.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.tcpautopsy.model.AnalysisCounts;
import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.StateChange;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.report.Texts;

import java.io.IOException;

/** One {@code flows[]} element of {@code report.json}: the contract's fields first, then the details. */
final class FlowFields {
    // field names encoded once: a report writes each of them for every flow
    private static final SerializedString N_ACK = new SerializedString("ack");
    private static final SerializedString N_ACKED_UNSEEN = new SerializedString("ackedUnseen");
    private static final SerializedString N_AFTER_FRAME = new SerializedString("afterFrame");
    private static final SerializedString N_ANALYSIS = new SerializedString("analysis");
    private static final SerializedString N_APP_VIEW = new SerializedString("appView");
    private static final SerializedString N_BEFORE_FRAME = new SerializedString("beforeFrame");
    private static final SerializedString N_BY = new SerializedString("by");
    private static final SerializedString N_CLASS = new SerializedString("class");
    private static final SerializedString N_CLIENT = new SerializedString("client");
    private static final SerializedString N_DIR = new SerializedString("dir");
    private static final SerializedString N_DUPLICATE_ACKS = new SerializedString("duplicateAcks");
    private static final SerializedString N_DURATION_SECONDS = new SerializedString("durationSeconds");
    private static final SerializedString N_END = new SerializedString("end");
    private static final SerializedString N_EVIDENCE = new SerializedString("evidence");
    private static final SerializedString N_FAST_RETRANSMISSIONS = new SerializedString("fastRetransmissions");
    private static final SerializedString N_FILTER = new SerializedString("filter");
    private static final SerializedString N_FIN_FRAME = new SerializedString("finFrame");
    private static final SerializedString N_FIRST_FRAME = new SerializedString("firstFrame");
    private static final SerializedString N_FLAGS = new SerializedString("flags");
    private static final SerializedString N_FRAME = new SerializedString("frame");
    private static final SerializedString N_FROM = new SerializedString("from");
    private static final SerializedString N_FROM_CLIENT = new SerializedString("fromClient");
    private static final SerializedString N_FROM_SERVER = new SerializedString("fromServer");
    private static final SerializedString N_HALF_CLOSED = new SerializedString("halfClosed");
    private static final SerializedString N_HANDSHAKE_RTT_MICROS = new SerializedString("handshakeRttMicros");
    private static final SerializedString N_HANDSHAKE_SEEN = new SerializedString("handshakeSeen");
    private static final SerializedString N_HEADER_DUMP = new SerializedString("headerDump");
    private static final SerializedString N_HISTORY = new SerializedString("history");
    private static final SerializedString N_IP = new SerializedString("ip");
    private static final SerializedString N_ISN = new SerializedString("isn");
    private static final SerializedString N_KEEP_ALIVES = new SerializedString("keepAlives");
    private static final SerializedString N_KEEP_ALIVE_ACKS = new SerializedString("keepAliveAcks");
    private static final SerializedString N_LAST_FRAME = new SerializedString("lastFrame");
    private static final SerializedString N_LAST_PACKETS = new SerializedString("lastPackets");
    private static final SerializedString N_LEN = new SerializedString("len");
    private static final SerializedString N_LONGEST_IDLE = new SerializedString("longestIdle");
    private static final SerializedString N_LOST_SEGMENTS = new SerializedString("lostSegments");
    private static final SerializedString N_MSS = new SerializedString("mss");
    private static final SerializedString N_NOTE = new SerializedString("note");
    private static final SerializedString N_OUT_OF_ORDER = new SerializedString("outOfOrder");
    private static final SerializedString N_PACKETS = new SerializedString("packets");
    private static final SerializedString N_PAYLOAD_BYTES = new SerializedString("payloadBytes");
    private static final SerializedString N_PORT = new SerializedString("port");
    private static final SerializedString N_REASON = new SerializedString("reason");
    private static final SerializedString N_RETRANSMISSIONS = new SerializedString("retransmissions");
    private static final SerializedString N_RST_FRAME = new SerializedString("rstFrame");
    private static final SerializedString N_SECONDS = new SerializedString("seconds");
    private static final SerializedString N_SEQ = new SerializedString("seq");
    private static final SerializedString N_SERVER = new SerializedString("server");
    private static final SerializedString N_SIDE = new SerializedString("side");
    private static final SerializedString N_SPURIOUS_RETRANSMISSIONS = new SerializedString("spuriousRetransmissions");
    private static final SerializedString N_START = new SerializedString("start");
    private static final SerializedString N_STATE = new SerializedString("state");
    private static final SerializedString N_STREAM = new SerializedString("stream");
    private static final SerializedString N_TAGS = new SerializedString("tags");
    private static final SerializedString N_TERMINATION = new SerializedString("termination");
    private static final SerializedString N_TIME = new SerializedString("time");
    private static final SerializedString N_TO = new SerializedString("to");
    private static final SerializedString N_TRANSITIONS = new SerializedString("transitions");
    private static final SerializedString N_TTL = new SerializedString("ttl");
    private static final SerializedString N_WINDOW = new SerializedString("window");
    private static final SerializedString N_WINDOW_FULL = new SerializedString("windowFull");
    private static final SerializedString N_WINDOW_SCALE = new SerializedString("windowScale");
    private static final SerializedString N_WINDOW_UPDATES = new SerializedString("windowUpdates");
    private static final SerializedString N_ZERO_WINDOWS = new SerializedString("zeroWindows");
    private static final SerializedString N_ZERO_WINDOW_PROBES = new SerializedString("zeroWindowProbes");

    private FlowFields() {
    }

    /** Writes a field name; returns the generator for the value. */
    private static JsonGenerator name(JsonGenerator g, SerializedString field) throws IOException {
        g.writeFieldName(field);
        return g;
    }

    static void flow(Flow f, JsonGenerator g) throws IOException {
        g.writeStartObject();
        name(g, N_STREAM).writeNumber(f.stream());
        endpoint(N_CLIENT, f.client(), g);
        endpoint(N_SERVER, f.server(), g);
        name(g, N_FIRST_FRAME).writeNumber(f.firstFrame());
        name(g, N_LAST_FRAME).writeNumber(f.lastFrame());
        name(g, N_START).writeString(Texts.instant(f.start()));
        name(g, N_END).writeString(Texts.instant(f.end()));
        name(g, N_HANDSHAKE_SEEN).writeBoolean(f.handshakeSeen());
        name(g, N_HALF_CLOSED).writeBoolean(f.halfClosed());
        termination(f.termination(), g);
        name(g, N_DURATION_SECONDS);
        g.writeNumber(Texts.exactSecondsText(f.start(), f.end(), true));
        name(g, N_HANDSHAKE_RTT_MICROS).writeNumber(f.handshakeRttMicros());
        if (f.longestIdle() == null) {
            name(g, N_LONGEST_IDLE).writeNull();
        } else {
            name(g, N_LONGEST_IDLE).writeStartObject();
            name(g, N_SECONDS).writeNumber(f.longestIdle().seconds());
            name(g, N_AFTER_FRAME).writeNumber(f.longestIdle().afterFrame());
            name(g, N_BEFORE_FRAME).writeNumber(f.longestIdle().beforeFrame());
            g.writeEndObject();
        }
        name(g, N_HISTORY).writeString(f.history());
        direction(N_FROM_CLIENT, f.fromClient(), g);
        direction(N_FROM_SERVER, f.fromServer(), g);
        if (f.lastPackets().isEmpty()) {
            // details are kept for a few flows of each abnormal class (every flow has a last packet)
            name(g, N_TRANSITIONS).writeNull();
            name(g, N_LAST_PACKETS).writeNull();
        } else {
            name(g, N_TRANSITIONS).writeStartArray();
            for (StateChange s : f.transitions()) {
                g.writeStartObject();
                name(g, N_FRAME).writeNumber(s.frame());
                name(g, N_TIME).writeString(Texts.instant(s.time()));
                name(g, N_SIDE).writeString(s.side());
                name(g, N_FROM).writeString(s.from());
                name(g, N_TO).writeString(s.to());
                g.writeEndObject();
            }
            g.writeEndArray();
            name(g, N_LAST_PACKETS).writeStartArray();
            for (PacketLine p : f.lastPackets()) {
                packet(p, g);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void endpoint(SerializedString field, Endpoint e, JsonGenerator g) throws IOException {
        name(g, field).writeStartObject();
        name(g, N_IP).writeString(e.ip());
        name(g, N_PORT).writeNumber(e.port());
        g.writeEndObject();
    }

    private static void termination(Termination t, JsonGenerator g) throws IOException {
        name(g, N_TERMINATION).writeStartObject();
        name(g, N_CLASS).writeString(t.cls().name());
        name(g, N_BY).writeString(t.by().wire());
        name(g, N_REASON).writeString(t.reason());
        name(g, N_FILTER).writeString(t.filter());
        name(g, N_EVIDENCE).writeStartArray();
        for (Evidence e : t.evidence()) {
            g.writeStartObject();
            name(g, N_FRAME).writeNumber(e.frame());
            name(g, N_NOTE).writeString(e.note());
            name(g, N_HEADER_DUMP).writeStartArray();
            for (String line : e.headerDump()) {
                g.writeString(line);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        name(g, N_TAGS).writeStartArray();
        for (Tag tag : t.tags()) {
            g.writeString(tag.name());
        }
        g.writeEndArray();
        name(g, N_APP_VIEW).writeStartObject();
        name(g, N_CLIENT).writeString(t.appView() == null ? null : t.appView().client());
        name(g, N_SERVER).writeString(t.appView() == null ? null : t.appView().server());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void direction(SerializedString field, DirectionStats d, JsonGenerator g) throws IOException {
        if (d == null) {
            name(g, field).writeNull();
            return;
        }
        name(g, field).writeStartObject();
        name(g, N_PACKETS).writeNumber(d.packets());
        name(g, N_PAYLOAD_BYTES).writeNumber(d.payloadBytes());
        name(g, N_ISN).writeNumber(d.isn());
        name(g, N_MSS).writeNumber(d.mss());
        name(g, N_WINDOW_SCALE).writeNumber(d.windowScale());
        name(g, N_TTL).writeNumber(d.ttl());
        name(g, N_STATE).writeString(d.state());
        name(g, N_FIN_FRAME).writeNumber(d.finFrame());
        name(g, N_RST_FRAME).writeNumber(d.rstFrame());
        AnalysisCounts a = d.analysis() == null ? AnalysisCounts.NONE : d.analysis();
        // counts of zero are left out: most flows have none, and they were most of a flow's bytes
        name(g, N_ANALYSIS).writeStartObject();
        count(N_RETRANSMISSIONS, a.retransmissions(), g);
        count(N_FAST_RETRANSMISSIONS, a.fastRetransmissions(), g);
        count(N_SPURIOUS_RETRANSMISSIONS, a.spuriousRetransmissions(), g);
        count(N_OUT_OF_ORDER, a.outOfOrder(), g);
        count(N_LOST_SEGMENTS, a.lostSegments(), g);
        count(N_ACKED_UNSEEN, a.ackedUnseen(), g);
        count(N_DUPLICATE_ACKS, a.duplicateAcks(), g);
        count(N_ZERO_WINDOWS, a.zeroWindows(), g);
        count(N_ZERO_WINDOW_PROBES, a.zeroWindowProbes(), g);
        count(N_WINDOW_FULL, a.windowFull(), g);
        count(N_KEEP_ALIVES, a.keepAlives(), g);
        count(N_KEEP_ALIVE_ACKS, a.keepAliveAcks(), g);
        count(N_WINDOW_UPDATES, a.windowUpdates(), g);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void count(SerializedString field, long n, JsonGenerator g) throws IOException {
        if (n != 0) {
            name(g, field).writeNumber(n);
        }
    }

    private static void packet(PacketLine p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        name(g, N_FRAME).writeNumber(p.frame());
        name(g, N_TIME).writeString(Texts.instant(p.time()));
        name(g, N_DIR).writeString(p.fromClient() ? "client->server" : "server->client");
        name(g, N_FLAGS).writeString(p.flags());
        name(g, N_SEQ).writeNumber(p.seq());
        name(g, N_ACK).writeNumber(p.ack());
        name(g, N_LEN).writeNumber(p.len());
        name(g, N_WINDOW).writeNumber(p.window());
        name(g, N_TTL).writeNumber(p.ttl());
        name(g, N_ANALYSIS).writeStartArray();
        for (String a : p.analysis()) {
            g.writeString(a);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
