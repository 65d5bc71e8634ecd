package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.EndingTotals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON API and the permalinks against a running service with the embedded index. */
class ServeApiTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path data;
    static ServeHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new ServeHarness(ServeHarness.settings(data));
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void uploadAnalyzesAndServesEveryPermalink() throws Exception {
        byte[] capture = ServeHarness.sample("mixed-concurrent.pcap.gz");
        Http.Response up = h.http.upload(List.of(new Http.Part("incident-7.pcap.gz", capture)),
                Map.of("ticket", "OPS-4711", "note", "checkout 502s at 17:38"));
        String id = ServeHarness.id(up);
        JsonNode a = h.http.awaitEnd(id, WAIT);
        assertEquals("done", a.path("state").asText(), a.toString());
        assertEquals("OPS-4711", a.path("ticket").asText());
        assertEquals("checkout 502s at 17:38", a.path("note").asText());
        assertEquals("pcap.gz", a.path("kind").asText());
        assertEquals(capture.length, a.path("bytes").asLong());

        // what the analyzer itself finds in the capture is what the service reports
        EndingTotals expected = analyzeDirectly(ServeHarness.SAMPLES.resolve("mixed-concurrent.pcap.gz"));
        JsonNode results = a.path("results");
        assertEquals(expected.flows(), results.path("flows").asLong());
        assertEquals(expected.abnormal(), results.path("abnormal").asLong());
        Map<String, Long> byClass = new HashMap<>();
        results.path("byClass").fields().forEachRemaining(e -> byClass.put(e.getKey(), e.getValue().asLong()));
        Map<String, Long> want = new HashMap<>();
        expected.byClass().forEach((k, v) -> want.put(k.name(), v));
        assertEquals(want, byClass);

        Http.Response report = h.http.get(a.path("links").path("report").asText());
        assertEquals(200, report.status());
        assertTrue(report.header("Content-Type").startsWith("text/html"));
        assertTrue(report.text().contains("incident-7.pcap.gz"), "the report names the capture as uploaded");
        Http.Response json = h.http.get("/a/" + id + "/report.json");
        assertEquals("incident-7.pcap.gz", json.json().path("captures").get(0).path("file").asText());
        Http.Response csv = h.http.get("/a/" + id + "/flows.csv");
        assertEquals(expected.flows() + 1, csv.text().lines().count(), "a header and one row a connection");
        assertTrue(csv.header("Content-Disposition").contains("attachment"));
        Http.Response md = h.http.get("/a/" + id + "/summary.md");
        assertEquals(200, md.status());
        assertArrayEquals(capture, h.http.get("/a/" + id + "/capture").body(), "the original capture, byte for byte");

        Map<String, byte[]> bundle = unzip(h.http.get("/a/" + id + "/bundle.zip").body());
        assertEquals(List.of("index.html", "flows.csv", "report.json", "summary.md"), new ArrayList<>(bundle.keySet()));
        assertArrayEquals(report.body(), bundle.get("index.html"));
        assertArrayEquals(csv.body(), bundle.get("flows.csv"));
        assertArrayEquals(json.body(), bundle.get("report.json"));
        assertArrayEquals(md.body(), bundle.get("summary.md"));
    }

    @Test
    void reportPagesCarryAPolicyThatBlocksEveryExternalLoad() throws Exception {
        String id = ServeHarness.id(h.http.upload("csp.pcap", ServeHarness.sample("midstream.pcap")));
        h.http.awaitEnd(id, WAIT);
        String csp = h.http.get("/a/" + id + "/report.html").header("Content-Security-Policy");
        assertNotNull(csp);
        assertTrue(csp.startsWith("default-src 'none'"), csp);
        for (String directive : csp.split(";")) {
            assertFalse(directive.contains("http") || directive.contains("*"), "no external source in: " + directive);
        }
        assertTrue(csp.contains("connect-src 'none'") && csp.contains("form-action 'none'") && csp.contains("sandbox"));
        Http.Response page = h.http.get("/");
        assertEquals(WebApp.CSP_APP, page.header("Content-Security-Policy"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
    }

    @Test
    void theSameContentReusesItsAnalysis() throws Exception {
        byte[] capture = ServeHarness.sample("rst-abort-server.pcap");
        String first = ServeHarness.id(h.http.upload(List.of(new Http.Part("a.pcap", capture)), Map.of("ticket", "T-1")));
        h.http.awaitEnd(first, WAIT);
        Http.Response again = h.http.upload(List.of(new Http.Part("copy-of-a.pcap", capture)), Map.of("ticket", "T-2"));
        JsonNode u = again.json().path("uploads").get(0);
        assertEquals(first, u.path("id").asText());
        assertTrue(u.path("duplicate").asBoolean());
        assertEquals("done", u.path("state").asText(), "no second analysis: the result is there already");
        JsonNode a = h.http.get("/api/analyses/" + first).json();
        assertEquals(2, a.path("uploads").size());
        assertEquals("T-2", a.path("ticket").asText());
        assertEquals(first, h.http.get("/api/analyses?ticket=t-1").json().path("analyses").get(0).path("id").asText());
        assertEquals(first, h.http.get("/api/analyses?q=copy-of-a").json().path("analyses").get(0).path("id").asText());
    }

    @Test
    void anythingButACaptureIsRefusedByItsBytes() throws Exception {
        Http.Response text = h.http.upload("looks-like.pcap", "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(415, text.status());
        assertEquals("not_a_capture", text.json().path("code").asText());
        assertTrue(text.json().path("error").asText().contains("expected a pcap magic"), text.text());

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write("just text, compressed".getBytes(StandardCharsets.US_ASCII));
        }
        Http.Response gzipped = h.http.upload("text.pcap.gz", gz.toByteArray());
        assertEquals(415, gzipped.status(), "gzip is opened and its content checked too");

        Http.Response empty = h.http.upload("empty.pcap", new byte[0]);
        assertEquals(415, empty.status());
        assertTrue(empty.json().path("error").asText().contains("empty"));

        // in a batch, the good file is still taken
        Http.Response mixed = h.http.upload(List.of(new Http.Part("notes.txt", "hello".getBytes(StandardCharsets.US_ASCII)),
                new Http.Part("good.pcap", ServeHarness.sample("refused-no-listener.pcap"))), Map.of());
        assertEquals(202, mixed.status());
        assertEquals("not_a_capture", mixed.json().path("uploads").get(0).path("code").asText());
        assertEquals("queued", mixed.json().path("uploads").get(1).path("state").asText(), mixed.text());
    }

    @Test
    void damagedCapturesEndWithAReason() throws Exception {
        byte[] whole = ServeHarness.sample("middlebox-rst-tcpkill.pcap");
        // cut in the middle of a later record: what came before is analyzed, with a warning
        byte[] cut = Arrays.copyOf(whole, whole.length - 30);
        JsonNode partial = h.http.awaitEnd(ServeHarness.id(h.http.upload("cut.pcap", cut)), WAIT);
        assertEquals("done", partial.path("state").asText(), partial.toString());
        assertTrue(partial.path("warning").asText().contains("byte"), partial.toString());
        assertTrue(partial.path("results").path("packets").asLong() > 0);

        // a header and half a record: nothing to analyze, and the reason says where it broke
        byte[] stub = Arrays.copyOf(whole, 24 + 10);
        JsonNode failed = h.http.awaitEnd(ServeHarness.id(h.http.upload("stub.pcap", stub)), WAIT);
        assertEquals("failed", failed.path("state").asText(), failed.toString());
        assertTrue(failed.path("reason").asText().contains("stub.pcap"), failed.toString());
        assertFalse(failed.path("reason").asText().contains("\n"), "one line");
        assertEquals(409, h.http.get("/a/" + failed.path("id").asText() + "/report.html").status());
    }

    @Test
    void namesFromUploadsNeverReachTheFileSystem() throws Exception {
        String evil = "..%2F../../escaped-" + System.nanoTime() + ".pcap";
        Http.Response up = h.http.upload(List.of(new Http.Part("../../" + evil, ServeHarness.sample("open-at-end.pcap"))),
                Map.of());
        String id = ServeHarness.id(up);
        h.http.awaitEnd(id, WAIT);
        // the name climbs two levels from captures/: look there and everywhere under the data directory
        for (Path dir : List.of(data, data.getParent(), data.getParent().getParent())) {
            try (Stream<Path> all = dir.equals(data) ? Files.walk(dir) : Files.list(dir)) {
                assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("escaped-")),
                        "no file named after the upload under " + dir);
            }
        }
        assertTrue(Files.isRegularFile(data.resolve("captures").resolve(id)));
        String disposition = h.http.get("/a/" + id + "/capture").header("Content-Disposition");
        assertFalse(disposition.contains("/"), disposition);
        assertEquals(404, h.http.get("/api/analyses/..%2F..%2Fetc").status());
    }

    @Test
    void searchFindsByNameNoteTicketHostAndClass() throws Exception {
        String id = ServeHarness.id(h.http.upload(List.of(new Http.Part("lb-reset-window.pcap",
                ServeHarness.sample("idle-timeout-firewall-reset.pcap"))), Map.of("ticket", "NET-99", "note", "Payments LB")));
        JsonNode a = h.http.awaitEnd(id, WAIT);
        String cls = a.path("results").path("byClass").fieldNames().next();
        String host = firstHost(id);
        for (String query : List.of("q=reset-window", "name=LB-RESET", "note=payments", "ticket=net-99", "q=NET-99",
                "host=" + host, "q=" + host, "class=" + cls)) {
            List<String> ids = new ArrayList<>();
            h.http.get("/api/analyses?" + query).json().path("analyses").forEach(n -> ids.add(n.path("id").asText()));
            assertTrue(ids.contains(id), query + " finds it: " + ids);
        }
        assertEquals(0, h.http.get("/api/analyses?ticket=NET-99&class=" + (cls.equals("REFUSED") ? "RST_ABORT" : "REFUSED"))
                .json().path("analyses").size(), "criteria combine");
        assertEquals(0, h.http.get("/api/analyses?q=%25").json().path("analyses").size(), "% is literal");
        assertEquals(400, h.http.get("/api/analyses?class=NOPE").status());
    }

    @Test
    void deleteRemovesTheAnalysisAndItsFiles() throws Exception {
        String id = ServeHarness.id(h.http.upload("doomed.pcap", ServeHarness.sample("fin-orderly-v6.pcapng")));
        h.http.awaitEnd(id, WAIT);
        assertTrue(Files.exists(data.resolve("reports").resolve(id)));
        assertEquals(200, h.http.delete("/api/analyses/" + id).status());
        assertEquals(404, h.http.get("/api/analyses/" + id).status());
        assertEquals(404, h.http.get("/a/" + id + "/report.html").status());
        assertFalse(Files.exists(data.resolve("reports").resolve(id)));
        assertFalse(Files.exists(data.resolve("captures").resolve(id)));
        // the same content again is a new analysis
        String again = ServeHarness.id(h.http.upload("doomed.pcap", ServeHarness.sample("fin-orderly-v6.pcapng")));
        assertFalse(again.equals(id));
    }

    @Test
    void rawBodyUploadsWorkForScripts() throws Exception {
        byte[] capture = ServeHarness.sample("handshake-timeout-syn-dropped.pcap");
        Http.Response r = h.http.post("/api/analyses?name=ci-run.pcap&ticket=CI-1", "application/octet-stream",
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(capture)));
        JsonNode a = h.http.awaitEnd(ServeHarness.id(r), WAIT);
        assertEquals("ci-run.pcap", a.path("fileName").asText());
        assertEquals("CI-1", a.path("ticket").asText());
        assertEquals("done", a.path("state").asText());
    }

    private static String firstHost(String id) throws IOException {
        JsonNode report = h.http.get("/a/" + id + "/report.json").json();
        return report.path("captures").get(0).path("flows").get(0).path("client").path("ip").asText();
    }

    static EndingTotals analyzeDirectly(Path capture) {
        try (Analyzer analyzer = new Analyzer(new AnalysisOptions(AnalysisOptions.DEFAULT_IDLE_THRESHOLD, false, 1,
                java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), false))) {
            AnalysisReport r = analyzer.analyze(List.of(Input.of(capture)), ProgressListener.NONE).report();
            return r.totals();
        }
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                out.put(e.getName().substring(e.getName().indexOf('/') + 1), z.readAllBytes());
            }
        }
        return out;
    }
}
