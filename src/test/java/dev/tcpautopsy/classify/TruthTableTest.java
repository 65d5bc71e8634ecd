package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.HostContext;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.tcpautopsy.classify.Ladder.CLIENT_IP;
import static dev.tcpautopsy.classify.Ladder.SERVER_IP;
import static dev.tcpautopsy.model.TerminationClass.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier as a truth table, without captures: hand-built facts (a ladder diagram a case) for
 * every class of the contract and every precedence conflict between classes, each case named for its
 * scenario, with the expected class, {@code by} and tags. Captures are at the client unless a case says
 * otherwise: the client's packets carry TTL 64, the server's 63 (one router between).
 */
class TruthTableTest {

    /** A client-side capture after one request/response: client 64, server 63 in other flows too. */
    static final HostContext CLIENT_HOST = hosts(Map.of(CLIENT_IP, 64, SERVER_IP, 63));

    static HostContext hosts(Map<String, Integer> baselines) {
        Map<String, Long> samples = new java.util.HashMap<>();
        baselines.keySet().forEach(ip -> samples.put(ip, 10L));
        return hosts(baselines, samples);
    }

    /** Baselines backed by the given numbers of packets. */
    static HostContext hosts(Map<String, Integer> baselines, Map<String, Long> samples) {
        return new HostContext() {
            @Override
            public int ttlBaseline(String ip) {
                return baselines.getOrDefault(ip, -1);
            }

            @Override
            public long ttlSamples(String ip) {
                return samples.getOrDefault(ip, 0L);
            }

            @Override
            public boolean isLocal(String ip) {
                int t = ttlBaseline(ip);
                return t == 64 || t == 128 || t == 255;
            }

            @Override
            public String vantage() {
                return "test";
            }
        };
    }

    static Termination classify(Ladder l, HostContext hosts, double idleSeconds) {
        return new TerminationClassifier(Duration.ofNanos(Ladder.nanos(idleSeconds))).classify(l.build(), hosts);
    }

    static Termination classify(Ladder l) {
        return classify(l, CLIENT_HOST, 30);
    }

    static void expect(Termination t, TerminationClass cls, String by, Tag... tags) {
        String got = t.cls() + "/" + t.by().wire() + " " + t.tags() + ": " + t.reason();
        assertEquals(cls, t.cls(), got);
        assertEquals(by, t.by().wire(), got);
        Set<Tag> want = tags.length == 0 ? EnumSet.noneOf(Tag.class) : EnumSet.of(tags[0], tags);
        assertTrue(t.tags().containsAll(want), "missing tags " + want + " in " + got);
        assertFalse(t.reason().isBlank());
        assertEquals("tcp.stream eq 0", t.filter());
        assertFalse(t.evidence().isEmpty(), "no evidence: " + got);
        for (Evidence e : t.evidence()) {
            assertTrue(e.frame() > 0 && !e.note().isBlank(), "evidence " + e);
        }
    }

    static void noTag(Termination t, Tag tag) {
        assertFalse(t.tags().contains(tag), tag + " should not be in " + t.tags() + ": " + t.reason());
    }

    /** SYN, SYN-ACK, ACK, a 100-byte request, a 500-byte response, both acked: a working flow at t = 0.1 s. */
    static Ladder exchange() {
        return exchange(new Ladder());
    }

    static Ladder exchange(Ladder l) {
        return l.at(0).c("S").at(0.010).s("SA").at(0.020).c("A")
                .at(0.030).c("PA", 100).at(0.040).s("A").at(0.050).s("PA", 500).at(0.060).c("A");
    }

    /** Both close with FIN, client first, everything acknowledged, from {@code t}. */
    static Ladder clientCloses(Ladder l, double t) {
        return l.at(t).c("FA").at(t + 0.01).s("FA").at(t + 0.02).c("A");
    }

    @Nested
    class Refused {
        @Test
        void synAnsweredByRstFromTheServer() {
            Termination t = classify(new Ladder().at(0).c("S").at(0.01).s("RA"));
            expect(t, REFUSED, "server");
            assertEquals("ECONNREFUSED", t.appView().client());
        }

        @Test
        void finNullAndXmasProbesAnsweredByRstAreRefused() {
            // a scanner's probes carry neither SYN nor ACK; a closed port answers with RST, a listening one drops them
            for (String probe : new String[] {"F", "", "FPU"}) {
                Termination t = classify(new Ladder().midstream().at(0).c(probe).at(0.01).s("RA"));
                expect(t, REFUSED, "server");
                assertEquals("none", t.appView().client(), "a scanner has no socket");
                assertTrue(t.reason().contains("probe"), t.reason());
            }
        }

        @Test
        void rstWithTheRoutersTtlIsAMiddleboxReject() {
            // conflict REFUSED vs MIDDLEBOX_RST: refused wins, by middlebox
            expect(classify(new Ladder().at(0).c("S").at(0.01).ttl(64).s("RA")), REFUSED, "middlebox");
        }

