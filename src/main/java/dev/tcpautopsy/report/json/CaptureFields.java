package dev.tcpautopsy.report.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.DecodeStats;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.LinkTypeCount;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.report.Texts;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The per-capture parts of {@code report.json} other than the flows. */
final class CaptureFields {
    private CaptureFields() {
    }

    /** A string field, left out when the value is unknown. */
    static void string(String field, String value, JsonGenerator g) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    static void linkTypes(List<LinkTypeCount> types, JsonGenerator g) throws IOException {
        if (types.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("linkTypes");
        for (LinkTypeCount t : types) {
            g.writeStartObject();
            g.writeNumberField("linkType", t.linkType());
            g.writeStringField("name", t.name());
            g.writeNumberField("packets", t.packets());
            g.writeStringField("decoder", t.decoder());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static void decoding(DecodeStats d, JsonGenerator g) throws IOException {
        if (d == null) {
            return;
        }
        g.writeObjectFieldStart("decoding");
        g.writeNumberField("tcpSegments", d.tcpSegments());
        g.writeNumberField("ipv4", d.ipv4());
        g.writeNumberField("ipv6", d.ipv6());
        g.writeNumberField("fragments", d.fragments());
        counts("otherProtocols", d.otherProtocols(), g);
        counts("tunnels", d.tunnels(), g);
        counts("anomalies", d.anomalies(), g);
        g.writeEndObject();
    }

    /** A name-to-count map, keys sorted so that the output is stable. */
    private static void counts(String field, Map<String, Long> map, JsonGenerator g) throws IOException {
        if (map.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Long> e : new TreeMap<>(map).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    static void summary(EndingSummary s, JsonGenerator g) throws IOException {
        if (s == null) {
            return;
        }
        g.writeObjectFieldStart("summary");
        g.writeNumberField("flows", s.flows());
        g.writeNumberField("abnormal", s.abnormal());
        byClass("byClass", s.byClass(), g);
        if (!s.byClassAndBy().isEmpty()) {
            g.writeObjectFieldStart("byClassAndBy");
            for (TerminationClass c : TerminationClass.values()) {
                Map<By, Long> byWho = s.byClassAndBy().get(c);
                if (byWho == null) {
                    continue;
                }
                g.writeObjectFieldStart(c.name());
                for (By b : By.values()) {
                    Long n = byWho.get(b);
                    if (n != null) {
                        g.writeNumberField(b.wire(), n);
                    }
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        if (s.unfiltered() != null) {
            // the report's filters left flows out: what the figures above are a part of
            g.writeObjectFieldStart("unfiltered");
            g.writeNumberField("flows", s.unfiltered().flows());
            g.writeNumberField("abnormal", s.unfiltered().abnormal());
            byClass("byClass", s.unfiltered().byClass(), g);
            g.writeEndObject();
        }
        ranked("topHosts", s.topHosts(), g);
        ranked("topPorts", s.topPorts(), g);
        EndingSummary.Timeline t = s.timeline();
        if (t != null && t.start() != null) {
            g.writeObjectFieldStart("timeline");
            g.writeStringField("start", Texts.instant(t.start()));
            g.writeNumberField("bucketMillis", t.bucketMillis());
            g.writeArrayFieldStart("buckets");
            for (Map<TerminationClass, Long> bucket : t.buckets()) {
                writeClassCounts(bucket, g);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void ranked(String field, List<EndingSummary.Ranked> list, JsonGenerator g) throws IOException {
        if (list.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (EndingSummary.Ranked r : list) {
            g.writeStartObject();
            g.writeStringField("key", r.key());
            g.writeNumberField("flows", r.flows());
            g.writeNumberField("abnormal", r.abnormal());
            byClass("byClass", r.byClass(), g);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void byClass(String field, Map<TerminationClass, Long> map, JsonGenerator g) throws IOException {
        if (map.isEmpty()) {
            return;
        }
        g.writeFieldName(field);
        writeClassCounts(map, g);
    }

    /** Class counts in class (precedence) order, classes with no flow left out. */
    private static void writeClassCounts(Map<TerminationClass, Long> map, JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (TerminationClass c : TerminationClass.values()) {
            Long n = map.get(c);
            if (n != null) {
                g.writeNumberField(c.name(), n);
            }
        }
        g.writeEndObject();
    }
}
