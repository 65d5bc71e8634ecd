package dev.tcpautopsy.analysis;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.html.HtmlRenderer;
import dev.tcpautopsy.report.json.JsonRenderer;
import dev.tcpautopsy.report.markdown.MarkdownRenderer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The pipeline around flow tracking: merge, parallel files, filters, damage, spilling, header dumps. */
class AnalyzerTest {
    private static Path samples;

    @BeforeAll
    static void findSamples() {
        String s = System.getProperty("tcpautopsy.samples");
        samples = s == null ? null : Path.of(s);
    }

    private static Path sample(String name) {
        assumeTrue(samples != null && Files.isRegularFile(samples.resolve(name)), "sample " + name + " missing");
        return samples.resolve(name);
    }

    private static AnalysisOptions options(boolean merge, int threads) {
        return new AnalysisOptions(Duration.ofSeconds(30), merge, threads, Set.of(), Set.of(), Set.of(), false);
    }

    private static AnalysisReport analyze(AnalysisOptions o, int maxInMemory, Path... files) {
        List<Input> inputs = new ArrayList<>();
        for (Path f : files) {
            inputs.add(Input.of(f));
        }
        try (Analyzer a = new Analyzer(o, new ClassifierVerdicts(Duration.ofSeconds(30)), InputStreamNone.INSTANCE, AnalysisLimits.DEFAULT.withMaxInMemory(maxInMemory))) {
            AnalysisReport r = a.analyze(inputs, ProgressListener.NONE).report();
            // read every flow set once while the analyzer (and its temporary files) is open
            for (CaptureReport c : r.captures()) {
                c.flows().forEach(f -> { });
            }
            return r;
        }
    }

    /** What identifies a flow and its frames, for comparing two analyses. */
    private static List<String> keys(CaptureReport c) {
        List<String> out = new ArrayList<>();
        for (Flow f : c.flows()) {
            out.add(f.stream() + " " + f.client() + " " + f.server() + " " + f.firstFrame() + "-" + f.lastFrame() + " "
                    + (f.fromClient().packets() + f.fromServer().packets()) + " " + f.termination().cls());
        }
        return out;
    }

    /**
     * A report filtered to the abnormal flows of one host says so: its settings name the filters and each
     * capture's summary keeps the counts of every flow beside the filtered ones, and the renderers show both.
     */
    @Test
    void aFilteredReportKeepsTheUnfilteredTotals() throws IOException {
        Path mixed = sample("mixed-concurrent.pcap.gz");
        AnalysisReport all = analyze(options(false, 1), 100_000, mixed);
        AnalysisOptions filtered = new AnalysisOptions(Duration.ofSeconds(30), false, 1, Set.of("198.18.0.2"), Set.of(),
                Set.of(), true);
        AnalysisReport some = analyze(filtered, 100_000, mixed);
        assertEquals(List.of("host 198.18.0.2", "only abnormal"), some.settings().filters());
        assertTrue(all.settings().filters().isEmpty());
        EndingSummary whole = all.captures().get(0).summary(), part = some.captures().get(0).summary();
        assertNull(whole.unfiltered(), "an unfiltered report has nothing beside");
        assertEquals(whole.flows(), part.unfiltered().flows());
        assertEquals(whole.abnormal(), part.unfiltered().abnormal());
        assertEquals(whole.byClass(), part.unfiltered().byClass());
        assertTrue(part.flows() < whole.flows() && part.flows() == part.abnormal(), part.flows() + " of " + whole.flows());

        MemoryTarget out = new MemoryTarget();
        new JsonRenderer(false).render(some, out);
        new MarkdownRenderer().render(some, out);
        new HtmlRenderer().render(some, out);
        String json = out.text("report.json");
        assertTrue(json.contains("\"filters\":[\"host 198.18.0.2\",\"only abnormal\"]"), json.substring(0, 400));
        assertTrue(json.contains("\"unfiltered\":{\"flows\":" + whole.flows() + ",\"abnormal\":" + whole.abnormal()), json.substring(0, 400));
        String shown = part.flows() + " of " + whole.flows() + " connections shown";
        assertTrue(out.text("summary.md").contains("**Filtered report** (host 198.18.0.2, only abnormal): " + shown),
                out.text("summary.md"));
        assertTrue(out.text("index.html").contains("Filtered report (host 198.18.0.2, only abnormal): " + shown));
    }

