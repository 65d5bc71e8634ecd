package dev.tcpautopsy.report.markdown;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.ReportFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkdownRendererTest {

    private static String render() throws IOException {
        MemoryTarget target = new MemoryTarget();
        new MarkdownRenderer().render(ReportFixture.report(), target);
        return target.text(MarkdownRenderer.FILE);
    }

    @Test
    void headlineAndVerdictTableFromTheFixture() throws IOException {
        List<String> lines = render().lines().toList();
        assertEquals("# TCP connection endings", lines.get(0));
        // what went wrong comes first: the batch's findings, each with its connections and kind
        assertEquals("**What went wrong:**", lines.get(2));
        assertEquals("1. 198.18.1.2:8080 closes connections idle for 75.0 s (the default of nginx keepalive_timeout?)"
                + " (in incident-42.pcapng) (1 connection) `IDLE_TIMEOUT_SETTING`", lines.get(4));
        assertEquals("**3 connections, 2 abnormal endings** in 2 captures (idle threshold 30s).", lines.get(6));
        assertTrue(lines.contains("> **Unreadable:** damaged.pcap: at byte 24: record length 9999999 (expected: <= 262144)"));
        // the verdict rows in class order, counts split by who: client, server, middlebox, unknown
        assertTrue(lines.contains("| `REFUSED` connection refused | 1 | 0 | 1 | 0 | 0 |"));
        assertTrue(lines.contains("| `RST_UNREAD_DATA` RST with unread data | 1 | 0 | 1 | 0 | 0 |"));
        assertTrue(lines.contains("| `FIN_ORDERLY` orderly close | 1 | 1 | 0 | 0 | 0 |"));
        assertTrue(lines.indexOf("| `REFUSED` connection refused | 1 | 0 | 1 | 0 | 0 |")
                < lines.indexOf("| `FIN_ORDERLY` orderly close | 1 | 1 | 0 | 0 | 0 |"));
    }

    @Test
    void aReportWithoutFindingsSaysSoInOneLine() throws IOException {
        MemoryTarget target = new MemoryTarget();
        AnalysisReport r = ReportFixture.report();
        new MarkdownRenderer().render(new AnalysisReport(r.toolVersion(), r.generated(), r.settings(),
                List.of(ReportFixture.damaged()), List.of()), target);
        List<String> lines = target.text(MarkdownRenderer.FILE).lines().toList();
        assertEquals("**What went wrong:** Nothing to find: no TCP connections.", lines.get(2));
    }

    @Test
    void worstHostsAndPortsAndTellingConnections() throws IOException {
        String md = render();
        assertTrue(md.contains("- hosts: `198.18.1.2` 1 (1 RST_UNREAD_DATA), `2001:db8::2` 1 (1 REFUSED)"), md);
        assertTrue(md.contains("- server ports: `443` 1 (1 REFUSED), `8080` 1 (1 RST_UNREAD_DATA)"), md);
        // one example per abnormal class (a tie: class order), each with its Wireshark filter
        assertTrue(md.contains("1. **`REFUSED`** by server: [2001:db8::1]:33000 → [2001:db8::2]:443 in `incident-42.pcapng`, frames 200–201"), md);
        assertTrue(md.contains("2. **`RST_UNREAD_DATA`** by server: 198.18.0.2:51544 → 198.18.1.2:8080"), md);
        assertTrue(md.contains("   Wireshark: `tcp.stream eq 9`"));
        assertTrue(md.contains("   Wireshark: `tcp.stream eq 7`"));
        assertTrue(md.contains("Client saw ECONNRESET (Linux 104, Windows WSAECONNRESET 10054)"));
        assertTrue(!md.contains("3. "), "only two abnormal flows exist");
    }

    @Test
    void aBatchListsTheCapturesWithTheMostAbnormalEndingsFirst() throws IOException {
        AnalysisReport f = ReportFixture.report();
        CaptureReport few = ReportFixture.incident();
        EndingSummary s = few.summary();
        CaptureReport many = new CaptureReport("worse.pcap", few.format(), few.compressed(), few.bytes(), few.packets(),
                few.first(), few.last(), few.linkTypes(), few.decoding(), few.vantage(), null,
                new EndingSummary(40, 30, s.byClass(), s.byClassAndBy(), s.topHosts(), s.topPorts(), s.timeline()),
                few.flows());
        MemoryTarget target = new MemoryTarget();
        new MarkdownRenderer().render(f.withCaptures(List.of(few, ReportFixture.damaged(), many)), target);
        String md = target.text(MarkdownRenderer.FILE);
        int worse = md.indexOf("`worse.pcap`: 30 abnormal of 40");
        int incident = md.indexOf("`incident-42.pcapng`: 2 abnormal of 3");
        assertTrue(worse >= 0 && incident > worse, md);
    }
}