        @Test
        void refusedAfterSynRetransmissions() {
            // conflict REFUSED vs HANDSHAKE_TIMEOUT: the SYN was retransmitted, then answered by RST
            expect(classify(new Ladder().at(0).c("S").at(1).retx().c("S").at(1.01).s("RA")), REFUSED, "server");
        }

        @Test
        void noBaselineForTheServerMeansServer() {
            Termination t = classify(new Ladder().at(0).c("S").at(0.01).ttl(64).s("RA"), HostContext.NONE, 30);
            expect(t, REFUSED, "server");
        }
    }

    @Nested
    class HandshakeTimeout {
        static Ladder synRetried() {
            return new Ladder().at(0).c("S").at(1).retx().c("S").at(2).retx().c("S").at(4).retx().c("S").captureEnd(8);
        }

        @Test
        void synRetransmittedUnansweredSeenFromTheClient() {
            Termination t = classify(synRetried());
            expect(t, HANDSHAKE_TIMEOUT, "unknown");
            assertEquals("ETIMEDOUT", t.appView().client());
        }

        @Test
        void synRetransmittedUnansweredOnTheServerHost() {
            // the server's own packets elsewhere carry 64: the capture is on it, the SYNs reached it
            HostContext onServer = hosts(Map.of(CLIENT_IP, 63, SERVER_IP, 64));
            expect(classify(synRetried().ttls(63, 64), onServer, 30), HANDSHAKE_TIMEOUT, "server");
        }

        @Test
        void singleSynRightBeforeTheCaptureEndIsOpen() {
            expect(classify(new Ladder().at(0).c("S").captureEnd(0.3)), OPEN_AT_END, "unknown");
        }

        @Test
        void singleSynLongBeforeTheCaptureEndTimedOut() {
            expect(classify(new Ladder().at(0).c("S").captureEnd(20)), HANDSHAKE_TIMEOUT, "unknown");
        }

        @Test
        void aSynSeenTwiceOneMillisecondApartIsNotARetransmission() {
            expect(classify(new Ladder().at(0).c("S").at(0.001).retx().c("S").captureEnd(0.5)), OPEN_AT_END, "unknown");
        }

        @Test
        void synAckRetransmittedAndTheClientsAcksLost() {
            Ladder l = new Ladder().at(0).c("S").at(0.01).s("SA").at(0.02).c("A")
                    .at(1.01).retx().s("SA").at(1.02).c("A").at(3.01).retx().s("SA").at(3.02).c("A").captureEnd(9);
            Termination t = classify(l);
            expect(t, HANDSHAKE_TIMEOUT, "unknown");
            assertEquals("none", t.appView().client(), "the client believes it is connected");
        }

        @Test
        void synAckRetransmittedSeenFromTheServerHost() {
            // server capture: one SYN, three SYN-ACKs, nothing else from the client; the client sent no second
            // SYN, so it had a SYN-ACK and believes it is connected: its ACKs were lost in the path
            HostContext onServer = hosts(Map.of(CLIENT_IP, 63, SERVER_IP, 64));
            Ladder l = new Ladder().ttls(63, 64).at(0).c("S").at(0.001).s("SA").at(1.001).retx().s("SA")
                    .at(3.001).retx().s("SA").captureEnd(9);
            Termination t = classify(l, onServer, 30);
            expect(t, HANDSHAKE_TIMEOUT, "unknown", Tag.RETRANSMISSION_BACKOFF);
            assertEquals("none", t.appView().client());
        }

        @Test
        void synAckNeverAckedOnTheClientHost() {
            Ladder l = new Ladder().at(0).c("S").at(0.01).s("SA").at(1.01).retx().s("SA").at(3.01).retx().s("SA")
                    .captureEnd(9);
            expect(classify(l), HANDSHAKE_TIMEOUT, "client");
        }

        @Test
        void synRetriesThenTheClientAborts() {
            // conflict HANDSHAKE_TIMEOUT vs RST_ABORT (Zeek's RSTOS0)
            expect(classify(new Ladder().at(0).c("S").at(1).retx().c("S").at(1.5).c("R")), HANDSHAKE_TIMEOUT, "unknown");
        }

        @Test
        void singleSynThenClientRstIsAnAbort() {
            expect(classify(new Ladder().at(0).c("S").at(0.2).c("R")), RST_ABORT, "client");
        }
    }

    @Nested
    class IdleTimeout {
        @Test
        void keepAlivesDoNotResetTheApplicationsIdleTimer() {
            // keep-alives every 10 s, each answered: no idle gap reaches 30 s, but no data moved for 65 s
            Ladder l = exchange();
            for (int k = 1; k <= 6; k++) {
                l.at(10 * k).probe(0).at(10 * k + 0.01).s("A");
            }
            Termination t = classify(clientClosesAfterServer(l, 65.06));
            expect(t, IDLE_TIMEOUT, "server");
            assertTrue(t.reason().contains("no data either way for 65.0 s"), t.reason());
        }

