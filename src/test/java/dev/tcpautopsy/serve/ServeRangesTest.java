package dev.tcpautopsy.serve;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Range requests on the capture and the report downloads, as RFC 9110 has them (section 14). */
class ServeRangesTest {
    @TempDir
    static Path data;
    static ServeHarness h;
    static String id;
    static byte[] capture;
    static byte[] csv;

    @BeforeAll
    static void start() throws Exception {
        h = new ServeHarness(ServeHarness.settings(data));
        capture = ServeHarness.sample("rst-abort-client.pcap");
        id = ServeHarness.id(h.http.upload("ranges.pcap", capture));
        assertEquals("done", h.http.awaitEnd(id, Duration.ofSeconds(60)).path("state").asText());
        csv = h.http.get("/a/" + id + "/flows.csv").body();
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static Raw get(String file, String... headers) throws Exception {
        return Raw.get(h.service.port(), "/a/" + id + "/" + file, headers);
    }

    @Test
    void aStartPastTheEndIsUnsatisfiableAndAnsweredAtOnce() throws Exception {
        // the reading loop of a seekable stream once skipped forever past the end: the answer never came
        for (String range : new String[] {"bytes=" + (capture.length + 310) + "-", "bytes=" + capture.length + "-",
                "bytes=" + (capture.length + 5) + "-" + (capture.length + 10)}) {
            Raw r = get("capture", "Range", range);
            assertEquals(416, r.status(), range + ": " + r.text());
            assertEquals("bytes */" + capture.length, r.header("Content-Range"), range);
        }
        Raw r = get("flows.csv", "Range", "bytes=" + (csv.length + 1) + "-");
        assertEquals(416, r.status());
        assertEquals("bytes */" + csv.length, r.header("Content-Range"));
    }

    @Test
    void oneRangeIsPartialContent() throws Exception {
        assertPartial("bytes=0-99", 0, 99);
        assertPartial("bytes=100-", 100, capture.length - 1);
        assertPartial("bytes=-100", capture.length - 100, capture.length - 1);
        assertPartial("bytes=10-10", 10, 10);
        assertPartial("bytes=20-999999", 20, capture.length - 1);
        assertPartial("bytes=-999999", 0, capture.length - 1);
        assertPartial("Bytes=5-9", 5, 9);
        // two ranges that touch are one (RFC 9110 lets a server coalesce them)
        assertPartial("bytes=0-9, 10-19", 0, 19);
        assertPartial("bytes=5-30,0-9", 0, 30);
    }

    @Test
    void reportDownloadsTakeRangesToo() throws Exception {
        Raw r = get("flows.csv", "Range", "bytes=0-9");
        assertEquals(206, r.status(), r.text());
        assertEquals("bytes 0-9/" + csv.length, r.header("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(csv, 0, 10), r.body());
        Raw tail = get("flows.csv", "Range", "bytes=-7");
        assertArrayEquals(Arrays.copyOfRange(csv, csv.length - 7, csv.length), tail.body());
        assertEquals("bytes", get("report.json").header("Accept-Ranges"));
    }

    @Test
    void whatIsNotOneSatisfiableRangeGetsTheWholeFileOr416() throws Exception {
        // several disjoint ranges: the RFC lets a server ignore them and send the whole representation
        Raw multi = get("capture", "Range", "bytes=0-9,20-29");
        assertEquals(200, multi.status(), multi.text());
        assertArrayEquals(capture, multi.body());
        // another unit is not ours to interpret
        Raw items = get("capture", "Range", "items=0-5");
        assertEquals(200, items.status());
        assertArrayEquals(capture, items.body());
        // a bytes range that cannot be read, or asks for nothing
        for (String bad : new String[] {"bytes=abc", "bytes=5-2", "bytes=-0", "bytes=", "bytes=1-2-3", "bytes=--5",
                "bytes=99999999999999999999-"}) {
            Raw r = get("capture", "Range", bad);
            assertEquals(416, r.status(), bad + ": " + r.text());
            assertEquals("bytes */" + capture.length, r.header("Content-Range"), bad);
        }
        // the part of a multi-range that can be served is served
        assertPartial("bytes=" + (capture.length + 9) + "-,0-4", 0, 4);
    }

    @Test
    void ifRangeHonoursTheValidator() throws Exception {
        Raw whole = get("capture");
        assertEquals(200, whole.status());
        String etag = whole.header("ETag");
        assertNotNull(etag, "a validator, so that a download can be resumed safely");
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), "a strong one: " + etag);
        Raw resumed = get("capture", "Range", "bytes=100-", "If-Range", etag);
        assertEquals(206, resumed.status());
        Raw changed = get("capture", "Range", "bytes=100-", "If-Range", "\"something-else\"");
        assertEquals(200, changed.status(), "another validator: the range is ignored");
        assertArrayEquals(capture, changed.body());
        Raw dated = get("capture", "Range", "bytes=100-", "If-Range", "Wed, 21 Oct 2015 07:28:00 GMT");
        assertEquals(200, dated.status(), "no Last-Modified is sent, so no date matches");
    }

    private static void assertPartial(String range, int first, int last) throws Exception {
        Raw r = get("capture", "Range", range);
        assertEquals(206, r.status(), range + ": " + r.text());
        assertEquals("bytes " + first + "-" + last + "/" + capture.length, r.header("Content-Range"), range);
        assertEquals(String.valueOf(last - first + 1), r.header("Content-Length"), range);
        assertArrayEquals(Arrays.copyOfRange(capture, first, last + 1), r.body(), range);
    }
}
