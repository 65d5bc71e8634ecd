package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.FlowCursor;
import dev.tcpautopsy.model.FlowEncoder;
import dev.tcpautopsy.model.FlowSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects the reported flows of one capture and hands them back in stream order as a
 * {@link FlowSet}. Flows arrive in the order connections end. Each is kept encoded ({@link FlowEncoder},
 * some 300 bytes) in 1 MiB pages rather than as objects: a few large arrays that the garbage collector
 * never copies, so the heap holds flows without working for them. They stay in memory while the
 * analysis-wide budget allows (it is shared by every capture of the analysis, those finished included,
 * so a batch of many files holds no more than one big capture); when it is spent, the flows held are
 * sorted and written to a temporary run file, and iteration merges the runs. What was learned of a flow
 * after it was stored ({@link Amendments}) is applied as it is read back.
 */
final class FlowStore {
    private static final int PAGE = 1 << 20;

    private final AtomicLong budget;
    private final TempFiles temp;
    private final int minRun;
    private final List<Path> runs = new ArrayList<>();
    private long size;

    // the flows held: pages of encoded flows, and per flow its stream, first frame and place
    private final List<byte[]> pages = new ArrayList<>();
    /**
     * Pages written out to a run, for the next flows: a page lives until its run is written, long
     * enough to be promoted, and dropping it would leave the old generation to a full collection.
     */
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private byte[] page;
    private int pagePos;
    private long[] streams = new long[1024], firsts = new long[1024], places = new long[1024];
    private int[] lengths = new int[1024];
    private int held;

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

    /** Keeps the flow encoded in {@code e}. */
    void add(FlowEncoder e) throws IOException {
        int n = e.length();
        if (page == null || pagePos + n > page.length) {
            page = n <= PAGE && !spare.isEmpty() ? spare.pop() : new byte[Math.max(PAGE, n)];
            pages.add(page);
            pagePos = 0;
        }
        System.arraycopy(e.bytes(), 0, page, pagePos, n);
        if (held == streams.length) {
            streams = Arrays.copyOf(streams, 2 * held);
            firsts = Arrays.copyOf(firsts, 2 * held);
            places = Arrays.copyOf(places, 2 * held);
            lengths = Arrays.copyOf(lengths, 2 * held);
        }
        streams[held] = FlowEncoder.stream(e.bytes(), 0);
        firsts[held] = FlowEncoder.firstFrame(e.bytes(), 0);
        places[held] = (long) (pages.size() - 1) << 32 | pagePos;
        lengths[held] = n;
        held++;
        pagePos += n;
        size++;
        if (budget.decrementAndGet() < 0 && held >= minRun) {
            spill();
        }
    }

    /** The held flows' indices in stream order (then first frame). */
    private int[] order() {
        return IndexSort.sort(held, this::before);
    }

    private boolean before(int x, int y) {
        return streams[x] != streams[y] ? streams[x] < streams[y] : firsts[x] < firsts[y];
    }

    private void spill() throws IOException {
        Path run = temp.create("flows-run-");
        try (RunFile.Writer out = new RunFile.Writer(run)) {
            for (int i : order()) {
                long place = places[i];
                out.write(streams[i], firsts[i], pages.get((int) (place >>> 32)), (int) place, lengths[i]);
            }
        }
        runs.add(run);
        budget.addAndGet(held);
        for (byte[] p : pages) {
            if (p.length == PAGE) {
                spare.push(p);
            }
        }
        pages.clear();
        page = null;
        held = 0;
    }

    /**
     * The flows in stream order, each with what was learned of it since it was judged; the store must
     * not be added to afterwards.
     */
    FlowSet finish(Amendments amendments) throws IOException {
        Amendments tags = amendments.seal();
        if (runs.isEmpty()) {
            int[] order = order();
            long[] at = new long[order.length];
            int[] lens = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                at[i] = places[order[i]];
                lens[i] = lengths[order[i]];
            }
            if (page != null && pagePos < page.length) {
                // the last page cut to what it holds: a batch of small captures keeps each one's flow
                // set until the reports are written, and a 1 MiB page apiece made 2,000 captures 2 GB
                pages.set(pages.size() - 1, Arrays.copyOf(page, pagePos));
            }
            return new HeldFlowSet(List.copyOf(pages), at, lens, tags);
        }
        if (held > 0) {
            spill();
        }
        return new SpilledFlowSet(List.copyOf(runs), size, tags);
    }

    /** Flows held in memory, read afresh on every iteration (several formats may iterate at once). */
    record HeldFlowSet(List<byte[]> pages, long[] places, int[] lengths, Amendments tags) implements FlowSet {
        @Override
        public long size() {
            return places.length;
        }

        @Override
        public FlowCursor cursor() {
            return new FlowCursor() {
                private int next;
                private long place;

                @Override
                public boolean next() {
                    if (next >= places.length) {
                        return false;
                    }
                    place = places[next++];
                    return true;
                }

                @Override
                public byte[] bytes() {
                    return pages.get((int) (place >>> 32));
                }

                @Override
                public int offset() {
                    return (int) place;
                }

                @Override
                public int length() {
                    return lengths[next - 1];
                }

                @Override
                public boolean portReusedLater() {
                    return tags.reused(bytes(), offset());
                }

                @Override
                public String burstClause() {
                    return tags.burstClause(bytes(), offset());
                }
            };
        }
    }

    /** Flows in sorted run files, merged afresh on every iteration. */
    private record SpilledFlowSet(List<Path> runs, long size, Amendments tags) implements FlowSet {
        @Override
        public FlowCursor cursor() {
            return new Merge(runs, tags);
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();

    /** A k-way merge of the runs; a reader that stops early has its files closed when it is collected. */
    private static final class Merge implements FlowCursor {
        private final PriorityQueue<Run> heap = new PriorityQueue<>((a, b) -> a.stream != b.stream
                ? Long.compare(a.stream, b.stream) : Long.compare(a.firstFrame, b.firstFrame));
        private final Amendments tags;
        /** The run whose record is current: it moves on at the next call. */
        private Run current;

        Merge(List<Path> runs, Amendments tags) {
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
        public boolean next() {
            if (current != null && current.advance()) {
                heap.add(current);
            }
            current = heap.poll();
            return current != null;
        }

        @Override
        public byte[] bytes() {
            return current.in.record();
        }

        @Override
        public int offset() {
            return 0;
        }

        @Override
        public int length() {
            return current.in.length();
        }

        @Override
        public boolean portReusedLater() {
            return tags.reused(current.stream);
        }

        @Override
        public String burstClause() {
            return tags.burstClause(bytes(), 0);
        }
    }

    private static final class Run {
        private final RunFile.Reader in;
        long stream, firstFrame;

        Run(Path p) {
            try {
                in = new RunFile.Reader(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spilled flows " + p, e);
            }
        }

        boolean advance() {
            try {
                if (!in.next()) {
                    close();
                    return false;
                }
                stream = in.stream();
                firstFrame = in.firstFrame();
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
