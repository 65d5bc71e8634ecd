package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.ReportFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The static properties of index.html; its behaviour in a browser is checked by HtmlReportBrowserTest. */
class HtmlRendererTest {

    static String render() throws IOException {
        MemoryTarget target = new MemoryTarget();
        new HtmlRenderer().render(ReportFixture.report(), target);
        String html = target.text(HtmlRenderer.FILE);
        Path dump = Path.of(System.getProperty("java.io.tmpdir"), "tcpautopsy-fixture.html");
        Files.writeString(dump, html);
        return html;
    }

    @Test
    void preparedBeforehandItRendersTheSamePage() throws IOException {
        HtmlRenderer prepared = new HtmlRenderer();
        prepared.prepare();
        MemoryTarget target = new MemoryTarget();
        prepared.render(ReportFixture.report(), target);
        MemoryTarget fresh = new MemoryTarget();
        new HtmlRenderer().render(ReportFixture.report(), fresh);
        assertEquals(fresh.text(HtmlRenderer.FILE), target.text(HtmlRenderer.FILE));
    }

    @Test
    void aBigBatchGetsPagesForTheCapturesWithTheMostAbnormalEndingsAndAnIndexRowForEveryOne() throws IOException {
        AnalysisReport f = ReportFixture.report();
        List<CaptureReport> captures = new ArrayList<>();
        for (int k = 0; k < HtmlRenderer.PAGES_TOTAL + 5; k++) {
            captures.add(ReportFixture.damaged());
        }
        captures.add(ReportFixture.incident()); // last, but the only one with abnormal endings
        MemoryTarget target = new MemoryTarget();
        new HtmlRenderer().render(f.withCaptures(captures), target);
        String html = target.text(HtmlRenderer.FILE);
        int last = captures.size() - 1;
        assertEquals(HtmlRenderer.PAGES_TOTAL, count(html, "class=\"capture\""), "sections");
        String index = html.substring(html.indexOf("<table class=\"grid captures\">"), html.indexOf("</table>",
                html.indexOf("<table class=\"grid captures\">")));
        assertEquals(captures.size() + 1, count(index, "<tr>"), "an index row for every capture, under the header");
        assertTrue(html.contains("id=\"c" + last + "\""), "the capture with abnormal endings has its page");
        assertTrue(html.contains("href=\"#c0\""), "the first others have theirs");
        assertFalse(html.contains("id=\"c" + (last - 1) + "\""), "the last others do not");
        assertTrue(html.contains("the other 6 are in flows.csv and report.json"));
    }

    @Test
    void theGenerationTimeIsShownToTheSecond() throws IOException {
        AnalysisReport f = ReportFixture.report();
        MemoryTarget target = new MemoryTarget();
        new HtmlRenderer().render(new AnalysisReport(f.toolVersion(), Instant.parse("2026-11-24T17:00:01.123456789Z"),
                f.settings(), f.captures()), target);
        String html = target.text(HtmlRenderer.FILE);
        assertTrue(html.contains("generated <span>2026-11-24T17:00:01Z</span>"), "generated to the second");
        assertFalse(html.contains("123456789"));
    }

    @Test
    void selfContainedNothingFetched() throws IOException {
        String html = render();
        // the only URLs allowed are XML namespace names, which browsers never fetch
        Matcher m = Pattern.compile("(?i)(src|href|action)\\s*=\\s*\"([^\"#][^\"]*)\"").matcher(html);
        while (m.find()) {
            throw new AssertionError("external reference: " + m.group());
        }
        assertFalse(html.contains("<link"), "no stylesheet links");
        assertFalse(html.contains("@import"), "no CSS imports");
        assertFalse(html.contains("url(http"), "no remote CSS urls");
        assertTrue(html.contains("<style>") && html.contains("<script>"), "CSS and JS inline");
    }

    @Test
    void whatWentWrongComesFirstAndLinksToItsConnections() throws IOException {
        String html = render();
        String title = "198.18.1.2:8080 closes connections idle for 75.0 s (the default of nginx keepalive_timeout?)";
        int capture = html.indexOf("id=\"c0\"");
        int block = html.indexOf("What went wrong", capture);
        assertTrue(block > capture && block < html.indexOf("class=\"kpis\"", capture), "before the capture's figures");
        assertTrue(html.indexOf(title, capture) > block);
        assertTrue(html.contains("<a href=\"#\" class=\"f-streams small noprint\" data-streams=\"7\">show the connection"
                + " in the table</a>"), "the link names the streams the table filters to");
        assertTrue(html.contains("<tr data-stream=\"7\""), "and the table's row carries its stream");
        assertTrue(html.contains("nginx keepalive_timeout (75.0 s):"), "the documented default");
        assertTrue(html.contains("https://nginx.org/en/docs/http/ngx_http_core_module.html#keepalive_timeout"), "its source");
        // the batch overview: the same finding, with a link to the capture's page
        int overview = html.indexOf("id=\"overview\"");
        int batch = html.indexOf("What went wrong", overview);
        assertTrue(batch > overview && batch < capture);
        assertTrue(html.indexOf("<a href=\"#c0\">incident-42.pcapng (1 connection)</a>", batch) > batch);
        // the second capture has none and says so in one line
        assertTrue(html.indexOf("Nothing to find: no TCP connections.", html.indexOf("id=\"c1\"")) > 0);
    }

    @Test
    void everyFlowIsARowAndAbnormalOnesGetADetailCard() throws IOException {
        String html = render();
        assertEquals(3, count(html, "<tr data-stream="), "one row per flow of the fixture");
        assertTrue(html.contains("id=\"c0-s7-f120\""), "RST_UNREAD_DATA flow has a card");
        assertTrue(html.contains("id=\"c0-s9-f200\""), "REFUSED flow has a card");
        assertFalse(html.contains("id=\"c0-s0-f1\""), "orderly flow has no card");
        assertTrue(html.contains("ECONNRESET (Linux 104, Windows WSAECONNRESET 10054)"));
        assertTrue(html.contains("ECONNREFUSED (Linux 111, Windows WSAECONNREFUSED 10061)"));
        assertTrue(html.contains("tcp.stream eq 7"));
        assertTrue(html.contains("http: POST /api/orders HTTP/1.1 (Host: shop.example) (unanswered)"), "the table's app line");
        assertTrue(html.contains("<dt>Last request</dt><dd class=\"app\">POST /api/orders HTTP/1.1 (Host: shop.example)"
                + " (frame 186, from the client), never answered</dd>"), "the card's app lines");
        assertTrue(html.contains("TCP 8080 &gt; 51544 [RST, ACK] seq 901 ack 313 win 0"), "header dump shown");
        assertTrue(html.contains("damaged.pcap: at byte 24: record length 9999999"), "unreadable part named");
    }

    @Test
    void ladderHasOneArrowPerLastPacket() throws IOException {
        String html = render();
        int card = html.indexOf("id=\"c0-s7-f120\"");
        int end = html.indexOf("</article>", card);
        String seven = html.substring(card, end);
        assertEquals(3, count(seven, "<g class=\"pkt "), "three last packets");
        assertTrue(seven.contains("class=\"pkt rst\""));
        assertTrue(seven.contains("class=\"pkt data flagged\""), "the retransmission is flagged");
        assertTrue(seven.contains("[retransmission]"));
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
