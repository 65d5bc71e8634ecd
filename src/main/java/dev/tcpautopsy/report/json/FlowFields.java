package dev.tcpautopsy.report.json;

import dev.tcpautopsy.model.DirectionRecord;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.StateChange;
import dev.tcpautopsy.model.Utf8Text;

import java.io.IOException;

/** One {@code flows[]} element of {@code report.json}: the contract's fields first, then the details. */
final class FlowFields {
    // field names encoded once: a report writes each of them for every flow
    private static final JsonName N_ACK = new JsonName("ack");
    private static final JsonName N_ACKED_UNSEEN = new JsonName("ackedUnseen");
    private static final JsonName N_AFTER_FRAME = new JsonName("afterFrame");
    private static final JsonName N_ANALYSIS = new JsonName("analysis");
    private static final JsonName N_APP_VIEW = new JsonName("appView");
    private static final JsonName N_BEFORE_FRAME = new JsonName("beforeFrame");
    private static final JsonName N_BY = new JsonName("by");
    private static final JsonName N_CLASS = new JsonName("class");
    private static final JsonName N_CLIENT = new JsonName("client");
    private static final JsonName N_DIR = new JsonName("dir");
    private static final JsonName N_DUPLICATE_ACKS = new JsonName("duplicateAcks");
    private static final JsonName N_DURATION_SECONDS = new JsonName("durationSeconds");
    private static final JsonName N_END = new JsonName("end");
    private static final JsonName N_EVIDENCE = new JsonName("evidence");
    private static final JsonName N_FAST_RETRANSMISSIONS = new JsonName("fastRetransmissions");
    private static final JsonName N_FILTER = new JsonName("filter");
    private static final JsonName N_FIN_FRAME = new JsonName("finFrame");
    private static final JsonName N_FIRST_FRAME = new JsonName("firstFrame");
    private static final JsonName N_FLAGS = new JsonName("flags");
    private static final JsonName N_FRAME = new JsonName("frame");
    private static final JsonName N_FROM = new JsonName("from");
    private static final JsonName N_FROM_CLIENT = new JsonName("fromClient");
    private static final JsonName N_FROM_SERVER = new JsonName("fromServer");
    private static final JsonName N_HALF_CLOSED = new JsonName("halfClosed");
    private static final JsonName N_HANDSHAKE_RTT_MICROS = new JsonName("handshakeRttMicros");
    private static final JsonName N_HANDSHAKE_SEEN = new JsonName("handshakeSeen");
    private static final JsonName N_HEADER_DUMP = new JsonName("headerDump");
    private static final JsonName N_HISTORY = new JsonName("history");
    private static final JsonName N_IP = new JsonName("ip");
    private static final JsonName N_ISN = new JsonName("isn");
    private static final JsonName N_KEEP_ALIVES = new JsonName("keepAlives");
    private static final JsonName N_KEEP_ALIVE_ACKS = new JsonName("keepAliveAcks");
    private static final JsonName N_LAST_FRAME = new JsonName("lastFrame");
    private static final JsonName N_LAST_PACKETS = new JsonName("lastPackets");
    private static final JsonName N_LEN = new JsonName("len");
    private static final JsonName N_LONGEST_IDLE = new JsonName("longestIdle");
    private static final JsonName N_LOST_SEGMENTS = new JsonName("lostSegments");
    private static final JsonName N_MSS = new JsonName("mss");
    private static final JsonName N_NOTE = new JsonName("note");
    private static final JsonName N_OUT_OF_ORDER = new JsonName("outOfOrder");
    private static final JsonName N_PACKETS = new JsonName("packets");
    private static final JsonName N_PAYLOAD_BYTES = new JsonName("payloadBytes");
    private static final JsonName N_PORT = new JsonName("port");
    private static final JsonName N_REASON = new JsonName("reason");
    private static final JsonName N_RETRANSMISSIONS = new JsonName("retransmissions");
    private static final JsonName N_RST_FRAME = new JsonName("rstFrame");
    private static final JsonName N_SECONDS = new JsonName("seconds");
    private static final JsonName N_SEQ = new JsonName("seq");
    private static final JsonName N_SERVER = new JsonName("server");
    private static final JsonName N_SIDE = new JsonName("side");
    private static final JsonName N_SPURIOUS_RETRANSMISSIONS = new JsonName("spuriousRetransmissions");
    private static final JsonName N_START = new JsonName("start");
    private static final JsonName N_STATE = new JsonName("state");
    private static final JsonName N_STREAM = new JsonName("stream");
    private static final JsonName N_TAGS = new JsonName("tags");
    private static final JsonName N_TERMINATION = new JsonName("termination");
    private static final JsonName N_TIME = new JsonName("time");
    private static final JsonName N_TO = new JsonName("to");
    private static final JsonName N_TRANSITIONS = new JsonName("transitions");
    private static final JsonName N_TTL = new JsonName("ttl");
    private static final JsonName N_WINDOW = new JsonName("window");
    private static final JsonName N_WINDOW_FULL = new JsonName("windowFull");
    private static final JsonName N_WINDOW_SCALE = new JsonName("windowScale");
    private static final JsonName N_WINDOW_UPDATES = new JsonName("windowUpdates");
    private static final JsonName N_ZERO_WINDOWS = new JsonName("zeroWindows");
    private static final JsonName N_ZERO_WINDOW_PROBES = new JsonName("zeroWindowProbes");

