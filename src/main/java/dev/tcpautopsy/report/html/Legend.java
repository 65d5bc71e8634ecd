package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.Glossary;
import dev.tcpautopsy.model.TerminationClass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The page's legend of the classes and its tooltips, from the glossary that docs/reference.md is made
 * of: a ticket reader tells RST_AFTER_CLOSE from RST_ABORT without another document.
 */
final class Legend {
    /** One class explained: its colour, one line, and what the wire showed, its cause, what the applications saw. */
    record Entry(String name, String color, String text, String wire, String cause, String apps) {
    }

    private Legend() {
    }

    /** The classes that ended some connection (their counts), in precedence order. */
    static List<Entry> classes(Map<TerminationClass, Long> counts) {
        Glossary g = Glossary.standard();
        List<Entry> out = new ArrayList<>();
        for (TerminationClass c : TerminationClass.values()) {
            if (counts.getOrDefault(c, 0L) == 0) {
                continue;
            }
            Glossary.Entry e = g.entry("class", c.name()).orElseThrow();
            out.add(new Entry(c.name(), Palette.of(c), e.get("short"), e.get("wire"), e.get("cause"), e.get("apps")));
        }
        return out;
    }

    /**
     * {@link #tips()} as a JSON object for the page's script, safe inside a script element: the page
     * carries the text once, not once a row (a page of 5,000 rows grew by 1.4 MB with a title a cell).
     */
    static String tipsJson() {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(tips()).entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            string(b, e.getKey());
            b.append(':');
            string(b, e.getValue());
        }
        return b.append('}').toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    /**
     * Tooltips by name: a class, tag or appView value by its name, a {@code by} value as {@code "by client"}:
     * the one line, and for a class or tag its typical cause.
     */
    static Map<String, String> tips() {
        Map<String, String> tips = new HashMap<>();
        Glossary g = Glossary.standard();
        for (String kind : List.of("class", "tag", "appView", "by")) {
            for (Glossary.Entry e : g.entries(kind)) {
                String cause = e.get("cause");
                tips.put(kind.equals("by") ? "by " + e.name() : e.name(),
                        cause.isEmpty() ? e.get("short") : e.get("short") + " Typical cause: " + cause);
            }
        }
        return tips;
    }
}
