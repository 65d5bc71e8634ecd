package dev.tcpautopsy.flow;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Finished connections judged on a thread of their own: the tracker's thread hands each one on
 * (in batches, through a bounded queue, in the order they finished) and goes back to packets, while
 * this thread turns it into {@link FlowFacts}, feeds the host baselines and calls the listener, exactly
 * as the tracker does when alone, then gives the connection object back for reuse. The per-packet code
 * on the tracker's thread stays small, and two cores share the work.
 *
 * <p>Calling order, on the tracker's thread: {@link #hand}, {@link #reusedLater} and {@link #reuse}, then
 * {@link #finish} once. A failure of the listener is thrown on the tracker's thread: once by the next
 * {@code hand}, so that reading stops, and again by {@code finish}.
 */
final class Handoff {
    private static final Object[] END = new Object[0];

    private final FlowListener listener;
    private final HostTable hosts;
    private final BlockingQueue<Object[]> queue;
    private final int batchSize;
    /** Batches of connections the worker is done with, for the tracker's pool. */
    private final ConcurrentLinkedQueue<Connection[]> done = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    /** Used on the worker thread only. */
    private final AddressNames names = new AddressNames();
    /** The batch being filled: a {@link Connection}, or a stream number reused later. */
    private Object[] batch;
    private int filled;
    private volatile Throwable failure;
    private boolean reported, ended;

    /** @param batch connections handed over at a time; @param queued batches that may wait before {@link #hand} waits */
    Handoff(FlowListener listener, HostTable hosts, String name, int batch, int queued) {
        this.listener = listener;
        this.hosts = hosts;
        this.batchSize = batch;
        this.batch = new Object[batch];
        this.queue = new ArrayBlockingQueue<>(queued);
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands on {@code c}, whose {@link Connection#handEnd} is set; the tracker must not touch it until {@link #reuse}. */
    void hand(Connection c) {
        add(c);
    }

    void reusedLater(long stream) {
        add(stream);
    }

    /** The connections the worker is done with since the last call, or {@code null}. */
    Connection[] reuse() {
        return done.poll();
    }

    private void add(Object o) {
        if (failure != null && !reported) {
            reported = true;
            rethrow();
        }
        batch[filled++] = o;
        if (filled == batch.length) {
            put(batch);
            batch = new Object[batchSize];
            filled = 0;
        }
    }

    private void put(Object[] b) {
        Waiting.put(queue, b, "handing connections on");
    }

    /** Hands on what is left and waits until the listener has heard of every connection. */
    void finish() {
        if (ended) {
            return;
        }
        ended = true;
        if (filled > 0) {
            Object[] last = new Object[filled];
            System.arraycopy(batch, 0, last, 0, filled);
            put(last);
            filled = 0;
        }
        put(END);
        Waiting.join(thread);
        rethrow();
    }

    private void rethrow() {
        Waiting.rethrow(failure);
    }

    private void run() {
        try {
            while (true) {
                Object[] b = queue.take();
                if (b == END) {
                    return;
                }
                Connection[] free = new Connection[b.length];
                int n = 0;
                for (Object o : b) {
                    if (o instanceof Connection c) {
                        FlowFacts facts = FactsBuilder.build(c, c.handEnd, c.handEarly, names);
                        if (hosts != null) {
                            hosts.observe(facts);
                        }
                        listener.finished(facts, c.ring);
                        free[n++] = c;
                    } else {
                        listener.reusedLater((Long) o);
                    }
                }
                done.add(n == free.length ? free : java.util.Arrays.copyOf(free, n));
            }
        } catch (InterruptedException e) {
            failure = new IllegalStateException("interrupted while judging connections", e);
        } catch (RuntimeException | Error e) {
            failure = e;
            drain();
        }
    }

    /** After a failure: takes batches until the end, so that the tracker's thread never blocks on a full queue. */
    private void drain() {
        try {
            while (queue.take() != END) {
                // dropped: the failure is reported instead
            }
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }
}
