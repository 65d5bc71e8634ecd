package dev.tcpautopsy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpautopsy.model.TerminationClass;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs and checks shared by the end-to-end tests (in-process and through the jar): the kernel
 * captures of samples/, a directory with damaged captures, and the cross-checks every set of
 * reports must pass (the formats agree with each other and with the samples' ground truth).
 */
final class EndToEnd {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> BY = Set.of("client", "server", "middlebox", "unknown");
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.(\\d{6}|\\d{9})Z";

    private EndToEnd() {
    }

    static Path samples() {
        return Paths.get(System.getProperty("tcpautopsy.samples", "samples"));
    }

    /** Captures of samples/ and its capture folders (pairs/, app/): the analyzer walks them all; lab/ holds scripts. */
    static List<Path> sampleCaptures() throws IOException {
        try (Stream<Path> s = Files.walk(samples())) {
            return s.filter(p -> !p.startsWith(samples().resolve("lab")))
                    .filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")
                            || p.toString().endsWith(".gz")).sorted().toList();
        }
    }

    /**
     * A directory with one good capture, one cut short in its last record (its earlier packets
     * must still be analyzed), and one file named like a capture that holds text.
     */
    static Path damagedDirectory(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("batch"));
        Files.copy(samples().resolve("fin-orderly-client-first.pcap"), dir.resolve("good.pcap"));
        byte[] whole = Files.readAllBytes(samples().resolve("rst-unread-data-server.pcap"));
        Files.write(dir.resolve("truncated.pcap"), Arrays.copyOf(whole, whole.length - 10));
        Files.writeString(dir.resolve("notes.pcap"), "this is not a capture\n");
        return dir;
    }

    /** The 4-tuples of a sample's ground truth, as "client_ip client_port server_ip server_port". */
    static List<String> truthTuples(String captureFile) throws IOException {
        String base = captureFile.replaceAll("\\.(pcapng|pcap)(\\.gz)?$", "");
        if (Paths.get(base).getParent() != null && Paths.get(base).getParent().endsWith("pairs")) {
            return pairTuples(base);
        }
        Path truth = Paths.get(base + ".truth.tsv"); // next to the capture, in whichever folder
        if (!Files.exists(truth)) {
            truth = samples().resolve(Paths.get(base).getFileName() + ".truth.tsv");
        }
        return Files.readAllLines(truth).stream().filter(l -> !l.startsWith("#") && !l.startsWith("client_ip")
                && !l.isBlank()).map(l -> {
                    String[] f = l.split("\t");
                    return f[0] + " " + f[1] + " " + f[2] + " " + f[3];
                }).toList();
    }

    /**
     * The 4-tuples of one capture of a pair ({@code samples/pairs/NAME-a.pcap} or {@code -b.pcap}): the
     * {@code conn} rows of NAME.truth.tsv, as A saw them or as B did (rows B never saw have none).
     */
    private static List<String> pairTuples(String base) throws IOException {
        boolean atA = base.endsWith("-a");
        String name = Paths.get(base).getFileName().toString().replaceAll("-[ab]$", "");
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(samples().resolve("pairs").resolve(name + ".truth.tsv"))) {
            String[] f = l.split("\t");
            if (f[0].equals("conn") && !f[atA ? 4 : 6].equals("-")) {
                out.add(tuple(f[atA ? 4 : 6]) + " " + tuple(f[atA ? 5 : 7]));
            }
        }
        return out;
    }

    /** {@code 198.18.0.2:80} or {@code [2001:db8::2]:80} as "ip port". */
    private static String tuple(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return endpoint.substring(0, colon).replace("[", "").replace("]", "") + " " + endpoint.substring(colon + 1);
    }

    /** Parses report.json and checks each flow's contract fields. */
    static JsonNode checkJson(Path out) throws IOException {
        JsonNode root = JSON.readTree(out.resolve("report.json").toFile());
        for (JsonNode c : root.get("captures")) {
            assertTrue(c.get("file").isTextual());
            assertTrue(c.get("packets").isIntegralNumber());
            for (JsonNode f : c.get("flows")) {
                String where = c.get("file").asText() + " stream " + f.get("stream");
                assertTrue(f.get("stream").isIntegralNumber(), where);
                assertTrue(f.get("client").get("ip").isTextual() && f.get("client").get("port").isInt(), where);
                assertTrue(f.get("server").get("ip").isTextual() && f.get("server").get("port").isInt(), where);
                assertTrue(f.get("firstFrame").asLong() >= 1, where);
                assertTrue(f.get("lastFrame").asLong() >= f.get("firstFrame").asLong(), where);
                assertTrue(f.get("lastFrame").asLong() <= c.get("packets").asLong(), where);
                assertTrue(f.get("start").asText().matches(TIME), where + " " + f.get("start"));
                assertTrue(f.get("end").asText().matches(TIME), where + " " + f.get("end"));
                assertTrue(f.get("handshakeSeen").isBoolean() && f.get("halfClosed").isBoolean(), where);
                JsonNode t = f.get("termination");
                TerminationClass.valueOf(t.get("class").asText());
                assertTrue(BY.contains(t.get("by").asText()), where);
                assertFalse(t.get("reason").asText().isBlank(), where);
                assertEquals("tcp.stream eq " + f.get("stream").asLong(), t.get("filter").asText(), where);
                assertTrue(t.get("evidence").isArray() && t.get("evidence").size() > 0, where + ": evidence");
                for (JsonNode e : t.get("evidence")) {
                    assertTrue(e.get("frame").asLong() >= 1 && e.get("frame").asLong() <= c.get("packets").asLong(), where);
                    assertTrue(e.get("note").isTextual(), where);
                }
                assertTrue(t.get("tags").isArray(), where);
                assertNotNull(t.get("appView").get("client"), where);
                assertNotNull(t.get("appView").get("server"), where);
            }
        }
        checkOnlyKnownValues(root, "", false);
        return root;
    }

    /** Fields that stand for "unknown" or "none" with -1 or 0 in the model. */
    private static final Set<String> UNKNOWN_BELOW_ZERO = Set.of("isn", "mss", "windowScale", "ttl",
            "handshakeRttMicros", "offset", "bytes");
    private static final Set<String> NONE_AT_ZERO = Set.of("finFrame", "rstFrame");

    /**
     * The report's rule: a value that is unknown, or a list or object with nothing in it, is left out, except
     * the contract's fields: {@code null} only within a flow's {@code app} (the contract's "fields that do not
     * apply are null") and as a finding's {@code endpoint.port} (a whole host), an empty list only as
     * {@code flows}, {@code tags}, a capture's {@code findings}, a finding's {@code matches} (the defaults a
     * timer matches, none) or a timeline bucket.
     */
    private static void checkOnlyKnownValues(JsonNode node, String path, boolean inApp) {
        if (node.isObject()) {
            assertTrue(node.size() > 0 || path.endsWith("buckets[]"), path + ": an empty object");
            node.fields().forEachRemaining(e -> {
                String name = e.getKey();
                JsonNode v = e.getValue();
                String at = path + "." + name;
                assertTrue(!v.isNull() || inApp || name.equals("app")
                        || at.endsWith(".endpoint.port") && at.contains("findings[]"),
                        at + " is null");
                assertFalse(UNKNOWN_BELOW_ZERO.contains(name) && v.isNumber() && v.asLong() < 0, at + " = " + v);
                assertFalse(NONE_AT_ZERO.contains(name) && v.isNumber() && v.asLong() == 0, at + " = " + v);
                checkOnlyKnownValues(v, at, inApp || name.equals("app"));
            });
        } else if (node.isArray()) {
            assertTrue(node.size() > 0 || path.endsWith(".flows") || path.endsWith(".tags")
                    || path.endsWith("captures[].findings") || path.endsWith(".matches"), path + ": an empty list");
            node.forEach(v -> checkOnlyKnownValues(v, path + "[]", inApp));
        }
    }

    /** flows.csv has exactly the flows of report.json, with the same verdicts. */
    static void checkCsvAgainstJson(Path out, JsonNode json) throws IOException {
        Map<String, String> fromJson = new HashMap<>();
        for (JsonNode c : json.get("captures")) {
            for (JsonNode f : c.get("flows")) {
                fromJson.put(c.get("file").asText() + "#" + f.get("stream").asLong(),
                        f.get("termination").get("class").asText() + "/" + f.get("termination").get("by").asText());
            }
        }
        Map<String, String> fromCsv = new HashMap<>();
        try (Reader r = Files.newBufferedReader(out.resolve("flows.csv"))) {
            for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                fromCsv.put(row.get("file") + "#" + row.get("stream"), row.get("class") + "/" + row.get("by"));
            }
        }
        assertEquals(fromJson, fromCsv);
    }

    /** index.html names every capture and every unreadable part, and lists the flows (up to its cap). */
    static void checkHtml(Path out, JsonNode json) throws IOException {
        String html = Files.readString(out.resolve("index.html"));
        long flows = 0;
        for (JsonNode c : json.get("captures")) {
            assertTrue(html.contains(escape(c.get("file").asText())), c.get("file").asText());
            if (c.has("error")) {
                assertTrue(html.contains(escape(c.get("error").get("message").asText())));
            }
            flows += c.get("flows").size();
        }
        int rows = 0;
        for (int i = html.indexOf("<tr data-stream="); i >= 0; i = html.indexOf("<tr data-stream=", i + 1)) {
            rows++;
        }
        assertEquals(Math.min(flows, 5000), rows);
        assertFalse(html.contains("<script src") || html.contains("<link"), "self-contained");
    }

    /** Text as Thymeleaf escapes it in HTML. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    static void checkMarkdown(Path out, JsonNode json) throws IOException {
        String md = Files.readString(out.resolve("summary.md"));
        long flows = 0;
        long abnormal = 0;
        for (JsonNode c : json.get("captures")) {
            for (JsonNode f : c.get("flows")) {
                flows++;
                if (TerminationClass.valueOf(f.get("termination").get("class").asText()).isAbnormal()) {
                    abnormal++;
                }
            }
        }
        assertTrue(md.contains("**" + flows + " connections, " + abnormal + " abnormal endings**"), md);
    }

    /** Samples: one capture a file, every flow of the ground truth, and nothing unreadable. */
    static void checkSamples(Path out) throws IOException {
        JsonNode json = checkJson(out);
        List<Path> captures = sampleCaptures();
        assertEquals(captures.size(), json.get("captures").size());
        assertTrue(json.get("complete").asBoolean());
        for (JsonNode c : json.get("captures")) {
            String file = c.get("file").asText();
            assertFalse(c.has("error"), file);
            Set<String> tuples = new HashSet<>();
            for (JsonNode f : c.get("flows")) {
                tuples.add(f.get("client").get("ip").asText() + " " + f.get("client").get("port").asInt() + " "
                        + f.get("server").get("ip").asText() + " " + f.get("server").get("port").asInt());
            }
            List<String> truth = truthTuples(file);
            assertEquals(truth.size(), c.get("flows").size(), file + ": one flow per ground-truth row");
            assertEquals(new HashSet<>(truth), tuples, file + ": client and server as in the ground truth");
        }
        checkCsvAgainstJson(out, json);
        checkHtml(out, json);
        checkMarkdown(out, json);
    }

    /** The damaged batch: the good file whole, the truncated one partly, the text file not at all. */
    static void checkDamaged(Path out, String stderr) throws IOException {
        JsonNode json = checkJson(out);
        assertFalse(json.get("complete").asBoolean());
        Map<String, JsonNode> byName = new HashMap<>();
        json.get("captures").forEach(c -> byName.put(Paths.get(c.get("file").asText()).getFileName().toString(), c));
        assertEquals(Set.of("good.pcap", "truncated.pcap", "notes.pcap"), byName.keySet());
        assertFalse(byName.get("good.pcap").has("error"));
        assertEquals(1, byName.get("good.pcap").get("flows").size());
        JsonNode cut = byName.get("truncated.pcap");
        assertTrue(cut.get("error").get("offset").asLong() > 0, "offset of the damage");
        assertTrue(cut.get("packets").asLong() > 0 && cut.get("flows").size() > 0, "the good part is analyzed");
        JsonNode text = byName.get("notes.pcap");
        assertTrue(text.get("error").get("message").isTextual());
        assertEquals(0, text.get("packets").asLong());
        List<String> lines = stderr.lines().toList();
        assertEquals(2, lines.size(), "one line per unreadable input: " + stderr);
        assertTrue(lines.stream().anyMatch(l -> l.contains("truncated.pcap")), stderr);
        assertTrue(lines.stream().anyMatch(l -> l.contains("notes.pcap")), stderr);
        assertFalse(stderr.contains("\tat "), "no stack trace");
        checkCsvAgainstJson(out, json);
        checkHtml(out, json);
        checkMarkdown(out, json);
    }
}
