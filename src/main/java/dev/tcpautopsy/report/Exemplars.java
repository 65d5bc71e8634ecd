package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.EndingTotals;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.TerminationClass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the connections a summary shows as examples ("the most telling"): the first flow of each
 * of the most frequent abnormal classes, so that the examples show different problems, then more
 * flows of those classes if there are fewer classes than examples wanted. It takes the flows in
 * order, keeps at most {@code wanted} flows per class, and says when it has seen enough.
 */
public final class Exemplars {

    /** A flow with the capture it came from. */
    public record Pick(String file, Flow flow) {
    }

    /** A collector for {@code report}'s examples; feed it the flows of each capture. */
    public static Exemplars of(AnalysisReport report, int wanted) {
        EndingTotals totals = report.totals();
        List<TerminationClass> classes = new ArrayList<>();
        for (TerminationClass c : TerminationClass.values()) {
            if (c.isAbnormal() && totals.byClass().getOrDefault(c, 0L) > 0) {
                classes.add(c);
            }
        }
        // most frequent first; class (precedence) order on a tie, as the list is already in it
        classes.sort(Comparator.comparingLong((TerminationClass c) -> totals.byClass().get(c)).reversed());
        if (classes.size() > wanted) {
            classes = classes.subList(0, wanted);
        }
        return new Exemplars(classes, wanted);
    }

    private final List<TerminationClass> classes;
    private final int wanted;
    private final Map<TerminationClass, List<Pick>> kept = new EnumMap<>(TerminationClass.class);
    private int full;

    private Exemplars(List<TerminationClass> classes, int wanted) {
        this.classes = classes;
        this.wanted = wanted;
    }

    /** Takes a flow of {@code file}; returns whether more flows could still change the picks. */
    public boolean add(String file, FlowRecord f) {
        TerminationClass cls = f.cls();
        if (classes.contains(cls)) {
            List<Pick> list = kept.computeIfAbsent(cls, k -> new ArrayList<>());
            if (list.size() < wanted) {
                list.add(new Pick(file, f.flow()));
                if (list.size() == wanted) {
                    full++;
                }
            }
        }
        return full < classes.size();
    }

    /** The examples: the first of each class, then the second of each, ... */
    public List<Pick> picks() {
        List<Pick> out = new ArrayList<>();
        for (int round = 0; round < wanted && out.size() < wanted; round++) {
            for (TerminationClass cls : classes) {
                List<Pick> list = kept.getOrDefault(cls, List.of());
                if (round < list.size() && out.size() < wanted) {
                    out.add(list.get(round));
                }
            }
        }
        return out;
    }
}
