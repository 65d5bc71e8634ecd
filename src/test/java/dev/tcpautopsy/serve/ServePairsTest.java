package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.TerminationClass;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two captures of the same traffic uploaded as a pair: compared as {@code tcpautopsy compare} compares
 * them, and served, listed, searched and deleted like an analysis.
 */
class ServePairsTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path PAIRS = ServeHarness.SAMPLES.resolve("pairs");

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

    private static byte[] pairSample(String name) throws Exception {
        return Files.readAllBytes(PAIRS.resolve(name));
    }

    @Test
    void aPairIsComparedAndServedLikeAnAnalysis() throws Exception {
        byte[] a = pairSample("faults-a.pcap"), b = pairSample("faults-b.pcap");
        String id = ServeHarness.id(h.http.uploadPair(List.of(new Http.Part("client-side.pcap", a)),
                List.of(new Http.Part("server-side.pcap", b)), Map.of("ticket", "PAIR-7", "note", "resets at the firewall")));
        JsonNode s = h.http.awaitEnd(id, WAIT);
        assertEquals("done", s.path("state").asText(), s.toString());
        assertEquals("pair", s.path("kind").asText());
        assertEquals("client-side.pcap vs server-side.pcap", s.path("fileName").asText());
        assertEquals("PAIR-7", s.path("ticket").asText());
        assertEquals(a.length + b.length, s.path("bytes").asLong());
        assertEquals("client-side.pcap", s.path("points").path("a").get(0).path("file").asText());
        assertEquals(Checked.sha256(PAIRS.resolve("faults-b.pcap")), s.path("points").path("b").get(0).path("sha256").asText());

        // what compare itself finds in the two captures is what the service reports
        Comparison c = Pairs.compare(List.of(new Input("client-side.pcap", PAIRS.resolve("faults-a.pcap"))),
                List.of(new Input("server-side.pcap", PAIRS.resolve("faults-b.pcap"))));
        JsonNode results = s.path("results");
        assertEquals(c.summary().text(), results.path("summary").asText());
        assertEquals(c.summary().connections(), results.path("flows").asLong());
        assertEquals(c.a().packets() + c.b().packets(), results.path("packets").asLong());
        Map<String, Long> byClass = new TreeMap<>();
        long abnormal = 0;
        for (Comparison.Verdict v : verdicts(c)) {
            byClass.merge(v.cls().name(), 1L, Long::sum);
            abnormal += v.cls().isAbnormal() ? 1 : 0;
        }
        assertEquals(byClass, Http.JSON.convertValue(results.path("byClass"), new com.fasterxml.jackson.core.type
                .TypeReference<Map<String, Long>>() { }));
        assertEquals(abnormal, results.path("abnormal").asLong());
        assertTrue(abnormal > 0 && c.summary().identical() < c.summary().connections(), "a pair with something to show");

        JsonNode links = s.path("links");
        assertEquals(Set.of("page", "status", "report", "csv", "json", "bundle"), fieldNames(links));
        Http.Response page = h.http.get(links.path("report").asText());
        assertEquals("/a/" + id + "/compare.html", links.path("report").asText());
        assertEquals(WebApp.CSP_REPORT, page.header("Content-Security-Policy"));
        assertTrue(page.header("Content-Type").startsWith("text/html"));
        assertTrue(page.text().contains("client-side.pcap") && page.text().contains("server-side.pcap"));
        Http.Response json = h.http.get(links.path("json").asText());
        assertEquals(c.summary().text(), json.json().path("summary").path("text").asText());
        assertEquals("client-side.pcap", json.json().path("a").path("file").asText(), "the uploaded names, no server path");
        Http.Response csv = h.http.get(links.path("csv").asText());
        assertTrue(csv.header("Content-Disposition").contains("tcpautopsy-" + id + "-compare.csv"));
        long rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.text())).getRecords().size();
        assertEquals(segmentsAtOnePoint(c), rows, "one row a segment seen at one point only");

        Map<String, byte[]> bundle = ServeApiTest.unzip(h.http.get(links.path("bundle").asText()).body());
        assertEquals(List.of("compare.html", "compare.csv", "compare.json"), new ArrayList<>(bundle.keySet()));
        assertArrayEquals(page.body(), bundle.get("compare.html"));
        assertArrayEquals(csv.body(), bundle.get("compare.csv"));
        assertArrayEquals(json.body(), bundle.get("compare.json"));

        assertArrayEquals(a, h.http.get(s.path("points").path("a").get(0).path("capture").asText()).body());
        Http.Response server = h.http.get("/a/" + id + "/capture/b1");
        assertArrayEquals(b, server.body(), "each capture as uploaded");
        assertEquals("\"" + Checked.sha256(PAIRS.resolve("faults-b.pcap")) + "\"", server.header("ETag"));
        assertTrue(server.header("Content-Disposition").contains("server-side.pcap"));
        Http.Response part = h.http.get("/a/" + id + "/capture/b1", "Range", "bytes=100-199");
        assertEquals(206, part.status());
        assertEquals("bytes 100-199/" + b.length, part.header("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(b, 100, 200), part.body());
        for (String none : List.of("capture", "capture/b2", "capture/c1", "report.html", "flows.csv", "summary.md")) {
            assertEquals(404, h.http.get("/a/" + id + "/" + none).status(), none);
        }

        for (String query : List.of("q=server-side", "name=client-side", "ticket=pair-7", "note=firewall",
                "class=" + byClass.keySet().iterator().next())) {
            assertTrue(ids("/api/analyses?" + query).contains(id), query);
        }
    }

    @Test
    void hostsAreFoundByTheAddressEitherPointSaw() throws Exception {
        String id = ServeHarness.id(h.http.uploadPair(List.of(new Http.Part("nat-a.pcap", pairSample("nat-a.pcap"))),
                List.of(new Http.Part("nat-b.pcap", pairSample("nat-b.pcap"))), Map.of()));
        assertEquals("done", h.http.awaitEnd(id, WAIT).path("state").asText());
        JsonNode first = h.http.get("/a/" + id + "/compare.json").json().path("connections").get(0);
        String atA = first.path("a").path("client").path("ip").asText();
        String atB = first.path("b").path("client").path("ip").asText();
        assertNotEquals(atA, atB, "the NAT between the points rewrote the client");
        assertTrue(ids("/api/analyses?host=" + atA).contains(id));
        assertTrue(ids("/api/analyses?host=" + atB).contains(id));
    }

    @Test
    void severalFilesAPointAreMergedByTimeAsCompareMergesThem() throws Exception {
        byte[][] halves = Pairs.halves(pairSample("nat-a.pcap"));
        byte[] b = pairSample("nat-b.pcap");
        // the later half first: the merge orders by time, not by upload
        List<Http.Part> a = List.of(new Http.Part("nat-a-2.pcap", halves[1]), new Http.Part("nat-a-1.pcap", halves[0]));
        String id = ServeHarness.id(h.http.uploadPair(a, List.of(new Http.Part("nat-b.pcap", b)), Map.of()));
        JsonNode s = h.http.awaitEnd(id, WAIT);
        assertEquals("done", s.path("state").asText(), s.toString());
        assertEquals("nat-a-2.pcap, nat-a-1.pcap vs nat-b.pcap", s.path("fileName").asText());
        assertEquals(2, s.path("points").path("a").size());
        assertArrayEquals(halves[0], h.http.get("/a/" + id + "/capture/a2").body());

        Comparison whole = Pairs.compare(List.of(Input.of(PAIRS.resolve("nat-a.pcap"))),
                List.of(Input.of(PAIRS.resolve("nat-b.pcap"))));
        assertEquals(whole.summary().text(), s.path("results").path("summary").asText());
        JsonNode json = h.http.get("/a/" + id + "/compare.json").json();
        assertEquals(whole.a().packets(), json.path("a").path("packets").asLong());
        assertEquals(whole.connections().get(0).a().lastFrame(),
                json.path("connections").get(0).path("a").path("lastFrame").asLong(), "frames numbered as in the whole capture");

        // the same pair again is the same analysis; its points swapped, another
        JsonNode again = h.http.uploadPair(a, List.of(new Http.Part("renamed.pcap", b)), Map.of()).json()
                .path("uploads").get(0);
        assertEquals(id, again.path("id").asText());
        assertTrue(again.path("duplicate").asBoolean());
        String swapped = ServeHarness.id(h.http.uploadPair(List.of(new Http.Part("nat-b.pcap", b)), a, Map.of()));
        assertNotEquals(id, swapped);
        assertEquals("done", h.http.awaitEnd(swapped, WAIT).path("state").asText());
    }

    @Test
    void aPairIsTakenWholeOrNotAtAll() throws Exception {
        byte[] cap = pairSample("faults-a.pcap");
        Http.Response onlyA = h.http.uploadPair(List.of(new Http.Part("a.pcap", cap)), List.of(), Map.of());
        assertEquals(400, onlyA.status());
        assertEquals("bad_pair", onlyA.json().path("code").asText());
        assertTrue(onlyA.json().path("error").asText().contains("b has none"), onlyA.text());
        Http.Response mixed = h.http.multipart(List.of(Map.entry("a", new Http.Part("a.pcap", cap)),
                Map.entry("b", new Http.Part("b.pcap", cap)), Map.entry("files", new Http.Part("c.pcap", cap))),
                Map.of(), false);
        assertEquals(400, mixed.status());
        assertTrue(mixed.json().path("error").asText().contains("'files'"), mixed.text());

        Http.Response notACapture = h.http.uploadPair(List.of(new Http.Part("a.pcap", cap)),
                List.of(new Http.Part("b.pcap", cap), new Http.Part("notes.txt", "just text".getBytes())), Map.of());
        assertEquals(415, notACapture.status());
        assertEquals("not_a_capture", notACapture.json().path("code").asText());
        assertTrue(notACapture.json().path("error").asText().startsWith("notes.txt (point B) is not a capture"),
                notACapture.text());
        assertTrue(ids("/api/analyses?q=notes.txt").isEmpty(), "nothing taken");
        try (Stream<Path> left = Files.list(data.resolve("tmp"))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("upload-")), "no upload left in tmp/");
        }
    }

    @Test
    void aPointWithNothingToCompareFailsWithTheReason() throws Exception {
        byte[] a = pairSample("faults-a.pcap"), b = pairSample("faults-b.pcap");
        JsonNode empty = h.http.awaitEnd(ServeHarness.id(h.http.uploadPair(List.of(new Http.Part("a.pcap", a)),
                List.of(new Http.Part("header-only.pcap", Arrays.copyOf(b, 24))), Map.of())), WAIT);
        assertEquals("failed", empty.path("state").asText(), empty.toString());
        assertEquals("nothing to compare: B (header-only.pcap) holds no packet", empty.path("reason").asText());

        JsonNode cut = h.http.awaitEnd(ServeHarness.id(h.http.uploadPair(List.of(new Http.Part("cut.pcap",
                Arrays.copyOf(a, 24 + 10))), List.of(new Http.Part("b.pcap", b)), Map.of())), WAIT);
        assertEquals("failed", cut.path("state").asText(), cut.toString());
        assertTrue(cut.path("reason").asText().contains("cut.pcap") && cut.path("reason").asText().contains("byte"),
                cut.toString());
        assertFalse(cut.path("reason").asText().contains(data.toString()), "no server path");
    }

    @Test
    void namesFromAPairNeverReachTheFileSystemAndDeleteTakesEverything() throws Exception {
        String evil = "../../escaped-" + System.nanoTime() + ".pcap";
        String id = ServeHarness.id(h.http.uploadPair(List.of(new Http.Part(evil, pairSample("nat-b.pcap"))),
                List.of(new Http.Part(evil, pairSample("faults-b.pcap"))), Map.of()));
        h.http.awaitEnd(id, WAIT);
        try (Stream<Path> all = Files.walk(data)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("escaped-")));
        }
        Path dir = data.resolve("captures").resolve(id);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of("a1", "b1"), Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
        }
        assertFalse(h.http.get("/a/" + id + "/capture/a1").header("Content-Disposition").contains("/"));
        assertEquals(200, h.http.delete("/api/analyses/" + id).status());
        assertFalse(Files.exists(dir));
        assertFalse(Files.exists(data.resolve("reports").resolve(id)));
        assertEquals(404, h.http.get("/a/" + id + "/capture/a1").status());
    }

    private static List<Comparison.Verdict> verdicts(Comparison c) {
        List<Comparison.Verdict> out = new ArrayList<>();
        c.connections().forEach(p -> out.add(p.termination()));
        c.onlyInA().forEach(o -> out.add(o.termination()));
        c.onlyInB().forEach(o -> out.add(o.termination()));
        out.replaceAll(v -> v.cls() != null ? v : new Comparison.Verdict(TerminationClass.UNCLASSIFIED, v.by(), v.reason()));
        return out;
    }

    private static long segmentsAtOnePoint(Comparison c) {
        long n = 0;
        for (Comparison.Pair p : c.connections()) {
            n += p.lostAtoB().size() + p.lostBtoA().size() + p.appearedAtA().size() + p.appearedAtB().size();
        }
        for (Comparison.OneSided o : Stream.concat(c.onlyInA().stream(), c.onlyInB().stream()).toList()) {
            n += o.lost().size() + o.appeared().size();
        }
        return n;
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> out = new java.util.HashSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> ids(String path) {
        List<String> out = new ArrayList<>();
        h.http.get(path).json().path("analyses").forEach(n -> out.add(n.path("id").asText()));
        return out;
    }
}
