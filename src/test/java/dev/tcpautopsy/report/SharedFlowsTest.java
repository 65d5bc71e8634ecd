package dev.tcpautopsy.report;

import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedFlowsTest {
    private static final int RING = SharedFlows.BATCH * SharedFlows.WINDOW;

    /** The streams a reader saw, in order, read on a thread of its own with {@code pause} before each flow. */
    private static Thread reader(FlowSet set, List<Long> seen, Function<Integer, Long> pauseMillis, int stopAfter) {
        Thread t = new Thread(() -> {
            Iterator<Flow> it = set.iterator();
            int k = 0;
            while (k < stopAfter && it.hasNext()) {
                long pause = pauseMillis.apply(k);
                if (pause > 0) {
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException e) {
                        return;
                    }
                } else if (pause < 0) {
                    Thread.yield();
                }
                seen.add(it.next().stream());
                k++;
            }
        });
        t.start();
        return t;
    }

    private static List<Long> streams(long n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    private static FlowSet source(SyntheticModel m) {
        return m.report().captures().get(0).flows();
    }

    @Test
    void readersAtOnceSeeEveryFlowInOrderAndTheFlowsAreDecodedOnce() throws Exception {
        for (long n : new long[] {0, 1, SharedFlows.BATCH - 1, SharedFlows.BATCH, 3L * RING, 7L * RING + 37}) {
            SyntheticModel m = new SyntheticModel(1, n);
            SharedFlows set = new SharedFlows(source(m), 2);
            List<Long> a = new ArrayList<>(), b = new ArrayList<>();
            // uneven speeds: each yields now and then, at random
            Thread ta = reader(set, a, k -> ThreadLocalRandom.current().nextInt(50) == 0 ? -1L : 0L, Integer.MAX_VALUE);
            Thread tb = reader(set, b, k -> ThreadLocalRandom.current().nextInt(10) == 0 ? -1L : 0L, Integer.MAX_VALUE);
            ta.join(TimeUnit.SECONDS.toMillis(30));
            tb.join(TimeUnit.SECONDS.toMillis(30));
            assertEquals(streams(n), a, "n=" + n);
            assertEquals(streams(n), b, "n=" + n);
            assertEquals(1, m.iterations.get(), "one decoding for both, n=" + n);
            assertEquals(0, set.held(), "nothing held once both are done, n=" + n);
        }
    }

    /**
     * Readers that take turns falling a ring behind, for less than the other waits: the one ahead
     * waits, the other catches up and may decode the next batch itself meanwhile. Every flow once.
     */
    @Test
    void readersTakingTurnsBehindStillSeeEveryFlowOnce() throws Exception {
        long n = 40L * RING + 3;
        for (int round = 0; round < 3; round++) {
            SyntheticModel m = new SyntheticModel(1, n);
            SharedFlows set = new SharedFlows(source(m), 2);
            List<Long> a = new ArrayList<>(), b = new ArrayList<>();
            Thread ta = reader(set, a, k -> k % 700 == 699 ? 3L : 0L, Integer.MAX_VALUE);
            Thread tb = reader(set, b, k -> k % 1100 == 1099 ? 4L : 0L, Integer.MAX_VALUE);
            ta.join(TimeUnit.SECONDS.toMillis(60));
            tb.join(TimeUnit.SECONDS.toMillis(60));
            assertEquals(streams(n), a);
            assertEquals(streams(n), b);
            assertEquals(1, m.iterations.get(), "no one fell behind for longer than the other waits");
        }
    }

    /** A reader set aside longer than the other waits goes on alone, from where it was; the other is not held up for long. */
    @Test
    void aReaderThatFallsBehindReadsOnAlone() throws Exception {
        long n = 6L * RING + 5;
        SyntheticModel m = new SyntheticModel(1, n);
        SharedFlows set = new SharedFlows(source(m), 2);
        List<Long> fast = new ArrayList<>(), slow = new ArrayList<>();
        long t0 = System.nanoTime();
        Thread tf = reader(set, fast, k -> 0L, Integer.MAX_VALUE);
        Thread ts = reader(set, slow, k -> k == RING / 2 ? 400L : 0L, Integer.MAX_VALUE);
        tf.join(TimeUnit.SECONDS.toMillis(30));
        long fastDone = System.nanoTime() - t0;
        ts.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(streams(n), fast);
        assertEquals(streams(n), slow);
        assertEquals(2, m.iterations.get(), "the slow one read on with an iteration of its own");
        assertTrue(fastDone < TimeUnit.MILLISECONDS.toNanos(350), "the fast reader waited " + fastDone / 1_000_000 + " ms");
        assertEquals(0, set.held());
    }

    /** A reader that stops early (the HTML report once it has its rows) costs the others one wait at most. */
    @Test
    void aReaderThatStopsHoldsNothingUp() throws Exception {
        long n = 20L * RING;
        SyntheticModel m = new SyntheticModel(1, n);
        SharedFlows set = new SharedFlows(source(m), 2);
        List<Long> all = new ArrayList<>(), some = new ArrayList<>();
        Thread ts = reader(set, some, k -> 0L, 10);
        ts.join(TimeUnit.SECONDS.toMillis(30));
        long t0 = System.nanoTime();
        Thread ta = reader(set, all, k -> 0L, Integer.MAX_VALUE);
        ta.join(TimeUnit.SECONDS.toMillis(30));
        long took = System.nanoTime() - t0;
        assertEquals(streams(10), some);
        assertEquals(streams(n), all);
        assertTrue(took < TimeUnit.MILLISECONDS.toNanos(1000), "took " + took / 1_000_000 + " ms for " + n + " flows");
        assertEquals(1, m.iterations.get());
    }

    /** A flow set that cannot be read further (a spilled run gone): every reader that gets there fails the same way. */
    @Test
    void aDecoderFailureReachesEveryReader() {
        long n = 3L * RING;
        long breakAt = SharedFlows.BATCH + 5;
        RuntimeException gone = new java.io.UncheckedIOException(new java.io.IOException("run file gone"));
        // it fails once and would go on after the gap: nobody must see flows past it
        FlowSet source = SyntheticModel.flows(n, i -> {
            if (i == breakAt) {
                throw gone;
            }
            return SyntheticModel.flow(i);
        }, new java.util.concurrent.atomic.AtomicInteger());
        SharedFlows set = new SharedFlows(source, 2);
        for (int r = 0; r < 2; r++) {
            List<Long> seen = new ArrayList<>();
            Iterator<Flow> it = set.iterator();
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> {
                while (it.hasNext()) {
                    seen.add(it.next().stream());
                }
            });
            assertTrue(e == gone, "reader " + r + ": " + e);
            assertEquals(streams(SharedFlows.BATCH), seen, "reader " + r + " saw the whole batches before, nothing else");
        }
    }

    /** Readers beyond those announced, or after the others ended, read on their own: still every flow, in order. */
    @Test
    void laterReadersReadTheirOwn() throws Exception {
        long n = 3L * RING + 11;
        SyntheticModel m = new SyntheticModel(1, n);
        SharedFlows set = new SharedFlows(source(m), 1);
        List<Long> first = new ArrayList<>(), second = new ArrayList<>();
        reader(set, first, k -> 0L, Integer.MAX_VALUE).join(TimeUnit.SECONDS.toMillis(30));
        reader(set, second, k -> 0L, Integer.MAX_VALUE).join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(streams(n), first);
        assertEquals(streams(n), second);
        assertEquals(2, m.iterations.get());
    }
}
