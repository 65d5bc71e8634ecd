package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.FlowCursor;
import dev.tcpautopsy.model.FlowRecord;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a report in several formats with one pass over the flows: each flow is read in its encoded form
 * (perhaps from a temporary file) once and handed to every format that still wants flows of its capture, as
 * a {@link FlowRecord}; a capture's flows are not read at all once no format wants more of them. Serially,
 * the formats take each flow in turn on the calling thread; {@link #concurrent}, each format runs on a
 * thread of its own, taking batches of the encoded flows the calling thread reads (copied, a few hundred
 * bytes each), so that the formats that read every flow (JSON, CSV) are written at the same time.
 *
 * <p>A format that fails is dropped and the others are finished; the first failure is thrown at the end.
 */
public final class ReportWriter {
    /** Flows handed to a format's thread at a time, and batches that may wait for it. */
    static final int BATCH = 256, QUEUED = 16;


    private final List<ReportRenderer> renderers;
    private final boolean concurrent;
    private final int formatters;

    private ReportWriter(List<ReportRenderer> renderers, boolean concurrent, int formatters) {
        this.renderers = List.copyOf(renderers);
        this.concurrent = concurrent;
        this.formatters = formatters;
    }

    /** Every format on the calling thread: for a target that takes one output at a time (standard output). */
    public static ReportWriter serial(List<ReportRenderer> renderers) {
        return new ReportWriter(renderers, false, 0);
    }

    /** Each format on a thread of its own: for a target that takes opens from several threads (a directory). */
    public static ReportWriter concurrent(List<ReportRenderer> renderers) {
        return new ReportWriter(renderers, true, 0);
    }

    /**
     * Each format on a thread of its own, and {@code formatters} more threads (0: none) that format the
     * flows of the formats that can be formatted in chunks ({@link FlowChunks}), the formats' threads only
     * writing the chunks in order: for the processors left once the analysis is done.
     */
    public static ReportWriter concurrent(List<ReportRenderer> renderers, int formatters) {
        return new ReportWriter(renderers, true, Math.max(0, formatters));
    }

    public List<ReportRenderer> renderers() {
        return renderers;
    }

    public void write(AnalysisReport report, ReportTarget target) throws IOException {
        List<Lane> lanes = new ArrayList<>();
        Failures failures = new Failures();
        try {
            for (ReportRenderer r : renderers) {
                try {
                    lanes.add(new Lane(r.start(report, target), failures));
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
            }
            if (concurrent && (lanes.size() > 1 || formatters > 0)) {
                threaded(report, lanes, formatters);
            } else {
                for (CaptureReport c : report.captures()) {
                    capture(c, lanes);
                }
                lanes.forEach(Lane::end);
            }
        } finally {
            lanes.forEach(Lane::close);
        }
        failures.rethrow();
    }

    /** One capture on the calling thread: every lane takes each flow in turn. */
    private static void capture(CaptureReport c, List<Lane> lanes) {
        List<Lane> wanting = new ArrayList<>();
        for (Lane l : lanes) {
            if (l.startCapture(c)) {
                wanting.add(l);
            }
        }
        if (c.flows() != null && !wanting.isEmpty()) {
            FlowCursor flows = c.flows().cursor();
            FlowRecord r = new FlowRecord();
            while (!wanting.isEmpty() && flows.next()) {
                flows.load(r);
                // a loop rather than removeIf: a lambda a flow, made through a method handle each time
                for (int i = 0; i < wanting.size(); ) {
                    if (wanting.get(i).flow(r)) {
                        i++;
                    } else {
                        wanting.remove(i);
                    }
                }
            }
        }
        lanes.forEach(l -> l.endCapture(c));
    }

    /** Each lane on a thread of its own, fed batches of flows through a bounded queue. */
    private static void threaded(AnalysisReport report, List<Lane> lanes, int formatters) throws IOException {
        ExecutorService format = formatters == 0 ? null : Executors.newFixedThreadPool(formatters, r -> {
            Thread t = new Thread(r, "tcpautopsy-format");
            t.setDaemon(true);
            return t;
        });
        List<Thread> threads = new ArrayList<>();
        for (Lane l : lanes) {
            l.formatWith(format, formatters);
            Thread t = new Thread(l::run, "tcpautopsy-render " + l.name());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        try {
            for (CaptureReport c : report.captures()) {
                // each lane says whether it wants this capture's flows before any is read
                Start start = new Start(c, new CountDownLatch(lanes.size()));
                lanes.forEach(l -> l.put(start));
                awaitUninterruptibly(start.answered());
                if (c.flows() != null && lanes.stream().anyMatch(l -> l.wants(c))) {
                    FlowCursor flows = c.flows().cursor();
                    boolean more = true;
                    while (more && lanes.stream().anyMatch(l -> l.wants(c))) {
                        Batch b = new Batch(c);
                        while (b.size < BATCH && (more = flows.next())) {
                            b.add(flows);
                        }
                        if (b.size > 0) {
                            lanes.forEach(l -> l.put(b));
                        }
                    }
                }
                lanes.forEach(l -> l.put(new End(c)));
            }
        } finally {
            lanes.forEach(l -> l.put(Lane.FINISH));
            for (Thread t : threads) {
                joinUninterruptibly(t);
            }
            if (format != null) {
                format.shutdownNow();
            }
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T getUninterruptibly(Future<T> f) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private record Start(CaptureReport capture, CountDownLatch answered) {
    }

    /** Encoded flows handed to every lane: read-only once put. */
    private static final class Batch {
        final CaptureReport capture;
        byte[] data = new byte[BATCH * 512];
        final int[] offsets = new int[BATCH];
        final boolean[] reused = new boolean[BATCH];
        final String[] clauses = new String[BATCH];
        int size, used;

        Batch(CaptureReport capture) {
            this.capture = capture;
        }

        void add(FlowCursor c) {
            int n = c.length();
            if (used + n > data.length) {
                data = Arrays.copyOf(data, Math.max(used + n, 2 * data.length));
            }
            System.arraycopy(c.bytes(), c.offset(), data, used, n);
            offsets[size] = used;
            reused[size] = c.portReusedLater();
            clauses[size] = c.burstClause();
            used += n;
            size++;
        }
    }

    private record End(CaptureReport capture) {
    }

    /** One format: its visitor, whether it still wants flows of the current capture, and whether it failed. */
    private static final class Lane {
        static final Object FINISH = new Object();

        private final ReportVisitor visitor;
        private final Failures failures;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
        /** The flow this lane's thread reads a batch into. */
        private final FlowRecord record = new FlowRecord();
        private volatile CaptureReport wanting;
        private volatile boolean failed;
        /** When its flows are formatted in chunks on other threads: those, its chunks under way, and each thread's formatter. */
        private ExecutorService format;
        private FlowChunks chunks;
        private final ArrayDeque<Future<byte[]>> ahead = new ArrayDeque<>();
        private ThreadLocal<FlowChunks.Formatter> formatter;
        private boolean firstChunk;
        private int aheadMax;

        Lane(ReportVisitor visitor, Failures failures) {
            this.visitor = visitor;
            this.failures = failures;
        }

        String name() {
            return visitor.getClass().getSimpleName();
        }

        void formatWith(ExecutorService format, int formatters) {
            if (format != null && visitor instanceof FlowChunks c && c.chunked()) {
                this.format = format;
                // enough chunks under way to keep the formatting threads busy, and no more: each holds its
                // flows' formatted bytes until it is written
                this.aheadMax = 2 * formatters;
                this.chunks = c;
                this.formatter = ThreadLocal.withInitial(c::formatter);
            }
        }

        /** Hands the batch's flows to a formatting thread, and writes the chunks that are done, in order. */
        private void chunk(Batch b) {
            ahead.add(format.submit(() -> {
                FlowChunks.Formatter f = formatter.get();
                FlowRecord r = new FlowRecord();
                for (int i = 0; i < b.size; i++) {
                    f.add(r.load(b.data, b.offsets[i], b.reused[i], b.clauses[i]));
                }
                return f.chunk();
            }));
            while (!ahead.isEmpty() && (ahead.size() > aheadMax || ahead.peek().isDone())) {
                writeChunk();
            }
        }

        /** Writes every chunk under way, in order: the capture's flows end. */
        private void drainChunks() {
            while (!ahead.isEmpty()) {
                writeChunk();
            }
        }

        private void writeChunk() {
            Future<byte[]> f = ahead.poll();
            if (failed) {
                f.cancel(false);
                return;
            }
            try {
                chunks.write(getUninterruptibly(f), firstChunk);
                firstChunk = false;
            } catch (IOException | RuntimeException e) {
                fail(e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                fail(cause instanceof Exception x ? x : new IOException("failed writing " + name() + ": " + cause, cause));
            }
        }

        /** Whether it wants flows of {@code c} (read by the feeding thread, which may overshoot by a batch). */
        boolean wants(CaptureReport c) {
            return !failed && wanting == c;
        }

        boolean startCapture(CaptureReport c) {
            if (failed) {
                return false;
            }
            try {
                if (!visitor.startCapture(c)) {
                    return false;
                }
                wanting = c;
                return true;
            } catch (IOException | RuntimeException e) {
                fail(e);
                return false;
            }
        }

        boolean flow(FlowRecord f) {
            if (failed) {
                return false;
            }
            try {
                if (visitor.flow(f)) {
                    return true;
                }
                wanting = null;
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
            return false;
        }

        void endCapture(CaptureReport c) {
            wanting = null;
            if (!failed) {
                try {
                    visitor.endCapture(c);
                } catch (IOException | RuntimeException e) {
                    fail(e);
                }
            }
        }

        void end() {
            if (!failed) {
                try {
                    visitor.end();
                } catch (IOException | RuntimeException e) {
                    fail(e);
                }
            }
        }

        void close() {
            try {
                visitor.close();
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }

        private void fail(Exception e) {
            failed = true;
            failures.add(e);
        }

        void put(Object event) {
            boolean interrupted = false;
            while (true) {
                try {
                    queue.put(event);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** The lane's thread: takes the events in order until the end; a failed lane drains its queue. */
        void run() {
            while (true) {
                Object e;
                try {
                    e = queue.take();
                } catch (InterruptedException x) {
                    fail(new IOException("interrupted while writing " + name(), x));
                    continue;
                }
                try {
                    if (e == FINISH) {
                        end();
                        return;
                    }
                    if (e instanceof Start s) {
                        try {
                            firstChunk = true;
                            startCapture(s.capture());
                        } finally {
                            s.answered().countDown();
                        }
                    } else if (e instanceof Batch b && chunks != null) {
                        if (wants(b.capture)) {
                            chunk(b);
                        }
                    } else if (e instanceof Batch b) {
                        for (int i = 0; i < b.size && wants(b.capture); i++) {
                            flow(record.load(b.data, b.offsets[i], b.reused[i], b.clauses[i]));
                        }
                    } else if (e instanceof End x) {
                        drainChunks();
                        endCapture(x.capture());
                    }
                } catch (Error x) {
                    // the feeding thread must not wait on a queue nobody takes from: keep draining
                    fail(new IOException("failed writing " + name() + ": " + x, x));
                }
            }
        }
    }

    /** The failures of every lane; the first is thrown, the others added to it as suppressed. */
    private static final class Failures {
        private final List<Exception> all = new ArrayList<>();

        synchronized void add(Exception e) {
            all.add(e);
        }

        synchronized void rethrow() throws IOException {
            if (all.isEmpty()) {
                return;
            }
            Exception first = all.get(0);
            for (Exception e : all.subList(1, all.size())) {
                if (e != first) {
                    first.addSuppressed(e);
                }
            }
            if (first instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) first;
        }
    }
}
