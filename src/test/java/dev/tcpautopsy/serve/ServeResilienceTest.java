package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture that hangs or crashes the analyzer fails its own analysis only, in a real worker
 * process; and a restart loses nothing. {@link MisbehavingWorker} misbehaves for captures named
 * {@code hang*}, {@code crash*}, {@code slow*}.
 */
class ServeResilienceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path data;

    @Test
    void aHangIsStoppedAtTheTimeLimitAndTheServiceGoesOn() throws Exception {
        // the limit holds for the next capture too, the first job of a fresh JVM (class loading, a cold
        // JIT): on a loaded 2-core machine that took over 2 s, so the limit leaves it room
        ServeSettings s = ServeHarness.settings(data).withWorkers(1, Duration.ofSeconds(15), ServeHarness.MISBEHAVING);
        try (ServeHarness h = new ServeHarness(s)) {
            String hang = ServeHarness.id(h.http.upload("hang.pcap", ServeHarness.sample("refused-no-listener.pcap")));
            String next = ServeHarness.id(h.http.upload("after.pcap", ServeHarness.sample("rst-abort-server.pcap")));
            long t0 = System.nanoTime();
            while (!h.http.get("/api/analyses/" + hang).json().path("state").asText().equals("failed")) {
                // the service answers while the worker hangs
                assertEquals(200, h.http.get("/api/health").status());
                Thread.sleep(100);
                assertTrue(System.nanoTime() - t0 < WAIT.toNanos(), "the time limit never fired");
            }
            JsonNode failed = h.http.get("/api/analyses/" + hang).json();
            assertTrue(failed.path("reason").asText().contains("time limit of 15s"), failed.toString());
            assertEquals("done", h.http.awaitEnd(next, WAIT).path("state").asText(), "the next capture gets a fresh worker");
        }
    }

    @Test
    void progressIsShownWhileAnAnalysisRuns() throws Exception {
        ServeSettings s = ServeHarness.settings(data).withWorkers(1, Duration.ofSeconds(60), ServeHarness.MISBEHAVING);
        try (ServeHarness h = new ServeHarness(s)) {
            String id = ServeHarness.id(h.http.upload("slow.pcap", ServeHarness.sample("midstream.pcap")));
            long deadline = System.nanoTime() + WAIT.toNanos();
            JsonNode seen = null;
            while (seen == null && System.nanoTime() < deadline) {
                JsonNode a = h.http.get("/api/analyses/" + id).json();
                if (a.path("progress").path("percent").asInt() == 50) {
                    seen = a;
                }
                Thread.sleep(20);
            }
            assertTrue(seen != null, "the worker's progress reached the API");
            assertEquals("running", seen.path("state").asText());
            assertEquals(7, seen.path("progress").path("packets").asLong());
            MisbehavingWorker.letGo(data, id);
            JsonNode done = h.http.awaitEnd(id, WAIT);
            assertEquals("done", done.path("state").asText());
            assertTrue(done.path("progress").isMissingNode(), "no progress once done");
        }
    }

    @Test
    void aCrashFailsOnlyItsOwnAnalysis() throws Exception {
        ServeSettings s = ServeHarness.settings(data).withWorkers(1, Duration.ofSeconds(60), ServeHarness.MISBEHAVING);
        try (ServeHarness h = new ServeHarness(s)) {
            String before = ServeHarness.id(h.http.upload("before.pcap", ServeHarness.sample("midstream.pcap")));
            String crash = ServeHarness.id(h.http.upload("crash.pcap", ServeHarness.sample("refused-no-listener.pcap")));
            String after = ServeHarness.id(h.http.upload("after.pcap", ServeHarness.sample("rst-abort-server.pcap")));
            JsonNode c = h.http.awaitEnd(crash, WAIT);
            assertEquals("failed", c.path("state").asText());
            String reason = c.path("reason").asText();
            assertTrue(reason.contains("killed by signal 6 (SIGABRT") && reason.contains("simulated fault"), reason);
            assertEquals("done", h.http.awaitEnd(before, WAIT).path("state").asText());
            assertEquals("done", h.http.awaitEnd(after, WAIT).path("state").asText());
            // uploading it again retries it (the failure could have been a passing one)
            JsonNode again = h.http.upload("crash.pcap", ServeHarness.sample("refused-no-listener.pcap")).json();
            assertEquals("queued", again.path("uploads").get(0).path("state").asText(), again.toString());
            assertEquals(crash, again.path("uploads").get(0).path("id").asText());
        }
    }

    @Test
    void aWorkerOutOfHeapFailsItsAnalysisWithTheReason() throws Exception {
        // the real worker, with a heap far too small for the analysis: the JVM itself gives up
        ServeSettings s = ServeHarness.settings(data).withWorkers(1, Duration.ofSeconds(60), List.of("-Xmx4m",
                "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", AnalysisWorker.class.getName()));
        try (ServeHarness h = new ServeHarness(s)) {
            JsonNode a = h.http.awaitEnd(ServeHarness.id(h.http.upload("big.pcap", ServeHarness.sample("random-loss.pcap"))),
                    WAIT);
            assertEquals("failed", a.path("state").asText());
            assertTrue(a.path("reason").asText().contains("OutOfMemoryError: Java heap space"), a.toString());
            assertEquals(200, h.http.get("/api/health").status());
        }
    }

    @Test
    void deletingARunningAnalysisStopsItsWorker() throws Exception {
        ServeSettings s = ServeHarness.settings(data).withWorkers(1, Duration.ofMinutes(5), ServeHarness.MISBEHAVING);
        try (ServeHarness h = new ServeHarness(s)) {
            String hang = ServeHarness.id(h.http.upload("hang.pcap", ServeHarness.sample("midstream.pcap")));
            ServeLimitsTest.awaitState(h, hang, "running");
            String next = ServeHarness.id(h.http.upload("next.pcap", ServeHarness.sample("rst-abort-server.pcap")));
            assertEquals(200, h.http.delete("/api/analyses/" + hang).status());
            assertEquals("done", h.http.awaitEnd(next, WAIT).path("state").asText(), "the one slot is free again");
            assertEquals(404, h.http.get("/api/analyses/" + hang).status());
        }
    }

    @Test
    void aSecondServiceOnTheSameDataIsRefusedAndTouchesNothing() throws Exception {
        ServeSettings s = ServeHarness.settings(data).withWorkers(1, Duration.ofMinutes(5), ServeHarness.MISBEHAVING);
        try (ServeHarness h = new ServeHarness(s)) {
            String hang = ServeHarness.id(h.http.upload("hang.pcap", ServeHarness.sample("midstream.pcap")));
            ServeLimitsTest.awaitState(h, hang, "running");
            // "running" is recorded when a slot claims the analysis, just before it makes the work directory
            ServeHarness.await("the work directory of the running analysis",
                    () -> java.nio.file.Files.isDirectory(data.resolve("work").resolve(hang)));
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> new ServeHarness(s.withPort(0)));
            assertTrue(e.getMessage().contains("is in use by another tcpautopsy serve"), e.getMessage());
            assertTrue(java.nio.file.Files.isDirectory(data.resolve("work").resolve(hang)), "its work in flight is intact");
            assertEquals(200, h.http.get("/api/analyses/" + hang).status());
        }
        try (ServeHarness again = new ServeHarness(s)) {
            assertEquals(200, again.http.get("/api/health").status(), "free once the first one stopped");
        }
    }

    @Test
    void aRestartLosesNothing() throws Exception {
        ServeSettings misbehaving = ServeHarness.settings(data).withWorkers(1, Duration.ofSeconds(60), ServeHarness.MISBEHAVING);
        String done;
        String running;
        String queued;
        String queuedPair;
        byte[] report;
        ServeHarness first = new ServeHarness(misbehaving);
        try {
            done = ServeHarness.id(first.http.upload("finished.pcap", ServeHarness.sample("midstream.pcap")));
            first.http.awaitEnd(done, WAIT);
            report = first.http.get("/a/" + done + "/report.html").body();
            // hangs in the first service's worker (so it is surely running when that one dies), fine in the second's
            running = ServeHarness.id(first.http.upload("hang-then-fine.pcap", ServeHarness.sample("rst-abort-server.pcap")));
            queued = ServeHarness.id(first.http.upload("waiting.pcap", ServeHarness.sample("refused-no-listener.pcap")));
            queuedPair = ServeHarness.id(first.http.uploadPair(List.of(new Http.Part("a.pcap",
                    ServeHarness.sample("pairs/nat-a.pcap"))), List.of(new Http.Part("b.pcap",
                    ServeHarness.sample("pairs/nat-b.pcap"))), java.util.Map.of()));
            ServeLimitsTest.awaitState(first, running, "running");
        } finally {
            first.service.halt();  // as a crash of the service would: nothing is tidied up
        }

        try (ServeHarness second = new ServeHarness(ServeHarness.settings(data))) {
            assertTrue(second.log.stream().anyMatch(l -> l.contains("resuming 3 queued")), second.log.toString());
            assertEquals("done", second.http.awaitEnd(running, WAIT).path("state").asText(), "the interrupted one ran again");
            assertEquals("done", second.http.awaitEnd(queued, WAIT).path("state").asText());
            assertEquals("done", second.http.awaitEnd(queuedPair, WAIT).path("state").asText(), "a pair too");
            assertEquals(200, second.http.get("/a/" + queuedPair + "/compare.html").status());
            assertArrayEquals(report, second.http.get("/a/" + done + "/report.html").body(), "finished reports are still there");
            assertEquals(4, second.http.get("/api/analyses").json().path("analyses").size());
        }
    }

    @Test
    void anAnalysisInterruptedTwiceFailsWithTheReason() throws Exception {
        ServeSettings hanging = ServeHarness.settings(data).withWorkers(1, Duration.ofMinutes(5), ServeHarness.MISBEHAVING);
        String id = null;
        for (int run = 0; run < Service.MAX_ATTEMPTS; run++) {
            ServeHarness h = new ServeHarness(hanging);
            try {
                if (id == null) {
                    id = ServeHarness.id(h.http.upload("hang-forever.pcap", ServeHarness.sample("midstream.pcap")));
                }
                ServeLimitsTest.awaitState(h, id, "running");
            } finally {
                h.service.halt();
            }
        }
        try (ServeHarness h = new ServeHarness(hanging)) {
            JsonNode a = h.http.get("/api/analyses/" + id).json();
            assertEquals("failed", a.path("state").asText(), a.toString());
            assertTrue(a.path("reason").asText().contains("stopped 2 times"), a.toString());
        }
    }

    @Test
    void anOrderlyStopPutsRunningAnalysesBackWithoutCountingIt() throws Exception {
        ServeSettings hanging = ServeHarness.settings(data).withWorkers(1, Duration.ofMinutes(5), ServeHarness.MISBEHAVING);
        String id;
        try (ServeHarness h = new ServeHarness(hanging)) {
            id = ServeHarness.id(h.http.upload("hang.pcap", ServeHarness.sample("midstream.pcap")));
            ServeLimitsTest.awaitState(h, id, "running");
        }
        for (int run = 0; run < Service.MAX_ATTEMPTS; run++) {
            try (ServeHarness h = new ServeHarness(hanging)) {
                ServeLimitsTest.awaitState(h, id, "running");
            }
        }
        try (ServeHarness h = new ServeHarness(hanging)) {
            assertEquals("running", h.http.get("/api/analyses/" + id).json().path("state").asText(),
                    "three orderly stops, and it is still taken up again");
        }
    }

    @Test
    void aWorkerStopsAtOnceWhenItsServerIsKilledEvenBeforeAnyoneReapsIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(Path.of("/proc/self")),
                "skipped: reads process states from /proc (Linux)");
        Path serverData = data.resolve("killed");
        // bash starts the server and becomes sleep, which never reaps it: a killed server stays a zombie,
        // as it does under a supervisor that is slow to reap
        String cmd = String.join(" ", ServeProcess.java(ServeProcess.class, serverData.toString()).stream()
                .map(a -> "'" + a + "'").toList()) + " & exec sleep 120";
        Process parent = new ProcessBuilder("bash", "-c", cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Long worker = null;
        Long server = null;
        try {
            String[] first = new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine().split(" ");
            server = Long.parseLong(first[1]);
            Http http = new Http("http://127.0.0.1:" + first[0], null);
            String id = ServeHarness.id(http.upload("hang.pcap", ServeHarness.sample("midstream.pcap")));
            ServeHarness.await("running", () -> http.get("/api/analyses/" + id).json().path("state").asText()
                    .equals("running"));
            ServeHarness.await("the worker in the middle of its job", () -> java.nio.file.Files.exists(
                    serverData.resolve("tmp").resolve(MisbehavingWorker.HANGING + id)));
            ProcessHandle s = ProcessHandle.of(server).orElseThrow();
            worker = s.children().findAny().orElseThrow().pid();

            s.destroyForcibly();
            long t0 = System.nanoTime();
            long serverPid = server;
            ServeHarness.await("the server's death", () -> ServeProcess.dead(serverPid));
            assertTrue(java.nio.file.Files.exists(Path.of("/proc", Long.toString(server))), "unreaped: a zombie");
            long workerPid = worker;
            ServeHarness.await("the worker's end", () -> ServeProcess.dead(workerPid));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // it polled its parent before, ever more slowly, and took the zombie for alive: it never ended
            assertTrue(ms < 5_000, "the worker outlived its server by " + ms + " ms");
        } finally {
            if (worker != null) {
                ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (server != null) {
                ProcessHandle.of(server).ifPresent(ProcessHandle::destroyForcibly);
            }
            parent.destroyForcibly();
            parent.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerStartsNoJobWhoseWorkDirectoryIsStillHeld() throws Exception {
        ServeSettings hanging = ServeHarness.settings(data).withWorkers(1, Duration.ofMinutes(5), ServeHarness.MISBEHAVING);
        String id;
        ServeHarness first = new ServeHarness(hanging);
        try {
            id = ServeHarness.id(first.http.upload("hang-then-fine.pcap", ServeHarness.sample("rst-abort-server.pcap")));
            ServeLimitsTest.awaitState(first, id, "running");
        } finally {
            first.service.halt();
        }
        // a worker of that service that is still writing its reports (as one that ignored its end would be)
        Path work = data.resolve("work").resolve(id);
        Process holder = new ProcessBuilder(ServeProcess.java(HoldLock.class, work.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            assertEquals("held", line);
            try (ServeHarness second = new ServeHarness(ServeHarness.settings(data))) {
                ServeHarness.await("the wait for the held directory", () -> second.log.stream()
                        .anyMatch(l -> l.contains("analysis " + id + " waits")));
                assertEquals("queued", second.http.get("/api/analyses/" + id).json().path("state").asText());
                assertTrue(java.nio.file.Files.exists(work.resolve("partial-report")), "its directory is left alone");
                holder.getOutputStream().close();  // the old worker ends
                assertTrue(holder.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals("done", second.http.awaitEnd(id, WAIT).path("state").asText());
            }
        } finally {
            holder.destroyForcibly();
        }
    }
}
