package dev.tcpautopsy.findings;

import dev.tcpautopsy.model.BatchFinding;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.FindingKind;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.report.FindingTexts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Across captures, the same timer, device or endpoint is one finding. */
class BatchFindingsTest {

    private static Finding timer(String ip, int port, double seconds, long count) {
        return new Finding(FindingKind.IDLE_TIMEOUT_SETTING, ip + ":" + port + " closes connections idle for " + seconds,
                count, List.of(1L), new Endpoint(ip, port), "server", seconds, List.of(), null, Map.of());
    }

    private static Finding refused(String ip, int port, long count) {
        return new Finding(FindingKind.REFUSED_SERVICE, ip + ":" + port + " refused", count, List.of(2L),
                new Endpoint(ip, port), "server", null, List.of(), null, Map.of());
    }

    private static CaptureReport capture(String file, Finding... findings) {
        return new CaptureReport(file, "pcap", false, 0, 0, null, null, List.of(), null, null, null, null,
                FlowSet.of(List.of()), List.of(findings));
    }

    @Test
    void theSameTimerOnEveryHostIsOneFinding() {
        List<BatchFinding> b = BatchFindings.of(List.of(
                capture("web1.pcap", timer("10.0.0.1", 80, 60.0, 40), refused("10.0.0.9", 5432, 3)),
                capture("web2.pcap", timer("10.0.0.2", 80, 60.4, 30)),
                capture("web3.pcap", timer("10.0.0.3", 80, 61.0, 20), timer("10.0.0.3", 8080, 5.0, 4)),
                capture("db.pcap", refused("10.0.0.9", 5432, 2))));
        assertEquals(3, b.size(), b.toString());
        BatchFinding fleet = b.get(0);
        assertEquals(FindingKind.IDLE_TIMEOUT_SETTING, fleet.kind());
        assertEquals(90, fleet.count());
        assertEquals(60.0, fleet.seconds());
        assertEquals(List.of(0, 1, 2), fleet.where().stream().map(BatchFinding.Where::capture).toList());
        assertEquals("3 servers (10.0.0.1:80, 10.0.0.2:80, 10.0.0.3:80) close connections idle for 60.0 s in 3 captures",
                fleet.title());
        BatchFinding refusals = b.get(1);
        assertEquals(FindingKind.REFUSED_SERVICE, refusals.kind());
        assertEquals(5, refusals.count(), "one endpoint in two captures");
        assertTrue(refusals.title().endsWith("; the same in 1 other capture"), refusals.title());
        assertEquals(refusals.title() + " (5 connections)", new FindingTexts.Line(refusals.kind().name(), refusals.title(),
                refusals.count()).text(), "the count in all said once");
        BatchFinding lone = b.get(2);
        assertEquals(4, lone.count());
        assertEquals("10.0.0.3:8080 closes connections idle for 5.0 (in web3.pcap)", lone.title());
    }

    @Test
    void timersMoreThanTenPercentApartOrOfOtherSidesStayApart() {
        Finding client = new Finding(FindingKind.IDLE_TIMEOUT_SETTING, "client", 5, List.of(), new Endpoint("10.0.0.5", 0),
                "client", 60.0, List.of(), null, Map.of());
        List<BatchFinding> b = BatchFindings.of(List.of(capture("a.pcap", timer("10.0.0.1", 80, 60.0, 5)),
                capture("b.pcap", timer("10.0.0.2", 80, 67.0, 5)), capture("c.pcap", client)));
        assertEquals(3, b.size(), b.toString());
    }

    @Test
    void oneCaptureHasNoBatchFindings() {
        assertTrue(BatchFindings.of(List.of(capture("a.pcap", timer("10.0.0.1", 80, 60.0, 5)))).isEmpty());
    }
}
