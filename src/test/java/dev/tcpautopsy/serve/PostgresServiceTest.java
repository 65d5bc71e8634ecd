package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole service with its index on PostgreSQL, the team installation: upload, search, restart, delete. */
class PostgresServiceTest {
    @TempDir
    Path data;

    @Test
    void theServiceKeepsItsIndexInPostgres() throws Exception {
        try (Postgres pg = Postgres.schema()) {
            ServeSettings s = ServeHarness.settings(data).withDatabase(pg.url, null, null);
            String id;
            try (ServeHarness h = new ServeHarness(s)) {
                assertEquals("jdbc", h.http.get("/api/health").json().path("index").asText());
                id = ServeHarness.id(h.http.upload(List.of(new Http.Part("pg.pcap", ServeHarness.sample("rst-unread-data-server.pcap"))),
                        Map.of("ticket", "PG-1")));
                JsonNode a = h.http.awaitEnd(id, Duration.ofSeconds(60));
                assertEquals("done", a.path("state").asText(), a.toString());
            }
            assertFalse(Files.exists(data.resolve("index.mv.db")), "no embedded index when a JDBC URL is given");
            try (ServeHarness h = new ServeHarness(s)) {
                JsonNode found = h.http.get("/api/analyses?ticket=pg-1").json().path("analyses");
                assertEquals(1, found.size());
                assertEquals(id, found.get(0).path("id").asText());
                assertEquals(200, h.http.get("/a/" + id + "/report.html").status());
                String host = h.http.get("/a/" + id + "/report.json").json().path("captures").get(0).path("flows").get(0)
                        .path("server").path("ip").asText();
                assertEquals(id, h.http.get("/api/analyses?host=" + host).json().path("analyses").get(0).path("id").asText());
                assertEquals(200, h.http.delete("/api/analyses/" + id).status());
                assertTrue(h.http.get("/api/analyses").json().path("analyses").isEmpty());
            }
        }
    }

    @Test
    void aPairIsComparedAndFoundWithItsIndexInPostgres() throws Exception {
        try (Postgres pg = Postgres.schema()) {
            ServeSettings s = ServeHarness.settings(data).withDatabase(pg.url, null, null);
            String id;
            try (ServeHarness h = new ServeHarness(s)) {
                id = ServeHarness.id(h.http.uploadPair(List.of(new Http.Part("client.pcap",
                        ServeHarness.sample("pairs/faults-a.pcap"))), List.of(new Http.Part("server.pcap",
                        ServeHarness.sample("pairs/faults-b.pcap"))), Map.of("ticket", "PG-PAIR")));
                assertEquals("done", h.http.awaitEnd(id, Duration.ofSeconds(90)).path("state").asText());
            }
            try (ServeHarness h = new ServeHarness(s)) {
                JsonNode a = h.http.get("/api/analyses?name=server.pcap").json().path("analyses");
                assertEquals(1, a.size());
                assertEquals(id, a.get(0).path("id").asText());
                assertTrue(a.get(0).path("results").path("summary").asText().contains("identical at both points"));
                assertEquals("client.pcap", a.get(0).path("points").path("a").get(0).path("file").asText());
                assertEquals(200, h.http.get("/a/" + id + "/compare.html").status());
                assertEquals(200, h.http.delete("/api/analyses/" + id).status());
                assertFalse(Files.exists(data.resolve("captures").resolve(id)));
            }
        }
    }

    @Test
    void twoServicesOnOneIndexEachKeepToTheirOwnAnalyses() throws Exception {
        try (Postgres pg = Postgres.schema()) {
            ServeSettings first = ServeHarness.settings(data.resolve("first")).withDatabase(pg.url, null, null)
                    .withWorkers(1, Duration.ofMinutes(5), ServeHarness.MISBEHAVING);
            ServeSettings second = ServeHarness.settings(data.resolve("second")).withDatabase(pg.url, null, null);
            try (ServeHarness a = new ServeHarness(first)) {
                String running = ServeHarness.id(a.http.upload("hang.pcap", ServeHarness.sample("midstream.pcap")));
                ServeHarness.await("the first one's worker in its job", () -> Files.exists(data.resolve("first")
                        .resolve("tmp").resolve(MisbehavingWorker.HANGING + running)));
                byte[] waiting = ServeHarness.sample("rst-abort-server.pcap");
                String queued = ServeHarness.id(a.http.upload("waiting.pcap", waiting));
                try (ServeHarness b = new ServeHarness(second)) {
                    // the same content uploaded to the second service is its own analysis: the first one's
                    // capture is in the first one's data directory
                    String own = ServeHarness.id(b.http.upload("also-waiting.pcap", waiting));
                    assertFalse(own.equals(queued), "not attached to the other service's analysis");
                    assertEquals("done", b.http.awaitEnd(own, Duration.ofSeconds(60)).path("state").asText());
                    JsonNode listed = b.http.get("/api/analyses").json().path("analyses");
                    assertEquals(1, listed.size(), listed.toString());
                    assertEquals(404, b.http.get("/api/analyses/" + running).status());
                    assertEquals(404, b.http.delete("/api/analyses/" + queued).status());
                }
                // the second one took nothing over: its queue ran past where they would have been
                assertEquals("running", a.http.get("/api/analyses/" + running).json().path("state").asText());
                assertEquals("queued", a.http.get("/api/analyses/" + queued).json().path("state").asText());
                assertEquals(2, a.http.get("/api/analyses").json().path("analyses").size());
            }
        }
    }

    @Test
    void aCopyOfADataDirectoryIsNotServedWhileTheOriginalIs() throws Exception {
        try (Postgres pg = Postgres.schema()) {
            ServeSettings original = ServeHarness.settings(data.resolve("original")).withDatabase(pg.url, null, null);
            try (ServeHarness a = new ServeHarness(original)) {
                Path copy = Files.createDirectories(data.resolve("copy"));
                Files.copy(data.resolve("original").resolve("instance"), copy.resolve("instance"));
                java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> new ServeHarness(ServeHarness.settings(copy).withDatabase(pg.url, null, null)));
                assertTrue(e.getMessage().contains("served by another tcpautopsy serve") && e.getMessage()
                        .contains(data.resolve("original").toString()), e.getMessage());
                assertEquals(200, a.http.get("/api/health").status());
            }
            // an orderly stop gives the lease up: the copy may serve it now
            try (ServeHarness b = new ServeHarness(ServeHarness.settings(data.resolve("copy")).withDatabase(pg.url, null,
                    null))) {
                assertEquals(200, b.http.get("/api/health").status());
            }
        }
    }
}
