package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
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

    /** A service started from the jar, its output read as it comes (Process.destroy closes the pipe). */
    private record Running(Process process, Http http, StringBuffer log, Thread reader) {
    }

    private Running start(List<String> jvm, String... args) throws IOException {
        Path jar = Paths.get(System.getProperty("tcpautopsy.jar", "target/tcpautopsy.jar"));
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar.toString(), "serve", "--port", "0", "--data", tmp.resolve("data").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        Matcher m = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+/)").matcher(String.valueOf(first));
        if (!m.find()) {
            p.destroyForcibly();
            throw new AssertionError("first line: " + first);
        }
        StringBuffer log = new StringBuffer();
        Thread reader = new Thread(() -> {
            try {
                out.lines().forEach(l -> log.append(l).append('\n'));
            } catch (java.io.UncheckedIOException closed) {
                // the pipe closed with the process
            }
        });
        reader.start();
        return new Running(p, new Http(m.group(1), null), log, reader);
    }

    @Test
    void theJarServesAnUploadAndStopsOnSigterm() throws Exception {
        Running r = start(List.of(), "--workers", "1");
        Process p = r.process();
        try {
            String id = ServeHarness.id(r.http().upload("jar.pcap", ServeHarness.sample("zero-window-client-stall.pcap")));
            JsonNode a = r.http().awaitEnd(id, Duration.ofSeconds(90));
            assertEquals("done", a.path("state").asText(), a.toString());
            assertTrue(r.http().get("/a/" + id + "/report.html").text().contains("jar.pcap"));
            List<ProcessHandle> workers = p.descendants().toList();
            assertEquals(1, workers.size(), "one worker process");

            p.destroy();  // SIGTERM, as a service manager stops it
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(p.exitValue() == 0 || p.exitValue() == 143, "exit " + p.exitValue());
            // generous bounds: each returns as soon as the process or the thread is gone
            for (ProcessHandle w : workers) {
                w.onExit().get(60, TimeUnit.SECONDS);
            }
            r.reader().join(60_000);
            assertTrue(r.log().toString().contains("\"POST /api/analyses\" 202"), "an access log line a request: " + r.log());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void uploadsMuchLargerThanTheHeapStreamToDisk() throws Exception {
        // 160 MiB through a service whose whole heap is 48 MiB: only streaming gets it through
        Path big = bigCapture(tmp.resolve("big.pcap"), 160L << 20);
        Running r = start(List.of("-Xmx48m"), "--workers", "1", "--analysis-timeout", "5m");
        try {
            Http.Response multipart = r.http().uploadFile(big, "big-multipart.pcap");
            assertEquals(202, multipart.status(), multipart.text());
            String id = ServeHarness.id(multipart);
            assertEquals(Files.size(big), r.http().get("/api/analyses/" + id).json().path("bytes").asLong());
            assertEquals(200, r.http().delete("/api/analyses/" + id).status());
            // the same bytes as a raw body: a new analysis again (the first was deleted)
            Http.Response raw = r.http().post("/api/analyses?name=big-raw.pcap", "application/octet-stream",
                    HttpRequest.BodyPublishers.ofFile(big));
            assertEquals(202, raw.status(), raw.text());
            assertEquals(Checked.sha256(big), r.http().get("/api/analyses/" + ServeHarness.id(raw)).json()
                    .path("sha256").asText());
            assertTrue(r.process().isAlive());
            assertTrue(!r.log().toString().contains("OutOfMemoryError"), r.log().toString());
        } finally {
            r.process().destroy();
            r.process().waitFor(30, TimeUnit.SECONDS);
            r.process().destroyForcibly();
        }
    }

    /** A pcap of full-size TCP segments of one connection, {@code size} bytes or a little more. */
    static Path bigCapture(Path file, long size) throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(16 + 1514).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
            out.write(h.array());
            long written = 24;
            for (int i = 0; written < size; i++) {
                rec.clear();
                rec.putInt(1_700_000_000 + i / 1000).putInt((i % 1000) * 1000).putInt(1514).putInt(1514);
                rec.order(ByteOrder.BIG_ENDIAN);
                rec.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
                // IPv4 198.18.0.1 -> 198.18.1.2, TCP 40000 -> 80, ACK with 1460 bytes
                rec.put(new byte[] {0x45, 0}).putShort((short) 1500).putInt(0).put(new byte[] {64, 6, 0, 0})
                        .put(new byte[] {(byte) 198, 18, 0, 1, (byte) 198, 18, 1, 2});
                rec.putShort((short) 40000).putShort((short) 80).putInt(1 + i * 1460).putInt(1)
                        .put(new byte[] {0x50, 0x10}).putShort((short) 65535).putInt(0);
                rec.position(16 + 1514);
                rec.order(ByteOrder.LITTLE_ENDIAN);
                out.write(rec.array());
                written += rec.capacity();
            }
        }
        return file;
    }
}
