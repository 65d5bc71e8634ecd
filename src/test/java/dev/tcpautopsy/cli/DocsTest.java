package dev.tcpautopsy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Glossary;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.ReportFixture;
import dev.tcpautopsy.report.formats.ReportFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The glossary (glossary.txt) names exactly what the code produces: every class, {@code by} value,
 * tag, appView value, history letter, JSON field and CSV column, none missing and none stale; each
 * named sample shows what it is named for; and docs/ is what the glossary and the commands make.
 */
class DocsTest {
    private static final Glossary G = Glossary.standard();
    private static final Path ROOT = EndToEnd.samples().toAbsolutePath().getParent();
    private static final String HOW = " in src/main/resources/dev/tcpautopsy/model/glossary.txt";

    /** report.json of the samples (each with its truth file's threshold), a damaged batch, a filtered run, the fixture. */
    private static final List<JsonNode> REPORTS = new ArrayList<>();
    private static String csvHeader;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void analyze() throws IOException {
        Map<String, List<Path>> byThreshold = new java.util.TreeMap<>();
        for (Path capture : EndToEnd.sampleCaptures()) {
            byThreshold.computeIfAbsent(threshold(capture), k -> new ArrayList<>()).add(capture);
        }
        for (Map.Entry<String, List<Path>> e : byThreshold.entrySet()) {
            List<String> args = new ArrayList<>(List.of("analyze", "-f", "json", "-o", "-", "--idle-threshold", e.getKey()));
            e.getValue().forEach(p -> args.add(p.toString()));
            REPORTS.add(json(args));
        }
        REPORTS.add(json(List.of("analyze", "-f", "json", "-o", "-", EndToEnd.damagedDirectory(tmp).toString())));
        REPORTS.add(json(List.of("analyze", "-f", "json", "-o", "-", "--only-abnormal",
                EndToEnd.samples().resolve("mixed-concurrent.pcap.gz").toString())));
        MemoryTarget fixture = new MemoryTarget();
        ReportFormat.JSON.renderer().render(ReportFixture.report(), fixture);
        REPORTS.add(EndToEnd.JSON.readTree(fixture.text(ReportFormat.JSON.fileName())));
        MemoryTarget csv = new MemoryTarget();
        ReportFormat.CSV.renderer().render(ReportFixture.report(), csv);
        csvHeader = csv.text(ReportFormat.CSV.fileName()).lines().findFirst().orElseThrow();
    }

