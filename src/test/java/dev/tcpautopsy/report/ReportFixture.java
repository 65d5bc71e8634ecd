package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisCounts;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.AnalysisSettings;
import dev.tcpautopsy.model.AppContext;
import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.BatchFinding;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.CaptureError;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.DecodeStats;
import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.FindingKind;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.model.IdleGap;
import dev.tcpautopsy.model.LinkTypeCount;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.StateChange;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.TimerMatch;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tcpautopsy.model.TerminationClass.FIN_ORDERLY;
import static dev.tcpautopsy.model.TerminationClass.REFUSED;
import static dev.tcpautopsy.model.TerminationClass.RST_UNREAD_DATA;

/**
 * One fixed, hand-built model that every renderer test renders: two captures, the second one
 * damaged and empty; three flows covering IPv4 and IPv6, an orderly close, the contract's example
 * verdict and a refused connection whose reason needs CSV quoting; one finding (a timer that matches a
 * documented default), in the incident and across the batch.
 */
public final class ReportFixture {
    private ReportFixture() {
    }

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    public static Flow orderly() {
        return new Flow(0, new Endpoint("198.18.0.2", 40000), new Endpoint("198.18.1.2", 80), 1, 10,
                t("2026-11-24T17:38:50Z"), t("2026-11-24T17:38:50.250Z"), true, false,
                new Termination(FIN_ORDERLY, By.CLIENT, "both sides sent FIN and every byte was acked",
                        "tcp.stream eq 0", List.of(new Evidence(7, "FIN from client"), new Evidence(9, "FIN from server")),
                        List.of(), new AppView("EOF", "EOF")),
                new DirectionStats(5, 120, 1000, 1460, 7, 64, "CLOSED", 7, 0, AnalysisCounts.NONE),
                new DirectionStats(5, 2400, 5000, 1460, 7, 64, "CLOSED", 9, 0, AnalysisCounts.NONE),
                1500, null, "ShADadFf", List.of(), List.of());
    }

