package dev.tcpautopsy.compare;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.model.Comparison;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Runs the comparison over files with the real analysis, and reads the frames it lists. */
final class Compared {
    static final List<String> KINDS = List.of("lostAtoB", "lostBtoA", "appearedAtA", "appearedAtB");

    private Compared() {
    }

    static Comparison compare(List<Path> a, List<Path> b, Duration idle) {
        return comparer(idle).compare(a.stream().map(Input::of).toList(), b.stream().map(Input::of).toList());
    }

    static Comparer comparer(Duration idle) {
        return new Comparer(in -> new Analyzer(new AnalysisOptions(idle, in.size() > 1, 1, Set.of(), Set.of(), Set.of(),
                false)).analyze(in, ProgressListener.NONE), idle, Comparer.MAX_SEGMENTS);
    }

    /** Every segment listed as lost or appeared, as "kind frame" (the frame at the point where it was seen). */
    static Set<String> listed(Comparison c) {
        Set<String> out = new TreeSet<>();
        for (Comparison.Pair p : c.connections()) {
            add(out, "lostAtoB", p.lostAtoB());
            add(out, "lostBtoA", p.lostBtoA());
            add(out, "appearedAtA", p.appearedAtA());
            add(out, "appearedAtB", p.appearedAtB());
        }
        for (Comparison.OneSided o : c.onlyInA()) {
            add(out, "lostAtoB", o.lost());
            add(out, "appearedAtA", o.appeared());
        }
        for (Comparison.OneSided o : c.onlyInB()) {
            add(out, "lostBtoA", o.lost());
            add(out, "appearedAtB", o.appeared());
        }
        return out;
    }

    private static void add(Set<String> out, String kind, List<Comparison.Gap> gaps) {
        for (Comparison.Gap g : gaps) {
            out.add(kind + " " + (g.frameA() >= 0 ? g.frameA() : g.frameB()));
        }
    }

    /** What one set has that the other lacks, both ways, a few of each: an assertion message that stays short. */
    static String diff(Set<String> want, Set<String> got) {
        Set<String> missing = new TreeSet<>(want), extra = new TreeSet<>(got);
        missing.removeAll(got);
        extra.removeAll(want);
        return missing.size() + " not listed " + missing.stream().limit(12).toList() + ", " + extra.size()
                + " listed wrongly " + extra.stream().limit(12).toList();
    }

    static Set<String> named(String kind, Set<Long> frames) {
        Set<String> out = new TreeSet<>();
        frames.forEach(f -> out.add(kind + " " + f));
        return out;
    }
}
