package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ShardedTracker} against {@link FlowTracker} on connections made segment by segment: the same
 * facts in the same order, the same ports reused later; and a failing listener stops it without a hang.
 * (The reports of real and generated captures are compared in {@code analysis.ShardedTrackingTest}.)
 */
class ShardedTrackerTest {
    /** Connections whose 4-tuples land in every partition, a port reused with a new ISN, a RST, a SYN unanswered. */
    private static List<TcpSegment> traffic() {
        List<TcpSegment> out = new ArrayList<>();
        long t0 = 1_700_000_000_000_000_000L;
        for (int i = 0; i < 200; i++) {
            Segments g = new Segments(1000 + i, 50_000 + i);
            // even: a port comes again 7.5 s later, after its connection was handed on (its tombstone);
            // odd: 2 s later, while its connection still lingers
            g.clientPort = i % 2 == 0 ? 20_000 + i % 150 : 21_000 + i % 40;
            g.now = t0 + i * 50_000_000L;
            g.c(0).flags(TcpSegment.SYN);
            g.s(1).flags(TcpSegment.SYN | TcpSegment.ACK);
            g.c(1).flags(TcpSegment.ACK);
            g.c(1).flags(TcpSegment.PSH | TcpSegment.ACK).data(100);
            g.s(1).flags(TcpSegment.PSH | TcpSegment.ACK).data(500);
            g.c(1).flags(TcpSegment.FIN | TcpSegment.ACK);
            g.s(1).flags(TcpSegment.FIN | TcpSegment.ACK);
            g.c(1).flags(TcpSegment.ACK);
            if (i % 17 == 0) {
                // a SYN never answered, retried once
                g = new Segments(3000 + i, 0);
                g.clientPort = 30_000 + i;
                g.now = t0 + i * 50_000_000L;
                g.c(0).flags(TcpSegment.SYN);
                g.c(1000).seqAt(3000 + i).flags(TcpSegment.SYN);
            }
            out.addAll(g.all);
        }
        out.sort((x, y) -> Long.compare(x.tsNanos, y.tsNanos));
        long frame = 1;
        for (TcpSegment s : out) {
            s.frame = frame++;
        }
        return out;
    }

    private static final class ListBatch implements ShardedTracker.Batch {
        private final List<TcpSegment> segments;
        final AtomicInteger released;

        ListBatch(List<TcpSegment> segments, AtomicInteger released) {
            this.segments = segments;
            this.released = released;
        }

        @Override
        public int size() {
            return segments.size();
        }

        @Override
        public TcpSegment peek(int i) {
            return segments.get(i);
        }

        @Override
        public TcpSegment segment(int i) {
            return segments.get(i);
        }

        @Override
        public int partition(int i) {
            return FlowTracker.partition(segments.get(i));
        }

        @Override
        public int pieces() {
            return 0;
        }

        @Override
        public long pieceEnd(int k) {
            throw new IndexOutOfBoundsException(k);
        }

        @Override
        public void release() {
            released.incrementAndGet();
        }
    }

    private static int feed(ShardedTracker t, List<TcpSegment> segments, int batch, AtomicInteger released) {
        int batches = 0;
        for (int i = 0; i < segments.size(); i += batch) {
            t.accept(new ListBatch(segments.subList(i, Math.min(segments.size(), i + batch)), released));
            batches++;
        }
        return batches;
    }

    @Test
    void theSameFactsInTheSameOrderOnTwoToEightThreads() {
        List<TcpSegment> segments = traffic();
        Heard one = new Heard();
        FlowTracker single = new FlowTracker(FlowSettings.DEFAULT, one, new HostTable(100));
        for (TcpSegment s : segments) {
            single.accept(s);
        }
        single.finish(segments.get(segments.size() - 1).tsNanos);
        assertEquals(200, one.flows().size(), "one flow a connection");
        assertTrue(!one.reused().isEmpty(), "ports reused after a tombstone");
        assertTrue(one.flows().stream().anyMatch(FlowFacts::portReused), "ports reused while lingering");
        for (int threads : new int[] {2, 4, 8}) {
            for (int batch : new int[] {1, 37, 4096}) {
                Heard many = new Heard();
                AtomicInteger released = new AtomicInteger();
                ShardedTracker t = new ShardedTracker(FlowSettings.DEFAULT, many, new HostTable(100), threads, 4,
                        "tcpautopsy-judge test");
                int batches = feed(t, segments, batch, released);
                t.finish(segments.get(segments.size() - 1).tsNanos);
                assertEquals(one.flows(), many.flows(), threads + " threads, batches of " + batch);
                assertEquals(one.reused(), many.reused(), threads + " threads, batches of " + batch);
                assertEquals(batches, released.get(), "every batch released once");
            }
        }
    }

