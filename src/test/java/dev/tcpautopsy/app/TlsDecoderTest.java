package dev.tcpautopsy.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsDecoderTest {
    static final byte[] SERVER_HELLO = Talk.hex("16 0303 002a 02 000026 0303" + "11".repeat(32) + "00 c02f 00");
    static final byte[] CCS = Talk.hex("14 0303 0001 01");

    /** A ClientHello record: a 300-byte padding extension first, so that the names come late. */
    static byte[] clientHello(String sni, String... alpn) {
        return record(22, handshake(sni, alpn));
    }

    static byte[] handshake(String sni, String... alpn) {
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        ext.writeBytes(Talk.hex("0015 012c"));
        ext.writeBytes(new byte[300]);
        if (sni != null) {
            byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
            ext.writeBytes(u16(0));
            ext.writeBytes(u16(name.length + 5));
            ext.writeBytes(u16(name.length + 3));
            ext.write(0);
            ext.writeBytes(u16(name.length));
            ext.writeBytes(name);
        }
        if (alpn.length > 0) {
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            for (String a : alpn) {
                list.write(a.length());
                list.writeBytes(a.getBytes(StandardCharsets.US_ASCII));
            }
            ext.writeBytes(u16(16));
            ext.writeBytes(u16(list.size() + 2));
            ext.writeBytes(u16(list.size()));
            ext.writeBytes(list.toByteArray());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(Talk.hex("0303"));
        body.writeBytes(new byte[32]);
        body.write(32);
        body.writeBytes(new byte[32]);
        body.writeBytes(Talk.hex("0004 1301 c02f 0100"));
        body.writeBytes(u16(ext.size()));
        body.writeBytes(ext.toByteArray());
        return Talk.cat(new byte[] {1, 0}, u16(body.size()), body.toByteArray());
    }

    static byte[] record(int type, byte[] body) {
        return Talk.cat(new byte[] {(byte) type, 3, 1}, u16(body.length), body);
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    @Test
    void serverNameAndAlpnAreReadWhereverTheSegmentsCutTheHello() {
        byte[] hello = clientHello("shop.example", "h2", "http/1.1");
        for (int size : new int[] {1, 2, 5, 7, 100, hello.length}) {
            Talk t = new Talk().split(true, hello, size).server(SERVER_HELLO);
            AppFacts f = t.facts();
            assertEquals("tls", f.protocol());
            assertEquals(new TlsFacts("shop.example", "h2,http/1.1", null), f.tls(), "segments of " + size);
            assertEquals(new AppMessage(1, "client", "ClientHello (SNI: shop.example, ALPN: h2,http/1.1)"), f.lastRequest());
            assertEquals("ServerHello", f.lastResponse().text());
        }
    }

    @Test
    void aHelloSpreadOverTwoRecordsIsStillOneHello() {
        byte[] hs = handshake("a.example");
        byte[] twoRecords = Talk.cat(record(22, Arrays.copyOf(hs, 60)), record(22, Arrays.copyOfRange(hs, 60, hs.length)));
        Talk t = new Talk().split(true, twoRecords, 50);
        assertEquals(List.of("1 c ClientHello (SNI: a.example)"), t.said);
    }

    @Test
    void aFatalAlertFromTheServerBeforeItsFinRefusedTheClient() {
        AppFacts f = new Talk().client(clientHello("x.example")).server(record(21, Talk.hex("0228"))).fin(false).facts();
        AppMessage alert = new AppMessage(2, "server", "fatal handshake_failure");
        assertEquals(alert, f.goodbye());
        assertEquals(alert, f.tls().alert());
        assertTrue(f.rejected());
        assertEquals(false, f.unanswered(), "the alert answered the hello");
    }

    @Test
    void aFatalAlertAnsweringTheHelloIsItsResponseAndTheFirstAlertIsTheFlows() {
        AppFacts f = new Talk().client(clientHello("x.example")).server(record(21, Talk.hex("0246"))).fin(false)
                .client(record(21, Talk.hex("0100"))).fin(true).facts();
        AppMessage alert = new AppMessage(2, "server", "fatal protocol_version");
        assertEquals(alert, f.lastResponse(), "it answered the ClientHello");
        assertEquals(alert, f.tls().alert(), "the first alert, not the client's later close_notify");
        assertEquals(alert, f.goodbye(), "the server closed first");
        assertEquals("ClientHello (SNI: x.example)", f.lastRequest().text());
    }

    @Test
    void closeNotifyIsAGoodbyeButNoRefusal() {
        AppFacts f = new Talk().client(clientHello("x.example")).server(SERVER_HELLO)
                .server(record(21, Talk.hex("0100"))).fin(false).facts();
        assertEquals(new AppMessage(3, "server", "warning close_notify"), f.goodbye());
        assertFalse(f.rejected());
    }

    @Test
    void afterChangeCipherSpecAlertsAreEncryptedAndHandshakeRecordsOpaque() {
        // an encrypted Finished whose first byte happens to be 1 is no ClientHello
        byte[] finished = record(22, Talk.cat(Talk.hex("01 00002c 0303"), new byte[40]));
        Talk t = new Talk().client(clientHello("x.example")).server(SERVER_HELLO).client(CCS, finished)
                .client(record(23, new byte[100])).client(record(21, new byte[26])).fin(true);
        AppFacts f = t.facts();
        assertEquals(new AppMessage(6, "client", "encrypted alert"), f.tls().alert());
        assertEquals(new AppMessage(6, "client", "encrypted alert"), f.goodbye());
        assertEquals("application data (100 bytes)", f.lastRequest().text());
        assertEquals("x.example", f.tls().sni());
        assertEquals(List.of("1 c ClientHello (SNI: x.example)", "2 s ServerHello", "5 c application data (100 bytes)",
                "6 c encrypted alert"), t.said);
    }

    @Test
    void aSecondHelloAfterTheClientsCompatibilityChangeCipherSpecIsRead() {
        Talk t = new Talk().client(clientHello("one.example")).server(SERVER_HELLO)
                .client(Talk.cat(CCS, clientHello("two.example")));
        assertEquals("two.example", t.facts().tls().sni());
    }

    @Test
    void anEncryptedRequestTheServerNeverAnsweredWasLost() {
        AppFacts f = new Talk().client(clientHello(null)).server(SERVER_HELLO).client(record(23, new byte[517]))
                .fin(false).facts();
        assertEquals(true, f.unanswered());
        assertTrue(f.requestLost());
        assertNull(f.tls(), "no name, no alert");
    }

    @Test
    void aRecordTheSizeOfAnEncryptedAlertOwesNothingKnown() {
        // TLS 1.3: the server's close_notify and FIN, the client's own close_notify (19 bytes) after it
        AppFacts f = new Talk().client(clientHello(null)).server(SERVER_HELLO).client(record(23, new byte[60]))
                .server(record(23, new byte[300])).server(record(23, new byte[19])).fin(false)
                .client(record(23, new byte[19])).facts();
        assertEquals("application data (19 bytes)", f.lastRequest().text());
        assertNull(f.unanswered(), "a close_notify or a request: the wire does not say");
        assertFalse(f.requestLost());
        AppFacts big = new Talk().client(clientHello(null)).server(SERVER_HELLO).client(record(23, new byte[27]))
                .fin(false).facts();
        assertEquals(true, big.unanswered(), "larger than an encrypted alert: a request");
    }

    @Test
    void anSsl2HelloIsRecognised() {
        byte[] v2 = Talk.hex("802e 01 0002 0015 0000 0010 0700c0 050080 030080 010080 060040 040080 020080"
                + "00112233445566778899aabbccddeeff");
        AppFacts f = new Talk().client(v2).facts();
        assertEquals("tls", f.protocol());
        assertEquals("ClientHello (SSL 2.0 format)", f.lastRequest().text());
    }

    @Test
    void aRecordLayerThatLosesItsFramingStopsUntilARecordStartsASegment() {
        Talk t = new Talk().client(clientHello("x.example")).server(SERVER_HELLO);
        t.at(false, t.next(false) + 1000, Talk.cat(new byte[] {0x55}, record(23, new byte[20])), 26); // a gap, mid-record
        t.server(record(23, new byte[30]));
        assertEquals(List.of("1 c ClientHello (SNI: x.example)", "2 s ServerHello", "4 s application data (30 bytes)"), t.said);
    }
}
