package dev.tcpautopsy.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpautopsy.model.Glossary;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.ReportFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page explains its own words with the glossary's text: a legend of the classes present, and tooltips. */
class LegendTest {
    private static String page() throws IOException {
        MemoryTarget t = new MemoryTarget();
        new HtmlRenderer().render(ReportFixture.report(), t);
        return t.text("index.html");
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("'", "&#39;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    @Test
    void theLegendExplainsTheClassesOfTheReportAndNoOthers() throws IOException {
        String page = page();
        Glossary g = Glossary.standard();
        int legend = page.indexOf("What these endings mean");
        assertTrue(legend > 0);
        assertEquals(legend, page.lastIndexOf("What these endings mean"), "one legend for the page");
        String card = page.substring(legend, page.indexOf("</details>", legend));
        for (String present : ReportFixture.classes().stream().map(Enum::name).distinct().toList()) {
            Glossary.Entry e = g.entry("class", present).orElseThrow();
            for (String key : new String[] {"short", "wire", "cause", "apps"}) {
                assertTrue(card.contains(html(e.get(key))), present + " " + key);
            }
        }
        assertFalse(card.contains(">ZERO_WINDOW_STALL<"), "only the classes that occur");
    }

    /** The page carries one map of tooltips (the script puts them on chips, by cells and tags): every name, once. */
    @Test
    void theTooltipsAreTheGlossarysLines() throws IOException {
        String page = page();
        int at = page.indexOf("<script type=\"application/json\" id=\"tips\">");
        assertTrue(at > 0);
        String json = page.substring(page.indexOf('>', at) + 1, page.indexOf("</script>", at));
        assertFalse(json.contains("<"), "nothing that could end the script element");
        JsonNode tips = new ObjectMapper().readTree(json);
        Glossary g = Glossary.standard();
        for (String kind : new String[] {"class", "tag", "appView", "by"}) {
            for (Glossary.Entry e : g.entries(kind)) {
                String key = kind.equals("by") ? "by " + e.name() : e.name();
                assertTrue(tips.path(key).asText().startsWith(e.get("short")), key);
            }
        }
        assertTrue(tips.get("RST_AFTER_CLOSE").asText().contains("Typical cause"));
        assertFalse(tips.get("RST_AFTER_CLOSE").asText().equals(tips.get("RST_ABORT").asText()));
        assertEquals(1, page.split("Typical cause: The peer wrote to a connection", -1).length - 1,
                "the text once in the page's map, not once a row");
    }
}
