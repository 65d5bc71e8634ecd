package dev.tcpautopsy.app;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracker's handling of the byte stream, whatever the protocol: retransmissions, gaps, cuts, reuse, noise. */
class AppTrackerTest {
    private static final String GET = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";

    @Test
    void aRetransmissionIsReadOnce() {
        Talk t = new Talk().client(GET);
        t.at(true, 0, GET, GET.length());                  // the same segment again
        t.at(true, 10, GET.substring(10) + GET, GET.length() - 10 + GET.length()); // partly old, partly new
        assertEquals(List.of("1 c GET /a HTTP/1.1 (Host: h)", "3 c GET /a HTTP/1.1 (Host: h)"), t.said);
        assertEquals(true, t.facts().unanswered());
        assertEquals(2, t.t.owed.pending, "two requests, not three");
    }

    @Test
    void afterAGapADirectionWaitsForASegmentThatStartsAMessage() {
        Talk t = new Talk().client(GET).server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        // after a hole, a segment that starts inside the body is not read, even where a status line follows in it
        t.at(false, t.next(false) + 50, "body\r\n\r\nHTTP/1.1 500 Inside The Body\r\n\r\n", 40);
        t.client(GET).server("HTTP/1.1 404 Not Found\r\n\r\n");
        assertEquals(List.of("1 c GET /a HTTP/1.1 (Host: h)", "2 s HTTP/1.1 200 OK", "4 c GET /a HTTP/1.1 (Host: h)",
                "5 s HTTP/1.1 404 Not Found"), t.said);
    }

    @Test
    void aPayloadCutByTheSnapshotLengthIsNotGuessedAt() {
        Talk t = new Talk().client(GET);
        t.cut(false, "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n", 10);
        t.client(GET).cut(false, "HTTP/1.1 200 OK\r\n\r\n", 19).fin(false);
        AppFacts f = t.facts();
        assertEquals(2, f.cutFrame());
        assertEquals(List.of("1 c GET /a HTTP/1.1 (Host: h)", "3 c GET /a HTTP/1.1 (Host: h)", "4 s HTTP/1.1 200 OK"), t.said,
                "the cut status line is not reported; a whole one in a cut segment is");
        assertNull(f.goodbye());
    }

    @Test
    void aResetTrackerIsAsNew() {
        AppTracker tracker = new AppTracker();
        new Talk(tracker).client(TlsDecoderTest.clientHello("a.example")).server(TlsDecoderTest.record(21, Talk.hex("0228")))
                .fin(false);
        assertEquals("a.example", tracker.facts().tls().sni());
        tracker.reset();
        assertSame(AppFacts.NONE, tracker.facts());
        Talk again = new Talk(tracker).client(GET).fin(true);
        assertEquals(new AppFacts("http", new AppMessage(1, "client", "GET /a HTTP/1.1 (Host: h)"), null, true, null, false, false,
                null, -1), again.facts());
    }

    @Test
    void randomBytesAreNoProtocol() {
        Random r = new Random(1);
        AppTracker t = new AppTracker();
        byte[] b = new byte[1500];
        int named = 0;
        for (int conn = 0; conn < 20_000; conn++) {
            t.reset();
            long[] seq = new long[2];
            for (int i = 0; i < 6; i++) {
                boolean c = r.nextBoolean();
                int len = 1 + r.nextInt(b.length);
                r.nextBytes(b);
                t.onPayload(c, i + 1, seq[c ? 0 : 1], b, 0, len, len);
                seq[c ? 0 : 1] += len;
            }
            named += t.facts().protocol() == null ? 0 : 1;
        }
        assertEquals(0, named);
    }

    @Test
    void encryptedTrafficNeverYieldsNamesOrAlertsItDidNotCarry() {
        Random r = new Random(2);
        AppTracker t = new AppTracker();
        Talk talk = new Talk(t).client(TlsDecoderTest.clientHello("a.example")).server(TlsDecoderTest.SERVER_HELLO)
                .client(TlsDecoderTest.CCS).server(TlsDecoderTest.CCS);
        for (int i = 0; i < 2000; i++) {
            byte[] body = new byte[1 + r.nextInt(3000)];
            r.nextBytes(body);
            talk.send(i % 3 == 0, TlsDecoderTest.record(r.nextInt(5) == 0 ? 22 : 23, body));
        }
        AppFacts f = t.facts();
        assertEquals(new TlsFacts("a.example", null, null), f.tls());
    }

