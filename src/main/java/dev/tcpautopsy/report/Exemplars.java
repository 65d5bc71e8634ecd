package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingTotals;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.TerminationClass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the connections a summary shows as examples ("the most telling"): the first flow of each
 * of the most frequent abnormal classes, so that the examples show different problems, then more
 * flows of those classes if there are fewer classes than examples wanted. It reads the flows
 * once and keeps at most {@code wanted} flows per class.
 */
public final class Exemplars {

    /** A flow with the capture it came from. */
    public record Pick(String file, Flow flow) {
    }

    private Exemplars() {
    }

    public static List<Pick> pick(AnalysisReport report, int wanted) {
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
        Map<TerminationClass, List<Pick>> kept = new EnumMap<>(TerminationClass.class);
        for (CaptureReport c : report.captures()) {
            if (c.flows() == null) {
                continue;
            }
            for (Flow f : c.flows()) {
                TerminationClass cls = f.termination().cls();
                if (classes.contains(cls)) {
                    List<Pick> list = kept.computeIfAbsent(cls, k -> new ArrayList<>());
                    if (list.size() < wanted) {
                        list.add(new Pick(c.file(), f));
                    }
                }
            }
        }
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
