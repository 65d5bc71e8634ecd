package dev.tcpautopsy.classify;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.tcpautopsy.testing.Needs.need;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The ground truth of the kernel-made samples: the real pipeline runs on every capture of
 * {@code samples/} and must give each labelled flow its class, its {@code by} and its required tags.
 * Prints a confusion matrix (truth class x our class) at the end.
 */
class SamplesGroundTruthTest {

    @Test
    void everyLabelledFlowGetsItsClassByAndTags() throws IOException {
        Path dir = Paths.get(System.getProperty("tcpautopsy.samples", "samples"));
        need(Files.isDirectory(dir), "samples at " + dir);
        List<Path> truths;
        // samples/app/ holds the real servers' captures; samples/pairs/ has its own truth, per vantage point
        try (Stream<Path> s = Files.walk(dir, 2)) {
            truths = s.filter(p -> p.getFileName().toString().endsWith(".truth.tsv"))
                    .filter(p -> p.getParent().equals(dir) || p.getParent().equals(dir.resolve("app"))).sorted().toList();
        }
        assertTrue(truths.size() >= 55, "expected the lab's 55+ truth files, found " + truths.size());
        Map<TerminationClass, Map<TerminationClass, Integer>> matrix = new EnumMap<>(TerminationClass.class);
        List<String> wrong = new ArrayList<>();
        int labelled = 0;
        for (Path t : truths) {
            SampleTruth truth = SampleTruth.read(t);
            List<Flow> flows = analyze(truth);
            Set<Integer> used = new java.util.HashSet<>();
            for (SampleTruth.Row row : truth.rows()) {
                labelled++;
                String where = t.getFileName() + " " + row.key();
                int i = find(flows, row, used);
                if (i < 0) {
                    wrong.add(where + ": no such flow in the report");
                    continue;
                }
                used.add(i);
                Flow f = flows.get(i);
                TerminationClass want = TerminationClass.valueOf(row.cls());
                matrix.computeIfAbsent(want, k -> new EnumMap<>(TerminationClass.class))
                        .merge(f.termination().cls(), 1, Integer::sum);
                Set<String> tags = f.termination().tags().stream().map(Tag::name).collect(Collectors.toSet());
                if (f.termination().cls() != want || !f.termination().by().wire().equals(row.by())
                        || !tags.containsAll(row.tags())) {
                    wrong.add(where + ": truth " + row.cls() + "/" + row.by() + " " + row.tags() + ", ours "
                            + f.termination().cls() + "/" + f.termination().by().wire() + " " + tags + " -- "
                            + f.termination().reason());
                }
            }
        }
        System.out.println(matrix(matrix));
        System.out.println((labelled - wrong.size()) + " of " + labelled + " labelled flows agree");
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " of " + labelled + " labelled flows disagree:\n" + String.join("\n", wrong));
        }
    }

    private static List<Flow> analyze(SampleTruth truth) {
        AnalysisOptions o = AnalysisOptions.defaults();
        o = new AnalysisOptions(truth.idleThreshold() != null ? truth.idleThreshold() : o.idleThreshold(), false, 1,
                Set.of(), Set.of(), Set.of(), false);
        List<Flow> out = new ArrayList<>();
        try (Analyzer a = new Analyzer(o)) {
            AnalysisReport r = a.analyze(List.of(Input.of(truth.capture())), null).report();
            CaptureReport c = r.captures().get(0);
            assertTrue(c.complete(), truth.capture() + " not read to its end: " + c.error());
            c.flows().forEach(out::add);
        }
        return out;
    }

    /** The first unused flow with the row's endpoints (rows sharing a 4-tuple are in capture order). */
    private static int find(List<Flow> flows, SampleTruth.Row row, Set<Integer> used) {
        for (int i = 0; i < flows.size(); i++) {
            Flow f = flows.get(i);
            if (!used.contains(i) && f.client().port() == row.clientPort() && f.server().port() == row.serverPort()
                    && SampleTruth.ip(f.client().ip()).equals(row.clientIp())
                    && SampleTruth.ip(f.server().ip()).equals(row.serverIp())) {
                return i;
            }
        }
        return -1;
    }

    static String matrix(Map<TerminationClass, Map<TerminationClass, Integer>> m) {
        Map<TerminationClass, Integer> cols = new TreeMap<>();
        m.values().forEach(r -> r.forEach((k, v) -> cols.merge(k, v, Integer::sum)));
        StringBuilder b = new StringBuilder("confusion matrix (rows: truth, columns: ours)\n");
        b.append(String.format("%-18s", "truth \\ ours"));
        for (TerminationClass c : cols.keySet()) {
            b.append(String.format(" %5s", abbrev(c)));
        }
        b.append('\n');
        for (var row : m.entrySet()) {
            b.append(String.format("%-18s", row.getKey()));
            for (TerminationClass c : cols.keySet()) {
                Integer n = row.getValue().get(c);
                b.append(String.format(" %5s", n == null ? "." : n));
            }
            b.append('\n');
        }
        StringBuilder legend = new StringBuilder("columns: ");
        cols.keySet().forEach(c -> legend.append(abbrev(c)).append('=').append(c).append(' '));
        return b.append(legend.toString().trim()).toString();
    }

    private static String abbrev(TerminationClass c) {
        String[] parts = c.name().split("_");
        StringBuilder s = new StringBuilder();
        for (String p : parts) {
            s.append(p, 0, Math.min(2, p.length()));
        }
        return s.substring(0, Math.min(5, s.length()));
    }
}