    /**
     * A bug of ours on one packet (here: payload said to be captured, with no bytes behind it) is thrown
     * once, with its frame, and what was tracked is still handed on at the end, as one tracker does when
     * the capture's reading stops there.
     */
    @Test
    void aFailureOnOnePacketIsReportedOnceAndTheRestHandedOn() {
        List<TcpSegment> segments = traffic();
        TcpSegment bad = segments.stream().filter(x -> x.payloadLen > 0).skip(300).findFirst().orElseThrow();
        bad.payloadCapLen = bad.payloadLen;
        bad.buf = null;
        Heard one = new Heard();
        FlowTracker single = new FlowTracker(FlowSettings.DEFAULT, one, new HostTable(100));
        assertThrows(RuntimeException.class, () -> {
            for (TcpSegment s : segments) {
                single.accept(s);
            }
        });
        single.finish(bad.tsNanos);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Heard many = new Heard();
            ShardedTracker t = new ShardedTracker(FlowSettings.DEFAULT, many, new HostTable(100), 4, 2,
                    "tcpautopsy-judge test");
            assertThrows(RuntimeException.class, () -> feed(t, segments, 16, new AtomicInteger()));
            assertEquals(bad.frame, t.failedFrame());
            t.finish(bad.tsNanos);
            // the other threads may have gone a few batches further than the one that failed
            assertTrue(many.flows().size() >= one.flows().size(), many.flows().size() + " < " + one.flows().size());
            List<Long> firsts = many.flows().stream().map(FlowFacts::firstFrame).toList();
            for (FlowFacts f : one.flows()) {
                assertTrue(firsts.contains(f.firstFrame()), "the flow from frame " + f.firstFrame() + " is reported");
            }
        });
    }

    /**
     * A bug of ours on a packet of the last batch, which no later {@code accept} throws, is given once after
     * {@code finish} with its frame: never dropped in silence.
     */
    @Test
    void aFailureInTheLastBatchIsGivenAfterTheEnd() {
        List<TcpSegment> segments = traffic();
        int at = segments.size() - 1;
        while (segments.get(at).payloadLen == 0) {
            at--;
        }
        TcpSegment bad = segments.get(at);
        bad.payloadCapLen = bad.payloadLen;
        bad.buf = null;
        int last = at;
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            ShardedTracker t = new ShardedTracker(FlowSettings.DEFAULT, new Heard(), new HostTable(100), 4, 2,
                    "tcpautopsy-judge test");
            feed(t, segments.subList(0, last), 16, new AtomicInteger());
            t.accept(new ListBatch(segments.subList(last, segments.size()), new AtomicInteger()));
            t.finish(segments.get(segments.size() - 1).tsNanos);
            RuntimeException late = t.lateFailure();
            assertNotNull(late, "the failure on frame " + bad.frame);
            assertEquals(bad.frame, t.failedFrame());
            assertNull(t.lateFailure(), "given once");
        });
    }

    @Test
    void aFailingListenerStopsTrackingWithoutAHang() {
        List<TcpSegment> segments = traffic();
        IllegalStateException boom = new IllegalStateException("boom");
        FlowListener failing = (facts, headers) -> {
            if (facts.stream() == 5) {
                throw boom;
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            ShardedTracker t = new ShardedTracker(FlowSettings.DEFAULT, failing, new HostTable(100), 4, 2,
                    "tcpautopsy-judge test");
            RuntimeException thrown = null;
            try {
                feed(t, segments, 16, new AtomicInteger());
            } catch (RuntimeException e) {
                thrown = e;
            }
            RuntimeException atEnd = assertThrows(RuntimeException.class, () -> t.finish(0));
            assertSame(boom, atEnd);
            if (thrown != null) {
                assertSame(boom, thrown);
            }
        });
    }
}
