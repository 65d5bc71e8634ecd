package dev.tcpautopsy.cli;

import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.report.ReportFixture;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShowCommandTest {

    private static CliHarness cli() {
        return new CliHarness(() -> {
            return ReportFixture.report().withCaptures(List.of(ReportFixture.incident()));
        });
    }

    @Test
    void showsVerdictEvidenceTransitionsAndLadder() {
        CliHarness h = cli().run("show", "incident-42.pcapng", "--stream", "7");
        assertEquals(0, h.exit, h.err.toString());
        String out = h.out.toString();
        assertTrue(out.contains("verdict   RST_UNREAD_DATA by server"), out);
        assertTrue(out.contains("client    saw ECONNRESET (Linux 104, Windows WSAECONNRESET 10054)"), out);
        assertTrue(out.contains("wireshark tcp.stream eq 7"), out);
        assertTrue(out.contains("frame 188      RST from server, seq at its snd_nxt"), out);
        assertTrue(out.contains("TCP 8080 > 51544 [RST, ACK] seq 901 ack 313 win 0"), out);
        assertTrue(out.contains("frame 188      server ESTABLISHED -> RESET"), out);
        // three packets: two to the right, one to the left, the retransmission named
        assertEquals(2, out.lines().filter(l -> l.endsWith("->|")).count(), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("  |<-")).count(), out);
        assertTrue(out.contains("[retransmission]"));
        assertTrue(out.contains("request   POST /api/orders HTTP/1.1 (Host: shop.example) (frame 186, from the client), never answered"),
                out);
        assertTrue(out.contains("<< request: POST /api/orders HTTP/1.1"), "the ladder names the message at its frame: " + out);
    }

    /** A connection that went on after it was judged is a second flow in its stream: both are shown. */
    @Test
    void showsEveryFlowOfTheStream() {
        Flow first = ReportFixture.unread();
        Flow again = new Flow(first.stream(), first.client(), first.server(), 300, 310, first.start(), first.end(),
                false, false, first.termination(), first.fromClient(), first.fromServer(), -1, null, "", List.of(),
                List.of(new PacketLine(300, first.end(), true, "R", -2109138696L, 0, 0, 0, 64, List.of())));
        CaptureReport c = ReportFixture.incident().withFlows(FlowSet.of(List.of(first, again)));
        CliHarness h = new CliHarness(() -> ReportFixture.report().withCaptures(List.of(c)))
                .run("show", "incident-42.pcapng", "--stream", "7");
        assertEquals(0, h.exit, h.err.toString());
        String out = h.out.toString();
        assertTrue(out.contains("flow 1 of 2 in stream 7") && out.contains("flow 2 of 2 in stream 7"), out);
        assertTrue(out.contains("frames 120-188") && out.contains("frames 300-310"), out);
        // a sequence number below the ISN reads as the unsigned 32-bit value it wraps to, as in Wireshark
        assertTrue(out.contains("seq=2185828600"), out);
        assertFalse(out.contains("seq=-"), out);
    }

    @Test
    void unknownStreamIsAUsageError() {
        CliHarness h = cli().run("show", "incident-42.pcapng", "--stream", "99");
        assertEquals(ExitCodes.USAGE, h.exit);
        assertEquals("tcpautopsy: no stream 99 in incident-42.pcapng (it has 3 connections, streams 0 to 9)\n",
                h.err.toString());
    }

    @Test
    void streamIsRequired() {
        CliHarness h = cli().run("show", "incident-42.pcapng");
        assertEquals(ExitCodes.USAGE, h.exit);
        assertTrue(h.err.toString().contains("--stream"));
    }
}
