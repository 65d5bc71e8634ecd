package dev.tcpautopsy.report.compare;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.Texts;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code compare.json}: the contract's shape (terminations.md, Two vantage points) with more fields in
 * it: each point's capture, the clocks, the headline, and per connection both points' streams and own
 * verdicts, the segments seen at one point only with their frames, and what changed between the points.
 * Every field is always present; a frame a segment does not have at one point is left out of its entry.
 */
public final class CompareJson implements CompareRenderer {
    public static final String FILE = "compare.json";

    private final JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private final boolean pretty;

    public CompareJson(boolean pretty) {
        this.pretty = pretty;
    }

    @Override
    public String fileName() {
        return FILE;
    }

    @Override
    public void render(Comparison c, ReportTarget target) throws IOException {
        try (OutputStream out = target.open(FILE); JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            g.writeStartObject();
            g.writeStringField("tool", "tcpautopsy");
            g.writeStringField("version", c.toolVersion());
            g.writeStringField("generated", Texts.instant(c.generated()));
            g.writeObjectFieldStart("settings");
            g.writeStringField("idleThreshold", Units.threshold(c.idleThreshold()));
            g.writeEndObject();
            point(g, "a", c.a());
            point(g, "b", c.b());
            clock(g, c.clock());
            summary(g, c.summary());
            g.writeArrayFieldStart("connections");
            for (Comparison.Pair p : c.connections()) {
                pair(g, p);
            }
            g.writeEndArray();
            oneSided(g, "onlyInA", c.onlyInA(), "lostAtoB", "appearedAtA");
            oneSided(g, "onlyInB", c.onlyInB(), "lostBtoA", "appearedAtB");
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void point(JsonGenerator g, String name, Comparison.Point p) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("file", p.file());
        g.writeNumberField("packets", p.packets());
        g.writeNumberField("segments", p.segments());
        g.writeNumberField("connections", p.connections());
        g.writeStringField("first", p.first() == null ? null : Texts.instant(p.first()));
        g.writeStringField("last", p.last() == null ? null : Texts.instant(p.last()));
        g.writeStringField("vantage", p.vantage());
        if (p.error() == null) {
            g.writeNullField("error");
        } else {
            g.writeObjectFieldStart("error");
            g.writeStringField("message", p.error().message());
            g.writeNumberField("offset", p.error().offset());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void clock(JsonGenerator g, Comparison.Clock c) throws IOException {
        g.writeObjectFieldStart("clock");
        g.writeBooleanField("known", c.known());
        g.writeNumberField("offsetSeconds", round(c.offsetSeconds(), 9));
        g.writeNumberField("driftPpm", round(c.driftPpm(), 3));
        g.writeNumberField("oneWaySeconds", round(c.oneWaySeconds(), 9));
        g.writeNumberField("samples", c.samples());
        g.writeEndObject();
    }

    private static void summary(JsonGenerator g, Comparison.Summary s) throws IOException {
        g.writeObjectFieldStart("summary");
        g.writeNumberField("connections", s.connections());
        g.writeNumberField("identical", s.identical());
        g.writeNumberField("injectedRst", s.injectedRst());
        g.writeNumberField("lostLast", s.lostLast());
        g.writeNumberField("lostRecovered", s.lostRecovered());
        g.writeNumberField("appeared", s.appeared());
        g.writeNumberField("notOnPathA", s.notOnPathA());
        g.writeNumberField("notOnPathB", s.notOnPathB());
        g.writeStringField("text", s.text());
        g.writeEndObject();
    }

    private static void pair(JsonGenerator g, Comparison.Pair p) throws IOException {
        g.writeStartObject();
        g.writeFieldName("a");
        view(g, p.a(), true);
        g.writeFieldName("b");
        view(g, p.b(), true);
        endpoint(g, "client", p.client());
        endpoint(g, "server", p.server());
        g.writeStringField("clientSide", p.clientSide());
        g.writeStringField("category", p.category());
        g.writeNumberField("matched", p.matched());
        g.writeNumberField("unseen", p.unseen());
        g.writeObjectFieldStart("hops");
        hops(g, "aToB", p.hopsAtoB());
        hops(g, "bToA", p.hopsBtoA());
        g.writeEndObject();
        gaps(g, "lostAtoB", p.lostAtoB());
        gaps(g, "lostBtoA", p.lostBtoA());
        gaps(g, "appearedAtA", p.appearedAtA());
        gaps(g, "appearedAtB", p.appearedAtB());
        g.writeArrayFieldStart("changes");
        for (Comparison.Change ch : p.changes()) {
            g.writeStartObject();
            g.writeStringField("kind", ch.kind());
            g.writeStringField("text", ch.text());
            g.writeEndObject();
        }
        g.writeEndArray();
        verdict(g, "termination", p.termination());
        g.writeEndObject();
    }

    private static void oneSided(JsonGenerator g, String name, List<Comparison.OneSided> all, String lost,
                                 String appeared) throws IOException {
        g.writeArrayFieldStart(name);
        for (Comparison.OneSided o : all) {
            g.writeStartObject();
            viewFields(g, o.view());
            g.writeBooleanField("onPath", o.onPath());
            g.writeStringField("why", o.why());
            g.writeStringField("category", o.category());
            gaps(g, lost, o.lost());
            gaps(g, appeared, o.appeared());
            verdict(g, "termination", o.termination());
            verdict(g, "pointTermination", new Comparison.Verdict(o.view().cls(), o.view().by(), o.view().reason()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void view(JsonGenerator g, Comparison.View v, boolean withVerdict) throws IOException {
        g.writeStartObject();
        viewFields(g, v);
        if (withVerdict) {
            verdict(g, "termination", new Comparison.Verdict(v.cls(), v.by(), v.reason()));
        }
        g.writeEndObject();
    }

    private static void viewFields(JsonGenerator g, Comparison.View v) throws IOException {
        g.writeNumberField("stream", v.stream());
        endpoint(g, "client", v.client());
        endpoint(g, "server", v.server());
        g.writeNumberField("firstFrame", v.firstFrame());
        g.writeNumberField("lastFrame", v.lastFrame());
        g.writeStringField("start", Texts.instant(v.start()));
        g.writeStringField("end", Texts.instant(v.end()));
        g.writeNumberField("segments", v.segments());
        g.writeStringField("filter", "tcp.stream eq " + v.stream());
    }

    private static void verdict(JsonGenerator g, String name, Comparison.Verdict v) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("class", v.cls().name());
        g.writeStringField("by", v.by().wire());
        g.writeStringField("reason", v.reason());
        g.writeEndObject();
    }

    private static void gaps(JsonGenerator g, String name, List<Comparison.Gap> gaps) throws IOException {
        g.writeArrayFieldStart(name);
        for (Comparison.Gap x : gaps) {
            g.writeStartObject();
            if (x.frameA() >= 0) {
                g.writeNumberField("frameA", x.frameA());
            }
            if (x.frameB() >= 0) {
                g.writeNumberField("frameB", x.frameB());
            }
            g.writeStringField("what", x.what());
            g.writeStringField("time", Texts.instant(x.time()));
            g.writeStringField("direction", x.direction());
            g.writeStringField("flags", x.flags());
            g.writeNumberField("seq", x.seq());
            g.writeNumberField("ack", x.ack());
            g.writeNumberField("len", x.len());
            g.writeNumberField("ttl", x.ttl());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void endpoint(JsonGenerator g, String name, Endpoint e) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("ip", e.ip());
        g.writeNumberField("port", e.port());
        g.writeEndObject();
    }

    private static void hops(JsonGenerator g, String name, int hops) throws IOException {
        if (hops < 0) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, hops);
        }
    }

    private static double round(double v, int places) {
        return new java.math.BigDecimal(v).setScale(places, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }
}
