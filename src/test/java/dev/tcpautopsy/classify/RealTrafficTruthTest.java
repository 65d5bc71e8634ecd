package dev.tcpautopsy.classify;

import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.tcpautopsy.testing.Needs.need;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real-traffic truth set ({@code realtraffic.tsv}): flows of corpus captures, each labelled by
 * reading its packets with tshark, from the contract alone, with the frames that justify the label.
 * Where the wire cannot decide, a label lists the acceptable answers ({@code A|B}). Every class and
 * {@code by} must agree, and every tag a label requires must be there.
 */
class RealTrafficTruthTest {

    record Label(String file, long stream, Set<String> classes, Set<String> bys, Set<String> tags, String frames,
                 String why) {
        static Label parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length != 7) {
                throw new IllegalArgumentException("expected 7 fields, got " + f.length + ": " + line);
            }
            return new Label(f[0], Long.parseLong(f[1]), set(f[2], "\\|"), set(f[3], "\\|"), set(f[4], ","), f[5], f[6]);
        }

        private static Set<String> set(String s, String sep) {
            Set<String> out = new TreeSet<>();
            for (String x : s.split(sep)) {
                if (!x.isBlank()) {
                    out.add(x.trim());
                }
            }
            return out;
        }
    }

    static List<Label> labels() throws IOException {
        List<Label> out = new ArrayList<>();
        try (InputStream in = RealTrafficTruthTest.class.getResourceAsStream("realtraffic.tsv")) {
            assertNotNull(in, "realtraffic.tsv");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("file\t")) {
                    continue;
                }
                out.add(Label.parse(line));
            }
        }
        return out;
    }

    @Test
    void everyLabelledFlowAgrees() throws IOException {
        List<Label> labels = labels();
        need(Files.isDirectory(CorpusFlows.corpus()), "the corpus " + CorpusFlows.corpus());
        Map<String, List<Flow>> byFile = new LinkedHashMap<>();
        int classOk = 0, byOk = 0, tagsOk = 0;
        List<String> wrong = new ArrayList<>();
        for (Label l : labels) {
            List<Flow> flows = byFile.computeIfAbsent(l.file(), f -> CorpusFlows.analyze(CorpusFlows.capture(f)));
            // a stream that holds two connections is labelled by its final ending
            Flow last = null;
            for (Flow f : flows) {
                if (f.stream() == l.stream()) {
                    last = f;
                }
            }
            if (last == null) {
                wrong.add(l.file() + " stream " + l.stream() + ": no such flow");
                continue;
            }
            Termination t = last.termination();
            boolean cls = l.classes().contains(t.cls().name()), by = l.bys().contains(t.by().wire());
            Set<String> have = new TreeSet<>();
            t.tags().forEach(x -> have.add(x.name()));
            boolean tags = have.containsAll(l.tags());
            classOk += cls ? 1 : 0;
            byOk += by ? 1 : 0;
            tagsOk += tags ? 1 : 0;
            if (!cls || !by || !tags) {
                wrong.add(l.file() + " stream " + l.stream() + ": labelled " + l.classes() + "/" + l.bys() + " " + l.tags()
                        + ", got " + t.cls() + "/" + t.by().wire() + " " + have + "\n    label: " + l.why()
                        + "\n    ours:  " + t.reason());
            }
        }
        System.out.printf("real-traffic truth: %d flows from %d captures; class %d, by %d, tags %d agree%n",
                labels.size(), byFile.size(), classOk, byOk, tagsOk);
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " labelled flows disagree:\n" + String.join("\n", wrong));
        }
    }

    /** The set is what the contract asks of it: enough flows and captures, names the contract knows, frames given. */
    @Test
    void theSetIsWellFormed() throws IOException {
        List<Label> labels = labels();
        assertTrue(labels.size() >= 150, labels.size() + " flows");
        assertTrue(labels.stream().map(Label::file).distinct().count() >= 20, "captures");
        Set<String> classes = new TreeSet<>();
        Arrays.stream(dev.tcpautopsy.model.TerminationClass.values()).forEach(c -> classes.add(c.name()));
        Set<String> tags = new TreeSet<>();
        Arrays.stream(Tag.values()).forEach(t -> tags.add(t.name()));
        for (Label l : labels) {
            assertTrue(classes.containsAll(l.classes()) && !l.classes().isEmpty(), l.toString());
            assertTrue(Set.of("client", "server", "middlebox", "unknown").containsAll(l.bys()) && !l.bys().isEmpty(),
                    l.toString());
            assertTrue(tags.containsAll(l.tags()), l.toString());
            assertTrue(l.frames().matches("\\d+(,\\d+)*"), "frames of " + l);
            assertTrue(!l.why().isBlank(), l.toString());
        }
        assertEquals(labels.size(), labels.stream().map(l -> l.file() + "#" + l.stream()).distinct().count(),
                "one label a flow");
    }
}
