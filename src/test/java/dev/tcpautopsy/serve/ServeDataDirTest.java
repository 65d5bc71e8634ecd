package dev.tcpautopsy.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data directory holds other people's captures: nobody but the service's user reads anything in it. */
class ServeDataDirTest {
    @TempDir
    Path tmp;

    @Test
    void everythingUnderTheDataDirectoryIsTheServicesUsersOnly() throws Exception {
        Path data = tmp.resolve("data");
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data))) {
            String multipart = ServeHarness.id(h.http.upload("small.pcap", ServeHarness.sample("rst-abort-server.pcap")));
            String raw = ServeHarness.id(h.http.post("/api/analyses?name=raw.pcap", "application/octet-stream",
                    HttpRequest.BodyPublishers.ofByteArray(ServeHarness.sample("midstream.pcap"))));
            byte[] big = Files.readAllBytes(ServeJarIT.bigCapture(tmp.resolve("big.pcap"), 200 << 10));
            String spooled = ServeHarness.id(h.http.upload("big.pcap", big));  // past Jetty's in-memory size
            for (String id : List.of(multipart, raw, spooled)) {
                assertEquals("done", h.http.awaitEnd(id, Duration.ofSeconds(60)).path("state").asText());
            }
            List<String> open = new ArrayList<>();
            try (Stream<Path> all = Files.walk(data)) {
                for (Path p : all.toList()) {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                    String want = Files.isDirectory(p) ? "rwx------" : "rw-------";
                    if (!PosixFilePermissions.toString(perms).equals(want)) {
                        open.add(data.relativize(p) + " " + PosixFilePermissions.toString(perms));
                    }
                }
            }
            assertEquals(List.of(), open, "directories 0700, files 0600");
            assertTrue(Files.exists(data.resolve("reports").resolve(spooled).resolve("flows.csv")));
        }
    }
}