        @Test
        void aMiddleboxExpiryIsJudgedOnTheIdleGapProper() {
            // keep-alives refresh a firewall's state: data dropped after them is no idle expiry
            Ladder l = exchange();
            for (int k = 1; k <= 6; k++) {
                l.at(10 * k).probe(0).at(10 * k + 0.01).s("A");
            }
            Termination t = classify(MiddleboxDrop.retransmittingFrom(l, 65));
            expect(t, MIDDLEBOX_DROP, "middlebox");
        }

        @Test
        void idleThenTheServerClosesWithFin() {
            Termination t = classify(clientClosesAfterServer(exchange(), 40.06));
            expect(t, IDLE_TIMEOUT, "server");
            assertTrue(t.reason().contains("40.0 s"), t.reason());
            assertEquals("EOF", t.appView().client());
        }

        @Test
        void idleThenTheClientResets() {
            expect(classify(exchange().at(35).c("RA")), IDLE_TIMEOUT, "client");
        }

        @Test
        void idleGapThenRstFromAForgedTtl() {
            // conflict IDLE_TIMEOUT vs MIDDLEBOX_RST: idle wins, by middlebox
            Termination t = classify(exchange().at(35).ttl(64).s("RA"));
            expect(t, IDLE_TIMEOUT, "middlebox");
            assertEquals("ECONNRESET", t.appView().client());
        }

        @Test
        void idleThenAGoodbyeMessageAndFin() {
            Ladder l = exchange().at(60).s("PA", 80).at(60.001).s("FA").at(60.01).c("A").at(60.02).c("FA").at(60.03).s("A");
            expect(classify(l), IDLE_TIMEOUT, "server");
        }

        @Test
        void aGoodbyeTheClientAnswersAtOnceByClosingIsStillTheServersTimeout() {
            // an FTP server's "421 Timeout" after 65 s; the client closes 0.3 ms later, then the server
            Ladder l = exchange().at(65).s("PA", 23).goodbye("ftp", "421 Timeout.", true).at(65.0003).c("FA")
                    .at(65.17).s("FA").at(65.1701).c("A");
            Termination t = classify(l);
            expect(t, IDLE_TIMEOUT, "server", Tag.APP_REJECTED);
            assertTrue(t.reason().contains("answered at once by closing") && t.reason().contains("\"421 Timeout.\""),
                    t.reason());
            assertFalse(t.reason().contains("in answer to"), "it answered no request: " + t.reason());
        }

        @Test
        void theLastPartOfAResponseTheClientClosesAfterIsNoGoodbye() {
            // a long poll: the response ends after 65 s (an FTP 226 after a long transfer, a container's exit
            // status), the client closes at once, then the server: the client ended it, nobody's timer
            Ladder l = exchange().at(65).s("PA", 23).response("ftp", "226 Transfer complete.").at(65.0003).c("FA")
                    .at(65.17).s("FA").at(65.1701).c("A");
            expect(classify(l), FIN_ORDERLY, "client");
        }

        @Test
        void withoutTheWordsAClientClosingAtOnceAfterAMessageEndsItItself() {
            // the same ladder with the payload unread: the wire alone cannot tell a goodbye from a response's end
            Ladder l = exchange().at(65).s("PA", 23).at(65.0003).c("FA").at(65.17).s("FA").at(65.1701).c("A");
            expect(classify(l), FIN_ORDERLY, "client");
        }

        @Test
        void aMessageThePeerClosedOnLongAfterIsNoGoodbye() {
            // the client's request after 40 s goes unanswered; 15 s later the server closes first, then the client
            Ladder l = exchange().at(40).c("PA", 12).at(40.1).s("A").at(55).s("FA").at(55.01).c("FA").at(55.02).s("A");
            Termination t = classify(l);
            assertFalse(t.cls() == IDLE_TIMEOUT && t.by().wire().equals("client"), t.reason());
        }

        @Test
        void idleThenTheRequestIsDroppedWithBackoff() {
            // conflict IDLE_TIMEOUT vs MIDDLEBOX_DROP: the state was forgotten during the gap
            Ladder l = exchange().at(40).c("PA", 50).at(40.2).retx().c("PA", 50).at(40.6).retx().c("PA", 50)
                    .at(41.4).retx().c("PA", 50).at(43).retx().c("PA", 50).captureEnd(50);
            Termination t = classify(l);
            expect(t, IDLE_TIMEOUT, "middlebox", Tag.RETRANSMISSION_BACKOFF);
            assertEquals("ETIMEDOUT", t.appView().client());
        }

        @Test
        void idleThenKeepAlivesUnansweredAndTheClientGivesUp() {
            Ladder l = exchange().at(45).probe(0).at(46).probe(0).at(47).probe(0).at(48).c("RA");
            expect(classify(l), IDLE_TIMEOUT, "middlebox", Tag.KEEPALIVE_UNANSWERED);
        }

        @Test
        void idleThenTheRequestAnsweredByTheServersOwnRst() {
            // the server forgot the connection: a bare RST at the data's ack, with the server's own TTL
            Ladder l = exchange().at(40).c("PA", 50);
            l.at(40.01).seq(501).s("R");
            expect(classify(l), IDLE_TIMEOUT, "server");
        }