    public static Flow unread() {
        AnalysisCounts retrans = new AnalysisCounts(2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
        return new Flow(7, new Endpoint("198.18.0.2", 51544), new Endpoint("198.18.1.2", 8080), 120, 188,
                t("2026-11-24T17:38:58.123456Z"), t("2026-11-24T17:39:03.003001Z"), true, false,
                new Termination(RST_UNREAD_DATA, By.SERVER,
                        "server sent RST at frame 188 without FIN; 312 bytes from the client arrived after its last data",
                        "tcp.stream eq 7",
                        List.of(new Evidence(188, "RST from server, seq at its snd_nxt",
                                List.of("Frame 188: 54 bytes", "IPv4 198.18.1.2 > 198.18.0.2 ttl 64",
                                        "TCP 8080 > 51544 [RST, ACK] seq 901 ack 313 win 0"))),
                        List.of(Tag.KEEPALIVE_RACE), new AppView("ECONNRESET", "none")),
                new DirectionStats(12, 312, 111, 1460, 7, 64, "ESTABLISHED", 0, 0, retrans),
                new DirectionStats(10, 900, 222, 1400, -1, 63, "RESET", 0, 188, AnalysisCounts.NONE),
                2250, new IdleGap(4.5, 180, 186), "ShADaDr",
                List.of(new StateChange(121, t("2026-11-24T17:38:58.123500Z"), "server", "SYN_ACK_SENT", "ESTABLISHED"),
                        new StateChange(188, t("2026-11-24T17:39:03.003001Z"), "server", "ESTABLISHED", "RESET")),
                List.of(new PacketLine(186, t("2026-11-24T17:39:03.002000Z"), true, "PA", 1, 901, 312, 64256, 64, List.of()),
                        new PacketLine(187, t("2026-11-24T17:39:03.002500Z"), true, "PA", 1, 901, 312, 64256, 64,
                                List.of("retransmission")),
                        new PacketLine(188, t("2026-11-24T17:39:03.003001Z"), false, "RA", 901, 313, 0, 0, 64, List.of())),
                new AppContext("http",
                        new AppContext.AppMessage(186, "client", "POST /api/orders HTTP/1.1 (Host: shop.example)"),
                        new AppContext.AppMessage(150, "server", "HTTP/1.1 200 OK"), true, null, null, null));
    }

    /** The report with one flow: {@link #unread()} saying {@code app} of its applications. */
    public static AnalysisReport unreadWith(AppContext app) {
        Flow u = unread();
        Flow f = new Flow(u.stream(), u.client(), u.server(), u.firstFrame(), u.lastFrame(), u.start(), u.end(),
                u.handshakeSeen(), u.halfClosed(), u.termination(), u.fromClient(), u.fromServer(), u.handshakeRttMicros(),
                u.longestIdle(), u.history(), u.transitions(), u.lastPackets(), app);
        AnalysisReport r = report();
        return new AnalysisReport(r.toolVersion(), r.generated(), r.settings(),
                List.of(r.captures().get(0).withFlows(FlowSet.of(List.of(f)))));
    }

    /** What the applications said when the wire cannot tell whether the last request was answered. */
    public static AppContext unknownAnswer() {
        return new AppContext("tls", new AppContext.AppMessage(186, "client", "application data (19 bytes)"), null,
                null, null, null, null);
    }

    public static Flow refused() {
        return new Flow(9, new Endpoint("2001:db8::1", 33000), new Endpoint("2001:db8::2", 443), 200, 201,
                t("2026-11-24T17:39:10.000000001Z"), t("2026-11-24T17:39:10.000100001Z"), false, false,
                new Termination(REFUSED, By.SERVER, "SYN answered by RST, \"port closed\"", "tcp.stream eq 9",
                        List.of(new Evidence(201, "RST, ACK answering the SYN")), List.of(Tag.MIDSTREAM, Tag.PORT_REUSE),
                        new AppView("ECONNREFUSED", "none")),
                new DirectionStats(1, 0, 77, 1440, 7, 64, "SYN_SENT", 0, 0, AnalysisCounts.NONE),
                new DirectionStats(1, 0, -1, -1, -1, -1, "RESET", 0, 201, AnalysisCounts.NONE),
                -1, null, "Sr", List.of(), List.of());
    }

    public static EndingSummary summary() {
        return new EndingSummary(3, 2,
                Map.of(REFUSED, 1L, RST_UNREAD_DATA, 1L, FIN_ORDERLY, 1L),
                Map.of(REFUSED, Map.of(By.SERVER, 1L), RST_UNREAD_DATA, Map.of(By.SERVER, 1L),
                        FIN_ORDERLY, Map.of(By.CLIENT, 1L)),
                List.of(new EndingSummary.Ranked("198.18.1.2", 2, 1, Map.of(RST_UNREAD_DATA, 1L, FIN_ORDERLY, 1L)),
                        new EndingSummary.Ranked("2001:db8::2", 1, 1, Map.of(REFUSED, 1L))),
                List.of(new EndingSummary.Ranked("443", 1, 1, Map.of(REFUSED, 1L)),
                        new EndingSummary.Ranked("8080", 1, 1, Map.of(RST_UNREAD_DATA, 1L))),
                new EndingSummary.Timeline(t("2026-11-24T17:38:50Z"), 10_000,
                        List.of(Map.of(FIN_ORDERLY, 1L), Map.of(RST_UNREAD_DATA, 1L, REFUSED, 1L))));
    }

    public static CaptureReport incident() {
        return new CaptureReport("incident-42.pcapng", "pcapng", false, 123_456, 12_345,
                t("2026-11-24T17:38:50Z"), t("2026-11-24T17:39:10.5Z"),
                List.of(new LinkTypeCount(1, "ETHERNET", 12_000, "native"), new LinkTypeCount(113, "LINUX_SLL", 345, "native")),
                new DecodeStats(12_300, 12_000, 300, 2, Map.of("UDP", 40L, "ARP", 5L), Map.of(),
                        Map.of("TRUNCATED_TCP_HEADER", 1L)),
                "client host", null, summary(), FlowSet.of(List.of(orderly(), unread(), refused())), List.of(timer()));
    }

    /** The incident's finding: the server closes idle connections at nginx's default. */
    public static Finding timer() {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("maxSeconds", 75.002);
        more.put("closes", 1L);
        return new Finding(FindingKind.IDLE_TIMEOUT_SETTING,
                "198.18.1.2:8080 closes connections idle for 75.0 s (the default of nginx keepalive_timeout?)", 1,
                List.of(7L), new Endpoint("198.18.1.2", 8080), "server", 75.0,
                List.of(new TimerMatch("nginx", "keepalive_timeout", 75, "https://nginx.org/en/docs/http/ngx_http_core_module.html#keepalive_timeout")),
                null, more);
    }

    public static CaptureReport damaged() {
        EndingSummary empty = new EndingSummary(0, 0, Map.of(), Map.of(), List.of(), List.of(),
                new EndingSummary.Timeline(null, 0, List.of()));
        return new CaptureReport("damaged.pcap", "pcap", true, 4096, 0, null, null, List.of(),
                new DecodeStats(0, 0, 0, 0, Map.of(), Map.of(), Map.of()), null,
                new CaptureError("damaged.pcap: at byte 24: record length 9999999 (expected: <= 262144)", 24),
                empty, FlowSet.of(List.of()));
    }

    public static AnalysisReport report() {
        return new AnalysisReport("1.2.3", t("2026-11-25T08:00:00Z"),
                new AnalysisSettings(Duration.ofSeconds(30), false, List.of("incident-42.pcapng", "damaged.pcap")),
                List.of(incident(), damaged()),
                List.of(new BatchFinding(FindingKind.IDLE_TIMEOUT_SETTING, timer().title() + " (in incident-42.pcapng)", 1,
                        "server", 75.0, timer().matches(), List.of(new BatchFinding.Where(0, "incident-42.pcapng", timer())))));
    }

    /** The class of every flow in the fixture, in stream order. */
    public static List<TerminationClass> classes() {
        return List.of(FIN_ORDERLY, RST_UNREAD_DATA, REFUSED);
    }
}
