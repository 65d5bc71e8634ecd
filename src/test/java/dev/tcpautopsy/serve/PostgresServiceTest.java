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
}