    @Test
    void mergedPiecesGiveTheSameFlowsAsTheWholeCapture(@TempDir Path dir) throws IOException {
        Path whole = sample("mixed-concurrent.pcap.gz");
        List<Path> pieces = split(whole, dir, 3);
        CaptureReport one = analyze(options(false, 1), 100_000, whole).captures().get(0);
        // the pieces given out of order: merging goes by time, not by argument order
        List<Path> shuffled = new ArrayList<>(pieces);
        java.util.Collections.reverse(shuffled);
        AnalysisReport merged = analyze(options(true, 2), 100_000, shuffled.toArray(new Path[0]));
        assertEquals(1, merged.captures().size());
        CaptureReport m = merged.captures().get(0);
        assertEquals(one.packets(), m.packets());
        assertEquals(keys(one), keys(m));
        assertTrue(m.file().contains(", "), "a merged capture names its pieces: " + m.file());
        // analyzed apart, connections cut by the piece boundaries end up as more, shorter flows
        AnalysisReport apart = analyze(options(false, 2), 100_000, pieces.toArray(new Path[0]));
        assertEquals(3, apart.captures().size());
        long apartFlows = apart.captures().stream().mapToLong(c -> c.flows().size()).sum();
        assertTrue(apartFlows > one.flows().size(), apartFlows + " flows apart, " + one.flows().size() + " whole");
    }

    @Test
    void parallelAnalysisKeepsInputOrderAndResults() {
        Path[] files = {sample("refused-no-listener.pcap"), sample("fin-orderly-v6.pcapng"), sample("port-reuse.pcap"),
            sample("mixed-concurrent.pcap.gz"), sample("rst-abort-server.pcap")};
        AnalysisReport seq = analyze(options(false, 1), 100_000, files);
        AnalysisReport par = analyze(options(false, 4), 100_000, files);
        assertEquals(files.length, par.captures().size());
        for (int i = 0; i < files.length; i++) {
            assertEquals(files[i].toString(), par.captures().get(i).file());
            assertEquals(keys(seq.captures().get(i)), keys(par.captures().get(i)));
        }
    }

    @Test
    void filtersChooseWhatIsReportedButNotTheVerdicts() {
        Path f = sample("mixed-concurrent.pcap.gz");
        CaptureReport all = analyze(options(false, 1), 100_000, f).captures().get(0);
        Flow some = all.flows().iterator().next();
        String host = some.server().ip();
        int port = some.server().port();

        AnalysisOptions byPort = new AnalysisOptions(Duration.ofSeconds(30), false, 1, Set.of(), Set.of(port), Set.of(),
                false);
        CaptureReport p = analyze(byPort, 100_000, f).captures().get(0);
        assertTrue(p.flows().size() > 0);
        for (Flow x : p.flows()) {
            assertTrue(x.client().port() == port || x.server().port() == port);
        }
        assertEquals(p.flows().size(), p.summary().flows(), "the summary counts what is reported");

        AnalysisOptions byHost = new AnalysisOptions(Duration.ofSeconds(30), false, 1, Set.of("198.18.99.99"), Set.of(),
                Set.of(), false);
        assertEquals(0, analyze(byHost, 100_000, f).captures().get(0).flows().size());
        AnalysisOptions hostOk = new AnalysisOptions(Duration.ofSeconds(30), false, 1, Set.of(host), Set.of(), Set.of(),
                false);
        assertTrue(analyze(hostOk, 100_000, f).captures().get(0).flows().size() > 0);

        AnalysisOptions abnormal = new AnalysisOptions(Duration.ofSeconds(30), false, 1, Set.of(), Set.of(), Set.of(),
                true);
        CaptureReport a = analyze(abnormal, 100_000, f).captures().get(0);
        long expected = 0;
        for (Flow x : all.flows()) {
            expected += x.termination().cls().isAbnormal() ? 1 : 0;
        }
        assertEquals(expected, a.flows().size());
        for (Flow x : a.flows()) {
            assertTrue(x.termination().cls().isAbnormal());
        }

        AnalysisOptions byClass = new AnalysisOptions(Duration.ofSeconds(30), false, 1, Set.of(), Set.of(),
                Set.of(TerminationClass.FIN_ORDERLY), false);
        for (Flow x : analyze(byClass, 100_000, f).captures().get(0).flows()) {
            assertEquals(TerminationClass.FIN_ORDERLY, x.termination().cls());
        }
    }

