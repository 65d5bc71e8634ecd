package dev.tcpautopsy.compare;

import dev.tcpautopsy.analysis.AnalysisResult;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Comparison;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code compare}: each point's own analysis (streams and verdicts), then its segments; connections paired
 * across the points; segments matched within each pair; the clocks fitted; what was lost and what appeared
 * sorted out and judged with both views.
 */
public final class Comparer {
    /**
     * The default of {@code --max-segments}: one segment a point per KB of the heap the JVM may use, between
     * 100,000 and 20 million. Everything compare holds comes to some 330 bytes a segment (the segment, its
     * connection's share, the analysis's model while it is built; measured: 707,000 segments a point in 101,000
     * connections fit in a 450 MB heap), so a point at the limit leaves a third of the heap to spare.
     */
    public static final long MAX_SEGMENTS = Math.max(100_000, Math.min(20_000_000, Runtime.getRuntime().maxMemory() / 1024));
    /** Connections that are not identical whose two ladders the model keeps (the HTML's detail cards). */
    static final int LADDERS = 50;
    private static final long SECOND = 1_000_000_000L;

    /** Runs one point's analysis: its files as one capture (merged by time when several). */
    @FunctionalInterface
    public interface PointAnalysis {
        AnalysisResult analyze(List<Input> inputs);
    }

    private final PointAnalysis analysis;
    private final Duration idleThreshold;
    private final long maxSegments;
    /** Ladders still to keep in the comparison under way. */
    private int laddersLeft;

    public Comparer(PointAnalysis analysis, Duration idleThreshold, long maxSegments) {
        this.analysis = analysis;
        this.idleThreshold = idleThreshold;
        this.maxSegments = maxSegments;
    }

