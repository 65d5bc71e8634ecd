package dev.tcpautopsy.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The aggregates the top of a report shows, computed once while the flows are finished, so that
 * no renderer has to walk the flows to draw them.
 *
 * @param byClass     flows per class, in class order
 * @param byClassAndBy flows per class and per {@code by}
 * @param topHosts    hosts (either end) with the most abnormal endings, most first
 * @param topPorts    server ports with the most abnormal endings, most first
 * @param timeline    endings over time
 * @param unfiltered  every flow of the capture, the report's filters aside; {@code null} when unfiltered
 */
public record EndingSummary(long flows, long abnormal, Map<TerminationClass, Long> byClass,
                            Map<TerminationClass, Map<By, Long>> byClassAndBy,
                            List<Ranked> topHosts, List<Ranked> topPorts, Timeline timeline, Unfiltered unfiltered) {

    /** The summary of a report without filters. */
    public EndingSummary(long flows, long abnormal, Map<TerminationClass, Long> byClass,
                         Map<TerminationClass, Map<By, Long>> byClassAndBy, List<Ranked> topHosts,
                         List<Ranked> topPorts, Timeline timeline) {
        this(flows, abnormal, byClass, byClassAndBy, topHosts, topPorts, timeline, null);
    }

    /** Counts of every flow before the report's filters: what the filtered figures are a part of. */
    public record Unfiltered(long flows, long abnormal, Map<TerminationClass, Long> byClass) {
    }

    /** A host or port with its ending counts. */
    public record Ranked(String key, long flows, long abnormal, Map<TerminationClass, Long> byClass) {
    }

    /**
     * Endings per time bucket, by the time of each flow's last frame: bucket {@code i} covers
     * {@code [start + i*bucketMillis, start + (i+1)*bucketMillis)}.
     */
    public record Timeline(Instant start, long bucketMillis, List<Map<TerminationClass, Long>> buckets) {
    }
}
