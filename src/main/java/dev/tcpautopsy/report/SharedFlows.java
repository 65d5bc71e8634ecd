package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowSet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A flow set that the formats written at once (one thread each, every one reading all the flows)
 * decode once between them.
 *
 * <p>Why: decoding a flow from the analysis's store (and merging its spilled runs) was a quarter of
 * what the JSON and CSV writers did on churn-256m (386 k flows, 0.3 s of CPU each, and a tenth of all
 * the memory allocated), and the two did it for the same flows at nearly the same time.
 *
 * <p>How: the flows are decoded in batches, in order, by whichever reader first needs the next batch;
 * the last {@link #WINDOW} batches stay in a ring, where the other readers find them. The reader that
 * decodes waits while another is a whole ring behind, but only up to {@link #PATIENCE_NANOS}: a reader
 * still behind then (one that stopped early, or that the scheduler left aside) goes on with an
 * iteration of the flow set beneath, of its own, skipping what it has read. So nothing can hang, and
 * at worst every flow is decoded once per reader, as without this class. When all {@code readers}
 * have reached the end the ring is emptied: a batch of captures holds no decoded flows once they are
 * written. Flows are immutable, so readers can share them.
 */
final class SharedFlows implements FlowSet {
    static final int BATCH = 128;
    /**
     * Batches kept for readers behind the first: some 500 flows, a MiB or so, short-lived enough to die
     * young (with a ring of 4,096 flows the collector took 0.95 s of CPU on churn-256m, with this one 0.86).
     */
    static final int WINDOW = 4;

    private record Batch(long index, Flow[] flows) {
    }

    private static final Flow[] NONE = new Flow[0];

    /**
     * How long the reader that decodes waits for one a ring behind before it goes on without it: long
     * enough for a thread the scheduler set aside, short enough that a reader that stopped costs little.
     */
    private static final long PATIENCE_NANOS = 50_000_000L;

    private final FlowSet source;
    private final int readers;
    private final AtomicReferenceArray<Batch> ring = new AtomicReferenceArray<>(WINDOW);
    /** Per reader (in the order they start), the batch it reads next; -1 when it does not read from the ring. */
    private final AtomicLongArray at;
    /** Readers waiting in {@link #awaitSlowest}; changed only under this object's lock. */
    private volatile int waiting;
    // guarded by this
    private Iterator<Flow> decoder;
    /** What stopped the decoder: every reader that needs it afterwards gets the same. */
    private RuntimeException broken;
    private long produced;
    private int started;
    private int ended;

    /** @param readers the readers that will each iterate every flow */
    SharedFlows(FlowSet source, int readers) {
        this.source = source;
        this.readers = readers;
        // a reader that has not started yet counts as one at the first batch: the one that starts first
        // decodes a ring's worth in well under a millisecond, sooner than another thread gets going
        at = new AtomicLongArray(readers);
    }

    /** The report with each capture's flows shared by {@code readers} readers. */
    static AnalysisReport over(AnalysisReport report, int readers) {
        List<CaptureReport> captures = new ArrayList<>(report.captures().size());
        for (CaptureReport c : report.captures()) {
            captures.add(c.flows() == null ? c : c.withFlows(new SharedFlows(c.flows(), readers)));
        }
        return report.withCaptures(captures);
    }

    @Override
    public long size() {
        return source.size();
    }

    /** Batches the ring holds now. */
    int held() {
        int n = 0;
        for (int i = 0; i < WINDOW; i++) {
            n += ring.get(i) != null ? 1 : 0;
        }
        return n;
    }

    @Override
    public synchronized Iterator<Flow> iterator() {
        int slot = started < readers ? started++ : -1;
        if (slot >= 0) {
            at.set(slot, 0);
        }
        return new Reader(slot);
    }

    /**
     * Batch {@code b}: from the ring, or decoded now when no iteration has got there yet; null when it
     * has left the ring. An empty batch marks the end.
     */
    private Flow[] batch(long b) {
        Batch r = ring.get((int) (b % WINDOW));
        if (r != null && r.index() == b) {
            return r.flows();
        }
        synchronized (this) {
            if (b == produced) {
                // iterations read batches in order, so b <= produced; waiting lets another reader in, and
                // it may decode this batch meanwhile
                awaitSlowest(b);
            }
            if (b < produced) {
                r = ring.get((int) (b % WINDOW));
                return r != null && r.index() == b ? r.flows() : null;
            }
            if (broken != null) {
                throw broken;
            }
            if (decoder == null) {
                decoder = source.iterator();
            }
            Flow[] flows = new Flow[BATCH];
            int n = 0;
            try {
                while (n < BATCH && decoder.hasNext()) {
                    flows[n++] = decoder.next();
                }
            } catch (RuntimeException e) {
                // a spilled run that cannot be read: the decoder is half way through a batch
                broken = e;
                throw e;
            }
            flows = n == BATCH ? flows : n == 0 ? NONE : java.util.Arrays.copyOf(flows, n);
            ring.set((int) (b % WINDOW), new Batch(b, flows));
            produced = b + 1;
            return flows;
        }
    }

    /**
     * Before batch {@code b} takes the place of batch {@code b - WINDOW}: waits (a while) until every
     * reader still reading from the ring is past that one; a reader that is not by then reads on alone.
     */
    private void awaitSlowest(long b) {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        // set before looking: a reader that moves after the look then sees it, and wakes this one
        waiting++;
        try {
            while (true) {
                boolean behind = false;
                for (int i = 0; i < at.length(); i++) {
                    long a = at.get(i);
                    behind |= a >= 0 && b - a >= WINDOW;
                }
                if (!behind) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // those still behind (stopped, or set aside too long) read on alone if they come back
                    for (int i = 0; i < at.length(); i++) {
                        long a = at.get(i);
                        if (a >= 0 && b - a >= WINDOW) {
                            at.compareAndSet(i, a, -1);
                        }
                    }
                    return;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            waiting--;
        }
    }

    /** A reader moved on to batch {@code next} (-1: it no longer reads from the ring). */
    private void moved(int slot, long next) {
        if (slot < 0) {
            return;
        }
        at.set(slot, next);
        if (waiting > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** A reader reached the end (or went on alone): after the last, the ring goes. */
    private synchronized void ended(int slot) {
        if (slot < 0) {
            return;
        }
        moved(slot, -1);
        if (++ended >= readers) {
            for (int i = 0; i < WINDOW; i++) {
                ring.set(i, null);
            }
        }
    }

    private final class Reader implements Iterator<Flow> {
        private final int slot;
        private long next;
        private Flow[] flows;
        private int pos;
        /** This reader's own iteration, once it fell behind the ring. */
        private Iterator<Flow> own;
        private boolean done;

        Reader(int slot) {
            this.slot = slot;
        }

        @Override
        public boolean hasNext() {
            if (own != null) {
                return own.hasNext();
            }
            if (done) {
                return false;
            }
            if (flows == null || pos == flows.length) {
                Flow[] b = flows != null && flows.length < BATCH ? NONE : batch(next);
                if (b == null) {
                    // fell behind: read on alone from where this reader stands
                    ended(slot);
                    own = source.iterator();
                    for (long skip = next * BATCH; skip > 0 && own.hasNext(); skip--) {
                        own.next();
                    }
                    return own.hasNext();
                }
                flows = b;
                pos = 0;
                next++;
                if (b.length == 0) {
                    done = true;
                    ended(slot);
                    return false;
                }
                moved(slot, next);
            }
            return true;
        }

        @Override
        public Flow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return own != null ? own.next() : flows[pos++];
        }
    }
}
