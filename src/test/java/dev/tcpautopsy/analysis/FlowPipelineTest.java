package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.HostContext;
import dev.tcpautopsy.flow.PacketHeaders;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.AnalysisCounts;
import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Verdicts that rest on other flows (a lone RST judged by its host's TTLs elsewhere) wait for them, but
 * only so long (capture time) and so many at once: memory follows the capture's rate, not its length.
 */
class FlowPipelineTest {
    private static final long MINUTE = 60_000_000_000L;

    /** Records the streams in the order they are judged; a flow "needs the whole capture" when its stream is odd. */
    private static final class Recording implements Verdicts {
        final List<Long> judged = new ArrayList<>();

        @Override
        public Termination classify(FlowFacts facts, HostContext hosts) {
            judged.add(facts.stream());
            return new Termination(TerminationClass.REFUSED, By.SERVER, "test", "tcp.stream eq " + facts.stream(),
                    List.of(), List.of(), new AppView("none", "none"));
        }

        @Override
        public boolean needsWholeCapture(FlowFacts facts, HostContext hosts) {
            return facts.stream() % 2 == 1;
        }
    }

    private static SideFacts side(String ip, int port) {
        return new SideFacts(ip, port, 1, 0, 1, 0, 0, 64, 64, 64, 0, -1, -1, 1, 1, 1, 0, 0, 0, 0, -1, 1, -1, 0, 0, 0,
                0, -1, -1, false, 0, -1, -1, false, -1, -1, 0, 0, 0, 1, 0, 1000, 0, -1, 0, 0, 0, new long[0], "none",
                "SYN_SENT", AnalysisCounts.NONE);
    }

    private static FlowFacts flow(long stream, long handedAt) {
        return new FlowFacts(stream, side("198.18.0.2", 40000 + (int) stream), side("198.18.1.2", 80), true, false,
                false, 1, 1, handedAt, handedAt, handedAt, -1, null, null, List.of(), List.of(), "S");
    }

    private static FlowPipeline pipeline(Recording v, int maxDeferred) {
        FlowStore store = new FlowStore(new AtomicLong(1_000), 100, new TempFiles(null));
        return new FlowPipeline(v, HostContext.NONE, new ReportFilter(Set.of(), Set.of(), Set.of(), false), store,
                new SummaryBuilder(100, 100, 5), new HeaderDumps(), new DetailRule(-1, 50), maxDeferred, 5 * MINUTE);
    }

    /**
     * 300 flows a millisecond apart, some deferred, ended by one server; with {@code onceRead}, what follows each
     * verdict moves to a thread of its own after the 100th (else it never does): the flows and the summary, as text.
     */
    private static String judged(boolean onceRead) throws Exception {
        SummaryBuilder summary = new SummaryBuilder(100, 100, 5);
        FlowPipeline p = new FlowPipeline(new Recording(), HostContext.NONE,
                new ReportFilter(Set.of(), Set.of(), Set.of(), false),
                new FlowStore(new AtomicLong(1_000), 100, new TempFiles(null)), summary, new HeaderDumps(),
                new DetailRule(-1, 50), 20, 5 * MINUTE, onceRead ? "pipeline-test-later" : null, true);
        for (long s = 0; s < 300; s++) {
            if (s == 100) {
                p.read();
            }
            p.finished(flow(s, s * 1_000_000L), PacketHeaders.NONE);
        }
        assertEquals(onceRead, Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("pipeline-test-later") && t.isAlive()), "the thread of the second half");
        StringBuilder out = new StringBuilder();
        p.finish().forEach(f -> out.append(f).append('\n'));
        return out.append(summary.build()).toString();
    }

    @Test
    void theSecondHalfOnAThreadOfItsOwnOnceTheCaptureIsReadKeepsTheOrder() throws Exception {
        String inline = judged(false);
        assertEquals(inline, judged(true));
    }

    @Test
    void aDeferredVerdictWaitsFiveMinutesOfCaptureTimeThenIsJudged() throws Exception {
        Recording v = new Recording();
        FlowPipeline p = pipeline(v, 1000);
        p.finished(flow(1, 0), PacketHeaders.NONE);
        p.finished(flow(2, MINUTE), PacketHeaders.NONE);
        p.finished(flow(3, 2 * MINUTE), PacketHeaders.NONE);
        p.finished(flow(4, 4 * MINUTE), PacketHeaders.NONE);
        assertEquals(List.of(2L, 4L), v.judged, "1 and 3 wait for the other flows of their hosts");
        p.finished(flow(6, 5 * MINUTE), PacketHeaders.NONE);
        assertEquals(List.of(2L, 4L, 1L, 6L), v.judged, "1 has waited 5 minutes; 3 not yet");
        p.finished(flow(5, 5 * MINUTE), PacketHeaders.NONE);
        assertEquals(6, p.finish().size());
        assertEquals(List.of(2L, 4L, 1L, 6L, 3L, 5L), v.judged, "the rest at the end, in stream order");
    }

    @Test
    void beyondTheCapTheFlowThatWaitedLongestIsJudged() throws Exception {
        Recording v = new Recording();
        FlowPipeline p = pipeline(v, 2);
        p.finished(flow(1, 0), PacketHeaders.NONE);
        p.finished(flow(3, 1), PacketHeaders.NONE);
        p.finished(flow(5, 2), PacketHeaders.NONE);
        assertEquals(List.of(1L), v.judged);
        p.finish();
        assertEquals(List.of(1L, 3L, 5L), v.judged);
    }
}
