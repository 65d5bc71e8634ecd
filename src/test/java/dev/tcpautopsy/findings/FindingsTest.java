package dev.tcpautopsy.findings;

import dev.tcpautopsy.flow.QuietFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.FindingKind;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tcpautopsy.findings.Facts.MS;
import static dev.tcpautopsy.findings.Facts.S;
import static dev.tcpautopsy.findings.Facts.verdict;
import static dev.tcpautopsy.model.TerminationClass.FIN_ORDERLY;
import static dev.tcpautopsy.model.TerminationClass.IDLE_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The findings a capture's judged flows make, from hand-made facts. */
class FindingsTest {
    private final Findings findings = new Findings(TimerDefaultsTest.FIXTURE);

    private List<Finding> of(FindingKind kind) {
        return findings.finish().stream().filter(f -> f.kind() == kind).toList();
    }

    @Test
    void serverClosesAfterOneIdleTimeAreItsTimerWithTheDefaultItMatches() {
        for (int i = 0; i < 5; i++) {
            findings.add(Facts.serverClosedAfter(i, 75 * S + i * MS).build(), verdict(IDLE_TIMEOUT, By.SERVER));
        }
        // the client's own closes and the server's closes right after a response are other things
        findings.add(Facts.serverClosedAfter(5, 2 * MS).build(), verdict(FIN_ORDERLY, By.SERVER));
        Facts byClient = new Facts(6);
        byClient.quiet = new QuietFacts(20, true, 75 * S, false, MS, true, -1, 0, 0, -1);
        findings.add(byClient.build(), verdict(IDLE_TIMEOUT, By.CLIENT));
        List<Finding> timers = of(FindingKind.IDLE_TIMEOUT_SETTING);
        assertEquals(1, timers.size(), timers.toString());
        Finding f = timers.get(0);
        assertEquals(5, f.count());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), f.streams());
        assertEquals(new Endpoint("198.18.1.2", 80), f.endpoint());
        assertEquals("server", f.side());
        assertEquals(75.0, f.seconds());
        assertEquals("nginx keepalive_timeout", f.matches().get(0).name());
        assertEquals("198.18.1.2:80 closes connections idle for 75.0 s (the default of nginx keepalive_timeout?)",
                f.title());
    }

    @Test
    void theFirstCloseCountsWhateverTheVerdictSaysClosedLast() {
        // the verdict names the client (its FIN came after the server's, at a small threshold); the first close was the server's
        for (int i = 0; i < 3; i++) {
            findings.add(Facts.serverClosedAfter(i, 3 * S).build(), verdict(IDLE_TIMEOUT, By.CLIENT));
        }
        Finding f = of(FindingKind.IDLE_TIMEOUT_SETTING).get(0);
        assertEquals("server", f.side());
        assertEquals(3.0, f.seconds());
    }

    @Test
    void racesNameTheServersTimerAndHowLongItsClientKeepsConnections() {
        for (int i = 0; i < 3; i++) {
            findings.add(Facts.serverClosedAfter(i, 3 * S).server("198.18.2.2", 8003).client("198.18.1.2").build(),
                    verdict(IDLE_TIMEOUT, By.SERVER));
        }
        // the same client used a connection to another backend again after 7.1 s
        Facts other = new Facts(3).server("198.18.2.2", 8007).client("198.18.1.2");
        other.quiet = new QuietFacts(0, false, -1, false, -1, false, -1, 0, 0, 7100 * MS);
        findings.add(other.build(), verdict(FIN_ORDERLY, By.CLIENT));
        for (int i = 4; i < 6; i++) {
            Facts r = new Facts(i).server("198.18.2.2", 8003).client("198.18.1.2");
            r.quiet = new QuietFacts(20, false, 40 * MS, true, 2960 * MS, false, -1, 0, 0, 2960 * MS);
            findings.add(r.build(), verdict(TerminationClass.RST_AFTER_CLOSE, By.SERVER, Tag.KEEPALIVE_RACE));
        }
        Finding timer = of(FindingKind.IDLE_TIMEOUT_SETTING).get(0);
        assertEquals(5, timer.count(), "the crossed closes are measured from the server's last data: 3.00 s too");
        Finding race = of(FindingKind.KEEPALIVE_RACE).get(0);
        assertEquals(2, race.count());
        assertEquals(List.of(4L, 5L), race.streams());
        assertEquals(new Endpoint("198.18.2.2", 8003), race.endpoint());
        assertEquals(3.0, race.seconds());
        assertEquals(7.1, race.more().get("clientSeconds"));
        assertTrue(race.title().contains("while 198.18.1.2 keeps them longer for reuse (used one again after 7.10 s idle)"),
                race.title());
        assertTrue(race.fix().startsWith("The server's keep-alive timeout must be longer than the client's"), race.fix());
    }

    @Test
    void forgedRstsAreGroupedByTheDevicesFingerprint() {
        for (int i = 0; i < 3; i++) {
            Facts f = new Facts(i).server("203.0.113." + (i + 1), 443).forgedRst(59, 0, 0);
            f.serverTtl = 52;
            findings.add(f.build(), verdict(TerminationClass.MIDDLEBOX_RST, By.MIDDLEBOX));
        }
        for (int i = 3; i < 5; i++) {
            findings.add(new Facts(i).forgedRst(250, 4321, 8192).build(), verdict(TerminationClass.MIDDLEBOX_RST,
                    By.MIDDLEBOX));
        }
        List<Finding> devices = of(FindingKind.INJECTED_RST);
        assertEquals(2, devices.size());
        Finding far = devices.get(0);
        assertEquals(3, far.count());
        assertEquals(59, far.more().get("ttl"));
        assertEquals(5, far.more().get("hops"));
        assertEquals("zero", far.more().get("ipId"));
        assertEquals(3, far.more().get("servers"));
        assertNull(far.endpoint(), "three servers");
        assertEquals(52, far.more().get("claimedTtl"));
        Finding near = devices.get(1);
        assertEquals(2, near.count());
        assertEquals(5, near.more().get("hops"), "255 - 250");
        assertEquals(new Endpoint("198.18.1.2", 80), near.endpoint());
    }

    @Test
    void silentDropsAfterQuietBracketThePathsTimeout() {
        for (int i = 0; i < 4; i++) {
            Facts f = new Facts(i);
            f.clientUnanswered = 5;
            f.serverLastFrame = 9;
            f.quiet = new QuietFacts(0, false, -1, false, -1, false, (400 + i * 10) * S, 9, 10, -1);
            findings.add(f.build(), verdict(TerminationClass.MIDDLEBOX_DROP, By.MIDDLEBOX));
        }
        Facts passed = new Facts(10);
        passed.longestIdle = 300 * S;
        findings.add(passed.build(), verdict(FIN_ORDERLY, By.CLIENT));
        Finding f = of(FindingKind.BLACKHOLE).get(0);
        assertEquals(4, f.count());
        assertEquals("middlebox", f.side());
        assertEquals(400.0, f.seconds());
        assertEquals(300.0, f.more().get("survivedSeconds"));
        assertEquals("AWS Network Load Balancer TCP idle timeout", f.matches().get(0).name());
        assertTrue(f.title().startsWith("Connections to 198.18.1.2:80 from 198.18.0.2 were silently dropped after an"
                + " idle time of 400 s or more, while idle times up to 300 s passed"), f.title());
    }

    /** Four forged RSTs after 1.3 to 1.6 s of quiet on the path to 198.18.1.2:80. */
    private static void resetsAfterQuiet(Findings into) {
        for (int i = 0; i < 4; i++) {
            Facts f = new Facts(i).forgedRst(63, 1, 0);
            f.quiet = new QuietFacts(30, false, -1, false, -1, false, (1300 + 100 * i) * MS, 20, 30, -1);
            into.add(f.build(), verdict(IDLE_TIMEOUT, By.MIDDLEBOX));
        }
    }

    @Test
    void aMiddleboxTimerThatConnectionsOutlivedIsNone() {
        Findings alone = new Findings(TimerDefaultsTest.FIXTURE);
        resetsAfterQuiet(alone);
        List<Finding> timers = alone.finish().stream().filter(x -> x.kind() == FindingKind.IDLE_TIMEOUT_SETTING).toList();
        assertEquals(1, timers.size(), "alone, a timer");
        assertEquals("middlebox", timers.get(0).side());
        assertEquals("A device on the path to 198.18.1.2:80 resets connections idle for 1.30 s (1.30 s to 1.60 s)",
                timers.get(0).title());
        resetsAfterQuiet(findings);
        Facts passed = new Facts(10);
        passed.longestIdle = 5 * S;
        findings.add(passed.build(), verdict(FIN_ORDERLY, By.CLIENT));
        assertTrue(of(FindingKind.IDLE_TIMEOUT_SETTING).isEmpty(), "a connection came through 5 s of quiet");
        assertEquals(4, of(FindingKind.INJECTED_RST).get(0).count(), "the RSTs are still one device's");
    }

    @Test
    void aHostRefusingOnManyPortsIsOneFindingAPortRefusingIsAnother() {
        for (int i = 0; i < 8; i++) {
            findings.add(new Facts(i).server("198.18.1.9", 1000 + i).build(), verdict(TerminationClass.REFUSED, By.SERVER));
        }
        for (int i = 8; i < 11; i++) {
            findings.add(new Facts(i).server("198.18.1.2", 8080).build(), verdict(TerminationClass.REFUSED, By.MIDDLEBOX));
        }
        List<Finding> refused = of(FindingKind.REFUSED_SERVICE);
        assertEquals(2, refused.size());
        assertEquals(new Endpoint("198.18.1.9", 0), refused.get(0).endpoint());
        assertEquals(8, refused.get(0).count());
        assertEquals(8, refused.get(0).more().get("ports"));
        assertEquals(new Endpoint("198.18.1.2", 8080), refused.get(1).endpoint());
        assertEquals("middlebox", refused.get(1).side());
        assertTrue(refused.get(1).title().endsWith("RSTs that the host did not send (a firewall rejecting)"));
    }

    @Test
    void unansweredAndRetriedHandshakesGatherByDestinationCopiesAreNoRetries() {
        findings.add(new Facts(0).build(), verdict(TerminationClass.HANDSHAKE_TIMEOUT, By.UNKNOWN));
        findings.add(new Facts(1).build(), verdict(TerminationClass.HANDSHAKE_TIMEOUT, By.UNKNOWN));
        Facts late = new Facts(2);
        late.clientSyns = 3;
        late.lastSyn = 3 * S;
        findings.add(late.build(), verdict(FIN_ORDERLY, By.CLIENT));
        Facts copy = new Facts(3);
        copy.clientSyns = 2;
        copy.lastSyn = 1000;
        findings.add(copy.build(), verdict(FIN_ORDERLY, By.CLIENT));
        Finding f = of(FindingKind.HANDSHAKE_FAILURES).get(0);
        assertEquals(3, f.count());
        assertEquals(2L, f.more().get("unanswered"));
        assertEquals(1L, f.more().get("delayed"));
        assertEquals(3.0, f.seconds());
        assertEquals("198.18.1.2:80: 2 connection attempts never answered, 1 connected only after SYN retries (up to"
                + " 3.00 s late)", f.title());
    }

    @Test
    void stallsAndBurstsGatherByTheirHost() {
        for (int i = 0; i < 2; i++) {
            findings.add(new Facts(i).build(), verdict(TerminationClass.ZERO_WINDOW_STALL, By.SERVER));
        }
        findings.burst("198.18.1.2", new long[] {7, 5, 6});
        findings.burst("198.18.1.2", new long[] {20, 21, 22, 23});
        Finding stall = of(FindingKind.ZERO_WINDOW_RECEIVER).get(0);
        assertEquals(2, stall.count());
        assertEquals("server", stall.side());
        Finding burst = of(FindingKind.HOST_BURST).get(0);
        assertEquals(7, burst.count());
        assertEquals(List.of(5L, 6L, 7L, 20L, 21L, 22L, 23L), burst.streams());
        assertEquals(2L, burst.more().get("bursts"));
        assertEquals(4, burst.more().get("largest"));
    }

    @Test
    void findingsAreRankedByTheConnectionsTheyExplain() {
        for (int i = 0; i < 3; i++) {
            findings.add(new Facts(i).server("198.18.1.3", 22).build(), verdict(TerminationClass.REFUSED, By.SERVER));
        }
        for (int i = 3; i < 8; i++) {
            findings.add(Facts.serverClosedAfter(i, 60 * S).build(), verdict(IDLE_TIMEOUT, By.SERVER));
        }
        List<Finding> all = findings.finish();
        assertEquals(List.of(FindingKind.IDLE_TIMEOUT_SETTING, FindingKind.REFUSED_SERVICE),
                all.stream().map(Finding::kind).toList());
    }

    @Test
    void memoryIsBoundedWhateverTheCaptureAndCountsStayExact() {
        // a hundred thousand servers that each closed one connection: no finding, bounded tables
        for (int i = 0; i < 100_000; i++) {
            findings.add(Facts.serverClosedAfter(i, 10 * S).server("10." + (i >> 16) + "." + ((i >> 8) & 255) + "."
                    + (i & 255), 80).build(), verdict(IDLE_TIMEOUT, By.SERVER));
        }
        // then one whose timer shows: it still finds room
        for (int i = 0; i < 4; i++) {
            findings.add(Facts.serverClosedAfter(200_000 + i, 20 * S).build(), verdict(IDLE_TIMEOUT, By.SERVER));
        }
        // and one port refusing five thousand connections: all counted, a thousand listed
        for (int i = 0; i < 5000; i++) {
            findings.add(new Facts(300_000 + i).server("198.18.1.4", 25).build(),
                    verdict(TerminationClass.REFUSED, By.SERVER));
        }
        List<Finding> all = findings.finish();
        Finding refused = all.get(0);
        assertEquals(FindingKind.REFUSED_SERVICE, refused.kind());
        assertEquals(5000, refused.count());
        assertEquals(Finding.MAX_STREAMS, refused.streams().size());
        assertEquals(300_000L, refused.streams().get(0));
        Finding timer = all.get(1);
        assertEquals(FindingKind.IDLE_TIMEOUT_SETTING, timer.kind());
        assertEquals(4, timer.count());
        assertEquals(20.0, timer.seconds());
        assertEquals(List.of(200_000L, 200_001L, 200_002L, 200_003L), timer.streams(),
                "the one-off servers dropped gave back the streams they held");
    }
}