        @Test
        void idleThenTheRequestAnsweredByAForgedRst() {
            Ladder l = exchange().at(40).c("PA", 50);
            l.at(40.001).seq(501).ttl(64).s("R");
            expect(classify(l), IDLE_TIMEOUT, "middlebox");
        }

        @Test
        void idleThenFinThenAWriteAfterClose() {
            // conflict IDLE_TIMEOUT vs RST_AFTER_CLOSE: the server's idle timeout closed it; the client's late
            // request then hit the closed socket
            Ladder l = exchange().at(40).s("FA").at(40.01).c("A").at(41).c("PA", 40);
            l.at(41.001).seq(502).s("R");
            expect(classify(l), IDLE_TIMEOUT, "server");
        }

        @Test
        void aGapBelowTheThresholdIsNotIdle() {
            expect(classify(clientCloses(exchange(), 10)), FIN_ORDERLY, "client");
        }

        @Test
        void theThresholdIsTheCallersChoice() {
            expect(classify(clientCloses(exchange(new Ladder().idle(5)), 10), CLIENT_HOST, 5), IDLE_TIMEOUT, "client");
        }

        @Test
        void activityAfterTheGapMeansTheGapDidNotEndIt() {
            Ladder l = exchange().at(40).c("PA", 100).at(40.01).s("PA", 200).at(40.02).c("A");
            expect(classify(clientCloses(l, 40.1)), FIN_ORDERLY, "client");
        }

        @Test
        void aZeroWindowStallIsNeverIdle() {
            // conflict IDLE_TIMEOUT vs ZERO_WINDOW_STALL: 40 s without segments, but the server's window was zero
            Ladder l = exchange().at(0.07).c("PA", 1000).at(0.08).win(0).s("A")
                    .at(40).probe(0).at(40.01).win(0).s("A").at(41).c("RA");
            expect(classify(l), ZERO_WINDOW_STALL, "server");
        }

        private static Ladder clientClosesAfterServer(Ladder l, double t) {
            return l.at(t).s("FA").at(t + 0.01).c("FA").at(t + 0.02).s("A");
        }
    }

    @Nested
    class MiddleboxRst {
        @Test
        void rstWhoseTtlIsNotTheServers() {
            Termination t = classify(exchange().at(0.5).ttl(64).s("RA"));
            expect(t, MIDDLEBOX_RST, "middlebox");
            assertTrue(t.reason().contains("64") && t.reason().contains("63"), t.reason());
            assertEquals("ECONNRESET", t.appView().client());
        }

        @Test
        void rstsTowardsBothEndsWithinOneRttFromTheRouter() {
            // at the router both ends' packets carry 63 and so do the forged RSTs: only the timing tells
            Ladder l = exchange(new Ladder().ttls(63, 63)).at(0.3).s("RA").at(0.30005).c("RA");
            HostContext router = hosts(Map.of(CLIENT_IP, 63, SERVER_IP, 63));
            Termination t = classify(l, router, 30);
            expect(t, MIDDLEBOX_RST, "middlebox");
            assertEquals("ECONNRESET", t.appView().client());
            assertEquals("ECONNRESET", t.appView().server());
        }

        @Test
        void aClosedSocketAnsweringWithinOneRttIsNoForgedPair() {
            // the client sent data and FIN; the server aborts, its data in flight reaches the client's closed
            // socket, which answers with a bare RST a few ms later: two genuine RSTs, not an injection
            Ladder l = exchange(new Ladder().ttls(63, 63)).at(1).c("PA", 24).at(1.0001).c("FA").at(1.01).ack(101)
                    .s("PA", 24).at(1.0101).ack(101).s("FA").at(1.0102).seq(525).s("R");
            l.at(1.0150).seq(101).c("R");
            Termination t = classify(l, hosts(Map.of()), 30);
            assertFalse(t.cls() == MIDDLEBOX_RST, t.reason());
            expect(t, RST_AFTER_CLOSE, "server");
        }

        @Test
        void rstsBothWaysSecondsApartAreTwoAborts() {
            Ladder l = exchange(new Ladder().ttls(63, 63)).at(0.3).s("RA").at(3).c("RA");
            expect(classify(l, hosts(Map.of()), 30), RST_ABORT, "server");
        }

        @Test
        void rstTtlAgainstTheHostsOtherFlows() {
            // the claimed sender sent nothing else in this flow: judge by its baseline elsewhere
            Ladder l = new Ladder().midstream().at(0).c("PA", 100).at(0.05).ttl(64).s("R");
            expect(classify(l), MIDDLEBOX_RST, "middlebox", Tag.MIDSTREAM);
        }

        @Test
        void aHostWhoseTtlVariesProvesNothing() {
            // the server's own packets carry 63, 60 and 58: a RST with 50 is no proof of forgery
            Ladder l = new Ladder().at(0).c("S").at(0.01).ttl(63).s("SA").at(0.02).c("A").at(0.03).c("PA", 100)
                    .at(0.04).ttl(60).s("A").at(0.05).ttl(58).s("PA", 500).at(0.06).c("A").at(0.3).ttl(50).s("RA");
            assertFalse(classify(l, hosts(Map.of()), 30).cls() == MIDDLEBOX_RST);
        }

