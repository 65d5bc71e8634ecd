package dev.tcpautopsy.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpDecoderTest {
    private static final String GET = "GET /api/orders HTTP/1.1\r\nHost: shop.example\r\nCookie: secret=1\r\n\r\n";

    @Test
    void requestAndResponseAsTheContractShowsThem() {
        AppFacts f = new Talk().client(GET).server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: x\r\n\r\nhello")
                .facts();
        assertEquals("http", f.protocol());
        assertEquals(new AppMessage(1, "client", "GET /api/orders HTTP/1.1 (Host: shop.example)"), f.lastRequest());
        assertEquals(new AppMessage(2, "server", "HTTP/1.1 200 OK"), f.lastResponse());
        assertEquals(false, f.unanswered());
        assertNull(f.goodbye());
        assertNull(f.tls());
    }

    @Test
    void aMessageSplitByteByByteIsOneMessageInTheFrameOfItsFirstByte() {
        Talk t = new Talk().split(true, GET, 1);
        assertEquals(List.of("1 c GET /api/orders HTTP/1.1 (Host: shop.example)"), t.said);
        t.split(false, "HTTP/1.1 204 No Content\r\n\r\n", 3);
        assertEquals(GET.length() + 1, t.facts().lastResponse().frame());
    }

    @Test
    void pipelinedMessagesInOneSegmentAreEachRead() {
        Talk t = new Talk().client("POST /a HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcdGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.0\r\n\r\n");
        // a body that looks like a status line is body, as its Content-Length says
        t.server("HTTP/1.1 200 OK\r\nContent-Length: 26\r\n\r\nHTTP/1.1 500 Not Really\r\n\r\nHTTP/1.1 404 Not Found\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertEquals(List.of("1 c POST /a HTTP/1.1", "1 c GET /b HTTP/1.1", "1 c GET /c HTTP/1.0", "2 s HTTP/1.1 200 OK",
                "2 s HTTP/1.1 404 Not Found"), t.said);
        assertEquals(true, t.facts().unanswered(), "three requests, two responses");
    }

    @Test
    void aResponseToHeadHasNoBodyWhateverItsContentLength() {
        Talk t = new Talk().client("HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 503 Busy\r\nConnection: close\r\n\r\n");
        assertEquals("HTTP/1.1 503 Busy (Connection: close)", t.facts().lastResponse().text());
    }

    @Test
    void anErrorWithConnectionCloseBeforeTheServersFinIsAGoodbyeThatRefusedTheClient() {
        AppFacts f = new Talk().client(GET).server("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
                + "Content-Length: 0\r\n\r\n").fin(false).fin(true).facts();
        assertEquals(new AppMessage(2, "server", "HTTP/1.1 503 Service Unavailable (Connection: close)"), f.goodbye());
        assertTrue(f.rejected());
        assertFalse(f.requestLost());
    }

    @Test
    void anErrorThatKeepsTheConnectionIsNoGoodbye() {
        // a proxy's 502 to a client connection it keeps: the client closes first, the proxy answers its FIN
        AppFacts f = new Talk().client(GET).server("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                .fin(true).fin(false).facts();
        assertEquals(new AppMessage(2, "server", "HTTP/1.1 502 Bad Gateway"), f.lastResponse());
        assertNull(f.goodbye());
        assertFalse(f.rejected());
    }

    @Test
    void anyResponseWithConnectionCloseIsAGoodbyeButOnlyAnErrorRefuses() {
        AppFacts f = new Talk().client(GET).server("HTTP/1.1 200 OK\r\nconnection: Close\r\nContent-Length: 0\r\n\r\n")
                .fin(false).facts();
        assertEquals(new AppMessage(2, "server", "HTTP/1.1 200 OK (Connection: close)"), f.goodbye());
        assertFalse(f.rejected());
    }

    @Test
    void anErrorWhoseHeadersTheSnapshotLengthCutStaysAGoodbye() {
        Talk t = new Talk().client("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 9999\r\n\r\n");
        t.cut(false, "HTTP/1.1 413 Request Entity Too Large\r\nServer: nginx\r\nConnection: close\r\n\r\n", 50).rst(false);
        AppFacts f = t.facts();
        assertEquals(new AppMessage(2, "server", "HTTP/1.1 413 Request Entity Too Large"), f.goodbye(),
                "its Connection header was not read; its words were an error and its sender closed next");
        assertTrue(f.rejected());
        assertEquals(f.goodbye(), f.lastResponse());
    }

    @Test
    void aTargetsQueryStringIsNeverShown() {
        assertEquals("GET /search?... HTTP/1.1 (Host: h)", new Talk().client("GET /search?q=secret&token=abc HTTP/1.1\r\n"
                + "Host: h\r\n\r\n").facts().lastRequest().text());
        assertEquals("GET http://h/a?... HTTP/1.1", new Talk().client("GET http://h/a?b HTTP/1.1\r\n\r\n").facts()
                .lastRequest().text(), "an absolute target too");
        String path = "/" + "p".repeat(HttpDecoder.TARGET_MAX - 1);
        assertEquals("GET " + path + "?... HTTP/1.1", new Talk().client("GET " + path + "?x=1 HTTP/1.1\r\n\r\n")
                .facts().lastRequest().text());
        assertEquals("GET " + path + "... HTTP/1.1", new Talk().client("GET " + path + "pp?x=1 HTTP/1.1\r\n\r\n")
                .facts().lastRequest().text(), "a path longer than shown hides its query with the rest");
    }

    @Test
    void anOkBeforeTheFinIsNoGoodbye() {
        AppFacts f = new Talk().client(GET).server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").fin(false).facts();
        assertNull(f.goodbye());
        assertFalse(f.rejected());
    }

    @Test
    void aRequestThatCrossedTheServersCloseWasLost() {
        Talk t = new Talk().client(GET).server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").fin(false).client(GET).rst(false);
        AppFacts f = t.facts();
        assertEquals(true, f.unanswered());
        assertTrue(f.requestLost());
        assertEquals(4, f.lastRequest().frame());
        // the client giving up on its own first is no lost request
        AppFacts own = new Talk().client(GET).fin(true).fin(false).facts();
        assertEquals(true, own.unanswered());
        assertFalse(own.requestLost());
    }

    @Test
    void aLongTargetIsCutButTheVersionIsStillRead() {
        String target = "/" + "x".repeat(300);
        AppFacts f = new Talk().client("GET " + target + " HTTP/1.0\r\nHost: h\r\n\r\n").facts();
        assertEquals("GET " + target.substring(0, HttpDecoder.TARGET_MAX) + "... HTTP/1.0 (Host: h)", f.lastRequest().text());
    }

    @Test
    void theVersionIsReadWhereverTheBufferEndsInTheLine() {
        for (int len = 70; len < 120; len++) {
            String target = "/" + "y".repeat(len);
            for (int size : new int[] {1, 7, 1000}) {
                Talk t = new Talk().split(true, "GET " + target + " HTTP/1.1\r\n\r\n", size);
                assertEquals("GET " + target.substring(0, HttpDecoder.TARGET_MAX) + "... HTTP/1.1",
                        t.facts().lastRequest().text(), "target of " + (len + 1) + ", segments of " + size);
            }
        }
    }

    @Test
    void aChunkedBodyStopsReadingUntilASegmentStartsAMessage() {
        Talk t = new Talk().client(GET, GET)
                .server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5\r\nHTTP/\r\n",
                        "0\r\n\r\n", "HTTP/1.1 304 Not Modified\r\n\r\n");
        assertEquals(List.of("1 c GET /api/orders HTTP/1.1 (Host: shop.example)",
                "2 c GET /api/orders HTTP/1.1 (Host: shop.example)", "3 s HTTP/1.1 200 OK",
                "5 s HTTP/1.1 304 Not Modified"), t.said);
    }

    @Test
    void aConnectTunnelIsReadAgainFromItsFirstBytes() {
        AppFacts f = new Talk().client("CONNECT shop.example:443 HTTP/1.1\r\nHost: shop.example:443\r\n\r\n")
                .server("HTTP/1.1 200 Connection established\r\n\r\n")
                .client(TlsDecoderTest.clientHello("shop.example", "h2")).facts();
        assertEquals("http", f.protocol());
        assertEquals("shop.example", f.tls().sni());
        assertEquals("ClientHello (SNI: shop.example, ALPN: h2)", f.lastRequest().text());
    }

    @Test
    void anUpgradeToH2cNamesTheConnectionHttp2() {
        AppFacts f = new Talk().client("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\n\r\n")
                .server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n")
                .client(Http2DecoderTest.PREFACE_AND_SETTINGS)
                .server(Talk.hex("000000 04 00 00000000"), Http2DecoderTest.headers(1, 0x88)).facts();
        assertEquals("http2", f.protocol());
        assertEquals("HEADERS stream 1 (:status 200)", f.lastResponse().text());
    }

    @Test
    void linesThatOnlyLookLikeHttpAreNotMistaken() {
        assertNull(new Talk().client("get / http/1.1\r\n\r\n").facts().protocol(), "lower case is no method");
        assertNull(new Talk().client("FOO bar baz\r\n").facts().protocol(), "an unknown method needs a version");
        assertNull(new Talk().server("HTTP/2 200\r\n\r\n").facts().protocol(), "HTTP/2 has no status line");
        assertEquals("OPTIONS HTTP/1.1", new Talk().client("OPTIONS HTTP/1.1\r\n\r\n").facts().lastRequest().text(),
                "as Wireshark reads it: a known method, its target, no version");
    }
}
