package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.model.TerminationClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The report's filters ({@code --host}, {@code --port}, {@code --class}, {@code --only-abnormal}):
 * a flow is kept when it passes every filter given; within one filter, any value matches.
 */
record ReportFilter(Set<String> hosts, Set<Integer> ports, Set<TerminationClass> classes, boolean onlyAbnormal) {

    static ReportFilter of(AnalysisOptions o) {
        return new ReportFilter(o.hosts(), o.ports(), o.classes(), o.onlyAbnormal());
    }

    /** The filters as people read them, in a fixed order; empty when the report keeps every flow. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        hosts.stream().sorted().forEach(h -> out.add("host " + h));
        ports.stream().sorted().forEach(p -> out.add("port " + p));
        classes.stream().sorted().forEach(c -> out.add("class " + c.name()));
        if (onlyAbnormal) {
            out.add("only abnormal");
        }
        return out;
    }

    boolean active() {
        return onlyAbnormal || !hosts.isEmpty() || !ports.isEmpty() || !classes.isEmpty();
    }

    boolean keeps(FlowFacts f, TerminationClass cls) {
        if (onlyAbnormal && !cls.isAbnormal()) {
            return false;
        }
        if (!classes.isEmpty() && !classes.contains(cls)) {
            return false;
        }
        if (!hosts.isEmpty() && !hosts.contains(f.client().ip()) && !hosts.contains(f.server().ip())) {
            return false;
        }
        return ports.isEmpty() || ports.contains(f.client().port()) || ports.contains(f.server().port());
    }
}
