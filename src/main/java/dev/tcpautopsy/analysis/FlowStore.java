package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects the reported flows of one capture and hands them back in stream order as a
 * {@link FlowSet}. Flows arrive in the order connections end. They are held in memory while the
 * analysis-wide budget allows (it is shared by every capture of the analysis, those finished
 * included, so a batch of many files holds no more than one big capture); when it is spent, the batch
 * held is sorted and written to a temporary run file, and iteration merges the runs. Flows whose 4-tuple was reused after they had been handed on get their
 * {@code PORT_REUSE} tag as they are read back.
 */
final class FlowStore {
    static final Comparator<Flow> ORDER = Comparator.comparingLong(Flow::stream).thenComparingLong(Flow::firstFrame);

    private final AtomicLong budget;
    private final TempFiles temp;
    private final List<Flow> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private long size;
    private long[] reused = new long[16];
    private int reusedCount;

    private final int minRun;

    /**
     * @param budget flows that may still be held in memory, shared with the other captures
     * @param minRun fewest flows written as one run (the budget may be exceeded by this much per capture,
     *               rather than making a run file per flow once other captures hold the budget)
     */
    FlowStore(AtomicLong budget, int minRun, TempFiles temp) {
        this.budget = budget;
        this.minRun = minRun;
        this.temp = temp;
    }

    void add(Flow f) throws IOException {
        buffer.add(f);
        size++;
        if (budget.decrementAndGet() < 0 && buffer.size() >= minRun) {
            spill();
        }
    }

    /** The flow of {@code stream} (already handed on) had its 4-tuple reused by a later connection. */
    void reusedLater(long stream) {
        if (reusedCount == reused.length) {
            reused = Arrays.copyOf(reused, reused.length * 2);
        }
        reused[reusedCount++] = stream;
    }

    private void spill() throws IOException {
        buffer.sort(ORDER);
        Path run = temp.create("flows-run-");
        try (RunFile.Writer out = new RunFile.Writer(run)) {
            for (Flow f : buffer) {
                FlowCodec.write(out, f);
            }
        }
        runs.add(run);
        budget.addAndGet(buffer.size());
        buffer.clear();
    }

    /** The flows in stream order; the store must not be added to afterwards. */
    FlowSet finish() throws IOException {
        long[] tags = Arrays.copyOf(reused, reusedCount);
        Arrays.sort(tags);
        if (runs.isEmpty()) {
            buffer.sort(ORDER);
            List<Flow> out = new ArrayList<>(buffer.size());
            for (Flow f : buffer) {
                out.add(tagged(f, tags));
            }
            return FlowSet.of(out);
        }
        if (!buffer.isEmpty()) {
            spill();
        }
        return new SpilledFlowSet(List.copyOf(runs), size, tags);
    }

    static Flow tagged(Flow f, long[] reusedStreams) {
        if (reusedStreams.length == 0 || Arrays.binarySearch(reusedStreams, f.stream()) < 0
                || f.termination().tags().contains(Tag.PORT_REUSE)) {
            return f;
        }
        Termination t = f.termination();
        List<Tag> tags = new ArrayList<>(t.tags());
        tags.add(Tag.PORT_REUSE);
        Termination nt = new Termination(t.cls(), t.by(), t.reason(), t.filter(), t.evidence(), tags, t.appView());
        return new Flow(f.stream(), f.client(), f.server(), f.firstFrame(), f.lastFrame(), f.start(), f.end(),
                f.handshakeSeen(), f.halfClosed(), nt, f.fromClient(), f.fromServer(), f.handshakeRttMicros(),
                f.longestIdle(), f.history(), f.transitions(), f.lastPackets());
    }

    /** Flows in sorted run files, merged afresh on every iteration. */
    private record SpilledFlowSet(List<Path> runs, long size, long[] tags) implements FlowSet {
        @Override
        public Iterator<Flow> iterator() {
            return new Merge(runs, tags);
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();

    /** A k-way merge of the runs; a reader that stops early has its files closed when it is collected. */
    private static final class Merge implements Iterator<Flow> {
        private final PriorityQueue<Run> heap = new PriorityQueue<>((a, b) -> ORDER.compare(a.head, b.head));
        private final long[] tags;

        Merge(List<Path> runs, long[] tags) {
            this.tags = tags;
            List<Run> opened = new ArrayList<>();
            for (Path p : runs) {
                Run r = new Run(p);
                opened.add(r);
                if (r.advance()) {
                    heap.add(r);
                }
            }
            CLEANER.register(this, () -> opened.forEach(Run::close));
        }

        @Override
        public boolean hasNext() {
            return !heap.isEmpty();
        }

        @Override
        public Flow next() {
            Run r = heap.poll();
            if (r == null) {
                throw new NoSuchElementException();
            }
            Flow f = r.head;
            if (r.advance()) {
                heap.add(r);
            }
            return tagged(f, tags);
        }
    }

    private static final class Run {
        private final RunFile.Reader in;
        Flow head;

        Run(Path p) {
            try {
                in = new RunFile.Reader(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spilled flows " + p, e);
            }
        }

        boolean advance() {
            try {
                if (!in.more()) {
                    close();
                    return false;
                }
                head = FlowCodec.read(in);
                return true;
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot read spilled flows", e);
            }
        }

        void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // read to the end already; nothing to lose
            }
        }
    }
}