    @Test
    void noAllocationPerSegmentOnceMessagesFlow() {
        AppTracker t = new AppTracker();
        byte[] up = Talk.cat(TlsDecoderTest.record(23, new byte[300]));
        byte[] down = Talk.cat(TlsDecoderTest.record(23, new byte[1200]), TlsDecoderTest.record(23, new byte[40]));
        byte[] http = ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nabc").getBytes();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            t.reset();
            new Talk(t).client(TlsDecoderTest.clientHello("a.example")).server(TlsDecoderTest.SERVER_HELLO);
            t.listener = null;
            AppTracker h = new AppTracker();
            h.onPayload(true, 1, 0, GET.getBytes(), 0, GET.length(), GET.length());
            before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            long cs = up.length, ss = 200, hs = 0;
            for (int i = 0; i < 100_000; i++) {
                t.onPayload(true, 10 + i, cs, up, 0, up.length, up.length);
                cs += up.length;
                t.onPayload(false, 10 + i, ss, down, 0, down.length, down.length);
                ss += down.length;
                h.onPayload(false, 10 + i, hs, http, 0, http.length, http.length);
                hs += http.length;
            }
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 10_000, allocated + " bytes allocated over 300,000 segments");
    }

    @Test
    void aCloseTheSideOutlivedIsJudgedAgainAtItsNextOne() {
        Talk t = new Talk().server("220 mx ESMTP\r\n").client("EHLO a\r\n").server("503 not now\r\n").rst(false);
        assertEquals(new AppMessage(3, "server", "503 not now"), t.facts().goodbye());
        t.client("EHLO a\r\n").server("250 mx\r\n").fin(false).fin(false); // the RST was ignored; a retransmitted FIN
        AppFacts f = t.facts();
        assertNull(f.goodbye(), "the server's last words before its FIN were no error");
        t.server("421 closing\r\n").rst(false);
        assertEquals(new AppMessage(9, "server", "421 closing"), t.facts().goodbye());
        assertEquals(10, t.t.server.closeFrame);
    }

    @Test
    void theLastRequestAndAnswerOutliveLaterMessagesOfOtherKinds() {
        // notices and goodbyes after the answer do not replace it, whichever side and however many
        Talk t = new Talk().server("220 mx ESMTP\r\n").client("EHLO a\r\n").server("250 mx\r\n")
                .server("421 idle\r\n", "421 still idle\r\n");
        AppFacts f = t.facts();
        assertEquals(new AppMessage(3, "server", "250 mx"), f.lastResponse());
        assertEquals(new AppMessage(2, "client", "EHLO"), f.lastRequest());
        t.client("NOOP\r\n").server("250 ok\r\n");
        assertEquals(new AppMessage(7, "server", "250 ok"), t.facts().lastResponse(), "a new answer replaces the kept one");
        AppTracker reused = t.t;
        reused.reset();
        assertNull(new Talk(reused).client("QUIT\r\n").facts().lastResponse(), "nothing kept across a reset");
    }

    @Test
    void aTrackerThatGaveUpSaysSo() {
        AppTracker t = new AppTracker();
        byte[] noise = new byte[100];
        for (int i = 0; i < AppTracker.DETECT_TRIES; i++) {
            assertTrue(t.reading());
            t.onPayload(true, i + 1, i * 100L, noise, 0, 100, 100);
            t.onPayload(false, i + 1, i * 100L, noise, 0, 100, 100);
        }
        assertFalse(t.reading());
        t.onPayload(true, 99, 400, GET.getBytes(), 0, GET.length(), GET.length());
        assertNull(t.facts().protocol(), "detection ends after the first few segments");
    }
}
