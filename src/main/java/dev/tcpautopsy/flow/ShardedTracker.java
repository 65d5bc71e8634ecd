package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flow tracking on several threads: the {@link FlowTracker#PARTITIONS} partitions of the 4-tuples are
 * dealt out to the tracking threads ({@link Shard}s), every thread sees every batch of segments (for the
 * clock, the listening ports and the sweeps) and tracks those of its partitions, one more thread puts
 * their decisions back in the order one thread makes them and numbers the streams, and another judges the
 * finished connections in that order as {@link FlowTracker}'s listener thread does, then gives them back
 * to their tracking threads. The facts of a finished connection are made on its tracking thread, the part
 * of judging that rests on that connection alone. Stream numbers and every verdict are the same as
 * {@link FlowTracker}'s, whatever the number of threads.
 *
 * <p>The order: one thread, at each packet, sweeps the partitions in ascending order, then tracks the
 * packet in its partition; so each decision is keyed by the packet's ordinal, whether it was a sweep, and
 * the partition, and the merging thread takes the threads' decisions of a batch in the order of their
 * keys. A new stream is known to its thread by the ordinal of the segment that opened it (in the same
 * order as the stream numbers), and is numbered when the merging thread comes to it.
 *
 * <p>Calling order, on the reading thread: {@link #accept} for each batch in capture order, then
 * {@link #finish} once. A failure of the listener is thrown from the next {@code accept} and from
 * {@code finish}, as {@link FlowTracker}'s; a failure of tracking on a segment from the next
 * {@code accept} only ({@link #failedFrame} says where), and the connections are still handed on at the
 * end: the threads other than the failing one may have tracked a few batches more than one thread would.
 */
public final class ShardedTracker {
    /** Decoded segments of consecutive records, shared read-only by the tracking threads. */
    public interface Batch {
        int size();

        /** Segment {@code i}'s decoded fields, for the clock, the ports and its partition. */
        TcpSegment peek(int i);

        /** Segment {@code i} ready for tracking (its header bytes and payload in place); called by one thread. */
        TcpSegment segment(int i);

        /** Segment {@code i}'s partition of the 4-tuples ({@link FlowTracker#partition}). */
        int partition(int i);

        /** Ends of pieces of the capture found while filling it (see {@link FlowTracker#pieceEnd}). */
        int pieces();

        long pieceEnd(int k);

        /** Every tracking thread is done with it. */
        void release();
    }

    private static final byte OPENED = 0, RESUMED = 1, HANDED = 2, REUSED = 3, FORGOT = 4;
    /** Merged decisions handed to judging at a time, and chunks of them that may wait. */
    private static final int JUDGE_CHUNK = 128, JUDGE_QUEUED = 16;
    /** Connections handed on at the end of the capture that go to the merging thread at a time. */
    private static final int END_CHUNK = 64;
    private static final Object FINISH_MARK = new Object();

    private final FlowListener listener;
    private final HostTable hosts;
    private final Worker[] workers;
    private final Thread merger;
    /**
     * The merged decisions that judging takes ({@link Handed}, or a stream number reused later), on a thread
     * of its own: putting the tracking threads' decisions in order and judging them were one thread, the one a
     * capture of many short connections waited for once tracking had threads.
     */
    private final Relay<Object> judging;
    private long ordinals;
    /** The listener's failure: thrown once by {@link #accept} and again by {@link #finish}. */
    private volatile Throwable failure;
    /**
     * A tracking thread's failure on a segment (a bug of ours on some packet): thrown once by {@link #accept},
     * so that reading stops and the capture reports it like damage (or given by {@link #lateFailure} when it
     * came after the last {@code accept}); that thread tracks no further segment
     * but still hands on its connections at the end, so what was analyzed before is reported.
     */
    private volatile Throwable trackingFailure;
    private volatile long failedFrame = -1;
    private boolean reported, trackingReported, finished;

    /**
     * @param threads tracking threads (2 to {@link FlowTracker#PARTITIONS}); the judging thread is one more,
     *                named {@code name}, and the merging thread another
     * @param queued  batches each tracking thread may have waiting
     */
    public ShardedTracker(FlowSettings settings, FlowListener listener, HostTable hosts, int threads, int queued,
                          String name) {
        if (threads < 1 || threads > FlowTracker.PARTITIONS) {
            throw new IllegalArgumentException("tracking threads: " + threads);
        }
        this.listener = listener;
        this.hosts = hosts;
        workers = new Worker[threads];
        for (int t = 0; t < threads; t++) {
            List<Integer> ids = new ArrayList<>();
            for (int p = t; p < FlowTracker.PARTITIONS; p += threads) {
                ids.add(p);
            }
            workers[t] = new Worker(settings, ids.stream().mapToInt(Integer::intValue).sorted().toArray(), queued,
                    name.replace("judge", "track") + " " + (t + 1));
        }
        judging = new Relay<>(name, JUDGE_CHUNK, JUDGE_QUEUED, this::judge, "judging connections");
        merger = new Thread(this::merge, name.replace("judge", "merge"));
        merger.setDaemon(true);
        for (Worker w : workers) {
            w.thread.start();
        }
        merger.start();
    }

    /** Tracks one batch (in capture order); it is released once every tracking thread is done with it. */
    public void accept(Batch b) {
        rethrowOnce();
        Job j = new Job(b, ordinals, workers.length);
        ordinals += b.size();
        for (Worker w : workers) {
            put(w.in, j);
        }
    }

    /** Hands on every connection still open (the capture ended at {@code captureEndNanos}) and waits for the judging. */
    public void finish(long captureEndNanos) {
        if (finished) {
            return;
        }
        finished = true;
        for (Worker w : workers) {
            put(w.in, new End(captureEndNanos));
        }
        Waiting.join(merger);
        for (Worker w : workers) {
            Waiting.join(w.thread);
        }
        rethrow();
    }

    /** The frame on which tracking failed, or -1. */
    public long failedFrame() {
        return failedFrame;
    }

    /**
     * After {@link #finish}: a tracking thread's failure that {@link #accept} did not throw (it came on a packet
     * of the batches after the last {@code accept}, or while the connections still open were handed on at the
     * end), or null; an {@link Error} is thrown.
     */
    public RuntimeException lateFailure() {
        if (trackingFailure == null || trackingReported) {
            return null;
        }
        trackingReported = true;
        if (trackingFailure instanceof Error e) {
            throw e;
        }
        return (RuntimeException) trackingFailure;
    }

    private void rethrowOnce() {
        if (failure != null && !reported) {
            reported = true;
            rethrow();
        }
        if (trackingFailure != null && !trackingReported) {
            trackingReported = true;
            Waiting.rethrow(trackingFailure);
        }
    }

    private void rethrow() {
        Waiting.rethrow(failure);
    }

    private void fail(Throwable t) {
        synchronized (this) {
            if (failure == null) {
                failure = t;
            }
        }
    }

    private void trackingFailed(Throwable t, long frame) {
        synchronized (this) {
            if (trackingFailure == null) {
                trackingFailure = t;
                failedFrame = frame;
            }
        }
    }

    private static <T> void put(BlockingQueue<T> q, T o) {
        Waiting.put(q, o, "tracking");
    }

    private record Job(Batch batch, long base, AtomicInteger left) {
        Job(Batch batch, long base, int threads) {
            this(batch, base, new AtomicInteger(threads));
        }
    }

    private record End(long captureEnd) {
    }

    /** A finished connection, merged and numbered, for judging; {@code worker} gets it back. */
    private record Handed(FlowFacts facts, Connection connection, int worker) {
    }

    /** What a tracking thread decided in one batch, each decision with its key. */
    private static final class Events {
        long[] keys = new long[64];
        byte[] types = new byte[64];
        Connection[] conns = new Connection[64];
        FlowFacts[] facts = new FlowFacts[64];
        long[] values = new long[64];
        int n;
        /** The thread's last decisions; or, at the end of the capture, more of them follow in another object. */
        boolean last, more;

        void add(long key, byte type, Connection c, long value) {
            add(key, type, c, null, value);
        }

        void add(long key, byte type, Connection c, FlowFacts f, long value) {
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, 2 * n);
                types = Arrays.copyOf(types, 2 * n);
                conns = Arrays.copyOf(conns, 2 * n);
                facts = Arrays.copyOf(facts, 2 * n);
                values = Arrays.copyOf(values, 2 * n);
            }
            keys[n] = key;
            types[n] = type;
            conns[n] = c;
            facts[n] = f;
            values[n] = value;
            n++;
        }

        void clear() {
            Arrays.fill(conns, 0, n, null);
            Arrays.fill(facts, 0, n, null);
            n = 0;
            last = more = false;
        }
    }

    /** One tracking thread: its shard, the batches it is given, the decisions it hands to the merging thread. */
    private final class Worker implements Shard.Outlet {
        final Shard shard;
        final BlockingQueue<Object> in;
        final BlockingQueue<Events> out;
        final ConcurrentLinkedQueue<Events> free = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Connection[]> done = new ConcurrentLinkedQueue<>();
        final Thread thread;
        private Events events;
        /** Used on this thread only. */
        private final AddressNames names = new AddressNames();
        private boolean atEnd;

        Worker(FlowSettings settings, int[] ids, int queued, String name) {
            shard = new Shard(settings, ids, false);
            shard.outlet(this, done::poll);
            in = new ArrayBlockingQueue<>(queued);
            out = new ArrayBlockingQueue<>(4);
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
        }

        private void run() {
            boolean failed = false;
            while (true) {
                Object o;
                try {
                    o = in.take();
                } catch (InterruptedException e) {
                    fail(new IllegalStateException("interrupted while tracking", e));
                    return;
                }
                Events ev = free.poll();
                events = ev != null ? ev : new Events();
                if (o instanceof End end) {
                    try {
                        shard.handAll(end.captureEnd());
                    } catch (RuntimeException | Error e) {
                        trackingFailed(e, -1);
                    }
                    events.last = true;
                    put(out, events);
                    return;
                }
                Job j = (Job) o;
                Batch b = j.batch();
                if (!failed) {
                    long frame = -1;
                    try {
                        for (int k = 0; k < b.pieces(); k++) {
                            shard.pieceEnds.add(b.pieceEnd(k));
                        }
                        int n = b.size();
                        for (int i = 0; i < n; i++) {
                            TcpSegment s = b.peek(i);
                            frame = s.frame;
                            shard.ordinal = j.base() + i;
                            shard.tick(s);
                            Partition p = shard.partition(b.partition(i));
                            if (p != null) {
                                shard.accept(p, b.segment(i));
                            }
                        }
                    } catch (RuntimeException | Error e) {
                        // what was decided before the failure stands; nothing after it is tracked
                        failed = true;
                        trackingFailed(e, frame);
                    }
                }
                if (j.left().decrementAndGet() == 0) {
                    b.release();
                }
                put(out, events);
            }
        }

        /** The order of the decision at hand: the packet, sweeps before tracking, the partition. */
        private long key() {
            return shard.ordinal << 5 | (shard.decidingSweep ? 0 : 16) | shard.decidingPartition;
        }

        @Override
        public void atEnd() {
            atEnd = true;
        }

        @Override
        public void opened(Connection c) {
            events.add(key(), OPENED, c, 0);
        }

        @Override
        public void resumed(Connection c) {
            events.add(key(), RESUMED, c, 0);
        }

        /** Its facts are made here, in parallel: they are the connection's alone (its stream number aside). */
        @Override
        public void handed(Connection c) {
            events.add(atEnd ? c.key : key(), HANDED, c, FactsBuilder.build(c, c.handEnd, c.handEarly, names), 0);
            if (atEnd && events.n >= END_CHUNK) {
                // every open connection is handed on at the end: to the merging thread a chunk at a time
                events.more = true;
                put(out, events);
                Events ev = free.poll();
                events = ev != null ? ev : new Events();
            }
        }

        @Override
        public void reusedLater(long stream) {
            events.add(key(), REUSED, null, stream);
        }

        @Override
        public void forgot(long stream) {
            events.add(atEnd ? stream : key(), FORGOT, null, stream);
        }
    }

    /**
     * The merging thread: each batch's decisions of every tracking thread, in key order. At the end of the
     * capture each thread hands its open connections on in several chunks, each taken when the one before
     * is merged: they are held a few hundred at a time, not all at once.
     */
    private void merge() {
        StreamNumbers streams = new StreamNumbers();
        long next = 0;
        int n = workers.length;
        Events[] cur = new Events[n];
        int[] pos = new int[n];
        boolean failed = false;
        try {
            while (true) {
                for (int t = 0; t < n; t++) {
                    cur[t] = workers[t].out.take();
                    pos[t] = 0;
                }
                boolean last = cur[0].last || cur[0].more;
                while (true) {
                    for (int t = 0; t < n; t++) {
                        while (pos[t] == cur[t].n && cur[t].more) {
                            done(t, cur[t]);
                            cur[t] = workers[t].out.take();
                            pos[t] = 0;
                        }
                    }
                    int best = -1;
                    long bestKey = Long.MAX_VALUE;
                    for (int t = 0; t < n; t++) {
                        if (pos[t] < cur[t].n && (best < 0 || cur[t].keys[pos[t]] < bestKey)) {
                            best = t;
                            bestKey = cur[t].keys[pos[t]];
                        }
                    }
                    if (best < 0) {
                        break;
                    }
                    Events e = cur[best];
                    int i = pos[best]++;
                    if (failed) {
                        continue;
                    }
                    try {
                        Connection c = e.conns[i];
                        switch (e.types[i]) {
                            case OPENED -> {
                                c.stream = next++;
                                streams.put(c.key, c.stream);
                            }
                            case RESUMED -> c.stream = streams.get(c.key);
                            case HANDED -> judging.add(new Handed(e.facts[i].withStream(c.stream), c, best));
                            case REUSED -> judging.add(streams.get(e.values[i]));
                            case FORGOT -> streams.remove(e.values[i]);
                            default -> throw new IllegalStateException("event " + e.types[i]);
                        }
                    } catch (RuntimeException | Error x) {
                        // keep taking the threads' decisions, so that none of them waits on a full queue
                        failed = true;
                        fail(x);
                    }
                }
                for (int t = 0; t < n; t++) {
                    done(t, cur[t]);
                }
                if (last) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            fail(new IllegalStateException("interrupted while merging connections", e));
        }
        try {
            judging.finish();
        } catch (RuntimeException | Error x) {
            fail(x);
        }
    }

    /** Thread {@code t}'s decisions {@code e} are merged: the object goes back to it. */
    private void done(int t, Events e) {
        e.clear();
        workers[t].free.add(e);
    }

    /**
     * The judging thread: the finished connections and reused stream numbers in the merged order; each
     * connection goes back to its tracking thread's pool once judged (its packet ring read).
     */
    private void judge(Object[] chunk) {
        List<List<Connection>> freed = new ArrayList<>(workers.length);
        for (int t = 0; t < workers.length; t++) {
            freed.add(new ArrayList<>());
        }
        for (Object o : chunk) {
            if (o instanceof Handed h) {
                if (hosts != null) {
                    hosts.observe(h.facts());
                }
                listener.finished(h.facts(), h.connection().ring);
                freed.get(h.worker()).add(h.connection());
            } else {
                listener.reusedLater((Long) o);
            }
        }
        for (int t = 0; t < workers.length; t++) {
            if (!freed.get(t).isEmpty()) {
                workers[t].done.add(freed.get(t).toArray(new Connection[0]));
            }
        }
    }
}