        @Test
        void aHostWithoutASteadyTtlElsewhereHasNoBaseline() {
            // HostContext answers -1 for such a host: the RST of a flow where it sent nothing else proves nothing
            Ladder loneRst = new Ladder().midstream().at(0).c("PA", 100).at(0.05).ttl(64).s("R");
            assertFalse(classify(loneRst, hosts(Map.of(CLIENT_IP, 64)), 30).cls() == MIDDLEBOX_RST);
        }

        @Test
        void rstsBothWaysSeenNextToAnEndAreNoForgedPair() {
            // the client's packets arrive with TTL 64: the capture is next to it, not in the path, where only
            // a device between the two would be seen sending both ways
            Ladder l = exchange(new Ladder().ttls(64, 63)).at(0.3).s("RA").at(0.30005).c("RA");
            assertFalse(classify(l, hosts(Map.of()), 30).cls() == MIDDLEBOX_RST);
        }

        @Test
        void ipIdZeroIsNoEvidence() {
            // Linux's own bare RSTs carry IP ID 0: same TTL, so the server's own abort
            expect(classify(exchange().at(0.3).s("RA")), RST_ABORT, "server");
        }

        @Test
        void theClaimedSenderKeepsSendingAfterItsRst() {
            Ladder l = exchange().at(0.3).ttl(64).s("RA").at(0.35).s("PA", 200);
            expect(classify(l), MIDDLEBOX_RST, "middlebox", Tag.DATA_AFTER_RST);
        }

        @Test
        void forgedRstBeatsWriteAfterClose() {
            // conflict MIDDLEBOX_RST vs RST_AFTER_CLOSE: the late data is answered by a RST with another TTL
            Ladder l = exchange().at(0.1).s("FA").at(0.11).c("A").at(0.2).c("PA", 41);
            l.at(0.201).seq(502).ttl(64).s("R");
            expect(classify(l), MIDDLEBOX_RST, "middlebox");
        }

        @Test
        void forgedRstBeatsUnreadData() {
            // conflict MIDDLEBOX_RST vs RST_UNREAD_DATA: the client's second request is unread, but the RST is forged
            Ladder l = exchange().at(0.2).c("PA", 100).at(0.21).ttl(64).s("RA");
            expect(classify(l), MIDDLEBOX_RST, "middlebox");
        }
    }

    @Nested
    class MiddleboxDrop {
        static Ladder retransmitting(Ladder l) {
            return retransmittingFrom(l, 0);
        }

        /** The client's request at {@code t} + 1 s, retransmitted with backoff and never answered. */
        static Ladder retransmittingFrom(Ladder l, double t) {
            return l.at(t + 1).c("PA", 50).at(t + 1.21).retx().c("PA", 50).at(t + 1.42).retx().c("PA", 50)
                    .at(t + 1.86).retx().c("PA", 50).at(t + 2.69).retx().c("PA", 50).at(t + 4.35).retx().c("PA", 50)
                    .captureEnd(t + 12);
        }

        @Test
        void aSilentPeerOnTheCapturesOwnLinkIsTheOneThatFellSilent() {
            // the server's packets arrive with TTL 64: no router between it and the capture point to drop anything
            Termination t = classify(retransmitting(exchange(new Ladder().ttls(63, 64))), hosts(Map.of()), 30);
            expect(t, MIDDLEBOX_DROP, "server");
            assertTrue(t.reason().contains("TTL 64, unreduced"), t.reason());
        }

        @Test
        void retransmissionsUnansweredAfterTheFlowWorked() {
            Termination t = classify(retransmitting(exchange()));
            expect(t, MIDDLEBOX_DROP, "middlebox", Tag.RETRANSMISSION_BACKOFF);
            assertEquals("ETIMEDOUT", t.appView().client());
            assertEquals("none", t.appView().server());
        }

        @Test
        void aFlowHandedOnEarlyIsJudgedAlikeAndItsSilenceIsALowerBound() {
            // handed on after minutes of silence while the client waited: the same verdict as at the end of
            // the capture, but the silence went on for as long as nobody knows
            Ladder early = retransmitting(exchange()).handedEarlyAt(400);
            Termination t = classify(early);
            expect(t, MIDDLEBOX_DROP, "middlebox", Tag.RETRANSMISSION_BACKOFF);
            assertTrue(t.reason().contains("fell silent for 396 s or more (it gave up)"), t.reason());
            Termination atEnd = classify(retransmitting(exchange()).captureEnd(400));
            assertTrue(atEnd.reason().contains("fell silent for 396 s (it gave up)"), atEnd.reason());
        }

        @Test
        void keepAlivesUnansweredThenTheKernelResets() {
            // conflict MIDDLEBOX_DROP vs RST_ABORT: Linux sends a RST when keep-alive probes run out
            Ladder l = exchange().at(2).probe(0).at(3).probe(0).at(4).probe(0).at(5).c("RA");
            expect(classify(l), MIDDLEBOX_DROP, "middlebox", Tag.KEEPALIVE_UNANSWERED);
        }

