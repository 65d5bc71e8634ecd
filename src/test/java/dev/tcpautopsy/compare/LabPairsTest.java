package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.Comparison;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.tcpautopsy.testing.Needs.need;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab's pairs (samples/pairs): the segments listed as lost and appeared are exactly those the router
 * dropped and made (its NFLOG, the injector's log), frame for frame; every connection is paired with the one
 * the server's accept() saw, through NAT too, or is seen at A only where the router kept its SYN from the
 * server; each verdict is the lab's class and {@code by}.
 */
class LabPairsTest {

    static List<Path> truths() throws IOException {
        Path dir = Paths.get(System.getProperty("tcpautopsy.samples", "samples")).resolve("pairs");
        need(Files.isDirectory(dir), "samples/pairs at " + dir);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".truth.tsv")).sorted().toList();
        }
    }

    @Test
    void listsExactlyWhatTheRouterDidAndPairsEveryConnection() throws IOException {
        List<Path> truths = truths();
        assertTrue(truths.size() >= 2, "expected the lab's two pairs, found " + truths);
        List<String> wrong = new ArrayList<>();
        for (Path t : truths) {
            PairTruth truth = PairTruth.read(t);
            Comparison c = Compared.compare(List.of(truth.a()), List.of(truth.b()), truth.idle());
            Set<String> got = Compared.listed(c);
            if (!got.equals(truth.segments())) {
                wrong.add(t.getFileName() + ": " + Compared.diff(truth.segments(), got));
            }
            assertTrue(truth.segments().size() > 10, t + ": the router did little");
            Map<String, Comparison.Verdict> verdicts = new HashMap<>();
            for (Comparison.Pair p : c.connections()) {
                verdicts.put(p.a().client() + " " + p.a().server() + " " + p.b().client() + " " + p.b().server(),
                        p.termination());
            }
            for (Comparison.OneSided o : c.onlyInA()) {
                verdicts.put(o.view().client() + " " + o.view().server() + " - -", o.onPath() ? o.termination() : null);
            }
            assertEquals(List.of(), c.onlyInB(), t.toString());
            assertEquals(truth.conns().size(), verdicts.size(), t + ": connections");
            for (PairTruth.Conn k : truth.conns()) {
                String key = k.aClient() + " " + k.aServer() + " " + k.bClient() + " " + k.bServer();
                Comparison.Verdict v = verdicts.get(key);
                if (v == null) {
                    wrong.add(t.getFileName() + ": " + key + " not paired as the lab says (" + k.kind() + ")");
                } else if (!v.cls().name().equals(k.cls()) || !v.by().wire().equals(k.by())) {
                    wrong.add(t.getFileName() + ": " + key + " truth " + k.cls() + "/" + k.by() + ", ours " + v.cls() + "/"
                            + v.by().wire() + " -- " + v.reason());
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void natPairMatchesEveryConnectionThroughTheTranslation() throws IOException {
        Path t = truths().stream().filter(p -> p.getFileName().toString().startsWith("nat")).findFirst().orElseThrow();
        PairTruth truth = PairTruth.read(t);
        Comparison c = Compared.compare(List.of(truth.a()), List.of(truth.b()), truth.idle());
        long matched = truth.conns().stream().filter(k -> k.kind().equals("matched")).count();
        assertEquals(matched, c.connections().size());
        for (Comparison.Pair p : c.connections()) {
            assertTrue(p.changes().stream().anyMatch(ch -> ch.kind().equals("client-translated")
                    && ch.text().contains(p.b().client().toString())), p.changes().toString());
            assertEquals(p.a().server(), p.b().server());
            assertEquals("a", p.clientSide());
        }
    }
}
