package dev.tcpautopsy.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job in Spark's local mode on samples/, a directory of damaged captures and a capture cut into two
 * rotated pieces, against {@code tcpautopsy analyze} (the command's own jar, run as a user runs it) on
 * the same files: the Parquet rows and summary.json must say what the command's report.json says, flow
 * for flow and finding for finding, the overview page must show the command's findings, and the damaged
 * captures must be listed with the command's error, the job going on.
 */
class ArchiveJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path damaged, rotated, out;
    static String stderr;
    static int status;
    /** The command's flows by "file#stream", and its captures by file. */
    static final Map<String, JsonNode> cliFlows = new TreeMap<>();
    static final Map<String, JsonNode> cliCaptures = new TreeMap<>();
    static final Map<String, Row> rows = new TreeMap<>();
    /** The command's report.json of samples/ and the damaged captures, all but the rotated pieces. */
    static JsonNode cliReport;
    static JsonNode summary;
    static String stdout;

    @BeforeAll
    static void runBoth() throws Exception {
        String samples = System.getProperty("tcpautopsy.samples");
        damaged = Files.createDirectories(tmp.resolve("damaged"));
        Files.writeString(damaged.resolve("garbage.pcap"), "not a capture at all\n");
        byte[] whole = Files.readAllBytes(Path.of(samples, "fin-orderly-client-first.pcap"));
        Files.write(damaged.resolve("cut.pcap"), java.util.Arrays.copyOf(whole, whole.length - 30));
        rotated = Files.createDirectories(tmp.resolve("rotated"));
        split(Path.of(samples, "mixed-concurrent.pcap.gz"), rotated.resolve("mixed.pcap"), rotated.resolve("mixed.pcap1"));
        out = tmp.resolve("out");

        System.setProperty("spark.ui.enabled", "false");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream std = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        status = ArchiveJob.run(new String[]{samples, damaged.toString(), rotated.toString(), "--out", out.toString(),
                "--master", "local[2]"}, new PrintStream(std, true), new PrintStream(err, true));
        System.out.printf("the job took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        stderr = err.toString(StandardCharsets.UTF_8);
        stdout = std.toString(StandardCharsets.UTF_8);
        System.out.print(stderr);

        cliReport = cli(tmp.resolve("cli"), "analyze", samples, damaged.toString(), "-f", "json,html", "-o",
                tmp.resolve("cli").toString());
        cli(tmp.resolve("cli-merged"), "analyze", "--merge", rotated.resolve("mixed.pcap").toString(),
                rotated.resolve("mixed.pcap1").toString(), "-f", "json", "-o", tmp.resolve("cli-merged").toString());
        summary = JSON.readTree(out.resolve("summary.json").toFile());

        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC").getOrCreate();
        try {
            for (Row r : spark.read().parquet(out.resolve("flows").toString()).collectAsList()) {
                rows.put(r.<String>getAs("file") + "#" + r.<Long>getAs("stream"), r);
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void theJobRanToItsEndDespiteDamagedCaptures() {
        assertEquals(ArchiveJob.OK, status, stderr);
        assertTrue(stderr.contains("garbage.pcap"), stderr);
        int n = cliCaptures.size();
        assertTrue(stderr.contains("[" + n + "/" + n + "]"), "a line per finished capture: " + stderr);
    }

    @Test
    void everyFlowOfTheCommandIsARowWithTheSameValues() {
        assertFalse(cliFlows.isEmpty());
        assertEquals(cliFlows.keySet(), rows.keySet());
        cliFlows.forEach((key, f) -> {
            Row r = rows.get(key);
            JsonNode t = f.get("termination");
            assertEquals(f.get("client").get("ip").asText(), r.getAs("client_ip"), key);
            assertEquals(f.get("client").get("port").asInt(), (int) r.<Integer>getAs("client_port"), key);
            assertEquals(f.get("server").get("ip").asText(), r.getAs("server_ip"), key);
            assertEquals(f.get("server").get("port").asInt(), (int) r.<Integer>getAs("server_port"), key);
            assertEquals(t.get("class").asText(), r.getAs("class"), key);
            assertEquals(t.get("by").asText(), r.getAs("by"), key);
            assertEquals(t.get("reason").asText(), r.getAs("reason"), key);
            assertEquals(texts(t.get("tags")), r.getList(r.fieldIndex("tags")), key);
            List<Long> frames = new ArrayList<>();
            t.get("evidence").forEach(e -> frames.add(e.get("frame").asLong()));
            assertEquals(frames, r.getList(r.fieldIndex("evidence_frames")), key);
            assertEquals(f.get("firstFrame").asLong(), (long) r.<Long>getAs("first_frame"), key);
            assertEquals(f.get("lastFrame").asLong(), (long) r.<Long>getAs("last_frame"), key);
            assertEquals(micros(f.get("start").asText()), r.<java.sql.Timestamp>getAs("start").toInstant(), key);
            assertEquals(micros(f.get("end").asText()), r.<java.sql.Timestamp>getAs("end").toInstant(), key);
            assertEquals(0, new BigDecimal(f.get("durationSeconds").asText()).compareTo(r.getAs("duration_s")), key);
            assertEquals(f.get("handshakeSeen").asBoolean(), r.<Boolean>getAs("handshake_seen"), key);
            assertEquals(f.get("fromClient").get("packets").asLong(), (long) r.<Long>getAs("client_packets"), key);
            assertEquals(f.get("fromServer").get("payloadBytes").asLong(), (long) r.<Long>getAs("server_bytes"), key);
            assertEquals(f.get("history").asText(), r.getAs("history"), key);
            String day = f.get("start").asText().substring(0, 10);
            assertNotNull(r.getAs("capture_date"), key);
            assertTrue(r.getAs("capture_date").toString().compareTo(day) <= 0, key);
        });
    }

    @Test
    void summaryCountsEqualTheCommandsPerCaptureAndInAll() {
        Map<String, Long> byClass = new TreeMap<>();
        long connections = 0;
        for (JsonNode c : cliCaptures.values()) {
            JsonNode s = c.get("summary");
            if (s != null && !s.isNull()) {
                // report.json leaves out what is empty: a capture without connections has no byClass
                s.path("byClass").fields().forEachRemaining(e -> byClass.merge(e.getKey(), e.getValue().asLong(), Long::sum));
                connections += s.path("flows").asLong();
            }
        }
        JsonNode totals = summary.get("totals");
        assertEquals(cliFlows.size(), connections);
        assertEquals(connections, totals.get("connections").asLong());
        assertEquals(byClass, counts(totals.get("byClass")));
        assertEquals(cliCaptures.size(), totals.get("captures").asInt());

        Map<String, JsonNode> ours = new HashMap<>();
        summary.get("captures").forEach(c -> ours.put(c.get("file").asText(), c));
        assertEquals(cliCaptures.keySet(), ours.keySet());
        cliCaptures.forEach((file, c) -> {
            JsonNode mine = ours.get(file);
            JsonNode s = c.get("summary");
            assertEquals(c.get("packets").asLong(), mine.get("packets").asLong(), file);
            if (s == null || s.isNull()) {
                assertEquals(0, mine.get("connections").asLong(), file);
                return;
            }
            assertEquals(s.get("flows").asLong(), mine.get("connections").asLong(), file);
            for (String k : List.of("byClass", "byClassAndBy", "topHosts")) {
                assertEquals(nonEmpty(s.get(k)), nonEmpty(mine.get(k)), file + " " + k);
            }
        });
    }

    /** A node, or null for an absent, null or empty one: report.json leaves out what is empty. */
    private static JsonNode nonEmpty(JsonNode n) {
        return n == null || n.isNull() || n.isContainerNode() && n.isEmpty() ? null : n;
    }

    @Test
    void damagedCapturesAreListedWithTheCommandsError() {
        Map<String, String> listed = new HashMap<>();
        summary.get("unreadable").forEach(u -> listed.put(u.get("file").asText(), u.get("message").asText()));
        List<String> expected = new ArrayList<>();
        cliCaptures.forEach((file, c) -> {
            if (c.hasNonNull("error")) {
                expected.add(file);
                assertEquals(c.get("error").get("message").asText(), listed.get(file), file);
            }
        });
        assertEquals(2, expected.size(), "garbage.pcap and cut.pcap: " + expected);
        assertEquals(expected.size(), listed.size());
        assertFalse(summary.get("complete").asBoolean());
        String cut = damaged.resolve("cut.pcap").toString();
        assertTrue(rows.keySet().stream().anyMatch(k -> k.startsWith(cut + "#")), "cut.pcap's flows before the damage");
    }

    @Test
    void rotatedPiecesAreOneCaptureAsWithMerge() {
        String merged = rotated.resolve("mixed.pcap") + ", " + rotated.resolve("mixed.pcap1");
        assertTrue(cliCaptures.containsKey(merged), cliCaptures.keySet().toString());
        assertTrue(cliFlows.keySet().stream().filter(k -> k.startsWith(merged + "#")).count() > 1);
    }

    @Test
    void worstHostsAreCountedOverEveryFlowOfTheArchive() {
        Map<String, long[]> hosts = new HashMap<>();
        for (JsonNode f : cliFlows.values()) {
            boolean bad = !List.of("FIN_ORDERLY", "OPEN_AT_END").contains(f.get("termination").get("class").asText());
            for (String ip : new java.util.TreeSet<>(List.of(f.get("client").get("ip").asText(), f.get("server").get("ip").asText()))) {
                long[] n = hosts.computeIfAbsent(ip, k -> new long[2]);
                n[0]++;
                n[1] += bad ? 1 : 0;
            }
        }
        JsonNode worst = summary.get("worstHosts");
        assertTrue(worst.size() > 0);
        long last = Long.MAX_VALUE;
        for (JsonNode w : worst) {
            long[] n = hosts.get(w.get("key").asText());
            assertEquals(n[0], w.get("flows").asLong(), w.toString());
            assertEquals(n[1], w.get("abnormal").asLong(), w.toString());
            assertTrue(n[1] <= last);
            last = n[1];
        }
        long cut = last;
        long above = hosts.values().stream().filter(n -> n[1] > cut).count();
        assertTrue(above < worst.size(), "every host with more abnormal endings than the last one listed is listed");
    }

    @Test
    void theOverviewPageListsEveryCapture() throws IOException {
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains(cliCaptures.size() + " captures"));
        for (String file : cliCaptures.keySet()) {
            assertTrue(html.contains(file.substring(file.lastIndexOf('/') + 1)), file);
        }
    }

    @Test
    void eachCapturesFindingsAreTheCommands() {
        Map<String, JsonNode> ours = new HashMap<>();
        summary.get("captures").forEach(c -> ours.put(c.get("file").asText(), c.get("findings")));
        assertEquals(cliCaptures.keySet(), ours.keySet());
        int withFindings = 0;
        for (Map.Entry<String, JsonNode> e : cliCaptures.entrySet()) {
            JsonNode expected = e.getValue().get("findings");
            assertEquals(expected, ours.get(e.getKey()), e.getKey());
            withFindings += expected.isEmpty() ? 0 : 1;
        }
        // samples/app has servers with the lab's idle timers, forged RSTs and a blackhole
        assertTrue(withFindings >= 3, withFindings + " captures with findings");
    }

    @Test
    void findingsAcrossTheArchiveAreTheCommands() {
        String merged = rotated.resolve("mixed.pcap") + ", " + rotated.resolve("mixed.pcap1");
        // the job's batch has the merged capture beside the command's captures: the same batch while it has none
        assertTrue(cliCaptures.get(merged).get("findings").isEmpty(), "the merged capture has findings of its own");
        JsonNode expected = byFile(cliReport.get("findings"), cliReport.get("captures"));
        assertTrue(expected.size() > 0);
        boolean gathered = false;
        for (JsonNode f : expected) {
            gathered |= f.get("captures").size() > 1;
        }
        assertTrue(gathered, "a finding of several captures: " + expected);
        assertEquals(expected, byFile(summary.get("findings"), summary.get("captures")));
    }

    @Test
    void theOverviewPageShowsTheCommandsFindings() throws IOException {
        List<String> ours = titles(Files.readString(out.resolve("index.html")));
        List<String> theirs = titles(Files.readString(tmp.resolve("cli").resolve("index.html")));
        assertFalse(theirs.isEmpty());
        assertEquals(theirs.stream().sorted().toList(), ours.stream().sorted().toList());
        assertEquals(cliReport.get("findings").get(0).get("title").asText(), ours.get(0), "the batch's first");
    }

    @Test
    void theJobPrintsTheTopFindingsAsTheCommandDoes() {
        JsonNode first = cliReport.get("findings").get(0);
        assertTrue(stdout.contains("What went wrong:\n  1. " + first.get("title").asText() + " ("
                + first.get("count").asLong() + " connections)\n"), stdout);
    }

    /**
     * A batch's findings with each capture's place in {@code captures} (which differs between the job and the
     * command, the job having the merged capture too) checked against the file named beside it, then left out.
     */
    private static JsonNode byFile(JsonNode findings, JsonNode captures) {
        JsonNode out = findings.deepCopy();
        for (JsonNode f : out) {
            for (JsonNode w : f.get("captures")) {
                int i = w.get("capture").asInt();
                assertEquals(captures.get(i).get("file").asText(), w.get("file").asText(), "capture " + i);
                ((ObjectNode) w).remove("capture");
            }
        }
        return out;
    }

    /** The titles of the findings a page shows, in its order, as text. */
    private static List<String> titles(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<span class=\"f-title\">([^<]*)</span>").matcher(html);
        while (m.find()) {
            out.add(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&#39;", "'").replace("&amp;", "&"));
        }
        return out;
    }

    /** Runs the command's jar; its report.json's captures and flows go into the maps. Returns its report.json. */
    private static JsonNode cli(Path dir, String... args) throws Exception {
        // the JVM options of the command's launcher for a short batch (bin/tcpautopsy), to keep the test short
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC", "-jar", System.getProperty("tcpautopsy.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tcpautopsy analyze took over 2 minutes");
        JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
        for (JsonNode c : report.get("captures")) {
            String file = c.get("file").asText();
            cliCaptures.put(file, c);
            for (JsonNode f : c.get("flows")) {
                cliFlows.put(file + "#" + f.get("stream").asLong(), f);
            }
        }
        return report;
    }

    /** Writes the capture's records into two pieces of a rotation, each with the capture's header. */
    private static void split(Path gz, Path first, Path second) throws IOException {
        byte[] b;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            b = in.readAllBytes();
        }
        boolean le = (b[0] & 0xff) == 0xd4;
        List<Integer> starts = new ArrayList<>();
        for (int off = 24; off + 16 <= b.length; ) {
            starts.add(off);
            int len = le ? (b[off + 8] & 0xff) | (b[off + 9] & 0xff) << 8 | (b[off + 10] & 0xff) << 16 | (b[off + 11] & 0xff) << 24
                    : (b[off + 8] & 0xff) << 24 | (b[off + 9] & 0xff) << 16 | (b[off + 10] & 0xff) << 8 | (b[off + 11] & 0xff);
            off += 16 + len;
        }
        int cut = starts.get(starts.size() / 2);
        Files.write(first, java.util.Arrays.copyOfRange(b, 0, cut));
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(b, 0, 24);
        rest.write(b, cut, b.length - cut);
        Files.write(second, rest.toByteArray());
    }

    private static Instant micros(String t) {
        return Instant.parse(t).truncatedTo(ChronoUnit.MICROS);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, Long> counts(JsonNode object) {
        Map<String, Long> out = new TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }
}
