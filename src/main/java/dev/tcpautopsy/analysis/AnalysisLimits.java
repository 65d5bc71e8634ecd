package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.FlowSettings;

import java.time.Duration;

/**
 * Every bound of an analysis in one place: flow tracking's ({@link FlowSettings}: linger, tail, tombstones,
 * connections open at once, the judging thread's queue) and the pipeline's around it.
 *
 * @param flow            flow tracking
 * @param maxInMemory     flows held in memory by all captures of an analysis together before they are
 *                        spilled to disk: one per 100 KB of the heap the JVM may use (encoded, a flow
 *                        without details takes some 300 bytes), between 2,000 and 200,000 flows;
 *                        spilling costs a write and a read, so a capture of ordinary size never needs it
 * @param minRun          fewest flows written to disk as one run, once the budget is spent
 * @param detailsPerClass abnormal flows of each class per capture that keep their details (state
 *                        transitions, last packets, header dumps of the evidence frames): enough for the
 *                        HTML's detail cards, while a report of a million flows stays a list of verdicts
 * @param maxDeferred     flows per capture whose verdict may wait for other flows at once (beyond, the one
 *                        that waited longest is judged with the baselines seen by then): a waiting flow is
 *                        held whole (some 1 KB), and by the time 2,000 wait, the hosts' TTL baselines and
 *                        the vantage point rest on far more (bench/results/design-choices.md)
 * @param deferNanos      how long (capture time) such a verdict waits for the baselines it rests on: 5
 *                        minutes of a host's other traffic show its TTLs, and memory follows the capture's
 *                        rate, not its length
 * @param decodeBatch     segments the reading thread decodes into one batch, when it has one
 * @param decodeQueued    batches it may have ahead of tracking
 */
public record AnalysisLimits(FlowSettings flow, int maxInMemory, int minRun, int detailsPerClass, int maxDeferred,
                             long deferNanos, int decodeBatch, int decodeQueued) {
    public static final AnalysisLimits DEFAULT = new AnalysisLimits(FlowSettings.DEFAULT,
            (int) Math.max(2_000, Math.min(200_000, Runtime.getRuntime().maxMemory() / 100_000)), 2_000, 50, 2_000,
            Duration.ofMinutes(5).toNanos(), 256, 8);

    /** These limits with at most {@code flows} flows held in memory (and runs no larger). */
    public AnalysisLimits withMaxInMemory(int flows) {
        return new AnalysisLimits(flow, flows, Math.min(minRun, flows), detailsPerClass, maxDeferred, deferNanos,
                decodeBatch, decodeQueued);
    }

    /** These limits with flow tracking's idle threshold and payload reading as the options say. */
    AnalysisLimits with(AnalysisOptions o) {
        return new AnalysisLimits(flow.withIdleThreshold(o.idleThreshold()).withPayload(o.payload()), maxInMemory,
                minRun, detailsPerClass, maxDeferred, deferNanos, decodeBatch, decodeQueued);
    }
}
