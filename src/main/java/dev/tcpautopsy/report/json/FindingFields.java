package dev.tcpautopsy.report.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tcpautopsy.model.BatchFinding;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.TimerMatch;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code findings} of a capture and of the whole report: each finding's {@code kind}, {@code title},
 * {@code count}, {@code streams}, then the fields its kind has ({@code endpoint}, {@code side},
 * {@code seconds}, {@code matches}, {@code fix} and the kind's own), those it does not have left out.
 */
final class FindingFields {
    private FindingFields() {
    }

    static void findings(List<Finding> findings, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("findings");
        for (Finding f : findings) {
            finding(f, g);
        }
        g.writeEndArray();
    }

    private static void finding(Finding f, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", f.kind().name());
        g.writeStringField("title", f.title());
        g.writeNumberField("count", f.count());
        g.writeArrayFieldStart("streams");
        for (long s : f.streams()) {
            g.writeNumber(s);
        }
        g.writeEndArray();
        if (f.endpoint() != null) {
            endpoint(f.endpoint(), g);
        }
        if (f.side() != null) {
            g.writeStringField("side", f.side());
        }
        if (f.seconds() != null) {
            g.writeNumberField("seconds", f.seconds());
        }
        if (f.seconds() != null || !f.matches().isEmpty()) {
            matches(f.matches(), g);
        }
        if (f.fix() != null) {
            g.writeStringField("fix", f.fix());
        }
        for (Map.Entry<String, Object> e : f.more().entrySet()) {
            // a kind's own figure that is unknown is left out, as every field outside the contract is
            if (e.getValue() != null) {
                value(e.getKey(), e.getValue(), g);
            }
        }
        g.writeEndObject();
    }

    /** The batch's findings: each with the captures' findings it gathers. */
    static void batch(List<BatchFinding> findings, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("findings");
        for (BatchFinding b : findings) {
            g.writeStartObject();
            g.writeStringField("kind", b.kind().name());
            g.writeStringField("title", b.title());
            g.writeNumberField("count", b.count());
            if (b.side() != null) {
                g.writeStringField("side", b.side());
            }
            if (b.seconds() != null) {
                g.writeNumberField("seconds", b.seconds());
                matches(b.matches(), g);
            }
            g.writeArrayFieldStart("captures");
            for (BatchFinding.Where w : b.where()) {
                g.writeStartObject();
                g.writeNumberField("capture", w.capture());
                g.writeStringField("file", w.file());
                g.writeStringField("title", w.finding().title());
                g.writeNumberField("count", w.finding().count());
                g.writeArrayFieldStart("streams");
                for (long s : w.finding().streams()) {
                    g.writeNumber(s);
                }
                g.writeEndArray();
                if (w.finding().endpoint() != null) {
                    endpoint(w.finding().endpoint(), g);
                }
                if (w.finding().seconds() != null) {
                    g.writeNumberField("seconds", w.finding().seconds());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A host (port 0) has {@code "port": null}. */
    private static void endpoint(Endpoint e, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("endpoint");
        g.writeStringField("ip", e.ip());
        if (e.port() == 0) {
            g.writeNullField("port");
        } else {
            g.writeNumberField("port", e.port());
        }
        g.writeEndObject();
    }

    private static void matches(List<TimerMatch> matches, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("matches");
        for (TimerMatch m : matches) {
            g.writeStartObject();
            g.writeStringField("product", m.product());
            g.writeStringField("setting", m.setting());
            g.writeNumberField("seconds", m.seconds());
            g.writeStringField("source", m.source());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void value(String name, Object v, JsonGenerator g) throws IOException {
        if (v instanceof Integer i) {
            g.writeNumberField(name, i);
        } else if (v instanceof Long l) {
            g.writeNumberField(name, l);
        } else if (v instanceof Double d) {
            g.writeNumberField(name, d);
        } else if (v instanceof Boolean b) {
            g.writeBooleanField(name, b);
        } else {
            g.writeStringField(name, v.toString());
        }
    }
}
