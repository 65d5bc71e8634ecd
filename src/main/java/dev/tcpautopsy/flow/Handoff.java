package dev.tcpautopsy.flow;

import java.util.Arrays;
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
    private final FlowListener listener;
    private final HostTable hosts;
    /** Each a {@link Connection}, or a stream number reused later. */
    private final Relay<Object> relay;
    /** Batches of connections the worker is done with, for the tracker's pool. */
    private final ConcurrentLinkedQueue<Connection[]> done = new ConcurrentLinkedQueue<>();
    /** Used on the worker thread only. */
    private final AddressNames names = new AddressNames();

    /** @param batch connections handed over at a time; @param queued batches that may wait before {@link #hand} waits */
    Handoff(FlowListener listener, HostTable hosts, String name, int batch, int queued) {
        this.listener = listener;
        this.hosts = hosts;
        this.relay = new Relay<>(name, batch, queued, this::judge, "judging connections");
    }

    /** Hands on {@code c}, whose {@link Connection#handEnd} is set; the tracker must not touch it until {@link #reuse}. */
    void hand(Connection c) {
        relay.add(c);
    }

    void reusedLater(long stream) {
        relay.add(stream);
    }

    /** The connections the worker is done with since the last call, or {@code null}. */
    Connection[] reuse() {
        return done.poll();
    }

    /** Hands on what is left and waits until the listener has heard of every connection. */
    void finish() {
        relay.finish();
    }

    /** On the worker thread: one batch. */
    private void judge(Object[] b) {
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
        done.add(n == free.length ? free : Arrays.copyOf(free, n));
    }
}
