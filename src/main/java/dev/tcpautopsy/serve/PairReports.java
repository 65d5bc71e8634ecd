package dev.tcpautopsy.serve;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.compare.Comparer;
import dev.tcpautopsy.compare.TooManySegments;
import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.compare.CompareFormat;
import dev.tcpautopsy.report.compare.CompareRenderer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A worker's job for a pair: {@code compare} of the two points' files, as the command runs it, written as
 * the comparison's reports ({@link Download#COMPARISON}) and {@code facts.json} for the index.
 */
final class PairReports {
    private PairReports() {
    }

    /** The comparison's formats, in {@link Download#COMPARISON}'s order. */
    static List<CompareRenderer> renderers() {
        List<CompareRenderer> out = new ArrayList<>();
        for (CompareFormat f : CompareFormat.values()) {
            out.add(f.renderer());
        }
        return out;
    }

    /**
     * Compares the job's two points and writes the reports into {@code out}.
     *
     * @throws AnalysisWorker.Unusable when a point has nothing to compare or more than a worker can hold
     */
    static void write(AnalysisWorker.Job job, Path out, ProgressListener progress) throws IOException {
        List<Input> a = inputs(job.a()), b = inputs(job.b());
        long aBytes = bytes(a), all = aBytes + bytes(b);
        long[] aPackets = {0};
        List<Analyzer> analyzers = new ArrayList<>();
        Comparer comparer = new Comparer(inputs -> {
            // one progress for the pair: B's bytes and records count on from A's
            boolean first = inputs == a;
            Analyzer analyzer = new Analyzer(new AnalysisOptions(Duration.ofMillis(job.idleMillis()), inputs.size() > 1,
                    1, Set.of(), Set.of(), Set.of(), false));
            analyzers.add(analyzer);
            return analyzer.analyze(inputs, (done, total, packets) -> {
                if (first) {
                    aPackets[0] = packets;
                }
                progress.progress(first ? done : aBytes + done, all, first ? packets : aPackets[0] + packets);
            });
        }, Duration.ofMillis(job.idleMillis()), Comparer.MAX_SEGMENTS);
        Comparison c;
        try {
            c = comparer.compare(a, b);
        } catch (TooManySegments e) {
            throw new AnalysisWorker.Unusable(e.getMessage() + " (each worker's heap: --worker-heap)");
        } finally {
            analyzers.forEach(Analyzer::close);
        }
        for (Comparison.Point p : List.of(c.a(), c.b())) {
            if (p.packets() == 0) {
                throw new AnalysisWorker.Unusable(p.error() != null ? p.error().message() : "nothing to compare: "
                        + (p == c.a() ? "A (" : "B (") + p.file() + ") holds no packet");
            }
        }
        Files.createDirectories(out);
        ReportTarget target = ReportTarget.directory(out);
        for (CompareRenderer r : renderers()) {
            r.render(c, target);
        }
        try (OutputStream o = target.open(FactsRenderer.FILE)) {
            AnalysisWorker.JSON.writeValue(o, facts(c));
        }
    }

    private static List<Input> inputs(List<AnalysisWorker.JobFile> files) {
        return files.stream().map(f -> new Input(f.name(), Path.of(f.path()))).toList();
    }

    private static long bytes(List<Input> inputs) throws IOException {
        long n = 0;
        for (Input i : inputs) {
            n += Files.size(i.path());
        }
        return n;
    }

    /**
     * The pair's facts: both points' records, its connections (seen at both points or at one), those whose
     * compared verdict is abnormal, the verdicts by class, the addresses each point saw (through a NAT they
     * differ), and the headline.
     */
    static Facts facts(Comparison c) {
        Map<String, Long> byClass = new TreeMap<>();
        Set<String> hosts = new LinkedHashSet<>();
        long abnormal = 0;
        List<Comparison.View> views = new ArrayList<>();
        List<Comparison.Verdict> verdicts = new ArrayList<>();
        for (Comparison.Pair p : c.connections()) {
            views.add(p.a());
            views.add(p.b());
            verdicts.add(p.termination());
        }
        for (List<Comparison.OneSided> one : List.of(c.onlyInA(), c.onlyInB())) {
            for (Comparison.OneSided o : one) {
                views.add(o.view());
                verdicts.add(o.termination());
            }
        }
        for (Comparison.Verdict v : verdicts) {
            TerminationClass cls = v.cls() == null ? TerminationClass.UNCLASSIFIED : v.cls();
            byClass.merge(cls.name(), 1L, Long::sum);
            abnormal += cls.isAbnormal() ? 1 : 0;
        }
        boolean truncated = false;
        for (Comparison.View v : views) {
            if (hosts.size() >= Facts.MAX_HOSTS) {
                truncated = true;
                break;
            }
            hosts.add(v.client().ip());
            hosts.add(v.server().ip());
        }
        String error = c.a().error() != null ? c.a().error().message()
                : c.b().error() != null ? c.b().error().message() : null;
        return new Facts(c.a().packets() + c.b().packets(), c.summary().connections(), abnormal, IndexEntry.PAIR,
                false, error, byClass, List.copyOf(hosts), truncated, c.summary().text());
    }
}