        @Test
        void aRetransmissionCapturedTwiceCountsOnce() {
            // each retransmission seen twice, 1 ms apart (two capture interfaces): two sends, not four
            Ladder l = exchange().at(1).c("PA", 50).at(1.3).retx().c("PA", 50).at(1.301).retx().c("PA", 50)
                    .at(1.9).retx().c("PA", 50).at(1.901).retx().c("PA", 50).captureEnd(2);
            Termination t = classify(l);
            expect(t, MIDDLEBOX_DROP, "middlebox", Tag.RETRANSMISSION_BACKOFF);
            assertTrue(t.reason().contains("retransmitted twice"), t.reason());
        }

        @Test
        void aFinRetransmittedUnansweredIsADropNotAHalfClose() {
            // conflict MIDDLEBOX_DROP vs OPEN_AT_END (half-closed): the client's FIN never got through
            Ladder l = exchange().at(1).c("FA").at(1.3).retx().c("FA").at(1.9).retx().c("FA").at(3.1).retx().c("FA")
                    .captureEnd(5);
            expect(classify(l), MIDDLEBOX_DROP, "middlebox", Tag.RETRANSMISSION_BACKOFF);
        }

        @Test
        void oneRetransmissionThenTheCaptureEnds() {
            Ladder l = exchange().at(1).c("PA", 50).at(1.3).retx().c("PA", 50).captureEnd(1.4);
            expect(classify(l), OPEN_AT_END, "unknown");
        }

        @Test
        void probesWithinTheAnswerRateLimitAreNoEvidence() {
            // answered at 1.0; two more probes 0.2 and 0.4 s later go unanswered: Linux's 500 ms rate limit
            Ladder l = exchange().at(1).probe(0).at(1.001).s("A").at(1.2).probe(0).at(1.4).probe(0).captureEnd(1.45);
            Termination t = classify(l);
            expect(t, OPEN_AT_END, "unknown");
            noTag(t, Tag.KEEPALIVE_UNANSWERED);
        }

        @Test
        void probesBeyondTheRateLimitAreEvidence() {
            Ladder l = exchange().at(1).probe(0).at(1.001).s("A").at(1.6).probe(0).at(2.2).probe(0).captureEnd(2.3);
            expect(classify(l), MIDDLEBOX_DROP, "middlebox", Tag.KEEPALIVE_UNANSWERED);
        }

        @Test
        void zeroWindowAcksAnswerTheRetransmissions() {
            // conflict MIDDLEBOX_DROP vs ZERO_WINDOW_STALL: every probe gets a zero-window ACK back
            Ladder l = exchange().at(0.07).c("PA", 1000).at(0.08).win(0).s("A");
            for (double t = 0.3, g = 0.2; t < 5; g *= 2, t += g) {
                l.at(t).probe(0).at(t + 0.001).win(0).s("A");
            }
            expect(classify(l.captureEnd(6)), ZERO_WINDOW_STALL, "server");
        }

        @Test
        void aFlowThatNeverWorkedIsNotADrop() {
            // the handshake completed, the first request was never acknowledged
            Ladder l = new Ladder().at(0).c("S").at(0.01).s("SA").at(0.02).c("A");
            l = retransmitting(l);
            Termination t = classify(l);
            expect(t, UNCLASSIFIED, "unknown");
            assertTrue(t.reason().contains("never worked"), t.reason());
        }

        @Test
        void thePeerResettingIsNotADrop() {
            Ladder l = retransmitting(exchange()).at(5).ack(101).s("RA");
            expect(classify(l), RST_ABORT, "server");
        }
    }

    @Nested
    class ZeroWindowStall {
        static Ladder stalled() {
            Ladder l = exchange().at(0.07).c("PA", 1000).at(0.08).win(0).s("A");
            double t = 0.3;
            for (double g = 0.2; t < 3; g *= 2, t += g) {
                l.at(t).probe(0).at(t + 0.001).win(0).s("A");
            }
            return l;
        }

        @Test
        void theProberGivesUpWithRst() {
            // conflict ZERO_WINDOW_STALL vs RST_ABORT: by the side whose window was zero, not the one that reset
            Termination t = classify(stalled().at(4).c("RA"));
            expect(t, ZERO_WINDOW_STALL, "server");
            assertEquals("ECONNRESET", t.appView().server());
        }

        @Test
        void theStalledReceiverClosesWithTheDataUnread() {
            // conflict ZERO_WINDOW_STALL vs RST_UNREAD_DATA; the RST's own window (2856) is no advertisement
            Termination t = classify(stalled().at(4).win(2856).s("RA"));
            expect(t, ZERO_WINDOW_STALL, "server");
        }

        @Test
        void theClientStopsReadingADownload() {
            Ladder l = exchange().at(0.07).s("PA", 1000).at(0.08).win(0).c("A");
            l.at(0.3).probe(1).at(0.301).win(0).c("A").at(0.8).probe(1).at(0.801).win(0).c("A").at(2).s("RA");
            expect(classify(l), ZERO_WINDOW_STALL, "client");
        }

