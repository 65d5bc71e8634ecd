package dev.tcpautopsy.report.json;

import com.fasterxml.jackson.core.JsonGenerator;
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
    private FlowFields() {
    }

    static void flow(Flow f, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("stream", f.stream());
        endpoint("client", f.client(), g);
        endpoint("server", f.server(), g);
        g.writeNumberField("firstFrame", f.firstFrame());
        g.writeNumberField("lastFrame", f.lastFrame());
        g.writeStringField("start", Texts.instant(f.start()));
        g.writeStringField("end", Texts.instant(f.end()));
        g.writeBooleanField("handshakeSeen", f.handshakeSeen());
        g.writeBooleanField("halfClosed", f.halfClosed());
        termination(f.termination(), g);
        g.writeFieldName("durationSeconds");
        g.writeNumber(Texts.exactSecondsText(f.start(), f.end(), true));
        g.writeNumberField("handshakeRttMicros", f.handshakeRttMicros());
        if (f.longestIdle() == null) {
            g.writeNullField("longestIdle");
        } else {
            g.writeObjectFieldStart("longestIdle");
            g.writeNumberField("seconds", f.longestIdle().seconds());
            g.writeNumberField("afterFrame", f.longestIdle().afterFrame());
            g.writeNumberField("beforeFrame", f.longestIdle().beforeFrame());
            g.writeEndObject();
        }
        g.writeStringField("history", f.history());
        direction("fromClient", f.fromClient(), g);
        direction("fromServer", f.fromServer(), g);
        if (f.lastPackets().isEmpty()) {
            // details are kept for a few flows of each abnormal class (every flow has a last packet)
            g.writeNullField("transitions");
            g.writeNullField("lastPackets");
        } else {
            g.writeArrayFieldStart("transitions");
            for (StateChange s : f.transitions()) {
                g.writeStartObject();
                g.writeNumberField("frame", s.frame());
                g.writeStringField("time", Texts.instant(s.time()));
                g.writeStringField("side", s.side());
                g.writeStringField("from", s.from());
                g.writeStringField("to", s.to());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("lastPackets");
            for (PacketLine p : f.lastPackets()) {
                packet(p, g);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void endpoint(String field, Endpoint e, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("ip", e.ip());
        g.writeNumberField("port", e.port());
        g.writeEndObject();
    }

    private static void termination(Termination t, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("termination");
        g.writeStringField("class", t.cls().name());
        g.writeStringField("by", t.by().wire());
        g.writeStringField("reason", t.reason());
        g.writeStringField("filter", t.filter());
        g.writeArrayFieldStart("evidence");
        for (Evidence e : t.evidence()) {
            g.writeStartObject();
            g.writeNumberField("frame", e.frame());
            g.writeStringField("note", e.note());
            g.writeArrayFieldStart("headerDump");
            for (String line : e.headerDump()) {
                g.writeString(line);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("tags");
        for (Tag tag : t.tags()) {
            g.writeString(tag.name());
        }
        g.writeEndArray();
        g.writeObjectFieldStart("appView");
        g.writeStringField("client", t.appView() == null ? null : t.appView().client());
        g.writeStringField("server", t.appView() == null ? null : t.appView().server());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void direction(String field, DirectionStats d, JsonGenerator g) throws IOException {
        if (d == null) {
            g.writeNullField(field);
            return;
        }
        g.writeObjectFieldStart(field);
        g.writeNumberField("packets", d.packets());
        g.writeNumberField("payloadBytes", d.payloadBytes());
        g.writeNumberField("isn", d.isn());
        g.writeNumberField("mss", d.mss());
        g.writeNumberField("windowScale", d.windowScale());
        g.writeNumberField("ttl", d.ttl());
        g.writeStringField("state", d.state());
        g.writeNumberField("finFrame", d.finFrame());
        g.writeNumberField("rstFrame", d.rstFrame());
        AnalysisCounts a = d.analysis() == null ? AnalysisCounts.NONE : d.analysis();
        g.writeObjectFieldStart("analysis");
        g.writeNumberField("retransmissions", a.retransmissions());
        g.writeNumberField("fastRetransmissions", a.fastRetransmissions());
        g.writeNumberField("spuriousRetransmissions", a.spuriousRetransmissions());
        g.writeNumberField("outOfOrder", a.outOfOrder());
        g.writeNumberField("lostSegments", a.lostSegments());
        g.writeNumberField("ackedUnseen", a.ackedUnseen());
        g.writeNumberField("duplicateAcks", a.duplicateAcks());
        g.writeNumberField("zeroWindows", a.zeroWindows());
        g.writeNumberField("zeroWindowProbes", a.zeroWindowProbes());
        g.writeNumberField("windowFull", a.windowFull());
        g.writeNumberField("keepAlives", a.keepAlives());
        g.writeNumberField("keepAliveAcks", a.keepAliveAcks());
        g.writeNumberField("windowUpdates", a.windowUpdates());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void packet(PacketLine p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("frame", p.frame());
        g.writeStringField("time", Texts.instant(p.time()));
        g.writeStringField("dir", p.fromClient() ? "client->server" : "server->client");
        g.writeStringField("flags", p.flags());
        g.writeNumberField("seq", p.seq());
        g.writeNumberField("ack", p.ack());
        g.writeNumberField("len", p.len());
        g.writeNumberField("window", p.window());
        g.writeNumberField("ttl", p.ttl());
        g.writeArrayFieldStart("analysis");
        for (String a : p.analysis()) {
            g.writeString(a);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
