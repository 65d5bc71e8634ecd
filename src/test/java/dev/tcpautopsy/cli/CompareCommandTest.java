package dev.tcpautopsy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tcpautopsy.report.compare.CompareCsv;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.tcpautopsy.testing.Needs.need;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tcpautopsy compare} with the real pipeline on the lab's pairs: its three reports, its errors. */
class CompareCommandTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err, String raw) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        CommandLine cmd = TcpAutopsy.commandLine(new Environment(Engine.PIPELINE, raw, false));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString(), raw.toString(StandardCharsets.UTF_8));
    }

    private static Path pair(String side) {
        Path p = EndToEnd.samples().resolve("pairs").resolve("faults-" + side + ".pcap");
        need(Files.exists(p), p.toString());
        return p;
    }

    @Test
    void writesTheThreeReportsThatAgree() throws IOException {
        Path out = tmp.resolve("out");
        Run r = run("compare", pair("a").toString(), pair("b").toString(), "-o", out.toString(), "--idle-threshold", "2s");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals("", r.err());
        JsonNode j = EndToEnd.JSON.readTree(out.resolve("compare.json").toFile());
        String headline = j.get("summary").get("text").asText();
        assertTrue(r.out().startsWith(headline + "\n"), r.out());
        assertEquals(pair("a").toString(), j.get("a").get("file").asText());
        assertEquals(pair("b").toString(), j.get("b").get("file").asText());
        int listed = 0;
        Set<String> csvWant = new HashSet<>();
        for (JsonNode c : j.get("connections")) {
            assertTrue(c.get("a").get("stream").isNumber() && c.get("b").get("stream").isNumber());
            assertTrue(c.get("client").get("ip").isTextual() && c.get("server").get("port").isNumber());
            assertTrue(Set.of("MIDDLEBOX_RST", "MIDDLEBOX_DROP", "IDLE_TIMEOUT", "FIN_ORDERLY")
                    .contains(c.get("termination").get("class").asText()), c.toString());
            for (String kind : List.of("lostAtoB", "lostBtoA", "appearedAtA", "appearedAtB")) {
                String frame = kind.equals("lostAtoB") || kind.equals("appearedAtA") ? "frameA" : "frameB";
                for (JsonNode g : c.get(kind)) {
                    assertTrue(g.get(frame).isNumber() && g.get("what").isTextual(), g.toString());
                    csvWant.add(kind + " " + c.get("a").get("stream") + " " + g.get(frame));
                    listed++;
                }
            }
        }
        for (JsonNode o : j.get("onlyInA")) {
            assertTrue(o.get("stream").isNumber() && o.get("onPath").asBoolean());
            for (JsonNode g : o.get("lostAtoB")) {
                csvWant.add("lostAtoB " + o.get("stream") + " " + g.get("frameA"));
                listed++;
            }
            for (JsonNode g : o.get("appearedAtA")) {
                csvWant.add("appearedAtA " + o.get("stream") + " " + g.get("frameA"));
                listed++;
            }
        }
        assertTrue(j.get("onlyInB").isArray());
        assertTrue(j.get("clock").get("known").asBoolean());

        List<CSVRecord> rows;
        try (Reader in = Files.newBufferedReader(out.resolve("compare.csv"))) {
            rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
        assertEquals(CompareCsv.COLUMNS, Arrays.asList(Files.readAllLines(out.resolve("compare.csv")).get(0).split(",")));
        Set<String> csvGot = new HashSet<>();
        for (CSVRecord row : rows) {
            String frame = row.get("kind").equals("lostAtoB") || row.get("kind").equals("appearedAtA") ? row.get("frame_a")
                    : row.get("frame_b");
            csvGot.add(row.get("kind") + " " + row.get("stream_a") + " " + frame);
        }
        assertEquals(listed, rows.size());
        assertEquals(csvWant, csvGot);

        String html = Files.readString(out.resolve("compare.html"));
        assertTrue(html.contains(headline.replace("'", "&#39;")), "the headline is on the page");
        assertTrue(html.contains("<tr class=\"lost\">") && html.contains("<tr class=\"appeared\">"), "ladders mark both");
        assertFalse(html.contains("<script src") || html.contains("<link"), "nothing is fetched");
    }

    @Test
    void oneFormatToStandardOutput() throws IOException {
        Run r = run("compare", "-f", "json", "-o", "-", pair("a").toString(), pair("b").toString());
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals("", r.out());
        assertTrue(EndToEnd.JSON.readTree(r.raw()).get("connections").size() > 5);
    }

    @Test
    void usageErrorsSayWhatIsWrongInOneLine() {
        String a = pair("a").toString(), b = pair("b").toString();
        for (String[] args : List.of(new String[] {"compare", a}, new String[] {"compare", "-", b},
                new String[] {"compare", "-f", "pdf", a, b}, new String[] {"compare", "-o", "-", a, b},
                new String[] {"compare", "--max-segments", "0", a, b})) {
            Run r = run(args);
            assertEquals(ExitCodes.USAGE, r.exit(), String.join(" ", args));
            assertEquals(2, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("tcpautopsy: "), r.err());
        }
    }

    @Test
    void aDamagedCaptureIsNamedWithItsOffsetAndWhatWasReadIsCompared() throws IOException {
        byte[] whole = Files.readAllBytes(pair("b"));
        Path cut = tmp.resolve("b-cut.pcap");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 30));
        Path out = tmp.resolve("out");
        Run r = run("compare", pair("a").toString(), cut.toString(), "-f", "json", "-o", out.toString());
        assertEquals(ExitCodes.INPUT_UNREADABLE, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("tcpautopsy: " + cut) && r.err().contains("at byte"), r.err());
        JsonNode j = EndToEnd.JSON.readTree(out.resolve("compare.json").toFile());
        assertTrue(j.get("b").get("error").get("offset").asLong() > 0);
        assertTrue(j.get("connections").size() > 5);
    }

    @Test
    void tooManySegmentsIsOneLineThatSaysWhatToDo() {
        Run r = run("compare", "--max-segments", "50", pair("a").toString(), pair("b").toString(), "-o",
                tmp.resolve("out").toString());
        assertEquals(ExitCodes.INPUT_UNREADABLE, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("more than 50 TCP segments") && r.err().contains("--max-segments"), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aMissingFileIsNamed() {
        Run r = run("compare", tmp.resolve("nope.pcap").toString(), pair("b").toString(), "-o", tmp.toString());
        assertEquals(ExitCodes.INPUT_UNREADABLE, r.exit());
        assertTrue(r.err().contains("nope.pcap"), r.err());
    }
}
