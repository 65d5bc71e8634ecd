package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a client is told when something goes wrong on the server: the analysis, never a path of the server's disk. */
class ServeErrorsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path data;

    @Test
    void aReportFileGoneFromDiskIsA404ThatNamesTheAnalysis() throws Exception {
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data))) {
            String id = ServeHarness.id(h.http.upload("gone.pcap", ServeHarness.sample("rst-abort-server.pcap")));
            h.http.awaitEnd(id, WAIT);
            // as a DELETE does it between the lookup in the index and the opening of the file
            Files.delete(data.resolve("reports").resolve(id).resolve("flows.csv"));
            Http.Response csv = h.http.get("/a/" + id + "/flows.csv");
            assertEquals(404, csv.status(), csv.text());
            assertTrue(csv.json().path("error").asText().contains(id), csv.text());
            assertFalse(csv.text().contains(data.toString()), csv.text());
            // the bundle opens its four files before it answers: no 200 that breaks off
            Raw zip = Raw.get(h.service.port(), "/a/" + id + "/bundle.zip");
            assertEquals(404, zip.status(), zip.text());
            assertFalse(zip.text().contains(data.toString()), zip.text());
            Files.delete(data.resolve("captures").resolve(id));
            Http.Response capture = h.http.get("/a/" + id + "/capture");
            assertEquals(404, capture.status(), capture.text());
            assertFalse(capture.text().contains(data.toString()), capture.text());
        }
    }

    @Test
    void aFailedAnalysisGivesItsReasonWithoutTheServersPaths() throws Exception {
        ServeSettings s = ServeHarness.settings(data).withWorkers(1, WAIT, ServeHarness.MISBEHAVING);
        try (ServeHarness h = new ServeHarness(s)) {
            String id = ServeHarness.id(h.http.upload("blocked.pcap", ServeHarness.sample("rst-abort-server.pcap")));
            JsonNode a = h.http.awaitEnd(id, WAIT);
            assertEquals("failed", a.path("state").asText(), a.toString());
            String reason = a.path("reason").asText();
            assertTrue(reason.startsWith("the analyzer failed: "), reason);
            assertTrue(reason.contains(id), "it names the analysis's files: " + reason);
            assertFalse(reason.contains(data.toString()), reason);
        }
    }

    @Test
    void exceptionTextsLoseTheirPaths() {
        Path root = Path.of("/srv/tcpautopsy");
        assertEquals("NoSuchFileException: reports/abc/flows.csv",
                SafeText.withoutPaths("NoSuchFileException: /srv/tcpautopsy/reports/abc/flows.csv", root));
        assertEquals("Cannot run program \"java\": error=12", SafeText.withoutPaths(
                "Cannot run program \"/usr/lib/jvm/java-17/bin/java\": error=12", root));
        assertEquals("read 2/3 of the file at byte 40", SafeText.withoutPaths("read 2/3 of the file at byte 40", root));
    }
}
