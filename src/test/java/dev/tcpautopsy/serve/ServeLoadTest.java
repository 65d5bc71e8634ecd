package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded load on loopback: 100 uploads at once of mixed captures (every sample, damaged copies,
 * duplicates, one file that is no capture). Every upload must end done or failed with a reason,
 * none may be lost, and status calls must be answered throughout. The figures go to standard
 * output and target/serve-load.txt.
 */
class ServeLoadTest {
    private static final int UPLOADS = 100;
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path data;

    private record Upload(String name, byte[] content) {
    }

    @Test
    void aHundredConcurrentUploadsAllEndAndTheServiceAnswersThroughout() throws Exception {
        List<Upload> uploads = mix();
        assertEquals(UPLOADS, uploads.size());
        ServeSettings s = ServeHarness.settings(data).withWorkers(2, Duration.ofSeconds(60), List.of());
        try (ServeHarness h = new ServeHarness(s)) {
            List<Long> latencies = new ArrayList<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Thread poller = new Thread(() -> poll(h.http, ids, loading, latencies), "status-poller");
            poller.start();

            ExecutorService clients = Executors.newFixedThreadPool(UPLOADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Http.Response>> answers = new ArrayList<>();
            for (Upload u : uploads) {
                answers.add(clients.submit(() -> {
                    go.await();
                    return h.http.fresh().upload(List.of(new Http.Part(u.name(), u.content())), Map.of("ticket", "LOAD-1"));
                }));
            }
            long t0 = System.nanoTime();
            go.countDown();
            Map<String, String> idByName = new HashMap<>();
            int refused = 0;
            for (int i = 0; i < uploads.size(); i++) {
                Http.Response r = answers.get(i).get(60, TimeUnit.SECONDS);
                String name = uploads.get(i).name();
                if (r.status() == 415) {
                    // refused at the door: no capture at all, or damaged in its very file header
                    assertTrue(name.startsWith("not-a-capture") || name.startsWith("damaged-"), name + ": " + r.text());
                    assertFalse(r.json().path("error").asText().isBlank());
                    refused++;
                    continue;
                }
                assertFalse(name.startsWith("not-a-capture"), r.text());
                String id = ServeHarness.id(r);
                idByName.put(name, id);
                ids.add(id);
            }
            long uploaded = System.nanoTime();
            clients.shutdown();

            Map<String, JsonNode> ends = new HashMap<>();
            for (Map.Entry<String, String> e : idByName.entrySet()) {
                ends.put(e.getKey(), h.http.awaitEnd(e.getValue(), DEADLINE));
            }
            long ended = System.nanoTime();
            loading.set(false);
            poller.join();

            Set<String> done = new HashSet<>();
            Set<String> failed = new HashSet<>();
            for (Map.Entry<String, JsonNode> e : ends.entrySet()) {
                JsonNode a = e.getValue();
                if (a.path("state").asText().equals("done")) {
                    done.add(a.path("id").asText());
                    assertEquals(200, h.http.get(a.path("links").path("report").asText()).status(), e.getKey());
                } else {
                    failed.add(a.path("id").asText());
                    System.out.println("serve load: " + e.getKey() + " failed: " + a.path("reason").asText());
                    String reason = a.path("reason").asText();
                    assertFalse(reason.isBlank() || reason.contains("\n"), e.getKey() + ": " + reason);
                    assertTrue(e.getKey().startsWith("damaged-"), "only damaged captures fail: " + e.getKey() + ": " + reason);
                }
            }
            // nothing lost: one analysis per distinct content, each listed, every upload recorded
            Set<String> contents = new HashSet<>();
            uploads.stream().filter(u -> idByName.containsKey(u.name())).forEach(u -> contents.add(sha256(u.content())));
            JsonNode listed = h.http.get("/api/analyses?ticket=LOAD-1&limit=500").json().path("analyses");
            assertEquals(contents.size(), listed.size());
            assertEquals(contents.size(), new HashSet<>(idByName.values()).size());
            int recorded = 0;
            for (JsonNode a : listed) {
                recorded += a.path("uploads").size();
            }
            assertEquals(UPLOADS - refused, recorded, "every accepted upload is recorded");
            try (Stream<Path> tmp = Files.list(data.resolve("tmp")); Stream<Path> work = Files.list(data.resolve("work"))) {
                assertEquals(0, tmp.filter(p -> p.getFileName().toString().startsWith("upload-")).count());
                assertEquals(0, work.count());
            }

            long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            assertTrue(lat.length > 20, "the status was asked throughout: " + lat.length);
            long bytes = uploads.stream().mapToLong(u -> u.content().length).sum();
            double total = (ended - t0) / 1e9;
            String figures = String.format(Locale.ROOT, "serve load: %d concurrent uploads (%d bytes; %d analyses, "
                            + "%d duplicates, %d refused at the door): all answered in %.2f s, all ended in %.2f s "
                            + "(%d done, %d failed with a reason); %.1f uploads/s taken, %.1f analyses/s; status calls during the "
                            + "load: %d, latency p50 %d ms, p99 %d ms, max %d ms",
                    UPLOADS, bytes, contents.size(), UPLOADS - refused - contents.size(), refused, (uploaded - t0) / 1e9,
                    total, done.size(), failed.size(), UPLOADS / ((uploaded - t0) / 1e9), contents.size() / total, lat.length, lat[lat.length / 2],
                    lat[(int) (lat.length * 0.99)], lat[lat.length - 1]);
            System.out.println(figures);
            Files.writeString(Path.of("target", "serve-load.txt"), figures + "\n", StandardCharsets.UTF_8);
            assertTrue(lat[lat.length - 1] < 2000, "a status call took " + lat[lat.length - 1] + " ms during the load");
        }
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asks the status of the analyses known so far (the health before any) every 50 ms, timing each call. */
    private static void poll(Http http, Set<String> ids, AtomicBoolean loading, List<Long> latencies) {
        Http own = http.fresh();
        int i = 0;
        while (loading.get()) {
            List<String> known = new ArrayList<>(ids);
            String path = known.isEmpty() ? "/api/health" : "/api/analyses/" + known.get(i++ % known.size());
            long t = System.nanoTime();
            Http.Response r = own.get(path);
            long ms = (System.nanoTime() - t) / 1_000_000;
            if (r.status() != 200) {
                throw new AssertionError(path + ": " + r.status() + " " + r.text());
            }
            synchronized (latencies) {
                latencies.add(ms);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Every sample, then damaged copies, duplicates under other names and a text file, to 100. */
    private static List<Upload> mix() throws Exception {
        List<Upload> out = new ArrayList<>();
        List<Path> samples;
        try (Stream<Path> s = Files.list(ServeHarness.SAMPLES)) {
            samples = s.filter(p -> p.getFileName().toString().matches(".*\\.pcap(ng)?(\\.gz)?")).sorted().toList();
        }
        for (Path p : samples) {
            if (out.size() < UPLOADS - 10) {
                out.add(new Upload(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        Random r = new Random(6);
        int k = 0;
        while (out.size() < UPLOADS - 3) {
            byte[] whole = Files.readAllBytes(samples.get(r.nextInt(samples.size())));
            byte[] damaged = switch (k % 3) {
                // cut anywhere after the file header: analyzed up to the cut, or nothing to analyze
                case 0 -> Arrays.copyOf(whole, 24 + r.nextInt(whole.length - 24));
                // a record header gone wild in the middle
                case 1 -> {
                    byte[] b = whole.clone();
                    int at = 24 + r.nextInt(Math.max(1, b.length - 40));
                    for (int j = 0; j < 16; j++) {
                        b[at + j] = (byte) 0xff;
                    }
                    yield b;
                }
                // garbage after a valid file header
                default -> {
                    byte[] b = Arrays.copyOf(whole, 24 + 4096);
                    for (int j = 24; j < b.length; j++) {
                        b[j] = (byte) r.nextInt(256);
                    }
                    yield b;
                }
            };
            out.add(new Upload("damaged-" + (k++) + ".pcap", damaged));
        }
        out.add(new Upload("again-" + out.get(0).name(), out.get(0).content()));
        out.add(new Upload("again-" + out.get(1).name(), out.get(1).content()));
        out.add(new Upload("not-a-capture.pcap", "220 smtp.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII)));
        return out;
    }
}
