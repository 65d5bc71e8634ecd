package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.TerminationClass;

import java.time.Duration;
import java.util.Set;

/**
 * How to run an analysis.
 *
 * @param idleThreshold gaps at or above this are idle gaps ({@code --idle-threshold})
 * @param merge         treat all inputs as one capture cut into pieces, ordered by time
 * @param threads       files analyzed in parallel
 * @param hosts         keep only flows with one of these addresses at either end (empty: all)
 * @param ports         keep only flows with one of these ports at either end (empty: all)
 * @param classes       keep only flows of these classes (empty: all)
 * @param onlyAbnormal  keep only flows whose class is abnormal
 * @param detailStream  the one flow (a {@code tcp.stream}) whose details (state transitions, last packets,
 *                      header dumps) are kept whatever its class, the others getting none; -1 for the
 *                      reports' rule: the first {@link AnalysisLimits#detailsPerClass()} abnormal flows of each class
 */
public record AnalysisOptions(Duration idleThreshold, boolean merge, int threads, Set<String> hosts,
                              Set<Integer> ports, Set<TerminationClass> classes, boolean onlyAbnormal,
                              long detailStream, boolean payload) {
    public static final Duration DEFAULT_IDLE_THRESHOLD = Duration.ofSeconds(30);

    /** Details by the reports' rule. */
    public AnalysisOptions(Duration idleThreshold, boolean merge, int threads, Set<String> hosts,
                           Set<Integer> ports, Set<TerminationClass> classes, boolean onlyAbnormal) {
        this(idleThreshold, merge, threads, hosts, ports, classes, onlyAbnormal, -1, true);
    }

    /** The applications' messages read from the payload. */
    public AnalysisOptions(Duration idleThreshold, boolean merge, int threads, Set<String> hosts,
                           Set<Integer> ports, Set<TerminationClass> classes, boolean onlyAbnormal, long detailStream) {
        this(idleThreshold, merge, threads, hosts, ports, classes, onlyAbnormal, detailStream, true);
    }

    public AnalysisOptions {
        hosts = Set.copyOf(hosts);
        ports = Set.copyOf(ports);
        classes = Set.copyOf(classes);
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(DEFAULT_IDLE_THRESHOLD, false, Runtime.getRuntime().availableProcessors(),
                Set.of(), Set.of(), Set.of(), false);
    }

    /** These options with the details of {@code stream} only. */
    public AnalysisOptions withDetailStream(long stream) {
        return new AnalysisOptions(idleThreshold, merge, threads, hosts, ports, classes, onlyAbnormal, stream, payload);
    }

    /** These options with the payload read ({@code true}) or left alone ({@code --no-payload}). */
    public AnalysisOptions withPayload(boolean read) {
        return new AnalysisOptions(idleThreshold, merge, threads, hosts, ports, classes, onlyAbnormal, detailStream, read);
    }
}
