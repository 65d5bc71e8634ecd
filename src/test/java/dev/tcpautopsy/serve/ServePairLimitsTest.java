package dev.tcpautopsy.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tcpautopsy.serve.ServeLimitsTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pair is held to the limits and the token of any upload: its files count together, as one analysis. */
class ServePairLimitsTest {
    @TempDir
    Path data;

    private static List<Http.Part> point(String... names) throws Exception {
        byte[] c = Files.readAllBytes(ServeHarness.SAMPLES.resolve("pairs").resolve("faults-a.pcap"));
        return java.util.Arrays.stream(names).map(n -> new Http.Part(n, c)).toList();
    }

    @Test
    void theFilesOfBothPointsCountTogether() throws Exception {
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data).withLimits(1 << 20, 2, 100, 0))) {
            assertRefused(h.http.uploadPair(point("a1.pcap", "a2.pcap"), point("b.pcap"), Map.of()), 413,
                    "too_many_files", "--max-files");
            assertEquals(202, h.http.uploadPair(point("a1.pcap"), point("b.pcap"), Map.of()).status());
        }
        long one = Files.size(ServeHarness.SAMPLES.resolve("pairs").resolve("faults-a.pcap"));
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data.resolve("size"))
                .withLimits(one + one / 2, 20, 100, 0))) {
            assertRefused(h.http.fresh().uploadPair(point("a.pcap"), point("b.pcap"), Map.of()), 413,
                    "upload_too_large", "--max-upload");
            assertEquals(0, h.http.get("/api/analyses").json().path("analyses").size(), "nothing taken");
        }
    }

    @Test
    void aPairIsOneAnalysisInTheQueue() throws Exception {
        ServeSettings s = ServeHarness.settings(data).withLimits(1 << 20, 20, 1, 0)
                .withWorkers(1, Duration.ofMinutes(5), ServeHarness.MISBEHAVING);
        try (ServeHarness h = new ServeHarness(s)) {
            String running = ServeHarness.id(h.http.upload("hang.pcap", ServeHarness.sample("refused-no-listener.pcap")));
            ServeLimitsTest.awaitState(h, running, "running");
            String waiting = ServeHarness.id(h.http.uploadPair(point("a.pcap"), point("b.pcap"), Map.of()));
            assertEquals("queued", h.http.get("/api/analyses/" + waiting).json().path("state").asText());
            Http.Response full = h.http.uploadPair(point("a.pcap", "a2.pcap"), point("b.pcap"), Map.of());
            assertRefused(full, 503, "queue_full", "--max-queued");
            assertNotNull(full.header("Retry-After"));
        }
    }

    @Test
    void theTokenGuardsAPairAndItsFiles() throws Exception {
        String token = "t0k-" + System.nanoTime();
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data).withToken(token))) {
            Http anonymous = h.http.withToken(null);
            assertEquals(401, anonymous.uploadPair(point("a.pcap"), point("b.pcap"), Map.of()).status());
            String id = ServeHarness.id(h.http.uploadPair(point("a.pcap"), point("b.pcap"), Map.of()));
            assertEquals("done", h.http.awaitEnd(id, Duration.ofSeconds(90)).path("state").asText());
            assertRefused(anonymous.get("/api/analyses/" + id), 401, "unauthorized", "--token");
            for (String page : List.of("/a/" + id, "/a/" + id + "/compare.html", "/a/" + id + "/compare.csv",
                    "/a/" + id + "/bundle.zip", "/a/" + id + "/capture/a1")) {
                Http.Response r = anonymous.get(page);
                assertEquals(302, r.status(), page);
                assertTrue(r.header("Location").startsWith("/login?next="), page);
                assertEquals(200, h.http.get(page).status(), page);
            }
        }
    }
}
