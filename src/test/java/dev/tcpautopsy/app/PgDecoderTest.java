package dev.tcpautopsy.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PgDecoderTest {
    static final byte[] STARTUP = untyped(196608, "user\0bob\0database\0shop\0application_name\0psql\0\0");
    static final byte[] SSL_REQUEST = untyped(80877103, "");
    static final byte[] READY = msg('Z', "I");

    static byte[] untyped(int code, String body) {
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        return Talk.cat(u32(b.length + 8), u32(code), b);
    }

    static byte[] msg(char type, String body) {
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        return Talk.cat(new byte[] {(byte) type}, u32(b.length + 4), b);
    }

    static byte[] error(char type, String severity, String code, String message) {
        return msg(type, "S" + severity + "\0V" + severity + "\0C" + code + "\0M" + message + "\0Fpostgres.c\0L4242\0\0");
    }

    static byte[] u32(int v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    @Test
    void aRefusedLoginEndsWithTheServersFatalGoodbye() {
        Talk t = new Talk().client(STARTUP).server(msg('R', "\0\0\0\5salt")).client(msg('p', "md5secret\0"))
                .server(error('E', "FATAL", "28P01", "password authentication failed for user \"bob\"")).fin(false);
        AppFacts f = t.facts();
        assertEquals("postgresql", f.protocol());
        assertEquals(List.of("1 c startup user=bob database=shop", "2 s authentication MD5 password", "3 c password message",
                "4 s FATAL 28P01 password authentication failed for user \"bob\""), t.said);
        assertEquals(new AppMessage(4, "server", "FATAL 28P01 password authentication failed for user \"bob\""), f.goodbye());
        assertTrue(f.rejected());
        assertEquals(false, f.unanswered());
    }

    @Test
    void aQueryAndItsRowsInOneSegment() {
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        rows.writeBytes(msg('T', "\0\1id\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"));
        for (int i = 0; i < 50; i++) {
            rows.writeBytes(msg('D', "\0\1\0\0\0\1" + i % 10));
        }
        rows.writeBytes(msg('C', "SELECT 50\0"));
        rows.writeBytes(READY);
        Talk t = new Talk().client(STARTUP).server(msg('R', "\0\0\0\0"), READY)
                .client(msg('Q', "SELECT id\n  FROM   orders\tWHERE customer = 'alice@example.com' AND status = 'open'\0"))
                .server(rows.toByteArray());
        AppFacts f = t.facts();
        assertEquals(new AppMessage(4, "client", "SELECT id FROM orders WHERE customer = '?' AND status = '?'"),
                f.lastRequest(), "the query's words, never its literals");
        assertEquals(new AppMessage(5, "server", "RowDescription (1 column)"), f.lastResponse(),
                "the response is the answer's first message");
        assertTrue(t.said.contains("5 s SELECT 50"), "the command tag is still read: " + t.said);
        assertNull(f.goodbye());
    }

    @Test
    void anIdleSessionTimeoutIsAGoodbyeWithNothingOwedAndNoResponse() {
        AppFacts f = new Talk().client(STARTUP).server(msg('R', "\0\0\0\0"), READY).client(msg('Q', "SELECT 1\0"))
                .server(Talk.cat(msg('C', "SELECT 1\0"), READY))
                .server(error('E', "FATAL", "57P05", "terminating connection due to idle-session timeout")).fin(false).facts();
        assertEquals(new AppMessage(6, "server", "FATAL 57P05 terminating connection due to idle-session timeout"), f.goodbye());
        assertEquals(new AppMessage(5, "server", "SELECT 1"), f.lastResponse(), "the FATAL answered no query");
        assertTrue(f.rejected());
        assertEquals(false, f.unanswered());
    }

    @Test
    void aNoticeAnswersNothing() {
        AppFacts f = new Talk().client(STARTUP).server(msg('R', "\0\0\0\0"), READY).client(msg('Q', "VACUUM\0"))
                .server(error('N', "NOTICE", "00000", "still working")).fin(true).facts();
        assertEquals(true, f.unanswered());
        assertEquals(new AppMessage(2, "server", "authentication ok"), f.lastResponse(), "the notice is no response");
        assertNull(f.goodbye(), "the client closed; the server's notice was no goodbye");
    }

    @Test
    void terminateIsTheClientsGoodbyeAndNoRequest() {
        Talk t = new Talk().client(STARTUP).server(msg('R', "\0\0\0\0"), READY).client(msg('Q', "SELECT 1\0"))
                .server(Talk.cat(msg('T', "\0\2a\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), msg('C', "SELECT 1\0"), READY))
                .client(msg('X', "")).fin(true).fin(false);
        AppFacts f = t.facts();
        assertEquals(new AppMessage(4, "client", "SELECT 1"), f.lastRequest());
        assertEquals(new AppMessage(5, "server", "RowDescription (2 columns)"), f.lastResponse());
        assertEquals(new AppMessage(6, "client", "Terminate"), f.goodbye());
        assertFalse(f.rejected());
        assertEquals(false, f.unanswered(), "Terminate asks for no answer");
    }

    @Test
    void aWrongPasswordsFatalIsBothTheResponseAndTheGoodbye() {
        AppFacts f = new Talk().client(STARTUP).server(msg('R', "\0\0\0\5salt")).client(msg('p', "md5x\0"))
                .server(error('E', "FATAL", "28P01", "password authentication failed for user \"bob\"")).fin(false).facts();
        assertEquals(f.goodbye(), f.lastResponse());
        assertEquals(4, f.lastResponse().frame());
    }

    @Test
    void literalsOfEveryQuotingAreMasked() {
        String q = "INSERT INTO t VALUES ('it''s', E'a\\'b', $$x 'y'$$, $f$z$f$, $1, \"Col\") -- 'c'";
        Talk t = new Talk().client(STARTUP).client(msg('Q', q + "\0"));
        assertEquals("INSERT INTO t VALUES ('?', E'?', '?', '?', $1, \"Col\") -- '?'", t.facts().lastRequest().text());
        Talk cut = new Talk().client(STARTUP).client(msg('Q', "SELECT * FROM users WHERE email = '" + "x".repeat(200) + "'\0"));
        assertEquals("SELECT * FROM users WHERE email = '?...", cut.facts().lastRequest().text(),
                "a literal that goes on past the bytes kept is masked all the same");
    }

    @Test
    void anErrorThatIsNotTheLastMessageIsNoGoodbye() {
        AppFacts f = new Talk().client(STARTUP).client(msg('Q', "SELEC 1\0")).server(Talk.cat(error('E', "ERROR", "42601", "syntax error"),
                READY)).fin(false).facts();
        assertNull(f.goodbye());
        assertEquals("ERROR 42601 syntax error", f.lastResponse().text());
    }

    @Test
    void sslRequestAcceptedThenTls() {
        Talk t = new Talk().client(SSL_REQUEST).server("S").client(TlsDecoderTest.clientHello("db.example"))
                .server(TlsDecoderTest.SERVER_HELLO);
        AppFacts f = t.facts();
        assertEquals("postgresql", f.protocol());
        assertEquals("db.example", f.tls().sni());
        assertEquals(List.of("1 c SSLRequest", "2 s SSL accepted", "3 c ClientHello (SNI: db.example)", "4 s ServerHello"),
                t.said);
        Talk refused = new Talk().client(SSL_REQUEST).server("N").client(STARTUP);
        assertEquals(List.of("1 c SSLRequest", "2 s SSL refused", "3 c startup user=bob database=shop"), refused.said);
    }

    @Test
    void afterSslAcceptedBothSidesAreTlsEvenWhenTheServersHelloWasNotCaptured() {
        Talk t = new Talk().client(SSL_REQUEST).server("S").client(TlsDecoderTest.clientHello("db.example"));
        t.at(false, t.next(false) + 2000, Talk.cat(TlsDecoderTest.CCS, TlsDecoderTest.record(22, new byte[40])), 51);
        t.server(TlsDecoderTest.record(21, new byte[26])).fin(false);
        assertEquals(new AppMessage(5, "server", "encrypted alert"), t.facts().goodbye());
    }

    @Test
    void messageHeadersCutAnywhereAreReadAlike() {
        byte[] all = Talk.cat(msg('Q', "SELECT 1\0"), msg('P', "s1\0UPDATE t SET a = 1\0\0\0"), msg('B', "\0s1\0\0\0\0\0"),
                msg('E', "\0\0\0\0\0"), msg('S', ""));
        int parseAt = msg('Q', "SELECT 1\0").length;
        for (int size = 1; size <= 7; size++) {
            Talk t = new Talk().client(STARTUP).split(true, all, size);
            // each message in the frame of its first byte
            assertEquals(List.of("1 c startup user=bob database=shop", "2 c SELECT 1", (2 + parseAt / size) + " c UPDATE t SET a = 1"),
                    t.said, "segments of " + size);
            assertEquals(true, t.facts().unanswered());
        }
    }

    @Test
    void bytesThatOnlyLookLikeAStartupMessageAreNot() {
        assertNull(new Talk().client(untyped(196608, "\u0001\u0002garbage")).facts().protocol());
        assertNull(new Talk().client(untyped(12345, "user\0bob\0\0")).facts().protocol());
        assertFalse(PgDecoder.isStartup(Talk.hex("00000008 04d21630"), 0, 8) == PgDecoder.isStartup(Talk.hex("00000008 04d21631"), 0, 8),
                "GSSENCRequest's code is one, the next number none");
    }
}