    @Test
    void damagedCaptureKeepsWhatCameBeforeTheDamage(@TempDir Path dir) throws IOException {
        Path good = sample("mixed-concurrent.pcap.gz");
        byte[] raw = decompressed(good);
        Path cut = dir.resolve("cut.pcap");
        // cut in the middle of a record: the reader stops there with the byte offset
        Files.write(cut, Arrays.copyOf(raw, raw.length / 2 + 7));
        Path text = dir.resolve("notes.pcap");
        Files.writeString(text, "not a capture at all\n");
        Path missing = dir.resolve("missing.pcap");
        AnalysisReport r = analyze(options(false, 2), 100_000, cut, text, good, missing);
        assertFalse(r.complete());
        CaptureReport c = r.captures().get(0);
        assertTrue(c.error().message().startsWith(cut + ": at byte "), c.error().message());
        assertTrue(c.error().offset() > 0 && c.error().offset() < raw.length);
        assertTrue(c.flows().size() > 0, "flows before the damage are reported");
        assertTrue(r.captures().get(1).error().message().startsWith(text + ": at byte 0: "),
                r.captures().get(1).error().message());
        assertNull(r.captures().get(2).error());
        assertEquals(missing + ": no such file", r.captures().get(3).error().message());
        assertFalse(c.error().message().contains("\n"));
    }

    @Test
    void threadsFollowTheProcessorsEachCaptureHas() {
        assertEquals(CaptureJob.Threads.ONE, CaptureJob.Threads.of(1, 1));
        assertEquals(CaptureJob.Threads.JUDGE_APART, CaptureJob.Threads.of(2, 1));
        assertEquals(CaptureJob.Threads.READ_AND_JUDGE_APART, CaptureJob.Threads.of(3, 1));
        assertEquals(CaptureJob.Threads.ONE, CaptureJob.Threads.of(2, 2));
        assertEquals(CaptureJob.Threads.JUDGE_APART, CaptureJob.Threads.of(4, 2));
        assertEquals(CaptureJob.Threads.READ_AND_JUDGE_APART, CaptureJob.Threads.of(6, 2));
    }

