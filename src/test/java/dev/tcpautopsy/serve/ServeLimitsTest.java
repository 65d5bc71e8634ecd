package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each limit of the service, and the access token: refused with a status and a one-line error that names the option. */
class ServeLimitsTest {
    @TempDir
    Path data;

    @Test
    void uploadSizeLimit() throws Exception {
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data).withLimits(4096, 20, 100, 0))) {
            byte[] big = ServeHarness.sample("mixed-concurrent.pcap.gz");  // 11 KiB
            assertTrue(big.length > 4096);
            Http.Response multipart = h.http.fresh().upload("big.pcap.gz", big);
            assertRefused(multipart, 413, "upload_too_large", "--max-upload");
            assertTrue(multipart.json().path("error").asText().matches("upload too large: [0-9.]+ KiB, more than the "
                    + "limit of 4 KiB \\(--max-upload\\)"), multipart.text());

            Http.Response chunked = h.http.fresh().upload(List.of(new Http.Part("big.pcap.gz", big)), Map.of(), true);
            assertRefused(chunked, 413, "upload_too_large", "--max-upload");

            // a streamed body with no length announced is cut off when it passes the limit
            Http.Response streamed = h.http.fresh().post("/api/analyses?name=big.pcap.gz", "application/octet-stream",
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
            assertRefused(streamed, 413, "upload_too_large", "--max-upload");
            assertEquals(202, h.http.fresh().upload("small.pcap", ServeHarness.sample("refused-no-listener.pcap")).status());
            assertNoLeftovers();
        }
    }

    @Test
    void filesPerUploadLimit() throws Exception {
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data).withLimits(1 << 20, 2, 100, 0))) {
            byte[] c = ServeHarness.sample("refused-no-listener.pcap");
            Http.Response r = h.http.upload(List.of(new Http.Part("1.pcap", c), new Http.Part("2.pcap", c),
                    new Http.Part("3.pcap", c)), Map.of());
            assertRefused(r, 413, "too_many_files", "--max-files");
            assertTrue(r.json().path("error").asText().contains("3"), r.text());
            assertEquals(0, h.http.get("/api/analyses").json().path("analyses").size(), "nothing taken");
            // parts big enough for Jetty to spool them to tmp/ are gone with the refused request
            byte[] big = Files.readAllBytes(ServeJarIT.bigCapture(data.resolve("big.pcap"), 100 << 10));
            Http.Response spooled = h.http.upload(List.of(new Http.Part("1.pcap", big), new Http.Part("2.pcap", big),
                    new Http.Part("3.pcap", big)), Map.of());
            assertRefused(spooled, 413, "too_many_files", "--max-files");
            ServeHarness.await("tmp/ emptied", () -> {
                try (var left = Files.list(data.resolve("tmp"))) {
                    return left.findAny().isEmpty();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            assertEquals(202, h.http.upload(List.of(new Http.Part("1.pcap", c), new Http.Part("2.pcap", c)), Map.of())
                    .status());
        }
    }

    /** A service with one worker, kept busy by a capture that hangs it, and room for one analysis in the queue. */
    private ServeHarness oneBusySlot() throws Exception {
        ServeSettings s = ServeHarness.settings(data).withLimits(1 << 20, 20, 1, 0)
                .withWorkers(1, Duration.ofMinutes(5), ServeHarness.MISBEHAVING);
        ServeHarness h = new ServeHarness(s);
        String running = ServeHarness.id(h.http.upload("hang-1.pcap", ServeHarness.sample("refused-no-listener.pcap")));
        awaitState(h, running, "running");
        return h;
    }

    @Test
    void queuedAnalysesLimit() throws Exception {
        // the first runs forever, the next waits
        try (ServeHarness h = oneBusySlot()) {
            String waiting = ServeHarness.id(h.http.upload("hang-2.pcap", ServeHarness.sample("rst-abort-server.pcap")));
            assertEquals("queued", h.http.get("/api/analyses/" + waiting).json().path("state").asText());
            Http.Response full = h.http.upload("third.pcap", ServeHarness.sample("midstream.pcap"));
            assertRefused(full, 503, "queue_full", "--max-queued");
            assertNotNull(full.header("Retry-After"));
            // the queue is checked before the body is read: even a known capture waits for room
            assertRefused(h.http.upload("again.pcap", ServeHarness.sample("rst-abort-server.pcap")), 503, "queue_full",
                    "--max-queued");
            assertEquals(200, h.http.delete("/api/analyses/" + waiting).status());
            assertEquals(202, h.http.upload("third.pcap", ServeHarness.sample("midstream.pcap")).status(),
                    "room again once one left the queue");
        }
    }

    @Test
    void freeDiskLimit() throws Exception {
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data).withLimits(1 << 20, 20, 100, 1L << 50))) {
            Http.Response r = h.http.upload("x.pcap", ServeHarness.sample("refused-no-listener.pcap"));
            assertRefused(r, 507, "disk_full", "--min-free-disk");
            String error = r.json().path("error").asText();
            assertTrue(error.matches("not enough disk space for an upload of [0-9.]+ (bytes|KiB): [0-9.]+ [KMGT]?i?B "
                    + "is free on the data directory's disk and 1 PiB must stay free \\(--min-free-disk\\)"), error);
            // no length announced: the same floor, in a sentence of its own
            Http.Response chunked = h.http.fresh().upload(List.of(new Http.Part("x.pcap",
                    ServeHarness.sample("refused-no-listener.pcap"))), Map.of(), true);
            assertRefused(chunked, 507, "disk_full", "--min-free-disk");
            String e2 = chunked.json().path("error").asText();
            assertTrue(e2.matches("not enough disk space: [0-9.]+ [KMGT]?i?B is free on the data directory's disk and "
                    + "1 PiB must stay free \\(--min-free-disk\\)"), e2);
            for (String e : List.of(error, e2)) {
                assertFalse(e.contains(data.toString()), "no path of the server's disk: " + e);
            }
        }
    }

    @Test
    void theFloorOfFreeDiskHoldsWhileABodyStreamsIn() throws Exception {
        byte[] big = java.nio.file.Files.readAllBytes(ServeJarIT.bigCapture(data.resolve("big.pcap"), 3 << 20));
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data).withLimits(64 << 20, 20, 100, 1 << 30))) {
            // a disk with room when the request comes in, full once a part of its body has arrived
            java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
            h.service.dir.freeSpace = root -> reads.getAndIncrement() == 0 ? 1L << 40 : 100L << 20;
            Http.Response raw = h.http.fresh().post("/api/analyses?name=big.pcap", "application/octet-stream",
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
            assertRefused(raw, 507, "disk_full", "--min-free-disk");
            assertTrue(raw.json().path("error").asText().contains("stopped after 1 MiB, with 100 MiB free"), raw.text());
            reads.set(0);
            Http.Response multipart = h.http.fresh().upload(List.of(new Http.Part("big.pcap", big)), Map.of(), true);
            assertRefused(multipart, 507, "disk_full", "--min-free-disk");
            assertTrue(reads.get() >= 2, "the free space was read again while the parts came in");
            try (var left = Files.list(data.resolve("tmp"))) {
                assertEquals(List.of(), left.toList(), "nothing of either upload is left");
            }
            assertEquals(0, h.http.get("/api/analyses").json().path("analyses").size());
            // with room again, the same upload goes through
            h.service.dir.freeSpace = root -> 1L << 40;
            assertEquals(202, h.http.fresh().upload(List.of(new Http.Part("big.pcap", big)), Map.of(), true).status());
        }
    }

    @Test
    void aDiskThatFillsUpIsAFullDiskNotABadUpload() {
        // what the JDK throws when a write hits ENOSPC, wrapped as Jetty's multipart parser passes it on
        Exception failure = new java.util.concurrent.CompletionException(new java.io.IOException("part failed",
                new java.nio.file.FileSystemException(data.resolve("tmp/MultiPart123").toString(), null,
                        "No space left on device")));
        Intake.Refused r = Intake.diskFull(failure);
        assertNotNull(r);
        assertEquals(Admission.NO_SPACE, r.why);
        assertFalse(r.getMessage().contains(data.toString()), r.getMessage());
        assertEquals(null, Intake.diskFull(new java.io.IOException("Early EOF")));
    }

    @Test
    void aQueueThatFillsWhileTheBodyIsReadIsA503WithRetryAfter() throws Exception {
        try (ServeHarness h = oneBusySlot()) {
            byte[] capture = ServeHarness.sample("rst-abort-server.pcap");
            String boundary = "b-" + System.nanoTime();
            byte[] body = multipart(boundary, "late.pcap", capture);
            try (java.net.Socket sock = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), h.service.port())) {
                sock.setSoTimeout(10_000);
                var out = sock.getOutputStream();
                out.write(("POST /api/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                        + "boundary=" + boundary + "\r\nContent-Length: " + body.length + "\r\nExpect: 100-continue\r\n"
                        + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                // "100 Continue" comes once the service reads the body: the checks before it found room
                String interim = readHead(sock.getInputStream());
                assertTrue(interim.startsWith("HTTP/1.1 100"), interim);
                String other = ServeHarness.id(h.http.upload("queued.pcap", ServeHarness.sample("midstream.pcap")));
                assertEquals("queued", h.http.get("/api/analyses/" + other).json().path("state").asText());
                out.write(body);
                out.flush();
                String head = readHead(sock.getInputStream());
                assertTrue(head.startsWith("HTTP/1.1 503"), head);
                assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("\r\nretry-after: 60"), head);
            }
        }
    }

    @Test
    void aFileNameLongerThanAPartMayHaveIsABadUploadNotATooLargeOne() throws Exception {
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data))) {
            String name = "x".repeat(200_000) + ".pcap";
            Http.Response r = h.http.fresh().upload(name, ServeHarness.sample("refused-no-listener.pcap"));
            assertRefused(r, 400, "bad_upload", "headers of a part");
            assertFalse(r.json().path("error").asText().contains("--max-upload"), r.text());
        }
    }

    static byte[] multipart(String boundary, String name, byte[] content) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        b.writeBytes(content);
        b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    /** The status line and headers of the next answer on the connection. */
    static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void tokenGuardsEveryPageAndCall() throws Exception {
        String token = "t0k-" + System.nanoTime();
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data).withToken(token))) {
            Http anonymous = h.http.withToken(null);
            Http wrong = h.http.withToken("not-" + token);
            String id = ServeHarness.id(h.http.upload("ok.pcap", ServeHarness.sample("refused-no-listener.pcap")));
            h.http.awaitEnd(id, Duration.ofSeconds(60));
            for (String path : List.of("/api/analyses", "/api/analyses/" + id, "/api/health")) {
                assertRefused(anonymous.get(path), 401, "unauthorized", "--token");
            }
            assertEquals(401, anonymous.delete("/api/analyses/" + id).status());
            assertEquals(401, anonymous.upload("x.pcap", ServeHarness.sample("midstream.pcap")).status());
            for (String page : List.of("/", "/a/" + id, "/a/" + id + "/report.html", "/a/" + id + "/bundle.zip",
                    "/a/" + id + "/capture", "/a/" + id + "/flows.csv")) {
                Http.Response r = anonymous.get(page);
                assertEquals(302, r.status(), page);
                assertTrue(r.header("Location").startsWith("/login?next="), page);
            }
            // a wrong token: four tries here and the failed login below stay within the free ones of the backoff
            for (String path : List.of("/api/analyses", "/api/analyses/" + id, "/api/health")) {
                assertRefused(wrong.get(path), 401, "unauthorized", "--token");
            }
            assertEquals(401, wrong.delete("/api/analyses/" + id).status());
            assertEquals(1, h.http.get("/api/analyses").json().path("analyses").size(), "nothing was uploaded or deleted");
            assertEquals(200, anonymous.get("/login").status());
            assertEquals(200, anonymous.get("/static/app.js").status());

            // the login page trades the token for a session cookie
            Http.Response bad = anonymous.post("/login", "application/x-www-form-urlencoded",
                    HttpRequest.BodyPublishers.ofString("token=nope&next=%2Fa%2F" + id));
            assertTrue(bad.header("Location").startsWith("/login?failed=1"), bad.header("Location"));
            assertTrue(bad.headers().allValues("Set-Cookie").isEmpty());
            Http.Response good = anonymous.post("/login", "application/x-www-form-urlencoded",
                    HttpRequest.BodyPublishers.ofString("token=" + token + "&next=%2Fa%2F" + id));
            assertEquals("/a/" + id, good.header("Location"));
            String cookie = good.header("Set-Cookie");
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            assertFalse(cookie.contains(token), "the cookie is not the token itself");
            String pair = cookie.substring(0, cookie.indexOf(';'));
            assertEquals(200, anonymous.get("/a/" + id + "/report.html", "Cookie", pair).status());
            assertEquals(200, anonymous.get("/api/analyses", "Cookie", pair).status());
            assertEquals(401, anonymous.get("/api/analyses", "Cookie", pair + "x").status());
            // an open redirect is not on offer
            Http.Response away = anonymous.post("/login", "application/x-www-form-urlencoded",
                    HttpRequest.BodyPublishers.ofString("token=" + token + "&next=%2F%2Fevil.example%2F"));
            assertEquals("/", away.header("Location"));
        }
    }

    @Test
    void wrongTokensAreSlowedDownPerClient() throws Exception {
        String token = "t0k-" + System.nanoTime();
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data).withToken(token))) {
            Http guesser = h.http.withToken("guess");
            int wrong = 0;
            Http.Response last = null;
            for (int i = 0; i < 50; i++) {
                last = guesser.get("/api/health");
                if (last.status() == 401) {
                    wrong++;
                } else {
                    break;
                }
            }
            // it answered thousands of guesses a second before
            assertEquals(Backoff.FREE + 1, wrong, "guesses looked at before the client had to wait");
            assertRefused(last, 429, "too_many_attempts", "try again in 1 s");
            assertEquals("1", last.header("Retry-After"));
            assertEquals(429, h.http.get("/api/health").status(), "while it waits, even the right token is not looked at");
            Http.Response form = h.http.withToken(null).post("/login", "application/x-www-form-urlencoded",
                    HttpRequest.BodyPublishers.ofString("token=" + token));
            assertEquals(429, form.status(), "the login form is held to the same wait");
            Thread.sleep(1100);
            assertEquals(200, h.http.get("/api/health").status());
            assertEquals(401, guesser.get("/api/health").status(), "the right token cleared the count");
        }
    }

    @Test
    void theBackoffDoublesAndForgets() {
        long[] now = {1_000_000};
        Backoff b = new Backoff(() -> now[0]);
        for (int i = 0; i < Backoff.FREE; i++) {
            b.failed("198.18.0.1");
            assertEquals(0, b.waitSeconds("198.18.0.1"));
        }
        long[] waits = new long[5];
        for (int i = 0; i < waits.length; i++) {
            b.failed("198.18.0.1");
            waits[i] = b.waitSeconds("198.18.0.1");
        }
        assertEquals("[1, 2, 4, 8, 16]", java.util.Arrays.toString(waits));
        assertEquals(0, b.waitSeconds("198.18.0.2"), "per client");
        for (int i = 0; i < 20; i++) {
            b.failed("198.18.0.1");
        }
        assertEquals(300, b.waitSeconds("198.18.0.1"), "five minutes at most");
        now[0] += 16 * 60_000;
        b.failed("198.18.0.1");
        assertEquals(0, b.waitSeconds("198.18.0.1"), "a quarter of an hour without failures is a fresh start");
    }

    @Test
    void sessionsAreRandomAndExpire() throws Exception {
        String token = "t0k-" + System.nanoTime();
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data).withToken(token))) {
            Http anonymous = h.http.withToken(null);
            List<String> cookies = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String c = anonymous.post("/login", "application/x-www-form-urlencoded",
                        HttpRequest.BodyPublishers.ofString("token=" + token)).header("Set-Cookie");
                assertTrue(c.contains("Max-Age=43200;") || c.endsWith("Max-Age=43200"), c);
                cookies.add(c.substring(0, c.indexOf(';')));
            }
            assertFalse(cookies.get(0).equals(cookies.get(1)), "each login its own session: " + cookies);
            for (String pair : cookies) {
                assertEquals(200, anonymous.get("/api/health", "Cookie", pair).status());
            }
        }
        long[] now = {0};
        Sessions s = new Sessions(() -> now[0]);
        String id = s.open();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        now[0] += Sessions.TTL.toMillis() - 1;
        assertTrue(s.valid(id));
        now[0] += 1;
        assertFalse(s.valid(id), "expired");
        assertFalse(s.valid(null));
    }

    @Test
    void theLoginRedirectsOnlyToAPathOfThisService() throws Exception {
        // a browser strips tabs and line breaks from a URL and reads a backslash as a slash: each of these
        // would become //evil.example, another site
        for (String next : List.of("/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example",
                "//evil.example", "/\\evil.example", "\\/evil.example", "https://evil.example/", "javascript:alert(1)",
                "/\u0000/evil.example", "/\u3000/evil.example", " /a", "/a b", "")) {
            assertEquals("/", Guard.safeNext(next), next);
        }
        for (String next : List.of("/", "/a/abcdefghijklmnopqrst", "/a/x/report.html?x=1#flow-2", "/%09/x")) {
            assertEquals(next, Guard.safeNext(next));
        }
        String token = "t0k-" + System.nanoTime();
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data).withToken(token))) {
            Http.Response tab = h.http.withToken(null).post("/login", "application/x-www-form-urlencoded",
                    HttpRequest.BodyPublishers.ofString("token=" + token + "&next=%2F%09%2Fevil.example"));
            assertEquals(303, tab.status());
            assertEquals("/", tab.header("Location"));
        }
    }

    @Test
    void requestsFromOtherSitesAndNamesAreRefused() throws Exception {
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data))) {
            String answer = rawGet(h.service.port(), "/api/health", "rebound.example:" + h.service.port());
            assertTrue(answer.startsWith("HTTP/1.1 421"), answer);
            assertTrue(answer.contains("\"code\":\"bad_host\""), answer);
            assertTrue(rawGet(h.service.port(), "/api/health", "localhost:" + h.service.port()).startsWith("HTTP/1.1 200"));
            String id = ServeHarness.id(h.http.upload("x.pcap", ServeHarness.sample("refused-no-listener.pcap")));
            Http.Response forged = h.http.post("/api/analyses", "multipart/form-data; boundary=x",
                    HttpRequest.BodyPublishers.ofString("--x--\r\n"), "Origin", "http://evil.example");
            assertRefused(forged, 403, "cross_origin", "evil.example");
            assertEquals(200, h.http.get("/api/analyses/" + id).status());
            // the service's own page behind a TLS proxy on this host: Host is the upstream, the proxy says which host
            Http.Response proxied = h.http.delete("/api/analyses/" + id, "Origin", "https://tcpautopsy.example",
                    "X-Forwarded-Host", "tcpautopsy.example");
            assertEquals(200, proxied.status(), proxied.text());
            Http.Response sameName = h.http.delete("/api/analyses/" + id, "Origin", "http://127.0.0.1:1");
            assertEquals(404, sameName.status(), "the same host, past the Origin check: " + sameName.text());
        }
    }

    @Test
    void onlyLiteralLoopbackNamesPassTheHostCheck() throws Exception {
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data))) {
            int port = h.service.port();
            String id = ServeHarness.id(h.http.upload("x.pcap", ServeHarness.sample("refused-no-listener.pcap")));
            // names a rebinding attacker can register: they only look like loopback addresses
            for (String host : List.of("127.0.0.1.rebind.evil.example", "127.evil.example", "127.0.0.1.nip.io",
                    "localhost.evil.example", "127.0.0.256", "0x7f.0.0.1")) {
                String answer = rawGet(port, "/api/analyses/" + id, host + ":" + port);
                assertTrue(answer.startsWith("HTTP/1.1 421"), host + ": " + answer);
                Raw delete = Raw.send(port, ("DELETE /api/analyses/" + id + " HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertEquals(421, delete.status(), host);
            }
            for (String host : List.of("127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "[::1]", "[0:0:0:0:0:0:0:1]",
                    "localhost.")) {
                assertTrue(rawGet(port, "/api/health", host + ":" + port).startsWith("HTTP/1.1 200"), host);
            }
            assertEquals(200, h.http.get("/api/analyses/" + id).status(), "nothing was deleted");
        }
    }

    @Test
    void jettysOwnErrorPagesCarryTheSecurityHeaders() throws Exception {
        try (ServeHarness h = new ServeHarness(ServeHarness.settings(data))) {
            int port = h.service.port();
            List<Raw> answers = List.of(
                    Raw.get(port, "/a/" + "x".repeat(100_000)),                        // URI too long
                    Raw.get(port, "/api/health", "Host", "[::1].evil.example"),         // not a host name
                    Raw.get(port, "/api/health", "X-Big", "y".repeat(100_000)),        // headers too large
                    Raw.send(port, "GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII)),    // a broken escape
                    Raw.send(port, "NONSENSE\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            for (Raw r : answers) {
                assertTrue(r.status() >= 400, r.text());
                assertEquals("nosniff", r.header("X-Content-Type-Options"), r.text());
                assertEquals("DENY", r.header("X-Frame-Options"), r.text());
                assertEquals("no-referrer", r.header("Referrer-Policy"), r.text());
                assertEquals(WebApp.CSP_APP, r.header("Content-Security-Policy"), r.text());
            }
        }
    }

    @Test
    void loopbackMeansALiteralLoopbackAddressOrLocalhost() {
        for (String a : List.of("127.0.0.1", "127.255.0.9", "::1", "[::1]", "0:0:0:0:0:0:0:1", "localhost", "Localhost.")) {
            assertTrue(ServeSettings.isLoopback(a), a);
        }
        for (String a : List.of("127.evil.example", "127.0.0.1.rebind.evil.example", "127.0.0", "127.0.0.1.", "1270.0.0.1",
                "127.0.0.999", "::2", "::1.evil", "localhost.evil.example", "", "0.0.0.0", "::", "198.18.0.1")) {
            assertFalse(ServeSettings.isLoopback(a), a);
        }
    }

    /** A GET with a Host header of our choosing (java.net.http will not send one): the whole answer. */
    private static String rawGet(int port, String path, String host) throws java.io.IOException {
        return Raw.get(port, path, "Host", host).text();
    }

    private void assertNoLeftovers() throws Exception {
        try (var s = Files.list(data.resolve("tmp"))) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("upload-")).toList(),
                    "refused uploads leave nothing behind");
        }
    }

    static void assertRefused(Http.Response r, int status, String code, String mentions) {
        assertEquals(status, r.status(), r.text());
        JsonNode j = r.json();
        assertEquals(code, j.path("code").asText(), r.text());
        String error = j.path("error").asText();
        assertTrue(error.contains(mentions), "the error names " + mentions + ": " + error);
        assertFalse(error.contains("\n"), "one line");
    }

    static void awaitState(ServeHarness h, String id, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (h.http.get("/api/analyses/" + id).json().path("state").asText().equals(state)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(id + " never became " + state);
    }
}