    private static JsonNode json(List<String> args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine cmd = TcpAutopsy.commandLine(new Environment(Engine.PIPELINE, out, false));
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args.toArray(String[]::new));
        assertTrue(exit <= ExitCodes.INPUT_UNREADABLE, args + ": " + err);
        return EndToEnd.JSON.readTree(out.toByteArray());
    }

    /** The idle threshold a capture's truth file names, else the default. */
    static String threshold(Path capture) throws IOException {
        Path truth = truthFile(capture);
        if (truth != null) {
            for (String l : Files.readAllLines(truth)) {
                if (l.startsWith("# idle-threshold:")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        }
        return "30s";
    }

    /** x.pcap's x.truth.tsv; a pair's x-a.pcap's x.truth.tsv. */
    private static Path truthFile(Path capture) {
        String name = capture.getFileName().toString().replaceFirst("\\.(pcapng|pcap|cap)(\\.gz)?$", "");
        for (String n : List.of(name, name.replaceFirst("-[ab]$", ""))) {
            Path t = capture.resolveSibling(n + ".truth.tsv");
            if (Files.isRegularFile(t)) {
                return t;
            }
        }
        return null;
    }

    private static Set<String> documented(String kind) {
        Set<String> s = new LinkedHashSet<>();
        G.entries(kind).forEach(e -> s.add(e.name()));
        return s;
    }

    private static void sameNames(String kind, Set<String> inCode) {
        Set<String> missing = new TreeSet<>(inCode);
        missing.removeAll(documented(kind));
        Set<String> stale = new TreeSet<>(documented(kind));
        stale.removeAll(inCode);
        assertTrue(missing.isEmpty(), "undocumented " + kind + " names " + missing + ": add '== " + kind + " NAME' entries" + HOW);
        assertTrue(stale.isEmpty(), kind + " entries " + stale + HOW + " name nothing the code produces any more");
    }

    @Test
    void classesByValuesAndTags() {
        assertEquals(Arrays.stream(TerminationClass.values()).map(Enum::name).toList(), List.copyOf(documented("class")),
                "every class" + HOW + ", in the precedence order of TerminationClass");
        Set<String> by = new LinkedHashSet<>();
        Arrays.stream(By.values()).forEach(b -> by.add(b.wire()));
        sameNames("by", by);
        Set<String> tags = new LinkedHashSet<>();
        Arrays.stream(Tag.values()).forEach(t -> tags.add(t.name()));
        sameNames("tag", tags);
        for (Glossary.Entry e : G.entries()) {
            assertTrue(!e.get("short").isEmpty() || e.kind().equals("json") || e.kind().equals("csv"),
                    e.kind() + " " + e.name() + " needs a 'short:' line" + HOW);
            assertTrue(e.text().values().stream().noneMatch(t -> t.contains("`")),
                    e.kind() + " " + e.name() + ": plain text, no Markdown (the page and the terminal show it as it is)");
        }
        for (Glossary.Entry e : G.entries("class")) {
            for (String key : List.of("wire", "cause", "apps", "sample")) {
                assertTrue(!e.get(key).isEmpty(), "class " + e.name() + " needs '" + key + ":'" + HOW);
            }
        }
    }

    /** The values the verdict code gives appView (its {@code saw(side, "VALUE")} calls) and those the samples show. */
    @Test
    void appViewValues() throws IOException {
        Set<String> inCode = new TreeSet<>();
        Matcher m = Pattern.compile("\\.saw\\([^;]*?, \"([A-Za-z]+)\"\\)").matcher(sources("src/main/java"));
        while (m.find()) {
            inCode.add(m.group(1));
        }
        assertTrue(inCode.size() >= 5, "found the appView values in the code: " + inCode);
        for (JsonNode r : REPORTS) {
            r.findValues("appView").forEach(v -> v.forEach(side -> {
                if (!side.isNull()) {
                    inCode.add(side.asText());
                }
            }));
        }
        sameNames("appView", inCode);
    }

    /** Every letter of the history alphabet, in both cases, and every letter the samples' histories hold. */
    @Test
    void historyLetters() throws Exception {
        java.lang.reflect.Field f = Class.forName("dev.tcpautopsy.flow.History").getDeclaredField("LETTERS");
        f.setAccessible(true);
        String letters = (String) f.get(null);
        Set<String> all = new TreeSet<>();
        for (char c : letters.toCharArray()) {
            all.add(String.valueOf(c));
            all.add(String.valueOf(Character.toLowerCase(c)));
        }
        for (JsonNode r : REPORTS) {
            for (JsonNode h : r.findValues("history")) {
                h.asText().chars().forEach(c -> assertTrue(all.contains(String.valueOf((char) c)),
                        "letter " + (char) c + " is not in History.LETTERS"));
            }
        }
        sameNames("history", all);
    }

    @Test
    void jsonFields() throws IOException {
        Set<String> paths = new TreeSet<>();
        for (JsonNode r : REPORTS) {
            walk(r, "", paths);
        }
        List<Pattern> patterns = new ArrayList<>();
        for (Glossary.Entry e : G.entries("json")) {
            // a * inside a path is one key; at its end, any key and what lies below it (keys may hold dots: 802.1Q)
            String name = e.name().startsWith("**.") ? e.name().substring(3) : e.name();
            String quoted = Pattern.quote(name);
            String regex = name.endsWith(".*")
                    ? quoted.substring(0, quoted.length() - 3).replace("*", "\\E[^.\\[]+\\Q") + "\\E.+"
                    : quoted.replace("*", "\\E[^.\\[]+\\Q");
            // a leading **. is any enclosing path, or none
            patterns.add(Pattern.compile(e.name().startsWith("**.") ? "(.+\\.)?" + regex : regex));
        }
        Set<String> missing = new TreeSet<>();
        boolean[] used = new boolean[patterns.size()];
        for (String p : paths) {
            boolean found = false;
            for (int i = 0; i < patterns.size(); i++) {
                if (patterns.get(i).matcher(p).matches()) {
                    used[i] = true;
                    found = true;
                }
            }
            if (!found) {
                missing.add(p);
            }
        }
        assertTrue(missing.isEmpty(), "undocumented report.json fields " + missing + ": add '== json PATH' entries" + HOW);
        // a field the inputs above never produce (a zero-window probe counter, TLS facts) is stale only when
        // the JSON writers no longer name it
        String writers = sources("src/main/java/dev/tcpautopsy/report/json") + sources("src/main/java/dev/tcpautopsy/findings");
        List<String> stale = new ArrayList<>();
        for (int i = 0; i < used.length; i++) {
            String name = G.entries("json").get(i).name();
            String last = name.substring(name.lastIndexOf('.') + 1).replace("[]", "");
            if (!used[i] && (last.equals("*") || !writers.contains("\"" + last + "\""))) {
                stale.add(name);
            }
        }
        assertTrue(stale.isEmpty(), "json entries " + stale + HOW + " match no field of the reports");
    }

    /** The text of every Java source under a directory of the project. */
    private static String sources(String dir) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                b.append(Files.readString(f));
            }
        }
        return b.toString();
    }

    private static void walk(JsonNode n, String path, Set<String> out) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                out.add(p);
                walk(e.getValue(), p, out);
            }
        } else if (n.isArray()) {
            n.forEach(v -> walk(v, path + "[]", out));
        }
    }

    @Test
    void csvColumns() {
        assertEquals(List.of(csvHeader.split(",")), List.copyOf(documented("csv")),
                "every flows.csv column" + HOW + ", in the file's order");
    }

    /** Each named sample, analyzed with its options (its truth file's threshold), shows what it is named for. */
    @Test
    void everySampleShowsItsName() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Glossary.Entry e : G.entries()) {
            if (e.sample().isEmpty()) {
                if (List.of("class", "by", "tag", "appView", "history").contains(e.kind())) {
                    assertTrue(e.get("sample").startsWith("none: "), e.kind() + " " + e.name() + " needs 'sample:'" + HOW);
                }
                continue;
            }
            Path capture = ROOT.resolve(e.sample().get());
            assertTrue(Files.isRegularFile(capture), e.kind() + " " + e.name() + ": no such sample " + capture);
            String threshold = threshold(capture);
            List<String> expected = threshold.equals("30s") ? List.of() : List.of("--idle-threshold", threshold);
            assertEquals(expected, e.sampleOptions(), e.kind() + " " + e.name() + ": the options of its truth file");
            if (e.kind().equals("json") || e.kind().equals("csv")) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of("analyze", "-f", "json", "-o", "-"));
            args.addAll(e.sampleOptions());
            args.add(capture.toString());
            JsonNode flows = json(args).at("/captures/0/flows");
            boolean shown = false;
            for (JsonNode f : flows) {
                JsonNode t = f.get("termination");
                shown |= switch (e.kind()) {
                    case "class" -> t.get("class").asText().equals(e.name());
                    case "by" -> t.get("by").asText().equals(e.name());
                    case "tag" -> t.get("tags").toString().contains("\"" + e.name() + "\"");
                    case "appView" -> t.at("/appView/client").asText().equals(e.name())
                            || t.at("/appView/server").asText().equals(e.name());
                    default -> f.get("history").asText().contains(e.name());
                };
            }
            if (!shown) {
                wrong.add(e.kind() + " " + e.name() + " is not shown by " + e.sample().get());
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** docs/ holds exactly what the glossary and the commands make; -Dtcpautopsy.docs.update=true rewrites it. */
    @Test
    void docsAreUpToDate() throws IOException {
        Path docs = ROOT.resolve("docs");
        boolean update = Boolean.getBoolean("tcpautopsy.docs.update");
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> f : DocsCommand.files().entrySet()) {
            Path p = docs.resolve(f.getKey());
            if (Files.isRegularFile(p) && Files.readString(p, StandardCharsets.UTF_8).equals(f.getValue())) {
                continue;
            }
            if (update) {
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            } else {
                stale.add("docs/" + f.getKey());
            }
        }
        if (!stale.isEmpty()) {
            fail(stale + " differ from what glossary.txt and the commands make: run "
                    + "mvn -q -o test -Dtest=DocsTest -Dtcpautopsy.docs.update=true and commit docs/");
        }
    }

    /** {@code tcpautopsy help analyze} explains the report's words in the terminal. */
    @Test
    void helpAnalyzeIsComplete() {
        StringWriter out = new StringWriter();
        CommandLine cmd = TcpAutopsy.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        assertEquals(0, cmd.execute("help", "analyze"));
        // the text as read, whatever the terminal's width wrapped
        String help = out.toString().replaceAll("\\s+", " ");
        for (String kind : List.of("class", "by", "tag", "appView")) {
            for (Glossary.Entry e : G.entries(kind)) {
                assertTrue(help.contains(e.name()) && help.contains(e.get("short")), kind + " " + e.name());
            }
        }
        for (String part : List.of("Usage: tcpautopsy analyze", "--idle-threshold", "Exit status", "Examples", "JAVA_OPTS",
                "docs/reference.md")) {
            assertTrue(help.contains(part), part);
        }
    }
}
