package dev.tcpautopsy.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Endings of several captures added up: what a report's headline shows for a batch. Only the
 * exact sums live here; the ranked host and port lists of each capture cannot be added up
 * exactly and stay per capture.
 */
public record EndingTotals(long captures, long flows, long abnormal, Map<TerminationClass, Long> byClass,
                           Map<TerminationClass, Map<By, Long>> byClassAndBy) {

    /** Adds up the summaries, skipping captures that have none. */
    public static EndingTotals of(List<CaptureReport> captures) {
        long flows = 0, abnormal = 0;
        Map<TerminationClass, Long> byClass = new EnumMap<>(TerminationClass.class);
        Map<TerminationClass, Map<By, Long>> byClassAndBy = new EnumMap<>(TerminationClass.class);
        for (CaptureReport c : captures) {
            EndingSummary s = c.summary();
            if (s == null) {
                continue;
            }
            flows += s.flows();
            abnormal += s.abnormal();
            s.byClass().forEach((k, v) -> byClass.merge(k, v, Long::sum));
            s.byClassAndBy().forEach((k, m) -> m.forEach((b, v) ->
                    byClassAndBy.computeIfAbsent(k, x -> new EnumMap<>(By.class)).merge(b, v, Long::sum)));
        }
        byClassAndBy.replaceAll((k, m) -> Collections.unmodifiableMap(m));
        return new EndingTotals(captures.size(), flows, abnormal, Collections.unmodifiableMap(byClass),
                Collections.unmodifiableMap(byClassAndBy));
    }

    /**
     * The flows of the captures before the report's filters: {@code flows} and {@code abnormal} of every
     * flow (a capture without filters counts as it is).
     */
    public static long[] unfiltered(List<CaptureReport> captures) {
        long flows = 0, abnormal = 0;
        for (CaptureReport c : captures) {
            EndingSummary s = c.summary();
            if (s == null) {
                continue;
            }
            flows += s.unfiltered() != null ? s.unfiltered().flows() : s.flows();
            abnormal += s.unfiltered() != null ? s.unfiltered().abnormal() : s.abnormal();
        }
        return new long[] {flows, abnormal};
    }

    /** Flows of one class and one {@code by}, 0 when none. */
    public long count(TerminationClass cls, By by) {
        Map<By, Long> m = byClassAndBy.get(cls);
        return m == null ? 0 : m.getOrDefault(by, 0L);
    }
}