        @Test
        void aZeroWindowWithoutProbesIsNoStall() {
            Ladder l = exchange().at(0.07).c("PA", 1000).at(0.08).win(0).s("A").at(0.5).c("RA");
            expect(classify(l), RST_ABORT, "client");
        }

        @Test
        void aWindowThatOpensAgainIsNoStall() {
            Ladder l = exchange().at(0.07).c("PA", 1000).at(0.08).win(0).s("A").at(0.3).probe(0).at(0.301).win(0).s("A")
                    .at(0.5).s("A");
            expect(classify(clientCloses(l, 0.6)), FIN_ORDERLY, "client");
        }

        @Test
        void zeroWindowProbesFlaggedAsKeepAlivesAreNotUnansweredKeepAlives() {
            Termination t = classify(stalled().captureEnd(3.5));
            expect(t, ZERO_WINDOW_STALL, "server");
            noTag(t, Tag.KEEPALIVE_UNANSWERED);
        }
    }

    @Nested
    class RstAfterClose {
        @Test
        void writeAfterThePeerClosedGetsTheLinuxBareRst() {
            // server FIN (seq 501), the client acks it, writes 41 bytes; bare RST at FIN seq + 1 = the data's ack
            Ladder l = exchange().at(0.1).s("FA").at(0.11).c("A").at(0.2).c("PA", 41);
            l.at(0.201).seq(502).s("R");
            Termination t = classify(l);
            expect(t, RST_AFTER_CLOSE, "server");
            assertEquals("EPIPE", t.appView().client());
            assertTrue(t.reason().contains("seq + 1"), t.reason());
        }

        @Test
        void theKeepAliveRace() {
            // the client's next request crosses the server's FIN: it acks only up to the FIN's seq; bare RST at FIN seq
            Ladder l = exchange().at(1.0).c("PA", 43).at(1.005).ack(101).s("FA");
            l.at(1.011).seq(501).s("R");
            Termination t = classify(l);
            expect(t, RST_AFTER_CLOSE, "server", Tag.KEEPALIVE_RACE);
        }

        @Test
        void aProxyThatReadTheFinAsTheEndSawEofNotTheReset() {
            // the proxy's request crosses the backend's FIN; the proxy reads EOF (HAProxy's SH), closes, and the
            // backend's RST for the crossing request finds no socket: the proxy saw EOF, not ECONNRESET
            Ladder l = exchange().at(1.0).c("PA", 43).at(1.0001).ack(101).s("FA").at(1.0006).ack(502).c("FA");
            l.at(1.0008).seq(501).s("R");
            Termination t = classify(l);
            expect(t, RST_AFTER_CLOSE, "server", Tag.KEEPALIVE_RACE);
            assertEquals("EOF", t.appView().client());
            assertTrue(t.reason().contains("as the end of the stream"), t.reason());
        }

        @Test
        void lateDataAfterTheFinBeatsUnreadData() {
            // conflict RST_AFTER_CLOSE vs RST_UNREAD_DATA: unread bytes before the FIN, more data after it
            Ladder l = exchange().at(0.1).c("PA", 30).at(0.11).s("A").at(0.2).s("FA").at(0.21).c("A").at(0.3).c("PA", 41);
            l.at(0.301).seq(502).s("R");
            expect(classify(l), RST_AFTER_CLOSE, "server");
        }

        @Test
        void theClientClosedAndTheServerAnsweredAnyway() {
            Ladder l = new Ladder().at(0).c("S").at(0.01).s("SA").at(0.02).c("A").at(0.03).c("PA", 52).at(0.031).c("FA")
                    .at(0.04).s("A").at(0.05).s("PA", 340);
            l.at(0.051).seq(54).c("R");
            expect(classify(l), RST_AFTER_CLOSE, "client");
        }
    }

    @Nested
    class RstUnreadData {
        @Test
        void theServerClosesWithASecondRequestUnread() {
            Ladder l = exchange().at(0.1).c("PA", 316).at(0.11).s("A").at(0.2).s("RA");
            Termination t = classify(l);
            expect(t, RST_UNREAD_DATA, "server");
            assertTrue(t.reason().contains("316 bytes"), t.reason());
            assertEquals("ECONNRESET", t.appView().client());
        }

        @Test
        void theClientClosesWithTheResponseUnread() {
            expect(classify(exchange().at(0.2).c("RA")), RST_UNREAD_DATA, "client");
        }

        @Test
        void aPipelinedRequestBeforeTheAnswerIsAmbiguousSoAbort() {
            // two requests, one answer: the second request came before the server's last data
            Ladder l = new Ladder().at(0).c("S").at(0.01).s("SA").at(0.02).c("A").at(0.03).c("PA", 100)
                    .at(0.031).c("PA", 120).at(0.04).s("PA", 500).at(0.05).c("A").at(0.1).s("RA");
            Termination t = classify(l);
            expect(t, RST_ABORT, "server");
            assertTrue(t.reason().contains("120 bytes") && t.reason().contains("may have been left unread")
                    && !t.reason().contains("nothing unread"), t.reason());
        }

