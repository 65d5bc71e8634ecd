package dev.tcpautopsy.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: the archive in one small document. {@code totals} adds up the captures'
 * endings ({@code connections}, {@code abnormal}, {@code byClass}, {@code byClassAndBy}, spelled as in
 * report.json); {@code findings} are the findings across the archive's captures, as report.json has a
 * batch's; {@code worstHosts} and {@code worstPorts} rank the archive's hosts and server ports by
 * abnormal endings over every flow; {@code unreadable} lists the captures that could not be read to
 * their end, with the error the command prints; {@code captures} has each capture's facts, endings, its
 * own worst hosts and ports and its findings, in the archive's order.
 */
final class SummaryJson {
    static final String FILE = "summary.json";

    private SummaryJson() {
    }

    record Contents(String version, String generated, List<String> inputs, String series, String idleThreshold,
                   Pipeline.Totals totals, List<CaptureSummary.Ranked> worstHosts,
                   List<CaptureSummary.Ranked> worstPorts, List<CaptureSummary> captures,
                   ReportFindings.Findings findings) {
        Contents {
            if (findings.captures().size() != captures.size()) {
                throw new IllegalArgumentException(captures.size() + " captures, findings of "
                        + findings.captures().size());
            }
        }
    }

    static void write(Contents a, OutputStream out) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tool", "tcpautopsy-archive");
        doc.put("version", a.version());
        doc.put("generated", a.generated());
        doc.put("settings", Map.of("inputs", a.inputs(), "series", a.series(), "idleThreshold", a.idleThreshold()));
        doc.put("complete", a.captures().stream().allMatch(c -> c.error() == null));
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("captures", a.totals().captures());
        totals.put("connections", a.totals().connections());
        totals.put("abnormal", a.totals().abnormal());
        totals.put("byClass", a.totals().byClass());
        totals.put("byClassAndBy", a.totals().byClassAndBy());
        doc.put("totals", totals);
        doc.put("findings", a.findings().across());
        doc.put("worstHosts", ranked(a.worstHosts()));
        doc.put("worstPorts", ranked(a.worstPorts()));
        List<Object> unreadable = new ArrayList<>();
        List<Object> captures = new ArrayList<>();
        for (int i = 0; i < a.captures().size(); i++) {
            CaptureSummary c = a.captures().get(i);
            if (c.error() != null) {
                unreadable.add(error(c));
            }
            Map<String, Object> m = capture(c);
            m.put("findings", a.findings().captures().get(i));
            captures.add(m);
        }
        doc.put("unreadable", unreadable);
        doc.put("captures", captures);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, doc);
    }

    private static Map<String, Object> error(CaptureSummary c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", c.file());
        m.put("message", c.error());
        m.put("offset", c.errorOffset());
        return m;
    }

    private static Map<String, Object> capture(CaptureSummary c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", c.file());
        m.put("format", c.format());
        m.put("compressed", c.compressed());
        m.put("bytes", c.bytes());
        m.put("packets", c.packets());
        m.put("first", c.first());
        m.put("last", c.last());
        m.put("vantage", c.vantage());
        m.put("error", c.error() == null ? null : Map.of("message", c.error(), "offset", c.errorOffset()));
        m.put("connections", c.connections());
        m.put("abnormal", c.abnormal());
        m.put("byClass", c.byClass());
        m.put("byClassAndBy", c.byClassAndBy());
        m.put("topHosts", ranked(c.topHosts()));
        m.put("topPorts", ranked(c.topPorts()));
        return m;
    }

    private static List<Object> ranked(List<CaptureSummary.Ranked> list) {
        List<Object> out = new ArrayList<>();
        for (CaptureSummary.Ranked r : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", r.key());
            m.put("flows", r.flows());
            m.put("abnormal", r.abnormal());
            m.put("byClass", r.byClass());
            out.add(m);
        }
        return out;
    }
}