    /** The analysis counts' names, in {@link dev.tcpautopsy.model.AnalysisCounts}' order. */
    private static final JsonName[] COUNTS = {N_RETRANSMISSIONS, N_FAST_RETRANSMISSIONS, N_SPURIOUS_RETRANSMISSIONS,
        N_OUT_OF_ORDER, N_LOST_SEGMENTS, N_ACKED_UNSEEN, N_DUPLICATE_ACKS, N_ZERO_WINDOWS, N_ZERO_WINDOW_PROBES,
        N_WINDOW_FULL, N_KEEP_ALIVES, N_KEEP_ALIVE_ACKS, N_WINDOW_UPDATES};

    private FlowFields() {
    }

    /**
     * Writes one flow. The contract's fields are always there ({@code null} where it names a field and
     * the value is unknown); the others only when known and not empty: no {@code -1}, frame 0, empty list
     * or empty object stands for "none".
     */
    static void flow(FlowRecord f, JsonOut g) throws IOException {
        g.startObject();
        g.name(N_STREAM).number(f.stream());
        endpoint(N_CLIENT, f.clientIp(), f.clientPort(), g);
        endpoint(N_SERVER, f.serverIp(), f.serverPort(), g);
        g.name(N_FIRST_FRAME).number(f.firstFrame());
        g.name(N_LAST_FRAME).number(f.lastFrame());
        instant(N_START, f.hasStart(), f.startSecond(), f.startNano(), g);
        instant(N_END, f.hasEnd(), f.endSecond(), f.endNano(), g);
        g.name(N_HANDSHAKE_SEEN).bool(f.handshakeSeen());
        g.name(N_HALF_CLOSED).bool(f.halfClosed());
        termination(f, g);
        AppFields.app(f.app(), g);
        if (f.hasStart() && f.hasEnd()) {
            g.name(N_DURATION_SECONDS).seconds(f.startSecond(), f.startNano(), f.endSecond(), f.endNano());
        }
        if (f.handshakeRttMicros() >= 0) {
            g.name(N_HANDSHAKE_RTT_MICROS).number(f.handshakeRttMicros());
        }
        if (f.hasLongestIdle()) {
            g.name(N_LONGEST_IDLE).startObject();
            g.name(N_SECONDS).number(f.idleSeconds());
            g.name(N_AFTER_FRAME).number(f.idleAfterFrame());
            g.name(N_BEFORE_FRAME).number(f.idleBeforeFrame());
            g.endObject();
        }
        if (!f.history().isEmpty()) {
            g.name(N_HISTORY).text(f.history());
        }
        direction(N_FROM_CLIENT, f.fromClient(), g);
        direction(N_FROM_SERVER, f.fromServer(), g);
        // details are kept for a few flows of each abnormal class (every flow has a last packet)
        if (f.lastPacketCount() > 0) {
            if (f.transitionCount() > 0) {
                g.name(N_TRANSITIONS).startArray();
                for (StateChange s : f.transitions()) {
                    g.startObject();
                    g.name(N_FRAME).number(s.frame());
                    g.name(N_TIME).instant(s.time());
                    g.name(N_SIDE).string(s.side());
                    g.name(N_FROM).string(s.from());
                    g.name(N_TO).string(s.to());
                    g.endObject();
                }
                g.endArray();
            }
            g.name(N_LAST_PACKETS).startArray();
            for (PacketLine p : f.lastPackets()) {
                packet(p, g);
            }
            g.endArray();
        }
        g.endObject();
    }

