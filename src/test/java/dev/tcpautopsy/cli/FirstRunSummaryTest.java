package dev.tcpautopsy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tcpautopsy.model.Glossary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * analyze's closing lines, on real captures: the count of each class as the report has it, with the
 * glossary's line; the most frequent abnormal endings, each with a show command that shows such a
 * connection; and where index.html is.
 */
class FirstRunSummaryTest {
    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = TcpAutopsy.commandLine(new Environment(Engine.PIPELINE, new ByteArrayOutputStream(), false));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    void saysHowTheConnectionsEndedWhatToLookAtAndWhereTheReportIs() throws Exception {
        Path out = tmp.resolve("out");
        String[] r = run("analyze", "-f", "html,json", "--idle-threshold", "2s", "-o", out.toString(),
                EndToEnd.samples().resolve("app/proxy-keepalive-many.pcap").toString(),
                EndToEnd.samples().resolve("mixed-concurrent.pcap.gz").toString());
        assertEquals("0", r[0], r[2]);
        String text = r[1];
        JsonNode report = EndToEnd.JSON.readTree(out.resolve("report.json").toFile());
        List<String> lines = text.lines().toList();
        int classes = lines.indexOf("How they ended:");
        assertTrue(classes > 0, text);
        int counted = 0;
        for (JsonNode c : report.get("captures")) {
            counted += c.at("/summary/flows").asInt();
        }
        int sum = 0;
        for (String l : section(lines, classes)) {
            String[] w = l.trim().split("\\s+", 3);
            long expected = 0;
            for (JsonNode c : report.get("captures")) {
                expected += c.at("/summary/byClass/" + w[0]).asLong();
            }
            assertEquals(expected, Long.parseLong(w[1]), l);
            assertEquals(Glossary.standard().shortText("class", w[0]), w[2]);
            sum += expected;
        }
        assertEquals(counted, sum, "every connection in one class line");

        int top = lines.indexOf("Most frequent abnormal endings:");
        assertTrue(top > classes, text);
        Pattern line = Pattern.compile("\\s+(\\d+)\\s+([A-Z_]+) by (\\w+)\\s+e\\.g\\. tcpautopsy (show .*)");
        List<String> shown = new ArrayList<>();
        for (String l : section(lines, top)) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), l);
            String[] show = m.group(4).split(" ");
            assertTrue(Arrays.asList(show).contains("2s"), "the same threshold: " + l);
            String[] s = run(show);
            assertEquals("0", s[0], l + ": " + s[2]);
            assertTrue(s[1].contains(m.group(2)) && s[1].contains("by " + m.group(3)), l + "\n" + s[1]);
            shown.add(m.group(2));
        }
        assertTrue(shown.size() >= 2 && shown.size() <= FirstRunSummary.TOP, shown.toString());
        assertTrue(text.contains(out.resolve("index.html") + " ("), text);
    }

    /** The lines after a heading, up to the next empty line. */
    private static List<String> section(List<String> lines, int heading) {
        int end = heading + 1;
        while (end < lines.size() && !lines.get(end).isEmpty()) {
            end++;
        }
        return lines.subList(heading + 1, end);
    }

    @Test
    void fileNamesAreQuotedForTheShell() {
        assertEquals("samples/a.pcap", FirstRunSummary.quoted("samples/a.pcap"));
        assertEquals("'my capture.pcap'", FirstRunSummary.quoted("my capture.pcap"));
        assertEquals("'it'\\''s.pcap'", FirstRunSummary.quoted("it's.pcap"));
    }
}
