package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.model.TerminationClass;

import java.util.Set;

/**
 * The report's filters ({@code --host}, {@code --port}, {@code --class}, {@code --only-abnormal}):
 * a flow is kept when it passes every filter given; within one filter, any value matches.
 */
record ReportFilter(Set<String> hosts, Set<Integer> ports, Set<TerminationClass> classes, boolean onlyAbnormal) {

    static ReportFilter of(AnalysisOptions o) {
        return new ReportFilter(o.hosts(), o.ports(), o.classes(), o.onlyAbnormal());
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