    private static void instant(JsonName field, boolean known, long sec, int nanos, JsonOut g) throws IOException {
        if (known) {
            g.name(field).instant(sec, nanos);
        } else {
            g.name(field).nul();
        }
    }

    private static void endpoint(JsonName field, Utf8Text ip, int port, JsonOut g) throws IOException {
        g.name(field).startObject();
        g.name(N_IP).text(ip);
        g.name(N_PORT).number(port);
        g.endObject();
    }

    private static void termination(FlowRecord f, JsonOut g) throws IOException {
        g.name(N_TERMINATION).startObject();
        g.name(N_CLASS).string(f.cls().name());
        g.name(N_BY).string(f.by().wire());
        g.name(N_REASON).text(f.reason(), f.reasonClause());
        g.name(N_FILTER).text(f.filter());
        g.name(N_EVIDENCE).startArray();
        for (int i = 0; i < f.evidenceCount(); i++) {
            g.startObject();
            g.name(N_FRAME).number(f.evidenceFrame(i));
            g.name(N_NOTE).text(f.evidenceNote(i));
            if (f.hasHeaderDump(i)) {
                g.name(N_HEADER_DUMP).startArray();
                for (String line : f.headerDump(i)) {
                    g.string(line);
                }
                g.endArray();
            }
            g.endObject();
        }
        g.endArray();
        g.name(N_TAGS).startArray();
        for (int i = 0; i < f.tagCount(); i++) {
            g.string(f.tag(i).name());
        }
        g.endArray();
        g.name(N_APP_VIEW).startObject();
        g.name(N_CLIENT).text(f.sawClient());
        g.name(N_SERVER).text(f.sawServer());
        g.endObject();
        g.endObject();
    }

    private static void direction(JsonName field, DirectionRecord d, JsonOut g) throws IOException {
        if (!d.present()) {
            return;
        }
        g.name(field).startObject();
        g.name(N_PACKETS).number(d.packets());
        g.name(N_PAYLOAD_BYTES).number(d.payloadBytes());
        known(N_ISN, d.isn(), g);
        known(N_MSS, d.mss(), g);
        known(N_WINDOW_SCALE, d.windowScale(), g);
        known(N_TTL, d.ttl(), g);
        g.name(N_STATE).text(d.state());
        count(N_FIN_FRAME, d.finFrame(), g);
        count(N_RST_FRAME, d.rstFrame(), g);
        if (d.anyCount()) {
            g.name(N_ANALYSIS).startObject();
            for (int i = 0; i < COUNTS.length; i++) {
                count(COUNTS[i], d.count(i), g);
            }
            g.endObject();
        }
        g.endObject();
    }

    /** A value that is -1 when unknown. */
    private static void known(JsonName field, long n, JsonOut g) throws IOException {
        if (n >= 0) {
            g.name(field).number(n);
        }
    }

    /** A count, or a frame number that is 0 when there was none. */
    private static void count(JsonName field, long n, JsonOut g) throws IOException {
        if (n != 0) {
            g.name(field).number(n);
        }
    }

    private static void packet(PacketLine p, JsonOut g) throws IOException {
        g.startObject();
        g.name(N_FRAME).number(p.frame());
        g.name(N_TIME).instant(p.time());
        g.name(N_DIR).string(p.fromClient() ? "client->server" : "server->client");
        g.name(N_FLAGS).string(p.flags());
        g.name(N_SEQ).number(p.seq());
        g.name(N_ACK).number(p.ack());
        g.name(N_LEN).number(p.len());
        g.name(N_WINDOW).number(p.window());
        known(N_TTL, p.ttl(), g);
        if (!p.analysis().isEmpty()) {
            g.name(N_ANALYSIS).startArray();
            for (String a : p.analysis()) {
                g.string(a);
            }
            g.endArray();
        }
        g.endObject();
    }
}