        @Test
        void dataCrossingTheRstWasNotUnread() {
            // the server aborts with RST|ACK at ack 101; the client's next request (ack 501) was already in flight
            Ladder l = exchange().at(1.0).c("PA", 60).at(1.005).ack(101).s("RA");
            Termination t = classify(l);
            expect(t, RST_ABORT, "server", Tag.KEEPALIVE_RACE);
        }
    }

    @Nested
    class RstAbort {
        @Test
        void abortiveCloseAfterACompleteExchange() {
            Ladder l = exchange().at(0.1).c("PA", 4).at(0.11).s("A").at(0.2).c("RA");
            Termination t = classify(l);
            expect(t, RST_ABORT, "client");
            assertEquals("ECONNRESET", t.appView().server());
        }

        @Test
        void rstAfterItsOwnFinWithNoLateData() {
            expect(classify(exchange().at(0.1).s("FA").at(0.11).c("A").at(0.5).s("RA")), RST_ABORT, "server");
        }

        @Test
        void aLoneMidstreamRstTellsNothing() {
            expect(classify(new Ladder().midstream().at(0).s("R")), UNCLASSIFIED, "unknown", Tag.MIDSTREAM);
        }
    }

    @Nested
    class FinOrderly {
        @Test
        void theClientClosesFirst() {
            Termination t = classify(clientCloses(exchange(), 0.1));
            expect(t, FIN_ORDERLY, "client");
            assertEquals("EOF", t.appView().client());
            assertEquals("EOF", t.appView().server());
        }

        @Test
        void theServerClosesFirst() {
            Ladder l = exchange().at(0.1).s("FA").at(0.11).c("FA").at(0.12).s("A");
            expect(classify(l), FIN_ORDERLY, "server");
        }

        @Test
        void aGoodbyeThatAnsweredTheClientsRequestNamesIt() {
            // Redis: QUIT (frame 8), +OK (frame 9), the server's FIN, the client's
            Ladder l = exchange().at(0.1).c("PA", 14).at(0.1002).s("PA", 5).goodbyeAnswering("redis", "QUIT", "+OK")
                    .at(0.1003).s("FA").at(0.1005).c("FA").at(0.1006).s("A");
            Termination t = classify(l);
            expect(t, FIN_ORDERLY, "server");
            assertTrue(t.reason().contains("the server said \"+OK\" (frame 9), in answer to the client's \"QUIT\" (frame 8)"),
                    t.reason());
            noTag(t, Tag.APP_REJECTED);
        }

        @Test
        void crossingFinsHaveNoFirst() {
            Ladder l = exchange().at(0.1).c("FA").at(0.1001).ack(101).s("FA").at(0.2).c("A").at(0.2001).s("A");
            expect(classify(l), FIN_ORDERLY, "unknown");
        }

        @Test
        void aTrailingRstAfterBothFinsIsStillOrderly() {
            // conflict FIN_ORDERLY vs the RST classes
            expect(classify(clientCloses(exchange(), 0.1).at(0.2).c("RA")), FIN_ORDERLY, "client");
        }

        @Test
        void bothFinsWithDataNeverAcknowledgedIsNotOrderly() {
            Ladder l = exchange().at(0.1).s("PA", 300).at(0.2).ack(501).c("FA").at(0.21).s("FA").at(0.22).ack(102).c("A");
            expect(classify(l), UNCLASSIFIED, "unknown");
        }
    }

    @Nested
    class OpenAtEnd {
        @Test
        void idleWhenTheCaptureEnded() {
            expect(classify(exchange().captureEnd(1)), OPEN_AT_END, "unknown");
        }

        @Test
        void halfClosedByTheClient() {
            Ladder l = exchange().at(0.1).c("FA").at(0.11).s("A").at(0.2).s("PA", 500).at(0.21).c("A");
            Termination t = classify(l);
            expect(t, OPEN_AT_END, "client", Tag.HALF_CLOSED);
            assertEquals("EOF", t.appView().server());
        }

        @Test
        void aOneSidedCaptureIsNoHandshakeTimeout() {
            // the client's ACK and data show a SYN-ACK came back; only the server's direction is missing
            Ladder l = new Ladder().at(0).c("S").at(0.02).ack(1).seq(1).c("A").at(0.03).ack(1).c("PA", 40)
                    .at(0.5).ack(1).c("FA").captureEnd(10);
            Termination t = classify(l);
            expect(t, UNCLASSIFIED, "unknown");
            assertTrue(t.reason().contains("one-sided"), t.reason());
        }

        @Test
        void aMidstreamFlowIsTagged() {
            Ladder l = new Ladder().midstream().at(0).c("PA", 10).at(0.01).s("PA", 20).at(0.02).c("A");
            expect(classify(l), OPEN_AT_END, "unknown", Tag.MIDSTREAM);
        }

        @Test
        void aReusedFourTupleIsTagged() {
            expect(classify(clientCloses(exchange(), 0.1).reused()), FIN_ORDERLY, "client", Tag.PORT_REUSE);
        }
    }
}
