package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.json.JsonRenderer;
import dev.tcpautopsy.synth.Generator;
import dev.tcpautopsy.synth.Profile;
import dev.tcpautopsy.synth.SynthParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.tcpautopsy.testing.Needs.need;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections tracked on several threads (the 4-tuples' partitions dealt out to them) give the same
 * report as on one: the same stream numbers, verdicts, reasons, application context, summaries and
 * findings, byte for byte in report.json. Each capture is analyzed as if the machine had 1 processor (one
 * thread), 2 (judging apart), 3 (reading apart too, one tracking thread), and 4, 6 and 10 (2, 4 and 8
 * tracking threads).
 */
class ShardedTrackingTest {
    private static final int[] PROCESSORS = {1, 2, 3, 4, 6, 10};

    @Test
    void processorsGiveTrackingThreads() {
        assertEquals(CaptureJob.Threads.READ_AND_JUDGE_APART, CaptureJob.Threads.of(10, 1));
        assertEquals(1, CaptureJob.Threads.trackers(3, 1));
        assertEquals(2, CaptureJob.Threads.trackers(4, 1));
        assertEquals(4, CaptureJob.Threads.trackers(6, 1));
        assertEquals(8, CaptureJob.Threads.trackers(10, 1));
        assertEquals(16, CaptureJob.Threads.trackers(64, 1), "at most one thread a partition");
        assertEquals(2, CaptureJob.Threads.trackers(8, 2), "two captures at once share the processors");
    }

    @Test
    void theSamplesAreTheSameOnOneToEightTrackingThreads() throws IOException {
        List<Path> files = captures(Paths.get("samples"));
        assertTrue(files.size() > 40, files.size() + " samples");
        for (Path f : files) {
            sameOnEveryCount(f);
        }
    }

    /**
     * Connection churn: SYN floods given up after five minutes, refused ports, ports reused while their
     * tombstones stand, thousands of tombstones forgotten; and many connections open at once with loss.
     */
    @Test
    void generatedCapturesAreTheSame(@TempDir Path dir) throws IOException {
        Path churn = dir.resolve("churn.pcap");
        write(SynthParams.defaults(Profile.CHURN, 12L << 20), churn);
        Path lossy = dir.resolve("lossy.pcap");
        write(SynthParams.defaults(Profile.BULK, 24L << 20).withNetwork(2000, 0.01, 0.01, 0.1, true), lossy);
        sameOnEveryCount(churn);
        sameOnEveryCount(lossy);
    }

    /** Captures merged into one (`--merge`): the pieces read side by side, their times interleaved. */
    @Test
    void mergedCapturesAreTheSame() throws IOException {
        List<Path> files = captures(Paths.get("samples")).stream().filter(p -> !p.toString().contains("/pairs/"))
                .limit(6).toList();
        String one = report(files, true, 1);
        assertTrue(one.contains("\"merged\":true"), one.substring(0, Math.min(300, one.length())));
        for (int p : new int[] {2, 3, 4, 10}) {
            assertEquals(one, report(files, true, p), p + " processors");
        }
    }

    /** Every file of the public corpus, damaged and odd ones included. */
    @Test
    void theCorpusIsTheSame() throws IOException {
        Path root = Paths.get(System.getProperty("tcpautopsy.corpus", "../shared/corpus"));
        need(Files.isDirectory(root), "the corpus at " + root);
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("zeek-baselines"))
                    .sorted().toList();
        }
        List<String> different = new ArrayList<>();
        for (Path f : files) {
            String one = report(f, 1);
            for (int p : new int[] {4, 10}) {
                if (!one.equals(report(f, p))) {
                    different.add(root.relativize(f) + " with " + p + " processors");
                }
            }
        }
        assertEquals(List.of(), different);
    }

    private static void sameOnEveryCount(Path f) throws IOException {
        String one = report(f, PROCESSORS[0]);
        assertTrue(one.contains("\"flows\":["), f + ": " + one.substring(0, Math.min(300, one.length())));
        for (int i = 1; i < PROCESSORS.length; i++) {
            String other = report(f, PROCESSORS[i]);
            if (!one.equals(other)) {
                int at = 0;
                while (at < one.length() && at < other.length() && one.charAt(at) == other.charAt(at)) {
                    at++;
                }
                int from = Math.max(0, at - 200);
                throw new AssertionError(f + " with " + PROCESSORS[i] + " processors differs from one thread at "
                        + at + ":\n  one:   " + one.substring(from, Math.min(one.length(), at + 200))
                        + "\n  other: " + other.substring(from, Math.min(other.length(), at + 200)));
            }
        }
    }

    private static String report(Path file, int processors) throws IOException {
        return report(List.of(file), false, processors);
    }

    private static String report(List<Path> files, boolean merge, int processors) throws IOException {
        AnalysisOptions o = new AnalysisOptions(Duration.ofSeconds(30), merge, 1, Set.of(), Set.of(), Set.of(), false);
        try (Analyzer a = new Analyzer(o, new ClassifierVerdicts(Duration.ofSeconds(30)), java.io.InputStream.nullInputStream(),
                AnalysisLimits.DEFAULT, processors)) {
            AnalysisReport r = a.analyze(files.stream().map(Input::of).toList(), ProgressListener.NONE).report();
            MemoryTarget out = new MemoryTarget();
            new JsonRenderer(false).render(r, out);
            return out.text("report.json").replaceFirst("\"generated\":\"[^\"]*\"", "");
        }
    }

    private static List<Path> captures(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng)(\\.gz)?$")).sorted().toList();
        }
    }

    private static void write(SynthParams p, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            new Generator(p).write(out, null);
        }
    }
}
