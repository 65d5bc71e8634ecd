package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.Glossary;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.ReportFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    void theLegendExplainsTheClassesOfTheCaptureAndNoOthers() throws IOException {
        String page = page();
        Glossary g = Glossary.standard();
        int legend = page.indexOf("What these endings mean");
        assertTrue(legend > 0);
        String card = page.substring(legend, page.indexOf("</details>", legend));
        for (String present : ReportFixture.classes().stream().map(Enum::name).distinct().toList()) {
            Glossary.Entry e = g.entry("class", present).orElseThrow();
            for (String key : new String[] {"short", "wire", "cause", "apps"}) {
                assertTrue(card.contains(html(e.get(key))), present + " " + key);
            }
        }
        assertFalse(card.contains(">ZERO_WINDOW_STALL<"), "only the classes that occur");
    }

    /** Every class chip and every by cell carries the glossary's line as its tooltip. */
    @Test
    void chipsAndByCellsHaveTooltips() throws IOException {
        String page = page();
        Matcher chip = Pattern.compile("<span class=\"chip\" style=\"[^\"]*\" title=\"([^\"]*)\">([A-Z_]+)</span>").matcher(page);
        int chips = 0;
        while (chip.find()) {
            chips++;
            String expected = Glossary.standard().entry("class", chip.group(2)).orElseThrow().get("short");
            assertTrue(chip.group(1).startsWith(html(expected)), chip.group(0));
        }
        assertTrue(chips >= ReportFixture.classes().size(), "every row's chip: " + chips);
        Matcher by = Pattern.compile("<td title=\"([^\"]*)\">(client|server|middlebox|unknown)</td>").matcher(page);
        assertTrue(by.find(), "by cells have tooltips");
        assertEquals(html(Glossary.standard().entry("by", by.group(2)).orElseThrow().get("short")), by.group(1));
    }
}