    /** @throws TooManySegments when a point holds more than {@code maxSegments} segments */
    public Comparison compare(List<Input> a, List<Input> b) {
        laddersLeft = LADDERS;
        String[] version = new String[1];
        Point pa = point("A", a, version), pb = point("B", b, version);
        ConnMatcher.Result match = ConnMatcher.match(pa, pb);
        // each pair's index of segments is built again for the second pass rather than kept for all pairs at
        // once: it costs about as much memory as the segments themselves
        for (Twin t : match.twins()) {
            new SegMatcher(t).byFingerprint();
        }
        Orientation.judge(match.twins());
        ClockFit first = fit(match.twins());
        long tolerance = first.known ? SECOND + 4 * Math.round(Math.abs(first.oneWay)) : Long.MAX_VALUE;
        List<long[]> expects = new ArrayList<>();
        for (Twin t : match.twins()) {
            SegMatcher m = new SegMatcher(t);
            long[] e = expect(t, m, first);
            m.byTime(e, tolerance);
            m.byCoverage(e, tolerance);
            expects.add(e);
        }
        ClockFit clock = fit(match.twins());
        Gaps gaps = new Gaps(pa, pb, SECOND / 10 + 2 * Math.round(Math.abs(clock.oneWay)));
        List<Comparison.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < match.twins().size(); i++) {
            pairs.add(pair(match.twins().get(i), expects.get(i), gaps, clock));
        }
        OnPath path = new OnPath(match.twins());
        List<Comparison.OneSided> onlyA = new ArrayList<>(), onlyB = new ArrayList<>();
        for (Conn c : match.onlyA()) {
            onlyA.add(oneSided(c, true, path, pb, gaps, clock));
        }
        for (Conn c : match.onlyB()) {
            onlyB.add(oneSided(c, false, path, pa, gaps, clock));
        }
        return new Comparison(version[0], Instant.now(), idleThreshold, pa.info(), pb.info(), clock.model(), pairs,
                onlyA, onlyB, Models.summary(pairs, onlyA, onlyB));
    }

    private Comparison.Pair pair(Twin t, long[] expect, Gaps gaps, ClockFit clock) {
        Outcome o = gaps.twin(t, expect);
        PathChanges changes = new PathChanges(t);
        boolean clientOnA = t.clientSide != Twin.Side.B;
        Comparison.Verdict v = new Judge(t.a, t.b, t.atA, t.atB, o, clientOnA, clock).verdict();
        String category = Models.category(o);
        List<Comparison.Rung> ladder = !o.identical() && laddersLeft-- > 0 ? Ladder.of(t.atA, t.atB, o, expect) : List.of();
        String side = t.clientSide == Twin.Side.UNKNOWN ? "unknown" : t.clientSide == Twin.Side.A ? "a" : "b";
        boolean own = !t.flipped;
        return new Comparison.Pair(t.a.counted(), t.b.counted(), t.a.view.client(), t.a.view.server(), side, o.matched,
                Models.gaps(o.lostAtoB, t.a, true), Models.gaps(o.lostBtoA, t.b, own),
                Models.gaps(o.appearedAtA, t.a, true), Models.gaps(o.appearedAtB, t.b, own), o.unseen, changes.hopsAtoB,
                changes.hopsBtoA, changes.changes, v, category, ladder);
    }

    private Comparison.OneSided oneSided(Conn c, boolean atA, OnPath path, Point other, Gaps gaps, ClockFit clock) {
        OnPath.Placement p = path.place(c, atA, other, clock.offsetAt(c.first()));
        List<List<Seg>> byDir = List.of(new ArrayList<>(), new ArrayList<>());
        c.segs.forEach(s -> byDir.get(s.fromClient ? 0 : 1).add(s));
        List<List<Seg>> none = List.of(List.of(), List.of());
        if (!p.onPath()) {
            Comparison.Verdict own = new Comparison.Verdict(c.view.cls(), c.view.by(), c.view.reason());
            return new Comparison.OneSided(c.counted(), false, p.why(), List.of(), List.of(), own,
                    atA ? "only-in-a" : "only-in-b", List.of());
        }
        Outcome o = gaps.oneSided(c, atA, p.clientFirst(), clock.offsetAt(c.first()));
        boolean clientOnA = p.clientFirst() == atA;
        Comparison.Verdict v = (atA ? new Judge(c, null, byDir, none, o, clientOnA, clock)
                : new Judge(null, c, none, byDir, o, clientOnA, clock)).verdict();
        List<Comparison.Rung> ladder = laddersLeft-- > 0 ? Ladder.of(atA ? byDir : none, atA ? none : byDir, o, new long[2])
                : List.of();
        return new Comparison.OneSided(c.counted(), true, p.why(), Models.gaps(atA ? o.lostAtoB : o.lostBtoA, c, true),
                Models.gaps(atA ? o.appearedAtA : o.appearedAtB, c, true), v, Models.category(o), ladder);
    }

    /** B's time minus A's for each direction of a pair: its own median where it has matches, else the clocks'. */
    private static long[] expect(Twin t, SegMatcher m, ClockFit clock) {
        long[] e = new long[2];
        for (int dir = 0; dir < 2; dir++) {
            List<Long> d = m.delays(dir);
            if (!d.isEmpty()) {
                Collections.sort(d);
                e[dir] = d.get(d.size() / 2);
            } else {
                e[dir] = clock.known ? clock.expect(t.a.first(), t.aFirst(dir)) : 0;
            }
        }
        return e;
    }

    private static ClockFit fit(List<Twin> twins) {
        List<long[]> samples = new ArrayList<>();
        List<Boolean> up = new ArrayList<>();
        for (Twin t : twins) {
            for (int dir = 0; dir < 2; dir++) {
                for (Seg s : t.atA.get(dir)) {
                    if (s.twin != null) {
                        samples.add(new long[] {s.tsNanos, s.twin.tsNanos});
                        up.add(t.aFirst(dir));
                    }
                }
            }
        }
        long[] tA = new long[samples.size()], tB = new long[samples.size()];
        boolean[] aToB = new boolean[samples.size()];
        for (int i = 0; i < tA.length; i++) {
            tA[i] = samples.get(i)[0];
            tB[i] = samples.get(i)[1];
            aToB[i] = up.get(i);
        }
        return ClockFit.of(tA, tB, aToB);
    }

    /** One point's analysis, then its segments; the analysis is let go (only its version is kept). */
    private Point point(String label, List<Input> inputs, String[] version) {
        try (AnalysisResult result = analysis.analyze(inputs)) {
            AnalysisReport r = result.report();
            version[0] = r.toolVersion();
            CaptureReport c = r.captures().get(0);
            return PointReader.read(label, inputs, c, maxSegments);
        }
    }
}
