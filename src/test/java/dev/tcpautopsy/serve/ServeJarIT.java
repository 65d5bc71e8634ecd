package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar target/tcpautopsy.jar serve}: the shaded jar serves, runs its workers from itself, and stops cleanly. */
class ServeJarIT {
    @TempDir
    Path tmp;

    @Test
    void theJarServesAnUploadAndStopsOnSigterm() throws Exception {
        Path jar = Paths.get(System.getProperty("tcpautopsy.jar", "target/tcpautopsy.jar"));
        Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "serve", "--port", "0", "--data", tmp.resolve("data").toString(), "--workers", "1")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+/)").matcher(String.valueOf(first));
            assertTrue(m.find(), "first line: " + first);
            // the rest of the output, read as it comes (Process.destroy closes the pipe)
            StringBuffer log = new StringBuffer();
            Thread reader = new Thread(() -> {
                try {
                    out.lines().forEach(l -> log.append(l).append('\n'));
                } catch (java.io.UncheckedIOException closed) {
                    // the pipe closed with the process
                }
            });
            reader.start();
            Http http = new Http(m.group(1), null);
            String id = ServeHarness.id(http.upload("jar.pcap", ServeHarness.sample("zero-window-client-stall.pcap")));
            JsonNode a = http.awaitEnd(id, Duration.ofSeconds(90));
            assertEquals("done", a.path("state").asText(), a.toString());
            assertTrue(http.get("/a/" + id + "/report.html").text().contains("jar.pcap"));
            List<ProcessHandle> workers = p.descendants().toList();
            assertEquals(1, workers.size(), "one worker process");

            p.destroy();  // SIGTERM, as a service manager stops it
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(p.exitValue() == 0 || p.exitValue() == 143, "exit " + p.exitValue());
            for (ProcessHandle w : workers) {
                w.onExit().get(10, TimeUnit.SECONDS);
            }
            reader.join(5000);
            assertTrue(log.toString().contains("\"POST /api/analyses\" 202"), "an access log line a request: " + log);
        } finally {
            p.destroyForcibly();
        }
    }
}
