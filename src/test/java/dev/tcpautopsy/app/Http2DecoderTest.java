package dev.tcpautopsy.app;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Http2DecoderTest {
    static final byte[] PREFACE_AND_SETTINGS = Talk.cat(Http2Decoder.PREFACE, Talk.hex("000006 04 00 00000000 0003 00000064"));

    /** A HEADERS frame (END_HEADERS) whose header block starts with {@code first}. */
    static byte[] headers(int stream, int first, byte... rest) {
        byte[] block = Talk.cat(new byte[] {(byte) first}, rest);
        return Talk.cat(new byte[] {0, 0, (byte) block.length, 1, 4, 0, 0, 0, (byte) stream}, block);
    }

    static byte[] goaway(int last, int code) {
        return Talk.hex(String.format("000008 07 00 00000000 %08x %08x", last, code));
    }

    @Test
    void requestsResponsesAndTheGoaway() {
        Talk t = new Talk().client(Talk.cat(PREFACE_AND_SETTINGS, headers(1, 0x82)))
                .server(Talk.cat(Talk.hex("000000 04 01 00000000"), headers(1, 0x88)))
                .client(headers(3, 0x83)).server(goaway(1, 11)).fin(false);
        AppFacts f = t.facts();
        assertEquals("http2", f.protocol());
        assertEquals(List.of("1 c HEADERS stream 1 (GET)", "2 s HEADERS stream 1 (:status 200)", "3 c HEADERS stream 3 (POST)",
                "4 s GOAWAY ENHANCE_YOUR_CALM (last stream 1)"), t.said);
        assertEquals(new AppMessage(4, "server", "GOAWAY ENHANCE_YOUR_CALM (last stream 1)"), f.goodbye());
        assertTrue(f.rejected());
        assertEquals(true, f.unanswered(), "stream 3 was never answered");
    }

    @Test
    void aGracefulGoawayIsNoRefusal() {
        AppFacts f = new Talk().client(PREFACE_AND_SETTINGS).server(goaway(0, 0)).fin(false).facts();
        assertEquals("GOAWAY NO_ERROR (last stream 0)", f.goodbye().text());
        assertFalse(f.rejected());
    }

    @Test
    void grpcIsToldByItsContentType() {
        byte[] literal = Talk.cat(new byte[] {0x0f, 0x10, 0x10}, "application/grpc".getBytes(StandardCharsets.US_ASCII));
        AppFacts f = new Talk().client(Talk.cat(PREFACE_AND_SETTINGS, headers(1, 0x83, literal))).facts();
        assertEquals("grpc", f.protocol());
        assertEquals("http2", new Talk().client(Talk.cat(PREFACE_AND_SETTINGS, headers(1, 0x82))).facts().protocol());
    }
}
