package dev.tcpautopsy.app;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MysqlDecoderTest {
    static final byte[] GREETING = packet(0, Talk.cat(new byte[] {10}, "8.0.36\0", Talk.hex("08000000"), "abcdefgh\0",
            Talk.hex("ffff ff 0200 ffdf 15 00000000000000000000"), "ijklmnopqrst\0", "caching_sha2_password\0"));

    static byte[] packet(int seq, Object body) {
        byte[] b = Talk.bytes(body);
        return Talk.cat(new byte[] {(byte) b.length, (byte) (b.length >> 8), (byte) (b.length >> 16), (byte) seq}, b);
    }

    /** A login request (protocol 4.1) with capability flags {@code caps}. */
    static byte[] login(int caps, String user) {
        byte[] c = {(byte) caps, (byte) (caps >> 8), (byte) (caps >> 16), (byte) (caps >>> 24)};
        return packet(1, Talk.cat(c, Talk.hex("00000001 21"), new byte[23], user + "\0", Talk.hex("00")));
    }

    static byte[] err(int seq, int code, String state, String message) {
        return packet(seq, Talk.cat(new byte[] {(byte) 0xff, (byte) code, (byte) (code >> 8)},
                state == null ? "" : "#" + state, message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    static final int CAPS = 0x000fa68d; // protocol 4.1, no SSL, no compression

    @Test
    void accessDeniedAtLoginRefusedTheClient() {
        Talk t = new Talk().server(GREETING).client(login(CAPS, "root"))
                .server(err(2, 1045, "28000", "Access denied for user 'root'@'10.0.0.1' (using password: YES)")).fin(false);
        AppFacts f = t.facts();
        assertEquals("mysql", f.protocol());
        assertEquals(List.of("1 s greeting 8.0.36", "2 c login user=root",
                "3 s ERR 1045 (28000) Access denied for user 'root'@'10.0.0.1' (using password: YES)"), t.said);
        assertTrue(f.rejected());
        assertEquals(3, f.goodbye().frame());
    }

    @Test
    void aHostNotAllowedGetsAnErrorInsteadOfAGreeting() {
        AppFacts f = new Talk().server(err(0, 1130, null, "Host '10.0.0.9' is not allowed to connect to this MySQL server"))
                .fin(false).facts();
        assertEquals("ERR 1130 Host '10.0.0.9' is not allowed to connect to this MySQL server", f.goodbye().text());
        assertTrue(f.rejected());
        assertNull(f.unanswered(), "no request was read");
        assertNull(f.lastResponse(), "sent in place of the greeting, it answered nothing");
    }

    @Test
    void queriesAndTheFirstPacketOfEachResponse() {
        Talk t = new Talk().server(GREETING).client(login(CAPS, "app")).server(packet(2, Talk.hex("00 00 00 0200 0000")))
                .client(packet(0, Talk.cat(new byte[] {3}, "SELECT * FROM orders")))
                .server(Talk.cat(packet(1, Talk.hex("02")), packet(2, "\u0003def\u0000\u0001t\u0001t\u0001a\u0001a"),
                        packet(3, "\u0003def\u0000\u0001t\u0001t\u0001b\u0001b"), packet(4, Talk.hex("fe00000200")),
                        packet(5, "\u0001a\u0001b"), packet(6, Talk.hex("fe00000200"))))
                .client(packet(0, Talk.hex("0e"))).server(packet(1, Talk.hex("00 00 00 0200 0000")))
                .client(packet(0, Talk.hex("01")));
        assertEquals(List.of("1 s greeting 8.0.36", "2 c login user=app", "3 s OK", "4 c SELECT * FROM orders",
                "5 s result set (2 columns)", "6 c COM_PING", "7 s OK", "8 c COM_QUIT"), t.said);
        AppFacts f = t.fin(true).facts();
        assertEquals(false, f.unanswered(), "COM_QUIT asks for no answer");
        assertEquals(new AppMessage(6, "client", "COM_PING"), f.lastRequest());
        assertEquals(new AppMessage(8, "client", "COM_QUIT"), f.goodbye());
        assertFalse(f.rejected());
    }

    @Test
    void queryAttributesAreSkipped() {
        int caps = CAPS | 1 << 27;
        byte[] query = packet(0, Talk.cat(Talk.hex("03 01 01 00 01 fe00 04"), "name", Talk.hex("05"), "value",
                "SELECT now()"));
        Talk t = new Talk().server(GREETING).client(login(caps, "app")).server(packet(2, Talk.hex("00 00 00 0200 0000")))
                .client(query).client(packet(0, Talk.cat(Talk.hex("03 00 01"), "SELECT 2")));
        assertEquals(List.of("4 c SELECT now()", "5 c SELECT 2"), t.said.subList(3, 5));
        t.client(packet(0, Talk.cat(Talk.hex("03 00 01"), "SELECT \"a\\\"b\", 'c''d' FROM `t`")));
        assertEquals("SELECT '?', '?' FROM `t`", t.facts().lastRequest().text(), "MySQL's double quotes are strings");
    }

    @Test
    void aCompressedSessionIsNotReadPastItsLogin() {
        Talk t = new Talk().server(GREETING).client(login(CAPS | 0x20, "app")).server(packet(2, Talk.hex("00 00 00 0200 0000")))
                .client(Talk.hex("0b0000 00 00000000 0300 53454c45"));
        assertEquals(3, t.said.size());
        assertFalse(t.t.reading(), "both sides stopped");
    }

    @Test
    void bytesThatOnlyLookLikeAGreetingAreNot() {
        assertNull(new Talk().server(packet(0, Talk.cat(new byte[] {10}, "x.y\0"))).facts().protocol(), "too short");
        assertNull(new Talk().server(packet(0, Talk.cat(new byte[] {10}, "8.0" + "\u0001".repeat(40)))).facts().protocol());
    }
}