    @Test
    void oneTwoOrThreeThreadsACaptureGiveTheSameReport(@TempDir Path dir) throws IOException {
        byte[] raw = decompressed(sample("mixed-concurrent.pcap.gz"));
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(raw, raw.length * 2 / 3 + 5));
        // the application captures: the payload a reading thread copies must be the payload tracking reads
        Path[] files = {sample("port-reuse.pcap"), sample("fin-orderly-v6.pcapng"), sample("mixed-concurrent.pcap.gz"), cut,
                sample("app/proxy-502-race.pcap"), sample("app/tls-goodbyes.pcap"), sample("app/postgres-goodbyes.pcap")};
        List<List<CaptureReport>> byShape = new ArrayList<>();
        for (int processors = 1; processors <= 3; processors++) {
            List<CaptureReport> captures = new ArrayList<>();
            for (Path f : files) {
                try (Analyzer a = new Analyzer(options(false, 1), new ClassifierVerdicts(Duration.ofSeconds(30)),
                        InputStreamNone.INSTANCE, AnalysisLimits.DEFAULT.withMaxInMemory(100_000), processors)) {
                    CaptureReport c = a.analyze(List.of(Input.of(f)), ProgressListener.NONE).report().captures().get(0);
                    List<Flow> flows = new ArrayList<>();
                    c.flows().forEach(flows::add);
                    captures.add(c.withFlows(dev.tcpautopsy.model.FlowSet.of(flows)));
                }
            }
            byShape.add(captures);
        }
        assertTrue(byShape.get(0).get(3).error().message().startsWith(cut + ": at byte "));
        for (int i = 4; i < files.length; i++) {
            List<Flow> flows = new ArrayList<>();
            byShape.get(2).get(i).flows().forEach(flows::add);
            assertTrue(flows.stream().allMatch(f -> f.app() != null && f.app().protocol() != null),
                    files[i] + ": every flow's messages read, with a reading thread too");
        }
        for (int shape = 1; shape < byShape.size(); shape++) {
            for (int i = 0; i < files.length; i++) {
                CaptureReport one = byShape.get(0).get(i), other = byShape.get(shape).get(i);
                assertEquals(one.error(), other.error(), files[i] + " with " + (shape + 1) + " processors");
                assertEquals(one.packets(), other.packets());
                assertEquals(one.summary(), other.summary());
                List<Flow> a = new ArrayList<>(), b = new ArrayList<>();
                one.flows().forEach(a::add);
                other.flows().forEach(b::add);
                assertTrue(a.size() > 0);
                assertEquals(a, b, files[i] + " with " + (shape + 1) + " processors");
            }
        }
    }

    @Test
    void spilledFlowSetsReadBackInStreamOrderAndAreDeleted() {
        Path f = sample("mixed-concurrent.pcap.gz");
        CaptureReport inMemory = analyze(options(false, 1), 100_000, f).captures().get(0);
        List<Path> temps;
        try (Analyzer a = new Analyzer(options(false, 1), new ClassifierVerdicts(Duration.ofSeconds(30)), InputStreamNone.INSTANCE, AnalysisLimits.DEFAULT.withMaxInMemory(4))) {
            try (AnalysisResult result = a.analyze(List.of(Input.of(f)), ProgressListener.NONE)) {
                CaptureReport spilled = result.report().captures().get(0);
                temps = result.tempFiles();
                assertTrue(temps.size() > 1, "flows were spilled to " + temps.size() + " runs");
                assertEquals(keys(inMemory), keys(spilled));
                assertEquals(keys(spilled), keys(spilled), "a flow set can be read again");
                assertEquals(inMemory.flows().size(), spilled.flows().size());
                long last = -1;
                for (Flow x : spilled.flows()) {
                    assertTrue(x.stream() >= last);
                    last = x.stream();
                }
            }
            for (Path t : temps) {
                assertFalse(Files.exists(t), t + " still exists once its result is closed, the analyzer still open");
            }
        }
    }

    @Test
    void theMemoryBudgetIsSharedByTheCapturesOfABatch() {
        Path[] files = {sample("mixed-concurrent.pcap.gz"), sample("port-reuse.pcap"), sample("random-loss.pcap"),
            sample("middlebox-rst-ips.pcap")};
        AnalysisReport unbounded = analyze(options(false, 2), 100_000, files);
        try (Analyzer a = new Analyzer(options(false, 2), new ClassifierVerdicts(Duration.ofSeconds(30)),
                InputStreamNone.INSTANCE, AnalysisLimits.DEFAULT.withMaxInMemory(6))) {
            List<Input> inputs = new ArrayList<>();
            for (Path f : files) {
                inputs.add(Input.of(f));
            }
            AnalysisResult result = a.analyze(inputs, ProgressListener.NONE);
            AnalysisReport bounded = result.report();
            long total = unbounded.captures().stream().mapToLong(c -> c.flows().size()).sum();
            assertTrue(total > 12, "enough flows to exceed the budget: " + total);
            assertFalse(result.tempFiles().isEmpty(), "flows beyond the shared budget went to disk");
            for (int i = 0; i < files.length; i++) {
                assertEquals(keys(unbounded.captures().get(i)), keys(bounded.captures().get(i)));
            }
        }
    }

    @Test
    void headerDumpsOnlyForAbnormalFlows() {
        CaptureReport c = analyze(options(false, 1), 100_000, sample("rst-abort-server.pcap"),
                sample("fin-orderly-client-first.pcap")).captures().get(0);
        boolean dumped = false;
        for (Flow f : c.flows()) {
            for (Evidence e : f.termination().evidence()) {
                if (f.termination().cls().isAbnormal()) {
                    dumped |= !e.headerDump().isEmpty();
                    assertTrue(e.headerDump().isEmpty() || String.join("\n", e.headerDump()).contains("TCP Header"));
                }
            }
        }
        assertTrue(dumped, "an abnormal flow's evidence frame carries its decoded headers");
        CaptureReport normal = analyze(options(false, 1), 100_000, sample("fin-orderly-client-first.pcap"))
                .captures().get(0);
        for (Flow f : normal.flows()) {
            assumeTrue(!f.termination().cls().isAbnormal());
            for (Evidence e : f.termination().evidence()) {
                assertTrue(e.headerDump().isEmpty());
            }
        }
    }

    @Test
    void standardInputIsACapture() throws IOException {
        Path f = sample("port-reuse.pcap");
        CaptureReport fromFile = analyze(options(false, 1), 100_000, f).captures().get(0);
        try (Analyzer a = new Analyzer(options(false, 1), new ClassifierVerdicts(Duration.ofSeconds(30)),
                new ByteArrayInputStream(Files.readAllBytes(f)), AnalysisLimits.DEFAULT.withMaxInMemory(100_000))) {
            CaptureReport fromStdin = a.analyze(List.of(Input.stdin()), ProgressListener.NONE).report().captures().get(0);
            assertEquals("-", fromStdin.file());
            assertEquals(keys(fromFile), keys(fromStdin));
            assertEquals(Files.size(f), fromStdin.bytes());
        }
    }

    @Test
    void progressAddsUpToTheInputs() {
        Path[] files = {sample("mixed-concurrent.pcap.gz"), sample("random-loss.pcap")};
        long[] last = new long[3];
        try (Analyzer a = new Analyzer(options(false, 2), new ClassifierVerdicts(Duration.ofSeconds(30)), InputStreamNone.INSTANCE, AnalysisLimits.DEFAULT.withMaxInMemory(1000))) {
            AnalysisReport r = a.analyze(List.of(Input.of(files[0]), Input.of(files[1])),
                    (done, total, packets) -> {
                        synchronized (last) {
                            last[0] = Math.max(last[0], done);
                            last[1] = total;
                            last[2] = Math.max(last[2], packets);
                        }
                    }).report();
            long packets = r.captures().stream().mapToLong(CaptureReport::packets).sum();
            assertEquals(packets, last[2]);
            assertNotEquals(0, last[0]);
            assertTrue(last[1] > 0);
        }
    }

    /** Splits a capture into {@code n} consecutive pcap pieces (nanosecond pcap, the record's link type). */
    static List<Path> split(Path capture, Path dir, int n) throws IOException {
        List<byte[]> records = new ArrayList<>();
        List<long[]> meta = new ArrayList<>();
        try (CaptureReader r = Captures.open(capture)) {
            PacketRecord rec = new PacketRecord();
            while (r.next(rec)) {
                records.add(Arrays.copyOfRange(rec.buf, rec.off, rec.off + rec.capLen));
                meta.add(new long[] {rec.tsNanos, rec.wireLen, rec.linkType});
            }
        }
        List<Path> out = new ArrayList<>();
        int per = (records.size() + n - 1) / n;
        for (int p = 0; p < n; p++) {
            int from = p * per, to = Math.min(records.size(), from + per);
            ByteBuffer b = ByteBuffer.allocate(24 + (to - from) * 16 + records.subList(from, to).stream()
                    .mapToInt(x -> x.length).sum()).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144)
                    .putInt((int) meta.get(0)[2]);
            for (int i = from; i < to; i++) {
                long ts = meta.get(i)[0];
                b.putInt((int) (ts / 1_000_000_000L)).putInt((int) (ts % 1_000_000_000L)).putInt(records.get(i).length)
                        .putInt((int) meta.get(i)[1]).put(records.get(i));
            }
            Path piece = dir.resolve("piece-" + p + ".pcap");
            Files.write(piece, b.array());
            out.add(piece);
        }
        return out;
    }

    private static byte[] decompressed(Path gz) throws IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** Standard input that must not be read. */
    private static final class InputStreamNone extends java.io.InputStream {
        static final InputStreamNone INSTANCE = new InputStreamNone();

        @Override
        public int read() {
            throw new AssertionError("standard input read unexpectedly");
        }
    }
}
